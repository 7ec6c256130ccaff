/**
 * The FP 8-bit immediate (VFPExpandImm) and the 64-bit byte-mask immediate, exhaustively: every imm8 of
 * FMOV (scalar, h/s/d), FMOV (vector, 4h/8h/2s/4s/2d) and MOVI (d, 2d) prints as llvm-mc prints it, and
 * our assembler turns that text back into the word.
 */
import { describe, expect, test } from 'vitest';
import { assembleOne, decode, encode } from '../../src/a64/index.js';
import { printDecoded } from '../../src/a64/print.js';
import { fpImm8From, fpImm8Value } from '../../src/a64/operands/simd-imm.js';
import { llvmDisassemble, norm } from '../helpers/llvm.js';

const imm8s = Array.from({ length: 256 }, (_, i) => i);
const split = (i: number): { abc: number; defgh: number } => ({ abc: i >> 5, defgh: i & 31 });

const words: { what: string; word: number }[] = [
  ...[0, 1, 3].flatMap((ftype) =>
    imm8s.map((imm8) => ({
      what: `FMOV_imm ftype=${ftype}`,
      word: encode('FMOV_imm', { ftype, imm8, Rd: imm8 & 31 }),
    })),
  ),
  ...[0, 1].flatMap((Q) =>
    imm8s.map((i) => ({ what: `FMOV_vi Q=${Q}`, word: encode('FMOV_vi', { Q, ...split(i), Rd: 3 }) })),
  ),
  ...[0, 1].flatMap((Q) =>
    imm8s.map((i) => ({ what: `FMOV_vi_h Q=${Q}`, word: encode('FMOV_vi_h', { Q, ...split(i), Rd: 4 }) })),
  ),
  ...imm8s.map((i) => ({ what: 'FMOV_vi_d', word: encode('FMOV_vi_d', { ...split(i), Rd: 5 }) })),
  ...imm8s.map((i) => ({ what: 'MOVI_64_s', word: encode('MOVI_64_s', { ...split(i), Rd: 6 }) })),
  ...imm8s.map((i) => ({ what: 'MOVI_64_v', word: encode('MOVI_64_v', { ...split(i), Rd: 7 }) })),
];

describe('FP and byte-mask immediates', () => {
  test('fpImm8From inverts fpImm8Value and the values span ±0.125 … ±31', () => {
    for (const i of imm8s) expect(fpImm8From(fpImm8Value(i))).toBe(i);
    expect(fpImm8Value(0x70)).toBe(1);
    expect(fpImm8Value(0x00)).toBe(2);
    expect(fpImm8Value(0x40)).toBe(0.125);
    expect(fpImm8Value(0x3f)).toBe(31);
    expect(fpImm8Value(0xc0)).toBe(-0.125);
    expect(Math.min(...imm8s.map((i) => Math.abs(fpImm8Value(i))))).toBe(0.125);
    expect(fpImm8From(0.3)).toBeUndefined();
    expect(fpImm8From(0)).toBeUndefined();
  });

  const theirs = llvmDisassemble(words.map((w) => w.word));

  test(`${words.length} words print as llvm-mc prints them`, () => {
    const bad = words
      .map(({ what, word }, i) => ({ what, word, ours: norm(printDecoded(decode(word)!)), llvm: theirs[i] }))
      .filter((c) => c.ours !== c.llvm)
      .map((c) => `${c.what} 0x${c.word.toString(16)}: ours '${c.ours}' llvm '${c.llvm}'`);
    expect(bad.slice(0, 20), `${bad.length} mismatches`).toEqual([]);
  });

  test('the printed text assembles back to the word', () => {
    const bad = words
      .filter(({ word }) => assembleOne(printDecoded(decode(word)!)) !== word)
      .map((c) => c.what);
    expect(bad).toEqual([]);
  });
});
