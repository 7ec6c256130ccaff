/**
 * Arm ARM (DDI 0487) C4.1.92 "Data Processing -- Immediate": PC-rel. addressing, add/subtract (immediate),
 * logical (immediate), move wide (immediate), bitfield, extract.
 *
 * Not decoded: add/subtract (immediate, with tags) — ADDG/SUBG, `1 0 0 100011 0 uimm6 00 uimm4 Xn Xd` —
 * belongs to MTE, which the reference flags leave out (llvm-mc calls those words invalid); min/max
 * (immediate) is FEAT_CSSC (Armv8.9), newer than the reference.
 */
import { gpr, imm, pcRel } from '../operands/core.js';
import {
  addSubImm,
  bfLsb,
  bfShift,
  bfWidth,
  bitmaskImm,
  gprSame,
  hwShift,
  movImm,
  movValue,
  movWideCan,
  withCopy,
  widthOf,
} from '../operands/dp.js';
import type { AliasSpec, EncodingSpec, Fields, TableFile } from '../types.js';

const addSubImmRow = (
  name: string,
  mnemonic: string,
  op: string,
  S: string,
  rdSp: boolean,
): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${op} ${S} 100010 x xxxxxxxxxxxx xxxxx xxxxx`,
  fields: 'sf sh imm12 Rn Rd',
  operands: [gpr('Rd', 'sf', { sp: rdSp }), gpr('Rn', 'sf', { sp: true }), addSubImm('imm12', 'sh')],
  cls: 'alu',
  comment: (f) => (f.sh ? `=${f.imm12! * 4096}` : undefined),
});

/** Rd of the bitfield and extract rows: its width sets sf, and N must equal sf. */
const rdN = withCopy(gpr('Rd', 'sf'), 'N', 'sf');

/** Logical (immediate): sf opc 100100 N immr imms Rn Rd. The bitmask rules reserve some N:immr:imms. */
const logicalImm = (name: string, mnemonic: string, opc: string, rdSp: boolean): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${opc} 100100 x xxxxxx xxxxxx xxxxx xxxxx`,
  fields: 'sf N immr imms Rn Rd',
  operands: [gpr('Rd', 'sf', { sp: rdSp }), gpr('Rn', 'sf'), bitmaskImm('sf')],
  cls: 'alu',
  invalid: (f) => movValue('bitmask', f, 'sf') === undefined,
});

/** Move wide (immediate): sf opc 100101 hw imm16 Rd. A 32-bit register has no halfwords 2 and 3. */
const moveWide = (name: string, mnemonic: string, opc: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${opc} 100101 xx xxxxxxxxxxxxxxxx xxxxx`,
  fields: 'sf hw imm16 Rd',
  operands: [gpr('Rd', 'sf'), imm('imm16', { bits: 16 }), hwShift('hw')],
  cls: 'mov',
  invalid: (f) => f.sf === 0 && f.hw! >= 2,
});

/** Bitfield: sf opc 100110 N immr imms Rn Rd, with N = sf and 5-bit immr/imms in a 32-bit register. */
const bitfield = (name: string, mnemonic: string, opc: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${opc} 100110 x xxxxxx xxxxxx xxxxx xxxxx`,
  fields: 'sf N immr imms Rn Rd',
  operands: [rdN, gpr('Rn', 'sf'), imm('immr', { bits: 6 }), imm('imms', { bits: 6 })],
  cls: 'alu',
  invalid: (f) => f.N !== f.sf || (f.sf === 0 && (f.immr! >= 32 || f.imms! >= 32)),
});

const encodings: EncodingSpec[] = [
  // PC-rel. addressing
  {
    name: 'ADR',
    mnemonic: 'adr',
    pattern: '0 xx 10000 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'immlo immhi Rd',
    operands: [
      gpr('Rd', 64),
      pcRel(
        [
          ['immhi', 19],
          ['immlo', 2],
        ],
        { scale: 1, alwaysOffset: true },
      ),
    ],
    cls: 'alu',
  },
  {
    name: 'ADRP',
    mnemonic: 'adrp',
    pattern: '1 xx 10000 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'immlo immhi Rd',
    operands: [
      gpr('Rd', 64),
      pcRel(
        [
          ['immhi', 19],
          ['immlo', 2],
        ],
        { scale: 4096, page: true },
      ),
    ],
    cls: 'alu',
  },
  // Add/subtract (immediate)
  addSubImmRow('ADD_imm', 'add', '0', '0', true),
  addSubImmRow('ADDS_imm', 'adds', '0', '1', false),
  addSubImmRow('SUB_imm', 'sub', '1', '0', true),
  addSubImmRow('SUBS_imm', 'subs', '1', '1', false),
  // Logical (immediate)
  logicalImm('AND_imm', 'and', '00', true),
  logicalImm('ORR_imm', 'orr', '01', true),
  logicalImm('EOR_imm', 'eor', '10', true),
  logicalImm('ANDS_imm', 'ands', '11', false),
  // Move wide (immediate); opc = 01 is unallocated
  moveWide('MOVN', 'movn', '00'),
  moveWide('MOVZ', 'movz', '10'),
  moveWide('MOVK', 'movk', '11'),
  // Bitfield; opc = 11 is unallocated
  bitfield('SBFM', 'sbfm', '00'),
  bitfield('BFM', 'bfm', '01'),
  bitfield('UBFM', 'ubfm', '10'),
  // Extract: op21 = 00 and o0 = 0; the other combinations are unallocated
  {
    name: 'EXTR',
    mnemonic: 'extr',
    pattern: 'x 00 100111 x 0 xxxxx xxxxxx xxxxx xxxxx',
    fields: 'sf N Rm imms Rn Rd',
    operands: [rdN, gpr('Rn', 'sf'), gpr('Rm', 'sf'), imm('imms', { bits: 6 })],
    cls: 'alu',
    invalid: (f) => f.N !== f.sf || (f.sf === 0 && f.imms! >= 32),
  },
];

/** Register size in bits of a row with `sf`. */
const w = (f: Fields): number => widthOf('sf', f);

/** The `mov #imm` of MOVZ, MOVN and ORR: LLVM prints it for the first of MOVZ, MOVN, ORR that can make the value. */
const movzCan = (f: Fields, source: 'movn' | 'bitmask'): boolean =>
  movWideCan('movz', movValue(source, f, 'sf')!, widthOf('sf', f));
const movnCan = (f: Fields): boolean => movWideCan('movn', movValue('bitmask', f, 'sf')!, widthOf('sf', f));

/**
 * The bitfield aliases are listed in LLVM's order of preference. Where the assembler accepts an alias
 * more widely than the printer prints it (`lsl #0`, `ubfiz … #0, …`), the wider rule is written into the
 * later alias's predicate: an earlier alias already owns those fields when printing.
 */
const bitfieldAliases = (base: string, u: 's' | 'u'): AliasSpec[] => [
  {
    name: `${u === 's' ? 'ASR' : 'LSR'}_${base}`,
    base,
    mnemonic: u === 's' ? 'asr' : 'lsr',
    when: (f) => f.imms === w(f) - 1,
    operands: [rdN, gpr('Rn', 'sf'), bfShift('right', 'sf')],
  },
  ...(u === 'u'
    ? [
        {
          name: 'LSL_UBFM',
          base,
          mnemonic: 'lsl',
          // lsl #0 is UBFM immr = 0, imms = size-1, which prints as lsr #0 (above).
          when: (f: Fields) => (f.imms! + 1) % w(f) === f.immr,
          operands: [rdN, gpr('Rn', 'sf'), bfShift('lsl', 'sf')],
        },
      ]
    : []),
  ...(
    [
      ['B', 7],
      ['H', 15],
      ['W', 31],
    ] as const
  )
    .filter(([s]) => !(u === 'u' && s === 'W'))
    .map(([s, imms]): AliasSpec => ({
      name: `${u.toUpperCase()}XT${s}`,
      base,
      mnemonic: `${u}xt${s.toLowerCase()}`,
      // LLVM prints uxtb/uxth only for 32-bit registers (the 64-bit forms are ubfx), sxtw only for 64-bit.
      when: (f) => f.immr === 0 && f.imms === imms && (s === 'W' ? f.sf === 1 : u === 's' || f.sf === 0),
      operands: [rdN, gpr('Rn', 32)],
      fixed: { immr: 0, imms },
    })),
  {
    name: `${u.toUpperCase()}BFX`,
    base,
    mnemonic: `${u}bfx`,
    when: (f) => f.imms! >= f.immr!,
    operands: [rdN, gpr('Rn', 'sf'), bfLsb('extract', 'sf'), bfWidth('extract', 'sf')],
  },
  {
    name: `${u.toUpperCase()}BFIZ`,
    base,
    mnemonic: `${u}bfiz`,
    // lsb = 0 gives immr = 0, which prints as the extract form (above).
    when: (f) => f.imms! < f.immr! || f.immr === 0,
    operands: [rdN, gpr('Rn', 'sf'), bfLsb('insert', 'sf'), bfWidth('insert', 'sf')],
  },
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
    operands: [gpr('Rn', 'sf', { sp: true }), addSubImm('imm12', 'sh')],
    fixed: { Rd: 31 },
    comment: (f) => (f.sh ? `=${f.imm12! * 4096}` : undefined),
  },
  {
    name: 'CMP_imm',
    base: 'SUBS_imm',
    mnemonic: 'cmp',
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf', { sp: true }), addSubImm('imm12', 'sh')],
    fixed: { Rd: 31 },
    comment: (f) => (f.sh ? `=${f.imm12! * 4096}` : undefined),
  },
  // Negative immediates: LLVM assembles `add x0, x1, #-1` as `sub x0, x1, #1`, `cmp x0, #-1` as `cmn x0, #1` ….
  ...(
    [
      ['ADD_imm', 'sub', true],
      ['SUB_imm', 'add', true],
      ['ADDS_imm', 'subs', false],
      ['SUBS_imm', 'adds', false],
    ] as const
  ).map(([base, mnemonic, rdSp]): AliasSpec => ({
    name: `${mnemonic.toUpperCase()}_neg_imm`,
    base,
    mnemonic,
    when: () => true,
    operands: [
      gpr('Rd', 'sf', { sp: rdSp }),
      gpr('Rn', 'sf', { sp: true }),
      addSubImm('imm12', 'sh', { negated: true }),
    ],
    only: 'assemble',
  })),
  ...(
    [
      ['ADDS_imm', 'cmp'],
      ['SUBS_imm', 'cmn'],
    ] as const
  ).map(([base, mnemonic]): AliasSpec => ({
    name: `${mnemonic.toUpperCase()}_neg_imm`,
    base,
    mnemonic,
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf', { sp: true }), addSubImm('imm12', 'sh', { negated: true })],
    fixed: { Rd: 31 },
    only: 'assemble',
  })),
  {
    name: 'MOV_bitmask',
    base: 'ORR_imm',
    mnemonic: 'mov',
    when: (f) => f.Rn === 31 && !movzCan(f, 'bitmask') && !movnCan(f),
    operands: [gpr('Rd', 'sf', { sp: true }), movImm('bitmask', 'sf')],
    fixed: { Rn: 31 },
  },
  {
    name: 'TST_imm',
    base: 'ANDS_imm',
    mnemonic: 'tst',
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf'), bitmaskImm('sf')],
    fixed: { Rd: 31 },
  },
  {
    // `movn x0, #0, lsl #16` stays movn (its value, -1, has the preferred form movn #0).
    name: 'MOV_MOVN',
    base: 'MOVN',
    mnemonic: 'mov',
    when: (f) => !(f.imm16 === 0 && f.hw !== 0) && !movzCan(f, 'movn'),
    operands: [gpr('Rd', 'sf'), movImm('movn', 'sf')],
  },
  {
    name: 'MOV_MOVZ',
    base: 'MOVZ',
    mnemonic: 'mov',
    when: (f) => !(f.imm16 === 0 && f.hw !== 0),
    operands: [gpr('Rd', 'sf'), movImm('movz', 'sf')],
  },
  ...bitfieldAliases('SBFM', 's'),
  {
    // bfc is BFM from the zero register; like bfi it also covers lsb = 0 (immr = 0).
    name: 'BFC',
    base: 'BFM',
    mnemonic: 'bfc',
    when: (f) => f.Rn === 31 && (f.imms! < f.immr! || f.immr === 0),
    operands: [rdN, bfLsb('insert', 'sf'), bfWidth('insert', 'sf')],
    fixed: { Rn: 31 },
  },
  {
    name: 'BFXIL',
    base: 'BFM',
    mnemonic: 'bfxil',
    when: (f) => f.imms! >= f.immr!,
    operands: [rdN, gpr('Rn', 'sf'), bfLsb('extract', 'sf'), bfWidth('extract', 'sf')],
  },
  {
    name: 'BFI',
    base: 'BFM',
    mnemonic: 'bfi',
    when: (f) => f.imms! < f.immr! || f.immr === 0,
    operands: [rdN, gpr('Rn', 'sf'), bfLsb('insert', 'sf'), bfWidth('insert', 'sf')],
  },
  ...bitfieldAliases('UBFM', 'u'),
  {
    name: 'ROR_imm',
    base: 'EXTR',
    mnemonic: 'ror',
    when: (f) => f.Rn === f.Rm,
    operands: [rdN, gprSame(['Rn', 'Rm'], 'sf'), imm('imms', { bits: 6 })],
  },
];

export const dpImm: TableFile = {
  file: 'dp-imm.ts',
  section: 'C4.1.92 Data Processing -- Immediate',
  encodings,
  aliases,
};
