/**
 * The system register and SYS operation names (table/sysreg.ts) against llvm-mc, exhaustively: every
 * op0:op1:CRn:CRm:op2 of `1101010100 L op0 op1 CRn CRm op2 Rt` for L = 0 and 1 (MSR/MRS, SYS/SYSL and
 * the hint, barrier and PSTATE space), with a varying Rt and again with Rt = 31. Then every name both
 * ways through the assembler, and the lookup helpers the machine uses.
 */
import { describe, expect, test } from 'vitest';
import { assembleOne, disassemble } from '../../src/a64/index.js';
import {
  parseSysreg,
  sysOpAt,
  sysOpByName,
  sysregByName,
  sysregKey,
  sysregName,
  sysregSpelling,
} from '../../src/a64/table/sysreg.js';
import { llvmAssemble, llvmDisassemble, norm } from '../helpers/llvm.js';

const hex = (w: number): string => `0x${w.toString(16).padStart(8, '0')}`;

function systemWords(): number[] {
  const words: number[] = [];
  for (let L = 0; L < 2; L++) {
    for (let key = 0; key < 0x1_0000; key++) {
      const rt = (key * 7 + L) % 31;
      words.push((0xd500_0000 | (L << 21) | (key << 5) | rt) >>> 0);
      // Rt = 31 matters where the key is a hint, barrier, PSTATE write or register-less SYS operation.
      if (key >> 14 <= 1) words.push((0xd500_001f | (L << 21) | (key << 5)) >>> 0);
    }
  }
  return words;
}

describe('the whole system space vs llvm-mc', () => {
  const words = systemWords();
  const theirs = llvmDisassemble(words);

  test(`${words.length} words print as llvm-mc prints them`, () => {
    const bad: string[] = [];
    words.forEach((w, i) => {
      const ours = disassemble(w);
      const t = ours === undefined ? undefined : norm(ours);
      if (t !== theirs[i]) bad.push(`${hex(w)}: ours '${t}' llvm '${theirs[i]}'`);
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches`).toEqual([]);
  });
});

/** Every named register and operation, from the printer's side: a name is printed only if it is in the table. */
function namedTexts(): string[] {
  const texts: string[] = [];
  for (let o0 = 0; o0 < 2; o0++) {
    for (let low = 0; low < 0x4000; low++) {
      const [op1, CRn, CRm, op2] = [low >> 11, (low >> 7) & 15, (low >> 3) & 15, low & 7];
      const r = sysregName(o0, op1, CRn, CRm, op2, 'read');
      const w = sysregName(o0, op1, CRn, CRm, op2, 'write');
      if (r) texts.push(`mrs x3, ${r}`, `mrs x4, ${r.toLowerCase()}`);
      if (w) texts.push(`msr ${w}, x5`, `msr ${w.toLowerCase()}, xzr`);
      const op = o0 === 0 ? sysOpAt(op1, CRn, CRm, op2) : undefined;
      if (op) texts.push(op.takesRegister ? `${op.kind} ${op.name}, x6` : `${op.kind} ${op.name}`);
    }
  }
  return texts;
}

describe('every name assembles as llvm-mc assembles it', () => {
  const texts = namedTexts();
  test(`${texts.length} lines`, () => {
    // 725 readable and 623 writable register names, two spellings each, and 108 SYS operations.
    expect(texts.length).toBe(2 * (725 + 623) + 108);
    const enc = llvmAssemble(texts);
    const bad: string[] = [];
    texts.forEach((t, i) => {
      const e = enc[i]!;
      let ours: string;
      try {
        ours = hex(assembleOne(t));
      } catch (err) {
        ours = String(err);
      }
      const want = 'word' in e ? hex(e.word) : `llvm-mc error: ${e.error}`;
      if (ours !== want) bad.push(`'${t}': llvm ${want}, ours ${ours}`);
    });
    expect(bad.slice(0, 40), `${bad.length} mismatches`).toEqual([]);
  });
});

describe('lookup helpers', () => {
  test('sysregByName finds LLVM names in any case, with their encoding and access', () => {
    expect(sysregByName('sctlr_el1')).toEqual({
      name: 'SCTLR_EL1',
      op0: 3,
      op1: 0,
      CRn: 1,
      CRm: 0,
      op2: 0,
      readable: true,
      writable: true,
    });
    expect(sysregByName('CNTVCT_EL0')).toMatchObject({
      op0: 3,
      op1: 3,
      CRn: 14,
      CRm: 0,
      op2: 2,
      readable: true,
      writable: false,
    });
    expect(sysregByName('currentel')?.name).toBe('CurrentEL');
    expect(sysregByName('OSLAR_EL1')).toMatchObject({ readable: false, writable: true });
    expect(sysregByName('NO_SUCH_REG')).toBeUndefined();
    expect(sysregByName('S3_0_C15_C2_0')).toBeUndefined();
  });

  test('sysregName takes MRS/MSR fields (op0 = 2 + o0) and an access', () => {
    expect(sysregName(1, 0, 0, 0, 0)).toBe('MIDR_EL1');
    expect(sysregName(1, 0, 0, 0, 0, 'write')).toBeUndefined();
    expect(sysregName(1, 0, 13, 0, 4, 'write')).toBe('TPIDR_EL1');
    expect(sysregName(1, 0, 4, 1, 0)).toBe('SP_EL0');
    expect(sysregName(0, 3, 0, 5, 0, 'read')).toBe('DBGDTRRX_EL0');
    expect(sysregName(0, 3, 0, 5, 0, 'write')).toBe('DBGDTRTX_EL0');
    expect(sysregName(1, 0, 15, 2, 0)).toBeUndefined();
  });

  test('sysregSpelling and parseSysreg are inverse, with the generic spelling for unnamed encodings', () => {
    expect(sysregSpelling(3, 0, 15, 2, 0, 'read')).toBe('S3_0_C15_C2_0');
    expect(sysregSpelling(3, 0, 0, 0, 0, 'write')).toBe('S3_0_C0_C0_0');
    expect(sysregSpelling(0, 3, 2, 0, 0, 'write')).toBe('S0_3_C2_C0_0');
    for (const access of ['read', 'write'] as const) {
      for (let key = 0; key < 0x1_0000; key += 13) {
        const [op0, op1, CRn, CRm, op2] = [
          key >> 14,
          (key >> 11) & 7,
          (key >> 7) & 15,
          (key >> 3) & 15,
          key & 7,
        ];
        const r = parseSysreg(sysregSpelling(op0, op1, CRn, CRm, op2, access), access)!;
        expect(sysregKey(r.op0, r.op1, r.CRn, r.CRm, r.op2)).toBe(key);
      }
    }
    expect(parseSysreg('MIDR_EL1', 'write')).toBeUndefined();
    expect(parseSysreg('s3_0_c16_c0_0', 'read')).toBeUndefined();
  });

  test('SYS operations by name and by fields', () => {
    expect(sysOpByName('dc', 'CVAU')).toEqual({
      kind: 'dc',
      name: 'cvau',
      op1: 3,
      CRn: 7,
      CRm: 11,
      op2: 1,
      takesRegister: true,
    });
    expect(sysOpByName('ic', 'iallu')).toMatchObject({
      op1: 0,
      CRn: 7,
      CRm: 5,
      op2: 0,
      takesRegister: false,
    });
    expect(sysOpByName('tlbi', 'vmalle1is')?.takesRegister).toBe(false);
    expect(sysOpAt(0, 8, 3, 1)?.name).toBe('vae1is');
    expect(sysOpAt(3, 7, 3, 4)).toMatchObject({ kind: 'cfp', name: 'rctx' });
    expect(sysOpAt(0, 7, 5, 1)).toBeUndefined();
    expect(sysOpByName('dc', 'iallu')).toBeUndefined();
  });
});
