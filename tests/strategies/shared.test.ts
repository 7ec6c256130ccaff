/**
 * A shared function, for every strategy × frame: the function tracer (an ordinary ftrace op whose callback
 * is the A64 `function_trace_call`, src/ftrace/tracers) and BPF fentry + fexit programs on the same
 * function. Each call must fire the tracer exactly once and each program exactly once, and the executed
 * path must go through the list function (`ftrace_ops_list_func`) — two ops share the site, so no strategy
 * may keep its single-op shortcut (a direct BL, the CALL_OPS literal fast path).
 *
 * "Exactly once" is counted twice, independently: from the results (ring-buffer entries of the tracer; the
 * modify_return object's `sequence` counter, which its fentry and fexit programs each increment) and from
 * the executed instruction trace (how many times the first instruction of `function_trace_call` and of each
 * program ran). Then the tracer goes away: the programs still fire once per call, the tracer no more, and
 * the list function is left out again where the strategy has a single-op path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadBpfObject, type BpfObject } from '../../src/bpf/index.js';
import type { FrameKind } from '../../src/ftrace/arch/abi.js';
import { TRACE_TYPE } from '../../src/ftrace/tracers/ringbuf.js';
import { TraceArray } from '../../src/ftrace/tracers/trace.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import {
  createTracingKernel,
  STRATEGIES,
  testKernelVariantFor,
  type Strategy,
  type TracingKernel,
} from '../../src/trampoline/strategies/index.js';
import { attachObject, readGlobals, runModifyReturn } from '../../src/trampoline/strategies/testrun.js';

const FUNC = 'bpf_modify_return_test';
const CALLS = 3;

/** modify_return.bpf.o without its fmod_ret program: fentry_test and fexit_test each do `sequence++`. */
function countingObject(): BpfObject {
  const o = loadBpfObject(new Uint8Array(readFileSync('fixtures/bpf/modify_return.bpf.o')));
  return { ...o, programs: o.programs.filter((p) => p.attachType !== 'fmod_ret') };
}

/** Where a `bl` word at `at` goes. */
function blTarget(word: number, at: bigint): bigint {
  let imm = word & 0x3ff_ffff;
  if (imm & 0x200_0000) imm -= 0x400_0000;
  return at + BigInt(imm * 4);
}

function kernelFor(strategy: Strategy, frame: FrameKind): TracingKernel {
  const bytes = new Uint8Array(readFileSync(testKernelFixture(testKernelVariantFor(strategy))));
  return createTracingKernel(bytes, { strategy, frame, layout: { kind: 'nokaslr', seed: 1 } });
}

/** Run `fn` with every executed PC's symbol counted; returns the count of each (function, offset 0) entry and the symbols seen. */
function traced(tk: TracingKernel, fn: () => void): { entries: Map<string, number>; seen: Set<string> } {
  const cpu = tk.kernel.machine.cpus[0]!;
  const ks = tk.kernel.kallsyms;
  const entries = new Map<string, number>();
  const seen = new Set<string>();
  cpu.traceHook = (_c, pc) => {
    const l = ks.lookup(pc);
    if (!l) return;
    seen.add(l.sym.name);
    if (l.offset === 0n) entries.set(l.sym.name, (entries.get(l.sym.name) ?? 0) + 1);
  };
  try {
    fn();
  } finally {
    cpu.traceHook = undefined;
  }
  return { entries, seen };
}

describe.each(
  STRATEGIES.flatMap((s) => (['regs', 'args'] as const).map((f) => [`${s.name} frame=${f}`, s, f] as const)),
)('%s', (_name, strategy, frame) => {
  test('function tracer + fentry/fexit on one function: each fires once per call, through the list function', () => {
    const tk = kernelFor(strategy, frame);
    const ks = tk.kernel.kallsyms;
    const tr = new TraceArray(tk.kernel);
    const ops = tk.ftrace.newOps({
      name: 'global_ops',
      func: tr.text.functionTraceCall,
      funcName: 'function_trace_call',
    });
    tk.ftrace.setFilter(ops, FUNC, { reset: true });
    tk.ftrace.register(ops);
    const att = attachObject(tk, countingObject(), { set: new Map([['input_retval', 0n]]) });
    expect(att.programs.map((p) => [p.name, p.outcome.state])).toEqual([
      ['fentry_test', 'attached'],
      ['fexit_test', 'attached'],
    ]);
    const loaded = att.loaded!;
    const sequence = (): bigint => readGlobals(tk, loaded).find((g) => g.name === 'sequence')!.value!;
    const tracer = ks.short(tr.text.functionTraceCall)!;
    const progs = loaded.programs.map((p) => ks.short(p.image.address)!);
    expect(progs.every((n) => n.startsWith('bpf_prog_'))).toBe(true);

    const run = traced(tk, () => {
      for (let i = 0; i < CALLS; i++) expect(runModifyReturn(tk)).toMatchObject({ ret: 4, sideEffect: 1 });
    });
    // From the results: one ring-buffer entry per call, at the BL slot; two programs × one increment per call.
    const fn = tr.entries()[0]!.filter((e) => e.type === TRACE_TYPE.FN);
    expect(fn.map((e) => e.ip)).toEqual(Array(CALLS).fill(tk.tk.callSite(FUNC).ip));
    expect(sequence()).toBe(BigInt(2 * CALLS));
    // From the instruction trace.
    expect(run.entries.get(tracer)).toBe(CALLS);
    for (const p of progs) expect(run.entries.get(p), p).toBe(CALLS);
    expect(run.seen.has('ftrace_ops_list_func')).toBe(true);
    expect(run.entries.get('ftrace_ops_list_func')).toBe(CALLS);

    // The tracer leaves: BPF alone still fires once per call; the tracer no more.
    tk.ftrace.unregister(ops);
    tk.ftrace.drain();
    const alone = traced(tk, () => {
      for (let i = 0; i < CALLS; i++) runModifyReturn(tk);
    });
    expect(tr.entries()[0]!.filter((e) => e.type === TRACE_TYPE.FN)).toHaveLength(CALLS);
    expect(sequence()).toBe(BigInt(4 * CALLS));
    expect(alone.entries.get(tracer)).toBeUndefined();
    for (const p of progs) expect(alone.entries.get(p), p).toBe(CALLS);
    // With one op left, where the site BLs straight to the trampoline (patchsite, callops in range) the
    // list function is left out; where it BLs ftrace_caller (tailcall, ops: 'global' dispatch) ftrace_call
    // still goes through it, as the kernel's ftrace_ops_get_list_func picks ftrace_ops_list_func for a
    // DYNAMIC op (BPF's ops is allocated at attach).
    const site = tk.tk.callSite(FUNC).ip;
    const direct = ks
      .short(blTarget(tk.kernel.machine.memory.read32(site), site))!
      .startsWith('bpf_trampoline_');
    expect(direct).toBe(strategy.name === 'patchsite' || strategy.name === 'callops');
    expect(alone.entries.get('ftrace_ops_list_func') ?? 0).toBe(direct ? 0 : CALLS);
    att.detach();
  });
});
