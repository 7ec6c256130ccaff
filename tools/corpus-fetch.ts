/**
 * `npm run corpus:fetch`: fetch (or show the cached) Debian arm64 module corpora, as `tramp64 modules fetch`
 * does, without building the package first. Arguments are passed on: `npm run corpus:fetch -- --series 6.1`.
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(['node', 'tramp64', 'modules', 'fetch', ...process.argv.slice(2)]);
