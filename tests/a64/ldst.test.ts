/**
 * C4.1.94 Loads and Stores against llvm-mc on random words: seeded words restricted to the class
 * (op0 = x1x0 at bits 28:25) and to each of its encoding groups. A word must be undefined for us exactly
 * where llvm-mc says "invalid instruction encoding", and print as llvm-mc prints it everywhere else.
 * Failures print the seed (TRAMP64_SEED) so a run reproduces.
 */
import { describe, expect, test } from 'vitest';
import { assembleOne, decode } from '../../src/a64/index.js';
import { printDecoded } from '../../src/a64/print.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble, llvmDisassemble, norm } from '../helpers/llvm.js';

const SEED = Number(process.env.TRAMP64_SEED ?? 94);
const PER_GROUP = Number(process.env.TRAMP64_CASES ?? 24) * 20;

/** The class and its groups as (mask, value) over the word, from the Arm ARM's C4.1.94 decode table. */
const GROUPS: readonly [name: string, pattern: string][] = [
  ['loads and stores', '---- 1 - 0 -------------------------'],
  ['SIMD multiple structures', '0 - 0011000 - 000000 ----------------'],
  ['SIMD multiple structures (post-indexed)', '0 - 0011001 - 0 ---------------------'],
  ['SIMD single structure', '0 - 0011010 - ----------------------'],
  ['SIMD single structure (post-indexed)', '0 - 0011011 - ----------------------'],
  ['memory tags', '11011001 1 -----------------------'],
  ['exclusive and ordered', '-- 001000 ------------------------'],
  ['RCpc unscaled', '-- 011001 -- 0 --------- 00 ----------'],
  ['literal', '-- 011 - 00 ------------------------'],
  ['pairs', '-- 101 - 0 -------------------------'],
  ['unscaled, indexed, unprivileged', '-- 111 - 00 -- 0 ----------- ----------'],
  ['atomic memory operations', '-- 111 - 00 -- 1 ----- ---- 00 ----------'],
  ['register offset', '-- 111 - 00 -- 1 ----- ---- 10 ----------'],
  ['pac', '-- 111 - 00 -- 1 ----- ---- -1 ----------'],
  ['unsigned immediate', '-- 111 - 01 ------------------------'],
];

function maskValue(pattern: string): { mask: number; value: number } {
  const bits = pattern.replace(/\s+/g, '');
  if (bits.length !== 32) throw new Error(`pattern '${pattern}' has ${bits.length} bits`);
  let mask = 0;
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const b = 2 ** (31 - i);
    if (bits[i] !== '-') mask += b;
    if (bits[i] === '1') value += b;
  }
  return { mask, value };
}

const rng = new Rng(SEED);
const words: { group: string; word: number }[] = [];
for (const [group, pattern] of GROUPS) {
  const { mask, value } = maskValue(pattern);
  for (let i = 0; i < PER_GROUP; i++) {
    let w = ((rng.u32() & ~mask) | value) >>> 0;
    // Half the words get a "should be one" field set to 11111, where the interesting encodings live.
    if (rng.below(2) === 0) w = (w | 0x001f_0000) >>> 0;
    if (rng.below(2) === 0) w = (w | 0x0000_7c00) >>> 0;
    words.push({ group, word: w });
  }
}

describe(`loads and stores: random words vs llvm-mc (seed ${SEED}, ${words.length} words)`, () => {
  const theirs = llvmDisassemble(words.map((w) => w.word));

  test('undefined exactly where llvm-mc says "invalid instruction encoding"', () => {
    const bad: string[] = [];
    words.forEach(({ group, word }, i) => {
      const d = decode(word);
      if ((d === undefined) !== (theirs[i] === undefined)) {
        bad.push(
          `${group} 0x${word.toString(16).padStart(8, '0')}: ours ${d ? `${d.entry.name} '${norm(printDecoded(d))}'` : 'undefined'}, llvm ${theirs[i] ?? 'invalid'}`,
        );
      }
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });

  test('the text equals llvm-mc wherever both decode', () => {
    const bad: string[] = [];
    words.forEach(({ group, word }, i) => {
      const d = decode(word);
      if (!d || theirs[i] === undefined) return;
      const ours = norm(printDecoded(d));
      if (ours !== theirs[i])
        bad.push(
          `${group} 0x${word.toString(16).padStart(8, '0')} ${d.entry.name}: ours '${ours}', llvm '${theirs[i]}'`,
        );
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });

  test('our assembler accepts our text exactly where llvm-mc does, with its encoding', () => {
    // Covers the CONSTRAINED UNPREDICTABLE forms LLVM decodes but refuses to assemble (writeback to the
    // transfer register, LDP Rt = Rt2, a store-exclusive status register that is also a source).
    const texts = words
      .map(({ word }) => decode(word))
      .filter((d) => d !== undefined)
      .map((d) => printDecoded(d).split(' //')[0]!);
    const llvm = llvmAssemble(texts);
    const bad: string[] = [];
    texts.forEach((text, i) => {
      const t = llvm[i]!;
      let ours: number | string;
      try {
        ours = assembleOne(text);
      } catch (e) {
        ours = String(e);
      }
      if ('word' in t ? ours !== t.word : typeof ours === 'number') {
        bad.push(
          `'${norm(text)}': llvm ${'word' in t ? `0x${t.word.toString(16)}` : t.error}, ours ${typeof ours === 'number' ? `0x${ours.toString(16)}` : ours}`,
        );
      }
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });

  test('every group has words that decode and words llvm-mc rejects or accepts as it should', () => {
    // Guards the generator: a group whose words never decode would make the tests above vacuous.
    const decoded = new Set(words.filter((w) => decode(w.word) !== undefined).map((w) => w.group));
    expect(GROUPS.map(([g]) => g).filter((g) => g !== 'memory tags' && !decoded.has(g))).toEqual([]);
  });
});
