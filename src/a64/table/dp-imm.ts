/**
 * Arm ARM (DDI 0487) C4.1.92 "Data Processing -- Immediate": PC-rel. addressing, add/subtract (immediate),
 * logical (immediate), move wide (immediate), bitfield, extract.
 */
import { gpr, imm, lsl12, pcRel } from '../operands/core.js';
import type { AliasSpec, EncodingSpec, TableFile } from '../types.js';

const addSubImm = (name: string, mnemonic: string, op: string, S: string, rdSp: boolean): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${op} ${S} 100010 x xxxxxxxxxxxx xxxxx xxxxx`,
  fields: 'sf sh imm12 Rn Rd',
  operands: [gpr('Rd', 'sf', { sp: rdSp }), gpr('Rn', 'sf', { sp: true }), imm('imm12', { bits: 12 }), lsl12('sh')],
  cls: 'alu',
  comment: (f) => (f.sh ? `=${f.imm12! * 4096}` : undefined),
});

const encodings: EncodingSpec[] = [
  // PC-rel. addressing
  {
    name: 'ADR',
    mnemonic: 'adr',
    pattern: '0 xx 10000 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'immlo immhi Rd',
    operands: [gpr('Rd', 64), pcRel([['immhi', 19], ['immlo', 2]], { scale: 1, alwaysOffset: true })],
    cls: 'alu',
  },
  {
    name: 'ADRP',
    mnemonic: 'adrp',
    pattern: '1 xx 10000 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'immlo immhi Rd',
    operands: [gpr('Rd', 64), pcRel([['immhi', 19], ['immlo', 2]], { scale: 4096, page: true })],
    cls: 'alu',
  },
  // Add/subtract (immediate)
  addSubImm('ADD_imm', 'add', '0', '0', true),
  addSubImm('ADDS_imm', 'adds', '0', '1', false),
  addSubImm('SUB_imm', 'sub', '1', '0', true),
  addSubImm('SUBS_imm', 'subs', '1', '1', false),
];

const aliases: AliasSpec[] = [
  {
    name: 'MOV_to_from_SP',
    base: 'ADD_imm',
    mnemonic: 'mov',
    when: (f) => f.sh === 0 && f.imm12 === 0 && (f.Rd === 31 || f.Rn === 31),
    operands: [gpr('Rd', 'sf', { sp: true }), gpr('Rn', 'sf', { sp: true })],
    fixed: { sh: 0, imm12: 0 },
  },
  {
    name: 'CMN_imm',
    base: 'ADDS_imm',
    mnemonic: 'cmn',
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf', { sp: true }), imm('imm12', { bits: 12 }), lsl12('sh')],
    fixed: { Rd: 31 },
    comment: (f) => (f.sh ? `=${f.imm12! * 4096}` : undefined),
  },
  {
    name: 'CMP_imm',
    base: 'SUBS_imm',
    mnemonic: 'cmp',
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf', { sp: true }), imm('imm12', { bits: 12 }), lsl12('sh')],
    fixed: { Rd: 31 },
    comment: (f) => (f.sh ? `=${f.imm12! * 4096}` : undefined),
  },
];

export const dpImm: TableFile = {
  file: 'dp-imm.ts',
  section: 'C4.1.92 Data Processing -- Immediate',
  encodings,
  aliases,
};
