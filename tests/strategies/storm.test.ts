/**
 * Attach/detach storms (issue 10 acceptance: zero CMODX reports on 2–4 CPUs for every strategy): worker CPUs
 * call traced test-kernel functions in A64 loops (`cond_resched()` per iteration) while CPU 0 — a control
 * loop calling `hvc #HOSTCALL_FTRACE_STEP` — links and unlinks BPF programs through the strategy, one
 * ftrace write per step, interleaved by the seeded random scheduler, with the strict I-cache rule, the CMODX
 * checker and timer interrupts on (ftrace in step mode).
 *
 * Another ftrace op comes and goes on some of the targets too, so sites also switch between the
 * strategy's own path and the shared one. Odd seeds run with BTI and PAC and the strategy's default frame,
 * even seeds without them and with the other frame; patchsite runs on nokaslr (where it can attach).
 *
 * Each run asserts: no CPU fault, zero CMODX reports and no text write left without maintenance, the
 * in-memory ftrace state equal to the state machine at the end, and no call lost by a program attached over
 * the whole window (its hit count equals the calls made, across every image switch); then everything is
 * detached and every site is a NOP again, every image freed after its grace periods.
 *
 * The programs are JIT-shaped stand-ins (tests/trampoline/helpers.ts) that count their hits atomically, so a
 * count is exact however the CPUs interleave.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controlLoop, countingCallback, OPS_FL, workerLoop, type FtraceOps } from '../../src/ftrace/index.js';
import { NOP } from '../../src/kernel/callsites.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import type { TrampLink } from '../../src/trampoline/generator.js';
import {
  createTracingKernel,
  STRATEGIES,
  testKernelVariantFor,
  TrampolineAttachment,
  type Strategy,
} from '../../src/trampoline/strategies/index.js';
import { Rng } from '../../src/util/rng.js';
import { seqCounter, tracer, type Tracer } from '../trampoline/helpers.js';

const TARGETS = ['bpf_fentry_test1', 'bpf_fentry_test2', 'bpf_fentry_test3'] as const;

interface StormResult {
  faults: string[];
  cmodx: string[];
  verify: string[];
  persistent: { hits: bigint; calls: bigint };
  actions: number;
  /** Attachment changes started while a worker was still calling. */
  actionsWhileRunning: number;
  linksMade: number;
  /** Times another ftrace op was registered during the storm. */
  othersMade: number;
  after: { sites: number[]; liveImages: number; waiting: string[] };
}

function storm(
  strategy: Strategy,
  cpus: number,
  seed: number,
  /**
   * Mutation controls: 'at-once' retires the old image as soon as `retarget` returns (its writes still
   * queued); 'no-ipi' waits for the writes but leaves out the IPI before retiring.
   */
  mutation?: 'at-once' | 'no-ipi',
): StormResult {
  const bti = seed % 2 === 1;
  const layout = strategy.name === 'patchsite' || seed % 3 === 0 ? 'nokaslr' : 'kaslr';
  // Even seeds run the frame the strategy does not default to.
  const frame = seed % 2 === 1 ? strategy.defaultFrame : strategy.defaultFrame === 'regs' ? 'args' : 'regs';
  const t = createTracingKernel(
    new Uint8Array(readFileSync(testKernelFixture(testKernelVariantFor(strategy, { bti })))),
    {
      strategy,
      layout: { kind: layout, seed },
      frame,
      bti,
      pac: bti,
      cpus,
      seed,
      timer: { period: 400, jitter: 150, seed },
      mode: 'step',
    },
  );
  const k = t.kernel;
  const m = k.machine;
  const ft = t.ftrace;
  const rng = new Rng(seed);
  const seq = seqCounter(k);

  if (mutation)
    for (const f of TARGETS) {
      const target = (strategy.attachment(t, f) as TrampolineAttachment).target as {
        afterRetarget?: (fn: () => void) => void;
      };
      target.afterRetarget =
        mutation === 'at-once' ? undefined : (fn) => ft.whenApplied(`${f}: retire (no IPI)`, fn);
    }
  // Attached over the whole window: fentry on the first target.
  const persistent = tracer(k, 'persistent_fentry', seq);
  const persistentLink: TrampLink = { prog: persistent.prog, kind: 'fentry', cookie: 0n };
  strategy.attachment(t, TARGETS[0]).link(persistentLink);
  expect(ft.drain()).toBe(false);

  // The pool the control script links and unlinks: an fentry and an fexit program per target.
  const pool: { func: string; link: TrampLink; tracer: Tracer }[] = [];
  for (const func of TARGETS)
    for (const kind of ['fentry', 'fexit'] as const) {
      const tr = tracer(k, `${kind}_${func}`, seq);
      pool.push({ func, link: { prog: tr.prog, kind, cookie: 0n }, tracer: tr });
    }
  const linked = new Set<number>();
  const otherCb = countingCallback(k, 'other_cb');
  let other: FtraceOps | undefined;
  let othersMade = 0;
  let actions = 0;
  let actionsWhileRunning = 0;
  let linksMade = 0;
  const minActions = 30;
  const maxActions = 4000;
  const workersRunning = (): boolean => m.cpus.slice(1).some((c) => !c.halted && !c.stopRequested);
  ft.controlScript = (): boolean => {
    if (actions >= maxActions || (actions >= minActions && !workersRunning())) {
      return false;
    }
    // Pace the storm over the workers' run: some turns of the control loop change nothing.
    if (rng.below(3) !== 0) return true;
    actions++;
    if (workersRunning()) actionsWhileRunning++;
    const i = rng.below(pool.length + 1);
    if (i === pool.length) {
      // Another ftrace op comes or goes on some targets: sites switch between the strategy's own path and
      // the shared one (list function, then the trampoline) while programs are called.
      if (other) {
        ft.unregister(other);
        other = undefined;
      } else {
        other = ft.newOps({ name: `other_ops_${actions}`, func: otherCb.func, flags: OPS_FL.DYNAMIC });
        const picked = TARGETS.filter(() => rng.below(2) === 1);
        ft.setFilter(other, (picked.length > 0 ? picked : [TARGETS[0]]).join(' '), { reset: true });
        ft.register(other);
        othersMade++;
      }
      return true;
    }
    const p = pool[i]!;
    const a = strategy.attachment(t, p.func);
    if (linked.has(i)) {
      a.unlink(p.link);
      linked.delete(i);
    } else {
      a.link(p.link);
      linked.add(i);
      linksMade++;
    }
    return true;
  };

  const iterations = 150;
  const workers: string[] = [];
  m.prepareCall(m.cpus[0]!, controlLoop(k), []);
  for (let c = 1; c < cpus; c++) {
    const func = c === 1 ? TARGETS[0] : TARGETS[(c - 1 + seed) % TARGETS.length]!;
    workers.push(func);
    m.prepareCall(m.cpus[c]!, workerLoop(k, `worker_${c}`, t.tk.addr(func)), [BigInt(iterations)]);
  }
  // A host call that throws (e.g. a release of an image in the wrong state) ends the run: a fault too.
  const faults: string[] = [];
  try {
    m.runAll({ mode: 'random', seed, quantum: 40, maxInstructions: 40_000_000 });
  } catch (e) {
    faults.push(`host: ${(e as Error).message}`);
  }
  faults.push(...m.cpus.filter((c) => c.fault).map((c) => `CPU ${c.id}: ${c.fault!.message}`));
  const cmodx = (): string[] => [
    ...m.icache.reports.map((r) => r.message),
    ...m.icache
      .openPatches()
      .map((p) => `0x${p.address.toString(16)} written by CPU ${p.cpu} without completed maintenance`),
  ];
  let verify: string[] = [];
  if (faults.length === 0) {
    for (let c = 1; c < cpus; c++) expect(m.cpus[c]!.x(0)).toBe(BigInt(iterations));
    ft.controlScript = undefined;
    expect(ft.drain()).toBe(false);
    k.rcu.poll();
    verify = ft.verify();
  }
  const calls = BigInt(workers.filter((f) => f === TARGETS[0]).length * iterations);
  const result: StormResult = {
    faults,
    cmodx: cmodx(),
    verify,
    persistent: { hits: persistent.read('HITS'), calls },
    actions,
    actionsWhileRunning,
    linksMade,
    othersMade,
    after: { sites: [], liveImages: 0, waiting: [] },
  };
  if (faults.length > 0) return result;

  // Detach everything (every CPU idle now: sync steps, grace periods complete at once).
  ft.mode = 'sync';
  for (const i of linked) strategy.attachment(t, pool[i]!.func).unlink(pool[i]!.link);
  if (other) ft.unregister(other);
  strategy.attachment(t, TARGETS[0]).unlink(persistentLink);
  expect(ft.drain()).toBe(false);
  k.rcu.poll();
  result.after = {
    sites: ft.records.map((r) => m.memory.read32(r.ip)).filter((w) => w !== NOP),
    liveImages: [...t.trampolines.images.values()].filter((img) => img.state !== 'freed').length,
    waiting: k.rcu.waiting(),
  };
  result.cmodx = cmodx();
  return result;
}

const RUNS: [number, number][] = [
  [2, 1],
  [3, 2],
  [4, 3],
  [2, 4],
];

describe.each(STRATEGIES.map((s) => [s.name, s] as const))('%s', (_n, strategy) => {
  it.each(RUNS)('%d CPUs, seed %d: no CMODX report, no fault, no call lost', (cpus, seed) => {
    const r = storm(strategy, cpus, seed);
    expect(r.faults).toEqual([]);
    expect(r.cmodx).toEqual([]);
    expect(r.verify).toEqual([]);
    expect(r.persistent.hits).toBe(r.persistent.calls);
    expect(r.after).toEqual({ sites: [], liveImages: 0, waiting: [] });
    // The storm really overlapped the calls: attachments changed while workers ran.
    expect(r.actions).toBeGreaterThanOrEqual(30);
    expect(r.linksMade).toBeGreaterThan(10);
    expect(r.othersMade).toBeGreaterThan(0);
    expect(r.actionsWhileRunning).toBeGreaterThanOrEqual(30);
  });
});

describe('mutation control', () => {
  it('retiring the old image before the queued site writes apply: a CPU runs freed trampoline code', () => {
    const patchsite = STRATEGIES.find((s) => s.name === 'patchsite')!;
    const faults = RUNS.flatMap(([cpus, seed]) => storm(patchsite, cpus, seed, 'at-once').faults);
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.join('\n')).toMatch(/TranslationFault|not a dying image/);
  });

  it('retiring after the writes but without the IPI: a CPU still fetches the old bl at the site', () => {
    const patchsite = STRATEGIES.find((s) => s.name === 'patchsite')!;
    const faults = RUNS.flatMap(([cpus, seed]) => storm(patchsite, cpus, seed, 'no-ipi').faults);
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.join('\n')).toMatch(/TranslationFault|not a dying image/);
  });
});
