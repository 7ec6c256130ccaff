/**
 * The v6.16 stretch: up to 12 arguments, those beyond x7 read from the traced function's incoming stack
 * (FP + 32 in the trampoline) into the ctx, and copied to the bottom of the trampoline's frame when it calls
 * the original. Without `stackArgs` more than 8 arguments is ENOTSUPP (v6.0–v6.15).
 */
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { X, FP, LR, SP } from '../../src/a64/builder.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import {
  trampolines,
  progTarget,
  allocBpfProg,
  type BpfProgImage,
  type FentryTarget,
  type TrampKind,
} from '../../src/trampoline/index.js';
import { jitShaped, newKernel } from './helpers.js';

const N = 10;

/** Target: returns Σ (i+1)·arg_i over its 10 arguments (x0–x7, then [sp], [sp+8] at entry). */
function target10(k: Kernel) {
  return jitShaped(k, 'ten_args', (a) => {
    a.movz(X[11]!, 0);
    for (let i = 0; i < N; i++) {
      if (i < 8) a.mov(X[10]!, X[i]!);
      else a.ldr(X[10]!, FP, 16 + 8 * (i - 8)); // incoming SP = x29 + 16 after stp x29, x30
      a.movz(X[12]!, i + 1);
      a.madd(X[11]!, X[10]!, X[12]!, X[11]!);
    }
    a.mov(X[0]!, X[11]!);
  });
}

/** A tracing program that copies ctx[−1 … N] into `rec`. */
function recorder(k: Kernel, name: string) {
  const rec = k.imageAlloc(8 * (N + 2), 'data', 16).address;
  const img = jitShaped(k, name, (a) => {
    a.movAddr48(X[8]!, rec);
    for (let i = -1; i <= N; i++) {
      a.ldr(X[1]!, X[0]!, 8 * i);
      a.str(X[1]!, X[8]!, 8 * (i + 1));
    }
    a.movz(X[0]!, 0);
  });
  const prog = {
    name,
    bpfFunc: img.address,
    progStruct: allocBpfProg(trampolines(k).rt, img.address),
    usesFuncIp: false,
  };
  const read = (i: number) => k.machine.memory.read64(rec + BigInt(8 * (i + 1)));
  return { prog, read };
}

/** caller(t): calls t(1, 2, …, 10) with args 9 and 10 on the stack. */
function caller(k: Kernel, t: bigint): bigint {
  const build = (base: bigint) => {
    const a = new Asm(base);
    if (k.bti) a.bti('c');
    a.push(FP, LR);
    a.mov(FP, SP);
    a.sub(SP, SP, 16);
    for (let i = 0; i < 8; i++) a.movz(X[i]!, i + 1);
    a.movz(X[10]!, 9);
    a.str(X[10]!, SP, 0);
    a.movz(X[10]!, 10);
    a.str(X[10]!, SP, 8);
    a.movAddr48(X[10]!, t);
    a.blr(X[10]!);
    a.add(SP, SP, 16);
    a.pop(FP, LR);
    a.ret();
    return a.finish().bytes;
  };
  const size = build(0n).length;
  const addr = k.allocExec(size, 'caller10');
  k.writeText(addr, build(addr));
  return addr;
}

const EXPECT = Array.from({ length: N }, (_, i) => BigInt((i + 1) * (i + 1))).reduce((x, y) => x + y);

/** ten_args as a trampoline target: ten u64 arguments, a u64 result. */
const tenArgsTarget = (k: Kernel, image: BpfProgImage): FentryTarget =>
  progTarget({
    kernel: k,
    image,
    model: { name: 'ten_args', argSizes: new Array<number>(N).fill(8), returnSize: 8 },
    progId: 1,
    btfId: 1,
  });

describe('more than 8 arguments', () => {
  it('is ENOTSUPP without stack arguments', () => {
    const k = newKernel();
    const t = target10(k);
    const target = tenArgsTarget(k, t);
    expect(() => trampolines(k).get(target)).toThrow(/ENOTSUPP: ten_args has 10 arguments/);
  });

  for (const kinds of [['fentry'], ['fentry', 'fexit']] as TrampKind[][]) {
    it(`with stack arguments (v6.16): ${kinds.join(' + ')} see all 10 and the original gets them`, () => {
      const k = newKernel({ machine: { bti: true, pac: true } });
      const t = target10(k);
      const target = tenArgsTarget(k, t);
      const tr = trampolines(k).get(target, { stackArgs: true });
      const c = caller(k, t.address);
      expect(k.machine.call(c)).toBe(EXPECT);
      const recs = kinds.map((kind) => {
        const r = recorder(k, `rec_${kind}`);
        tr.link({ prog: r.prog, kind, cookie: 0n });
        return { kind, r };
      });
      expect(k.machine.call(c)).toBe(EXPECT);
      for (const { kind, r } of recs) {
        expect(r.read(-1)).toBe(BigInt(N));
        expect(Array.from({ length: N }, (_, i) => r.read(i))).toEqual(
          Array.from({ length: N }, (_, i) => BigInt(i + 1)),
        );
        if (kind === 'fexit') expect(r.read(N)).toBe(EXPECT);
      }
    });
  }
});
