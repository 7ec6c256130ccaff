/**
 * The strategy semantics suite (STYLE principle 11: one behaviour suite, many implementations): every
 * registered strategy × frame {regs, args} × {BTI+PAC on, off} × {1, 2 CPUs} runs the BPF selftests'
 * tracing checks through `testRun` (src/trampoline/strategies/testrun.ts), on the layout where every
 * strategy can attach (nokaslr):
 *
 *   fentry_test     each fentry program saw the arguments of bpf_fentry_test1..8 (test*_result = 1)
 *   fexit_test      each fexit program saw the arguments and the return values 2, 5, 15, 34, 65, 111, 0, 0
 *   modify_return   fentry → fmod_ret → fexit in that order (a shared sequence counter); fmod_ret returning 0
 *                   lets the original run (side_effect 1, ret 4), returning −EINVAL skips it (side_effect 0,
 *                   ret −EINVAL) and fexit sees −EINVAL
 *   trampoline_count 38 links on one function, the 39th refused with E2BIG and nothing changed; one call then
 *                   runs all 38 programs
 *   get_func_ip     bpf_get_func_ip from fentry, fexit and fmod_ret = the traced function's address
 *
 * The oracle is the selftests' expectations (net/bpf/test_run.c's calls and the programs' own checks) and the
 * untraced functions' return values; every result global starts at 0, so a program that did not run fails.
 * With 2 CPUs the calls alternate CPU 1, CPU 0, … (the first call on the CPU that did not attach).
 *
 * A second block runs fexit_test under KASLR seeds 1–3 for every strategy: where attach succeeds the results
 * are the same; the only refusal allowed is patchsite's ENOTSUPP (trampoline out of BL range), stated per program.
 *
 * A strategy joins the suite by being registered in src/trampoline/strategies/index.ts (STRATEGIES).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadBpfObject, type BpfObject } from '../../src/bpf/index.js';
import { jitProgram } from '../../src/bpf/jit/index.js';
import type { FrameKind } from '../../src/ftrace/arch/abi.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { trampProgOf } from '../../src/trampoline/bpf.js';
import type { TrampKind, TrampLink } from '../../src/trampoline/generator.js';
import {
  createTracingKernel,
  STRATEGIES,
  STRATEGY_NAMES,
  testKernelVariantFor,
  type Strategy,
  type TracingKernel,
} from '../../src/trampoline/strategies/index.js';
import {
  attachObject,
  FENTRY_TEST_CALLS,
  readGlobals,
  runFentryCalls,
  runModifyReturn,
  testRun,
  type TestRunResult,
} from '../../src/trampoline/strategies/testrun.js';
import { KernelError } from '../../src/util/errors.js';

const EINVAL = 22;
const BPF_MAX_TRAMP_LINKS = 38;

const object = (name: string): BpfObject =>
  loadBpfObject(new Uint8Array(readFileSync(`fixtures/bpf/${name}.bpf.o`)));
const OBJ = {
  fentry: object('fentry_test'),
  fexit: object('fexit_test'),
  modify: object('modify_return'),
  funcIp: object('get_func_ip_test'),
};

interface Config {
  readonly strategy: Strategy;
  readonly frame: FrameKind;
  /** BTI and PAC both on (the clang BTI test kernel for '=4,2' strategies) or both off. */
  readonly sec: boolean;
  readonly cpus: 1 | 2;
}

const CONFIGS: Config[] = STRATEGIES.flatMap((strategy) =>
  (['regs', 'args'] as const).flatMap((frame) =>
    [true, false].flatMap((sec) => ([1, 2] as const).map((cpus) => ({ strategy, frame, sec, cpus }))),
  ),
);

const label = (c: Config): string =>
  `${c.strategy.name} frame=${c.frame} bti+pac=${c.sec ? 'on' : 'off'} cpus=${c.cpus}`;

const fixtureCache = new Map<string, Uint8Array>();
function kernelFor(c: Config): TracingKernel {
  const variant = testKernelVariantFor(c.strategy, { bti: c.sec });
  let bytes = fixtureCache.get(variant);
  if (!bytes) fixtureCache.set(variant, (bytes = new Uint8Array(readFileSync(testKernelFixture(variant)))));
  return createTracingKernel(bytes, {
    strategy: c.strategy,
    frame: c.frame,
    bti: c.sec,
    pac: c.sec,
    cpus: c.cpus,
    layout: { kind: 'nokaslr', seed: 1 },
  });
}

const cpusOf = (c: Config): number[] => (c.cpus === 2 ? [1, 0] : [0]);

function globals(r: Pick<TestRunResult, 'globals'>): Record<string, bigint | undefined> {
  return Object.fromEntries(r.globals.map((g) => [g.name, g.value]));
}

function expectAllAttached(r: Pick<TestRunResult, 'programs'>): void {
  expect(
    r.programs.map((p) => [p.name, p.outcome.state === 'attached' ? 'attached' : p.outcome.message]),
  ).toEqual(r.programs.map((p) => [p.name, 'attached']));
}

const RESULTS = Object.fromEntries(FENTRY_TEST_CALLS.map((_, i) => [`test${i + 1}_result`, 1n]));

test('every strategy of the SPEC table is registered (and so runs this suite)', () => {
  expect(STRATEGIES.map((s) => s.name).sort()).toEqual([...STRATEGY_NAMES].sort());
});

describe.each(CONFIGS.map((c) => [label(c), c] as const))('%s', (_name, c) => {
  test('fentry sees the arguments of bpf_fentry_test1..8; detached, the programs no longer run', () => {
    const tk = kernelFor(c);
    const sites = tk.tk.callSites.map((s) => tk.kernel.machine.memory.read32(s.ip));
    const r = testRun(tk, OBJ.fentry, { cpus: cpusOf(c) });
    expectAllAttached(r);
    expect(r.calls.map((x) => [x.text, x.ret])).toEqual(FENTRY_TEST_CALLS.map((x) => [x.text, x.expect]));
    expect(r.calls.map((x) => x.cpu)).toEqual(FENTRY_TEST_CALLS.map((_, i) => cpusOf(c)[i % c.cpus]));
    expect(globals(r)).toEqual(RESULTS);

    // Detach everything: the sites are back to what ftrace_init_nop left, and the programs no longer run.
    r.detach();
    for (const p of r.programs) expect(tk.strategy.attachment(tk, p.target).links).toEqual([]);
    expect(tk.tk.callSites.map((s) => tk.kernel.machine.memory.read32(s.ip))).toEqual(sites);
    for (const g of r.globals) tk.kernel.machine.memory.write64(r.loaded!.global(g.name), 0n, 0);
    expect(runFentryCalls(tk, cpusOf(c)).map((x) => x.ret)).toEqual(FENTRY_TEST_CALLS.map((x) => x.expect));
    expect(Object.values(globals({ globals: readGlobals(tk, r.loaded!) }))).toEqual(
      FENTRY_TEST_CALLS.map(() => 0n),
    );
  });

  test('fexit sees the arguments and the return values 2, 5, 15, 34, 65, 111, 0, 0', () => {
    const tk = kernelFor(c);
    const r = testRun(tk, OBJ.fexit, { cpus: cpusOf(c) });
    expectAllAttached(r);
    expect(r.calls.map((x) => x.ret)).toEqual([2n, 5n, 15n, 34n, 65n, 111n, 0n, 0n]);
    expect(globals(r)).toEqual(RESULTS);
  });

  test('modify_return, fmod_ret returning 0: fentry → fmod_ret → original → fexit (side_effect 1, ret 4)', () => {
    const tk = kernelFor(c);
    const r = testRun(tk, OBJ.modify, { cpus: cpusOf(c), set: new Map([['input_retval', 0n]]) });
    expectAllAttached(r);
    expect(r.modifyReturn).toMatchObject({ sideEffect: 1, ret: 4, retval: (1 << 16) | 4 });
    expect(globals(r)).toEqual({
      input_retval: 0n,
      sequence: 3n,
      fentry_result: 1n,
      fmod_ret_result: 1n,
      fexit_result: 1n,
    });
  });

  test('modify_return, fmod_ret returning -EINVAL: the original is skipped (side_effect 0, ret -EINVAL)', () => {
    const tk = kernelFor(c);
    const r = testRun(tk, OBJ.modify, { cpus: cpusOf(c), set: new Map([['input_retval', -22n]]) });
    expectAllAttached(r);
    const m = r.modifyReturn!;
    expect([m.sideEffect, m.ret]).toEqual([0, -EINVAL]);
    // The selftest's reading: UPPER(retval) = side_effect, (s16) LOWER(retval) = ret.
    expect([m.retval >>> 16, (m.retval << 16) >> 16]).toEqual([0xffff, -EINVAL]);
    expect(globals(r)).toEqual({
      input_retval: -22n,
      sequence: 3n,
      fentry_result: 1n,
      fmod_ret_result: 1n,
      fexit_result: 1n,
    });
  });

  test('trampoline_count: 38 links on one function, the 39th is E2BIG and changes nothing', () => {
    const tk = kernelFor(c);
    const att = attachObject(tk, OBJ.modify, { set: new Map([['input_retval', 0n]]) });
    expect(att.programs.map((p) => p.outcome.state)).toEqual(['attached', 'attached', 'attached']);
    const loaded = att.loaded!;
    const fa = tk.strategy.attachment(tk, 'bpf_modify_return_test');
    // Each further link is its own JITed program (a struct bpf_prog of its own), sharing the object's maps.
    const extra = (i: number): TrampLink => {
      const lp = loaded.programs[i % 3]!;
      const image = jitProgram(tk.kernel, lp.prog.insns, {
        name: `${lp.prog.name}_${i}`,
        attachType: lp.prog.attachType,
        resolveLdImm64: loaded.maps.resolveLdImm64,
      });
      return {
        prog: trampProgOf(tk.kernel, image, lp.prog),
        kind: lp.prog.attachType as TrampKind,
        cookie: 0n,
      };
    };
    for (let i = 3; i < BPF_MAX_TRAMP_LINKS; i++) fa.link(extra(i));
    expect(fa.links).toHaveLength(BPF_MAX_TRAMP_LINKS);
    const site = tk.tk.callSite('bpf_modify_return_test');
    const mem = tk.kernel.machine.memory;
    const before = { bl: mem.read32(site.ip), lit: site.literal && mem.read64(site.literal) };
    let err: unknown;
    try {
      fa.link(extra(BPF_MAX_TRAMP_LINKS));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).errno).toBe('E2BIG');
    expect(fa.links).toHaveLength(BPF_MAX_TRAMP_LINKS);
    expect({ bl: mem.read32(site.ip), lit: site.literal && mem.read64(site.literal) }).toEqual(before);
    // One call runs every program once: 13 fentry, 13 fmod_ret (all returning 0), 12 fexit.
    const m = runModifyReturn(tk, cpusOf(c)[0]);
    expect([m.sideEffect, m.ret]).toEqual([1, 4]);
    expect(globals({ globals: readGlobals(tk, loaded) }).sequence).toBe(BigInt(BPF_MAX_TRAMP_LINKS));
  });

  test('bpf_get_func_ip from fentry, fexit and fmod_ret is the traced function address', () => {
    const tk = kernelFor(c);
    const test1 = tk.tk.addr('bpf_fentry_test1');
    const modify = tk.tk.addr('bpf_modify_return_test');
    const r = testRun(tk, OBJ.funcIp, {
      cpus: cpusOf(c),
      set: new Map([
        ['expected_test1', test1],
        ['expected_modify', modify],
      ]),
    });
    expectAllAttached(r);
    expect(globals(r)).toEqual({
      expected_test1: test1,
      expected_modify: modify,
      test1_ip: test1,
      test1_result: 1n,
      test2_result: 1n,
      test3_result: 1n,
    });
    // The function address, not the BL slot ftrace reports as rec->ip.
    expect(test1).not.toBe(tk.tk.callSite('bpf_fentry_test1').ip);
  });
});

/**
 * Under KASLR the same test run, per strategy and seed: where attach succeeds the results are the same as
 * above; where it does not, the only refusal allowed is patchsite's ENOTSUPP (its trampoline out of BL range
 * of the site, with no fallback through ftrace_caller), and the refused programs' results stay 0.
 */
describe.each(
  STRATEGIES.flatMap((s) => [1, 2, 3].map((seed) => [`${s.name} kaslr seed ${seed}`, s, seed] as const)),
)('%s', (_name, strategy, seed) => {
  test('fexit_test: every attached program sees arguments and return values; refusals are ENOTSUPP', () => {
    const bytes = new Uint8Array(readFileSync(testKernelFixture(testKernelVariantFor(strategy))));
    const tk = createTracingKernel(bytes, { strategy, layout: { kind: 'kaslr', seed } });
    const r = testRun(tk, OBJ.fexit);
    expect(r.layout).toEqual({ kind: 'kaslr', seed });
    expect(r.calls.map((x) => x.ret)).toEqual([2n, 5n, 15n, 34n, 65n, 111n, 0n, 0n]);
    const g = globals(r);
    for (const [i, p] of r.programs.entries()) {
      if (p.outcome.state === 'attached') expect(g[`test${i + 1}_result`], p.name).toBe(1n);
      else {
        expect([strategy.name, p.outcome.errno]).toEqual(['patchsite', 'ENOTSUPP']);
        expect(p.outcome.message).toMatch(/out of BL range/);
        expect(g[`test${i + 1}_result`], p.name).toBe(0n);
      }
    }
    if (strategy.name !== 'patchsite') expectAllAttached(r);
  });
});
