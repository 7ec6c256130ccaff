/**
 * The CLI is consistent and documented (tramp64 issue 11): every command and subcommand — enumerated from
 * the program definition, so a new command is checked without touching this file — answers `--help` with
 * a description and an `Examples:` section, the top-level help lists each command on one line in a named
 * group, every reporting command has `--json`, and the shared options (--layout, --seed, --cpus) refuse a
 * bad value with the same message in every command that has them. All spawned, as a user runs tramp64.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram, COMMAND_GROUPS } from '../../src/cli/main.js';
import { parseCpus, parseFrame, parseList } from '../../src/cli/options.js';
import { typedCommandLine, withProgress } from '../../src/cli/progress.js';
import { Tramp64Error } from '../../src/util/errors.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawned, not spawnSync: the help of ~25 commands runs concurrently (test.concurrent). */
function tramp64(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['tsx', join(ROOT, 'tests/cli/run.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (status) =>
      // npx may warn about the user's npm config; that line is npm's, not tramp64's.
      resolve({ status, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, '') }),
    );
  });
}

interface Node {
  path: string[];
  cmd: Command;
}

function walk(cmd: Command, path: string[] = []): Node[] {
  return cmd.commands.flatMap((c) => {
    const p = [...path, c.name()];
    return [{ path: p, cmd: c }, ...walk(c, p)];
  });
}

const program = await buildProgram();
const ALL = walk(program);
const LEAVES = ALL.filter((n) => n.cmd.commands.length === 0);
const longFlags = (c: Command): string[] => c.options.map((o) => o.long ?? '');

/**
 * Leaf commands without --json, each with the reason. Anything else that runs is a reporting command and
 * must have --json; a new command must either take it or be added here with a reason.
 */
const NO_JSON: Record<string, string> = {
  disasm: 'a listing in llvm-objdump form, for reading and diffing against llvm-objdump',
  asm: 'a filter: assembly in, bytes (or hex words) out',
  tracefs: 'an interactive shell; its output is what the tracefs files contain',
};

/**
 * The least a command needs besides the option under test, so that the option check is what fails. A
 * command gaining --layout, --seed or --cpus must be added here (the test says so).
 */
const MIN_ARGS: Record<string, string[]> = {
  attach: ['fixtures/bpf/fentry_test.bpf.o'],
  'test-run': ['fixtures/bpf/fentry_test.bpf.o'],
  run: ['bpf_fentry_test1', '1'],
  tracefs: [],
  compare: [],
  bench: [],
  'bpf jit': ['fixtures/bpf/hashmap.bpf.o'],
  'bpf attach-prog': [
    'fixtures/bpf/bpf2bpf/tracer.bpf.o',
    '--target-obj',
    'fixtures/bpf/bpf2bpf/target.bpf.o',
    '--target-prog',
    'target_prog',
  ],
  'modules load': ['tcp_bbr'],
};

const CONFORMANCE = join(ROOT, '../shared/conformance/bpf_conformance/tests');

/** Arguments with which each reporting command succeeds, for the --json parse check. */
const JSON_ARGS: Record<string, string[]> = {
  attach: ['fixtures/bpf/fentry_test.bpf.o', '--func', 'bpf_fentry_test1'],
  'test-run': ['fixtures/bpf/fentry_test.bpf.o'],
  run: ['bpf_fentry_test3', '4', '5', '6'],
  exec: ['fixtures/exec/hello'],
  'bpf run-data': [join(CONFORMANCE, 'add.data')],
  'bpf conformance': [CONFORMANCE],
  'bpf jit': ['fixtures/bpf/hashmap.bpf.o'],
  'bpf load': ['fixtures/bpf/hashmap.bpf.o'],
  'bpf attach-prog': MIN_ARGS['bpf attach-prog']!,
  'modules load': ['tcp_bbr', '--series', '6.1'],
};

/** Reporting commands whose --json is checked elsewhere, because running them here would be slow. */
const JSON_ELSEWHERE: Record<string, string> = {
  compare: 'tests/cli/compare.test.ts (minutes of emulation for all strategies)',
  bench: 'tests/cli/bench.test.ts (trigger loops)',
  'modules fetch': 'tests/corpus/corpus.test.ts (inspects every module of both corpora)',
  'modules list': 'tests/corpus/corpus.test.ts (inspects every module of a corpus)',
};

/** The corpus commands fetch with apt when the corpus is not cached; this test does not download. */
const corpusCached = existsSync(join(ROOT, '.cache/corpus/6.1'));

describe('every command documents itself', () => {
  test('the tree is what main.ts registers: the commands issue 11 names are all there', () => {
    const top = program.commands.map((c) => c.name());
    for (const name of ['attach', 'test-run', 'run', 'disasm', 'tracefs', 'modules', 'bpf', 'exec'])
      expect(top).toContain(name);
    expect(ALL.length).toBeGreaterThan(top.length);
  });

  test.concurrent.each(ALL.map((n) => [n.path.join(' '), n] as const))(
    'tramp64 %s --help: usage, description, Examples',
    async (name, n) => {
      const r = await tramp64(...n.path, '--help');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: tramp64 ${name} `));
      expect(n.cmd.description().length).toBeGreaterThan(10);
      // The description is printed (commander re-wraps it; compare its first words).
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(
        n.cmd.description().replace(/\s+/g, ' ').split(' ').slice(0, 6).join(' '),
      );
      const ex = /\nExamples?:\n((?: {2}.*\n?)+)/.exec(r.stdout);
      expect(ex, `${name} --help has no Examples: section`).not.toBeNull();
      // At least one example runs this very command.
      expect(ex![1]).toContain(`tramp64 ${name}`);
    },
    60_000,
  );
});

describe('tramp64 --help', () => {
  test('lists every command on one line, in a named group, with the exit codes', async () => {
    const r = await tramp64('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Other commands:');
    for (const c of program.commands) {
      const heading = COMMAND_GROUPS[c.name()];
      expect(heading, `${c.name()} has no group in main.ts COMMAND_GROUPS`).toBeDefined();
      const block = r.stdout.split(`\n${heading}\n`)[1]!.split('\n\n')[0]!;
      const summary = c.summary() || c.description();
      expect(summary).not.toContain('\n');
      const line = block.split('\n').find((l) => l.startsWith(`  ${c.name()} `));
      expect(line, `${c.name()} is not listed under ${heading}`).toBeDefined();
      // Not wrapped: the whole summary is on the command's own line.
      expect(line!.endsWith(summary), `${c.name()}'s summary wraps: keep it short`).toBe(true);
    }
    expect(r.stdout).toContain('Exit codes: 0 success, 1 a check or run failed, 2 bad usage or input');
  });

  test.concurrent.each(
    ALL.filter((n) => n.cmd.commands.length > 0).map((n) => [n.path.join(' '), n] as const),
  )(
    'tramp64 %s --help lists its subcommands one per line',
    async (name, n) => {
      const r = await tramp64(...n.path, '--help');
      for (const c of n.cmd.commands) {
        const summary = c.summary() || c.description();
        const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${c.name()} `));
        expect(line?.endsWith(summary), `${name} ${c.name()}'s summary wraps or is missing`).toBe(true);
      }
    },
    60_000,
  );
});

describe('consistent options', () => {
  test('every reporting command has --json (the exceptions say why)', () => {
    const missing = LEAVES.filter((n) => !longFlags(n.cmd).includes('--json'))
      .map((n) => n.path.join(' '))
      .filter((p) => NO_JSON[p] === undefined);
    expect(missing).toEqual([]);
  });

  const withJson = LEAVES.filter((n) => longFlags(n.cmd).includes('--json')).map((n) => n.path.join(' '));

  test('every --json command is run below or is checked elsewhere (the reason says where)', () => {
    expect(withJson.filter((p) => JSON_ARGS[p] === undefined && JSON_ELSEWHERE[p] === undefined)).toEqual([]);
  });

  // Without a cached corpus the modules commands would download it; they are left out then.
  test.concurrent.each(
    withJson.filter((p) => JSON_ARGS[p] !== undefined && (corpusCached || !p.startsWith('modules '))),
  )(
    '%s --json: standard output is one JSON document',
    async (name) => {
      const r = await tramp64(...name.split(' '), ...JSON_ARGS[name]!, '--json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const v = JSON.parse(r.stdout) as unknown;
      expect(typeof v).toBe('object');
      expect(v).not.toBeNull();
    },
    120_000,
  );

  test('no option takes a commander default: defaults are stated as "(default X)" in the description', () => {
    // A commander default would print as `(default: "X")` and hide whether the user gave the option.
    const withDefault = ALL.flatMap((n) =>
      n.cmd.options
        .filter((o) => o.defaultValue !== undefined && !o.negate)
        .map((o) => `${n.path.join(' ')} ${o.long ?? o.flags}`),
    );
    expect(withDefault).toEqual([]);
  });

  test.each(['tracefs', 'compare', 'bench'])('%s states its defaults and exit codes in --help', (name) => {
    const cmd = program.commands.find((c) => c.name() === name)!;
    for (const flag of ['--layout', '--seed', '--cpus', '--calls', '--layouts', '--frames']) {
      const o = cmd.options.find((x) => x.long === flag);
      if (o !== undefined)
        expect(o.description, `${name} ${flag}`).toMatch(/\(default [^:]|\(\d+ to \d+, default /);
    }
    expect(cmd.options.find((x) => x.long === '--layout')?.flags ?? '--layout <kind>').toBe(
      '--layout <kind>',
    );
    expect(cmd.summary()).not.toBe('');
  });

  const withOption = (flag: string): (readonly [string, Node])[] =>
    LEAVES.filter((n) => longFlags(n.cmd).includes(flag)).map((n) => [n.path.join(' '), n] as const);

  test('commands with --layout, --seed or --cpus have their minimal arguments listed here', () => {
    const need = ['--layout', '--seed', '--cpus'].flatMap((f) => withOption(f).map(([p]) => p));
    expect([...new Set(need)].filter((p) => MIN_ARGS[p] === undefined)).toEqual([]);
  });

  test.concurrent.each(withOption('--layout'))(
    '%s --layout sideways: the same message, exit 2',
    async (name) => {
      const r = await tramp64(...name.split(' '), ...MIN_ARGS[name]!, '--layout', 'sideways');
      expect(r.stderr).toBe("tramp64: --layout must be kaslr or nokaslr, got 'sideways'\n");
      expect(r.status).toBe(2);
    },
    60_000,
  );

  test.concurrent.each(withOption('--seed'))(
    '%s --seed -3: the same message, exit 2',
    async (name) => {
      const r = await tramp64(...name.split(' '), ...MIN_ARGS[name]!, '--seed=-3');
      expect(r.stderr).toBe("tramp64: --seed must be an integer from 0 to 4294967295, got '-3'\n");
      expect(r.status).toBe(2);
    },
    60_000,
  );

  test.concurrent.each(withOption('--cpus'))(
    '%s --cpus 0: the same message shape, exit 2',
    async (name) => {
      const r = await tramp64(...name.split(' '), ...MIN_ARGS[name]!, '--cpus', '0');
      expect(r.stderr).toMatch(/^tramp64: --cpus must be an integer from 1 to \d+, got '0'\n$/);
      expect(r.status).toBe(2);
    },
    60_000,
  );

  test('a usage error names the --help to read, and exits 2 without a stack trace', async () => {
    const r = await tramp64('bpf', 'jit');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "error: missing required argument 'obj'\n(tramp64 bpf jit --help shows the usage and examples)\n",
    );
    const u = await tramp64('attach', 'fixtures/bpf/fentry_test.bpf.o', '--stratgey', 'ops');
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/^error: unknown option '--stratgey'\n\(Did you mean --strategy\?\)\n/);
    expect(u.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the shared option helpers (src/cli/options.ts, src/cli/progress.ts)', () => {
  const errorOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(Tramp64Error);
      expect((e as Tramp64Error).code).toBe('EINVAL');
      return (e as Error).message;
    }
    throw new Error('no error thrown');
  };

  test('parseList: the items in the order given, trimmed; empty, unknown items refused by name', () => {
    expect(parseList('--frames', 'args, regs,', ['regs', 'args'])).toEqual(['args', 'regs']);
    expect(errorOf(() => parseList('--frames', ' , ', ['regs', 'args']))).toBe(
      "--frames must be a comma-separated list of regs, args, got ' , '",
    );
    expect(errorOf(() => parseList('--frames', 'regs,pt,zz', ['regs', 'args']))).toBe(
      "--frames must be a comma-separated list of regs, args (unknown: pt), got 'regs,pt,zz'",
    );
  });

  test('parseCpus and parseFrame: the default when not given, the shared message otherwise', () => {
    expect(parseCpus(undefined, 4)).toBe(1);
    expect(parseCpus('4', 4)).toBe(4);
    expect(errorOf(() => parseCpus('5', 4))).toBe("--cpus must be an integer from 1 to 4, got '5'");
    expect(parseFrame(undefined)).toBeUndefined();
    expect(parseFrame('args')).toBe('args');
    expect(errorOf(() => parseFrame('ftrace_regs'))).toBe(
      "--frame must be regs (pt_regs, the seed era) or args (ftrace_regs, v6.2+), got 'ftrace_regs'",
    );
  });

  test('typedCommandLine echoes from the command name on; withProgress returns or rethrows', () => {
    const argv = ['node', '/x/tramp64', 'compare', '--seed', '7', '--json'];
    expect(typedCommandLine('compare', argv)).toBe('tramp64 compare --seed 7 --json');
    expect(typedCommandLine('bench', argv)).toBe('tramp64 bench');
    const seen: string[] = [];
    expect(
      withProgress('t', (bar) => {
        bar.update(1, 2, 'a');
        seen.push('ran');
        return 42;
      }),
    ).toBe(42);
    expect(seen).toEqual(['ran']);
    expect(() =>
      withProgress('t', () => {
        throw new Tramp64Error('EINVAL', 'boom');
      }),
    ).toThrow('boom');
  });
});
