/**
 * Arm ARM (DDI 0487) C4.1.95 "Data Processing -- Register": data-processing (2 source), (1 source), logical
 * (shifted register), add/subtract (shifted register), add/subtract (extended register), add/subtract
 * (with carry), rotate right into flags, evaluate into flags, conditional compare (register, immediate),
 * conditional select, data-processing (3 source).
 *
 * Not decoded: SUBP/SUBPS/IRG/GMI (2 source) and ADDG-style tag arithmetic belong to MTE, which the
 * reference flags leave out (llvm-mc calls those words invalid); ABS/CNT/CTZ and SMAX/UMIN… (FEAT_CSSC,
 * Armv8.9) and the Armv9.4 forms are newer than the reference.
 */
import { cond, gpr, imm, type Width } from '../operands/core.js';
import { extendedReg, gprSame, shiftedReg } from '../operands/dp.js';
import type { AliasSpec, EncodingSpec, Fields, InsnClass, Operand, TableFile } from '../types.js';

const rd = gpr('Rd', 'sf');
const rn = gpr('Rn', 'sf');
const rm = gpr('Rm', 'sf');

/** A three-register row `op Rd, Rn, Rm` over a pattern whose Rm/Rn/Rd fields are the last three groups. */
const threeReg = (
  name: string,
  mnemonic: string,
  pattern: string,
  cls: InsnClass = 'alu',
  sizes: readonly [Width, Width, Width] = ['sf', 'sf', 'sf'],
): EncodingSpec => ({
  name,
  mnemonic,
  pattern,
  fields: `${pattern.startsWith('x') ? 'sf ' : ''}Rm Rn Rd`,
  operands: [gpr('Rd', sizes[0]), gpr('Rn', sizes[1]), gpr('Rm', sizes[2])],
  cls,
});

// Data-processing (2 source): sf 0 S 11010110 Rm opcode Rn Rd.
const twoSource = (name: string, mnemonic: string, sf: string, opcode: string, cls: InsnClass = 'alu') =>
  threeReg(name, mnemonic, `${sf} 0 0 11010110 xxxxx ${opcode} xxxxx xxxxx`, cls);

/** CRC32{B,H,W,X} and CRC32C…: 32-bit accumulator, the data register is 64-bit only for X. */
const crc = (name: string, c: string, sz: string): EncodingSpec =>
  threeReg(
    name,
    name.toLowerCase(),
    `${sz === '11' ? '1' : '0'} 0 0 11010110 xxxxx 010 ${c} ${sz} xxxxx xxxxx`,
    'alu',
    [32, 32, sz === '11' ? 64 : 32],
  );

// Data-processing (1 source): sf 1 S 11010110 opcode2 opcode Rn Rd.
const oneSource = (
  name: string,
  mnemonic: string,
  sf: string,
  opcode2: string,
  opcode: string,
): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `${sf} 1 0 11010110 ${opcode2} ${opcode} xxxxx xxxxx`,
  fields: `${sf === 'x' ? 'sf ' : ''}Rn Rd`,
  operands: sf === 'x' ? [rd, rn] : [gpr('Rd', sf === '1' ? 64 : 32), gpr('Rn', sf === '1' ? 64 : 32)],
  cls: 'alu',
});

/**
 * Pointer authentication (1 source, opcode2 = 00001): PACIA … AUTDB take the modifier in Rn (SP allowed);
 * the Z forms use a zero modifier and require Rn = 11111.
 */
const PAC_NAMES = ['PACIA', 'PACIB', 'PACDA', 'PACDB', 'AUTIA', 'AUTIB', 'AUTDA', 'AUTDB'];
const pac: EncodingSpec[] = PAC_NAMES.flatMap((n, i): EncodingSpec[] => {
  const op = i.toString(2).padStart(3, '0');
  const zname = `${n.slice(0, 4)}Z${n.slice(4)}`;
  return [
    {
      name: n,
      mnemonic: n.toLowerCase(),
      pattern: `1 1 0 11010110 00001 00 0 ${op} xxxxx xxxxx`,
      fields: 'Rn Rd',
      operands: [gpr('Rd', 64), gpr('Rn', 64, { sp: true })],
      cls: 'alu',
    },
    {
      name: zname,
      mnemonic: zname.toLowerCase(),
      pattern: `1 1 0 11010110 00001 00 1 ${op} 11111 xxxxx`,
      fields: 'Rd',
      operands: [gpr('Rd', 64)],
      cls: 'alu',
    },
  ];
});

/** Logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd; a 32-bit row shifts by at most 31. */
const logicalShifted = (name: string, mnemonic: string, opc: string, N: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${opc} 01010 xx ${N} xxxxx xxxxxx xxxxx xxxxx`,
  fields: 'sf shift Rm imm6 Rn Rd',
  operands: [rd, rn, shiftedReg('Rm', 'shift', 'imm6', 'sf', { ror: true })],
  cls: 'alu',
  invalid: (f) => f.sf === 0 && f.imm6! >= 32,
});

/** Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd; shift = ror is reserved. */
const addSubShifted = (name: string, mnemonic: string, op: string, S: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${op} ${S} 01011 xx 0 xxxxx xxxxxx xxxxx xxxxx`,
  fields: 'sf shift Rm imm6 Rn Rd',
  operands: [rd, rn, shiftedReg('Rm', 'shift', 'imm6', 'sf')],
  cls: 'alu',
  invalid: (f) => f.shift === 3 || (f.sf === 0 && f.imm6! >= 32),
});

/** The extended Rm of add/subtract: `lsl` stands for uxtw/uxtx when an SP operand (Rd unless S, Rn) is 31. */
const extendedOf = (S: string): Operand =>
  extendedReg('Rm', 'option', 'imm3', 'sf', { spFields: S === '0' ? ['Rd', 'Rn'] : ['Rn'] });

/**
 * Add/subtract (extended register): sf op S 01011 opt=00 1 Rm option imm3 Rn Rd; shifts above 4 are
 * reserved. Rn is SP when 31, and so is Rd unless the row sets flags.
 */
const addSubExtended = (name: string, mnemonic: string, op: string, S: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${op} ${S} 01011 00 1 xxxxx xxx xxx xxxxx xxxxx`,
  fields: 'sf Rm option imm3 Rn Rd',
  operands: [gpr('Rd', 'sf', { sp: S === '0' }), gpr('Rn', 'sf', { sp: true }), extendedOf(S)],
  cls: 'alu',
  invalid: (f) => f.imm3! > 4,
});

/** Conditional compare: sf op 1 11010010 (Rm | imm5) cond (0 | 1) 0 Rn 0 nzcv. */
const condCompare = (name: string, mnemonic: string, op: string, form: 'reg' | 'imm'): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${op} 1 11010010 xxxxx xxxx ${form === 'imm' ? '1' : '0'} 0 xxxxx 0 xxxx`,
  fields: `sf ${form === 'imm' ? 'imm5' : 'Rm'} cond Rn nzcv`,
  operands: [rn, form === 'imm' ? imm('imm5', { bits: 5 }) : rm, imm('nzcv', { bits: 4 }), cond('cond')],
  cls: 'alu',
});

/** Conditional select: sf op 0 11010100 Rm cond 0 o2 Rn Rd. */
const condSelect = (name: string, mnemonic: string, op: string, o2: string): EncodingSpec => ({
  name,
  mnemonic,
  pattern: `x ${op} 0 11010100 xxxxx xxxx 0 ${o2} xxxxx xxxxx`,
  fields: 'sf Rm cond Rn Rd',
  operands: [rd, rn, rm, cond('cond')],
  cls: 'alu',
});

/** Data-processing (3 source): sf 00 11011 op31 Rm o0 Ra Rn Rd. The long forms multiply w registers into x. */
const threeSource = (name: string, mnemonic: string, sf: string, op31: string, o0: string): EncodingSpec => {
  const long = sf === '1';
  return {
    name,
    mnemonic,
    pattern: `${sf} 00 11011 ${op31} xxxxx ${o0} xxxxx xxxxx xxxxx`,
    fields: `${long ? '' : 'sf '}Rm Ra Rn Rd`,
    operands: long
      ? [gpr('Rd', 64), gpr('Rn', 32), gpr('Rm', 32), gpr('Ra', 64)]
      : [rd, rn, rm, gpr('Ra', 'sf')],
    cls: 'mul',
  };
};

/**
 * SMULH/UMULH: Ra is "(1)(1)(1)(1)(1)" in the manual. LLVM decodes any value there, so it is a field no
 * operand prints, set to 31 when assembling.
 */
const mulHigh = (name: string, op31: string): EncodingSpec => ({
  name,
  mnemonic: name.toLowerCase(),
  pattern: `1 00 11011 ${op31} xxxxx 0 xxxxx xxxxx xxxxx`,
  fields: 'Rm Ra Rn Rd',
  operands: [gpr('Rd', 64), gpr('Rn', 64), gpr('Rm', 64)],
  cls: 'mul',
  defaults: { Ra: 31 },
});

const encodings: EncodingSpec[] = [
  // Data-processing (2 source)
  twoSource('UDIV', 'udiv', 'x', '000010', 'div'),
  twoSource('SDIV', 'sdiv', 'x', '000011', 'div'),
  twoSource('LSLV', 'lslv', 'x', '001000'),
  twoSource('LSRV', 'lsrv', 'x', '001001'),
  twoSource('ASRV', 'asrv', 'x', '001010'),
  twoSource('RORV', 'rorv', 'x', '001011'),
  {
    name: 'PACGA',
    mnemonic: 'pacga',
    pattern: '1 0 0 11010110 xxxxx 001100 xxxxx xxxxx',
    fields: 'Rm Rn Rd',
    operands: [gpr('Rd', 64), gpr('Rn', 64), gpr('Rm', 64, { sp: true })],
    cls: 'alu',
  },
  crc('CRC32B', '0', '00'),
  crc('CRC32H', '0', '01'),
  crc('CRC32W', '0', '10'),
  crc('CRC32X', '0', '11'),
  crc('CRC32CB', '1', '00'),
  crc('CRC32CH', '1', '01'),
  crc('CRC32CW', '1', '10'),
  crc('CRC32CX', '1', '11'),
  // Data-processing (1 source)
  oneSource('RBIT', 'rbit', 'x', '00000', '000000'),
  oneSource('REV16', 'rev16', 'x', '00000', '000001'),
  oneSource('REV_32', 'rev', '0', '00000', '000010'),
  oneSource('REV32', 'rev32', '1', '00000', '000010'),
  oneSource('REV_64', 'rev', '1', '00000', '000011'),
  oneSource('CLZ', 'clz', 'x', '00000', '000100'),
  oneSource('CLS', 'cls', 'x', '00000', '000101'),
  ...pac,
  {
    name: 'XPACI',
    mnemonic: 'xpaci',
    pattern: '1 1 0 11010110 00001 010000 11111 xxxxx',
    fields: 'Rd',
    operands: [gpr('Rd', 64)],
    cls: 'alu',
  },
  {
    name: 'XPACD',
    mnemonic: 'xpacd',
    pattern: '1 1 0 11010110 00001 010001 11111 xxxxx',
    fields: 'Rd',
    operands: [gpr('Rd', 64)],
    cls: 'alu',
  },
  // Logical (shifted register)
  logicalShifted('AND_shifted', 'and', '00', '0'),
  logicalShifted('BIC_shifted', 'bic', '00', '1'),
  logicalShifted('ORR_shifted', 'orr', '01', '0'),
  logicalShifted('ORN_shifted', 'orn', '01', '1'),
  logicalShifted('EOR_shifted', 'eor', '10', '0'),
  logicalShifted('EON_shifted', 'eon', '10', '1'),
  logicalShifted('ANDS_shifted', 'ands', '11', '0'),
  logicalShifted('BICS_shifted', 'bics', '11', '1'),
  // Add/subtract (shifted register)
  addSubShifted('ADD_shifted', 'add', '0', '0'),
  addSubShifted('ADDS_shifted', 'adds', '0', '1'),
  addSubShifted('SUB_shifted', 'sub', '1', '0'),
  addSubShifted('SUBS_shifted', 'subs', '1', '1'),
  // Add/subtract (extended register)
  addSubExtended('ADD_ext', 'add', '0', '0'),
  addSubExtended('ADDS_ext', 'adds', '0', '1'),
  addSubExtended('SUB_ext', 'sub', '1', '0'),
  addSubExtended('SUBS_ext', 'subs', '1', '1'),
  // Add/subtract (with carry): sf op S 11010000 Rm 000000 Rn Rd
  threeReg('ADC', 'adc', 'x 0 0 11010000 xxxxx 000000 xxxxx xxxxx'),
  threeReg('ADCS', 'adcs', 'x 0 1 11010000 xxxxx 000000 xxxxx xxxxx'),
  threeReg('SBC', 'sbc', 'x 1 0 11010000 xxxxx 000000 xxxxx xxxxx'),
  threeReg('SBCS', 'sbcs', 'x 1 1 11010000 xxxxx 000000 xxxxx xxxxx'),
  // Rotate right into flags (FEAT_FlagM): sf=1 op=0 S=1 11010000 imm6 00001 Rn o2=0 mask
  {
    name: 'RMIF',
    mnemonic: 'rmif',
    pattern: '1 0 1 11010000 xxxxxx 00001 xxxxx 0 xxxx',
    fields: 'imm6 Rn mask',
    operands: [gpr('Rn', 64), imm('imm6', { bits: 6 }), imm('mask', { bits: 4 })],
    cls: 'alu',
  },
  // Evaluate into flags (FEAT_FlagM): sf=0 op=0 S=1 11010000 opcode2=000000 sz 0010 Rn o3=0 mask=1101
  {
    name: 'SETF8',
    mnemonic: 'setf8',
    pattern: '0 0 1 11010000 000000 0 0010 xxxxx 0 1101',
    fields: 'Rn',
    operands: [gpr('Rn', 32)],
    cls: 'alu',
  },
  {
    name: 'SETF16',
    mnemonic: 'setf16',
    pattern: '0 0 1 11010000 000000 1 0010 xxxxx 0 1101',
    fields: 'Rn',
    operands: [gpr('Rn', 32)],
    cls: 'alu',
  },
  // Conditional compare (register, immediate)
  condCompare('CCMN_reg', 'ccmn', '0', 'reg'),
  condCompare('CCMP_reg', 'ccmp', '1', 'reg'),
  condCompare('CCMN_imm', 'ccmn', '0', 'imm'),
  condCompare('CCMP_imm', 'ccmp', '1', 'imm'),
  // Conditional select
  condSelect('CSEL', 'csel', '0', '0'),
  condSelect('CSINC', 'csinc', '0', '1'),
  condSelect('CSINV', 'csinv', '1', '0'),
  condSelect('CSNEG', 'csneg', '1', '1'),
  // Data-processing (3 source)
  threeSource('MADD', 'madd', 'x', '000', '0'),
  threeSource('MSUB', 'msub', 'x', '000', '1'),
  threeSource('SMADDL', 'smaddl', '1', '001', '0'),
  threeSource('SMSUBL', 'smsubl', '1', '001', '1'),
  mulHigh('SMULH', '010'),
  threeSource('UMADDL', 'umaddl', '1', '101', '0'),
  threeSource('UMSUBL', 'umsubl', '1', '101', '1'),
  mulHigh('UMULH', '110'),
];

const always = (): boolean => true;

/** LSL/LSR/ASR/ROR (register) are the preferred disassembly of LSLV … RORV, always. */
const shiftVariable: AliasSpec[] = ['LSL', 'LSR', 'ASR', 'ROR'].map((s) => ({
  name: `${s}_reg`,
  base: `${s}V`,
  mnemonic: s.toLowerCase(),
  when: always,
  operands: [rd, rn, rm],
}));

const shifted = (ror = false): Operand => shiftedReg('Rm', 'shift', 'imm6', 'sf', { ror });

/** `cset`/`csetm` (both sources zr) and `cinc`/`cinv`/`cneg` (one source twice): the condition prints inverted. */
const condAliases = (base: string, set: string | undefined, one: string): AliasSpec[] => [
  ...(set
    ? [
        {
          name: set.toUpperCase(),
          base,
          mnemonic: set,
          when: (f: Fields) => f.Rn === 31 && f.Rm === 31 && f.cond! < 14,
          operands: [rd, cond('cond', { invert: true })],
          fixed: { Rn: 31, Rm: 31 },
        },
      ]
    : []),
  {
    name: one.toUpperCase(),
    base,
    mnemonic: one,
    when: (f) => f.Rn === f.Rm && f.cond! < 14,
    operands: [rd, gprSame(['Rn', 'Rm'], 'sf'), cond('cond', { invert: true })],
  },
];

/** `mul` and friends: the multiply-accumulate rows with Ra = zr. */
const mulAlias = (name: string, base: string, long: boolean): AliasSpec => ({
  name,
  base,
  mnemonic: name.toLowerCase(),
  when: (f) => f.Ra === 31,
  operands: long ? [gpr('Rd', 64), gpr('Rn', 32), gpr('Rm', 32)] : [rd, rn, rm],
  fixed: { Ra: 31 },
});

const aliases: AliasSpec[] = [
  ...shiftVariable,
  {
    name: 'REV64',
    base: 'REV_64',
    mnemonic: 'rev64',
    when: always,
    operands: [gpr('Rd', 64), gpr('Rn', 64)],
    only: 'assemble',
  },
  {
    name: 'MOV_reg',
    base: 'ORR_shifted',
    mnemonic: 'mov',
    when: (f) => f.Rn === 31 && f.shift === 0 && f.imm6 === 0,
    operands: [rd, rm],
    fixed: { Rn: 31, shift: 0, imm6: 0 },
  },
  {
    name: 'MVN',
    base: 'ORN_shifted',
    mnemonic: 'mvn',
    when: (f) => f.Rn === 31,
    operands: [rd, shifted(true)],
    fixed: { Rn: 31 },
  },
  {
    name: 'TST_shifted',
    base: 'ANDS_shifted',
    mnemonic: 'tst',
    when: (f) => f.Rd === 31,
    operands: [rn, shifted(true)],
    fixed: { Rd: 31 },
  },
  {
    name: 'NEG',
    base: 'SUB_shifted',
    mnemonic: 'neg',
    when: (f) => f.Rn === 31,
    operands: [rd, shifted()],
    fixed: { Rn: 31 },
  },
  {
    name: 'CMN_shifted',
    base: 'ADDS_shifted',
    mnemonic: 'cmn',
    when: (f) => f.Rd === 31,
    operands: [rn, shifted()],
    fixed: { Rd: 31 },
  },
  // cmp before negs: `subs xzr, xzr, x1` prints as `cmp xzr, x1`.
  {
    name: 'CMP_shifted',
    base: 'SUBS_shifted',
    mnemonic: 'cmp',
    when: (f) => f.Rd === 31,
    operands: [rn, shifted()],
    fixed: { Rd: 31 },
  },
  {
    name: 'NEGS',
    base: 'SUBS_shifted',
    mnemonic: 'negs',
    when: (f) => f.Rn === 31,
    operands: [rd, shifted()],
    fixed: { Rn: 31 },
  },
  {
    name: 'CMN_ext',
    base: 'ADDS_ext',
    mnemonic: 'cmn',
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf', { sp: true }), extendedOf('1')],
    fixed: { Rd: 31 },
  },
  {
    name: 'CMP_ext',
    base: 'SUBS_ext',
    mnemonic: 'cmp',
    when: (f) => f.Rd === 31,
    operands: [gpr('Rn', 'sf', { sp: true }), extendedOf('1')],
    fixed: { Rd: 31 },
  },
  {
    name: 'NGC',
    base: 'SBC',
    mnemonic: 'ngc',
    when: (f) => f.Rn === 31,
    operands: [rd, rm],
    fixed: { Rn: 31 },
  },
  {
    name: 'NGCS',
    base: 'SBCS',
    mnemonic: 'ngcs',
    when: (f) => f.Rn === 31,
    operands: [rd, rm],
    fixed: { Rn: 31 },
  },
  ...condAliases('CSINC', 'cset', 'cinc'),
  ...condAliases('CSINV', 'csetm', 'cinv'),
  ...condAliases('CSNEG', undefined, 'cneg'),
  mulAlias('MUL', 'MADD', false),
  mulAlias('MNEG', 'MSUB', false),
  mulAlias('SMULL', 'SMADDL', true),
  mulAlias('SMNEGL', 'SMSUBL', true),
  mulAlias('UMULL', 'UMADDL', true),
  mulAlias('UMNEGL', 'UMSUBL', true),
];

export const dpReg: TableFile = {
  file: 'dp-reg.ts',
  section: 'C4.1.95 Data Processing -- Register',
  encodings,
  aliases,
};
