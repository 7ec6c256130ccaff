/**
 * Live patching under concurrency: 2–4 emulated CPUs call traced test-kernel functions in A64 loops (with a
 * cond_resched() per iteration) while a control CPU applies ftrace updates one write at a time
 * (`hvc #HOSTCALL_FTRACE_STEP`), interleaved by the seeded random scheduler, with the strict I-cache rule
 * (no coherent fetch), the CMODX checker and timer interrupts on.
 *
 * Updates keep coming while the workers run (a few hundred per run). The harness asserts: zero CMODX
 * reports, no CPU fault, no protocol report, every site and ops in memory equal to the state machine at the
 * end, and no call lost for what was registered over the whole window — an ops on two functions (its
 * callback count equals the calls made) and a direct ops on a third (the sum of its trampolines' hits equals
 * the calls, across modify_ftrace_direct switches).
 *
 * Mutation controls: the same harness with the protocol broken must notice — BL before the literal (a
 * protocol report), no cache maintenance (CMODX reports), freeing a dynamic ops without a grace period (a
 * CPU faults on the poisoned ops under some seed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  attachFtrace,
  controlLoop,
  countingCallback,
  countingDirectTramp,
  OPS_FL,
  workerLoop,
  type CallerDispatch,
  type FrameKind,
  type FtraceMutations,
  type FtraceOps,
} from '../../src/ftrace/index.js';
import { createTestKernel, testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';
import { Rng } from '../../src/util/rng.js';

interface Run {
  faults: string[];
  cmodx: string[];
  protocol: string[];
  verify: string[];
  persistentOps: { counted: bigint; calls: bigint };
  persistentDirect: { counted: bigint; calls: bigint };
  actions: number;
  /** Share of the workers' instructions executed while the control CPU was still updating. */
  overlap: number;
  steps: number;
  instructions: number;
}

/** Workers call these; the persistent ops covers the first two, the persistent direct ops the third. */
const TARGETS = ['bpf_fentry_test1', 'bpf_fentry_test2', 'bpf_fentry_test3', 'bpf_fentry_test4'] as const;

function run(o: {
  seed: number;
  cpus: number;
  variant: TestKernelVariant;
  frame: FrameKind;
  dispatch: CallerDispatch;
  mutations?: FtraceMutations;
  iterations?: number;
  actions?: number;
}): Run {
  const tk = createTestKernel(readFileSync(testKernelFixture(o.variant)), {
    layout: { kind: 'kaslr', seed: o.seed },
    machine: {
      cpus: o.cpus,
      cmodx: true,
      coherentIcache: false,
      timer: { period: 400, jitter: 150, seed: o.seed },
      seed: o.seed,
    },
  });
  const k = tk.kernel;
  const ft = attachFtrace(k, {
    frame: o.frame,
    dispatch: o.dispatch,
    sites: tk.callSites,
    mode: 'step',
    ...(o.mutations ? { mutations: o.mutations } : {}),
  });
  const rng = new Rng(o.seed);
  // Registered over the whole window.
  const a = countingCallback(k, 'persistent_cb');
  const opsA = ft.newOps({ name: 'persistent_ops', func: a.func });
  ft.setFilter(opsA, 'bpf_fentry_test1 bpf_fentry_test2', { reset: true });
  ft.register(opsA);
  const t1 = countingDirectTramp(k, 'tramp1');
  const t2 = countingDirectTramp(k, 'tramp2', { where: 'image' });
  const d = ft.newOps({ name: 'persistent_direct' });
  ft.setFilter(d, 'bpf_fentry_test3', { reset: true });
  ft.registerDirect(d, t1.func);
  expect(ft.drain()).toBe(false);

  // The transient ops the script plays with.
  const b = countingCallback(k, 'transient_cb');
  const c = countingCallback(k, 'static_cb');
  let opsB: FtraceOps | undefined;
  let opsC: FtraceOps | undefined;
  let direct = t1.func;
  const subset = (): string => {
    const picked = TARGETS.filter(() => rng.below(2) === 1);
    return (picked.length > 0 ? picked : [TARGETS[rng.below(TARGETS.length)]!]).join(' ');
  };
  // Updates go on while any worker still runs (at least `minActions`, at most `maxActions`).
  const minActions = o.actions ?? 24;
  const maxActions = 4 * minActions + 200;
  let actions = 0;
  const workersRunning = (): boolean =>
    k.machine.cpus.slice(1).some((cpu) => !cpu.halted && !cpu.stopRequested);
  const workerInsns = (): number => k.machine.cpus.slice(1).reduce((n, cpu) => n + cpu.insns, 0);
  let workerInsnsAtStop = -1;
  ft.controlScript = (): boolean => {
    if (actions >= maxActions || (actions >= minActions && !workersRunning())) {
      if (workerInsnsAtStop < 0) workerInsnsAtStop = workerInsns();
      return false;
    }
    actions++;
    const pick = rng.below(6);
    if (pick <= 1) {
      if (opsB) {
        ft.unregister(opsB);
        opsB = undefined;
      } else {
        opsB = ft.newOps({ name: `dyn_ops_${actions}`, func: b.func, flags: OPS_FL.DYNAMIC });
        ft.setFilter(opsB, subset(), { reset: true });
        ft.register(opsB);
      }
    } else if (pick === 2) {
      if (opsC) {
        ft.unregister(opsC);
        opsC = undefined;
      } else {
        opsC ??= ft.newOps({ name: 'static_ops', func: c.func });
        ft.setFilter(opsC, subset(), { reset: true });
        ft.register(opsC);
      }
    } else if (pick === 3 && opsB) {
      ft.setFilter(opsB, subset(), { reset: true });
    } else {
      direct = direct === t1.func ? t2.func : t1.func;
      ft.modifyDirect(d, direct);
    }
    return true;
  };

  const iterations = o.iterations ?? 300;
  const workers: { cpu: number; target: string }[] = [];
  const loops = new Map(TARGETS.map((t) => [t, workerLoop(k, `worker_${t}`, tk.addr(t))]));
  const m = k.machine;
  m.prepareCall(m.cpus[0]!, controlLoop(k), []);
  for (let i = 1; i < o.cpus; i++) {
    const target = TARGETS[(i - 1 + o.seed) % TARGETS.length]!;
    workers.push({ cpu: i, target });
    m.prepareCall(m.cpus[i]!, loops.get(target)!, [BigInt(iterations)]);
  }
  m.runAll({ mode: 'random', seed: o.seed, quantum: 40, maxInstructions: 30_000_000 });

  const faults = m.cpus.filter((cpu) => cpu.fault).map((cpu) => `CPU ${cpu.id}: ${cpu.fault!.message}`);
  if (faults.length === 0) {
    // Every CPU returned: finish what is left (a grace period completes now that all are idle).
    for (const w of workers) expect(m.cpus[w.cpu]!.x(0)).toBe(BigInt(iterations));
    ft.controlScript = undefined;
    ft.drain();
    k.rcu.poll();
  }
  const callsTo = (names: readonly string[]): bigint =>
    BigInt(workers.filter((w) => names.includes(w.target)).length * iterations);
  return {
    faults,
    // Reports raised while running, plus text writes whose maintenance never completed by the end.
    cmodx: [
      ...m.icache.reports.map((r) => r.message),
      ...m.icache
        .openPatches()
        .map((p) => `0x${p.address.toString(16)} written by CPU ${p.cpu} without completed maintenance`),
    ],
    protocol: [...ft.reports],
    verify: faults.length === 0 ? ft.verify() : [],
    persistentOps: { counted: a.read(), calls: callsTo(['bpf_fentry_test1', 'bpf_fentry_test2']) },
    persistentDirect: { counted: t1.read() + t2.read(), calls: callsTo(['bpf_fentry_test3']) },
    actions,
    overlap: workerInsnsAtStop / workerInsns(),
    steps: ft.stepsApplied,
    instructions: m.cpus.reduce((n, cpu) => n + cpu.insns, 0),
  };
}

const CONFIGS: [TestKernelVariant, FrameKind, CallerDispatch, number][] = [
  ['gcc-pfe42', 'args', 'callops', 4],
  ['clang-bti-pfe42', 'args', 'callops', 3],
  ['gcc-pfe42', 'regs', 'callops', 2],
  ['gcc-pfe2', 'regs', 'global', 4],
  ['gcc-pfe2', 'args', 'global', 3],
];

describe.each(CONFIGS)('%s frame %s dispatch %s on %d CPUs', (variant, frame, dispatch, cpus) => {
  it.each([1, 2, 3, 4, 5])('seed %d: no CMODX report, no fault, no call lost', (seed) => {
    const r = run({ seed, cpus, variant, frame, dispatch });
    expect(r.faults).toEqual([]);
    expect(r.cmodx).toEqual([]);
    expect(r.protocol).toEqual([]);
    expect(r.verify).toEqual([]);
    expect(r.actions).toBeGreaterThanOrEqual(24);
    expect(r.overlap).toBeGreaterThan(0.25);
    expect(r.instructions).toBeGreaterThan(5000);
    expect(r.persistentOps.counted).toBe(r.persistentOps.calls);
    expect(r.persistentDirect.counted).toBe(r.persistentDirect.calls);
  });
});

describe('mutation controls: the harness notices a broken protocol', () => {
  it('writing the BL before the literal is a protocol report', () => {
    const r = run({
      seed: 1,
      cpus: 3,
      variant: 'gcc-pfe42',
      frame: 'args',
      dispatch: 'callops',
      mutations: { blBeforeLiteral: true },
    });
    expect(r.protocol.length).toBeGreaterThan(0);
    expect(r.protocol[0]).toMatch(/BL to 0x[0-9a-f]+ is live while the literal is not yet/);
  });

  it('skipping the cache maintenance is a CMODX report', () => {
    const r = run({
      seed: 1,
      cpus: 3,
      variant: 'gcc-pfe42',
      frame: 'args',
      dispatch: 'callops',
      mutations: { skipMaintenance: true },
    });
    expect(r.cmodx.length).toBeGreaterThan(0);
    expect(r.cmodx.join('\n')).toMatch(/without (DC CVAU|IC IVAU|DSB ISH|completed maintenance)/);
  });

  it('freeing a dynamic ops without a grace period faults a CPU under some seed', () => {
    const faulted: number[] = [];
    for (let seed = 1; seed <= 12 && faulted.length === 0; seed++) {
      const r = run({
        seed,
        cpus: 4,
        variant: 'gcc-pfe42',
        frame: 'args',
        dispatch: 'callops',
        mutations: { noGracePeriod: true },
        actions: 40,
      });
      if (r.faults.length > 0) {
        faulted.push(seed);
        expect(r.faults.join('\n')).toMatch(/0xdead000000000100|dead0000/);
      }
    }
    expect(faulted.length).toBe(1);
  });
});
