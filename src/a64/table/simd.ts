/**
 * Arm ARM (DDI 0487) C4.1.96 Data Processing -- Advanced SIMD.
 */
import type { AliasSpec, EncodingSpec, TableFile } from '../types.js';

const encodings: EncodingSpec[] = [];

const aliases: AliasSpec[] = [];

export const simd: TableFile = {
  file: 'simd.ts',
  section: 'C4.1.96 Data Processing -- Advanced SIMD',
  encodings,
  aliases,
};
