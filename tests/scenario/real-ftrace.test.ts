/**
 * The measurement layer on the model's live ftrace (src/ftrace: ftrace_caller in A64, CALL_OPS sites,
 * direct calls), on the acceptance figure: with CALL_OPS, a direct trampoline out of BL range costs
 * exactly six more instructions than one in range — `bti c ; bic ; ldr ; ldr ; cbnz ; br x17` in
 * ftrace_caller — and measureCall must put all six in the 'ftrace_caller' stage. Also a function-tracer op:
 * ftrace_caller saves the arguments once (into ftrace_regs), the op callback adds nothing of the kind. And a
 * far module call site: its ftrace PLT veneer (`adrp ; add ; br x16`) counts as 'patch site'.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decode } from '../../src/a64/index.js';
import { attachFtrace, countingCallback, countingDirectTramp } from '../../src/ftrace/index.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import { loadModule } from '../../src/kernel/module.js';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { compareCalls, measureCall, measureTestKernelCall } from '../../src/scenario/measure.js';
import { ftracePltRanges, STAGES } from '../../src/scenario/stages.js';
import { gasAssemble, haveGas, pfe42Module } from '../helpers/gas.js';

const F = 'bpf_fentry_test2';
const ARGS = [5n, 7n];

function setup() {
  const tk = createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), {
    layout: { kind: 'kaslr', seed: 3 },
  });
  const ft = attachFtrace(tk.kernel, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
  return { tk, ft, k: tk.kernel };
}

describe('measurement on live ftrace (CALL_OPS, frame args)', () => {
  test('a direct trampoline out of range: exactly +6 instructions, all in ftrace_caller', () => {
    const runs = (['image', 'vmalloc'] as const).map((where) => {
      const { tk, ft, k } = setup();
      const t = countingDirectTramp(k, `tr_${where}`, { where });
      const base = measureTestKernelCall(tk, F, ARGS);
      const d = ft.newOps({ name: 'd' });
      ft.setFilter(d, F, { reset: true });
      ft.registerDirect(d, t.func);
      const traced = measureTestKernelCall(tk, F, ARGS);
      expect(t.read()).toBe(2n); // the warm-up call and the measured one
      expect(reachableByBl(tk.callSite(F).ip, t.func)).toBe(where === 'image');
      return compareCalls(base, traced);
    });
    const [near, far] = runs as [ReturnType<typeof compareCalls>, ReturnType<typeof compareCalls>];
    expect(far.instructions - near.instructions).toBe(6);
    const diff = Object.fromEntries(
      STAGES.map((s) => [s, far.stages.instructions[s] - near.stages.instructions[s]]),
    );
    expect(diff).toEqual({ ...Object.fromEntries(STAGES.map((s) => [s, 0])), ftrace_caller: 6 });
    expect(near.stages.instructions.ftrace_caller).toBe(0);
  });

  test('a function-tracer op: the ftrace_regs save is the one save of the arguments', () => {
    const { tk, ft, k } = setup();
    const base = measureTestKernelCall(tk, F, ARGS);
    const cb = countingCallback(k, 'cb');
    const ops = ft.newOps({ name: 'fn', func: cb.func });
    ft.setFilter(ops, F, { reset: true });
    ft.register(ops);
    const traced = measureTestKernelCall(tk, F, ARGS);
    const d = compareCalls(base, traced);
    expect(d.sameResult).toBe(true);
    expect(cb.read()).toBe(2n);
    expect(d.stages.instructions.ftrace_caller).toBeGreaterThan(0);
    expect(traced.argStoreCounts).toEqual([1, 1]);
    expect(traced.argStores.every((s) => s.where === 'ftrace_caller')).toBe(true);
    // The callback is not a stage of the list: it shows up as 'other' unless the caller's table
    // names it.
    // Its code runs straight to its `ret`; the literal pool after it is not executed.
    const cbStart = k.kallsyms.lookupName('cb')!.address;
    let cbSize = 1;
    while (decode(k.machine.memory.read32(cbStart + BigInt(4 * (cbSize - 1))))!.entry.cls !== 'ret') cbSize++;
    expect(d.stages.instructions.other).toBe(cbSize);
    const named = measureTestKernelCall(tk, F, ARGS, {
      rules: [{ pattern: 'cb', stage: 'program' }],
    });
    expect(named.stages.instructions.program).toBe(cbSize);
  });
});

describe('a far module call site', () => {
  test.skipIf(!haveGas)("its ftrace PLT veneer is 'patch site' with ftracePltRanges: exactly 3 more", () => {
    const obj = gasAssemble(pfe42Module('farmod'));
    const tk = createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), {
      layout: { kind: 'kaslr', seed: 5, randomizeModuleRegionFull: true },
    });
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const mod = loadModule(k, obj);
    ft.addModule(mod);
    const site = mod.callSites[0]!;
    expect(reachableByBl(site.ip, ft.callerAddress)).toBe(false);
    const fn = mod.symbol('mod_fn')!;
    const opts = { ip: site.ip, ranges: ftracePltRanges([mod]) };
    const base = measureCall(k, fn, [1n], opts);
    const t = countingDirectTramp(k, 'far');
    const d = ft.newOps({ name: 'd' });
    ft.setFilter(d, 'mod_fn', { reset: true });
    ft.registerDirect(d, t.func);
    const delta = compareCalls(base, measureCall(k, fn, [1n], opts));
    // Facts (tests/ftrace/caller.test.ts): + the trampoline (7) + CALL_OPS far path (6) + the PLT (3).
    expect(delta.instructions).toBe(7 + 6 + 3);
    expect(delta.stages.instructions['patch site']).toBe(3);
    expect(delta.stages.instructions.ftrace_caller).toBe(6);
  });
});
