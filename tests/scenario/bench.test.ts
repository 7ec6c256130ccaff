/**
 * The trigger-benchmark runner on the test kernel: instruction counts are exactly linear in the number of
 * calls (the loop body and tramp64_trigger are straight-line per iteration), an attached stand-in
 * trampoline adds exactly its own instructions per call, and rates follow from the nominal clock.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createTestKernel, testKernelFixture, type TestKernel } from '../../src/kernel/testkernel.js';
import { NOMINAL_CLOCK_HZ, runTriggerBench, runTriggerLoop } from '../../src/scenario/bench.js';
import { attachStandIn } from './standin.js';

const make = (): TestKernel =>
  createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), { layout: { kind: 'nokaslr', seed: 9 } });

describe('trigger benchmark', () => {
  test('instructions are linear in calls; rates come from modelled cycles at the nominal clock', () => {
    const k = make();
    const a = runTriggerLoop(k, { calls: 100, warmup: 10 });
    const b = runTriggerLoop(k, { calls: 200, warmup: 10 });
    const perCall = (b.instructions - a.instructions) / 100;
    expect(Number.isInteger(perCall)).toBe(true);
    const c300 = runTriggerLoop(k, { calls: 300, warmup: 10 });
    expect(c300.instructions).toBe(a.instructions + 200 * perCall); // exactly linear
    const fixed = a.instructions - 100 * perCall; // loop set-up and return, the host-return HVC
    expect(fixed).toBeGreaterThan(0);
    expect(fixed).toBeLessThan(40);
    expect(a.callsPerSecond).toBeCloseTo((100 * NOMINAL_CLOCK_HZ) / a.cycles, 6);
    expect(a.hostMs).toBeUndefined();
    let t = 0;
    const c = runTriggerLoop(k, { calls: 10, clock: () => (t += 5) });
    expect(c.hostMs).toBe(5);
  });

  test('an attached stand-in adds exactly its instructions per call and lowers the rate', () => {
    const base = runTriggerLoop(make(), { calls: 50 });
    const k = make();
    const s = attachStandIn(k, 'tramp64_trigger', 1);
    const traced = runTriggerLoop(k, { calls: 50 });
    const added = s.counts.trampoline + s.counts.enter + s.counts.exit + s.counts.program;
    expect(traced.insnsPerCall - base.insnsPerCall).toBe(added);
    expect(traced.callsPerSecond).toBeLessThan(base.callsPerSecond);
  });

  test('runTriggerBench: base, scenarios on fresh kernels, ratios, failed attaches reported', () => {
    const progress: string[] = [];
    const r = runTriggerBench(
      make,
      [
        { name: 'stand-in fentry', attach: (k) => void attachStandIn(k, 'tramp64_trigger', 1) },
        { name: 'no such function', attach: (k) => void attachStandIn(k, 'no_such_function', 1) },
        { name: 'again', attach: (k) => void attachStandIn(k, 'tramp64_trigger', 1) },
      ],
      { calls: 40, warmup: 5, onProgress: (d, n, name) => progress.push(`${d}/${n} ${name}`) },
    );
    expect(progress).toEqual(['1/4 base', '2/4 stand-in fentry', '3/4 no such function', '4/4 again']);
    expect(r.rows[0]!.ratio).toBeLessThan(1);
    expect(r.rows[0]!.ratio).toBeCloseTo(r.rows[0]!.run!.callsPerSecond / r.base.callsPerSecond, 12);
    expect(r.rows[1]!.error).toMatch(/no_such_function has no ftrace call site/);
    // Fresh kernels: the same scenario twice gives the same numbers.
    expect(r.rows[2]!.run).toEqual(r.rows[0]!.run);
  });

  test('bad counts are typed errors', () => {
    expect(() => runTriggerLoop(make(), { calls: 0 })).toThrow(/calls must be an integer 1–1e9, got 0/);
    expect(() => runTriggerLoop(make(), { clockHz: 0 })).toThrow(/clockHz must be positive/);
  });
});
