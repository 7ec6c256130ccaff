/**
 * Return hooks and the unwinder across a module: a module function (assembled here with GNU as, loaded by
 * the module loader) calls the test kernel's workload_entry. Under KASLR with the full 2 GiB module region
 * the module reaches the kernel through its PLT veneers and ftrace_caller through its ftrace PLT; the hook
 * on the module function still sees its return value, and the stack from inside bpf_fentry_test1 names the
 * module frame `mod_outer+0x…/0x… [unwmod]` and recovers the hooked module function's return to the host.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachFtrace } from '../../src/ftrace/index.js';
import { countingExitCallback, functionGraph, registerReturnHook } from '../../src/ftrace/graph/index.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import { loadModule } from '../../src/kernel/module.js';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { formatStack, unwindCpu } from '../../src/kernel/unwind.js';
import { RETURN_TRAMPOLINE } from '../../src/machine/index.js';
import { callOracle } from '../helpers/elf-oracle.js';
import { gasAssemble, haveGas, pfe42Module } from '../helpers/gas.js';

const SRC = pfe42Module('unwmod', 'mod_outer', [
  'stp x29, x30, [sp, #-16]!',
  'mov x29, sp',
  'bl workload_entry',
  'ldp x29, x30, [sp], #16',
  'ret',
]);

describe('a module caller', () => {
  it.skipIf(!haveGas)('hooked through its ftrace PLT; its frame is named with [module] in the stack', () => {
    const obj = gasAssemble(SRC);
    const variant = 'clang-bti-pfe42'; // the PLT's `br x16` needs the callee's BTI landing pad
    const tk = createTestKernel(readFileSync(testKernelFixture(variant)), {
      layout: { kind: 'kaslr', seed: 5, randomizeModuleRegionFull: true },
    });
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const mod = loadModule(k, obj);
    ft.addModule(mod);
    const outer = mod.symbol('mod_outer')!;
    expect(reachableByBl(mod.callSites[0]!.ip, ft.callerAddress)).toBe(false);
    expect(reachableByBl(outer, tk.addr('workload_entry'))).toBe(false);

    const ex = countingExitCallback(k, 'exit_mod');
    const h = registerReturnHook(ft, { name: 'hm', filter: 'mod_outer bpf_fentry_test1', exit: ex.func });
    expect(k.machine.call(outer, [5n])).toBe(13n);
    expect(ex.count()).toBe(2n);
    expect(ex.last()).toEqual([mod.callSites[0]!.ip, 13n, RETURN_TRAMPOLINE, h.gops]);

    const tko = readFileSync(testKernelFixture(variant));
    const m = callOracle(obj, 'mod_outer', 'workload_entry');
    const mid = callOracle(tko, 'workload_middle', 'bpf_fentry_test1');
    const ent = callOracle(tko, 'workload_entry', 'workload_middle');
    const cpu = k.machine.cpus[0]!;
    const bp = tk.addr('bpf_fentry_test1') + 8n;
    cpu.addBreakpoint(bp);
    k.machine.call(outer, [5n]);
    cpu.removeBreakpoint(bp);
    expect(cpu.pc).toBe(bp);
    const g = functionGraph(ft);
    const r = unwindCpu(k, cpu, { leaf: true, fixups: [g.unwindFixup(0)] });
    const hx = (v: bigint): string => v.toString(16);
    expect(formatStack(r)).toEqual([
      `bpf_fentry_test1+0x8/0x${hx(tk.symbols.get('bpf_fentry_test1')!.size)}`,
      `workload_middle+0x${hx(mid.ret)}/0x${hx(mid.size)}`,
      `workload_entry+0x${hx(ent.ret)}/0x${hx(ent.size)}`,
      `mod_outer+0x${hx(m.ret)}/0x${hx(m.size)} [unwmod]`,
    ]);
    expect(r.frames[3]!.module).toBe('unwmod');
    // mod_outer's own record holds return_to_handler; the fixup recovered the host return from it.
    expect([r.end, r.reliable]).toEqual(['return-trampoline', true]);
    for (let i = 0; i < 100 && cpu.pc !== RETURN_TRAMPOLINE + 4n && !cpu.halted; i++) cpu.run(1_000_000);
    expect(cpu.fault).toBeUndefined();
    expect(cpu.x(0)).toBe(13n);
    expect(ex.count()).toBe(4n);
    expect(g.retStack(0)).toEqual([]);
  });
});
