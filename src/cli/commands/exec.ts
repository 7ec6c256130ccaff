/** `tramp64 exec PROG`: run a freestanding static aarch64 Linux program on the emulated CPU. */
import type { Command } from 'commander';
import { runUserProgram } from '../../kernel/index.js';
import { readInput } from './disasm.js';

export function register(program: Command): void {
  program
    .command('exec')
    .description(
      'run a freestanding static aarch64 Linux ELF (-nostdlib, _start, raw svc write/exit) on the emulated CPU',
    )
    .argument('<prog>', 'static aarch64 ELF executable')
    .option('--stats', 'print executed instructions, modelled cycles and host time to stderr')
    .option('--max-instructions <n>', 'stop with an error after this many instructions', '2000000000')
    .option('--json', 'print the result (exit code, output, statistics) as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  tramp64 exec fixtures/exec/sieve --stats\n  tramp64 exec fixtures/exec/hello --json',
    )
    .action((prog: string, o: { stats?: boolean; maxInstructions: string; json?: boolean }) => {
      const t = performance.now();
      const r = runUserProgram(readInput(prog), { maxInstructions: Number(o.maxInstructions) });
      const ms = performance.now() - t;
      if (o.json) {
        process.stdout.write(
          JSON.stringify({
            exitCode: r.exitCode,
            stdout: r.stdout,
            stderr: r.stderr,
            instructions: r.instructions,
            cycles: r.cycles,
            hostMs: ms,
          }) + '\n',
        );
      } else {
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
      }
      if (o.stats) {
        process.stderr.write(
          `instructions ${r.instructions}, modelled cycles ${r.cycles}, host ${ms.toFixed(1)} ms (${(r.instructions / ms / 1000).toFixed(1)} MIPS)\n`,
        );
      }
      process.exitCode = r.exitCode;
    });
}
