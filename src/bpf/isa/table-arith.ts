/** Opcode table, RFC 9669 §4.1 arithmetic and §4.2 byte swap (ALU, ALU64). See table.ts. */
import {
  BPF_ADD,
  BPF_ALU,
  BPF_ALU64,
  BPF_AND,
  BPF_ARSH,
  BPF_DIV,
  BPF_END,
  BPF_K,
  BPF_LSH,
  BPF_MOD,
  BPF_MOV,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RSH,
  BPF_SUB,
  BPF_TO_BE,
  BPF_TO_LE,
  BPF_X,
  BPF_XOR,
} from './opcodes.js';
import { entry, type Draft, type OpcodeEntry } from './table-types.js';

const entries: OpcodeEntry[] = [];
const add = (d: Draft): void => {
  entries.push(entry(d));
};

// ---- §4.1 Arithmetic: ALU (32-bit, upper half zeroed) and ALU64. ------------------------------------
// [code name, code, off, mnemonic, semantics, divmul?, version]
const ALU_ROWS: readonly [string, number, number, string, string, boolean, 1 | 4][] = [
  ['ADD', BPF_ADD, 0, 'add', 'dst += src', false, 1],
  ['SUB', BPF_SUB, 0, 'sub', 'dst -= src', false, 1],
  ['MUL', BPF_MUL, 0, 'mul', 'dst *= src', true, 1],
  ['DIV', BPF_DIV, 0, 'div', 'dst = src != 0 ? dst / src : 0 (unsigned)', true, 1],
  ['SDIV', BPF_DIV, 1, 'sdiv', 'dst = src != 0 ? dst s/ src : 0 (truncating)', true, 4],
  ['OR', BPF_OR, 0, 'or', 'dst |= src', false, 1],
  ['AND', BPF_AND, 0, 'and', 'dst &= src', false, 1],
  ['LSH', BPF_LSH, 0, 'lsh', 'dst <<= src & (width - 1)', false, 1],
  ['RSH', BPF_RSH, 0, 'rsh', 'dst >>= src & (width - 1) (logical)', false, 1],
  ['MOD', BPF_MOD, 0, 'mod', 'dst = src != 0 ? dst % src : dst (unsigned)', true, 1],
  ['SMOD', BPF_MOD, 1, 'smod', 'dst = src != 0 ? dst s% src : dst (sign of dividend)', true, 4],
  ['XOR', BPF_XOR, 0, 'xor', 'dst ^= src', false, 1],
  ['MOV', BPF_MOV, 0, 'mov', 'dst = src', false, 1],
  ['ARSH', BPF_ARSH, 0, 'arsh', 'dst s>>= src & (width - 1) (arithmetic)', false, 1],
];
for (const [cls, w, sfx, grp, dm] of [
  [BPF_ALU, 32, '32', 'base32', 'divmul32'],
  [BPF_ALU64, 64, '', 'base64', 'divmul64'],
] as const) {
  const clsName = cls === BPF_ALU ? 'ALU' : 'ALU64';
  for (const [op, code, off, mn, sem, divmul, version] of ALU_ROWS) {
    for (const [source, bit] of [
      ['K', BPF_K],
      ['X', BPF_X],
    ] as const) {
      add({
        name: `${clsName}_${op}_${source}`,
        opcode: cls | code | bit,
        cls,
        kind: 'alu',
        op,
        width: w,
        source,
        match: off !== 0 ? { off } : {},
        signed: off === 1 || undefined,
        mnemonic: mn + sfx,
        shape: source === 'K' ? 'alu_k' : 'alu_x',
        group: divmul ? dm : grp,
        version,
        sem: `${sem}${w === 32 ? ', 32-bit' : ''}`,
      });
    }
  }
  // NEG is defined for K only (RFC 9669 §4.1).
  add({
    name: `${clsName}_NEG`,
    opcode: cls | BPF_NEG | BPF_K,
    cls,
    kind: 'alu',
    op: 'NEG',
    width: w,
    source: 'K',
    mnemonic: `neg${sfx}`,
    shape: 'alu_unary',
    group: grp,
    version: 1,
    sem: `dst = -dst${w === 32 ? ', 32-bit' : ''}`,
  });
  // MOVSX is defined for X only: ALU from 8/16 bits, ALU64 from 8/16/32 bits.
  for (const from of w === 32 ? [8, 16] : [8, 16, 32]) {
    add({
      name: `${clsName}_MOVSX${from}_X`,
      opcode: cls | BPF_MOV | BPF_X,
      cls,
      kind: 'alu',
      op: 'MOVSX',
      width: w,
      source: 'X',
      match: { off: from },
      signed: true,
      mnemonic: `movsx${from}${w}`,
      shape: 'alu_x',
      group: grp,
      version: 4,
      sem: `dst = (s${from})src, sign-extended to ${w} bits`,
    });
  }
}

// ---- §4.2 Byte swap: ALU|END with TO_LE/TO_BE, ALU64|END = unconditional bswap. imm = width. ----------
for (const width of [16, 32, 64] as const) {
  const group = width === 64 ? 'base64' : 'base32';
  add({
    name: `ALU_END_TO_LE${width}`,
    opcode: BPF_ALU | BPF_END | BPF_TO_LE,
    cls: BPF_ALU,
    kind: 'end',
    op: 'LE',
    width,
    match: { imm: width },
    mnemonic: `le${width}`,
    shape: 'alu_unary',
    group,
    version: 1,
    sem: `dst = htole${width}(dst) (zero-extends on a little-endian machine)`,
  });
  add({
    name: `ALU_END_TO_BE${width}`,
    opcode: BPF_ALU | BPF_END | BPF_TO_BE,
    cls: BPF_ALU,
    kind: 'end',
    op: 'BE',
    width,
    match: { imm: width },
    mnemonic: `be${width}`,
    shape: 'alu_unary',
    group,
    version: 1,
    sem: `dst = htobe${width}(dst)`,
  });
  add({
    name: `ALU64_BSWAP${width}`,
    opcode: BPF_ALU64 | BPF_END | BPF_TO_LE,
    cls: BPF_ALU64,
    kind: 'end',
    op: 'BSWAP',
    width,
    match: { imm: width },
    mnemonic: `bswap${width}`,
    aliases: [`swap${width}`],
    shape: 'alu_unary',
    group,
    version: 4,
    sem: `dst = bswap${width}(dst)`,
  });
}

export const ARITH_ENTRIES: readonly OpcodeEntry[] = entries;
