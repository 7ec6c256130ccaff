/**
 * Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", the groups
 * that move lanes: Advanced SIMD table lookup, permute, extract and copy.
 *
 * In the copy group imm5 holds both the lane size (its lowest set bit) and the lane index (the bits
 * above it); INS (element) has the source index in imm4 with the same scaling. LLVM prints INS always,
 * and UMOV of an s or d lane, as `mov`.
 */
import { gpr } from '../operands/core.js';
import {
  ARR_ALL,
  ARR_B,
  elem4,
  elem5,
  fillImm5,
  gprImm5,
  imm5Esz,
  imm5Layout,
  lay,
  only,
  simdAlias,
  simdRow,
  T_SQ,
  vlist,
  vreg,
  type Layout,
} from '../operands/simd.js';
import { imm } from '../operands/core.js';
import type { AliasSpec, EncodingSpec, Fields, TableFile } from '../types.js';

const BYQ = (arr: readonly (string | undefined)[]): Layout => lay([['Q', 1]], arr);
const esz = (f: Fields): number | undefined => imm5Esz(f.imm5!);

/** Table lookup: 0 Q 001110 op2(00) 0 Rm 0 len op 00 Rn Rd; the table is len + 1 registers of 16 bytes. */
const tbl = (name: string, mnemonic: string, op: string): EncodingSpec =>
  simdRow(name, mnemonic, `0 x 001110 00 0 xxxxx 0 xx ${op} 00 xxxxx xxxxx`, 'Q Rm len Rn Rd', [
    vreg('Rd', BYQ(ARR_B)),
    vlist('Rn', only('16b'), 'len'),
    vreg('Rm', BYQ(ARR_B)),
  ]);

/** Permute: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd. */
const perm = (name: string, mnemonic: string, opcode: string): EncodingSpec => {
  const l = lay(T_SQ, ARR_ALL);
  return simdRow(name, mnemonic, `0 x 001110 xx 0 xxxxx 0 ${opcode} 10 xxxxx xxxxx`, 'Q size Rm Rn Rd', [
    vreg('Rd', l),
    vreg('Rn', l),
    vreg('Rm', l),
  ]);
};

const encodings: EncodingSpec[] = [
  // Advanced SIMD table lookup
  tbl('TBL', 'tbl', '0'),
  tbl('TBX', 'tbx', '1'),

  // Advanced SIMD permute
  perm('UZP1', 'uzp1', '001'),
  perm('TRN1', 'trn1', '010'),
  perm('ZIP1', 'zip1', '011'),
  perm('UZP2', 'uzp2', '101'),
  perm('TRN2', 'trn2', '110'),
  perm('ZIP2', 'zip2', '111'),

  // Advanced SIMD extract: an 8-byte vector takes byte indexes 0-7 only.
  simdRow(
    'EXT',
    'ext',
    '0 x 101110 00 0 xxxxx 0 xxxx 0 xxxxx xxxxx',
    'Q Rm imm4 Rn Rd',
    [vreg('Rd', BYQ(ARR_B)), vreg('Rn', BYQ(ARR_B)), vreg('Rm', BYQ(ARR_B)), imm('imm4', { bits: 4 })],
    'simd',
    { invalid: (f) => f.Q === 0 && f.imm4! >= 8 },
  ),

  // Advanced SIMD copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd
  simdRow('DUP_elem', 'dup', '0 x 0 01110000 xxxxx 0 0000 1 xxxxx xxxxx', 'Q imm5 Rn Rd', [
    vreg('Rd', imm5Layout(ARR_ALL, 'Q')),
    elem5('Rn'),
  ]),
  simdRow('DUP_gen', 'dup', '0 x 0 01110000 xxxxx 0 0001 1 xxxxx xxxxx', 'Q imm5 Rn Rd', [
    vreg('Rd', imm5Layout(ARR_ALL, 'Q')),
    gprImm5('Rn'),
    fillImm5,
  ]),
  simdRow('INS_gen', 'ins', '0 1 0 01110000 xxxxx 0 0011 1 xxxxx xxxxx', 'imm5 Rn Rd', [
    elem5('Rd'),
    gprImm5('Rn'),
  ]),
  // SMOV: b and h lanes to a w register, b, h and s lanes to an x register.
  simdRow(
    'SMOV',
    'smov',
    '0 x 0 01110000 xxxxx 0 0101 1 xxxxx xxxxx',
    'Q imm5 Rn Rd',
    [gpr('Rd', 'Q'), elem5('Rn')],
    'simd',
    {
      invalid: (f) => esz(f) === undefined || esz(f)! > (f.Q ? 2 : 1),
    },
  ),
  // UMOV: b, h and s lanes to a w register, d lanes to an x register.
  simdRow(
    'UMOV',
    'umov',
    '0 x 0 01110000 xxxxx 0 0111 1 xxxxx xxxxx',
    'Q imm5 Rn Rd',
    [gpr('Rd', 'Q'), elem5('Rn')],
    'simd',
    {
      invalid: (f) => esz(f) === undefined || (f.Q === 1) !== (esz(f) === 3),
    },
  ),
  simdRow('INS_elem', 'ins', '0 1 1 01110000 xxxxx 0 xxxx 1 xxxxx xxxxx', 'imm5 imm4 Rn Rd', [
    elem5('Rd'),
    elem4('Rn'),
  ]),
];

const aliases: AliasSpec[] = [
  simdAlias('MOV_INS_gen', 'INS_gen', 'mov', () => true, [elem5('Rd'), gprImm5('Rn')]),
  simdAlias('MOV_INS_elem', 'INS_elem', 'mov', () => true, [elem5('Rd'), elem4('Rn')]),
  simdAlias('MOV_UMOV', 'UMOV', 'mov', (f) => esz(f)! >= 2, [gpr('Rd', 'Q'), elem5('Rn')]),
];

export const simdPerm: TableFile = {
  file: 'simd-perm.ts',
  section:
    'C4.1.96 Data Processing -- Scalar Floating-Point and Advanced SIMD: table lookup, permute, extract, copy',
  encodings,
  aliases,
};
