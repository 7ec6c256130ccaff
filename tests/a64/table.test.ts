/**
 * The table checked against LLVM (STYLE principles 1, 9, 10, 13). For every row of every class file:
 * seeded random field values → our encoder → our decoder gives the same row and fields → our text equals
 * llvm-mc's disassembly of the word → our assembler turns our text back into the word whenever llvm-mc
 * does too. The seed is printed on failure so a case reproduces.
 */
import { describe, expect, test } from 'vitest';
import { decode, table } from '../../src/a64/index.js';
import { encodeEntry } from '../../src/a64/encode.js';
import { printDecoded } from '../../src/a64/print.js';
import { assembleInsn } from '../../src/a64/parse.js';
import type { Entry, Fields } from '../../src/a64/types.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble, llvmDisassemble, norm } from '../helpers/llvm.js';

const SEED = Number(process.env.TRAMP64_SEED ?? 20261124);
const PER_ENTRY = Number(process.env.TRAMP64_CASES ?? 24);

interface Case {
  entry: Entry;
  word: number;
}

function randomCase(entry: Entry, rng: Rng): Case | undefined {
  for (let attempt = 0; attempt < 64; attempt++) {
    const f: Fields = {};
    for (const s of entry.fieldSpecs) {
      // Bias towards edge values: they are where encodings go wrong.
      const max = 2 ** s.width - 1;
      const r = rng.below(8);
      f[s.name] = r === 0 ? 0 : r === 1 ? max : r === 2 ? Math.min(max, 31) : rng.below(max + 1);
    }
    if (entry.invalid?.(f)) continue;
    const word = encodeEntry(entry, f);
    const d = decode(word);
    if (d?.entry !== entry) continue; // a more specific row of the same overlap group owns this word
    return { entry, word };
  }
  return undefined;
}

const rng = new Rng(SEED);
const cases: Case[] = [];
for (const entry of table().entries) {
  for (let i = 0; i < PER_ENTRY; i++) {
    const c = randomCase(entry, rng);
    if (c) cases.push(c);
  }
}

describe(`A64 table vs llvm-mc (seed ${SEED}, ${cases.length} cases)`, () => {
  test('every row yields at least one encodable word', () => {
    const rows = new Set(cases.map((c) => c.entry.name));
    const missing = table()
      .entries.filter((e) => !rows.has(e.name))
      .map((e) => e.name);
    expect(missing).toEqual([]);
  });

  test('decode ∘ encode is the identity on fields', () => {
    for (const { entry, word } of cases) {
      const d = decode(word)!;
      expect(d.entry.name).toBe(entry.name);
      expect(encodeEntry(d.entry, d.f)).toBe(word);
    }
  });

  const llvmText = llvmDisassemble(cases.map((c) => c.word));

  test('our disassembly equals llvm-mc', () => {
    const bad: string[] = [];
    cases.forEach(({ entry, word }, i) => {
      const ours = norm(printDecoded(decode(word)!));
      if (ours !== llvmText[i]) {
        bad.push(
          `${entry.name} 0x${word.toString(16).padStart(8, '0')}: ours '${ours}' llvm '${llvmText[i]}'`,
        );
      }
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });

  test('assemble(disassemble(w)) == w wherever llvm-mc agrees', () => {
    const texts = cases.map(({ word }) => printDecoded(decode(word)!).split(' //')[0]!);
    const theirs = llvmAssemble(texts);
    const bad: string[] = [];
    cases.forEach(({ entry, word }, i) => {
      const t = theirs[i]!;
      if (!('word' in t) || t.word !== word) return; // llvm-mc itself does not round-trip this text
      let ours: number | string;
      try {
        ours = assembleInsn(table(), texts[i]!);
      } catch (e) {
        ours = String(e);
      }
      if (ours !== word)
        bad.push(
          `${entry.name} '${texts[i]}': want 0x${word.toString(16)}, got ${typeof ours === 'number' ? `0x${ours.toString(16)}` : ours}`,
        );
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });
});

describe('decoder totality', () => {
  test('random words decode or are undefined, and always print', () => {
    const r = new Rng(SEED + 1);
    for (let i = 0; i < 200_000; i++) {
      const w = r.u32();
      const d = decode(w);
      if (d) expect(typeof printDecoded(d)).toBe('string');
    }
  });
});
