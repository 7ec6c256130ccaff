/**
 * C4.1.93 Branches, Exception Generating and System instructions (table/branch-sys.ts) against llvm-mc,
 * word by word: seeded random words inside the class's top-level pattern (op0 = x101), inside the
 * sub-spaces where most words are unallocated (exception generation, the op0 = 0 system space, branch
 * register), inside each row's fixed bits with every other bit random, and in C4.1.1 Reserved (UDF).
 * For each word: we decode it exactly when llvm-mc does, print llvm-mc's text, and our assembler turns that
 * text into the same word as llvm-mc's. Then the spellings LLVM accepts but never prints (`b.cs`,
 * `isb sy`, `dsb #11`, `tbz x0, #3` …) and the assembler's refusals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assembleOne, decode, disassemble, table } from '../../src/a64/index.js';
import { preferredAlias, printDecoded } from '../../src/a64/print.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble, llvmDisassemble, norm } from '../helpers/llvm.js';

const SEED = Number(process.env.TRAMP64_SEED ?? 20261124);
const SCALE = Math.max(1, Number(process.env.TRAMP64_CASES ?? 24) / 24);
const FILE = 'branch-sys.ts';

const hex = (w: number): string => `0x${w.toString(16).padStart(8, '0')}`;

/** Sub-spaces of the class (mask, value) and how many random words each gets. */
const SPACES: readonly (readonly [what: string, mask: number, value: number, n: number])[] = [
  ['the class (op0 = x101)', 0x1c00_0000, 0x1400_0000, 2000],
  ['exception generation', 0xff00_0000, 0xd400_0000, 400],
  ['exception generation, op2 = 000', 0xff00_001c, 0xd400_0000, 400],
  ['system', 0xffc0_0000, 0xd500_0000, 1000],
  ['system, op0 = 0', 0xffd8_0000, 0xd500_0000, 600],
  ['hints, barriers and PSTATE with Rt = 31', 0xffd8_001f, 0xd500_001f, 1000],
  ['hints, barriers, PSTATE with op1 = 011, Rt = 31', 0xfff8_c01f, 0xd503_001f, 600],
  ['branch (register)', 0xfe00_0000, 0xd600_0000, 500],
  ['branch (register), op2 = 11111, op3<5:2> = 0', 0xfe1f_f000, 0xd61f_0000, 1000],
  ['reserved (C4.1.1)', 0x9e00_0000, 0x0000_0000, 300],
  ['reserved, op0 = 0 (UDF)', 0xfff0_0000, 0x0000_0000, 300],
];

function randomWords(rng: Rng): number[] {
  const words: number[] = [];
  for (const [, mask, value, n] of SPACES) {
    for (let i = 0; i < Math.round(n * SCALE); i++) words.push(((rng.u32() & ~mask) | value) >>> 0);
  }
  for (const e of table().entries.filter((x) => x.file === FILE)) {
    for (let i = 0; i < Math.round(40 * SCALE); i++) words.push(((rng.u32() & ~e.mask) | e.value) >>> 0);
  }
  return words;
}

describe(`C4.1.93 Branches, Exception Generating and System vs llvm-mc (seed ${SEED})`, () => {
  const words = randomWords(new Rng(SEED ^ 0x0c41_0930));
  const theirs = llvmDisassemble(words);

  test('every row of the class is in its top-level pattern (or is UDF)', () => {
    const outside = table()
      .entries.filter((e) => e.file === FILE && e.name !== 'UDF')
      .filter(
        (e) => (e.value & 0x1c00_0000) >>> 0 !== 0x1400_0000 || (e.mask & 0x1c00_0000) >>> 0 !== 0x1c00_0000,
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

  test("our assembler gives llvm-mc's word for every printed text llvm-mc assembles", () => {
    const texts = [...new Set(theirs.filter((t): t is string => t !== undefined))];
    const enc = llvmAssemble(texts);
    const bad: string[] = [];
    let checked = 0;
    texts.forEach((t, i) => {
      const e = enc[i]!;
      if (!('word' in e)) return; // llvm-mc prints it but will not assemble it back
      checked++;
      let ours: string;
      try {
        ours = hex(assembleOne(t));
      } catch (err) {
        ours = String(err);
      }
      if (ours !== hex(e.word)) bad.push(`'${t}': llvm ${hex(e.word)}, ours ${ours}`);
    });
    expect(checked).toBeGreaterThan(texts.length / 2);
    expect(bad.slice(0, 40), `${bad.length} mismatches (seed ${SEED})`).toEqual([]);
  });
});

describe('spellings LLVM accepts but does not print', () => {
  // Each line is assembled by llvm-mc and by us; the words must agree.
  const lines = [
    'b.cs #8',
    'b.cc #-8',
    'B.EQ #4',
    'isb sy',
    'isb #15',
    'clrex #15',
    'dsb #11',
    'dsb #0',
    'dmb #15',
    'dsb ISH',
    'hint #0',
    'hint #34',
    'hint 25',
    'hint #0x22',
    'tbz x0, #3, #8',
    'tbnz x5, #31, #-4',
    'ret x30',
    'sys #0, c7, c5, #0, xzr',
    'sys #3, c7, c11, #1, x0',
    'sys #0, c8, c3, #0',
    'msr daifset, #2',
    'msr DAIFCLR, #0xf',
    'msr spsel, #1',
    'mrs x0, midr_el1',
    'mrs x0, s3_0_c0_c0_0',
    'msr S3_0_c1_C0_0, x0',
    'msr sctlr_el1, x1',
    'mrs x1, S1_0_C7_C5_0',
    'msr S1_3_C7_C11_1, x2',
    'DC CIVAC, X0',
    'tlbi VAE1IS, x9',
    'brk 0x10',
    'svc #16',
    'dcps1 #0',
    'bti C',
  ];
  test("assemble to llvm-mc's words", () => {
    const enc = llvmAssemble(lines);
    const bad: string[] = [];
    lines.forEach((t, i) => {
      const e = enc[i]!;
      if (!('word' in e)) {
        bad.push(`llvm-mc rejects '${t}': ${e.error}`);
        return;
      }
      let ours: string;
      try {
        ours = hex(assembleOne(t));
      } catch (err) {
        ours = String(err);
      }
      if (ours !== hex(e.word)) bad.push(`'${t}': llvm ${hex(e.word)}, ours ${ours}`);
    });
    expect(bad).toEqual([]);
  });

  test('what llvm-mc refuses, we refuse', () => {
    const refused = [
      'hint #128',
      'clrex #16',
      'dsb #16',
      'msr pan, #2',
      'msr ssbs, #3',
      'msr daifset, #16',
      'msr tco, #1',
      'msr midr_el1, x0',
      'mrs x0, dbgdtrtx_el0',
      'mrs w1, SCTLR_EL1',
      'sys #0, c7, c5, #0, w0',
      'sys #8, c0, c0, #0',
      'sys #0, c16, c0, #0',
      'ic iallu, x0',
      'tlbi vmalle1is, x3',
      'tlbi vae1is',
      'dc cvau',
      'tbz w0, #32, #8',
      'svc #0x10000',
      'udf #65536',
      'psb csync',
      'wfet x0',
      'braa x0, xzr',
      'br sp',
      'b.cs #2',
    ];
    const enc = llvmAssemble(refused);
    expect(
      refused.filter((_, i) => 'word' in enc[i]!),
      'llvm-mc accepts these',
    ).toEqual([]);
    const accepted = refused.filter((t) => {
      try {
        assembleOne(t);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual([]);
  });
});

describe('what the kernel and the machine rely on', () => {
  test('cache and TLB maintenance, barriers and PAC hints have their exact words', () => {
    const cases: [string, number][] = [
      ['dc cvau, x1', 0xd50b_7b21],
      ['ic ivau, x2', 0xd50b_7522],
      ['ic iallu', 0xd508_751f],
      ['dsb ish', 0xd503_3b9f],
      ['isb', 0xd503_3fdf],
      ['tlbi vmalle1is', 0xd508_831f],
      ['tlbi vae1is, x0', 0xd508_8320],
      ['paciasp', 0xd503_233f],
      ['autiasp', 0xd503_23bf],
      ['bti c', 0xd503_245f],
      ['nop', 0xd503_201f],
      ['brk #0x800', 0xd421_0000],
      ['hvc #0', 0xd400_0002],
      ['mrs x0, CNTVCT_EL0', 0xd53b_e040],
      ['msr TPIDR_EL1, x1', 0xd518_d081],
      ['udf #0', 0],
    ];
    for (const [text, word] of cases) {
      expect(hex(assembleOne(text)), text).toBe(hex(word));
      expect(norm(disassemble(word)!), hex(word)).toBe(text);
    }
  });

  test('the hint space: PAC and BTI hints are aliases of HINT, the rest print as hint #n', () => {
    for (let n = 0; n < 128; n++) {
      const d = decode((0xd503_201f | (n << 5)) >>> 0)!;
      expect(d.entry.name).toBe('HINT');
      expect(d.f.CRm! * 8 + d.f.op2!).toBe(n);
    }
    expect(disassemble(0xd503_223f)).toBe('hint\t#17');
  });
});

describe('the golden file', () => {
  test('exercises every row and every printed alias of the class', () => {
    const golden = readFileSync(
      join(import.meta.dirname, '..', 'golden', 'a64', 'branch-sys.golden'),
      'utf8',
    );
    const seen = new Set<string>();
    for (const m of golden.matchAll(/encoding: \[([^\]]*)\]/g)) {
      const w = m[1]!.split(',').reduce((acc, b, i) => (acc | (parseInt(b, 16) << (8 * i))) >>> 0, 0);
      const d = decode(w)!;
      seen.add(d.entry.name);
      const a = preferredAlias(d);
      if (a) seen.add(a.name);
    }
    const rows = table().entries.filter((e) => e.file === FILE);
    const names = [
      ...rows.map((e) => e.name),
      ...rows.flatMap((e) => e.aliases.filter((a) => a.only !== 'assemble').map((a) => a.name)),
    ];
    expect(names.filter((n) => !seen.has(n))).toEqual([]);
  });
});
