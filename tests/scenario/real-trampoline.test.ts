/**
 * The measurement layer on the model's real BPF trampoline (src/trampoline: generator, runtime, text
 * poke), attached to a test-kernel call site as the patch-site strategy does (`mov x9, lr ; bl <tramp>`),
 * with a small JIT-shaped program written here. Checks what the acceptance relies on: the program's
 * stage is exactly its instructions, the function's own work is unchanged, nothing lands in 'other', and
 * the arguments are saved once on the way (fentry, and fentry + fexit).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { FP, LR, SP, X } from '../../src/a64/builder.js';
import { createTestKernel, testKernelFixture, type TestKernel } from '../../src/kernel/testkernel.js';
import { compareCalls, measureTestKernelCall } from '../../src/scenario/measure.js';
import { allocBpfProg, trampolines, trampRuntime, type TrampProg } from '../../src/trampoline/index.js';
import { kernelSiteTarget } from '../trampoline/helpers.js';

/** A JIT-shaped program `bpf_prog_<name>` reading ctx[0]; returns its instruction count (straight-line). */
function prog(tk: TestKernel, name: string): { prog: TrampProg; insns: number } {
  const k = tk.kernel;
  const addr = k.allocExec(4096, name);
  const a = new Asm(addr);
  if (k.bti) a.bti('jc');
  a.mov(X[9]!, LR);
  a.nop();
  a.push(FP, LR);
  a.mov(FP, SP);
  a.ldr(X[1]!, X[0]!, 0);
  a.add(X[0]!, X[1]!, 1);
  a.pop(FP, LR);
  a.ret();
  const bytes = a.finish().bytes;
  k.writeText(addr, bytes);
  const sym = `bpf_prog_0000000000000000_${name}`;
  k.kallsyms.add({ name: sym, address: addr, size: BigInt(bytes.length), type: 't', module: 'bpf' });
  const rt = trampRuntime(k);
  return {
    prog: { name, bpfFunc: addr, progStruct: allocBpfProg(rt, addr), usesFuncIp: false },
    insns: bytes.length / 4,
  };
}

describe('measurement on the real trampoline (patch-site attach)', () => {
  test.each(['fentry', 'fentry+fexit'] as const)('%s on bpf_fentry_test2', (what) => {
    const tk = createTestKernel(readFileSync(testKernelFixture('gcc-pfe2')), {
      layout: { kind: 'nokaslr', seed: 1 },
    });
    const args = [2n, 3n];
    const base = measureTestKernelCall(tk, 'bpf_fentry_test2', args);
    const tr = trampolines(tk.kernel).get(kernelSiteTarget(tk, 'bpf_fentry_test2'), { origCall: 'ret' });
    const fe = prog(tk, 'fe');
    tr.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
    let progInsns = fe.insns;
    if (what === 'fentry+fexit') {
      const fx = prog(tk, 'fx');
      tr.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
      progInsns += fx.insns;
    }
    const traced = measureTestKernelCall(tk, 'bpf_fentry_test2', args);
    const d = compareCalls(base, traced);
    expect(traced.result).toBe(5n);
    expect(d.sameResult).toBe(true);
    expect(d.stages.instructions.program).toBe(progInsns);
    expect(d.stages.instructions.function).toBe(0);
    expect(d.stages.instructions['patch site']).toBe(0);
    expect(d.stages.instructions.other).toBe(0);
    expect(d.stages.instructions.trampoline).toBeGreaterThan(0);
    expect(d.stages.instructions['enter/exit']).toBeGreaterThan(0);
    expect(traced.argStoreCounts).toEqual([1, 1]);
    expect(d.argSaves).toBe(1);
    expect(traced.argStores.filter((s) => s.where === 'trampoline')).toHaveLength(2);
  });
});
