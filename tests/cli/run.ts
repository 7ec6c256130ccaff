// Runs the CLI from source, as `tramp64 …` would (used by the CLI tests).
import { main } from '../../src/cli/main.js';

process.exitCode = await main(['node', 'tramp64', ...process.argv.slice(2)]);
