/**
 * Arm ARM (DDI 0487) C4.1.96 Data Processing -- Scalar Floating-Point (and crypto).
 */
import type { AliasSpec, EncodingSpec, TableFile } from '../types.js';

const encodings: EncodingSpec[] = [];

const aliases: AliasSpec[] = [];

export const fp: TableFile = {
  file: 'fp.ts',
  section: 'C4.1.96 Data Processing -- Scalar Floating-Point (and crypto)',
  encodings,
  aliases,
};
