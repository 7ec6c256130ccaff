/**
 * Arm ARM (DDI 0487) C4.1.93 "Branches, Exception Generating and System instructions": conditional
 * branch (immediate), exception generation, system instructions with register argument, hints, barriers,
 * PSTATE, system instructions, system register moves, unconditional branch (register and immediate),
 * compare and branch, test and branch. Also UDF, the one allocated encoding of C4.1.1 "Reserved", which
 * LLVM prints for words 0x0000xxxx.
 *
 * Left undecoded on purpose (LLVM 14 with the reference flags does not know them either):
 * - BC.cond (o0 = 1 in conditional branch, FEAT_HBC) and TCANCEL/TSTART/TTEST/TCOMMIT (FEAT_TME);
 * - WFET/WFIT (system instructions with register argument, FEAT_WFxT): LLVM decodes those words as the
 *   generic `msr S0_3_C1_C0_x, xN` below;
 * - PSB CSYNC (FEAT_SPE) prints as `hint #17`; DSB nXS (FEAT_XS), MSR TCO (FEAT_MTE), DC GVA/GZVA (FEAT_MTE)
 *   print in their generic forms.
 *
 * LLVM reads MRS/MSR's register operand as the full op0:op1:CRn:CRm:op2, so words of the op0 = 0 space
 * that are no hint, barrier or PSTATE write disassemble as `msr S0_3_C2_C0_0, x0` / `mrs x0, S0_…`; the
 * rows MSR_reg_op0_00 and MRS_op0_00 do the same (the Arm ARM leaves those words unallocated).
 */
import { gpr, gprOptional, imm, pcRel } from '../operands/core.js';
import {
  barrierOption,
  btiTargets,
  crReg,
  excImm,
  immOptional,
  isbOption,
  isSysOp,
  joinedImm,
  literal,
  pstateField,
  pstateInvalid,
  sysOp,
  sysreg,
  tbzBit,
  tbzReg,
} from '../operands/sys.js';
import type { AliasSpec, EncodingSpec, Fields, InsnClass, TableFile } from '../types.js';
import type { SysOpKind } from './sysreg.js';

/** Words with op0 = 0 in the system space (hints, barriers, PSTATE) overlap LLVM's generic MSR there. */
const OP0_00 = 'system-op0-00';

/** Exception generation: `11010100 opc imm16 op2 LL`. */
const exception = (name: string, mnemonic: string, opc: string, LL: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `11010100 ${opc} xxxxxxxxxxxxxxxx 000 ${LL}`,
  fields: 'imm16',
  operands: [name.startsWith('DCPS') ? immOptional('imm16', 16, 0, { hex: true }) : excImm('imm16')],
  cls: 'exception',
});

/** Barriers: `1101010100 0 00 011 0011 CRm op2 11111`. */
const barrier = (
  name: string,
  mnemonic: string,
  op2: string,
  operand: EncodingSpec['operands'][number],
): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `1101010100 0 00 011 0011 xxxx ${op2} 11111`,
  fields: 'CRm',
  operands: [operand],
  cls: 'barrier',
  group: OP0_00,
});

/**
 * Unconditional branch (register): `1101011 Z op(3) 11111 0000 A M Rn Rm`, written here with Z, the top
 * bit of op and the low two bits of op in separate groups so each row reads as the manual's opc.
 */
const branchReg = (
  name: string,
  mnemonic: string,
  opc: string,
  AM: string,
  Rn: 'Rn' | '11111',
  Rm: 'Rm' | '11111' | '00000',
  cls: InsnClass,
): EncodingSpec => {
  const fields = [Rn === 'Rn' ? 'Rn' : '', Rm === 'Rm' ? 'Rm' : ''].filter(Boolean).join(' ');
  const operands = [];
  // RET's register is left out when it is x30.
  if (Rn === 'Rn') operands.push(name === 'RET' ? gprOptional('Rn', 64, 30) : gpr('Rn', 64));
  if (Rm === 'Rm') operands.push(gpr('Rm', 64, { sp: true }));
  return {
    name,
    mnemonic,
    pattern: `1101011 ${opc[0]} ${opc[1]} ${opc.slice(2)} 11111 0000 ${AM} ${Rn === 'Rn' ? 'xxxxx' : Rn} ${Rm === 'Rm' ? 'xxxxx' : Rm}`,
    fields,
    operands,
    cls,
  };
};

const sysFields = 'op1 CRn CRm op2 Rt';
const sysOperands = [imm('op1', { bits: 3 }), crReg('CRn'), crReg('CRm'), imm('op2', { bits: 3 })];

const encodings: EncodingSpec[] = [
  // Reserved (C4.1.1): only UDF is allocated.
  {
    name: 'UDF',
    mnemonic: 'udf',
    pattern: '0000000000000000 xxxxxxxxxxxxxxxx',
    fields: 'imm16',
    operands: [imm('imm16', { bits: 16 })],
    cls: 'exception',
  },
  // Conditional branch (immediate)
  {
    name: 'B_cond',
    mnemonic: 'b.{cond}',
    pattern: '0101010 0 xxxxxxxxxxxxxxxxxxx 0 xxxx',
    fields: 'imm19 cond',
    operands: [pcRel([['imm19', 19]], { scale: 4 })],
    cls: 'branch',
  },
  // Exception generation
  exception('SVC', 'svc', '000', '01'),
  exception('HVC', 'hvc', '000', '10'),
  exception('SMC', 'smc', '000', '11'),
  exception('BRK', 'brk', '001', '00'),
  exception('HLT', 'hlt', '010', '00'),
  exception('DCPS1', 'dcps1', '101', '01'),
  exception('DCPS2', 'dcps2', '101', '10'),
  exception('DCPS3', 'dcps3', '101', '11'),
  // Hints: every CRm:op2 is a hint; the named ones are aliases below.
  {
    name: 'HINT',
    mnemonic: 'hint',
    pattern: '1101010100 0 00 011 0010 xxxx xxx 11111',
    fields: 'CRm op2',
    operands: [joinedImm(['CRm', 4], ['op2', 3])],
    cls: 'hint',
    group: OP0_00,
  },
  // Barriers
  barrier('CLREX', 'clrex', '010', immOptional('CRm', 4, 15)),
  barrier('DSB', 'dsb', '100', barrierOption('CRm')),
  barrier('DMB', 'dmb', '101', barrierOption('CRm')),
  barrier('ISB', 'isb', '110', isbOption('CRm')),
  {
    name: 'SB',
    mnemonic: 'sb',
    pattern: '1101010100 0 00 011 0011 ---- 111 11111',
    fields: '',
    operands: [],
    cls: 'barrier',
    group: OP0_00,
  },
  // PSTATE
  {
    name: 'CFINV',
    mnemonic: 'cfinv',
    pattern: '1101010100 0 00 000 0100 0000 000 11111',
    fields: '',
    operands: [],
    cls: 'alu',
    group: OP0_00,
  },
  {
    name: 'XAFLAG',
    mnemonic: 'xaflag',
    pattern: '1101010100 0 00 000 0100 ---- 001 11111',
    fields: '',
    operands: [],
    cls: 'alu',
    group: OP0_00,
  },
  {
    name: 'AXFLAG',
    mnemonic: 'axflag',
    pattern: '1101010100 0 00 000 0100 ---- 010 11111',
    fields: '',
    operands: [],
    cls: 'alu',
    group: OP0_00,
  },
  {
    name: 'MSR_imm',
    mnemonic: 'msr',
    pattern: '1101010100 0 00 xxx 0100 xxxx xxx 11111',
    fields: 'op1 CRm op2',
    operands: [pstateField(), imm('CRm', { bits: 4 })],
    cls: 'system',
    group: OP0_00,
    invalid: pstateInvalid,
  },
  // LLVM's generic MSR/MRS over the rest of the op0 = 0 space (see the header); last in its group.
  {
    name: 'MSR_reg_op0_00',
    mnemonic: 'msr',
    pattern: '1101010100 0 00 xxx xxxx xxxx xxx xxxxx',
    fields: sysFields,
    operands: [sysreg('write', 0), gpr('Rt', 64)],
    cls: 'system',
    group: OP0_00,
  },
  {
    name: 'MRS_op0_00',
    mnemonic: 'mrs',
    pattern: '1101010100 1 00 xxx xxxx xxxx xxx xxxxx',
    fields: sysFields,
    operands: [gpr('Rt', 64), sysreg('read', 0)],
    cls: 'system',
  },
  // System instructions
  {
    name: 'SYS',
    mnemonic: 'sys',
    pattern: '1101010100 0 01 xxx xxxx xxxx xxx xxxxx',
    fields: sysFields,
    operands: [...sysOperands, gprOptional('Rt', 64, 31)],
    cls: 'system',
  },
  {
    name: 'SYSL',
    mnemonic: 'sysl',
    pattern: '1101010100 1 01 xxx xxxx xxxx xxx xxxxx',
    fields: sysFields,
    operands: [gpr('Rt', 64), ...sysOperands],
    cls: 'system',
  },
  // System register move
  {
    name: 'MSR_reg',
    mnemonic: 'msr',
    pattern: '1101010100 0 1 x xxx xxxx xxxx xxx xxxxx',
    fields: `o0 ${sysFields}`,
    operands: [sysreg('write', 'o0'), gpr('Rt', 64)],
    cls: 'system',
  },
  {
    name: 'MRS',
    mnemonic: 'mrs',
    pattern: '1101010100 1 1 x xxx xxxx xxxx xxx xxxxx',
    fields: `o0 ${sysFields}`,
    operands: [gpr('Rt', 64), sysreg('read', 'o0')],
    cls: 'system',
  },
  // Unconditional branch (register)
  branchReg('BR', 'br', '0000', '0 0', 'Rn', '00000', 'branch-ind'),
  branchReg('BRAAZ', 'braaz', '0000', '1 0', 'Rn', '11111', 'branch-ind'),
  branchReg('BRABZ', 'brabz', '0000', '1 1', 'Rn', '11111', 'branch-ind'),
  branchReg('BLR', 'blr', '0001', '0 0', 'Rn', '00000', 'call-ind'),
  branchReg('BLRAAZ', 'blraaz', '0001', '1 0', 'Rn', '11111', 'call-ind'),
  branchReg('BLRABZ', 'blrabz', '0001', '1 1', 'Rn', '11111', 'call-ind'),
  branchReg('RET', 'ret', '0010', '0 0', 'Rn', '00000', 'ret'),
  branchReg('RETAA', 'retaa', '0010', '1 0', '11111', '11111', 'ret'),
  branchReg('RETAB', 'retab', '0010', '1 1', '11111', '11111', 'ret'),
  branchReg('ERET', 'eret', '0100', '0 0', '11111', '00000', 'exception'),
  branchReg('ERETAA', 'eretaa', '0100', '1 0', '11111', '11111', 'exception'),
  branchReg('ERETAB', 'eretab', '0100', '1 1', '11111', '11111', 'exception'),
  branchReg('DRPS', 'drps', '0101', '0 0', '11111', '00000', 'exception'),
  branchReg('BRAA', 'braa', '1000', '1 0', 'Rn', 'Rm', 'branch-ind'),
  branchReg('BRAB', 'brab', '1000', '1 1', 'Rn', 'Rm', 'branch-ind'),
  branchReg('BLRAA', 'blraa', '1001', '1 0', 'Rn', 'Rm', 'call-ind'),
  branchReg('BLRAB', 'blrab', '1001', '1 1', 'Rn', 'Rm', 'call-ind'),
  // Unconditional branch (immediate)
  {
    name: 'B',
    mnemonic: 'b',
    pattern: '0 00101 xxxxxxxxxxxxxxxxxxxxxxxxxx',
    fields: 'imm26',
    operands: [pcRel([['imm26', 26]], { scale: 4 })],
    cls: 'branch',
  },
  {
    name: 'BL',
    mnemonic: 'bl',
    pattern: '1 00101 xxxxxxxxxxxxxxxxxxxxxxxxxx',
    fields: 'imm26',
    operands: [pcRel([['imm26', 26]], { scale: 4 })],
    cls: 'call',
  },
  // Compare and branch (immediate)
  {
    name: 'CBZ',
    mnemonic: 'cbz',
    pattern: 'x 011010 0 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'sf imm19 Rt',
    operands: [gpr('Rt', 'sf'), pcRel([['imm19', 19]], { scale: 4 })],
    cls: 'branch',
  },
  {
    name: 'CBNZ',
    mnemonic: 'cbnz',
    pattern: 'x 011010 1 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'sf imm19 Rt',
    operands: [gpr('Rt', 'sf'), pcRel([['imm19', 19]], { scale: 4 })],
    cls: 'branch',
  },
  // Test and branch (immediate)
  {
    name: 'TBZ',
    mnemonic: 'tbz',
    pattern: 'x 011011 0 xxxxx xxxxxxxxxxxxxx xxxxx',
    fields: 'b5 b40 imm14 Rt',
    operands: [tbzReg('Rt'), tbzBit(), pcRel([['imm14', 14]], { scale: 4 })],
    cls: 'branch',
  },
  {
    name: 'TBNZ',
    mnemonic: 'tbnz',
    pattern: 'x 011011 1 xxxxx xxxxxxxxxxxxxx xxxxx',
    fields: 'b5 b40 imm14 Rt',
    operands: [tbzReg('Rt'), tbzBit(), pcRel([['imm14', 14]], { scale: 4 })],
    cls: 'branch',
  },
];

/** A named hint: HINT with CRm:op2 = `n`. */
const hint = (name: string, n: number, operands: AliasSpec['operands'] = []): AliasSpec => ({
  name,
  base: 'HINT',
  mnemonic: name.toLowerCase(),
  when: (f) => f.CRm! * 8 + f.op2! === n,
  operands,
  fixed: { CRm: n >> 3, op2: n & 7 },
});

/** A DC/IC/AT/TLBI… alias of SYS: the operation's name, then Xt if the operation takes one. */
const sysAlias = (kind: SysOpKind, takesRegister: boolean): AliasSpec => ({
  name: `${kind.toUpperCase()}_SYS${takesRegister ? '' : '_noreg'}`,
  base: 'SYS',
  mnemonic: kind,
  when: (f: Fields) => isSysOp(f, kind, takesRegister),
  operands: takesRegister ? [sysOp(kind, true), gpr('Rt', 64)] : [sysOp(kind, false)],
  ...(takesRegister ? {} : { fixed: { Rt: 31 } }),
});

const aliases: AliasSpec[] = [
  hint('NOP', 0),
  hint('YIELD', 1),
  hint('WFE', 2),
  hint('WFI', 3),
  hint('SEV', 4),
  hint('SEVL', 5),
  hint('DGH', 6),
  hint('XPACLRI', 7),
  hint('PACIA1716', 8),
  hint('PACIB1716', 10),
  hint('AUTIA1716', 12),
  hint('AUTIB1716', 14),
  hint('ESB', 16),
  hint('TSB', 18, [literal('csync')]),
  hint('CSDB', 20),
  hint('PACIAZ', 24),
  hint('PACIASP', 25),
  hint('PACIBZ', 26),
  hint('PACIBSP', 27),
  hint('AUTIAZ', 28),
  hint('AUTIASP', 29),
  hint('AUTIBZ', 30),
  hint('AUTIBSP', 31),
  {
    name: 'BTI',
    base: 'HINT',
    mnemonic: 'bti',
    when: (f) => f.CRm === 4 && (f.op2! & 1) === 0,
    operands: [btiTargets('op2')],
    fixed: { CRm: 4 },
  },
  { name: 'SSBB', base: 'DSB', mnemonic: 'ssbb', when: (f) => f.CRm === 0, operands: [], fixed: { CRm: 0 } },
  {
    name: 'PSSBB',
    base: 'DSB',
    mnemonic: 'pssbb',
    when: (f) => f.CRm === 4,
    operands: [],
    fixed: { CRm: 4 },
  },
  sysAlias('at', true),
  sysAlias('dc', true),
  sysAlias('ic', true),
  sysAlias('ic', false),
  sysAlias('tlbi', true),
  sysAlias('tlbi', false),
  sysAlias('cfp', true),
  sysAlias('dvp', true),
  sysAlias('cpp', true),
  // LLVM also accepts MSR/MRS syntax for the op0 = 1 space and assembles it as SYS/SYSL.
  {
    name: 'MSR_op0_01',
    base: 'SYS',
    mnemonic: 'msr',
    when: () => true,
    operands: [sysreg('write', 1), gpr('Rt', 64)],
    only: 'assemble',
  },
  {
    name: 'MRS_op0_01',
    base: 'SYSL',
    mnemonic: 'mrs',
    when: () => true,
    operands: [gpr('Rt', 64), sysreg('read', 1)],
    only: 'assemble',
  },
];

export const branchSys: TableFile = {
  file: 'branch-sys.ts',
  section: 'C4.1.93 Branches, Exception Generating and System instructions',
  encodings,
  aliases,
};
