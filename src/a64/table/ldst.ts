/**
 * Arm ARM (DDI 0487) C4.1.94 Loads and Stores — the single-register groups:
 *
 *   Load register (literal)                             opc 011 V 00 imm19 Rt
 *   Load/store register (unscaled immediate)            size 111 V 00 opc 0 imm9 00 Rn Rt
 *   Load/store register (immediate post-indexed)        size 111 V 00 opc 0 imm9 01 Rn Rt
 *   Load/store register (unprivileged)                  size 111 V 00 opc 0 imm9 10 Rn Rt
 *   Load/store register (immediate pre-indexed)         size 111 V 00 opc 0 imm9 11 Rn Rt
 *   Load/store register (register offset)               size 111 V 00 opc 1 Rm option S 10 Rn Rt
 *   Load/store register (pac)                           11 111 0 00 M S 1 imm9 W 1 Rn Rt
 *   Load/store register (unsigned immediate)            size 111 V 01 opc imm12 Rn Rt
 *
 * Every group is decoded by the same (size, V, opc) table (VARIANTS below, the manual's decode tables side
 * by side), so each row has its size, V and opc bits fixed and its register kind and scale known. Rows not
 * in VARIANTS for a group are unallocated there (e.g. size 1x with V = 1 and opc 1x, PRFM with writeback).
 * Pairs, exclusives/atomics and SIMD structures are in ldst-pair.ts, ldst-atomic.ts and ldst-simd.ts.
 *
 * Not decoded: the memory-tagging instructions (STG, STZG, ST2G, STZ2G, LDG, STGM, STZGM, LDGM in the
 * "load/store memory tags" group at 11011001, and STGP in the pair groups). FEAT_MTE is not in the
 * reference flags, so llvm-mc reports them as invalid encodings, and so do we. Later additions to the
 * class (FEAT_LS64 LD64B/ST64B, FEAT_MOPS CPY and SET, FEAT_LRCPC3) are beyond v8.5a and likewise invalid.
 */
import { gpr, pcRel } from '../operands/core.js';
import {
  memOffset,
  memPreIndex,
  memRegOffset,
  memBase,
  postOffset,
  prfop,
  reg,
  REG_BYTES,
  type OffsetSpec,
  type RegKind,
} from '../operands/ldst.js';
import type { AliasSpec, EncodingSpec, Fields, InsnClass, Operand, TableFile } from '../types.js';

interface Variant {
  /** Instruction of the scaled, register-offset and indexed forms (`LDRSB`), lower-cased as the mnemonic. */
  readonly insn: string;
  /** Instruction of the unscaled-immediate form (`LDURSB`). */
  readonly unscaled: string;
  /** Instruction of the unprivileged form (`LDTRSB`); none for SIMD&FP registers and PRFM. */
  readonly unpriv?: string;
  /** Row-name suffix telling the variants of one instruction apart (`_32`, `_64`, `_q`). */
  readonly suffix: string;
  readonly size: string;
  readonly V: string;
  readonly opc: string;
  /** Transfer register kind; 'prfop' for PRFM. */
  readonly rt: RegKind | 'prfop';
  /** Access size in bytes: the scale of imm12 and the register-offset shift. */
  readonly bytes: number;
}

const gp = (
  insn: string,
  unscaled: string,
  unpriv: string | undefined,
  suffix: string,
  size: string,
  opc: string,
  rt: RegKind | 'prfop',
  bytes: number,
): Variant => ({
  insn,
  unscaled,
  unpriv,
  suffix,
  size,
  V: '0',
  opc,
  rt,
  bytes,
});

const fp = (insn: 'LDR' | 'STR', kind: RegKind, size: string, opc: string): Variant => ({
  insn,
  unscaled: insn === 'LDR' ? 'LDUR' : 'STUR',
  suffix: `_${kind}`,
  size,
  V: '1',
  opc,
  rt: kind,
  bytes: REG_BYTES[kind],
});

/** The (size, V, opc) decode table shared by the groups of this file. */
const VARIANTS: readonly Variant[] = [
  gp('STRB', 'STURB', 'STTRB', '', '00', '00', 'w', 1),
  gp('LDRB', 'LDURB', 'LDTRB', '', '00', '01', 'w', 1),
  gp('LDRSB', 'LDURSB', 'LDTRSB', '_64', '00', '10', 'x', 1),
  gp('LDRSB', 'LDURSB', 'LDTRSB', '_32', '00', '11', 'w', 1),
  gp('STRH', 'STURH', 'STTRH', '', '01', '00', 'w', 2),
  gp('LDRH', 'LDURH', 'LDTRH', '', '01', '01', 'w', 2),
  gp('LDRSH', 'LDURSH', 'LDTRSH', '_64', '01', '10', 'x', 2),
  gp('LDRSH', 'LDURSH', 'LDTRSH', '_32', '01', '11', 'w', 2),
  gp('STR', 'STUR', 'STTR', '_32', '10', '00', 'w', 4),
  gp('LDR', 'LDUR', 'LDTR', '_32', '10', '01', 'w', 4),
  gp('LDRSW', 'LDURSW', 'LDTRSW', '', '10', '10', 'x', 4),
  gp('STR', 'STUR', 'STTR', '_64', '11', '00', 'x', 8),
  gp('LDR', 'LDUR', 'LDTR', '_64', '11', '01', 'x', 8),
  gp('PRFM', 'PRFUM', undefined, '', '11', '10', 'prfop', 8),
  fp('STR', 'b', '00', '00'),
  fp('LDR', 'b', '00', '01'),
  fp('STR', 'q', '00', '10'),
  fp('LDR', 'q', '00', '11'),
  fp('STR', 'h', '01', '00'),
  fp('LDR', 'h', '01', '01'),
  fp('STR', 's', '10', '00'),
  fp('LDR', 's', '10', '01'),
  fp('STR', 'd', '11', '00'),
  fp('LDR', 'd', '11', '01'),
];

const rtOperand = (v: Variant): Operand => (v.rt === 'prfop' ? prfop('Rt') : reg('Rt', v.rt));
const clsOf = (insn: string): InsnClass => (insn.startsWith('ST') ? 'store' : 'load');
const imm9: OffsetSpec = { parts: [['imm9', 9]], signed: true, scale: 1 };

/**
 * Writeback to a base register that is also the general-purpose transfer register is CONSTRAINED
 * UNPREDICTABLE; LLVM decodes it but will not assemble it. (Rn = 31 is SP and Rt = 31 the zero register.)
 */
const writebackIntoRt = (f: Fields): string | undefined =>
  f.Rn === f.Rt && f.Rn !== 31 ? 'the writeback base is also the transfer register' : undefined;

/** Load/store register (unsigned immediate): `ldr x0, [x1, #8]`, imm12 scaled by the access size. */
const unsignedImm = (v: Variant): EncodingSpec => ({
  name: `${v.insn}_uimm${v.suffix}`,
  mnemonic: v.insn.toLowerCase(),
  pattern: `${v.size} 111 ${v.V} 01 ${v.opc} xxxxxxxxxxxx xxxxx xxxxx`,
  fields: 'imm12 Rn Rt',
  operands: [rtOperand(v), memOffset('Rn', { parts: [['imm12', 12]], signed: false, scale: v.bytes })],
  cls: clsOf(v.insn),
});

/** Load/store register (unscaled immediate): `ldur x0, [x1, #-8]`. */
const unscaledImm = (v: Variant): EncodingSpec => ({
  name: `${v.unscaled}${v.suffix}`,
  mnemonic: v.unscaled.toLowerCase(),
  pattern: `${v.size} 111 ${v.V} 00 ${v.opc} 0 xxxxxxxxx 00 xxxxx xxxxx`,
  fields: 'imm9 Rn Rt',
  operands: [rtOperand(v), memOffset('Rn', imm9)],
  cls: clsOf(v.insn),
});

/** Load/store register (immediate post-indexed): `ldr x0, [x1], #8`. */
const postIndexed = (v: Variant): EncodingSpec => ({
  name: `${v.insn}_post${v.suffix}`,
  mnemonic: v.insn.toLowerCase(),
  pattern: `${v.size} 111 ${v.V} 00 ${v.opc} 0 xxxxxxxxx 01 xxxxx xxxxx`,
  fields: 'imm9 Rn Rt',
  operands: [rtOperand(v), memBase('Rn'), postOffset(imm9)],
  cls: clsOf(v.insn),
  unpredictable: v.V === '0' ? writebackIntoRt : undefined,
});

/** Load/store register (unprivileged): `ldtr x0, [x1, #8]`. */
const unprivileged = (v: Variant): EncodingSpec => ({
  name: `${v.unpriv}${v.suffix}`,
  mnemonic: v.unpriv!.toLowerCase(),
  pattern: `${v.size} 111 ${v.V} 00 ${v.opc} 0 xxxxxxxxx 10 xxxxx xxxxx`,
  fields: 'imm9 Rn Rt',
  operands: [rtOperand(v), memOffset('Rn', imm9)],
  cls: clsOf(v.insn),
});

/** Load/store register (immediate pre-indexed): `ldr x0, [x1, #8]!`. */
const preIndexed = (v: Variant): EncodingSpec => ({
  name: `${v.insn}_pre${v.suffix}`,
  mnemonic: v.insn.toLowerCase(),
  pattern: `${v.size} 111 ${v.V} 00 ${v.opc} 0 xxxxxxxxx 11 xxxxx xxxxx`,
  fields: 'imm9 Rn Rt',
  operands: [rtOperand(v), memPreIndex('Rn', imm9)],
  cls: clsOf(v.insn),
  unpredictable: v.V === '0' ? writebackIntoRt : undefined,
});

/** Load/store register (register offset): `ldr x0, [x1, x2, lsl #3]`, `ldrb w0, [x1, w2, sxtw]`. */
const registerOffset = (v: Variant): EncodingSpec => ({
  name: `${v.insn}_reg${v.suffix}`,
  mnemonic: v.insn.toLowerCase(),
  pattern: `${v.size} 111 ${v.V} 00 ${v.opc} 1 xxxxx xxx x 10 xxxxx xxxxx`,
  fields: 'Rm option S Rn Rt',
  operands: [rtOperand(v), memRegOffset('Rn', 'Rm', 'option', 'S', Math.log2(v.bytes))],
  cls: clsOf(v.insn),
  // option<1> = 0 (uxtb/uxth/sxtb/sxth) is unallocated for addressing.
  invalid: (f) => (f.option! & 0b010) === 0,
});

/** Load register (literal): PC-relative, imm19 words. */
const literal = (name: string, mnemonic: string, opc: string, V: string, rt: Operand): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `${opc} 011 ${V} 00 xxxxxxxxxxxxxxxxxxx xxxxx`,
  fields: 'imm19 Rt',
  operands: [rt, pcRel([['imm19', 19]], { scale: 4 })],
  cls: 'load',
});

/** Load/store register (pac): LDRAA/LDRAB, offset S:imm9 scaled by 8, W = pre-indexed writeback. */
const pac = (name: string, mnemonic: string, M: string, W: string): EncodingSpec => {
  const off: OffsetSpec = {
    parts: [
      ['S', 1],
      ['imm9', 9],
    ],
    signed: true,
    scale: 8,
  };
  return {
    name,
    mnemonic,
    pattern: `11 111 0 00 ${M} x 1 xxxxxxxxx ${W} 1 xxxxx xxxxx`,
    fields: 'S imm9 Rn Rt',
    operands: [gpr('Rt', 64), W === '1' ? memPreIndex('Rn', off) : memOffset('Rn', off)],
    cls: 'load',
    unpredictable: W === '1' ? writebackIntoRt : undefined,
  };
};

const withWriteback = VARIANTS.filter((v) => v.rt !== 'prfop');

const encodings: EncodingSpec[] = [
  // Load register (literal)
  literal('LDR_lit_32', 'ldr', '00', '0', gpr('Rt', 32)),
  literal('LDR_lit_64', 'ldr', '01', '0', gpr('Rt', 64)),
  literal('LDRSW_lit', 'ldrsw', '10', '0', gpr('Rt', 64)),
  literal('PRFM_lit', 'prfm', '11', '0', prfop('Rt')),
  literal('LDR_lit_s', 'ldr', '00', '1', reg('Rt', 's')),
  literal('LDR_lit_d', 'ldr', '01', '1', reg('Rt', 'd')),
  literal('LDR_lit_q', 'ldr', '10', '1', reg('Rt', 'q')),
  // Load/store register (unsigned immediate) comes before the unscaled form so that the assembler tries the
  // scaled encoding of `ldr x0, [x1, #8]` first, as LLVM does.
  ...VARIANTS.map(unsignedImm),
  ...VARIANTS.map(registerOffset),
  ...withWriteback.map(preIndexed),
  ...withWriteback.map(postIndexed),
  ...VARIANTS.map(unscaledImm),
  ...VARIANTS.filter((v) => v.unpriv !== undefined).map(unprivileged),
  // Load/store register (pac)
  pac('LDRAA_off', 'ldraa', '0', '0'),
  pac('LDRAA_pre', 'ldraa', '0', '1'),
  pac('LDRAB_off', 'ldrab', '1', '0'),
  pac('LDRAB_pre', 'ldrab', '1', '1'),
];

/**
 * LLVM accepts the scaled mnemonic for an offset the scaled form cannot hold and emits the unscaled form
 * (`ldr x0, [x1, #-8]` is `ldur x0, [x1, #-8]`); it always prints `ldur`. Assemble-only. PRFM is not
 * extended this way: LLVM refuses `prfm pldl1keep, [x0, #-8]`.
 */
const aliases: AliasSpec[] = VARIANTS.filter((v) => v.rt !== 'prfop').map((v) => ({
  name: `${v.insn}_as_${v.unscaled}${v.suffix}`,
  base: `${v.unscaled}${v.suffix}`,
  mnemonic: v.insn.toLowerCase(),
  when: () => true,
  operands: [rtOperand(v), memOffset('Rn', imm9)],
  only: 'assemble' as const,
}));

export const ldst: TableFile = {
  file: 'ldst.ts',
  section: 'C4.1.94 Loads and Stores',
  encodings,
  aliases,
};
