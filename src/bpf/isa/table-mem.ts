/** Opcode table, RFC 9669 §5 loads and stores: wide load, LDX/ST/STX, MEMSX, atomics, legacy packet. See table.ts. */
import {
  BPF_ABS,
  BPF_ADD,
  BPF_AND,
  BPF_ATOMIC,
  BPF_B,
  BPF_CMPXCHG,
  BPF_DW,
  BPF_FETCH,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_LD,
  BPF_LDX,
  BPF_MEM,
  BPF_MEMSX,
  BPF_OR,
  BPF_ST,
  BPF_STX,
  BPF_W,
  BPF_XCHG,
  BPF_XOR,
} from './opcodes.js';
import { entry, type Draft, type OpcodeEntry } from './table-types.js';

const entries: OpcodeEntry[] = [];
const add = (d: Draft): void => {
  entries.push(entry(d));
};

// ---- §5.4 64-bit immediate load (wide encoding), src_reg selects the pseudo source. --------------------
// [src_reg, name suffix, mnemonic, next_imm is an operand, semantics]
const LDDW_ROWS: readonly [number, string, string, boolean, string][] = [
  [0, '', 'lddw', true, 'dst = next_imm << 32 | imm'],
  [1, '_MAP_FD', 'lddw_map_fd', false, 'dst = map_by_fd(imm)'],
  [2, '_MAP_VALUE', 'lddw_map_value', true, 'dst = map_val(map_by_fd(imm)) + next_imm'],
  [
    3,
    '_VAR_ADDR',
    'lddw_var_addr',
    true,
    'dst = var_addr(imm) (kernel BPF_PSEUDO_BTF_ID; next_imm = BTF object fd)',
  ],
  [4, '_CODE_ADDR', 'lddw_code_addr', false, 'dst = code_addr(pc + 1 + imm) (kernel BPF_PSEUDO_FUNC)'],
  [5, '_MAP_IDX', 'lddw_map_idx', false, 'dst = map_by_idx(imm)'],
  [6, '_MAP_IDX_VALUE', 'lddw_map_idx_value', true, 'dst = map_val(map_by_idx(imm)) + next_imm'],
];
for (const [src, sfx, mn, nextImm, sem] of LDDW_ROWS) {
  add({
    name: `LD_IMM_DW${sfx}`,
    opcode: BPF_LD | BPF_IMM | BPF_DW,
    cls: BPF_LD,
    kind: 'lddw',
    op: 'IMM',
    width: 64,
    size: 8,
    match: { src },
    nextImm,
    mnemonic: mn,
    shape: 'lddw',
    group: 'base64',
    version: 1,
    sem,
  });
}

// ---- §5.1–5.2 Regular and sign-extending loads/stores; DW is base64, the rest base32. -----------------
const SIZES: readonly [number, 'B' | 'H' | 'W' | 'DW', 1 | 2 | 4 | 8, string][] = [
  [BPF_B, 'B', 1, 'b'],
  [BPF_H, 'H', 2, 'h'],
  [BPF_W, 'W', 4, 'w'],
  [BPF_DW, 'DW', 8, 'dw'],
];
for (const [sz, szName, bytes, s] of SIZES) {
  const group = bytes === 8 ? 'base64' : 'base32';
  const ty = `u${bytes * 8}`;
  add({
    name: `LDX_MEM_${szName}`,
    opcode: BPF_LDX | BPF_MEM | sz,
    cls: BPF_LDX,
    kind: 'ldx',
    op: 'MEM',
    width: 64,
    size: bytes,
    mnemonic: `ldx${s}`,
    shape: 'ldx',
    group,
    version: 1,
    sem: `dst = *(${ty} *)(src + off)`,
  });
  if (bytes !== 8) {
    add({
      name: `LDX_MEMSX_${szName}`,
      opcode: BPF_LDX | BPF_MEMSX | sz,
      cls: BPF_LDX,
      kind: 'ldx',
      op: 'MEMSX',
      width: 64,
      size: bytes,
      signed: true,
      mnemonic: `ldxs${s}`,
      shape: 'ldx',
      group,
      version: 4,
      sem: `dst = *(s${bytes * 8} *)(src + off), sign-extended`,
    });
  }
  add({
    name: `ST_MEM_${szName}`,
    opcode: BPF_ST | BPF_MEM | sz,
    cls: BPF_ST,
    kind: 'st',
    op: 'MEM',
    width: 64,
    size: bytes,
    mnemonic: `st${s}`,
    shape: 'st',
    group,
    version: 1,
    sem: `*(${ty} *)(dst + off) = imm`,
  });
  add({
    name: `STX_MEM_${szName}`,
    opcode: BPF_STX | BPF_MEM | sz,
    cls: BPF_STX,
    kind: 'stx',
    op: 'MEM',
    width: 64,
    size: bytes,
    mnemonic: `stx${s}`,
    shape: 'stx',
    group,
    version: 1,
    sem: `*(${ty} *)(dst + off) = src`,
  });
}

// ---- §5.3 Atomics: STX|ATOMIC with W (atomic32) or DW (atomic64); imm = operation. -------------------
const ATOMIC_ROWS: readonly [string, number, string, string][] = [
  ['ADD', BPF_ADD, 'add', '+='],
  ['OR', BPF_OR, 'or', '|='],
  ['AND', BPF_AND, 'and', '&='],
  ['XOR', BPF_XOR, 'xor', '^='],
];
for (const [sz, szName, bytes, w, sfx, group] of [
  [BPF_W, 'W', 4, 32, '32', 'atomic32'],
  [BPF_DW, 'DW', 8, 64, '', 'atomic64'],
] as const) {
  const opcode = BPF_STX | BPF_ATOMIC | sz;
  const base = {
    opcode,
    cls: BPF_STX,
    kind: 'atomic' as const,
    width: w,
    size: bytes,
    shape: 'atomic' as const,
    group,
  };
  const ty = `u${w}`;
  for (const [op, code, mn, rel] of ATOMIC_ROWS) {
    add({
      ...base,
      name: `STX_ATOMIC_${szName}_${op}`,
      op,
      match: { imm: code },
      mnemonic: `lock ${mn}${sfx}`,
      version: op === 'ADD' ? 1 : 3,
      sem: `*(${ty} *)(dst + off) ${rel} src`,
    });
    add({
      ...base,
      name: `STX_ATOMIC_${szName}_FETCH_${op}`,
      op,
      match: { imm: code | BPF_FETCH },
      fetch: true,
      mnemonic: `lock fetch ${mn}${sfx}`,
      version: 3,
      sem: `src = *(${ty} *)(dst + off) (old); *(${ty} *)(dst + off) ${rel} src`,
    });
  }
  add({
    ...base,
    name: `STX_ATOMIC_${szName}_XCHG`,
    op: 'XCHG',
    match: { imm: BPF_XCHG },
    fetch: true,
    mnemonic: `lock xchg${sfx}`,
    version: 3,
    sem: `swap src and *(${ty} *)(dst + off)`,
  });
  add({
    ...base,
    name: `STX_ATOMIC_${szName}_CMPXCHG`,
    op: 'CMPXCHG',
    match: { imm: BPF_CMPXCHG },
    fetch: true,
    mnemonic: `lock cmpxchg${sfx}`,
    version: 3,
    sem: `old = *(${ty} *)(dst + off); if old == r0: *(dst + off) = src; r0 = old (zero-extended)`,
  });
}

// ---- §5.5 Legacy packet access (group 'packet'): r0 = ntoh(*(size *)(skb->data + [src +] imm)). ---------
for (const [sz, szName, bytes, s] of SIZES.slice(0, 3)) {
  add({
    name: `LD_ABS_${szName}`,
    opcode: BPF_LD | BPF_ABS | sz,
    cls: BPF_LD,
    kind: 'packet',
    op: 'ABS',
    width: 64,
    size: bytes,
    mnemonic: `ldabs${s}`,
    shape: 'ld_abs',
    group: 'packet',
    version: 1,
    sem: `r0 = ntoh(*(u${bytes * 8} *)(packet + imm)); out of bounds ends the program with r0 = 0`,
  });
  add({
    name: `LD_IND_${szName}`,
    opcode: BPF_LD | BPF_IND | sz,
    cls: BPF_LD,
    kind: 'packet',
    op: 'IND',
    width: 64,
    size: bytes,
    mnemonic: `ldind${s}`,
    shape: 'ld_ind',
    group: 'packet',
    version: 1,
    sem: `r0 = ntoh(*(u${bytes * 8} *)(packet + src + imm)); out of bounds ends the program with r0 = 0`,
  });
}

export const MEM_ENTRIES: readonly OpcodeEntry[] = entries;
