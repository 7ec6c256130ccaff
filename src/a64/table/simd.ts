/**
 * Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", the vector
 * groups over whole registers: Advanced SIMD three same (integer, logical, FP, FP16), three same extra,
 * three different, two-register miscellaneous (integer, FP, FP16) and across lanes.
 *
 * Row names: the manual's instruction, `_v` for the vector form (`ADD_v`; the scalar forms in
 * simd-scalar.ts use `_s`), `_vh` for the half-precision encoding of an FP instruction, `_vz` for the
 * compare-with-zero forms; a "2" instruction (upper half, Q = 1) is its own row (`XTN2_v`) because LLVM
 * spells it with its own mnemonic.
 */
import { imm } from '../operands/core.js';
import {
  ARR_ALL,
  ARR_B,
  ARR_BH,
  ARR_BHS,
  ARR_FP,
  ARR_FP16,
  ARR_HS,
  lay,
  simdAlias,
  simdRow,
  sreg,
  T_FQ,
  T_SQ,
  tie,
  vreg,
  type Layout,
} from '../operands/simd.js';
import { shllShift, zero } from '../operands/simd-imm.js';
import type { AliasSpec, EncodingSpec, Operand, TableFile } from '../types.js';

const SQ = (arr: readonly (string | undefined)[]): Layout => lay(T_SQ, arr);
const BYQ = (arr: readonly (string | undefined)[]): Layout => lay([['Q', 1]], arr);
const BYSIZE = (arr: readonly (string | undefined)[]): Layout => lay([['size', 2]], arr);
const FQ = lay(T_FQ, ARR_FP);
const HQ = BYQ(ARR_FP16);
const v3 = (l: Layout): Operand[] => [vreg('Rd', l), vreg('Rn', l), vreg('Rm', l)];

/** Advanced SIMD three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd. */
const same = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  arr: readonly (string | undefined)[] = ARR_ALL,
): EncodingSpec =>
  simdRow(
    `${name}_v`,
    mnemonic,
    `0 x ${U} 01110 xx 1 xxxxx ${opcode} 1 xxxxx xxxxx`,
    'Q size Rm Rn Rd',
    v3(SQ(arr)),
  );

/** The logical ops of three same: size is part of the opcode, lanes are bytes. */
const logical = (name: string, mnemonic: string, U: string, size: string): EncodingSpec =>
  simdRow(
    `${name}_v`,
    mnemonic,
    `0 x ${U} 01110 ${size} 1 xxxxx 00011 1 xxxxx xxxxx`,
    'Q Rm Rn Rd',
    v3(BYQ(ARR_B)),
  );

/**
 * The FP ops of three same (opcode 11 + opc) and three same FP16 (00 + opc), as [name, mnemonic, U, a, opc].
 * FMLAL/FMLSL(2) need +fp16fml, which the reference flags leave out.
 */
const FP_SAME: readonly (readonly [string, string, string, string, string])[] = [
  ['FMAXNM', 'fmaxnm', '0', '0', '000'],
  ['FMLA', 'fmla', '0', '0', '001'],
  ['FADD', 'fadd', '0', '0', '010'],
  ['FMULX', 'fmulx', '0', '0', '011'],
  ['FCMEQ', 'fcmeq', '0', '0', '100'],
  ['FMAX', 'fmax', '0', '0', '110'],
  ['FRECPS', 'frecps', '0', '0', '111'],
  ['FMINNM', 'fminnm', '0', '1', '000'],
  ['FMLS', 'fmls', '0', '1', '001'],
  ['FSUB', 'fsub', '0', '1', '010'],
  ['FMIN', 'fmin', '0', '1', '110'],
  ['FRSQRTS', 'frsqrts', '0', '1', '111'],
  ['FMAXNMP', 'fmaxnmp', '1', '0', '000'],
  ['FADDP', 'faddp', '1', '0', '010'],
  ['FMUL', 'fmul', '1', '0', '011'],
  ['FCMGE', 'fcmge', '1', '0', '100'],
  ['FACGE', 'facge', '1', '0', '101'],
  ['FMAXP', 'fmaxp', '1', '0', '110'],
  ['FDIV', 'fdiv', '1', '0', '111'],
  ['FMINNMP', 'fminnmp', '1', '1', '000'],
  ['FABD', 'fabd', '1', '1', '010'],
  ['FCMGT', 'fcmgt', '1', '1', '100'],
  ['FACGT', 'facgt', '1', '1', '101'],
  ['FMINP', 'fminp', '1', '1', '110'],
];

const fpSame = FP_SAME.flatMap(([name, mnemonic, U, a, opc]) => [
  simdRow(
    `${name}_v`,
    mnemonic,
    `0 x ${U} 01110 ${a} x 1 xxxxx 11${opc} 1 xxxxx xxxxx`,
    'Q sz Rm Rn Rd',
    v3(FQ),
  ),
  simdRow(
    `${name}_vh`,
    mnemonic,
    `0 x ${U} 01110 ${a} 10 xxxxx 00${opc} 1 xxxxx xxxxx`,
    'Q Rm Rn Rd',
    v3(HQ),
  ),
]);

/** Three different, in a Q = 0 row and a Q = 1 ("2") row: long (L), wide (W) or narrowing (N). */
const LONG = ['8h', '4s', '2d'];
const HALF = [
  ['8b', '4h', '2s'],
  ['16b', '8h', '4s'],
] as const;
const diff = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  kind: 'L' | 'W' | 'N',
  wide: readonly (string | undefined)[] = LONG,
): EncodingSpec[] =>
  [0, 1].map((q) => {
    const ta = BYSIZE(wide);
    const tb = BYSIZE(
      wide === LONG ? HALF[q]! : HALF[q]!.map((t, i) => (wide[i] === undefined ? undefined : t)),
    );
    const ops =
      kind === 'L'
        ? [vreg('Rd', ta), vreg('Rn', tb), vreg('Rm', tb)]
        : kind === 'W'
          ? [vreg('Rd', ta), vreg('Rn', ta), vreg('Rm', tb)]
          : [vreg('Rd', tb), vreg('Rn', ta), vreg('Rm', ta)];
    const sfx = q ? '2' : '';
    return simdRow(
      `${name}${sfx}_v`,
      `${mnemonic}${sfx}`,
      `0 ${q} ${U} 01110 xx 1 xxxxx ${opcode} 00 xxxxx xxxxx`,
      'size Rm Rn Rd',
      ops,
    );
  });
const SQD = [undefined, '4s', '2d'];

/** Two-register miscellaneous: 0 Q U 01110 size 10000 opcode 10 Rn Rd. */
const misc = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  arr: readonly (string | undefined)[],
  extra: readonly Operand[] = [],
): EncodingSpec =>
  simdRow(
    name.endsWith('_vz') ? name : `${name}_v`,
    mnemonic,
    `0 x ${U} 01110 xx 10000 ${opcode} 10 xxxxx xxxxx`,
    'Q size Rn Rd',
    [vreg('Rd', SQ(arr)), vreg('Rn', SQ(arr)), ...extra],
  );

/** Pairwise long adds: destination lanes twice as wide, half as many. */
const pairLong = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec =>
  simdRow(`${name}_v`, mnemonic, `0 x ${U} 01110 xx 10000 ${opcode} 10 xxxxx xxxxx`, 'Q size Rn Rd', [
    vreg('Rd', SQ(['4h', '8h', '2s', '4s', '1d', '2d'])),
    vreg('Rn', SQ(ARR_BHS)),
  ]);

/** Narrowing moves (XTN, SQXTN …), Q = 0 and "2" rows. */
const narrow = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec[] =>
  [0, 1].map((q) => {
    const sfx = q ? '2' : '';
    return simdRow(
      `${name}${sfx}_v`,
      `${mnemonic}${sfx}`,
      `0 ${q} ${U} 01110 xx 10000 ${opcode} 10 xxxxx xxxxx`,
      'size Rn Rd',
      [vreg('Rd', BYSIZE(HALF[q]!)), vreg('Rn', BYSIZE(LONG))],
    );
  });

/** FP two-register miscellaneous, as [name, mnemonic, U, a, opcode, has FP16 form, compares with zero]. */
const FP_MISC: readonly (readonly [string, string, string, string, string, boolean, boolean?])[] = [
  ['FRINTN', 'frintn', '0', '0', '11000', true],
  ['FRINTM', 'frintm', '0', '0', '11001', true],
  ['FCVTNS', 'fcvtns', '0', '0', '11010', true],
  ['FCVTMS', 'fcvtms', '0', '0', '11011', true],
  ['FCVTAS', 'fcvtas', '0', '0', '11100', true],
  ['SCVTF', 'scvtf', '0', '0', '11101', true],
  ['FRINT32Z', 'frint32z', '0', '0', '11110', false],
  ['FRINT64Z', 'frint64z', '0', '0', '11111', false],
  ['FCMGT_vz', 'fcmgt', '0', '1', '01100', true, true],
  ['FCMEQ_vz', 'fcmeq', '0', '1', '01101', true, true],
  ['FCMLT_vz', 'fcmlt', '0', '1', '01110', true, true],
  ['FABS', 'fabs', '0', '1', '01111', true],
  ['FRINTP', 'frintp', '0', '1', '11000', true],
  ['FRINTZ', 'frintz', '0', '1', '11001', true],
  ['FCVTPS', 'fcvtps', '0', '1', '11010', true],
  ['FCVTZS', 'fcvtzs', '0', '1', '11011', true],
  ['FRECPE', 'frecpe', '0', '1', '11101', true],
  ['FRINTA', 'frinta', '1', '0', '11000', true],
  ['FRINTX', 'frintx', '1', '0', '11001', true],
  ['FCVTNU', 'fcvtnu', '1', '0', '11010', true],
  ['FCVTMU', 'fcvtmu', '1', '0', '11011', true],
  ['FCVTAU', 'fcvtau', '1', '0', '11100', true],
  ['UCVTF', 'ucvtf', '1', '0', '11101', true],
  ['FRINT32X', 'frint32x', '1', '0', '11110', false],
  ['FRINT64X', 'frint64x', '1', '0', '11111', false],
  ['FCMGE_vz', 'fcmge', '1', '1', '01100', true, true],
  ['FCMLE_vz', 'fcmle', '1', '1', '01101', true, true],
  ['FNEG', 'fneg', '1', '1', '01111', true],
  ['FRINTI', 'frinti', '1', '1', '11001', true],
  ['FCVTPU', 'fcvtpu', '1', '1', '11010', true],
  ['FCVTZU', 'fcvtzu', '1', '1', '11011', true],
  ['FRSQRTE', 'frsqrte', '1', '1', '11101', true],
  ['FSQRT', 'fsqrt', '1', '1', '11111', true],
];

const fpMisc = FP_MISC.flatMap(([name, mnemonic, U, a, opcode, half, withZero]) => {
  const z = withZero ? [zero('#0.0')] : [];
  const base = name.endsWith('_vz') ? name : `${name}_v`;
  const rows = [
    simdRow(base, mnemonic, `0 x ${U} 01110 ${a} x 10000 ${opcode} 10 xxxxx xxxxx`, 'Q sz Rn Rd', [
      vreg('Rd', FQ),
      vreg('Rn', FQ),
      ...z,
    ]),
  ];
  if (half)
    rows.push(
      simdRow(`${base}h`, mnemonic, `0 x ${U} 01110 ${a} 1111 00 ${opcode} 10 xxxxx xxxxx`, 'Q Rn Rd', [
        vreg('Rd', HQ),
        vreg('Rn', HQ),
        ...z,
      ]),
    );
  return rows;
});

/** FP conversions between precisions: narrowing (FCVTN, FCVTXN) and lengthening (FCVTL), Q = 0 and "2" rows. */
const fcvtPrecision = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  dir: 'narrow' | 'long',
  sz = 'x',
): EncodingSpec[] =>
  [0, 1].map((q) => {
    const sfx = q ? '2' : '';
    const fields = sz === 'x' ? 'sz Rn Rd' : 'Rn Rd';
    const by = (arr: readonly (string | undefined)[]): Layout =>
      sz === 'x' ? lay([['sz', 1]], arr) : lay([], [arr[1]!]);
    const short = by(q ? ['8h', '4s'] : ['4h', '2s']);
    const long = by(['4s', '2d']);
    const ops =
      dir === 'narrow' ? [vreg('Rd', short), vreg('Rn', long)] : [vreg('Rd', long), vreg('Rn', short)];
    return simdRow(
      `${name}${sfx}_v`,
      `${mnemonic}${sfx}`,
      `0 ${q} ${U} 01110 0 ${sz} 10000 ${opcode} 10 xxxxx xxxxx`,
      fields,
      ops,
      'simd',
    );
  });

/** Across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd. */
const acrossArr = SQ(['8b', '16b', '4h', '8h', undefined, '4s']);
const across = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  dst: readonly string[],
): EncodingSpec =>
  simdRow(`${name}_v`, mnemonic, `0 x ${U} 01110 xx 11000 ${opcode} 10 xxxxx xxxxx`, 'Q size Rn Rd', [
    sreg('Rd', BYSIZE(dst)),
    vreg('Rn', acrossArr),
  ]);
const fpAcross = (name: string, mnemonic: string, a: string, opcode: string): EncodingSpec[] => [
  simdRow(`${name}_v`, mnemonic, `0 x 1 01110 ${a} x 11000 ${opcode} 10 xxxxx xxxxx`, 'Q sz Rn Rd', [
    sreg('Rd', lay([['sz', 1]], ['s'])),
    vreg('Rn', lay(T_FQ, [undefined, '4s'])),
  ]),
  simdRow(`${name}_vh`, mnemonic, `0 x 0 01110 ${a} 0 11000 ${opcode} 10 xxxxx xxxxx`, 'Q Rn Rd', [
    sreg('Rd', lay([], ['h'])),
    vreg('Rn', HQ),
  ]),
];

const encodings: EncodingSpec[] = [
  // Advanced SIMD three same
  same('SHADD', 'shadd', '0', '00000', ARR_BHS),
  same('SQADD', 'sqadd', '0', '00001'),
  same('SRHADD', 'srhadd', '0', '00010', ARR_BHS),
  same('SHSUB', 'shsub', '0', '00100', ARR_BHS),
  same('SQSUB', 'sqsub', '0', '00101'),
  same('CMGT', 'cmgt', '0', '00110'),
  same('CMGE', 'cmge', '0', '00111'),
  same('SSHL', 'sshl', '0', '01000'),
  same('SQSHL', 'sqshl', '0', '01001'),
  same('SRSHL', 'srshl', '0', '01010'),
  same('SQRSHL', 'sqrshl', '0', '01011'),
  same('SMAX', 'smax', '0', '01100', ARR_BHS),
  same('SMIN', 'smin', '0', '01101', ARR_BHS),
  same('SABD', 'sabd', '0', '01110', ARR_BHS),
  same('SABA', 'saba', '0', '01111', ARR_BHS),
  same('ADD', 'add', '0', '10000'),
  same('CMTST', 'cmtst', '0', '10001'),
  same('MLA', 'mla', '0', '10010', ARR_BHS),
  same('MUL', 'mul', '0', '10011', ARR_BHS),
  same('SMAXP', 'smaxp', '0', '10100', ARR_BHS),
  same('SMINP', 'sminp', '0', '10101', ARR_BHS),
  same('SQDMULH', 'sqdmulh', '0', '10110', ARR_HS),
  same('ADDP', 'addp', '0', '10111'),
  same('UHADD', 'uhadd', '1', '00000', ARR_BHS),
  same('UQADD', 'uqadd', '1', '00001'),
  same('URHADD', 'urhadd', '1', '00010', ARR_BHS),
  same('UHSUB', 'uhsub', '1', '00100', ARR_BHS),
  same('UQSUB', 'uqsub', '1', '00101'),
  same('CMHI', 'cmhi', '1', '00110'),
  same('CMHS', 'cmhs', '1', '00111'),
  same('USHL', 'ushl', '1', '01000'),
  same('UQSHL', 'uqshl', '1', '01001'),
  same('URSHL', 'urshl', '1', '01010'),
  same('UQRSHL', 'uqrshl', '1', '01011'),
  same('UMAX', 'umax', '1', '01100', ARR_BHS),
  same('UMIN', 'umin', '1', '01101', ARR_BHS),
  same('UABD', 'uabd', '1', '01110', ARR_BHS),
  same('UABA', 'uaba', '1', '01111', ARR_BHS),
  same('SUB', 'sub', '1', '10000'),
  same('CMEQ', 'cmeq', '1', '10001'),
  same('MLS', 'mls', '1', '10010', ARR_BHS),
  same('PMUL', 'pmul', '1', '10011', ARR_B),
  same('UMAXP', 'umaxp', '1', '10100', ARR_BHS),
  same('UMINP', 'uminp', '1', '10101', ARR_BHS),
  same('SQRDMULH', 'sqrdmulh', '1', '10110', ARR_HS),
  logical('AND', 'and', '0', '00'),
  logical('BIC', 'bic', '0', '01'),
  logical('ORR', 'orr', '0', '10'),
  logical('ORN', 'orn', '0', '11'),
  logical('EOR', 'eor', '1', '00'),
  logical('BSL', 'bsl', '1', '01'),
  logical('BIT', 'bit', '1', '10'),
  logical('BIF', 'bif', '1', '11'),
  // Advanced SIMD three same (FP) and three same FP16
  ...fpSame,

  // Advanced SIMD three same extra: 0 Q U 01110 size 0 Rm 1 opcode 1 Rn Rd (+rdm, +dotprod, v8.3 complex).
  // Not decoded: USDOT, SMMLA, UMMLA, USMMLA (opcode 0011/0100/0101, +i8mm) and BFDOT, BFMMLA, BFMLALB/T
  // (+bf16): the reference flags leave both features out, so LLVM 14 reports these words as invalid.
  simdRow(
    'SQRDMLAH_v',
    'sqrdmlah',
    '0 x 1 01110 xx 0 xxxxx 1 0000 1 xxxxx xxxxx',
    'Q size Rm Rn Rd',
    v3(SQ(ARR_HS)),
  ),
  simdRow(
    'SQRDMLSH_v',
    'sqrdmlsh',
    '0 x 1 01110 xx 0 xxxxx 1 0001 1 xxxxx xxxxx',
    'Q size Rm Rn Rd',
    v3(SQ(ARR_HS)),
  ),
  simdRow('SDOT_v', 'sdot', '0 x 0 01110 10 0 xxxxx 1 0010 1 xxxxx xxxxx', 'Q Rm Rn Rd', [
    vreg('Rd', BYQ(['2s', '4s'])),
    vreg('Rn', BYQ(ARR_B)),
    vreg('Rm', BYQ(ARR_B)),
  ]),
  simdRow('UDOT_v', 'udot', '0 x 1 01110 10 0 xxxxx 1 0010 1 xxxxx xxxxx', 'Q Rm Rn Rd', [
    vreg('Rd', BYQ(['2s', '4s'])),
    vreg('Rn', BYQ(ARR_B)),
    vreg('Rm', BYQ(ARR_B)),
  ]),
  simdRow('FCMLA_v', 'fcmla', '0 x 1 01110 xx 0 xxxxx 1 10 xx 1 xxxxx xxxxx', 'Q size Rm rot Rn Rd', [
    ...v3(SQ([undefined, undefined, '4h', '8h', '2s', '4s', undefined, '2d'])),
    imm('rot', { bits: 2, scale: 90 }),
  ]),
  simdRow('FCADD_v', 'fcadd', '0 x 1 01110 xx 0 xxxxx 1 11 x 0 1 xxxxx xxxxx', 'Q size Rm rot Rn Rd', [
    ...v3(SQ([undefined, undefined, '4h', '8h', '2s', '4s', undefined, '2d'])),
    imm('rot', { bits: 1, scale: 180, add: 90 }),
  ]),

  // Advanced SIMD three different
  ...diff('SADDL', 'saddl', '0', '0000', 'L'),
  ...diff('SADDW', 'saddw', '0', '0001', 'W'),
  ...diff('SSUBL', 'ssubl', '0', '0010', 'L'),
  ...diff('SSUBW', 'ssubw', '0', '0011', 'W'),
  ...diff('ADDHN', 'addhn', '0', '0100', 'N'),
  ...diff('SABAL', 'sabal', '0', '0101', 'L'),
  ...diff('SUBHN', 'subhn', '0', '0110', 'N'),
  ...diff('SABDL', 'sabdl', '0', '0111', 'L'),
  ...diff('SMLAL', 'smlal', '0', '1000', 'L'),
  ...diff('SQDMLAL', 'sqdmlal', '0', '1001', 'L', SQD),
  ...diff('SMLSL', 'smlsl', '0', '1010', 'L'),
  ...diff('SQDMLSL', 'sqdmlsl', '0', '1011', 'L', SQD),
  ...diff('SMULL', 'smull', '0', '1100', 'L'),
  ...diff('SQDMULL', 'sqdmull', '0', '1101', 'L', SQD),
  ...[0, 1].map((q) =>
    simdRow(
      `PMULL${q ? '2' : ''}_v`,
      `pmull${q ? '2' : ''}`,
      `0 ${q} 0 01110 xx 1 xxxxx 1110 00 xxxxx xxxxx`,
      'size Rm Rn Rd',
      [
        vreg('Rd', BYSIZE(['8h', undefined, undefined, '1q'])),
        vreg('Rn', BYSIZE(q ? ['16b', undefined, undefined, '2d'] : ['8b', undefined, undefined, '1d'])),
        vreg('Rm', BYSIZE(q ? ['16b', undefined, undefined, '2d'] : ['8b', undefined, undefined, '1d'])),
      ],
    ),
  ),
  ...diff('UADDL', 'uaddl', '1', '0000', 'L'),
  ...diff('UADDW', 'uaddw', '1', '0001', 'W'),
  ...diff('USUBL', 'usubl', '1', '0010', 'L'),
  ...diff('USUBW', 'usubw', '1', '0011', 'W'),
  ...diff('RADDHN', 'raddhn', '1', '0100', 'N'),
  ...diff('UABAL', 'uabal', '1', '0101', 'L'),
  ...diff('RSUBHN', 'rsubhn', '1', '0110', 'N'),
  ...diff('UABDL', 'uabdl', '1', '0111', 'L'),
  ...diff('UMLAL', 'umlal', '1', '1000', 'L'),
  ...diff('UMLSL', 'umlsl', '1', '1010', 'L'),
  ...diff('UMULL', 'umull', '1', '1100', 'L'),

  // Advanced SIMD two-register miscellaneous. Not decoded: BFCVTN/BFCVTN2 (U 0, size 10, opcode 10110,
  // +bf16, outside the reference flags).
  misc('REV64', 'rev64', '0', '00000', ARR_BHS),
  misc('REV16', 'rev16', '0', '00001', ARR_B),
  pairLong('SADDLP', 'saddlp', '0', '00010'),
  misc('SUQADD', 'suqadd', '0', '00011', ARR_ALL),
  misc('CLS', 'cls', '0', '00100', ARR_BHS),
  misc('CNT', 'cnt', '0', '00101', ARR_B),
  pairLong('SADALP', 'sadalp', '0', '00110'),
  misc('SQABS', 'sqabs', '0', '00111', ARR_ALL),
  misc('CMGT_vz', 'cmgt', '0', '01000', ARR_ALL, [zero('#0')]),
  misc('CMEQ_vz', 'cmeq', '0', '01001', ARR_ALL, [zero('#0')]),
  misc('CMLT_vz', 'cmlt', '0', '01010', ARR_ALL, [zero('#0')]),
  misc('ABS', 'abs', '0', '01011', ARR_ALL),
  ...narrow('XTN', 'xtn', '0', '10010'),
  ...narrow('SQXTN', 'sqxtn', '0', '10100'),
  ...fcvtPrecision('FCVTN', 'fcvtn', '0', '10110', 'narrow'),
  ...fcvtPrecision('FCVTL', 'fcvtl', '0', '10111', 'long'),
  simdRow('URECPE_v', 'urecpe', '0 x 0 01110 1 0 10000 11100 10 xxxxx xxxxx', 'Q Rn Rd', [
    vreg('Rd', BYQ(['2s', '4s'])),
    vreg('Rn', BYQ(['2s', '4s'])),
  ]),
  misc('REV32', 'rev32', '1', '00000', ARR_BH),
  pairLong('UADDLP', 'uaddlp', '1', '00010'),
  misc('USQADD', 'usqadd', '1', '00011', ARR_ALL),
  misc('CLZ', 'clz', '1', '00100', ARR_BHS),
  simdRow('NOT_v', 'not', '0 x 1 01110 00 10000 00101 10 xxxxx xxxxx', 'Q Rn Rd', [
    vreg('Rd', BYQ(ARR_B)),
    vreg('Rn', BYQ(ARR_B)),
  ]),
  simdRow('RBIT_v', 'rbit', '0 x 1 01110 01 10000 00101 10 xxxxx xxxxx', 'Q Rn Rd', [
    vreg('Rd', BYQ(ARR_B)),
    vreg('Rn', BYQ(ARR_B)),
  ]),
  pairLong('UADALP', 'uadalp', '1', '00110'),
  misc('SQNEG', 'sqneg', '1', '00111', ARR_ALL),
  misc('CMGE_vz', 'cmge', '1', '01000', ARR_ALL, [zero('#0')]),
  misc('CMLE_vz', 'cmle', '1', '01001', ARR_ALL, [zero('#0')]),
  misc('NEG', 'neg', '1', '01011', ARR_ALL),
  ...narrow('SQXTUN', 'sqxtun', '1', '10010'),
  ...[0, 1].map((q) =>
    simdRow(
      `SHLL${q ? '2' : ''}_v`,
      `shll${q ? '2' : ''}`,
      `0 ${q} 1 01110 xx 10000 10011 10 xxxxx xxxxx`,
      'size Rn Rd',
      [vreg('Rd', BYSIZE(LONG)), vreg('Rn', BYSIZE(HALF[q]!)), shllShift('size')],
    ),
  ),
  ...narrow('UQXTN', 'uqxtn', '1', '10100'),
  ...fcvtPrecision('FCVTXN', 'fcvtxn', '1', '10110', 'narrow', '1'),
  simdRow('URSQRTE_v', 'ursqrte', '0 x 1 01110 1 0 10000 11100 10 xxxxx xxxxx', 'Q Rn Rd', [
    vreg('Rd', BYQ(['2s', '4s'])),
    vreg('Rn', BYQ(['2s', '4s'])),
  ]),
  ...fpMisc,

  // Advanced SIMD across lanes
  across('SADDLV', 'saddlv', '0', '00011', ['h', 's', 'd']),
  across('SMAXV', 'smaxv', '0', '01010', ['b', 'h', 's']),
  across('SMINV', 'sminv', '0', '11010', ['b', 'h', 's']),
  across('ADDV', 'addv', '0', '11011', ['b', 'h', 's']),
  across('UADDLV', 'uaddlv', '1', '00011', ['h', 's', 'd']),
  across('UMAXV', 'umaxv', '1', '01010', ['b', 'h', 's']),
  across('UMINV', 'uminv', '1', '11010', ['b', 'h', 's']),
  ...fpAcross('FMAXNMV', 'fmaxnmv', '0', '01100'),
  ...fpAcross('FMAXV', 'fmaxv', '0', '01111'),
  ...fpAcross('FMINNMV', 'fminnmv', '1', '01100'),
  ...fpAcross('FMINV', 'fminv', '1', '01111'),
];

const aliases: AliasSpec[] = [
  // ORR with both sources the same register is a vector move.
  simdAlias('MOV_ORR_v', 'ORR_v', 'mov', (f) => f.Rn === f.Rm, [
    vreg('Rd', BYQ(ARR_B)),
    vreg('Rn', BYQ(ARR_B)),
    tie('Rm', 'Rn'),
  ]),
  // LLVM always prints NOT as MVN.
  simdAlias('MVN_NOT_v', 'NOT_v', 'mvn', () => true, [vreg('Rd', BYQ(ARR_B)), vreg('Rn', BYQ(ARR_B))]),
];

export const simd: TableFile = {
  file: 'simd.ts',
  section:
    'C4.1.96 Data Processing -- Scalar Floating-Point and Advanced SIMD: vector three same, three different, two-register misc, across lanes',
  encodings,
  aliases,
};
