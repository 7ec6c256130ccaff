/**
 * measureCall on the test kernels (all three call-site layouts), with nothing attached and with a
 * hand-written stand-in for a patch-site BPF trampoline (the real strategies are built elsewhere). The
 * oracles are independent of the measuring code: the instruction count of straight-line functions from
 * their disassembly, and the stand-in's own emitted instruction counts per stage.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decode } from '../../src/a64/index.js';
import {
  createTestKernel,
  TEST_KERNEL_VARIANTS,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../src/kernel/testkernel.js';
import { compareCalls, measureCall, measureTestKernelCall } from '../../src/scenario/measure.js';
import { STAGES } from '../../src/scenario/stages.js';
import { attachStandIn } from './standin.js';

const load = (v: TestKernelVariant): TestKernel =>
  createTestKernel(readFileSync(testKernelFixture(v)), { layout: { kind: 'nokaslr', seed: 3 } });

/** Words of a function as loaded. */
function words(tk: TestKernel, name: string): number[] {
  const sym = tk.symbols.get(name)!;
  const out: number[] = [];
  for (let a = sym.address; a < sym.address + sym.size; a += 4n) out.push(tk.kernel.machine.memory.read32(a));
  return out;
}

describe.each(TEST_KERNEL_VARIANTS)('measureCall on %s', (variant) => {
  test('untraced straight-line function: count from its disassembly, cycles add up, stages add up', () => {
    const tk = load(variant);
    const w = words(tk, 'bpf_fentry_test3');
    const classes = w.map((x) => decode(x)!.entry.cls);
    expect(classes.filter((c) => c.startsWith('branch') || c.startsWith('call'))).toEqual([]);
    expect(classes.at(-1)).toBe('ret');
    const m = measureTestKernelCall(tk, 'bpf_fentry_test3', [4n, 5n, 6n]);
    expect(m.result).toBe(15n);
    expect(m.instructions).toBe(w.length + 1); // + the host-return HVC
    expect(m.trace).toHaveLength(m.instructions);
    expect(m.trace!.reduce((n, e) => n + e.cycles, 0)).toBe(m.cycles);
    expect(STAGES.reduce((n, s) => n + m.stages.instructions[s], 0)).toBe(m.instructions);
    expect(STAGES.reduce((n, s) => n + m.stages.cycles[s], 0)).toBe(m.cycles);
    expect(m.stages.instructions['patch site']).toBe(2);
    expect(m.stages.instructions.other).toBe(1);
    expect(m.stages.instructions.function).toBe(w.length - 2);
    expect(m.argSaves).toBe(0);
    expect(m.function).toBe('bpf_fentry_test3+0x0');
  });

  test('callees of the traced function are "function"; a traced callee keeps its trampoline stage', () => {
    const tk = load(variant);
    const base = measureTestKernelCall(tk, 'workload_entry', [3n]);
    expect(base.stages.instructions.other).toBe(1);
    expect(base.stages.instructions['patch site']).toBe(6); // three functions, two words each
    expect(base.stages.instructions.function + base.stages.instructions['patch site'] + 1).toBe(
      base.instructions,
    );
    const s = attachStandIn(tk, 'bpf_fentry_test1', 1);
    const traced = measureTestKernelCall(tk, 'workload_entry', [3n]);
    expect(traced.result).toBe(base.result);
    expect(traced.stages.instructions.trampoline).toBe(s.counts.trampoline);
    expect(traced.stages.instructions.program).toBe(s.counts.program);
    expect(traced.stages.instructions['enter/exit']).toBe(s.counts.enter + s.counts.exit);
    expect(traced.stages.instructions.other).toBe(1);
    // Without naming the callee's call site, its `bl` to the trampoline looks like a call from the
    // function that never returns (the trampoline enters the body with `ret x10`); the tracker must not
    // lose track of the outer calls because of it.
    const bare = measureCall(tk.kernel, tk.addr('workload_entry'), [3n], {
      ip: tk.callSite('workload_entry').ip,
    });
    expect(bare.stages.instructions.other).toBe(1);
    expect(bare.stages.instructions.trampoline).toBe(s.counts.trampoline);
  });

  test('traced − untraced with the stand-in: exact deltas per stage, one save of the argument set', () => {
    const tk = load(variant);
    const args = [4n, 5n, 6n];
    const base = measureTestKernelCall(tk, 'bpf_fentry_test3', args);
    const s = attachStandIn(tk, 'bpf_fentry_test3', 3);
    const traced = measureTestKernelCall(tk, 'bpf_fentry_test3', args);
    const d = compareCalls(base, traced);
    expect(d.sameResult).toBe(true);
    const extra = s.counts.trampoline + s.counts.enter + s.counts.exit + s.counts.program;
    expect(d.instructions).toBe(extra);
    expect(d.stages.instructions).toEqual({
      'patch site': 0,
      ftrace_caller: 0,
      'op iteration': 0,
      trampoline: s.counts.trampoline,
      'enter/exit': s.counts.enter + s.counts.exit,
      program: s.counts.program,
      function: 0,
      other: 0,
    });
    expect(traced.argStoreCounts).toEqual([1, 1, 1]);
    expect(d.argSaves).toBe(1);
    expect(traced.argStores.every((x) => x.where === 'trampoline')).toBe(true);
    // The cycle delta is the cycles of the added instructions plus any prediction changes on shared ones.
    expect(d.cycles).toBe(traced.cycles - base.cycles);
    expect(d.cycles).toBeGreaterThanOrEqual(extra);
  });

  test('explicit ranges win over symbols (e.g. a module ftrace PLT veneer)', () => {
    const tk = load(variant);
    const s = attachStandIn(tk, 'bpf_fentry_test1', 1);
    const m = measureTestKernelCall(tk, 'bpf_fentry_test1', [1n], {
      ranges: [{ start: s.tramp, size: s.trampSize, stage: 'patch site' }],
      trace: false,
    });
    expect(m.trace).toBeUndefined();
    expect(m.stages.instructions.trampoline).toBe(0);
    expect(m.stages.instructions['patch site']).toBe(2 + s.counts.trampoline);
  });
});

describe('measureCall input checks', () => {
  test('too many arguments, a bad nargs, a missing CPU and a different function are typed errors', () => {
    const tk = load('gcc-pfe2');
    const f = tk.addr('bpf_fentry_test1');
    expect(() => measureCall(tk.kernel, f, new Array(9).fill(0n))).toThrow(/at most 8 travel in registers/);
    expect(() => measureCall(tk.kernel, f, [1n], { nargs: 9 })).toThrow(/nargs must be 0-8/);
    expect(() => measureCall(tk.kernel, f, [1n], { cpu: 3 })).toThrow(/no CPU 3/);
    const a = measureTestKernelCall(tk, 'bpf_fentry_test1', [1n]);
    const b = measureTestKernelCall(tk, 'bpf_fentry_test2', [1n, 2n]);
    expect(() => compareCalls(a, b)).toThrow(/compare the same function/);
  });

  test('the same call measured twice after warm-up gives the same numbers (reproducible)', () => {
    const tk = load('gcc-pfe42');
    const a = measureTestKernelCall(tk, 'fnv1a_hash', [0n, 0n]);
    const b = measureTestKernelCall(tk, 'fnv1a_hash', [0n, 0n]);
    expect([b.instructions, b.cycles, b.result]).toEqual([a.instructions, a.cycles, a.result]);
  });
});
