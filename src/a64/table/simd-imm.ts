/**
 * Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", the vector
 * groups with an immediate or an element operand: Advanced SIMD modified immediate, shift by immediate,
 * and vector x indexed element.
 *
 * Modified immediate and shift by immediate share bits 22:19 (immh; 0000 selects the modified
 * immediates), so they form one overlap group. The modified-immediate rows keep the manual's `cmode`
 * whole and list the cmode values they own in `invalid`; the bits a:b:c and d:e:f:g:h are the fields
 * `abc` and `defgh`.
 */
import { imm } from '../operands/core.js';
import {
  ARR_ALL,
  ARR_FP16,
  ARR_HS,
  elem,
  elemIdx,
  immhLayout,
  lay,
  only,
  simdAlias,
  simdRow,
  sreg,
  T_FQ,
  T_SQ,
  vreg,
  type Layout,
} from '../operands/simd.js';
import { cmodeShift, fillShift0, fpImm, imm64Bytes, immParts, shiftImm } from '../operands/simd-imm.js';
import type { AliasSpec, EncodingSpec, Fields, Operand, TableFile } from '../types.js';

const G = { group: 'simd-imm' };
const BYQ = (arr: readonly (string | undefined)[]): Layout => lay([['Q', 1]], arr);
const BYSIZE = (arr: readonly (string | undefined)[]): Layout => lay([['size', 2]], arr);
const IMM8 = [
  ['abc', 3],
  ['defgh', 5],
] as const;
const LONG = ['8h', '4s', '2d'];
const HALF = [
  ['8b', '4h', '2s'],
  ['16b', '8h', '4s'],
] as const;

/** Advanced SIMD modified immediate: 0 Q op 0111100000 a b c cmode o2 1 d e f g h Rd. */
const modImm = (
  name: string,
  mnemonic: string,
  op: string,
  cmodeOk: (cmode: number) => boolean,
  arr: readonly string[],
  shift: Operand,
): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `0 x ${op} 0111100000 xxx xxxx 0 1 xxxxx xxxxx`,
    'Q abc cmode defgh Rd',
    [vreg('Rd', BYQ(arr)), immParts(IMM8), shift],
    'simd',
    {
      ...G,
      invalid: (f: Fields) => !cmodeOk(f.cmode!),
    },
  );
const is16 = (low: number) => (c: number) => (c & 0b1101) === (0b1000 | low);
const is32 = (low: number) => (c: number) => (c & 0b1001) === low;
const isMsl = (c: number): boolean => (c & 0b1110) === 0b1100;

/** Shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd (immh = 0000 is the modified immediates). */
const SAME = immhLayout(ARR_ALL, 'Q');
const shift = (
  name: string,
  mnemonic: string,
  U: string,
  opcode: string,
  dir: 'right' | 'left',
  l: Layout = SAME,
): EncodingSpec =>
  simdRow(
    `${name}_v`,
    mnemonic,
    `0 x ${U} 011110 xxxx xxx ${opcode} 1 xxxxx xxxxx`,
    'Q immh immb Rn Rd',
    [vreg('Rd', l), vreg('Rn', l), shiftImm(dir)],
    'simd',
    G,
  );
const FIXED = immhLayout([undefined, undefined, '4h', '8h', '2s', '4s', undefined, '2d'], 'Q');

/** Narrowing right shifts (SHRN …) and widening left shifts (SSHLL …), as a Q = 0 and a "2" row. */
const shiftNarrow = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec[] =>
  [0, 1].map((q) =>
    simdRow(
      `${name}${q ? '2' : ''}_v`,
      `${mnemonic}${q ? '2' : ''}`,
      `0 ${q} ${U} 011110 xxxx xxx ${opcode} 1 xxxxx xxxxx`,
      'immh immb Rn Rd',
      [vreg('Rd', immhLayout(HALF[q]!)), vreg('Rn', immhLayout(LONG)), shiftImm('right')],
      'simd',
      G,
    ),
  );
const shiftWiden = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec[] =>
  [0, 1].map((q) =>
    simdRow(
      `${name}${q ? '2' : ''}_v`,
      `${mnemonic}${q ? '2' : ''}`,
      `0 ${q} ${U} 011110 xxxx xxx ${opcode} 1 xxxxx xxxxx`,
      'immh immb Rn Rd',
      [vreg('Rd', immhLayout(LONG)), vreg('Rn', immhLayout(HALF[q]!)), shiftImm('left')],
      'simd',
      G,
    ),
  );

/** Vector x indexed element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd. */
const HS = { 1: 'h', 2: 's' };
const byElem = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec =>
  simdRow(
    `${name}_elem`,
    mnemonic,
    `0 x ${U} 01111 xx x x xxxx ${opcode} x 0 xxxxx xxxxx`,
    'Q size L M Rm H Rn Rd',
    [vreg('Rd', lay(T_SQ, ARR_HS)), vreg('Rn', lay(T_SQ, ARR_HS)), elemIdx('size', HS)],
  );
const byElemLong = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec[] =>
  [0, 1].map((q) =>
    simdRow(
      `${name}${q ? '2' : ''}_elem`,
      `${mnemonic}${q ? '2' : ''}`,
      `0 ${q} ${U} 01111 xx x x xxxx ${opcode} x 0 xxxxx xxxxx`,
      'size L M Rm H Rn Rd',
      [
        vreg('Rd', BYSIZE([undefined, '4s', '2d'])),
        vreg('Rn', BYSIZE([undefined, ...HALF[q]!.slice(1)])),
        elemIdx('size', HS),
      ],
    ),
  );
const byElemFp = (name: string, mnemonic: string, U: string, opcode: string): EncodingSpec[] => [
  simdRow(
    `${name}_elem`,
    mnemonic,
    `0 x ${U} 01111 1 x x x xxxx ${opcode} x 0 xxxxx xxxxx`,
    'Q sz L M Rm H Rn Rd',
    [
      vreg('Rd', lay(T_FQ, ['2s', '4s', undefined, '2d'])),
      vreg('Rn', lay(T_FQ, ['2s', '4s', undefined, '2d'])),
      elemIdx('sz', { 0: 's', 1: 'd' }),
    ],
  ),
  simdRow(
    `${name}_elemh`,
    mnemonic,
    `0 x ${U} 01111 00 x x xxxx ${opcode} x 0 xxxxx xxxxx`,
    'Q L M Rm H Rn Rd',
    [vreg('Rd', BYQ(ARR_FP16)), vreg('Rn', BYQ(ARR_FP16)), elemIdx(undefined, { 0: 'h' })],
  ),
];
const dotElem = (name: string, mnemonic: string, U: string): EncodingSpec =>
  simdRow(`${name}_elem`, mnemonic, `0 x ${U} 01111 10 x x xxxx 1110 x 0 xxxxx xxxxx`, 'Q L M Rm H Rn Rd', [
    vreg('Rd', BYQ(['2s', '4s'])),
    vreg('Rn', BYQ(['8b', '16b'])),
    elem(
      [
        ['M', 1],
        ['Rm', 4],
      ],
      '4b',
      [
        ['H', 1],
        ['L', 1],
      ],
    ),
  ]);

const encodings: EncodingSpec[] = [
  // Advanced SIMD modified immediate
  modImm('MOVI_32', 'movi', '0', is32(0), ['2s', '4s'], cmodeShift('lsl32', 0)),
  modImm('ORR_vi_32', 'orr', '0', is32(1), ['2s', '4s'], cmodeShift('lsl32', 1)),
  modImm('MOVI_16', 'movi', '0', is16(0), ['4h', '8h'], cmodeShift('lsl16', 0)),
  modImm('ORR_vi_16', 'orr', '0', is16(1), ['4h', '8h'], cmodeShift('lsl16', 1)),
  modImm('MOVI_32_msl', 'movi', '0', isMsl, ['2s', '4s'], cmodeShift('msl')),
  simdRow(
    'MOVI_8',
    'movi',
    '0 x 0 0111100000 xxx 1110 0 1 xxxxx xxxxx',
    'Q abc defgh Rd',
    [vreg('Rd', BYQ(['8b', '16b'])), immParts(IMM8)],
    'simd',
    G,
  ),
  simdRow(
    'FMOV_vi',
    'fmov',
    '0 x 0 0111100000 xxx 1111 0 1 xxxxx xxxxx',
    'Q abc defgh Rd',
    [vreg('Rd', BYQ(['2s', '4s'])), fpImm(IMM8)],
    'simd',
    G,
  ),
  simdRow(
    'FMOV_vi_h',
    'fmov',
    '0 x 0 0111100000 xxx 1111 1 1 xxxxx xxxxx',
    'Q abc defgh Rd',
    [vreg('Rd', BYQ(ARR_FP16)), fpImm(IMM8)],
    'simd',
    G,
  ),
  modImm('MVNI_32', 'mvni', '1', is32(0), ['2s', '4s'], cmodeShift('lsl32', 0)),
  modImm('BIC_vi_32', 'bic', '1', is32(1), ['2s', '4s'], cmodeShift('lsl32', 1)),
  modImm('MVNI_16', 'mvni', '1', is16(0), ['4h', '8h'], cmodeShift('lsl16', 0)),
  modImm('BIC_vi_16', 'bic', '1', is16(1), ['4h', '8h'], cmodeShift('lsl16', 1)),
  modImm('MVNI_32_msl', 'mvni', '1', isMsl, ['2s', '4s'], cmodeShift('msl')),
  simdRow(
    'MOVI_64_s',
    'movi',
    '0 0 1 0111100000 xxx 1110 0 1 xxxxx xxxxx',
    'abc defgh Rd',
    [sreg('Rd', only('d')), imm64Bytes(IMM8)],
    'simd',
    G,
  ),
  simdRow(
    'MOVI_64_v',
    'movi',
    '0 1 1 0111100000 xxx 1110 0 1 xxxxx xxxxx',
    'abc defgh Rd',
    [vreg('Rd', only('2d')), imm64Bytes(IMM8)],
    'simd',
    G,
  ),
  simdRow(
    'FMOV_vi_d',
    'fmov',
    '0 1 1 0111100000 xxx 1111 0 1 xxxxx xxxxx',
    'abc defgh Rd',
    [vreg('Rd', only('2d')), fpImm(IMM8)],
    'simd',
    G,
  ),

  // Advanced SIMD shift by immediate
  shift('SSHR', 'sshr', '0', '00000', 'right'),
  shift('SSRA', 'ssra', '0', '00010', 'right'),
  shift('SRSHR', 'srshr', '0', '00100', 'right'),
  shift('SRSRA', 'srsra', '0', '00110', 'right'),
  shift('SHL', 'shl', '0', '01010', 'left'),
  shift('SQSHL_imm', 'sqshl', '0', '01110', 'left'),
  ...shiftNarrow('SHRN', 'shrn', '0', '10000'),
  ...shiftNarrow('RSHRN', 'rshrn', '0', '10001'),
  ...shiftNarrow('SQSHRN', 'sqshrn', '0', '10010'),
  ...shiftNarrow('SQRSHRN', 'sqrshrn', '0', '10011'),
  ...shiftWiden('SSHLL', 'sshll', '0', '10100'),
  shift('SCVTF_fix', 'scvtf', '0', '11100', 'right', FIXED),
  shift('FCVTZS_fix', 'fcvtzs', '0', '11111', 'right', FIXED),
  shift('USHR', 'ushr', '1', '00000', 'right'),
  shift('USRA', 'usra', '1', '00010', 'right'),
  shift('URSHR', 'urshr', '1', '00100', 'right'),
  shift('URSRA', 'ursra', '1', '00110', 'right'),
  shift('SRI', 'sri', '1', '01000', 'right'),
  shift('SLI', 'sli', '1', '01010', 'left'),
  shift('SQSHLU', 'sqshlu', '1', '01100', 'left'),
  shift('UQSHL_imm', 'uqshl', '1', '01110', 'left'),
  ...shiftNarrow('SQSHRUN', 'sqshrun', '1', '10000'),
  ...shiftNarrow('SQRSHRUN', 'sqrshrun', '1', '10001'),
  ...shiftNarrow('UQSHRN', 'uqshrn', '1', '10010'),
  ...shiftNarrow('UQRSHRN', 'uqrshrn', '1', '10011'),
  ...shiftWiden('USHLL', 'ushll', '1', '10100'),
  shift('UCVTF_fix', 'ucvtf', '1', '11100', 'right', FIXED),
  shift('FCVTZU_fix', 'fcvtzu', '1', '11111', 'right', FIXED),

  // Advanced SIMD vector x indexed element
  ...byElemFp('FMLA', 'fmla', '0', '0001'),
  ...byElemLong('SMLAL', 'smlal', '0', '0010'),
  ...byElemLong('SQDMLAL', 'sqdmlal', '0', '0011'),
  ...byElemFp('FMLS', 'fmls', '0', '0101'),
  ...byElemLong('SMLSL', 'smlsl', '0', '0110'),
  ...byElemLong('SQDMLSL', 'sqdmlsl', '0', '0111'),
  byElem('MUL', 'mul', '0', '1000'),
  ...byElemFp('FMUL', 'fmul', '0', '1001'),
  ...byElemLong('SMULL', 'smull', '0', '1010'),
  ...byElemLong('SQDMULL', 'sqdmull', '0', '1011'),
  byElem('SQDMULH', 'sqdmulh', '0', '1100'),
  byElem('SQRDMULH', 'sqrdmulh', '0', '1101'),
  dotElem('SDOT', 'sdot', '0'),
  byElem('MLA', 'mla', '1', '0000'),
  ...byElemLong('UMLAL', 'umlal', '1', '0010'),
  byElem('MLS', 'mls', '1', '0100'),
  ...byElemLong('UMLSL', 'umlsl', '1', '0110'),
  ...byElemFp('FMULX', 'fmulx', '1', '1001'),
  ...byElemLong('UMULL', 'umull', '1', '1010'),
  byElem('SQRDMLAH', 'sqrdmlah', '1', '1101'),
  dotElem('UDOT', 'udot', '1'),
  byElem('SQRDMLSH', 'sqrdmlsh', '1', '1111'),
  // FCMLA (by element), v8.3 complex arithmetic: 0 Q 1 01111 size L M Rm 0 rot 1 H 0 Rn Rd; the element
  // register is M:Rm, the index H:L for h pairs (H = 0 in a 4h vector) and H for s pairs (4s only).
  simdRow(
    'FCMLA_elem_h',
    'fcmla',
    '0 x 1 01111 01 x x xxxx 0 xx 1 x 0 xxxxx xxxxx',
    'Q L M Rm rot H Rn Rd',
    [
      vreg('Rd', BYQ(ARR_FP16)),
      vreg('Rn', BYQ(ARR_FP16)),
      elem(
        [
          ['M', 1],
          ['Rm', 4],
        ],
        'h',
        [
          ['H', 1],
          ['L', 1],
        ],
      ),
      imm('rot', { bits: 2, scale: 90 }),
    ],
    'simd',
    { invalid: (f) => f.Q === 0 && f.H === 1 },
  ),
  simdRow('FCMLA_elem_s', 'fcmla', '0 1 1 01111 10 0 x xxxx 0 xx 1 x 0 xxxxx xxxxx', 'M Rm rot H Rn Rd', [
    vreg('Rd', only('4s')),
    vreg('Rn', only('4s')),
    elem(
      [
        ['M', 1],
        ['Rm', 4],
      ],
      's',
      [['H', 1]],
    ),
    imm('rot', { bits: 2, scale: 90 }),
  ]),
  // Not decoded: FMLAL/FMLSL(2) by element (U 0 opcode 0000/0100/1000/1100, size 10) need +fp16fml, which
  // the reference flags leave out.
];

const aliases: AliasSpec[] = [
  // LLVM 14 prints USHLL/SSHLL #0 as themselves but accepts the UXTL/SXTL spellings.
  ...(['USHLL', 'USHLL2', 'SSHLL', 'SSHLL2'] as const).map((n) => {
    const q = n.endsWith('2') ? 1 : 0;
    const m = `${n.startsWith('U') ? 'uxtl' : 'sxtl'}${q ? '2' : ''}`;
    return simdAlias(
      `${m.toUpperCase()}_v`,
      `${n}_v`,
      m,
      () => true,
      [vreg('Rd', immhLayout(LONG)), vreg('Rn', immhLayout(HALF[q]!)), fillShift0],
      {
        only: 'assemble',
      },
    );
  }),
];

export const simdImm: TableFile = {
  file: 'simd-imm.ts',
  section:
    'C4.1.96 Data Processing -- Scalar Floating-Point and Advanced SIMD: modified immediate, shift by immediate, vector x indexed element',
  encodings,
  aliases,
};
