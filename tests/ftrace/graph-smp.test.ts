/**
 * Return hooks under concurrency: 3–4 emulated CPUs run worker loops (workload_entry → workload_middle →
 * bpf_fentry_test1, and bpf_fentry_test2) while a control CPU registers and removes transient return hooks
 * one ftrace write at a time (step mode), with the strict I-cache rule, the CMODX checker and timer
 * interrupts on, under the seeded random scheduler. Hooks are removed while returns they hooked are still
 * pending on other CPUs, and removed hooks' fgraph_ops are reused as soon as the rules allow (the last test
 * checks that both happened in these runs).
 *
 * Asserted: no fault (no "Bad frame pointer" brk, no poisoned-memory access), no CMODX report, memory equal
 * to the state machine at the end, every worker's loop completed, a hook registered over the whole window
 * saw exactly one exit per call of its function with the right return value count, every transient hook
 * saw no more exits than entries, and every task's return stack is empty at the end.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  attachFtrace,
  controlLoop,
  workerLoop,
  type CallerDispatch,
  type FrameKind,
} from '../../src/ftrace/index.js';
import {
  countingEntryCallback,
  countingExitCallback,
  functionGraph,
  registerReturnHook,
  unregisterReturnHook,
  type CallbackCounter,
  type ReturnHook,
} from '../../src/ftrace/graph/index.js';
import { createTestKernel, testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';
import { Rng } from '../../src/util/rng.js';

const FUNCS = ['workload_entry', 'workload_middle', 'bpf_fentry_test1', 'bpf_fentry_test2'] as const;
const CONFIGS: [TestKernelVariant, FrameKind, CallerDispatch, number][] = [
  ['gcc-pfe42', 'args', 'callops', 4],
  ['clang-bti-pfe42', 'regs', 'callops', 3],
  ['gcc-pfe2', 'args', 'global', 3],
];

/** Over all runs: returns that were pending when their hook went (entries without exits), reused fgraph_ops. */
const seen = { pendingSkipped: 0n, reusedGops: 0 };

/** One run; returns what went wrong (empty when nothing did). */
function run(o: {
  variant: TestKernelVariant;
  frame: FrameKind;
  dispatch: CallerDispatch;
  cpus: number;
  seed: number;
  reuseWithoutChecks?: boolean;
}): string[] {
  const { cpus, seed } = o;
  const tk = createTestKernel(readFileSync(testKernelFixture(o.variant)), {
    layout: { kind: 'kaslr', seed },
    machine: { cpus, cmodx: true, coherentIcache: false, timer: { period: 400, jitter: 150, seed }, seed },
  });
  const k = tk.kernel;
  const ft = attachFtrace(k, { frame: o.frame, dispatch: o.dispatch, sites: tk.callSites, mode: 'step' });
  const g = functionGraph(ft, o.reuseWithoutChecks ? { mutations: { reuseWithoutChecks: true } } : {});
  const persistent = countingExitCallback(k, 'persistent_exit');
  registerReturnHook(ft, { name: 'persistent', filter: 'bpf_fentry_test1', exit: persistent.func });
  expect(ft.drain()).toBe(false);

  const rng = new Rng(seed);
  const transient: { hook: ReturnHook; entry: CallbackCounter; exit: CallbackCounter }[] = [];
  const live: typeof transient = [];
  let left = 20;
  // Pace the actions by the workers' progress, so hooks come and go across the whole window.
  let nextAt = 0;
  const workerInsns = (): number => k.machine.cpus.slice(1).reduce((n, c) => n + c.insns, 0);
  const workersDone = (): boolean => k.machine.cpus.slice(1).every((c) => c.halted || c.stopRequested);
  ft.controlScript = (): boolean => {
    if (left <= 0) return false;
    if (workerInsns() < nextAt && !workersDone()) return true;
    nextAt = workerInsns() + 1500;
    left--;
    const remove = live.length > 0 && (live.length === 3 || rng.below(2) === 0);
    if (remove) {
      const [h] = live.splice(rng.below(live.length), 1);
      unregisterReturnHook(ft, h!.hook);
    }
    // Half the removals are replacements: a new hook at once, while the old one's returns are pending.
    if (!remove || rng.below(2) === 0) {
      const picked = FUNCS.filter(() => rng.below(2) === 1);
      const filter = (picked.length > 0 ? picked : [FUNCS[rng.below(FUNCS.length)]!]).join(' ');
      const n = transient.length;
      const entry = countingEntryCallback(k, `t_entry_${n}`);
      const exit = countingExitCallback(k, `t_exit_${n}`);
      const hook = registerReturnHook(ft, { name: `t${n}`, filter, entry: entry.func, exit: exit.func });
      transient.push({ hook, entry, exit });
      live.push({ hook, entry, exit });
    }
    return true;
  };

  const iterations = 150;
  const m = k.machine;
  const loops = {
    entry: workerLoop(k, 'worker_entry', tk.addr('workload_entry')),
    test2: workerLoop(k, 'worker_test2', tk.addr('bpf_fentry_test2')),
  };
  m.prepareCall(m.cpus[0]!, controlLoop(k), []);
  const workers: ('entry' | 'test2')[] = [];
  for (let i = 1; i < cpus; i++) {
    const w = i % 2 === 1 ? 'entry' : 'test2';
    workers.push(w);
    m.prepareCall(m.cpus[i]!, loops[w], [BigInt(iterations)]);
  }
  m.runAll({ mode: 'random', seed, quantum: 40, maxInstructions: 30_000_000 });

  const problems = m.cpus.filter((c) => c.fault).map((c) => `CPU ${c.id}: ${c.fault!.message}`);
  if (problems.length > 0) return problems;
  for (let i = 1; i < cpus; i++)
    if (m.cpus[i]!.x(0) !== BigInt(iterations)) problems.push(`CPU ${i} returned ${m.cpus[i]!.x(0)}`);
  ft.controlScript = undefined;
  ft.drain();
  k.rcu.poll();
  problems.push(...m.icache.reports.map((r) => r.message), ...ft.verify());
  const calls = BigInt(workers.filter((w) => w === 'entry').length * iterations);
  if (persistent.count() !== calls)
    problems.push(`persistent hook: ${persistent.count()} exits, ${calls} calls`);
  for (const t of transient)
    if (t.exit.count() > t.entry.count())
      problems.push(`${t.hook.name}: ${t.exit.count()} exits > ${t.entry.count()} entries`);
  for (let c = 0; c < cpus; c++)
    if (g.retStack(c).length > 0) problems.push(`CPU ${c}: ${g.retStack(c).length} entries left`);
  // Not problems, but the run must not be vacuous: hooks came and went, and some of them saw returns.
  expect(transient.length).toBeGreaterThan(3);
  expect(transient.some((t) => t.exit.count() > 0n)).toBe(true);
  for (const t of transient) seen.pendingSkipped += t.entry.count() - t.exit.count();
  seen.reusedGops += transient.length - new Set(transient.map((t) => t.hook.gops)).size;
  return problems;
}

describe.each(CONFIGS)('%s frame %s dispatch %s on %d CPUs', (variant, frame, dispatch, cpus) => {
  it.each([1, 2, 3])(
    'seed %d: hooks come and go while returns are pending; nothing lost or corrupted',
    (seed) => {
      expect(run({ variant, frame, dispatch, cpus, seed })).toEqual([]);
    },
  );
});

it('the runs above removed hooks with returns pending, and reused retired fgraph_ops', () => {
  expect(seen.pendingSkipped).toBeGreaterThan(0n);
  expect(seen.reusedGops).toBeGreaterThan(0);
});

it('mutation control: reusing an fgraph_ops while returns still refer to it is noticed', () => {
  const found = [1, 2, 3, 4].flatMap((seed) =>
    run({
      variant: 'gcc-pfe42',
      frame: 'args',
      dispatch: 'callops',
      cpus: 4,
      seed,
      reuseWithoutChecks: true,
    }),
  );
  expect(found.length).toBeGreaterThan(0);
});
