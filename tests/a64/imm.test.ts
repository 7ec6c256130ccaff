/**
 * The immediate types of src/a64/imm.ts: every bitmask immediate, move-wide choices, load/store offsets
 * and branch reaches, with the exact range messages code generators show. Bitmask and move-wide encodings
 * are cross-checked against llvm-mc on a seeded sample.
 */
import { describe, expect, test } from 'vitest';
import { assembleOne, disassemble, encode, EncodingError } from '../../src/a64/index.js';
import {
  BranchOffset14,
  BranchOffset19,
  BranchOffset26,
  formatBytes,
  Imm12,
  LogicalImm,
  MoveWide,
  SImm7Scaled,
  SImm9,
  UImm12Scaled,
  type RegWidth,
} from '../../src/a64/imm.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble } from '../helpers/llvm.js';

const SEED = Number(process.env.TRAMP64_SEED ?? 20261124);

function allBitmasks(width: RegWidth): Map<bigint, { N: number; immr: number; imms: number }> {
  const out = new Map<bigint, { N: number; immr: number; imms: number }>();
  for (let N = 0; N < (width === 64 ? 2 : 1); N++) {
    for (let immr = 0; immr < 64; immr++) {
      for (let imms = 0; imms < 64; imms++) {
        const v = LogicalImm.decode(N, immr, imms, width);
        if (v !== undefined && !out.has(v)) out.set(v, { N, immr, imms });
      }
    }
  }
  return out;
}

describe('LogicalImm', () => {
  const all64 = allBitmasks(64);
  const all32 = allBitmasks(32);

  test('there are exactly 5334 64-bit and 1302 32-bit bitmask immediates', () => {
    expect(all64.size).toBe(5334);
    expect(all32.size).toBe(1302);
  });

  test.each([64, 32] as const)(
    'decode(encode(v)) = v for every %i-bit bitmask, with canonical fields',
    (width) => {
      const all = width === 64 ? all64 : all32;
      for (const v of all.keys()) {
        const imm = LogicalImm.tryFrom(v, width)!;
        expect(imm, `0x${v.toString(16)}`).toBeDefined();
        expect(LogicalImm.decode(imm.N, imm.immr, imm.imms, width)).toBe(v);
        expect(imm.value).toBe(v);
        // The rotation never uses bits above the element size, as assemblers encode it.
        const size = imm.N ? 64 : 32 >> (Math.clz32(~imm.imms & 0x3f) - 26);
        expect(imm.immr).toBeLessThan(size);
      }
    },
  );

  test('everything else is refused', () => {
    for (const v of [
      0n,
      0xffff_ffff_ffff_ffffn,
      0x1234n,
      0x8000_0000_0000_0005n,
      1n << 64n,
      -(1n << 63n) - 1n,
    ]) {
      expect(LogicalImm.tryFrom(v, 64), `0x${v.toString(16)}`).toBeUndefined();
    }
    expect(LogicalImm.tryFrom(0xffff_ffffn, 32)).toBeUndefined();
    expect(LogicalImm.tryFrom(0x1_0000_0000n, 32)).toBeUndefined();
    const rng = new Rng(SEED);
    for (let i = 0; i < 20_000; i++) {
      const v = rng.u64();
      expect(LogicalImm.tryFrom(v, 64) !== undefined).toBe(all64.has(v));
    }
    expect(() => LogicalImm.from(0x1234n, 64)).toThrow(
      new EncodingError(
        'logical immediate 0x1234 is not a 64-bit bitmask immediate: it must be a 2, 4, 8, 16, 32 or 64-bit ' +
          'element repeated, each element one rotated run of ones (not all zeros or all ones)',
      ),
    );
  });

  test('numbers must be exact integers (bigints carry 64-bit values)', () => {
    expect(LogicalImm.tryFrom(2 ** 60 + 0.5, 64)).toBeUndefined();
    expect(LogicalImm.tryFrom(1.5, 64)).toBeUndefined();
    expect(MoveWide.tryFrom(2 ** 60, 64)).toBeUndefined();
    expect(MoveWide.tryFrom(2n ** 60n, 64)).toMatchObject({ op: 'movz', imm16: 0x1000, hw: 3 });
  });

  test('negative values are taken as the register width', () => {
    expect(LogicalImm.tryFrom(-2, 32)!.value).toBe(0xffff_fffen);
    expect(LogicalImm.tryFrom(-2n, 64)!.value).toBe(0xffff_ffff_ffff_fffen);
  });

  test('fields agree with llvm-mc on a seeded sample', () => {
    const rng = new Rng(SEED + 1);
    const values = [...all64.keys()];
    const sample = Array.from({ length: 300 }, () => values[rng.below(values.length)]!);
    const lines = sample.map((v) => `and x0, x1, #0x${v.toString(16)}`);
    const llvm = llvmAssemble(lines);
    sample.forEach((v, i) => {
      const imm = LogicalImm.from(v, 64);
      const ours = encode('AND_imm', { sf: 1, N: imm.N, immr: imm.immr, imms: imm.imms, Rn: 1, Rd: 0 });
      expect(llvm[i], lines[i]).toEqual({ word: ours });
    });
  });
});

describe('MoveWide', () => {
  test('chooses MOVZ, else MOVN, with the halfword', () => {
    const pick = (v: bigint | number, w: RegWidth) => {
      const m = MoveWide.tryFrom(v, w);
      return m && [m.op, m.imm16, m.hw];
    };
    expect(pick(0, 64)).toEqual(['movz', 0, 0]);
    expect(pick(0x1234_0000_0000n, 64)).toEqual(['movz', 0x1234, 2]);
    expect(pick(0xffff_0000, 32)).toEqual(['movz', 0xffff, 1]);
    expect(pick(-1, 32)).toEqual(['movn', 0, 0]);
    expect(pick(-1n, 64)).toEqual(['movn', 0, 0]);
    expect(pick(0xffff_ffff_fffe_ffffn, 64)).toEqual(['movn', 1, 1]);
    expect(pick(0x1_0001, 64)).toBeUndefined();
    expect(pick(0x1_0000_0000n, 32)).toBeUndefined();
    expect(MoveWide.tryFrom(0xffff_0000, 32, 'movn')).toMatchObject({ op: 'movn', imm16: 0xffff, hw: 0 });
    expect(() => MoveWide.from(0x12345, 64)).toThrow(
      'needs more than one MOVZ/MOVN: a 64-bit value must be zero or all ones outside one 16-bit halfword',
    );
  });

  test('value(tryFrom(v)) = v for every single-instruction value of random chunks', () => {
    const rng = new Rng(SEED + 2);
    for (let i = 0; i < 5000; i++) {
      const w: RegWidth = rng.below(2) ? 64 : 32;
      const op = rng.below(2) ? 'movz' : 'movn';
      const v = MoveWide.valueOf(op, rng.below(0x10000), rng.below(w / 16), w);
      expect(MoveWide.tryFrom(v, w)!.value).toBe(v);
    }
  });

  test('`mov` assembles like llvm-mc', () => {
    const rng = new Rng(SEED + 3);
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      const w: RegWidth = rng.below(2) ? 64 : 32;
      const v = MoveWide.valueOf(rng.below(2) ? 'movz' : 'movn', rng.below(0x10000), rng.below(w / 16), w);
      lines.push(`mov ${w === 64 ? 'x' : 'w'}${rng.below(31)}, #0x${v.toString(16)}`);
    }
    const llvm = llvmAssemble(lines);
    lines.forEach((l, i) => expect({ word: assembleOne(l) }, l).toEqual(llvm[i]));
  });
});

describe('Imm12 and load/store offsets', () => {
  test('Imm12', () => {
    expect(Imm12.tryFrom(4095)).toMatchObject({ imm12: 4095, sh: 0 });
    expect(Imm12.tryFrom(4096)).toMatchObject({ imm12: 1, sh: 1, value: 4096 });
    expect(Imm12.tryFrom(0xfff000)).toMatchObject({ imm12: 0xfff, sh: 1 });
    for (const bad of [-1, 4097, 0x1000000, 1.5]) expect(Imm12.tryFrom(bad)).toBeUndefined();
    expect(() => Imm12.from(4097)).toThrow(
      'ADD/SUB immediate 4097 is not encodable; it must be in [0, 4095] or a multiple of 4096 in [4096, 0xfff000]',
    );
  });

  test('SImm9', () => {
    expect(SImm9.tryFrom(-256)!.imm9).toBe(0x100);
    expect(SImm9.tryFrom(255)!.imm9).toBe(255);
    expect(SImm9.tryFrom(-1)!.imm9).toBe(0x1ff);
    expect(SImm9.tryFrom(256)).toBeUndefined();
    expect(SImm9.tryFrom(-257)).toBeUndefined();
    expect(() => SImm9.from(300)).toThrow('unscaled offset 300 is out of range; it must be in [-256, 255]');
  });

  test('SImm7Scaled', () => {
    expect(SImm7Scaled.tryFrom(-512, 8)!.imm7).toBe(0x40);
    expect(SImm7Scaled.tryFrom(504, 8)!.imm7).toBe(63);
    expect(SImm7Scaled.tryFrom(-16, 16)!.imm7).toBe(0x7f);
    expect(SImm7Scaled.tryFrom(512, 8)).toBeUndefined();
    expect(SImm7Scaled.tryFrom(4, 8)).toBeUndefined();
    expect(() => SImm7Scaled.from(12, 8)).toThrow(
      'pair offset 12 is not encodable; it must be a multiple of 8 in [-512, 504]',
    );
  });

  test('UImm12Scaled', () => {
    expect(UImm12Scaled.tryFrom(32760, 8)!.imm12).toBe(4095);
    expect(UImm12Scaled.tryFrom(32768, 8)).toBeUndefined();
    expect(UImm12Scaled.tryFrom(-8, 8)).toBeUndefined();
    expect(UImm12Scaled.tryFrom(6, 4)).toBeUndefined();
    expect(UImm12Scaled.tryFrom(4095, 1)!.imm12).toBe(4095);
    expect(() => UImm12Scaled.from(6, 4)).toThrow(
      'offset 6 is not encodable; it must be a multiple of 4 in [0, 16380]',
    );
  });
});

describe('branch offsets', () => {
  const pc = 0xffff_8000_8000_0000n;
  const MiB = 1n << 20n;

  test('reach of B/BL is [-128 MiB, +128 MiB)', () => {
    expect(BranchOffset26.fromTarget(pc, pc + 128n * MiB - 4n).offset).toBe(128 * 2 ** 20 - 4);
    expect(BranchOffset26.fromTarget(pc, pc - 128n * MiB).field).toBe(0x200_0000);
    expect(BranchOffset26.tryFrom(128 * 2 ** 20)).toBeUndefined();
    expect(BranchOffset26.tryFrom(-128 * 2 ** 20 - 4)).toBeUndefined();
    expect(BranchOffset26.tryFrom(2)).toBeUndefined();
  });

  test('range messages state distance and reach', () => {
    expect(() => BranchOffset26.fromTarget(pc, pc + 130n * MiB, 'BL')).toThrow(
      new EncodingError('BL target 0xffff800088200000 is 130 MiB away; reach is [−128 MiB, +128 MiB)'),
    );
    expect(() => BranchOffset26.fromTarget(pc, pc - 128n * MiB - 4n, 'B')).toThrow(
      'B target 0xffff800077fffffc is −0x8000004 bytes (~128 MiB) away; reach is [−128 MiB, +128 MiB)',
    );
    expect(() => BranchOffset19.fromTarget(pc, pc + 2n * MiB, 'CBZ')).toThrow(
      'CBZ target 0xffff800080200000 is 2 MiB away; reach is [−1 MiB, +1 MiB)',
    );
    expect(() => BranchOffset14.fromTarget(pc, pc - 40n * 1024n)).toThrow(
      'TBZ target 0xffff80007fff6000 is −40 KiB away; reach is [−32 KiB, +32 KiB)',
    );
    expect(() => BranchOffset26.fromTarget(pc, pc + 6n, 'BL')).toThrow(
      'BL target 0xffff800080000006 is not 4-byte aligned relative to 0xffff800080000000',
    );
    expect(formatBytes(12)).toBe('12 bytes');
  });

  test('fields are what the table encodes and prints', () => {
    const rng = new Rng(SEED + 4);
    for (let i = 0; i < 500; i++) {
      const off = (rng.below(2 ** 26) - 2 ** 25) * 4;
      const word = encode('BL', { imm26: BranchOffset26.tryFrom(off)!.field });
      expect(disassemble(word, { address: pc })).toBe(`bl\t0x${(pc + BigInt(off)).toString(16)}`);
      const off19 = (rng.below(2 ** 19) - 2 ** 18) * 4;
      const cbz = encode('CBZ', { sf: 1, Rt: 3, imm19: BranchOffset19.tryFrom(off19)!.field });
      expect(disassemble(cbz)).toBe(`cbz\tx3, #${off19}`);
    }
    expect(BranchOffset14.tryFrom(-32768)!.field).toBe(0x2000);
    expect(BranchOffset14.tryFrom(32768)).toBeUndefined();
  });
});
