/**
 * Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD", the
 * cryptographic groups: AES, three-register SHA, two-register SHA, and (+sha3, +sha512, +sm4) the
 * three-register SHA512, four-register, two-register SHA512, XAR and three-register imm2 (SM3TT) groups.
 */
import { imm } from '../operands/core.js';
import { elem, only, simdRow, sreg, vreg } from '../operands/simd.js';
import type { EncodingSpec, Operand, TableFile } from '../types.js';

const v = (reg: string, t: string): Operand => vreg(reg, only(t));
const s = (reg: string, t: string): Operand => sreg(reg, only(t));

// Cryptographic AES: 01001110 size(00) 10100 opcode 10 Rn Rd.
const aes = (name: string, mnemonic: string, opcode: string): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `01001110 00 10100 ${opcode} 10 xxxxx xxxxx`,
    'Rn Rd',
    [v('Rd', '16b'), v('Rn', '16b')],
    'crypto',
  );

// Cryptographic three-register SHA: 01011110 size(00) 0 Rm 0 opcode 00 Rn Rd.
const sha3reg = (name: string, mnemonic: string, opcode: string, ops: readonly Operand[]): EncodingSpec =>
  simdRow(name, mnemonic, `01011110 00 0 xxxxx 0 ${opcode} 00 xxxxx xxxxx`, 'Rm Rn Rd', ops, 'crypto');

// Cryptographic two-register SHA: 01011110 size(00) 10100 opcode 10 Rn Rd.
const sha2reg = (name: string, mnemonic: string, opcode: string, ops: readonly Operand[]): EncodingSpec =>
  simdRow(name, mnemonic, `01011110 00 10100 ${opcode} 10 xxxxx xxxxx`, 'Rn Rd', ops, 'crypto');

// Cryptographic three-register SHA512: 11001110 011 Rm 1 O 00 opcode Rn Rd.
const sha512 = (name: string, mnemonic: string, oOpcode: string, ops: readonly Operand[]): EncodingSpec =>
  simdRow(name, mnemonic, `11001110 011 xxxxx 1 ${oOpcode} xxxxx xxxxx`, 'Rm Rn Rd', ops, 'crypto');

// Cryptographic four-register: 11001110 0 Op0 Rm 0 Ra Rn Rd.
const four = (name: string, mnemonic: string, op0: string, t: string): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `11001110 0 ${op0} xxxxx 0 xxxxx xxxxx xxxxx`,
    'Rm Ra Rn Rd',
    [v('Rd', t), v('Rn', t), v('Rm', t), v('Ra', t)],
    'crypto',
  );

// Cryptographic two-register SHA512: 11001110 110 00000 1000 opcode Rn Rd.
const sha512two = (name: string, mnemonic: string, opcode: string, t: string): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `11001110 110 00000 1000 ${opcode} xxxxx xxxxx`,
    'Rn Rd',
    [v('Rd', t), v('Rn', t)],
    'crypto',
  );

// Cryptographic three-register, imm2 (SM3TT*): 11001110 010 Rm 10 imm2 opcode Rn Rd.
const sm3tt = (name: string, mnemonic: string, opcode: string): EncodingSpec =>
  simdRow(
    name,
    mnemonic,
    `11001110 010 xxxxx 10 xx ${opcode} xxxxx xxxxx`,
    'Rm imm2 Rn Rd',
    [v('Rd', '4s'), v('Rn', '4s'), elem('Rm', 's', [['imm2', 2]])],
    'crypto',
  );

const v3 = (t: string): Operand[] => [v('Rd', t), v('Rn', t), v('Rm', t)];

const encodings: EncodingSpec[] = [
  aes('AESE', 'aese', '00100'),
  aes('AESD', 'aesd', '00101'),
  aes('AESMC', 'aesmc', '00110'),
  aes('AESIMC', 'aesimc', '00111'),

  sha3reg('SHA1C', 'sha1c', '000', [s('Rd', 'q'), s('Rn', 's'), v('Rm', '4s')]),
  sha3reg('SHA1P', 'sha1p', '001', [s('Rd', 'q'), s('Rn', 's'), v('Rm', '4s')]),
  sha3reg('SHA1M', 'sha1m', '010', [s('Rd', 'q'), s('Rn', 's'), v('Rm', '4s')]),
  sha3reg('SHA1SU0', 'sha1su0', '011', v3('4s')),
  sha3reg('SHA256H', 'sha256h', '100', [s('Rd', 'q'), s('Rn', 'q'), v('Rm', '4s')]),
  sha3reg('SHA256H2', 'sha256h2', '101', [s('Rd', 'q'), s('Rn', 'q'), v('Rm', '4s')]),
  sha3reg('SHA256SU1', 'sha256su1', '110', v3('4s')),

  sha2reg('SHA1H', 'sha1h', '00000', [s('Rd', 's'), s('Rn', 's')]),
  sha2reg('SHA1SU1', 'sha1su1', '00001', [v('Rd', '4s'), v('Rn', '4s')]),
  sha2reg('SHA256SU0', 'sha256su0', '00010', [v('Rd', '4s'), v('Rn', '4s')]),

  sha512('SHA512H', 'sha512h', '0 00 00', [s('Rd', 'q'), s('Rn', 'q'), v('Rm', '2d')]),
  sha512('SHA512H2', 'sha512h2', '0 00 01', [s('Rd', 'q'), s('Rn', 'q'), v('Rm', '2d')]),
  sha512('SHA512SU1', 'sha512su1', '0 00 10', v3('2d')),
  sha512('RAX1', 'rax1', '0 00 11', v3('2d')),
  sha512('SM3PARTW1', 'sm3partw1', '1 00 00', v3('4s')),
  sha512('SM3PARTW2', 'sm3partw2', '1 00 01', v3('4s')),
  sha512('SM4EKEY', 'sm4ekey', '1 00 10', v3('4s')),

  four('EOR3', 'eor3', '00', '16b'),
  four('BCAX', 'bcax', '01', '16b'),
  four('SM3SS1', 'sm3ss1', '10', '4s'),

  sha512two('SHA512SU0', 'sha512su0', '00', '2d'),
  sha512two('SM4E', 'sm4e', '01', '4s'),

  simdRow(
    'XAR',
    'xar',
    '11001110 100 xxxxx xxxxxx xxxxx xxxxx',
    'Rm imm6 Rn Rd',
    [...v3('2d'), imm('imm6', { bits: 6 })],
    'crypto',
  ),

  sm3tt('SM3TT1A', 'sm3tt1a', '00'),
  sm3tt('SM3TT1B', 'sm3tt1b', '01'),
  sm3tt('SM3TT2A', 'sm3tt2a', '10'),
  sm3tt('SM3TT2B', 'sm3tt2b', '11'),
];

export const simdCrypto: TableFile = {
  file: 'simd-crypto.ts',
  section: 'C4.1.96 Data Processing -- Scalar Floating-Point and Advanced SIMD: cryptographic',
  encodings,
};
