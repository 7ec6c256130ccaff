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

/**
 * How `tramp64 --help` groups the commands. A command missing here lands under "Other commands:", which
 * tests/cli/help.test.ts refuses, so a new command gets a group (and its file a one-line .summary()).
 */
export const COMMAND_GROUPS: Readonly<Record<string, string>> = {
  attach: 'Tracing the test kernel:',
  'test-run': 'Tracing the test kernel:',
  run: 'Tracing the test kernel:',
  tracefs: 'Tracing the test kernel:',
  bpf: 'eBPF:',
  compare: 'Measuring the strategies:',
  bench: 'Measuring the strategies:',
  modules: 'Real kernel modules:',
  disasm: 'A64 and ELF tools:',
  asm: 'A64 and ELF tools:',
  exec: 'A64 and ELF tools:',
};

/** The whole command tree, every subcommand registered (the tests enumerate it). */
export async function buildProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('tramp64')
    .description(
      'An executable model of the Linux arm64 function-tracing stack: ftrace call sites, ftrace_caller, ' +
        'direct calls and BPF trampolines, running real A64 code on an emulated arm64 CPU.',
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  tramp64 run bpf_fentry_test1 1 --trace\n' +
        '  tramp64 attach fixtures/bpf/fentry_test.bpf.o --strategy ops\n' +
        '  tramp64 compare --json > compare.json\n' +
        "\n`tramp64 COMMAND --help` describes a command's options, with examples.\n" +
        'Exit codes: 0 success, 1 a check or run failed, 2 bad usage or input, 70 a bug in tramp64.',
    );
  for (const register of await loadCommands()) register(program);
  for (const cmd of program.commands) {
    cmd.helpGroup(COMMAND_GROUPS[cmd.name()] ?? 'Other commands:');
  }
  // A usage error (unknown option, missing argument) names the --help that shows the right usage.
  const hint = (cmd: Command, path: string): void => {
    cmd.showHelpAfterError(`(tramp64 ${path} --help shows the usage and examples)`);
    for (const sub of cmd.commands) hint(sub, `${path} ${sub.name()}`);
  };
  for (const cmd of program.commands) hint(cmd, cmd.name());
  program.showHelpAfterError('(tramp64 --help lists the commands)');
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
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
