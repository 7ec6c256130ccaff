/**
 * How each direct-call strategy enters the trampoline, checked on the CPU at the trampoline's first
 * instruction (facts: shared/facts/ftrace-arm64.md §2.4, the direct-trampoline convention every path must
 * keep): x30 = the BL slot + 4 (the return into the traced function), x9 = the traced function's own return
 * address, SP and x0–x2 as at the function's entry — whether the trampoline is reached by the site's `bl`
 * (patchsite, callops in range), by ftrace_caller's literal fast path (callops out of range), or by the late
 * tail call after the ops ran (tailcall; any strategy when another op shares the site).
 *
 * Also the seed-era shared path of patchsite: the site calls ftrace_regs_caller, the list function runs the
 * other op and call_direct_funcs, which puts the trampoline in `pt_regs->orig_x0`; ftrace_regs_caller reads
 * it back after the ops and tail-calls it — both the op and the program fire exactly once per call.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { loadBpfObject } from '../../src/bpf/object/index.js';
import { countingCallback, PT_REGS } from '../../src/ftrace/index.js';
import { reachableByBl, type LayoutOptions } from '../../src/kernel/layout.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { RETURN_TRAMPOLINE } from '../../src/machine/index.js';
import { loadIntoKernel } from '../../src/trampoline/bpf.js';
import {
  createTracingKernel,
  strategyByName,
  testKernelVariantFor,
  TrampolineAttachment,
  type TracingKernel,
} from '../../src/trampoline/strategies/index.js';

const FUNC = 'bpf_fentry_test3';
const ARGS = [4n, 5n, 6n];

function setup(
  name: string,
  layout: LayoutOptions,
  frame?: 'regs' | 'args',
): { t: TracingKernel; a: TrampolineAttachment; result: () => bigint } {
  const s = strategyByName(name);
  const t = createTracingKernel(
    new Uint8Array(readFileSync(testKernelFixture(testKernelVariantFor(s, { bti: true })))),
    { strategy: s, layout, ...(frame ? { frame } : {}) },
  );
  const lo = loadIntoKernel(
    t.kernel,
    loadBpfObject(new Uint8Array(readFileSync('fixtures/bpf/fexit_test.bpf.o'))),
  );
  const p = lo.programs.find((x) => x.prog.target === FUNC)!;
  const a = s.attachment(t, FUNC) as TrampolineAttachment;
  a.link({ prog: p.tramp, kind: 'fexit', cookie: 0n });
  return { t, a, result: () => t.kernel.machine.memory.read64(lo.global('test3_result')) };
}

interface Entry {
  x30: bigint;
  x9: bigint;
  sp: bigint;
  args: bigint[];
}

/** Registers at the function's entry and at the trampoline's first instruction during one call. */
function entries(t: TracingKernel, tramp: bigint): { fn: Entry; tramp: Entry; pcs: bigint[]; ret: bigint } {
  const cpu = t.kernel.machine.cpus[0]!;
  const f = t.tk.addr(FUNC);
  const snap = (): Entry => ({
    x30: cpu.x(30),
    x9: cpu.x(9),
    sp: cpu.sp,
    args: [0, 1, 2].map((r) => cpu.x(r)),
  });
  let fn: Entry | undefined;
  let tr: Entry | undefined;
  const pcs: bigint[] = [];
  cpu.traceHook = (_c, pc) => {
    pcs.push(pc);
    if (pc === f && !fn) fn = snap();
    if (pc === tramp && !tr) tr = snap();
  };
  try {
    const ret = t.kernel.machine.call(f, ARGS);
    return { fn: fn!, tramp: tr!, pcs, ret };
  } finally {
    cpu.traceHook = undefined;
  }
}

const CASES: [string, string, LayoutOptions, 'bl' | 'literal' | 'late'][] = [
  ['patchsite', 'nokaslr', { kind: 'nokaslr', seed: 1 }, 'bl'],
  ['callops', 'nokaslr', { kind: 'nokaslr', seed: 1 }, 'bl'],
  ['callops', 'kaslr', { kind: 'kaslr', seed: 1 }, 'literal'],
  ['tailcall', 'nokaslr', { kind: 'nokaslr', seed: 1 }, 'late'],
  ['tailcall', 'kaslr', { kind: 'kaslr', seed: 1 }, 'late'],
];

describe('the trampoline is entered with the direct-call convention on every path', () => {
  it.each(CASES)('%s, %s: via %s', (name, _l, layout, via) => {
    const { t, a, result } = setup(name, layout);
    const img = a.tr.image!.address;
    const site = t.tk.callSite(FUNC);
    const e = entries(t, img);
    expect(e.ret).toBe(15n);
    expect(result()).toBe(1n); // fexit_test checked the arguments and the return value
    expect(e.fn.x30).toBe(RETURN_TRAMPOLINE);
    expect(e.tramp).toEqual({ x30: site.ip + 4n, x9: RETURN_TRAMPOLINE, sp: e.fn.sp, args: ARGS });
    const before = e.pcs[e.pcs.indexOf(img) - 1]!;
    const insn = disassemble(t.kernel.machine.memory.read32(before), { address: before });
    const sym = t.kernel.kallsyms.lookup(before)!.sym.name;
    if (via === 'bl') expect([before, reachableByBl(site.ip, img)]).toEqual([site.ip, true]);
    else expect([sym, insn]).toEqual(['ftrace_caller', 'br\tx17']);
    const ranOps = e.pcs.some((pc) => t.kernel.kallsyms.lookup(pc)?.sym.name === 'ftrace_ops_list_func');
    expect(ranOps).toBe(via === 'late');
  });
});

describe('patchsite shared with another op (seed era, pt_regs frame)', () => {
  it('bl ftrace_regs_caller → the list runs the op and call_direct_funcs → pt_regs->orig_x0 → br x17; each fires once per call', () => {
    const { t, a, result } = setup('patchsite', { kind: 'nokaslr', seed: 2 }, 'regs');
    const k = t.kernel;
    const ft = t.ftrace;
    const cb = countingCallback(k, 'other_cb');
    const ops = ft.newOps({ name: 'other_ops', func: cb.func });
    ft.setFilter(ops, FUNC, { reset: true });
    ft.register(ops);
    const img = a.tr.image!.address;
    const site = t.tk.callSite(FUNC);
    expect(a.describe()).toEqual([
      `site 0x${site.ip.toString(16)} (${FUNC}+0x4, '=2'): mov x9, x30 ; bl ftrace_regs_caller (0x${ft.callerAddress.toString(16)})`,
      `→ ftrace_regs_caller: saves pt_regs → ftrace_call: bl ftrace_ops_list_func`,
      ...ft.core
        .opsFor(ft.core.record(site.ip)!)
        .map((o) =>
          o === ops
            ? `  → other_ops: other_ops_func`
            : `  → ${o.name}: call_direct_funcs sets pt_regs->orig_x0 = 0x${img.toString(16)}`,
        ),
      `→ ftrace_regs_caller: restores x0–x8, x29; direct field set → x9 = the function's LR, x30 = site + 4 → br x17 (the late tail call)`,
      `→ ${k.kallsyms.short(img)} (0x${img.toString(16)}): the trampoline`,
    ]);
    // orig_x0 as ftrace_regs_caller reads it back: at its `cbnz x17` after the ops ran.
    const cpu = k.machine.cpus[0]!;
    const seen: bigint[] = [];
    const caller = ft.callerAddress;
    cpu.traceHook = (c, pc, word) => {
      const sym = k.kallsyms.lookup(pc)?.sym;
      if (sym?.address === caller && disassemble(word, { address: pc })?.startsWith('cbnz\tx17'))
        seen.push(k.machine.memory.read64(c.sp + BigInt(PT_REGS.ORIG_X0)), c.x(17));
    };
    try {
      k.machine.call(t.tk.addr(FUNC), ARGS);
    } finally {
      cpu.traceHook = undefined;
    }
    expect(seen).toEqual([img, img]);
    const e = entries(t, img);
    expect(e.tramp).toEqual({ x30: site.ip + 4n, x9: RETURN_TRAMPOLINE, sp: e.fn.sp, args: ARGS });
    expect([cb.read(), result()]).toEqual([2n, 1n]);
    const path = [
      ...new Set(
        e.pcs
          .slice(e.pcs.indexOf(site.ip) + 1, e.pcs.indexOf(img))
          .map((pc) => k.kallsyms.lookup(pc)!.sym.name),
      ),
    ];
    expect(path).toEqual([
      'ftrace_regs_caller',
      'ftrace_ops_list_func',
      'ftrace_hash_contains',
      'other_cb',
      'call_direct_funcs',
    ]);
    // The op leaves: the site goes back to the direct BL.
    ft.unregister(ops);
    expect(disassemble(k.machine.memory.read32(site.ip), { address: site.ip })).toBe(
      `bl\t0x${img.toString(16)}`,
    );
    k.machine.call(t.tk.addr(FUNC), ARGS);
    expect(cb.read()).toBe(2n);
  });
});
