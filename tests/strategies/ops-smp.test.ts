/**
 * The `ops` strategy beyond one call at a time:
 *
 *   - attach/detach storms: a control CPU links and unlinks fentry / fexit / fmod_ret programs on four
 *     functions one ftrace write at a time (step mode) while 1–3 other CPUs run worker loops through them,
 *     with the strict I-cache rule, the CMODX checker, timer interrupts and the seeded random scheduler.
 *     Asserted: no fault, no CMODX report, ftrace memory equal to its state machine, every loop complete, a
 *     persistent fentry program saw exactly one entry per call (the switch to new entry code is one 8-byte
 *     store, so no call runs two generations or none), transient fexit programs saw no more exits than
 *     calls, empty return stacks, and at the end no generated code left for functions without programs and
 *     no free still waiting for ftrace's queue;
 *   - a function shared with another ftrace op: both run exactly once per call, through the list function;
 *   - the unwinder from inside an fentry and an fexit program (what the stack shows, and which frame the
 *     `ops` strategy's fexit loses: the traced function has already returned when fexit runs).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FrameKind } from '../../src/ftrace/arch/abi.js';
import { controlLoop, workerLoop } from '../../src/ftrace/callbacks.js';
import { countingEntryCallback } from '../../src/ftrace/graph/callbacks.js';
import { functionGraph } from '../../src/ftrace/graph/graph.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { unwindCpu } from '../../src/kernel/unwind.js';
import type { TrampKind, TrampLink } from '../../src/trampoline/generator.js';
import { createTracingKernel } from '../../src/trampoline/strategies/kernel.js';
import { opsParkedFrees, opsStrategy } from '../../src/trampoline/strategies/ops.js';
import type { FunctionAttachment, TracingKernel } from '../../src/trampoline/strategies/types.js';
import { Rng } from '../../src/util/rng.js';
import { seqCounter, tracer, type Tracer } from '../trampoline/helpers.js';

const KERNEL = new Uint8Array(
  readFileSync(new URL(`../../${testKernelFixture('gcc-pfe2')}`, import.meta.url)),
);
const FUNCS = ['workload_entry', 'workload_middle', 'bpf_fentry_test1', 'bpf_fentry_test2'] as const;

function storm(o: { frame: FrameKind; cpus: number; seed: number }): string[] {
  const { cpus, seed } = o;
  const tk = createTracingKernel(KERNEL, {
    strategy: opsStrategy,
    frame: o.frame,
    cpus,
    seed,
    layout: { kind: 'kaslr', seed },
    timer: { period: 400, jitter: 150, seed },
    mode: 'step',
  });
  const k = tk.kernel;
  const ft = tk.ftrace;
  const seq = seqCounter(k);
  const persistent = tracer(k, 'persistent', seq);
  const att = (f: string): FunctionAttachment => opsStrategy.attachment(tk, f);
  att('bpf_fentry_test1').link({ prog: persistent.prog, kind: 'fentry', cookie: 0n });
  expect(ft.drain()).toBe(false);

  const pool: Tracer[] = Array.from({ length: 8 }, (_, i) => tracer(k, `storm${i}`, seq));
  const live: { func: string; link: TrampLink; t: Tracer }[] = [];
  const rng = new Rng(seed);
  let left = 24;
  let nextAt = 0;
  let changes = 0;
  const workerInsns = (): number => k.machine.cpus.slice(1).reduce((n, c) => n + c.insns, 0);
  const workersDone = (): boolean => k.machine.cpus.slice(1).every((c) => c.halted || c.stopRequested);
  ft.controlScript = (): boolean => {
    if (left <= 0) return false;
    if (workerInsns() < nextAt && !workersDone()) return true;
    nextAt = workerInsns() + 1200;
    left--;
    const free = pool.filter((t) => !live.some((l) => l.t === t));
    if (live.length > 0 && (free.length === 0 || rng.below(2) === 0)) {
      const [l] = live.splice(rng.below(live.length), 1);
      att(l!.func).unlink(l!.link);
    } else {
      const t = free[rng.below(free.length)]!;
      const func = FUNCS[rng.below(FUNCS.length)]!;
      // fmod_ret needs an error-injectable function, and the workers call none.
      const kinds: TrampKind[] = ['fentry', 'fexit'];
      const link: TrampLink = { prog: t.prog, kind: kinds[rng.below(kinds.length)]!, cookie: 0n };
      att(func).link(link);
      live.push({ func, link, t });
    }
    changes++;
    return true;
  };

  const iterations = 120;
  const m = k.machine;
  const loops = {
    entry: workerLoop(k, 'worker_entry', tk.tk.addr('workload_entry')),
    test2: workerLoop(k, 'worker_test2', tk.tk.addr('bpf_fentry_test2')),
  };
  m.prepareCall(m.cpus[0]!, controlLoop(k), []);
  let entryWorkers = 0;
  for (let i = 1; i < cpus; i++) {
    const w = i % 2 === 1 ? 'entry' : 'test2';
    if (w === 'entry') entryWorkers++;
    m.prepareCall(m.cpus[i]!, loops[w], [BigInt(iterations)]);
  }
  m.runAll({ mode: 'random', seed, quantum: 40, maxInstructions: 40_000_000 });

  const problems = m.cpus.filter((c) => c.fault).map((c) => `CPU ${c.id}: ${c.fault!.message}`);
  if (problems.length > 0) return problems;
  for (let i = 1; i < cpus; i++)
    if (m.cpus[i]!.x(0) !== BigInt(iterations)) problems.push(`CPU ${i} returned ${m.cpus[i]!.x(0)}`);
  ft.controlScript = undefined;
  // Everything still attached goes, so the end state can be checked: no op, no code, nothing parked.
  for (const l of live.splice(0)) att(l.func).unlink(l.link);
  ft.drain();
  k.rcu.poll();
  problems.push(...m.icache.reports.map((r) => r.message), ...ft.verify());
  const calls = BigInt(entryWorkers * iterations);
  if (persistent.read('HITS') !== calls)
    problems.push(`persistent fentry: ${persistent.read('HITS')} runs, ${calls} calls`);
  for (let c = 0; c < cpus; c++) {
    const n = functionGraph(ft).retStack(c).length;
    if (n > 0) problems.push(`CPU ${c}: ${n} return-stack entries left`);
  }
  if (opsParkedFrees(tk) !== 0) problems.push(`${opsParkedFrees(tk)} frees still wait for ftrace`);
  const leftover = k.kallsyms
    .all()
    .filter((s) => s.name.startsWith('bpf_fprobe_') && !s.name.startsWith('bpf_fprobe_gops_'))
    .map((s) => s.name)
    .filter(
      (n) => !['bpf_fprobe_handler', 'bpf_fprobe_override', 'bpf_fprobe_entry_bpf_fentry_test1'].includes(n),
    );
  if (leftover.length > 0) problems.push(`code left: ${leftover.join(', ')}`);
  // Not vacuous: programs came and went, and transient ones ran.
  expect(changes).toBeGreaterThan(10);
  expect(pool.some((t) => t.read('HITS') > 0n)).toBe(true);
  return problems;
}

describe('ops strategy: attach/detach storms', () => {
  it.each([
    ['args', 2, 1],
    ['args', 3, 2],
    ['regs', 3, 3],
    ['args', 4, 4],
    ['regs', 4, 5],
  ] as const)(
    'frame %s on %d CPUs, seed %d: no fault, no CMODX report, nothing lost',
    (frame, cpus, seed) => {
      expect(storm({ frame, cpus, seed })).toEqual([]);
    },
  );
});

function kernel(frame: FrameKind = 'args'): TracingKernel {
  return createTracingKernel(KERNEL, { strategy: opsStrategy, frame });
}

describe('ops strategy: a function shared with another ftrace op', () => {
  it.each(['args', 'regs'] as const)(
    'frame %s: the op and the BPF programs each run once per call',
    (frame) => {
      const tk = kernel(frame);
      const k = tk.kernel;
      const counter = countingEntryCallback(k, 'other_op_func');
      const other = tk.ftrace.newOps({ name: 'other_ops', func: counter.func });
      tk.ftrace.setFilter(other, 'bpf_fentry_test1', { reset: true });
      tk.ftrace.register(other);
      const seq = seqCounter(k);
      const [fe, fx] = [tracer(k, 'fe', seq), tracer(k, 'fx', seq)];
      const att = opsStrategy.attachment(tk, 'bpf_fentry_test1');
      att.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
      att.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
      const f = tk.tk.addr('bpf_fentry_test1');
      const names: string[] = [];
      const cpu = k.machine.cpus[0]!;
      cpu.traceHook = (_c, pc) => {
        const n = k.kallsyms.lookup(pc)?.sym.name;
        if (n !== undefined && names.at(-1) !== n) names.push(n);
      };
      for (let i = 0; i < 3; i++) expect(k.machine.call(f, [BigInt(i)])).toBe(BigInt(i + 1));
      cpu.traceHook = undefined;
      expect(counter.count()).toBe(3n);
      expect([fe.read('HITS'), fx.read('HITS')]).toEqual([3n, 3n]);
      expect(fx.read('CTX1')).toBe(3n);
      // Both ops are reached from the list function, each call once.
      expect(names.filter((n) => n === 'ftrace_ops_list_func').length).toBeGreaterThanOrEqual(3);
      expect(names.filter((n) => n === 'other_op_func')).toHaveLength(3);
      expect(names.filter((n) => n === 'bpf_fprobe_handler')).toHaveLength(3);
      // Detaching the BPF programs leaves the other op alone.
      att.unlink(att.links[0]!);
      att.unlink(att.links[0]!);
      expect(k.machine.call(f, [1n])).toBe(2n);
      expect(counter.count()).toBe(4n);
      expect(fe.read('HITS')).toBe(3n);
      expect(tk.ftrace.verify()).toEqual([]);
    },
  );
});

/** Body of a `tracer` program: after bti, mov x9, nop, paciasp, push, mov x29 (the frame record is set). */
function bodyOf(tk: TracingKernel, t: Tracer): bigint {
  const k = tk.kernel;
  const words = (k.bti ? 1 : 0) + 2 + (k.machine.options.pac ? 1 : 0) + 2;
  return t.image.address + BigInt(4 * words);
}

describe('ops strategy: unwinding from inside the programs', () => {
  it.each(['args', 'regs'] as const)(
    'frame %s: fentry shows callback, list function, caller, the traced function and its callers; fexit loses the traced function',
    (frame) => {
      const tk = kernel(frame);
      const k = tk.kernel;
      const seq = seqCounter(k);
      const [fe, fx] = [tracer(k, 'fe', seq), tracer(k, 'fx', seq)];
      const att = opsStrategy.attachment(tk, 'bpf_fentry_test1');
      att.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
      att.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
      const cpu = k.machine.cpus[0]!;
      const fixups = [functionGraph(tk.ftrace).unwindFixup(0)];
      k.machine.prepareCall(cpu, tk.tk.addr('workload_entry'), [5n]);
      const caller = frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';

      cpu.addBreakpoint(bodyOf(tk, fe));
      cpu.run(100_000);
      expect(cpu.fault).toBeUndefined();
      expect(cpu.pc).toBe(bodyOf(tk, fe));
      const inFentry = unwindCpu(k, cpu, { fixups });
      expect(inFentry.frames.map((f) => f.symbol)).toEqual([
        'fe',
        'bpf_fprobe_entry_bpf_fentry_test1',
        'ftrace_ops_list_func',
        caller,
        'bpf_fentry_test1',
        'workload_middle',
        'workload_entry',
      ]);
      // ftrace_caller's record holds the return into the traced function: just after its BL slot.
      expect(inFentry.frames[4]!.pc).toBe(tk.tk.callSite('bpf_fentry_test1').ip + 4n);
      expect(inFentry.end).toBe('return-trampoline');
      expect(inFentry.reliable).toBe(true);

      cpu.removeBreakpoint(bodyOf(tk, fe));
      cpu.addBreakpoint(bodyOf(tk, fx));
      cpu.run(100_000);
      expect(cpu.fault).toBeUndefined();
      expect(cpu.pc).toBe(bodyOf(tk, fx));
      const inFexit = unwindCpu(k, cpu, { fixups });
      // The traced function has returned (into return_to_handler, which stands in its place); the return
      // address return_to_handler's record holds is recovered from the return stack: workload_middle.
      expect(inFexit.frames.map((f) => f.symbol)).toEqual([
        'fx',
        'bpf_fprobe_exit_bpf_fentry_test1',
        'ftrace_return_to_handler',
        'return_to_handler',
        'workload_middle',
        'workload_entry',
      ]);
      expect(inFexit.frames[4]!.recovered?.by).toBe('function_graph');
      expect(inFexit.end).toBe('return-trampoline');
      expect(inFexit.reliable).toBe(true);

      cpu.removeBreakpoint(bodyOf(tk, fx));
      // run() clears stopRequested on entry; it is set again when the call returns to the host.
      do cpu.run(10_000);
      while (!cpu.stopRequested && !cpu.halted);
      expect(cpu.fault).toBeUndefined();
      expect(cpu.x(0)).toBe(13n); // (5 + 1) * 2 + 1
    },
  );
});
