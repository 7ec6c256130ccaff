/**
 * Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", the Advanced
 * SIMD scalar groups: scalar copy, three same (integer, FP, FP16), three same extra, three different,
 * two-register miscellaneous (integer, FP, FP16), pairwise, shift by immediate and x indexed element.
 * They operate on one lane held in a b/h/s/d register. Row names end in `_s` (`_sh` for the
 * half-precision encodings, `_sz` for compares with zero).
 */
import {
  elem5,
  elemIdx,
  immhLayout,
  imm5Layout,
  lay,
  only,
  simdAlias,
  simdRow,
  sreg,
  vreg,
  type Layout,
} from '../operands/simd.js';
import { shiftImm, zero } from '../operands/simd-imm.js';
import type { AliasSpec, EncodingSpec, Operand, TableFile } from '../types.js';

const BYSIZE = (arr: readonly (string | undefined)[]): Layout => lay([['size', 2]], arr);
const ALL = BYSIZE(['b', 'h', 's', 'd']);
const D = BYSIZE([undefined, undefined, undefined, 'd']);
const HS = BYSIZE([undefined, 'h', 's']);
const SD = BYSIZE([undefined, 's', 'd']);
const FS = lay([['sz', 1]], ['s', 'd']);
const H = only('h');
const r3 = (l: Layout): Operand[] => [sreg('Rd', l), sreg('Rn', l), sreg('Rm', l)];

/** Scalar three same: 01 U 11110 size 1 Rm opcode 1 Rn Rd. */
const same = (name: string, mnemonic: string, U: string, opcode: string, l: Layout): EncodingSpec =>
  simdRow(`${name}_s`, mnemonic, `01 ${U} 11110 xx 1 xxxxx ${opcode} 1 xxxxx xxxxx`, 'size Rm Rn Rd', r3(l));

/** The FP ops of scalar three same (11 + opc) and scalar three same FP16 (00 + opc): [name, mnemonic, U, a, opc]. */
const FP_SAME: readonly (readonly [string, string, string, string, string])[] = [
  ['FMULX', 'fmulx', '0', '0', '011'],
  ['FCMEQ', 'fcmeq', '0', '0', '100'],
  ['FRECPS', 'frecps', '0', '0', '111'],
  ['FRSQRTS', 'frsqrts', '0', '1', '111'],
  ['FCMGE', 'fcmge', '1', '0', '100'],
  ['FACGE', 'facge', '1', '0', '101'],
  ['FABD', 'fabd', '1', '1', '010'],
  ['FCMGT', 'fcmgt', '1', '1', '100'],
  ['FACGT', 'facgt', '1', '1', '101'],
];
const fpSame = FP_SAME.flatMap(([name, mnemonic, U, a, opc]) => [
  simdRow(
    `${name}_s`,
    mnemonic,
    `01 ${U} 11110 ${a} x 1 xxxxx 11${opc} 1 xxxxx xxxxx`,
    'sz Rm Rn Rd',
    r3(FS),
  ),
  simdRow(`${name}_sh`, mnemonic, `01 ${U} 11110 ${a} 10 xxxxx 00${opc} 1 xxxxx xxxxx`, 'Rm Rn Rd', r3(H)),
]);

/** Scalar two-register miscellaneous: 01 U 11110 size 10000 opcode 10 Rn Rd. */
const misc = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  dst: Layout,
  src: Layout = dst,
  extra: readonly Operand[] = [],
): EncodingSpec =>
  simdRow(
    name.endsWith('_sz') ? name : `${name}_s`,
    mnemonic,
    `01 ${U} 11110 xx 10000 ${opcode} 10 xxxxx xxxxx`,
    'size Rn Rd',
    [sreg('Rd', dst), sreg('Rn', src), ...extra],
  );
const NARROW_D = BYSIZE(['b', 'h', 's']);
const NARROW_N = BYSIZE(['h', 's', 'd']);

/** FP scalar two-register misc, as [name, mnemonic, U, a, opcode, compares with zero]. All have an FP16 form. */
const FP_MISC: readonly (readonly [string, string, string, string, string, boolean?])[] = [
  ['FCVTNS', 'fcvtns', '0', '0', '11010'],
  ['FCVTMS', 'fcvtms', '0', '0', '11011'],
  ['FCVTAS', 'fcvtas', '0', '0', '11100'],
  ['SCVTF', 'scvtf', '0', '0', '11101'],
  ['FCMGT_sz', 'fcmgt', '0', '1', '01100', true],
  ['FCMEQ_sz', 'fcmeq', '0', '1', '01101', true],
  ['FCMLT_sz', 'fcmlt', '0', '1', '01110', true],
  ['FCVTPS', 'fcvtps', '0', '1', '11010'],
  ['FCVTZS', 'fcvtzs', '0', '1', '11011'],
  ['FRECPE', 'frecpe', '0', '1', '11101'],
  ['FRECPX', 'frecpx', '0', '1', '11111'],
  ['FCVTNU', 'fcvtnu', '1', '0', '11010'],
  ['FCVTMU', 'fcvtmu', '1', '0', '11011'],
  ['FCVTAU', 'fcvtau', '1', '0', '11100'],
  ['UCVTF', 'ucvtf', '1', '0', '11101'],
  ['FCMGE_sz', 'fcmge', '1', '1', '01100', true],
  ['FCMLE_sz', 'fcmle', '1', '1', '01101', true],
  ['FCVTPU', 'fcvtpu', '1', '1', '11010'],
  ['FCVTZU', 'fcvtzu', '1', '1', '11011'],
  ['FRSQRTE', 'frsqrte', '1', '1', '11101'],
];
const fpMisc = FP_MISC.flatMap(([name, mnemonic, U, a, opcode, withZero]) => {
  const z = withZero ? [zero('#0.0')] : [];
  const base = name.endsWith('_sz') ? name : `${name}_s`;
  return [
    simdRow(base, mnemonic, `01 ${U} 11110 ${a} x 10000 ${opcode} 10 xxxxx xxxxx`, 'sz Rn Rd', [
      sreg('Rd', FS),
      sreg('Rn', FS),
      ...z,
    ]),
    simdRow(`${base}h`, mnemonic, `01 ${U} 11110 ${a} 1111 00 ${opcode} 10 xxxxx xxxxx`, 'Rn Rd', [
      sreg('Rd', H),
      sreg('Rn', H),
      ...z,
    ]),
  ];
});

/** Scalar pairwise FP: 01 U 11110 a sz 11000 opcode 10 Rn Rd (FP16: U = 0, sz = 0). */
const fpPair = (name: string, mnemonic: string, a: string, opcode: string): EncodingSpec[] => [
  simdRow(`${name}_s`, mnemonic, `01 1 11110 ${a} x 11000 ${opcode} 10 xxxxx xxxxx`, 'sz Rn Rd', [
    sreg('Rd', FS),
    vreg('Rn', lay([['sz', 1]], ['2s', '2d'])),
  ]),
  simdRow(`${name}_sh`, mnemonic, `01 0 11110 ${a} 0 11000 ${opcode} 10 xxxxx xxxxx`, 'Rn Rd', [
    sreg('Rd', H),
    vreg('Rn', only('2h')),
  ]),
];

/** Scalar shift by immediate: 01 U 111110 immh immb opcode 1 Rn Rd. */
const SH_D = immhLayout([undefined, undefined, undefined, 'd']);
const SH_ALL = immhLayout(['b', 'h', 's', 'd']);
const SH_FIXED = immhLayout([undefined, 'h', 's', 'd']);
const shift = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  dir: 'right' | 'left',
  dst: Layout,
  src: Layout = dst,
): EncodingSpec =>
  simdRow(`${name}_s`, mnemonic, `01 ${U} 111110 xxxx xxx ${opcode} 1 xxxxx xxxxx`, 'immh immb Rn Rd', [
    sreg('Rd', dst),
    sreg('Rn', src),
    shiftImm(dir),
  ]);
const SH_ND = immhLayout(['b', 'h', 's']);
const SH_NN = immhLayout(['h', 's', 'd']);

/** Scalar x indexed element: 01 U 11111 size L M Rm opcode H 0 Rn Rd. */
const EL = { 1: 'h', 2: 's' };
const byElem = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  dst: Layout,
  src: Layout,
): EncodingSpec =>
  simdRow(
    `${name}_s_elem`,
    mnemonic,
    `01 ${U} 11111 xx x x xxxx ${opcode} x 0 xxxxx xxxxx`,
    'size L M Rm H Rn Rd',
    [sreg('Rd', dst), sreg('Rn', src), elemIdx('size', EL)],
  );
const byElemFp = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec[] => [
  simdRow(
    `${name}_s_elem`,
    mnemonic,
    `01 ${U} 11111 1 x x x xxxx ${opcode} x 0 xxxxx xxxxx`,
    'sz L M Rm H Rn Rd',
    [sreg('Rd', FS), sreg('Rn', FS), elemIdx('sz', { 0: 's', 1: 'd' })],
  ),
  simdRow(
    `${name}_s_elemh`,
    mnemonic,
    `01 ${U} 11111 00 x x xxxx ${opcode} x 0 xxxxx xxxxx`,
    'L M Rm H Rn Rd',
    [sreg('Rd', H), sreg('Rn', H), elemIdx(undefined, { 0: 'h' })],
  ),
];

const encodings: EncodingSpec[] = [
  // Advanced SIMD scalar copy (DUP, element); LLVM prints it as `mov`.
  simdRow('DUP_elem_s', 'dup', '01 0 11110000 xxxxx 0 0000 1 xxxxx xxxxx', 'imm5 Rn Rd', [
    sreg('Rd', imm5Layout(['b', 'h', 's', 'd'])),
    elem5('Rn'),
  ]),

  // Advanced SIMD scalar three same
  same('SQADD', 'sqadd', '0', '00001', ALL),
  same('SQSUB', 'sqsub', '0', '00101', ALL),
  same('CMGT', 'cmgt', '0', '00110', D),
  same('CMGE', 'cmge', '0', '00111', D),
  same('SSHL', 'sshl', '0', '01000', D),
  same('SQSHL', 'sqshl', '0', '01001', ALL),
  same('SRSHL', 'srshl', '0', '01010', D),
  same('SQRSHL', 'sqrshl', '0', '01011', ALL),
  same('ADD', 'add', '0', '10000', D),
  same('CMTST', 'cmtst', '0', '10001', D),
  same('SQDMULH', 'sqdmulh', '0', '10110', HS),
  same('UQADD', 'uqadd', '1', '00001', ALL),
  same('UQSUB', 'uqsub', '1', '00101', ALL),
  same('CMHI', 'cmhi', '1', '00110', D),
  same('CMHS', 'cmhs', '1', '00111', D),
  same('USHL', 'ushl', '1', '01000', D),
  same('UQSHL', 'uqshl', '1', '01001', ALL),
  same('URSHL', 'urshl', '1', '01010', D),
  same('UQRSHL', 'uqrshl', '1', '01011', ALL),
  same('SUB', 'sub', '1', '10000', D),
  same('CMEQ', 'cmeq', '1', '10001', D),
  same('SQRDMULH', 'sqrdmulh', '1', '10110', HS),
  ...fpSame,

  // Advanced SIMD scalar three same extra (+rdm)
  simdRow('SQRDMLAH_s', 'sqrdmlah', '01 1 11110 xx 0 xxxxx 1 0000 1 xxxxx xxxxx', 'size Rm Rn Rd', r3(HS)),
  simdRow('SQRDMLSH_s', 'sqrdmlsh', '01 1 11110 xx 0 xxxxx 1 0001 1 xxxxx xxxxx', 'size Rm Rn Rd', r3(HS)),

  // Advanced SIMD scalar three different
  ...(
    [
      ['SQDMLAL', 'sqdmlal', '1001'],
      ['SQDMLSL', 'sqdmlsl', '1011'],
      ['SQDMULL', 'sqdmull', '1101'],
    ] as const
  ).map(([name, mnemonic, opcode]) =>
    simdRow(`${name}_s`, mnemonic, `01 0 11110 xx 1 xxxxx ${opcode} 00 xxxxx xxxxx`, 'size Rm Rn Rd', [
      sreg('Rd', SD),
      sreg('Rn', HS),
      sreg('Rm', HS),
    ]),
  ),

  // Advanced SIMD scalar two-register miscellaneous
  misc('SUQADD', 'suqadd', '0', '00011', ALL),
  misc('SQABS', 'sqabs', '0', '00111', ALL),
  misc('CMGT_sz', 'cmgt', '0', '01000', D, D, [zero('#0')]),
  misc('CMEQ_sz', 'cmeq', '0', '01001', D, D, [zero('#0')]),
  misc('CMLT_sz', 'cmlt', '0', '01010', D, D, [zero('#0')]),
  misc('ABS', 'abs', '0', '01011', D),
  misc('SQXTN', 'sqxtn', '0', '10100', NARROW_D, NARROW_N),
  misc('USQADD', 'usqadd', '1', '00011', ALL),
  misc('SQNEG', 'sqneg', '1', '00111', ALL),
  misc('CMGE_sz', 'cmge', '1', '01000', D, D, [zero('#0')]),
  misc('CMLE_sz', 'cmle', '1', '01001', D, D, [zero('#0')]),
  misc('NEG', 'neg', '1', '01011', D),
  misc('SQXTUN', 'sqxtun', '1', '10010', NARROW_D, NARROW_N),
  misc('UQXTN', 'uqxtn', '1', '10100', NARROW_D, NARROW_N),
  simdRow('FCVTXN_s', 'fcvtxn', '01 1 11110 0 1 10000 10110 10 xxxxx xxxxx', 'Rn Rd', [
    sreg('Rd', only('s')),
    sreg('Rn', only('d')),
  ]),
  ...fpMisc,

  // Advanced SIMD scalar pairwise
  simdRow('ADDP_s', 'addp', '01 0 11110 xx 11000 11011 10 xxxxx xxxxx', 'size Rn Rd', [
    sreg('Rd', D),
    vreg('Rn', BYSIZE([undefined, undefined, undefined, '2d'])),
  ]),
  ...fpPair('FMAXNMP', 'fmaxnmp', '0', '01100'),
  ...fpPair('FADDP', 'faddp', '0', '01101'),
  ...fpPair('FMAXP', 'fmaxp', '0', '01111'),
  ...fpPair('FMINNMP', 'fminnmp', '1', '01100'),
  ...fpPair('FMINP', 'fminp', '1', '01111'),

  // Advanced SIMD scalar shift by immediate
  shift('SSHR', 'sshr', '0', '00000', 'right', SH_D),
  shift('SSRA', 'ssra', '0', '00010', 'right', SH_D),
  shift('SRSHR', 'srshr', '0', '00100', 'right', SH_D),
  shift('SRSRA', 'srsra', '0', '00110', 'right', SH_D),
  shift('SHL', 'shl', '0', '01010', 'left', SH_D),
  shift('SQSHL_imm', 'sqshl', '0', '01110', 'left', SH_ALL),
  shift('SQSHRN', 'sqshrn', '0', '10010', 'right', SH_ND, SH_NN),
  shift('SQRSHRN', 'sqrshrn', '0', '10011', 'right', SH_ND, SH_NN),
  shift('SCVTF_fix', 'scvtf', '0', '11100', 'right', SH_FIXED),
  shift('FCVTZS_fix', 'fcvtzs', '0', '11111', 'right', SH_FIXED),
  shift('USHR', 'ushr', '1', '00000', 'right', SH_D),
  shift('USRA', 'usra', '1', '00010', 'right', SH_D),
  shift('URSHR', 'urshr', '1', '00100', 'right', SH_D),
  shift('URSRA', 'ursra', '1', '00110', 'right', SH_D),
  shift('SRI', 'sri', '1', '01000', 'right', SH_D),
  shift('SLI', 'sli', '1', '01010', 'left', SH_D),
  shift('SQSHLU', 'sqshlu', '1', '01100', 'left', SH_ALL),
  shift('UQSHL_imm', 'uqshl', '1', '01110', 'left', SH_ALL),
  shift('SQSHRUN', 'sqshrun', '1', '10000', 'right', SH_ND, SH_NN),
  shift('SQRSHRUN', 'sqrshrun', '1', '10001', 'right', SH_ND, SH_NN),
  shift('UQSHRN', 'uqshrn', '1', '10010', 'right', SH_ND, SH_NN),
  shift('UQRSHRN', 'uqrshrn', '1', '10011', 'right', SH_ND, SH_NN),
  shift('UCVTF_fix', 'ucvtf', '1', '11100', 'right', SH_FIXED),
  shift('FCVTZU_fix', 'fcvtzu', '1', '11111', 'right', SH_FIXED),

  // Advanced SIMD scalar x indexed element
  ...byElemFp('FMLA', 'fmla', '0', '0001'),
  byElem('SQDMLAL', 'sqdmlal', '0', '0011', SD, HS),
  ...byElemFp('FMLS', 'fmls', '0', '0101'),
  byElem('SQDMLSL', 'sqdmlsl', '0', '0111', SD, HS),
  ...byElemFp('FMUL', 'fmul', '0', '1001'),
  byElem('SQDMULL', 'sqdmull', '0', '1011', SD, HS),
  byElem('SQDMULH', 'sqdmulh', '0', '1100', HS, HS),
  byElem('SQRDMULH', 'sqrdmulh', '0', '1101', HS, HS),
  ...byElemFp('FMULX', 'fmulx', '1', '1001'),
  byElem('SQRDMLAH', 'sqrdmlah', '1', '1101', HS, HS),
  byElem('SQRDMLSH', 'sqrdmlsh', '1', '1111', HS, HS),
];

const aliases: AliasSpec[] = [
  simdAlias('MOV_DUP_elem_s', 'DUP_elem_s', 'mov', () => true, [
    sreg('Rd', imm5Layout(['b', 'h', 's', 'd'])),
    elem5('Rn'),
  ]),
];

export const simdScalar: TableFile = {
  file: 'simd-scalar.ts',
  section: 'C4.1.96 Data Processing -- Scalar Floating-Point and Advanced SIMD: Advanced SIMD scalar',
  encodings,
  aliases,
};
