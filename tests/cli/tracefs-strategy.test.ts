/**
 * `tramp64 tracefs --strategy S` spawned as a user runs it: the session's kernel is the strategy's
 * (createTracingKernel), and the shell's `attach` / `detach` / `globals` run BPF programs through it.
 * For every strategy: attach fentry_test.bpf.o → enabled_functions line by line (the kernel's flag columns,
 * `tramp:` / `ops:` / `direct-->` as that configuration prints them) → calls → the object's globals. Then
 * sharing a function with the function tracer, patchsite's ENOTSUPP under KASLR, the series defaults, and
 * bad input (usage errors with exit 2; shell errors that leave the state as it was).
 *
 * Oracles independent of the shell: the trampoline names come from the test kernel's BTF through the
 * kernel's key rule (bpf_trampoline_compute_key: vmlinux BTF object 1 << 32 | 0x80000000 | BTF id), and the
 * globals from fentry_test.bpf.c's own checks (testN_result = 1 only when the arguments were the
 * selftest's), so a call with other arguments must leave its result 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CORPUS_FETCH_TIMEOUT, fetchCorpus } from '../helpers/corpus.js';
import { parseBtf } from '../../src/bpf/btf/parse.js';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { testKernelVariantFor } from '../../src/trampoline/strategies/index.js';
import type { StrategyName } from '../../src/trampoline/strategies/types.js';
import { ROOT, tramp64 } from '../helpers/cli.js';

const OBJ = 'fixtures/bpf/fentry_test.bpf.o';
const FUNCS = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `bpf_fentry_test${i}`);

const tracefs = (script: string[], ...args: string[]) => {
  const r = tramp64(['tracefs', ...args], script.join('\n') + '\n');
  const err = r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
  return { status: r.status, out: r.stdout, lines: r.stdout.split('\n').filter(Boolean), err };
};

/** bpf_trampoline_<key> of a test-kernel function, from the fixture's BTF (the kernel's key rule). */
function trampolineName(strategy: StrategyName, func: string): string {
  const bytes = readFileSync(join(ROOT, testKernelFixture(testKernelVariantFor(strategy, { bti: false }))));
  const btf = parseBtf(createTestKernel(bytes).btf!);
  const id = btf.byName(func, 'FUNC')[0]!.id;
  return `bpf_trampoline_${(1n << 32n) | 0x80000000n | BigInt(id)}`;
}

/**
 * enabled_functions with the sizes in `sym+0x0/SIZE` (generated code of other layers; trampolines grow with
 * the layout's return path) and the direct ops' slab addresses taken out; the addresses are returned so a
 * test can check there is one ops per trampoline.
 */
function normalise(lines: readonly string[]): { lines: string[]; ops: string[] } {
  const ops: string[] = [];
  const out = lines.map((l) =>
    l
      .replace(/\+0x0\/0x[0-9a-f]+/g, '+0x0/SIZE')
      .replace(/\tops: (0x[0-9a-f]{16}) /, (_, a: string) => (ops.push(a), '\tops: OPS ')),
  );
  return { lines: out, ops };
}

const attachedLine = (i: number) =>
  `fentry   fentry_test:test${i}    -> bpf_fentry_test${i}         attached`;

/** The globals after `call bpf_fentry_test1 1` and `call bpf_fentry_test2 2 4` (not the selftest's 2, 3). */
const GLOBALS_AFTER_CALLS = [
  `fentry_test (${OBJ}):`,
  '  .bss     test1_result = 1',
  ...[2, 3, 4, 5, 6, 7, 8].map((i) => `  .bss     test${i}_result = 0`),
];

/** What each strategy's kernel prints in enabled_functions for a function with one BPF program. */
const ENABLED: Record<StrategyName, (func: string, tramp: string) => string[]> = {
  // CALL_OPS: the direct ops is in the literal (O), the caller is named, and the direct trampoline.
  callops: (f, t) => [
    `${f} (1)     D O M \ttramp: ftrace_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)\tops: OPS (call_direct_funcs+0x0/SIZE)`,
    `\tdirect-->${t}+0x0/SIZE [bpf]`,
  ],
  // '=2' sites through ftrace_caller (ftrace_regs frame by default): no literal, so no O and no ops line.
  tailcall: (f, t) => [
    `${f} (1)     D   M \ttramp: ftrace_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)`,
    `\tdirect-->${t}+0x0/SIZE [bpf]`,
  ],
  // Xu Kuohai's v5 saves pt_regs (R) in ftrace_regs_caller.
  patchsite: (f, t) => [
    `${f} (1) R   D   M \ttramp: ftrace_regs_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)`,
    `\tdirect-->${t}+0x0/SIZE [bpf]`,
  ],
  // BPF as an ordinary ftrace op on '=2' sites with the global ftrace_call: the kernel prints the count
  // and blank columns (" M " is three wide in v6.12) — the `ops:` line needs a CALL_OPS record, the `tramp:` one a per-ops trampoline.
  ops: (f) => [`${f} (1)${' '.repeat(11)}`],
};

describe('tramp64 tracefs --strategy: attach → enabled_functions → call → globals', () => {
  test.each(['patchsite', 'ops', 'tailcall', 'callops'] as const)('%s', (strategy) => {
    const r = tracefs(
      [
        `attach ${OBJ}`,
        'cat enabled_functions',
        'call bpf_fentry_test1 1',
        'call bpf_fentry_test2 2 4',
        'globals',
      ],
      '--strategy',
      strategy,
      '--layout',
      'nokaslr',
    );
    expect(r.err).toEqual([]);
    expect(r.status).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(attachedLine));
    const nEnabled = strategy === 'ops' ? 8 : 16;
    const enabled = normalise(lines.slice(8, 8 + nEnabled));
    expect(enabled.lines).toEqual(FUNCS.flatMap((f) => ENABLED[strategy](f, trampolineName(strategy, f))));
    // One direct ops per trampoline (the literal of each site points at its own).
    if (strategy === 'callops') expect(new Set(enabled.ops).size).toBe(8);
    expect(lines.slice(8 + nEnabled).filter(Boolean)).toEqual([
      'bpf_fentry_test1(1) = 2',
      'bpf_fentry_test2(2, 4) = 6',
      ...GLOBALS_AFTER_CALLS,
    ]);
  });

  test('--frame regs: ftrace_caller saves pt_regs (R, ftrace_regs_caller) on the callops kernel', () => {
    const r = tracefs(
      [`attach ${OBJ} test1`, 'cat enabled_functions', 'call bpf_fentry_test1 1', 'globals'],
      '--strategy',
      'callops',
      '--frame',
      'regs',
      '--layout',
      'nokaslr',
    );
    expect(r.err).toEqual([]);
    expect(normalise(r.lines.slice(1, 3)).lines).toEqual([
      'bpf_fentry_test1 (1) R   D O M \ttramp: ftrace_regs_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)\tops: OPS (call_direct_funcs+0x0/SIZE)',
      `\tdirect-->${trampolineName('callops', 'bpf_fentry_test1')}+0x0/SIZE [bpf]`,
    ]);
    expect(r.lines.slice(4, 6)).toEqual([`fentry_test (${OBJ}):`, '  .bss     test1_result = 1']);
  });

  test.each([
    [
      'callops',
      'bpf_fentry_test1 (2)     D   M ',
      'bpf_fentry_test1 (1)       O M \tops: global_ops+0x0/SIZE (function_trace_call+0x0/SIZE)',
    ],
    ['ops', `bpf_fentry_test1 (2)${' '.repeat(11)}`, `bpf_fentry_test1 (1)${' '.repeat(11)}`],
  ] as const)(
    '%s: BPF and the function tracer share a function; detach leaves the tracer',
    (strategy, shared, alone) => {
      const r = tracefs(
        [
          'echo bpf_fentry_test1 > set_ftrace_filter',
          'echo function > current_tracer',
          `attach ${OBJ} test1`,
          'cat enabled_functions',
          'call bpf_fentry_test1 1',
          'cat trace_pipe',
          'detach test1',
          'cat enabled_functions',
          'call bpf_fentry_test1 1',
          'cat trace_pipe',
          'globals',
        ],
        '--strategy',
        strategy,
        '--layout',
        'nokaslr',
      );
      expect(r.err).toEqual([]);
      const l = normalise(r.lines).lines;
      const direct =
        strategy === 'callops'
          ? [`\tdirect-->${trampolineName(strategy, 'bpf_fentry_test1')}+0x0/SIZE [bpf]`]
          : [];
      const traced =
        /^ {7}tramp64\/0-1000 {4}\[000\] d\.\.\.\. +\d+\.\d{6}: bpf_fentry_test1 <-tramp64_shell$/;
      let i = 0;
      expect(l[i++]).toBe(attachedLine(1));
      expect(l.slice(i, (i += 1 + direct.length))).toEqual([shared, ...direct]);
      expect(l[i++]).toBe('bpf_fentry_test1(1) = 2');
      expect(l[i++]).toMatch(traced);
      expect(l[i++]).toBe(attachedLine(1).replace(/attached$/, 'detached'));
      expect(l[i++]).toBe(alone);
      expect(l[i++]).toBe('bpf_fentry_test1(1) = 2');
      expect(l[i++]).toMatch(traced);
      // The program ran for the first call only: its result is the selftest's check, set once.
      expect(l.slice(i, i + 2)).toEqual([`fentry_test (${OBJ}):`, '  .bss     test1_result = 1']);
    },
  );

  test('patchsite under KASLR: every link refused with ENOTSUPP, nothing traced, exit status 1', () => {
    const r = tracefs(
      [`attach ${OBJ} test1 test2`, 'cat enabled_functions', 'call bpf_fentry_test1 1', 'globals'],
      '--strategy',
      'patchsite',
      '--seed',
      '3',
    );
    expect(r.status).toBe(1);
    expect(r.err).toHaveLength(2);
    r.err.forEach((e, i) =>
      expect(e).toMatch(
        new RegExp(
          `^attach: fentry_test:test${i + 1} \\(fentry/bpf_fentry_test${i + 1}\\): ENOTSUPP: ftrace: direct trampoline 0x[0-9a-f]+ is -?0x[0-9a-f]+ from the call site of bpf_fentry_test${i + 1} at 0x[0-9a-f]+, out of BL range \\[-128 MiB, \\+128 MiB\\)`,
        ),
      ),
    );
    // Nothing attached, so enabled_functions is empty and the program never ran.
    expect(r.lines).toEqual([
      'bpf_fentry_test1(1) = 2',
      `fentry_test (${OBJ}):`,
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `  .bss     test${i}_result = 0`),
    ]);
  });

  test('no --strategy: test is the callops kernel, 6.1 the patchsite one with the v6.1 tracefs', () => {
    const script = [`attach ${OBJ} test1`, 'cat enabled_functions'];
    const dflt = tracefs(script, '--layout', 'nokaslr');
    const callops = tracefs(script, '--layout', 'nokaslr', '--strategy', 'callops');
    expect(dflt.err).toEqual([]);
    expect(dflt.out).toBe(callops.out);
    const old = tracefs(script, '--series', '6.1', '--layout', 'nokaslr');
    expect(old.err).toEqual([]);
    // v6.1's line: R, I, D columns only, then the tab (facts §6).
    expect(normalise(old.lines).lines).toEqual([
      attachedLine(1),
      'bpf_fentry_test1 (1) R   D\ttramp: ftrace_regs_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)',
      `\tdirect-->${trampolineName('patchsite', 'bpf_fentry_test1')}+0x0/SIZE [bpf]`,
    ]);
  });
  test('detach destroys the newest link first; attach OBJ links the detached programs again', () => {
    const r = tracefs(
      [
        `attach ${OBJ} test1 test2 test3`,
        'detach test1',
        `attach ${OBJ}`,
        'detach',
        'cat enabled_functions',
        'call bpf_fentry_test1 1',
        'globals',
      ],
      '--strategy',
      'callops',
      '--layout',
      'nokaslr',
    );
    expect(r.err).toEqual([]);
    const line = (i: number, state: string) => attachedLine(i).replace(/attached$/, state);
    expect(r.lines.slice(0, 9)).toEqual([
      line(1, 'attached'),
      line(2, 'attached'),
      line(3, 'attached'),
      line(1, 'detached'),
      line(1, 'attached'),
      line(1, 'detached'),
      line(3, 'detached'),
      line(2, 'detached'),
      // enabled_functions is empty: the call runs untraced and the program's result stays 0.
      'bpf_fentry_test1(1) = 2',
    ]);
    expect(r.lines.slice(9, 11)).toEqual([`fentry_test (${OBJ}):`, '  .bss     test1_result = 0']);
  });
});

describe('tramp64 tracefs --strategy: bad input', () => {
  test('an unknown strategy or frame, or callops on 6.1, is a usage error (exit 2)', () => {
    const bad = tracefs([], '--strategy', 'trampoline');
    expect(bad.status).toBe(2);
    expect(bad.err.join('\n')).toContain(
      "--strategy must be one of patchsite, ops, tailcall, callops, got 'trampoline'",
    );
    const frame = tracefs([], '--frame', 'pt_regs');
    expect(frame.status).toBe(2);
    expect(frame.err.join('\n')).toContain(
      "--frame must be regs (pt_regs, the seed era) or args (ftrace_regs, v6.2+), got 'pt_regs'",
    );
    const era = tracefs([], '--series', '6.1', '--strategy', 'callops');
    expect(era.status).toBe(2);
    expect(era.err.join('\n')).toContain(
      "--strategy callops needs CALL_OPS call sites ('=4,2', v6.4+), which the 6.1 series does not have; use --series test or 6.12",
    );
  });

  test('bad shell commands print what is wrong and change nothing', () => {
    const r = tracefs(
      [
        'attach fixtures/bpf/no_such.bpf.o',
        'globals',
        'detach',
        `attach ${OBJ} test1 test9`,
        'cat enabled_functions',
        `attach ${OBJ} test1`,
        'cat enabled_functions',
        'detach test9',
        'detach test2',
        `attach ${OBJ} test1`,
        `attach ${OBJ} test2`,
        'attach fixtures/bpf/fexit_test.bpf.o',
        'attach',
        'cat enabled_functions',
        'call bpf_fentry_test1 1',
        'globals fentry_test',
        'globals fexit_test',
      ],
      '--strategy',
      'tailcall',
    );
    expect(r.status).toBe(1);
    expect(r.err).toEqual([
      "attach: cannot read the BPF object 'fixtures/bpf/no_such.bpf.o': ENOENT: no such file or directory, open 'fixtures/bpf/no_such.bpf.o'",
      'globals: ENOENT: no BPF object is loaded; attach one first (attach OBJ)',
      'detach: ENOENT: no BPF program is attached',
      'attach: ENOENT: fentry_test has no program test9; its programs are test1, test2, test3, test4, test5, test6, test7, test8',
      'detach: ENOENT: no BPF program test9 is loaded; attached: fentry_test:test1',
      'detach: ENOENT: no BPF program test2 is loaded; attached: fentry_test:test1',
      'attach: EBUSY: fentry_test:test1 already attached',
      'attach: ENOENT: fentry_test:test2 is not loaded: the first attach of fentry_test loaded test1, and an object is loaded once per session',
      "attach: EBUSY: fexit_test has maps and fentry_test already holds the kernel's map addresses (the model maps one object's maps per kernel); start another tramp64 tracefs for fixtures/bpf/fexit_test.bpf.o",
      'attach: usage: attach OBJ [PROG...]',
      'globals: ENOENT: no BPF object fexit_test is loaded; loaded: fentry_test',
    ]);
    const enabled = [
      'bpf_fentry_test1 (1)     D   M \ttramp: ftrace_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)',
      `\tdirect-->${trampolineName('tailcall', 'bpf_fentry_test1')}+0x0/SIZE [bpf]`,
    ];
    // The failed attach of test1 test9 loaded nothing: enabled_functions stayed empty until the good one.
    expect(normalise(r.lines).lines).toEqual([
      attachedLine(1),
      ...enabled,
      ...enabled,
      'bpf_fentry_test1(1) = 2',
      `fentry_test (${OBJ}):`,
      '  .bss     test1_result = 1',
      ...[2, 3, 4, 5, 6, 7, 8].map((i) => `  .bss     test${i}_result = 0`),
    ]);
  });
});

// The Debian corpora, fetched once by the first test that needs them (tests/helpers/corpus.ts).
beforeAll(async () => {
  await fetchCorpus('6.1');
  await fetchCorpus('6.12');
}, CORPUS_FETCH_TIMEOUT);

test('--series 6.1 --strategy tailcall --module: module sites join the strategy kernel, BPF beside them', () => {
  const r = tracefs(
    [
      'echo :mod:vsock_diag > set_ftrace_filter',
      'echo function > current_tracer',
      `attach ${OBJ} test1`,
      'cat enabled_functions',
      'call bpf_fentry_test1 1',
      'globals',
    ],
    '--series',
    '6.1',
    '--strategy',
    'tailcall',
    '--module',
    'vsock_diag',
    '--layout',
    'nokaslr',
  );
  expect(r.err).toEqual([]);
  const l = normalise(r.lines).lines;
  // v6.1 columns (R I D); kernel records first, then the module's, as ftrace keeps its pages.
  expect(l.slice(0, 3)).toEqual([
    attachedLine(1),
    'bpf_fentry_test1 (1)     D\ttramp: ftrace_caller+0x0/SIZE (call_direct_funcs+0x0/SIZE)',
    `\tdirect-->${trampolineName('tailcall', 'bpf_fentry_test1')}+0x0/SIZE [bpf]`,
  ]);
  const mod = l.slice(3, -10);
  expect(mod.length).toBeGreaterThan(0);
  for (const x of mod) expect(x).toMatch(/^\S+ \[vsock_diag\] \(1\) {6}$/);
  expect(l.slice(-10, -7)).toEqual([
    'bpf_fentry_test1(1) = 2',
    `fentry_test (${OBJ}):`,
    '  .bss     test1_result = 1',
  ]);
});

test("--series 6.12 --strategy ops --module: CALL_OPS modules on a '=2' strategy's kernel are refused", () => {
  const r = tracefs(
    ['cat enabled_functions'],
    '--series',
    '6.12',
    '--strategy',
    'ops',
    '--module',
    'vsock_diag',
  );
  expect(r.status).toBe(2);
  expect(r.err).toEqual([
    "tramp64: the 6.12 corpus module vsock_diag has '=4,2' call sites (init_module); strategy ops runs on '=2' ones: use --series 6.1 for its modules, or --strategy callops",
  ]);
  expect(r.out).toBe('');
});
