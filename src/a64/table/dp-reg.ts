/**
 * Arm ARM (DDI 0487) C4.1.95 Data Processing -- Register.
 */
import type { AliasSpec, EncodingSpec, TableFile } from '../types.js';

const encodings: EncodingSpec[] = [];

const aliases: AliasSpec[] = [];

export const dpReg: TableFile = {
  file: 'dp-reg.ts',
  section: 'C4.1.95 Data Processing -- Register',
  encodings,
  aliases,
};
