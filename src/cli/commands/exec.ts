/**
 * `tramp64 exec PROG`: run a freestanding static aarch64 Linux program on the emulated CPU.
 *
 * Exit codes: the program's own exit status when it exits (as qemu-user passes it on); 1 when it faults
 * or does not exit within --max-instructions (the run failed, as `tramp64 run` reports a fault); 2 bad
 * input (unreadable file, not a static executable, a bad option).
 */
import type { Command } from 'commander';
import { ExecError, runUserProgram, type UserRunResult } from '../../kernel/index.js';
import { MachineFault } from '../../machine/index.js';
import { EXIT } from '../exit.js';
import { examples, parseCount } from '../options.js';
import { readInput } from './disasm.js';

interface ExecOptions {
  stats?: boolean;
  maxInstructions?: string;
  json?: boolean;
}

const DEFAULT_MAX = 2_000_000_000;

function execCommand(prog: string, o: ExecOptions): void {
  const maxInstructions = parseCount('--max-instructions', o.maxInstructions ?? String(DEFAULT_MAX), 1);
  const bytes = readInput(prog, 'the program');
  const t = performance.now();
  let r: UserRunResult;
  try {
    r = runUserProgram(bytes, { maxInstructions });
  } catch (e) {
    // runUserProgram checks the ELF before it runs anything, so a fault or the budget running out means
    // the run failed (exit 1), not that the input was malformed (exit 2).
    const budget = e instanceof ExecError && e.message.startsWith('the program did not exit within');
    if (!(e instanceof MachineFault) && !budget) throw e;
    const kind = e instanceof MachineFault ? e.kind : 'budget';
    const message = (e as Error).message;
    if (o.json === true) process.stdout.write(JSON.stringify({ failed: { kind, message } }) + '\n');
    process.stderr.write(
      budget
        ? `tramp64: ${message}; raise --max-instructions if it needs longer\n`
        : `tramp64: the program faulted: ${message}\n`,
    );
    process.exitCode = EXIT.failed;
    return;
  }
  const ms = performance.now() - t;
  if (o.json === true) {
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
  if (o.stats === true) {
    process.stderr.write(
      `instructions ${r.instructions}, modelled cycles ${r.cycles}, host ${ms.toFixed(1)} ms (${(r.instructions / ms / 1000).toFixed(1)} MIPS)\n`,
    );
  }
  process.exitCode = r.exitCode;
}

export function register(program: Command): void {
  const cmd = program
    .command('exec')
    .summary('run a static aarch64 Linux program')
    .description(
      'run a freestanding static aarch64 Linux ELF (-nostdlib, _start, raw svc write/exit) on the emulated CPU',
    )
    .argument('<prog>', 'static aarch64 ELF executable')
    .option('--stats', 'print executed instructions, modelled cycles and host time to stderr')
    .option(
      '--max-instructions <n>',
      `stop with an error after this many instructions (default ${DEFAULT_MAX})`,
    )
    .option('--json', 'print the result (exit code, output, statistics) as JSON');
  examples(
    cmd,
    ['tramp64 exec fixtures/exec/sieve --stats', 'tramp64 exec fixtures/exec/hello --json'],
    "Exit codes: the program's own exit status; 1 it faulted or ran past --max-instructions;\n" +
      '2 bad input (unreadable file, not a static aarch64 executable, bad option).',
  ).action((prog: string, o: ExecOptions) => execCommand(prog, o));
}
