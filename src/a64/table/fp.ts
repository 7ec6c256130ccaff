/**
 * Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", the scalar
 * floating-point groups: conversion between FP and fixed-point, conversion between FP and integer, FP
 * data-processing (1 source), FP compare, FP immediate, FP conditional compare, FP data-processing
 * (2 source), FP conditional select, FP data-processing (3 source).
 *
 * `ftype` selects the precision: 00 single (s), 01 double (d), 11 half (h, +fullfp16); 10 is reserved
 * except for the FMOV of the top half of a vector register. M and S are 0 in every allocated encoding.
 */
import { cond, gpr, imm } from '../operands/core.js';
import { elem, lay, simdRow, sreg } from '../operands/simd.js';
import { fbits, fpImm, zero } from '../operands/simd-imm.js';
import type { AliasSpec, EncodingSpec, Fields, TableFile } from '../types.js';

/** The FP register named by ftype (or by FCVT's opc): s, d, -, h. */
const FT = ['s', 'd', undefined, 'h'];
const fr = (reg: string, field = 'ftype') => sreg(reg, lay([[field, 2]], FT));

// Conversion between floating-point and fixed-point: sf 0 0 11110 ftype 0 rmode opcode scale Rn Rd.
// A 32-bit register takes at most 32 fraction bits (scale >= 32).
const fixedRow = (name: string, mnemonic: string, rmodeOpcode: string, toFp: boolean): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `x 0 0 11110 xx 0 ${rmodeOpcode} xxxxxx xxxxx xxxxx`,
    'sf ftype scale Rn Rd',
    toFp ? [fr('Rd'), gpr('Rn', 'sf'), fbits('scale')] : [gpr('Rd', 'sf'), fr('Rn'), fbits('scale')],
    'fp',
    { invalid: (f) => f.sf === 0 && f.scale! < 32 },
  );

// Conversion between floating-point and integer: sf 0 0 11110 ftype 1 rmode opcode 000000 Rn Rd.
const intRow = (
  name: string,
  mnemonic: string,
  rmodeOpcode: string,
  toFp: boolean,
  invalid?: (f: Fields) => boolean,
): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `x 0 0 11110 xx 1 ${rmodeOpcode} 000000 xxxxx xxxxx`,
    'sf ftype Rn Rd',
    toFp ? [fr('Rd'), gpr('Rn', 'sf')] : [gpr('Rd', 'sf'), fr('Rn')],
    'fp',
    invalid ? { invalid } : {},
  );

// FMOV (general): a register of the same width, or any GPR width with a half-precision register.
const fmovGprInvalid = (f: Fields): boolean => (f.ftype === 0 && f.sf === 1) || (f.ftype === 1 && f.sf === 0);

// FP data-processing (1 source): 0 0 0 11110 ftype 1 opcode 10000 Rn Rd.
const dp1 = (name: string, mnemonic: string, opcode: string, sdOnly = false): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `0 0 0 11110 xx 1 ${opcode} 10000 xxxxx xxxxx`,
    'ftype Rn Rd',
    [fr('Rd'), fr('Rn')],
    'fp',
    {
      ...(sdOnly ? { invalid: (f) => f.ftype === 3 } : {}),
    },
  );

// FP data-processing (2 source): 0 0 0 11110 ftype 1 Rm opcode 10 Rn Rd.
const dp2 = (name: string, mnemonic: string, opcode: string): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `0 0 0 11110 xx 1 xxxxx ${opcode} 10 xxxxx xxxxx`,
    'ftype Rm Rn Rd',
    [fr('Rd'), fr('Rn'), fr('Rm')],
    'fp',
  );

// FP data-processing (3 source): 0 0 0 11111 ftype o1 Rm o0 Ra Rn Rd.
const dp3 = (name: string, mnemonic: string, o1: string, o0: string): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `0 0 0 11111 xx ${o1} xxxxx ${o0} xxxxx xxxxx xxxxx`,
    'ftype Rm Ra Rn Rd',
    [fr('Rd'), fr('Rn'), fr('Rm'), fr('Ra')],
    'fp',
  );

// FP compare: 0 0 0 11110 ftype 1 Rm op 1000 Rn opcode2; the zero forms ignore Rm.
const cmp = (name: string, mnemonic: string, opcode2: string, withZero: boolean): EncodingSpec =>
  withZero
    ? simdRow(
        name,
        mnemonic,
        `0 0 0 11110 xx 1 ----- 00 1000 xxxxx ${opcode2}`,
        'ftype Rn',
        [fr('Rn'), zero('#0.0', { exact: true })],
        'fp',
      )
    : simdRow(
        name,
        mnemonic,
        `0 0 0 11110 xx 1 xxxxx 00 1000 xxxxx ${opcode2}`,
        'ftype Rm Rn',
        [fr('Rn'), fr('Rm')],
        'fp',
      );

const encodings: EncodingSpec[] = [
  // Conversion between floating-point and fixed-point
  fixedRow('SCVTF_fix', 'scvtf', '00 010', true),
  fixedRow('UCVTF_fix', 'ucvtf', '00 011', true),
  fixedRow('FCVTZS_fix', 'fcvtzs', '11 000', false),
  fixedRow('FCVTZU_fix', 'fcvtzu', '11 001', false),

  // Conversion between floating-point and integer
  intRow('FCVTNS_int', 'fcvtns', '00 000', false),
  intRow('FCVTNU_int', 'fcvtnu', '00 001', false),
  intRow('SCVTF_int', 'scvtf', '00 010', true),
  intRow('UCVTF_int', 'ucvtf', '00 011', true),
  intRow('FCVTAS_int', 'fcvtas', '00 100', false),
  intRow('FCVTAU_int', 'fcvtau', '00 101', false),
  intRow('FMOV_to_gpr', 'fmov', '00 110', false, fmovGprInvalid),
  intRow('FMOV_from_gpr', 'fmov', '00 111', true, fmovGprInvalid),
  intRow('FCVTPS_int', 'fcvtps', '01 000', false),
  intRow('FCVTPU_int', 'fcvtpu', '01 001', false),
  intRow('FCVTMS_int', 'fcvtms', '10 000', false),
  intRow('FCVTMU_int', 'fcvtmu', '10 001', false),
  intRow('FCVTZS_int', 'fcvtzs', '11 000', false),
  intRow('FCVTZU_int', 'fcvtzu', '11 001', false),
  // FMOV between a general register and the top 64 bits of a vector register (ftype 10).
  simdRow(
    'FMOV_from_top',
    'fmov',
    '1 0 0 11110 10 1 01 110 000000 xxxxx xxxxx',
    'Rn Rd',
    [gpr('Rd', 64), elem('Rn', 'd', 1)],
    'fp',
  ),
  simdRow(
    'FMOV_to_top',
    'fmov',
    '1 0 0 11110 10 1 01 111 000000 xxxxx xxxxx',
    'Rn Rd',
    [elem('Rd', 'd', 1), gpr('Rn', 64)],
    'fp',
  ),
  simdRow(
    'FJCVTZS',
    'fjcvtzs',
    '0 0 0 11110 01 1 11 110 000000 xxxxx xxxxx',
    'Rn Rd',
    [gpr('Rd', 32), sreg('Rn', lay([], ['d']))],
    'fp',
  ),

  // Floating-point data-processing (1 source)
  dp1('FMOV_reg', 'fmov', '000000'),
  dp1('FABS', 'fabs', '000001'),
  dp1('FNEG', 'fneg', '000010'),
  dp1('FSQRT', 'fsqrt', '000011'),
  simdRow(
    'FCVT',
    'fcvt',
    '0 0 0 11110 xx 1 0001 xx 10000 xxxxx xxxxx',
    'ftype opc Rn Rd',
    [fr('Rd', 'opc'), fr('Rn')],
    'fp',
    {
      invalid: (f) => f.opc === f.ftype,
    },
  ),
  dp1('FRINTN', 'frintn', '001000'),
  dp1('FRINTP', 'frintp', '001001'),
  dp1('FRINTM', 'frintm', '001010'),
  dp1('FRINTZ', 'frintz', '001011'),
  dp1('FRINTA', 'frinta', '001100'),
  dp1('FRINTX', 'frintx', '001110'),
  dp1('FRINTI', 'frinti', '001111'),
  dp1('FRINT32Z', 'frint32z', '010000', true),
  dp1('FRINT32X', 'frint32x', '010001', true),
  dp1('FRINT64Z', 'frint64z', '010010', true),
  dp1('FRINT64X', 'frint64x', '010011', true),
  // BFCVT (opcode 000110 with ftype 01) needs +bf16, which the reference flags leave out.

  // Floating-point compare
  cmp('FCMP', 'fcmp', '00000', false),
  cmp('FCMP_zero', 'fcmp', '01000', true),
  cmp('FCMPE', 'fcmpe', '10000', false),
  cmp('FCMPE_zero', 'fcmpe', '11000', true),

  // Floating-point immediate
  simdRow(
    'FMOV_imm',
    'fmov',
    '0 0 0 11110 xx 1 xxxxxxxx 100 00000 xxxxx',
    'ftype imm8 Rd',
    [fr('Rd'), fpImm([['imm8', 8]])],
    'fp',
  ),

  // Floating-point conditional compare
  simdRow(
    'FCCMP',
    'fccmp',
    '0 0 0 11110 xx 1 xxxxx xxxx 01 xxxxx 0 xxxx',
    'ftype Rm cond Rn nzcv',
    [fr('Rn'), fr('Rm'), imm('nzcv', { bits: 4 }), cond('cond')],
    'fp',
  ),
  simdRow(
    'FCCMPE',
    'fccmpe',
    '0 0 0 11110 xx 1 xxxxx xxxx 01 xxxxx 1 xxxx',
    'ftype Rm cond Rn nzcv',
    [fr('Rn'), fr('Rm'), imm('nzcv', { bits: 4 }), cond('cond')],
    'fp',
  ),

  // Floating-point data-processing (2 source)
  dp2('FMUL', 'fmul', '0000'),
  dp2('FDIV', 'fdiv', '0001'),
  dp2('FADD', 'fadd', '0010'),
  dp2('FSUB', 'fsub', '0011'),
  dp2('FMAX', 'fmax', '0100'),
  dp2('FMIN', 'fmin', '0101'),
  dp2('FMAXNM', 'fmaxnm', '0110'),
  dp2('FMINNM', 'fminnm', '0111'),
  dp2('FNMUL', 'fnmul', '1000'),

  // Floating-point conditional select
  simdRow(
    'FCSEL',
    'fcsel',
    '0 0 0 11110 xx 1 xxxxx xxxx 11 xxxxx xxxxx',
    'ftype Rm cond Rn Rd',
    [fr('Rd'), fr('Rn'), fr('Rm'), cond('cond')],
    'fp',
  ),

  // Floating-point data-processing (3 source)
  dp3('FMADD', 'fmadd', '0', '0'),
  dp3('FMSUB', 'fmsub', '0', '1'),
  dp3('FNMADD', 'fnmadd', '1', '0'),
  dp3('FNMSUB', 'fnmsub', '1', '1'),
];

const aliases: AliasSpec[] = [];

export const fp: TableFile = {
  file: 'fp.ts',
  section: 'C4.1.96 Data Processing -- Scalar Floating-Point and Advanced SIMD: scalar floating-point',
  encodings,
  aliases,
};
