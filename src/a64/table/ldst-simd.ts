/**
 * Arm ARM (DDI 0487) C4.1.94 Loads and Stores — Advanced SIMD structures:
 *
 *   Advanced SIMD load/store multiple structures                0 Q 0011000 L 000000 opcode size Rn Rt
 *   Advanced SIMD load/store multiple structures (post-indexed) 0 Q 0011001 L 0 Rm opcode size Rn Rt
 *   Advanced SIMD load/store single structure                   0 Q 0011010 L R 00000 opcode S size Rn Rt
 *   Advanced SIMD load/store single structure (post-indexed)    0 Q 0011011 L R Rm opcode S size Rn Rt
 *
 * Multiple structures: opcode picks the instruction and register count (LD1 takes 1-4 registers,
 * LDn exactly n); the arrangement is size:Q, and `.1d` (size 11, Q 0) is reserved for LD2-LD4.
 * Single structure: opcode<2:1> is the element size (00 b, 01 h, 10 s/d, 11 replicate) and opcode<0>:R + 1
 * the number of registers; the lane index is Q:S:size, Q:S:size<1>, Q:S or Q by element size. Post-index
 * with Rm = 31 means "by the bytes transferred", printed as that immediate.
 */
import { memBase, laneList, postIndexRm, vecList, type LaneIndex } from '../operands/ldst.js';
import type { EncodingSpec, Fields, Operand, TableFile } from '../types.js';

const post = (bytes: (f: Fields) => number): Operand => postIndexRm('Rm', bytes);

/** Multiple structures: [instruction, opcode, registers]. */
const MULTIPLE: readonly [string, string, number][] = [
  ['1', '0111', 1],
  ['1', '1010', 2],
  ['1', '0110', 3],
  ['1', '0010', 4],
  ['2', '1000', 2],
  ['3', '0100', 3],
  ['4', '0000', 4],
];

const multiple = (n: string, opcode: string, regs: number, L: string, indexed: boolean): EncodingSpec => {
  const insn = `${L === '1' ? 'LD' : 'ST'}${n}`;
  return {
    name: `${insn}_mult${n === '1' ? regs : ''}${indexed ? '_post' : ''}`,
    mnemonic: insn.toLowerCase(),
    pattern: indexed
      ? `0 x 0011001 ${L} 0 xxxxx ${opcode} xx xxxxx xxxxx`
      : `0 x 0011000 ${L} 000000 ${opcode} xx xxxxx xxxxx`,
    fields: indexed ? 'Q Rm size Rn Rt' : 'Q size Rn Rt',
    operands: [vecList(regs), memBase('Rn'), ...(indexed ? [post((f) => regs * (f.Q ? 16 : 8))] : [])],
    cls: L === '1' ? 'load' : 'store',
    // `.1d` has one element per register: only LD1/ST1 allow it.
    invalid: n === '1' ? undefined : (f) => f.size === 3 && f.Q === 0,
  };
};

interface LaneSize {
  readonly elem: 'b' | 'h' | 's' | 'd';
  readonly bytes: number;
  /** opcode<2:1> and the bits 12:10 (S size) as a pattern, with the fields they leave open. */
  readonly scale: string;
  readonly low: string;
  readonly fields: string;
  readonly index: LaneIndex;
  readonly invalid?: (f: Fields) => boolean;
}

const LANES: readonly LaneSize[] = [
  {
    elem: 'b',
    bytes: 1,
    scale: '00',
    low: 'x xx',
    fields: 'S size',
    index: {
      fields: ['Q', 'S', 'size'],
      lanes: 16,
      get: (f) => (f.Q! << 3) | (f.S! << 2) | f.size!,
      set: (_, i) => ({ Q: i >> 3, S: (i >> 2) & 1, size: i & 3 }),
    },
  },
  {
    elem: 'h',
    bytes: 2,
    scale: '01',
    low: 'x xx',
    fields: 'S size',
    index: {
      fields: ['Q', 'S', 'size'],
      lanes: 8,
      get: (f) => (f.Q! << 2) | (f.S! << 1) | (f.size! >> 1),
      set: (_, i) => ({ Q: i >> 2, S: (i >> 1) & 1, size: (i & 1) << 1 }),
    },
    // size<0> = 1 is unallocated for halfword lanes.
    invalid: (f) => (f.size! & 1) === 1,
  },
  {
    elem: 's',
    bytes: 4,
    scale: '10',
    low: 'x 00',
    fields: 'S',
    index: {
      fields: ['Q', 'S'],
      lanes: 4,
      get: (f) => (f.Q! << 1) | f.S!,
      set: (_, i) => ({ Q: i >> 1, S: i & 1 }),
    },
  },
  {
    elem: 'd',
    bytes: 8,
    scale: '10',
    low: '0 01',
    fields: '',
    index: { fields: ['Q'], lanes: 2, get: (f) => f.Q!, set: (_, i) => ({ Q: i }) },
  },
];

/** opcode<0> and R for n = 1..4 registers. */
const SELEM: Record<string, [string, string]> = {
  '1': ['0', '0'],
  '2': ['0', '1'],
  '3': ['1', '0'],
  '4': ['1', '1'],
};

const single = (n: string, lane: LaneSize, L: string, indexed: boolean): EncodingSpec => {
  const insn = `${L === '1' ? 'LD' : 'ST'}${n}`;
  const [o0, R] = SELEM[n]!;
  const regs = Number(n);
  const rm = indexed ? 'xxxxx' : '00000';
  return {
    name: `${insn}_${lane.elem}${indexed ? '_post' : ''}`,
    mnemonic: insn.toLowerCase(),
    pattern: `0 x 001101 ${indexed ? '1' : '0'} ${L} ${R} ${rm} ${lane.scale} ${o0} ${lane.low} xxxxx xxxxx`,
    fields: `Q ${indexed ? 'Rm ' : ''}${lane.fields} Rn Rt`,
    operands: [
      laneList(regs, lane.elem, lane.index),
      memBase('Rn'),
      ...(indexed ? [post(() => regs * lane.bytes)] : []),
    ],
    cls: L === '1' ? 'load' : 'store',
    invalid: lane.invalid,
  };
};

/** LD1R-LD4R: load one element and replicate it to all lanes of `n` registers (opcode<2:1> = 11, S = 0). */
const replicate = (n: string, indexed: boolean): EncodingSpec => {
  const [o0, R] = SELEM[n]!;
  const regs = Number(n);
  return {
    name: `LD${n}R${indexed ? '_post' : ''}`,
    mnemonic: `ld${n}r`,
    pattern: `0 x 001101 ${indexed ? '1' : '0'} 1 ${R} ${indexed ? 'xxxxx' : '00000'} 11 ${o0} 0 xx xxxxx xxxxx`,
    fields: `Q ${indexed ? 'Rm ' : ''}size Rn Rt`,
    operands: [vecList(regs), memBase('Rn'), ...(indexed ? [post((f) => regs << f.size!)] : [])],
    cls: 'load',
  };
};

const encodings: EncodingSpec[] = [];
for (const L of ['0', '1']) {
  for (const indexed of [false, true]) {
    for (const [n, opcode, regs] of MULTIPLE) encodings.push(multiple(n, opcode, regs, L, indexed));
    for (const n of ['1', '2', '3', '4'])
      for (const lane of LANES) encodings.push(single(n, lane, L, indexed));
  }
}
for (const indexed of [false, true])
  for (const n of ['1', '2', '3', '4']) encodings.push(replicate(n, indexed));

export const ldstSimd: TableFile = {
  file: 'ldst-simd.ts',
  section: 'C4.1.94 Loads and Stores (Advanced SIMD load/store structures)',
  encodings,
  aliases: [],
};
