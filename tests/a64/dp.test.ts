/**
 * The data-processing classes (Arm ARM C4.1.92 immediate, C4.1.95 register) against llvm-mc, word by word:
 * seeded random words inside each class's top-level pattern, and inside each row's fixed bits with every
 * other bit random (so reserved field combinations come up often). For each word: we decode it exactly
 * when llvm-mc does, print llvm-mc's text, and assemble that text back to the word whenever llvm-mc does.
 * Then the spellings LLVM accepts but never prints (`lsl #0`, `ubfiz … #0`, `mov` of a negative …).
 */
import { describe, expect, test } from 'vitest';
import { decode, table } from '../../src/a64/index.js';
import { printDecoded } from '../../src/a64/print.js';
import { AssemblyError, assembleInsn } from '../../src/a64/parse.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble, llvmDisassemble, norm } from '../helpers/llvm.js';

const SEED = Number(process.env.TRAMP64_SEED ?? 20261124);
const SCALE = Math.max(1, Number(process.env.TRAMP64_CASES ?? 24) / 24);

const hex = (w: number): string => `0x${w.toString(16).padStart(8, '0')}`;

interface ClassSpec {
  readonly name: string;
  readonly file: string;
  /** The class's top-level bits (Arm ARM C4.1): op0 = 100x for immediate, x101 for register. */
  readonly mask: number;
  readonly value: number;
}

const CLASSES: readonly ClassSpec[] = [
  { name: 'C4.1.92 Data Processing -- Immediate', file: 'dp-imm.ts', mask: 0x1c00_0000, value: 0x1000_0000 },
  { name: 'C4.1.95 Data Processing -- Register', file: 'dp-reg.ts', mask: 0x0e00_0000, value: 0x0a00_0000 },
];

function wordsFor(cls: ClassSpec, rng: Rng): number[] {
  const words: number[] = [];
  const n = Math.round(2000 * SCALE);
  for (let i = 0; i < n; i++) words.push(((rng.u32() & ~cls.mask) | cls.value) >>> 0);
  for (const e of table().entries.filter((x) => x.file === cls.file)) {
    for (let i = 0; i < Math.round(40 * SCALE); i++) words.push(((rng.u32() & ~e.mask) | e.value) >>> 0);
  }
  return words;
}

describe.each(CLASSES)('$name vs llvm-mc (seed ' + SEED + ')', (cls) => {
  const rng = new Rng(SEED ^ cls.value);
  const words = wordsFor(cls, rng);
  const theirs = llvmDisassemble(words);

  test('every row of the class is in its top-level pattern', () => {
    const outside = table()
      .entries.filter(
        (e) =>
          e.file === cls.file &&
          ((e.value & cls.mask) >>> 0 !== cls.value || (e.mask & cls.mask) >>> 0 !== cls.mask),
      )
      .map((e) => e.name);
    expect(outside).toEqual([]);
  });

  test(`${words.length} words decode exactly where llvm-mc decodes them, to llvm-mc's text`, () => {
    const bad: string[] = [];
    words.forEach((w, i) => {
      const d = decode(w);
      const ours = d ? norm(printDecoded(d)) : undefined;
      if (ours !== theirs[i])
        bad.push(`${hex(w)} ${d?.entry.name ?? '-'}: ours '${ours}' llvm '${theirs[i]}'`);
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });

  test('our text assembles back to the word wherever llvm-mc does', () => {
    const valid = words.filter((w) => decode(w) !== undefined);
    const texts = valid.map((w) => printDecoded(decode(w)!).split(' //')[0]!);
    const llvm = llvmAssemble(texts);
    const bad: string[] = [];
    valid.forEach((w, i) => {
      const t = llvm[i]!;
      if (!('word' in t) || t.word !== w) return;
      let ours: number | string;
      try {
        ours = assembleInsn(table(), texts[i]!);
      } catch (e) {
        ours = String(e);
      }
      if (ours !== w)
        bad.push(`'${texts[i]}': want ${hex(w)}, got ${typeof ours === 'number' ? hex(ours) : ours}`);
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });
});

/** Text LLVM accepts and encodes, though it prints the result another way. */
const ACCEPTED = [
  'lsl x0, x1, #0',
  'lsl w3, w4, #0',
  'ubfiz x0, x1, #0, #8',
  'sbfiz w0, w1, #0, #32',
  'bfi x2, x3, #0, #64',
  'bfc w0, #0, #5',
  'mov x0, #0',
  'mov w0, #0xffffffff',
  'mov x0, #-1',
  'mov x0, #0xffffffffffff0000',
  'mov w5, #0xfffe',
  'mov x0, #0x5555555555555555',
  'mov w0, #-2',
  'and x0, x1, #-2',
  'orr w0, w1, #0x80000000',
  'movz x0, #1, lsl #0',
  'movk w0, #0xffff, lsl #16',
  'movn x0, #0, lsl #48',
  'add x0, x1, #4096',
  'add x0, x1, #-1',
  'sub sp, sp, #-4096',
  'adds w0, wsp, #-4095',
  'subs x0, x1, #-1, lsl #12',
  'cmp x0, #-1',
  'cmn w0, #-5',
  'cmp w1, #0x1000',
  'sbfx x0, x1, #63, #1',
  'ubfx w0, w1, #31, #1',
  'asr x0, x1, #0',
  'ror w0, w1, #31',
  'extr x0, x1, x2, #63',
  'add x0, x1, x2, lsl #0',
  'add x0, sp, x1, lsl #0',
  'add x0, sp, x1, uxtx #2',
  'add w0, wsp, w1, uxtw #1',
  'sub sp, sp, x9',
  'cmp x0, x1, lsl #0',
  'orr x0, xzr, x1, lsl #0',
  'csinc x0, x1, x2, cs',
  'csel w0, w1, w2, cc',
  'mul x0, x1, x2',
  'rev64 x0, x1',
  'lslv x0, x1, x2',
  'cmp sp, #1',
  'add x0, x1, x2, uxtx #0',
  'add sp, sp, w0, uxtw',
  'csetm x0, cs',
];

describe('accepted spellings', () => {
  test('assemble to llvm-mc encodings', () => {
    const llvm = llvmAssemble(ACCEPTED);
    const bad: string[] = [];
    ACCEPTED.forEach((text, i) => {
      const t = llvm[i]!;
      expect('word' in t, `llvm-mc rejects '${text}'`).toBe(true);
      let ours: number | string;
      try {
        ours = assembleInsn(table(), text);
      } catch (e) {
        ours = String(e);
      }
      if ('word' in t && ours !== t.word)
        bad.push(`'${text}': want ${hex(t.word)}, got ${typeof ours === 'number' ? hex(ours) : ours}`);
    });
    expect(bad).toEqual([]);
  });
});

/** Text both LLVM and we refuse: out-of-range amounts, reserved forms, wrong register widths. */
const REFUSED = [
  'mov x0, #1, lsl #16',
  'mov x0, #0x123456789',
  'add x0, x1, #4097',
  'add x0, x1, #4096, lsl #12',
  'add x0, x1, x2, ror #3',
  'add w0, w1, w2, lsl #32',
  'add x0, x1, w2, uxtx',
  'add x0, x1, w2, sxtw #5',
  'and x0, x1, #0',
  'and x0, x1, #0x1234',
  'lsl x0, x1, #64',
  'ror w0, w1, #32',
  'extr w0, w1, w2, #32',
  'sxtw w0, w1',
  'bfxil x0, x1, #0, #65',
  'ubfiz w0, w1, #31, #2',
  'movk w0, #1, lsl #32',
  'movz x0, #1, lsl #8',
  'cset x0, al',
  'cinc x0, x1, nv',
  'ccmp x0, #32, #0, eq',
  'ccmp x0, x1, #16, eq',
  'rmif x0, #64, #0',
  'smull x0, x1, x2',
  'crc32x w0, w1, w2',
  'pacia x0, xzr',
  'rev32 w0, w1',
];

describe('refused spellings', () => {
  test('llvm-mc and our assembler both refuse them', () => {
    const llvm = llvmAssemble(REFUSED);
    const accepted: string[] = [];
    REFUSED.forEach((text, i) => {
      expect('error' in llvm[i]!, `llvm-mc accepts '${text}'`).toBe(true);
      try {
        accepted.push(`'${text}' -> ${hex(assembleInsn(table(), text))}`);
      } catch (e) {
        expect(e).toBeInstanceOf(AssemblyError);
      }
    });
    expect(accepted).toEqual([]);
  });
});
