/**
 * Arm ARM (DDI 0487) C4.1.94 Loads and Stores.
 */
import type { AliasSpec, EncodingSpec, TableFile } from '../types.js';

const encodings: EncodingSpec[] = [];

const aliases: AliasSpec[] = [];

export const ldst: TableFile = {
  file: 'ldst.ts',
  section: 'C4.1.94 Loads and Stores',
  encodings,
  aliases,
};
