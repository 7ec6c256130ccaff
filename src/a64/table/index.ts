/**
 * The A64 table: one file per Arm ARM encoding class, in the manual's order (C4.1). Everything that reads
 * or writes A64 — decoder, encoder, printer, assembler, builder, the machine's dispatch, the test
 * generators — reads these rows and nothing else.
 */
import { branchSys } from './branch-sys.js';
import { dpImm } from './dp-imm.js';
import { dpReg } from './dp-reg.js';
import { fp } from './fp.js';
import { ldst } from './ldst.js';
import { ldstAtomic } from './ldst-atomic.js';
import { ldstPair } from './ldst-pair.js';
import { ldstSimd } from './ldst-simd.js';
import { simd } from './simd.js';
import { simdCrypto } from './simd-crypto.js';
import { simdImm } from './simd-imm.js';
import { simdPerm } from './simd-perm.js';
import { simdScalar } from './simd-scalar.js';
import type { TableFile } from '../types.js';

export const TABLE_FILES: readonly TableFile[] = [
  dpImm,
  branchSys,
  ldst,
  ldstPair,
  ldstAtomic,
  ldstSimd,
  dpReg,
  fp,
  simd,
  simdImm,
  simdPerm,
  simdScalar,
  simdCrypto,
];
