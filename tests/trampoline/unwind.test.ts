/**
 * The frame-record unwinder (src/kernel/unwind.ts) from inside an fentry and an fexit program on a JITed
 * target: the exact stack through the trampoline's two frame records — the program, the trampoline (at the
 * instruction after the call of the program), the traced program (self ip, after its poke site), and the
 * caller (parent ip, from the `{fp, x9}` record).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { X, FP, LR, SP } from '../../src/a64/builder.js';
import { disassemble } from '../../src/a64/index.js';
import { loadBpfObject } from '../../src/bpf/object/load.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { unwindCpu } from '../../src/kernel/unwind.js';
import { attachProgToProg } from '../../src/trampoline/index.js';
import { newKernel } from './helpers.js';

const load = (name: string) =>
  loadBpfObject(new Uint8Array(readFileSync(new URL(`../../fixtures/bpf/${name}`, import.meta.url))));

/** caller_fn(ctx): a kernel function that calls the target program through a pointer (blr). */
function callerFn(k: Kernel, target: bigint): bigint {
  const build = (base: bigint) => {
    const a = new Asm(base);
    if (k.bti) a.bti('c');
    a.push(FP, LR);
    a.mov(FP, SP);
    a.movAddr48(X[10]!, target);
    a.blr(X[10]!);
    a.pop(FP, LR);
    a.ret();
    return a.finish();
  };
  const size = build(0n).bytes.length;
  const r = k.imageAlloc(size, 'text', 16);
  const code = build(r.address);
  k.writeText(r.address, code.bytes);
  k.kallsyms.add({ name: 'caller_fn', address: r.address, size: BigInt(size), type: 'T' });
  return r.address;
}

describe('unwinding through the trampoline', () => {
  for (const which of ['on_entry', 'on_exit'] as const) {
    it(`from inside ${which}: program, trampoline, target (self ip), caller (parent ip)`, () => {
      const k = newKernel({ machine: { bti: true, pac: true } });
      const r = attachProgToProg(
        k,
        load('bpf2bpf/target.bpf.o'),
        'target_prog',
        load('bpf2bpf/tracer.bpf.o'),
      );
      const prog = r.tracers.programs.find((p) => p.prog.name === which)!;
      const img = r.trampoline.image!;
      const caller = callerFn(k, r.target.image.address);
      // The call of the program in the trampoline: a BL to its entry (nokaslr: in reach).
      const callAt = img.gen.words.findIndex(
        (w, i) =>
          disassemble(w, { address: img.address + BigInt(4 * i) }) ===
          `bl\t0x${prog.image.address.toString(16)}`,
      );
      expect(callAt).toBeGreaterThan(0);
      const bp = prog.image.address + BigInt(prog.image.insnOffsets[0]!);
      const cpu = k.machine.cpus[0]!;
      const ctx = k.imageAlloc(16, 'data', 16).address;
      k.machine.prepareCall(cpu, caller, [ctx]);
      cpu.addBreakpoint(bp);
      cpu.run(100_000);
      expect(cpu.fault).toBeUndefined();
      expect(cpu.pc).toBe(bp);
      const u = unwindCpu(k, cpu);
      const tgt = r.target.image;
      expect(u.frames.map((f) => f.pc)).toEqual([
        bp,
        img.address + BigInt(4 * (callAt + 1)),
        tgt.pokeSite + 4n,
        // bti c, stp, mov, three instructions of movAddr48, blr: the return address is the 7th word (6th without BTI).
        caller + 4n * (k.bti ? 7n : 6n),
      ]);
      expect(u.frames.map((f) => f.symbol)).toEqual([
        prog.image.name,
        r.trampoline.name,
        tgt.name,
        'caller_fn',
      ]);
      expect(u.frames[2]!.text).toBe(`${tgt.name}+0xc/0x${tgt.size.toString(16)} [bpf]`);
      expect(u.end).toBe('return-trampoline');
      expect(u.reliable).toBe(true);
    });
  }
});
