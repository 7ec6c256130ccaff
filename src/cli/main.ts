/**
 * The `tramp64` command: a thin shell over the library. Each subcommand lives in its own file under
 * commands/ and registers itself on the program; this file only wires them and maps errors to exit codes.
 *
 * Exit codes scripts can rely on: 0 success, 1 a check or run failed (e.g. a conformance test failed),
 * 2 bad usage or bad input (a typed Tramp64Error), 70 an internal error (a bug in tramp64).
 */
import { Command, CommanderError } from 'commander';
import { Tramp64Error } from '../util/errors.js';
import { EXIT } from './exit.js';

type Register = (program: Command) => void;

async function loadCommands(): Promise<Register[]> {
  // Keep this list sorted; each module exports `register(program)`.
  const modules = await Promise.all([
    import('./commands/attach.js'),
    import('./commands/bench.js'),
    import('./commands/bpf.js'),
    import('./commands/bpf-attach-prog.js'),
    import('./commands/bpf-load.js'),
    import('./commands/compare.js'),
    import('./commands/disasm.js'),
    import('./commands/exec.js'),
    import('./commands/modules.js'),
    import('./commands/modules-load.js'),
    import('./commands/run.js'),
    import('./commands/test-run.js'),
    import('./commands/tracefs.js'),
  ]);
  return modules.map((m) => m.register);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('tramp64')
    .description(
      'An executable model of the Linux arm64 function-tracing stack: ftrace call sites, ftrace_caller,\n' +
        'direct calls and BPF trampolines, running real A64 code on an emulated arm64 CPU.',
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of await loadCommands()) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof Tramp64Error) {
      process.stderr.write(`tramp64: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
