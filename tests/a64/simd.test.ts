/**
 * The SIMD&FP class (Arm ARM C4.1.96: scalar FP, Advanced SIMD, crypto) against llvm-mc with the reference
 * flags. Seeded random words with bits 27:25 = 111 (the whole class) and with the bits of its denser
 * groups fixed must decode exactly where llvm-mc decodes, to rows of the SIMD&FP table files only, and
 * print as llvm-mc prints them. Then the spellings LLVM accepts but never prints, checked both ways, and
 * the assembler's errors for out-of-range operands.
 */
import { describe, expect, test } from 'vitest';
import { assembleOne, decode } from '../../src/a64/index.js';
import { printDecoded } from '../../src/a64/print.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble, llvmDisassemble, norm } from '../helpers/llvm.js';

const SEED = Number(process.env.TRAMP64_SEED ?? 20261124);
const SCALE = Math.max(1, Number(process.env.TRAMP64_CASES ?? 24) / 24);
const FILES = new Set([
  'fp.ts',
  'simd.ts',
  'simd-crypto.ts',
  'simd-imm.ts',
  'simd-perm.ts',
  'simd-scalar.ts',
]);

/** Top-level pattern (MSB first, `x` random) → words to draw. */
const PATTERNS: readonly [string, number][] = [
  ['xxxx111xxxxxxxxxxxxxxxxxxxxxxxxx', 8000], // the whole class
  ['x0011110xxxxxxxxxxxxxxxxxxxxxxxx', 2000], // scalar FP, conversions
  ['0xx01110xx1xxxxxxxxxxxxxxxxxxxxx', 2000], // three same / different, two-reg misc, across lanes
  ['0xx011110xxxxxxxxxxxx1xxxxxxxxxx', 2000], // modified immediate, shift by immediate
  ['0xx01111xxxxxxxxxxxxx0xxxxxxxxxx', 2000], // by element
  ['0xx01110000xxxxx0xxxx1xxxxxxxxxx', 2000], // copy
  ['01x1111xxxxxxxxxxxxxxxxxxxxxxxxx', 2000], // scalar Advanced SIMD
  ['11001110xxxxxxxxxxxxxxxxxxxxxxxx', 1000], // SHA3/SHA512/SM3/SM4
];

function draw(pattern: string, n: number, rng: Rng): number[] {
  let mask = 0;
  let value = 0;
  [...pattern].forEach((ch, i) => {
    const b = 2 ** (31 - i);
    if (ch !== 'x') {
      mask += b;
      if (ch === '1') value += b;
    }
  });
  return Array.from({ length: Math.round(n * SCALE) }, () => ((rng.u32() & ~mask) | value) >>> 0);
}

const hex = (w: number): string => `0x${w.toString(16).padStart(8, '0')}`;

describe(`SIMD&FP words vs llvm-mc (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  test.each(PATTERNS)('%s: same words valid, same text', (pattern, n) => {
    const words = draw(pattern, n, rng);
    const theirs = llvmDisassemble(words);
    const bad: string[] = [];
    let valid = 0;
    words.forEach((w, i) => {
      const d = decode(w);
      if (d && !FILES.has(d.entry.file)) bad.push(`${hex(w)} decodes to ${d.entry.file}: ${d.entry.name}`);
      const ours = d ? norm(printDecoded(d)) : undefined;
      if (ours !== theirs[i])
        bad.push(`${hex(w)} ${d?.entry.name ?? '-'}: ours '${ours}' llvm '${theirs[i]}'`);
      if (theirs[i] !== undefined) valid++;
    });
    expect(valid).toBeGreaterThan(0);
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });
});

describe('spellings LLVM accepts but prints another way', () => {
  const lines = [
    'uxtl v0.8h, v1.8b',
    'uxtl2 v0.2d, v1.4s',
    'sxtl v0.4s, v1.4h',
    'sxtl2 v0.8h, v1.16b',
    'ins v0.s[1], w1',
    'ins v0.d[1], x1',
    'ins v0.b[15], v1.b[0]',
    'umov w0, v0.s[1]',
    'umov x0, v0.d[1]',
    'dup b0, v1.b[2]',
    'dup d0, v1.d[1]',
    'not v0.16b, v1.16b',
    'orr v0.8b, v1.8b, v1.8b',
    'tbl v0.16b, {v1.16b-v2.16b}, v3.16b',
    'tbx v0.8b, {v31.16b, v0.16b, v1.16b}, v3.8b',
    'tbl v0.16b, {v30.16b-v1.16b}, v3.16b',
    'movi v0.2d, #0',
    'movi d1, #0xff00ff00ff00ff00',
    'fmov s0, #1',
    'fmov d0, #-1.25e0',
    'FMOV D0, #1.0',
    'fcmeq v0.4s, v1.4s, #0',
    'fcmp d0, #0.00',
    'movi v0.4s, #0x12, lsl #24',
    'orr v0.4h, #0xff',
    'bic v0.4s, #0xff, lsl #0',
    'mov v0.d[1], x1',
    // Rejected by both.
    'fcmp d0, #0',
    'mov x0, v0.s[1]',
    'umov w0, v0.d[1]',
    'smov w0, v0.s[0]',
    'ushr v0.4s, v1.4s, #0',
    'shl v0.4s, v1.4s, #32',
    'mla v0.8h, v1.8h, v16.h[1]',
    'movi d0, #0x1234',
    'fmov d0, #0.3',
    'tbl v0.16b, {v1.16b, v3.16b}, v2.16b',
    'pmull v0.1q, v1.2d, v2.2d',
    'sha1c q0, q1, v2.4s',
  ];
  const theirs = llvmAssemble(lines);
  test.each(lines.map((l, i) => [l, theirs[i]!] as const))('%s', (line, t) => {
    let ours: number | undefined;
    try {
      ours = assembleOne(line);
    } catch {
      ours = undefined;
    }
    expect(ours).toBe('word' in t ? t.word : undefined);
  });
});

test('EXT of 8-byte vectors takes indexes 0-7 only (LLVM 14 assembles #8 yet decodes the word as invalid)', () => {
  expect(() => assembleOne('ext v0.8b, v1.8b, v2.8b, #8')).toThrow(/EXT: field values .* are reserved/);
  expect(decode(0x2e024020)).toBeUndefined();
  expect(llvmDisassemble([0x2e024020])).toEqual([undefined]);
});

describe('assembler errors name the operand and the rule', () => {
  test.each([
    ['ushr v0.4s, v1.4s, #33', '1:20: expected a shift amount in [1, 32]'],
    ['fmov d0, #0.3', '1:11: expected an FP immediate ±(1 + n/16) × 2^e, n in [0, 15], e in [-3, 4]'],
    ['movi d0, #0x1234', '1:10: expected a 64-bit immediate whose bytes are each 0x00 or 0xff'],
    ['add v0.4s, v1.4s, v2.2d', '1:19: expected operands of one size'],
    ['tbl v0.16b, { v1.16b, v3.16b }, v2.16b', '1:13: expected consecutive registers of one arrangement'],
    ['sha1c q0, q1, v2.4s', '1:11: expected a register like s0'],
  ])('%s', (line, message) => {
    expect(() => assembleOne(line)).toThrow(message);
  });
});
