/**
 * Argument-store provenance on hand-written A64 sequences whose answer is known by construction: each
 * sequence is a leaf function run on the emulated CPU through measureCall, and the expected per-argument
 * store counts are stated next to it. A seeded property test shuffles argument values between registers
 * with MOVs, spills and reloads, and checks the counts against a small reference model of the same moves.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { assembleOne } from '../../src/a64/index.js';
import { SP, X, W } from '../../src/a64/builder.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { measureCall } from '../../src/scenario/measure.js';

function newKernel(): Kernel {
  return new Kernel({ layout: { kind: 'nokaslr', seed: 1 } });
}

/** Emit `body` as a function in executable memory, run it with `args`, and return the measurement. */
function run(body: (a: Asm) => void, args: bigint[], nargs = args.length, k = newKernel()) {
  const emit = (base: bigint) => {
    const a = new Asm(base);
    a.bti('c');
    body(a);
    a.ret();
    return a.finish().bytes;
  };
  const size = emit(0n).length;
  const addr = k.allocExec(size, 'leaf');
  k.writeText(addr, emit(addr));
  k.kallsyms.add({ name: 'leaf', address: addr, size: BigInt(size), type: 't' });
  return measureCall(k, addr, args, { nargs, warmup: 0, countStores: () => true });
}

describe('argument stores by provenance', () => {
  test('one save of two arguments with an STP', () => {
    const m = run(
      (a) => {
        a.stp(X[0]!, X[1]!, SP, -16, 'pre');
        a.add(SP, SP, 16);
      },
      [5n, 6n],
    );
    expect(m.argStoreCounts).toEqual([1, 1]);
    expect(m.argSaves).toBe(1);
    // One record per transfer register: the pair stores x0 at [sp] and x1 at [sp + 8].
    expect(m.argStores.map((s) => s.args)).toEqual([[0], [1]]);
    expect(m.argStores[1]!.address - m.argStores[0]!.address).toBe(8n);
  });

  test('spill, reload into another register, save again: 2 (and a copy by MOV: 3)', () => {
    const m = run(
      (a) => {
        a.str(X[0]!, SP, -32, 'pre');
        a.ldr(X[2]!, SP, 0);
        a.str(X[2]!, SP, 8);
        a.mov(X[3]!, X[2]!);
        a.str(X[3]!, SP, 20); // unaligned: STUR
        a.add(SP, SP, 32);
      },
      [0x1234n],
    );
    expect(m.argStoreCounts).toEqual([3]);
    expect(m.argSaves).toBe(3);
  });

  test('a store of an unrelated register holding an equal value counts nothing', () => {
    const m = run(
      (a) => {
        a.movImm(X[9]!, 5n);
        a.str(X[9]!, SP, -16, 'pre');
        a.add(SP, SP, 16);
      },
      [5n],
    );
    expect(m.argStoreCounts).toEqual([0]);
    expect(m.argSaves).toBe(0);
  });

  test('overwriting the argument register with the same value breaks the flow', () => {
    const m = run(
      (a) => {
        a.movz(X[0]!, 5);
        a.str(X[0]!, SP, -16, 'pre');
        a.add(SP, SP, 16);
      },
      [5n],
    );
    expect(m.argStoreCounts).toEqual([0]);
  });

  test('a spill slot overwritten by something else no longer carries the argument', () => {
    const m = run(
      (a) => {
        a.str(X[0]!, SP, -16, 'pre'); // 1
        a.str(X[9]!, SP, 0); // clobbers the slot
        a.ldr(X[2]!, SP, 0);
        a.str(X[2]!, SP, 8); // not the argument
        a.add(SP, SP, 16);
      },
      [7n],
    );
    expect(m.argStoreCounts).toEqual([1]);
  });

  test('registers swapped by MOVs keep their argument tags', () => {
    const m = run(
      (a) => {
        a.mov(X[9]!, X[0]!);
        a.mov(X[0]!, X[1]!);
        a.mov(X[1]!, X[9]!);
        a.stp(X[0]!, X[1]!, SP, -16, 'pre');
        a.add(SP, SP, 16);
      },
      [11n, 22n],
    );
    expect(m.argStoreCounts).toEqual([1, 1]);
    expect(m.argStores.map((s) => s.args)).toEqual([[1], [0]]);
  });

  test('a 32-bit store of an int argument counts; arithmetic on it does not', () => {
    const m = run(
      (a) => {
        a.str(W[0]!, SP, -16, 'pre');
        a.add(X[1]!, X[0]!, 1);
        a.str(X[1]!, SP, 8);
        a.add(SP, SP, 16);
      },
      [0x7fff_0005n],
    );
    expect(m.argStoreCounts).toEqual([1]);
  });

  test('a prefetch hint does not disturb the tag of the register its prfop field names', () => {
    const m = run(
      (a) => {
        a.str(X[1]!, SP, -16, 'pre'); // arg 1 spilled at [sp]
        a.emit(assembleOne('prfm pldl1keep, [sp]')); // Rt field = 0, but nothing is loaded into x0
        a.emit(assembleOne('prfum pldl1keep, [sp, #1]'));
        a.emit(assembleOne('prfm pldl1keep, [sp, x1]'));
        a.emit(assembleOne('prfm pldl1keep, #8')); // literal form
        a.str(X[0]!, SP, 8);
        a.add(SP, SP, 16);
      },
      [3n, 4n],
    );
    expect(m.argStoreCounts).toEqual([1, 1]);
  });

  test('acquire/release forms: STLR saves, LDAR reloads the tag; a store-exclusive is not counted', () => {
    const m = run(
      (a) => {
        a.sub(SP, SP, 32);
        a.mov(X[9]!, SP);
        a.stlr(X[0]!, X[9]!); // 1
        a.ldar(X[2]!, X[9]!);
        a.str(X[2]!, SP, 8); // 2
        a.add(X[10]!, SP, 16);
        a.ldxr(X[3]!, X[10]!);
        a.stxr(W[11]!, X[0]!, X[10]!); // conservative: exclusives never count
        a.add(SP, SP, 32);
      },
      [0x77n],
    );
    expect(m.argStoreCounts).toEqual([2]);
  });

  test('ftrace-style frame save then a callback re-saving the args into a ctx: the set is saved twice', () => {
    const args = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
    const m = run((a) => {
      a.sub(SP, SP, 128);
      for (let i = 0; i < 8; i += 2) a.stp(X[i]!, X[i + 1]!, SP, i * 8); // the frame
      for (let i = 0; i < 8; i++) a.movImm(X[i]!, 100n + BigInt(i)); // the registers are clobbered
      for (let i = 0; i < 8; i += 2) {
        a.ldp(X[10]!, X[11]!, SP, i * 8); // the callback reads the frame …
        a.stp(X[10]!, X[11]!, SP, 64 + i * 8); // … and saves into its own ctx
      }
      a.add(SP, SP, 128);
    }, args);
    expect(m.argStoreCounts).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(m.argSaves).toBe(2);
  });

  test('nargs limits which registers are arguments', () => {
    const m = run(
      (a) => {
        a.stp(X[0]!, X[1]!, SP, -16, 'pre');
        a.add(SP, SP, 16);
      },
      [5n, 6n],
      1,
    );
    expect(m.argStoreCounts).toEqual([1]);
  });

  test('seeded: shuffles by MOV, spill and reload match a reference model of the moves', () => {
    // Registers used: x0–x3 carry the arguments, x9–x12 are scratch; slots 0–7 of a 64-byte frame.
    const REGS = [0, 1, 2, 3, 9, 10, 11, 12];
    type Op =
      | { k: 'mov'; d: number; s: number }
      | { k: 'spill'; s: number; slot: number }
      | { k: 'reload'; d: number; slot: number }
      | { k: 'clobber'; d: number };
    const op = fc.oneof(
      fc.record({ k: fc.constant('mov' as const), d: fc.constantFrom(...REGS), s: fc.constantFrom(...REGS) }),
      fc.record({
        k: fc.constant('spill' as const),
        s: fc.constantFrom(...REGS),
        slot: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({
        k: fc.constant('reload' as const),
        d: fc.constantFrom(...REGS),
        slot: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({ k: fc.constant('clobber' as const), d: fc.constantFrom(...REGS) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 24 }), (ops: Op[]) => {
        // Reference: which argument each register / slot holds (-1: none); expected stores per arg.
        const reg = new Map<number, number>(REGS.map((r) => [r, r < 4 ? r : -1]));
        const slot = new Array<number>(8).fill(-1);
        const expected = [0, 0, 0, 0];
        for (const o of ops) {
          if (o.k === 'mov') reg.set(o.d, reg.get(o.s)!);
          else if (o.k === 'spill') {
            slot[o.slot] = reg.get(o.s)!;
            if (reg.get(o.s)! >= 0) expected[reg.get(o.s)!]!++;
          } else if (o.k === 'reload') reg.set(o.d, slot[o.slot]!);
          else reg.set(o.d, -1);
        }
        const m = run(
          (a) => {
            a.sub(SP, SP, 64);
            // Slots start with a value equal to no argument.
            a.movImm(X[9]!, 0xdead0000n);
            for (let i = 0; i < 8; i++) a.str(X[9]!, SP, i * 8);
            a.movImm(X[9]!, 0n);
            for (const o of ops) {
              if (o.k === 'mov') a.mov(X[o.d]!, X[o.s]!);
              else if (o.k === 'spill') a.str(X[o.s]!, SP, o.slot * 8);
              else if (o.k === 'reload') a.ldr(X[o.d]!, SP, o.slot * 8);
              else a.movImm(X[o.d]!, 0xbeef00n + BigInt(o.d));
            }
            a.add(SP, SP, 64);
          },
          [0x1000n, 0x2000n, 0x3000n, 0x4000n],
        );
        expect(m.argStoreCounts).toEqual(expected);
      }),
      { seed: 0x5ca1ab1e, numRuns: 60 },
    );
  });
});
