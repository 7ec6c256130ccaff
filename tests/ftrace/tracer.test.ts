/**
 * The function and function_graph tracer callbacks run as A64 on the emulated CPU, checked against a
 * reference model of the kernel ring buffer in overwrite mode (drop the oldest page, count it as overrun),
 * and the `trace` text they render.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { attachFtrace, workerLoop } from '../../src/ftrace/index.js';
import { TASK_TRACE_RECURSION } from '../../src/ftrace/arch/abi.js';
import { TRACER_FN_BIT, TRACER_GRAPH_BIT } from '../../src/ftrace/tracers/callbacks.js';
import { TRACE_TYPE } from '../../src/ftrace/tracers/ringbuf.js';
import { TraceArray } from '../../src/ftrace/tracers/trace.js';
import {
  functionLine,
  graphDuration,
  graphLines,
  overheadMark,
  ticksToNs,
} from '../../src/ftrace/tracers/output.js';

const OBJ = readFileSync(testKernelFixture('gcc-pfe42'));

function setup(opts: { slotsPerPage?: number; pagesPerCpu?: number; cpus?: number } = {}) {
  const tk = createTestKernel(OBJ, {
    layout: { kind: 'nokaslr' },
    ...(opts.cpus ? { machine: { cpus: opts.cpus } } : {}),
  });
  const tr = new TraceArray(tk.kernel, opts);
  return { tk, k: tk.kernel, tr };
}

/** The kernel ring buffer in overwrite mode, as a list: what survives and how much was overrun. */
function refRing(n: number, spp: number, pages: number): { kept: number[]; overrun: number } {
  const cap = spp * pages;
  let r = 0;
  let overrun = 0;
  for (let w = 0; w < n; w++) {
    if (w - r >= cap) {
      const drop = spp - (r % spp);
      r += drop;
      overrun += drop;
    }
  }
  return { kept: Array.from({ length: n - r }, (_, i) => r + i), overrun };
}

describe('function_trace_call (A64)', () => {
  it('records ip, parent_ip, cpu, task and a rising CNTVCT timestamp', () => {
    const { k, tr } = setup();
    const f = tr.text.functionTraceCall;
    k.machine.call(f, [0x1111n, 0x2222n, 0n, 0n]);
    k.machine.call(f, [0x3333n, 0x4444n, 0n, 0n]);
    const [e] = tr.entries();
    expect(e!.map((x) => [x.type, x.ip, x.parent, x.cpu, x.task])).toEqual([
      [TRACE_TYPE.FN, 0x1111n, 0x2222n, 0, k.tasks[0]],
      [TRACE_TYPE.FN, 0x3333n, 0x4444n, 0, k.tasks[0]],
    ]);
    expect(e![1]!.ts).toBeGreaterThan(e![0]!.ts);
    // Recursion bit released after each call.
    expect(k.machine.memory.read64(k.tasks[0]! + BigInt(TASK_TRACE_RECURSION))).toBe(0n);
  });

  it('writes nothing while tracing_on is 0, and nothing when the recursion bit is held', () => {
    const { k, tr } = setup();
    const f = tr.text.functionTraceCall;
    tr.tracingOn = false;
    k.machine.call(f, [1n, 2n, 0n, 0n]);
    expect(tr.totals()).toEqual({ entries: 0, written: 0, overrun: 0 });
    tr.tracingOn = true;
    const rec = k.tasks[0]! + BigInt(TASK_TRACE_RECURSION);
    k.machine.memory.write64(rec, 1n << BigInt(TRACER_FN_BIT));
    k.machine.call(f, [1n, 2n, 0n, 0n]);
    expect(tr.totals().entries).toBe(0);
    expect(k.machine.memory.read64(rec)).toBe(1n << BigInt(TRACER_FN_BIT));
    k.machine.memory.write64(rec, 0n);
    k.machine.call(f, [1n, 2n, 0n, 0n]);
    expect(tr.totals().entries).toBe(1);
  });

  it('uses the buffer of the CPU it runs on', () => {
    const { k, tr } = setup({ cpus: 2 });
    k.machine.call(tr.text.functionTraceCall, [0xaan, 1n, 0n, 0n], { cpu: 1 });
    const per = tr.entries();
    expect(per[0]).toEqual([]);
    expect(per[1]!.map((e) => [e.ip, e.cpu, e.task])).toEqual([[0xaan, 1, k.tasks[1]]]);
  });

  it('overwrite mode matches the reference ring buffer: newest kept, every loss counted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4),
        fc.constantFrom(2, 4),
        fc.integer({ min: 0, max: 40 }),
        (spp, pages, n) => {
          const { k, tr } = setup({ slotsPerPage: spp, pagesPerCpu: pages });
          for (let i = 0; i < n; i++) k.machine.call(tr.text.functionTraceCall, [BigInt(i), 0n, 0n, 0n]);
          const ref = refRing(n, spp, pages);
          const got = tr.entries()[0]!.map((e) => Number(e.ip));
          expect(got).toEqual(ref.kept);
          const t = tr.totals();
          expect(t.overrun).toBe(ref.overrun);
          expect(t.entries + t.overrun).toBe(n); // nothing lost silently
          expect(tr.trace('function')).toContain(
            `# entries-in-buffer/entries-written: ${ref.kept.length}/${n}   #P:1\n`,
          );
        },
      ),
      { seed: 7, numRuns: 40 },
    );
  });

  it('trace_pipe consumes; trace keeps; reset empties', () => {
    const { k, tr } = setup();
    for (let i = 0; i < 3; i++) k.machine.call(tr.text.functionTraceCall, [BigInt(i), 0n, 0n, 0n]);
    expect(
      tr
        .trace('function')
        .split('\n')
        .filter((l) => !l.startsWith('#') && l).length,
    ).toBe(3);
    expect(tr.tracePipe('function').split('\n').filter(Boolean).length).toBe(3);
    expect(tr.tracePipe('function')).toBe('');
    expect(tr.totals().entries).toBe(0);
    k.machine.call(tr.text.functionTraceCall, [9n, 0n, 0n, 0n]);
    tr.reset();
    expect(tr.totals()).toEqual({ entries: 0, written: 0, overrun: 0 });
  });
});

describe('function_graph callbacks (A64)', () => {
  it('entry/return pairs with depth, calltime → rettime and the return value', () => {
    const { k, tr } = setup();
    const { graphEntry: ent, graphReturn: ret } = tr.text;
    expect(k.machine.call(ent, [0x100n, 0n, 0n, 0n])).toBe(1n);
    expect(k.machine.call(ent, [0x200n, 0n, 0n, 0n])).toBe(1n);
    k.machine.call(ret, [0x200n, 42n, 0n, 0n]);
    k.machine.call(ret, [0x100n, 7n, 0n, 0n]);
    const e = tr.entries()[0]!;
    expect(e.map((x) => [x.type, x.ip, x.depth])).toEqual([
      [TRACE_TYPE.GRAPH_ENT, 0x100n, 0],
      [TRACE_TYPE.GRAPH_ENT, 0x200n, 1],
      [TRACE_TYPE.GRAPH_RET, 0x200n, 1],
      [TRACE_TYPE.GRAPH_RET, 0x100n, 0],
    ]);
    expect(e[2]!.calltime).toBe(e[1]!.ts);
    expect(e[3]!.calltime).toBe(e[0]!.ts);
    expect([e[2]!.parent, e[3]!.parent]).toEqual([42n, 7n]);
    expect(e[3]!.ts).toBeGreaterThan(e[2]!.ts);
  });

  it('declines the return hook when tracing is off or recursing, and keeps depth balanced', () => {
    const { k, tr } = setup();
    const { graphEntry: ent, graphReturn: ret } = tr.text;
    tr.tracingOn = false;
    expect(k.machine.call(ent, [0x100n, 0n, 0n, 0n])).toBe(0n);
    tr.tracingOn = true;
    const rec = k.tasks[0]! + BigInt(TASK_TRACE_RECURSION);
    k.machine.memory.write64(rec, 1n << BigInt(TRACER_GRAPH_BIT));
    expect(k.machine.call(ent, [0x100n, 0n, 0n, 0n])).toBe(0n);
    k.machine.memory.write64(rec, 0n);
    // Entry while on, return while off: depth is popped, nothing written for the return.
    expect(k.machine.call(ent, [0x100n, 0n, 0n, 0n])).toBe(1n);
    tr.tracingOn = false;
    k.machine.call(ret, [0x100n, 0n, 0n, 0n]);
    tr.tracingOn = true;
    expect(k.machine.call(ent, [0x300n, 0n, 0n, 0n])).toBe(1n);
    const e = tr.entries()[0]!;
    expect(e.map((x) => [x.type, x.depth])).toEqual([
      [TRACE_TYPE.GRAPH_ENT, 0],
      [TRACE_TYPE.GRAPH_ENT, 0],
    ]);
  });
});

describe('trace text', () => {
  it('formats a function line as trace_print_context + trace_fn_trace', () => {
    const ctx = {
      ps: (a: bigint) => (a === 1n ? 'mutex_unlock' : 'rb_simple_write'),
      task: () => ({ comm: 'bash', pid: 1994 }),
      nrCpus: 4,
    };
    // 3082.063030 s at 100 MHz.
    const ts = 308_206_303_000n;
    expect(ticksToNs(ts)).toBe(3_082_063_030_000n);
    const line = functionLine(
      { type: 1, flags: 0, depth: 0, ts, task: 0n, ip: 1n, parent: 2n, calltime: 0n, cpu: 2 },
      ctx,
    );
    expect(line).toBe('            bash-1994    [002] .....  3082.063030: mutex_unlock <-rb_simple_write\n');
  });

  it('formats graph durations and overhead marks as trace_print_graph_duration', () => {
    expect(graphDuration(458n)).toBe('0.458 us    ');
    expect(graphDuration(12_345n)).toBe('12.345 us   ');
    expect(graphDuration(1_234_567n)).toBe('1234.567 us ');
    expect(graphDuration(12_345_678n)).toBe('12345.67 us ');
    expect(graphDuration(123_456_789n)).toBe('123456.7 us ');
    expect(graphDuration(1_234_567_890n)).toBe('1234567 us  ');
    expect([9_999n, 10_001n, 100_001n, 1_000_001n].map(overheadMark)).toEqual([' ', '+', '!', '#']);
  });
});

describe('tracers on live ftrace', () => {
  it('function tracer through ftrace_caller records the BL slot and the caller', () => {
    const tk = createTestKernel(OBJ, { layout: { kind: 'kaslr', seed: 5 } });
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const tr = new TraceArray(k);
    const ops = ft.newOps({
      name: 'global_ops',
      func: tr.text.functionTraceCall,
      funcName: 'function_trace_call',
    });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    k.machine.call(tk.addr('workload_entry'), [3n]);
    const e = tr.entries()[0]!;
    expect(e.length).toBeGreaterThan(0);
    expect(e.every((x) => x.ip === tk.callSite('bpf_fentry_test1').ip)).toBe(true);
    expect(tr.ps(e[0]!.parent)).toBe('workload_middle');
    expect(tr.trace('function')).toMatch(
      /^ {7}tramp64\/0-1000    \[000\] d\.\.\.\. +\d+\.\d{6}: bpf_fentry_test1 <-workload_middle$/m,
    );
  });
});

describe('tracers under SMP and resize', () => {
  it('CPUs tracing at once under a seeded scheduler each fill their own buffer; nothing is lost', () => {
    for (const seed of [1, 2, 3]) {
      const tk = createTestKernel(OBJ, { layout: { kind: 'nokaslr' }, machine: { cpus: 3 } });
      const k = tk.kernel;
      const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
      const tr = new TraceArray(k, { slotsPerPage: 8, pagesPerCpu: 4 });
      const ops = ft.newOps({ name: 'global_ops', func: tr.text.functionTraceCall });
      ft.setFilter(ops, 'bpf_fentry_test1 bpf_fentry_test2', { reset: true });
      ft.register(ops);
      const loops = [
        workerLoop(k, 'w1', tk.addr('bpf_fentry_test1')),
        workerLoop(k, 'w2', tk.addr('bpf_fentry_test2')),
      ];
      const n = [20, 45, 7];
      k.machine.cpus.forEach((c, i) => k.machine.prepareCall(c, loops[i % 2]!, [BigInt(n[i]!)]));
      k.machine.runAll({ mode: 'random', seed, quantum: 30, maxInstructions: 5_000_000 });
      const per = tr.entries();
      n.forEach((count, cpu) => {
        const ref = refRing(count, 8, 4);
        const es = per[cpu]!;
        expect(es.map((e) => e.ip)).toEqual(
          Array(ref.kept.length).fill(
            tk.callSite(cpu % 2 === 0 ? 'bpf_fentry_test1' : 'bpf_fentry_test2').ip,
          ),
        );
        expect(es.every((e) => e.cpu === cpu && e.task === k.tasks[cpu])).toBe(true);
        for (let i = 1; i < es.length; i++) expect(es[i]!.ts).toBeGreaterThan(es[i - 1]!.ts);
        const st = tr.buffers.stats(cpu);
        expect([st.entries, st.overrun]).toEqual([ref.kept.length, ref.overrun]);
      });
      expect(k.machine.icache.reports).toEqual([]);
    }
  });

  it('a resize between a graph entry and its return keeps the depth and calltime', () => {
    const { k, tr } = setup();
    const { graphEntry: ent, graphReturn: ret } = tr.text;
    expect(k.machine.call(ent, [0x100n, 0n, 0n, 0n])).toBe(1n);
    const entryTs = tr.entries()[0]![0]!.ts;
    tr.buffers.resize(4);
    expect(tr.buffers.sizeKb).toBe((64 * 4 * 64) / 1024);
    k.machine.call(ret, [0x100n, 5n, 0n, 0n]);
    const e = tr.entries()[0]!;
    expect(e.map((x) => [x.type, x.depth, x.calltime])).toEqual([[TRACE_TYPE.GRAPH_RET, 0, entryTs]]);
    expect(() => tr.buffers.resize(3)).toThrow(/power of two/);
  });
});

describe('function_graph text', () => {
  const ctx = {
    ps: (a: bigint) => ({ 1: 'outer', 2: 'inner', 3: 'other' })[Number(a)] ?? '?',
    task: () => ({ comm: 'x', pid: 1 }),
    nrCpus: 12,
  };
  const ent = (cpu: number, ts: bigint, ip: bigint, depth: number) => ({
    type: TRACE_TYPE.GRAPH_ENT,
    flags: 0,
    depth,
    ts,
    task: 0n,
    ip,
    parent: 0n,
    calltime: 0n,
    cpu,
  });
  const ret = (cpu: number, ts: bigint, ip: bigint, depth: number, calltime: bigint) => ({
    type: TRACE_TYPE.GRAPH_RET,
    flags: 0,
    depth,
    ts,
    task: 0n,
    ip,
    parent: 0n,
    calltime,
    cpu,
  });

  it('names the function at a closing brace whose entry was lost, pads the CPU column, merges CPUs by time', () => {
    // CPU 0: the entry of `outer` was overwritten; only its return and a complete `inner` remain.
    // CPU 10: `other` returns after CPU 0's return of `outer`, but it is still a leaf: leaves are found
    // per CPU (the next entry of the same CPU's buffer), as the kernel's ring-buffer iterator peeks.
    const cpu0 = [ent(0, 100n, 2n, 1), ret(0, 110n, 2n, 1, 100n), ret(0, 130n, 1n, 0, 50n)];
    const cpu10 = [ent(10, 105n, 3n, 0), ret(10, 140n, 3n, 0, 105n)];
    const per = Array.from({ length: 12 }, (_, i) => (i === 0 ? cpu0 : i === 10 ? cpu10 : []));
    expect(graphLines(per, ctx)).toEqual([
      '  0)   0.100 us    |    inner();\n',
      ' 10)   0.350 us    |  other();\n',
      '  0)   0.800 us    |  } /* outer */\n',
    ]);
  });
});
