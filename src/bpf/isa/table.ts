/**
 * THE eBPF opcode table (RFC 9669, ISA v1–v4). The decoder, the encoder, the assembler, both printers,
 * the interpreter's dispatch and (later) the verifier and the JIT read these entries; nothing else restates
 * an opcode. Families are written as rows in the RFC's own tables (§4.1 arithmetic, §4.2 byte swap,
 * §4.3 jumps, §5 load/store, §5.3 atomics, §5.4 wide load, §5.5 legacy packet access) and expanded once at
 * load time into one entry per (opcode, fixed field) combination; `checkTable` rejects duplicates.
 *
 * An entry fixes `opcode` and possibly one more field (`match`: SDIV is DIV with off = 1, MOVSX is MOV with
 * off = 8/16/32, END fixes imm = width, atomics fix imm = operation, CALL and the wide load fix src). The
 * operand fields are given by `shape`; every field that is neither an operand nor matched must be zero.
 *
 * Deliberately not decoded (not in RFC 9669):
 *   - BPF_LOAD_ACQ / BPF_STORE_REL atomics (imm 0x100 / 0x110, kernel v6.15): no conformance group yet.
 *   - BPF_ST | BPF_NOSPEC (0xc2), BPF_JMP | BPF_TAIL_CALL (0xf5), BPF_PROBE_*: kernel-internal opcodes that
 *     never appear in programs loaded from user space.
 * `callx` (0x8d) is decoded because bpf_conformance has a test for it, but it is Linux-only (linux-notes.rst),
 * not in any RFC 9669 group; it is in the pseudo-group 'callx'.
 */
import {
  BPF_ABS, BPF_ADD, BPF_ALU, BPF_ALU64, BPF_AND, BPF_ARSH, BPF_ATOMIC, BPF_B, BPF_CALL, BPF_CMPXCHG, BPF_DIV,
  BPF_DW, BPF_END, BPF_EXIT, BPF_FETCH, BPF_H, BPF_IMM, BPF_IND, BPF_JA, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JLE,
  BPF_JLT, BPF_JMP, BPF_JMP32, BPF_JNE, BPF_JSET, BPF_JSGE, BPF_JSGT, BPF_JSLE, BPF_JSLT, BPF_K, BPF_LD,
  BPF_LDX, BPF_LSH, BPF_MEM, BPF_MEMSX, BPF_MOD, BPF_MOV, BPF_MUL, BPF_NEG, BPF_OR, BPF_RSH, BPF_ST, BPF_STX,
  BPF_SUB, BPF_TO_BE, BPF_TO_LE, BPF_W, BPF_X, BPF_XCHG, BPF_XOR,
} from './opcodes.js';

/** RFC 9669 §2.4 conformance groups, plus 'callx' for the Linux-only indirect call. */
export type ConformanceGroup = 'base32' | 'base64' | 'atomic32' | 'atomic64' | 'divmul32' | 'divmul64' | 'packet' | 'callx';
export const CONFORMANCE_GROUPS: readonly ConformanceGroup[] = [
  'base32', 'base64', 'atomic32', 'atomic64', 'divmul32', 'divmul64', 'packet', 'callx',
];

export type Field = 'dst' | 'src' | 'off' | 'imm';

/** Operand shapes: which fields carry operands. Printers and the assembler are keyed by shape. */
export type Shape =
  | 'alu_k' //      dst, imm          mov %r0, 1
  | 'alu_x' //      dst, src          mov %r0, %r1
  | 'alu_unary' //  dst               neg %r0 / be16 %r0
  | 'jmp_k' //      dst, imm, off     jeq %r1, 0, +2
  | 'jmp_x' //      dst, src, off     jeq %r1, %r2, +2
  | 'ja' //         off               ja +2
  | 'ja32' //       imm               ja32 +2
  | 'call_helper' // imm              call 5
  | 'call_local' // imm               call local +2
  | 'call_kfunc' // imm               call runtime 7
  | 'callx' //      dst               call %r2
  | 'exit' //                         exit
  | 'lddw' //       dst, imm (+next)  lddw %r0, 0x1122334455667788
  | 'ldx' //        dst, src, off     ldxw %r0, [%r1+4]
  | 'st' //         dst, off, imm     stw [%r10-4], 1
  | 'stx' //        dst, src, off     stxw [%r10-4], %r1
  | 'atomic' //     dst, src, off     lock add [%r10-8], %r1
  | 'ld_abs' //     imm               ldabsw 12
  | 'ld_ind'; //    src, imm          ldindw %r1, 12

export const SHAPE_FIELDS: Readonly<Record<Shape, readonly Field[]>> = {
  alu_k: ['dst', 'imm'],
  alu_x: ['dst', 'src'],
  alu_unary: ['dst'],
  jmp_k: ['dst', 'imm', 'off'],
  jmp_x: ['dst', 'src', 'off'],
  ja: ['off'],
  ja32: ['imm'],
  call_helper: ['imm'],
  call_local: ['imm'],
  call_kfunc: ['imm'],
  callx: ['dst'],
  exit: [],
  lddw: ['dst', 'imm'],
  ldx: ['dst', 'src', 'off'],
  st: ['dst', 'off', 'imm'],
  stx: ['dst', 'src', 'off'],
  atomic: ['dst', 'src', 'off'],
  ld_abs: ['imm'],
  ld_ind: ['src', 'imm'],
};

/** What the interpreter, verifier and JIT switch on. */
export type Kind = 'alu' | 'end' | 'jmp' | 'ja' | 'call' | 'exit' | 'lddw' | 'ldx' | 'st' | 'stx' | 'atomic' | 'packet';

export interface OpcodeEntry {
  /** Kernel-style name: class_op_source, e.g. ALU64_ADD_K, JMP32_JSGE_X, LDX_MEMSX_H, STX_ATOMIC_DW_FETCH_ADD. */
  readonly name: string;
  readonly opcode: number;
  readonly cls: number;
  readonly kind: Kind;
  /** The RFC's code name: ADD … END, JEQ … JSLE, JA, CALL, EXIT, MEM, MEMSX, ATOMIC op (ADD/OR/AND/XOR/XCHG/CMPXCHG), ABS, IND, IMM. */
  readonly op: string;
  /** Operand width in bits: 32 for ALU/JMP32 (and 32-bit atomics), 64 otherwise; for END the swap width. */
  readonly width: 16 | 32 | 64;
  /** Memory access size in bytes, for loads, stores, atomics and packet loads. */
  readonly size?: 1 | 2 | 4 | 8;
  /** Source operand (K immediate / X register) for ALU and JMP. */
  readonly source?: 'K' | 'X';
  /** A field fixed to a value besides the opcode (SDIV off=1, END imm=16 …). */
  readonly match: Readonly<Partial<Record<Field, number>>>;
  /** Atomic with BPF_FETCH (XCHG and CMPXCHG always fetch). */
  readonly fetch?: boolean;
  /** Wide load whose second slot's imm is an operand (the value's high half, a map value offset, a BTF object fd). */
  readonly nextImm?: boolean;
  /** Signed variant (SDIV, SMOD, MOVSX, MEMSX). */
  readonly signed?: boolean;
  /** Assembler mnemonic in bpf_conformance / ubpf syntax; `aliases` are accepted on input only. */
  readonly mnemonic: string;
  readonly aliases: readonly string[];
  readonly shape: Shape;
  readonly group: ConformanceGroup;
  /** The ISA version (-mcpu=v1..v4) that introduced the instruction. */
  readonly version: 1 | 2 | 3 | 4;
  /** One-line semantics. */
  readonly sem: string;
}

type Draft = Omit<OpcodeEntry, 'aliases' | 'match'> & { aliases?: readonly string[]; match?: OpcodeEntry['match'] };

const entries: OpcodeEntry[] = [];
const add = (d: Draft): void => {
  entries.push({ ...d, aliases: d.aliases ?? [], match: d.match ?? {} });
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
    for (const [source, bit] of [['K', BPF_K], ['X', BPF_X]] as const) {
      add({
        name: `${clsName}_${op}_${source}`, opcode: cls | code | bit, cls, kind: 'alu', op, width: w, source,
        match: off !== 0 ? { off } : {}, signed: off === 1 || undefined,
        mnemonic: mn + sfx, shape: source === 'K' ? 'alu_k' : 'alu_x', group: divmul ? dm : grp,
        version, sem: `${sem}${w === 32 ? ', 32-bit' : ''}`,
      });
    }
  }
  // NEG is defined for K only (RFC 9669 §4.1).
  add({ name: `${clsName}_NEG`, opcode: cls | BPF_NEG | BPF_K, cls, kind: 'alu', op: 'NEG', width: w, source: 'K',
    mnemonic: `neg${sfx}`, shape: 'alu_unary', group: grp, version: 1, sem: `dst = -dst${w === 32 ? ', 32-bit' : ''}` });
  // MOVSX is defined for X only: ALU from 8/16 bits, ALU64 from 8/16/32 bits.
  for (const from of w === 32 ? [8, 16] : [8, 16, 32]) {
    add({ name: `${clsName}_MOVSX${from}_X`, opcode: cls | BPF_MOV | BPF_X, cls, kind: 'alu', op: 'MOVSX', width: w,
      source: 'X', match: { off: from }, signed: true, mnemonic: `movsx${from}${w}`, shape: 'alu_x', group: grp,
      version: 4, sem: `dst = (s${from})src, sign-extended to ${w} bits` });
  }
}

// ---- §4.2 Byte swap: ALU|END with TO_LE/TO_BE, ALU64|END = unconditional bswap. imm = width. ----------
for (const width of [16, 32, 64] as const) {
  const group = width === 64 ? 'base64' : 'base32';
  add({ name: `ALU_END_TO_LE${width}`, opcode: BPF_ALU | BPF_END | BPF_TO_LE, cls: BPF_ALU, kind: 'end', op: 'LE', width,
    match: { imm: width }, mnemonic: `le${width}`, shape: 'alu_unary', group, version: 1,
    sem: `dst = htole${width}(dst) (zero-extends on a little-endian machine)` });
  add({ name: `ALU_END_TO_BE${width}`, opcode: BPF_ALU | BPF_END | BPF_TO_BE, cls: BPF_ALU, kind: 'end', op: 'BE', width,
    match: { imm: width }, mnemonic: `be${width}`, shape: 'alu_unary', group, version: 1, sem: `dst = htobe${width}(dst)` });
  add({ name: `ALU64_BSWAP${width}`, opcode: BPF_ALU64 | BPF_END | BPF_TO_LE, cls: BPF_ALU64, kind: 'end', op: 'BSWAP',
    width, match: { imm: width }, mnemonic: `bswap${width}`, aliases: [`swap${width}`], shape: 'alu_unary', group,
    version: 4, sem: `dst = bswap${width}(dst)` });
}

// ---- §4.3 Jumps: JMP compares 64 bits, JMP32 the low 32 bits. -----------------------------------------
const JMP_ROWS: readonly [string, number, string, string, 1 | 2][] = [
  ['JEQ', BPF_JEQ, 'jeq', '==', 1],
  ['JGT', BPF_JGT, 'jgt', '>', 1],
  ['JGE', BPF_JGE, 'jge', '>=', 1],
  ['JSET', BPF_JSET, 'jset', '&', 1],
  ['JNE', BPF_JNE, 'jne', '!=', 1],
  ['JSGT', BPF_JSGT, 'jsgt', 's>', 1],
  ['JSGE', BPF_JSGE, 'jsge', 's>=', 1],
  ['JLT', BPF_JLT, 'jlt', '<', 2],
  ['JLE', BPF_JLE, 'jle', '<=', 2],
  ['JSLT', BPF_JSLT, 'jslt', 's<', 2],
  ['JSLE', BPF_JSLE, 'jsle', 's<=', 2],
];
for (const [cls, w, sfx, grp] of [[BPF_JMP, 64, '', 'base64'], [BPF_JMP32, 32, '32', 'base32']] as const) {
  const clsName = cls === BPF_JMP ? 'JMP' : 'JMP32';
  for (const [op, code, mn, rel, version] of JMP_ROWS) {
    for (const [source, bit] of [['K', BPF_K], ['X', BPF_X]] as const) {
      add({ name: `${clsName}_${op}_${source}`, opcode: cls | code | bit, cls, kind: 'jmp', op, width: w, source,
        mnemonic: mn + sfx, shape: source === 'K' ? 'jmp_k' : 'jmp_x', group: grp, version: w === 32 ? 3 : version,
        sem: `if (${w === 32 ? 'u32/s32' : 'u64/s64'}) dst ${rel} src: pc += off` });
    }
  }
}
// "All CALL and JA instructions belong to the base32 conformance group" (RFC 9669 §4.3). EXIT too: a base32
// program must be able to return.
add({ name: 'JMP_JA', opcode: BPF_JMP | BPF_JA | BPF_K, cls: BPF_JMP, kind: 'ja', op: 'JA', width: 64, source: 'K',
  mnemonic: 'ja', shape: 'ja', group: 'base32', version: 1, sem: 'pc += off' });
add({ name: 'JMP32_JA', opcode: BPF_JMP32 | BPF_JA | BPF_K, cls: BPF_JMP32, kind: 'ja', op: 'JA', width: 32, source: 'K',
  mnemonic: 'ja32', aliases: ['gotol'], shape: 'ja32', group: 'base32', version: 4, sem: 'pc += imm (gotol)' });
add({ name: 'JMP_CALL', opcode: BPF_JMP | BPF_CALL | BPF_K, cls: BPF_JMP, kind: 'call', op: 'CALL', width: 64,
  source: 'K', match: { src: 0 }, mnemonic: 'call', shape: 'call_helper', group: 'base32', version: 1,
  sem: 'r0 = helper[imm](r1..r5); r1-r5 clobbered' });
add({ name: 'JMP_CALL_LOCAL', opcode: BPF_JMP | BPF_CALL | BPF_K, cls: BPF_JMP, kind: 'call', op: 'CALL', width: 64,
  source: 'K', match: { src: 1 }, mnemonic: 'call local', shape: 'call_local', group: 'base32', version: 1,
  sem: 'push frame (r6-r9, r10 saved; new 512-byte stack); pc += imm' });
add({ name: 'JMP_CALL_KFUNC', opcode: BPF_JMP | BPF_CALL | BPF_K, cls: BPF_JMP, kind: 'call', op: 'CALL', width: 64,
  source: 'K', match: { src: 2 }, mnemonic: 'call runtime', shape: 'call_kfunc', group: 'base32', version: 1,
  sem: 'r0 = function with BTF id imm (kfunc)(r1..r5)' });
add({ name: 'JMP_CALLX', opcode: BPF_JMP | BPF_CALL | BPF_X, cls: BPF_JMP, kind: 'call', op: 'CALLX', width: 64,
  source: 'X', mnemonic: 'call', shape: 'callx', group: 'callx', version: 1,
  sem: 'indirect call of the function whose address is in dst (Linux only)' });
add({ name: 'JMP_EXIT', opcode: BPF_JMP | BPF_EXIT | BPF_K, cls: BPF_JMP, kind: 'exit', op: 'EXIT', width: 64,
  source: 'K', mnemonic: 'exit', shape: 'exit', group: 'base32', version: 1,
  sem: 'return r0 to the caller frame, or end the program' });

// ---- §5.4 64-bit immediate load (wide encoding), src_reg selects the pseudo source. --------------------
// [src_reg, name suffix, mnemonic, next_imm is an operand, semantics]
const LDDW_ROWS: readonly [number, string, string, boolean, string][] = [
  [0, '', 'lddw', true, 'dst = next_imm << 32 | imm'],
  [1, '_MAP_FD', 'lddw_map_fd', false, 'dst = map_by_fd(imm)'],
  [2, '_MAP_VALUE', 'lddw_map_value', true, 'dst = map_val(map_by_fd(imm)) + next_imm'],
  [3, '_VAR_ADDR', 'lddw_var_addr', true, 'dst = var_addr(imm) (kernel BPF_PSEUDO_BTF_ID; next_imm = BTF object fd)'],
  [4, '_CODE_ADDR', 'lddw_code_addr', false, 'dst = code_addr(pc + 1 + imm) (kernel BPF_PSEUDO_FUNC)'],
  [5, '_MAP_IDX', 'lddw_map_idx', false, 'dst = map_by_idx(imm)'],
  [6, '_MAP_IDX_VALUE', 'lddw_map_idx_value', true, 'dst = map_val(map_by_idx(imm)) + next_imm'],
];
for (const [src, sfx, mn, nextImm, sem] of LDDW_ROWS) {
  add({ name: `LD_IMM_DW${sfx}`, opcode: BPF_LD | BPF_IMM | BPF_DW, cls: BPF_LD, kind: 'lddw', op: 'IMM', width: 64,
    size: 8, match: { src }, nextImm, mnemonic: mn, shape: 'lddw', group: 'base64', version: 1, sem });
}

// ---- §5.1–5.2 Regular and sign-extending loads/stores; DW is base64, the rest base32. -----------------
const SIZES: readonly [number, 'B' | 'H' | 'W' | 'DW', 1 | 2 | 4 | 8, string][] = [
  [BPF_B, 'B', 1, 'b'], [BPF_H, 'H', 2, 'h'], [BPF_W, 'W', 4, 'w'], [BPF_DW, 'DW', 8, 'dw'],
];
for (const [sz, szName, bytes, s] of SIZES) {
  const group = bytes === 8 ? 'base64' : 'base32';
  const ty = `u${bytes * 8}`;
  add({ name: `LDX_MEM_${szName}`, opcode: BPF_LDX | BPF_MEM | sz, cls: BPF_LDX, kind: 'ldx', op: 'MEM', width: 64,
    size: bytes, mnemonic: `ldx${s}`, shape: 'ldx', group, version: 1, sem: `dst = *(${ty} *)(src + off)` });
  if (bytes !== 8) {
    add({ name: `LDX_MEMSX_${szName}`, opcode: BPF_LDX | BPF_MEMSX | sz, cls: BPF_LDX, kind: 'ldx', op: 'MEMSX',
      width: 64, size: bytes, signed: true, mnemonic: `ldxs${s}`, shape: 'ldx', group, version: 4,
      sem: `dst = *(s${bytes * 8} *)(src + off), sign-extended` });
  }
  add({ name: `ST_MEM_${szName}`, opcode: BPF_ST | BPF_MEM | sz, cls: BPF_ST, kind: 'st', op: 'MEM', width: 64,
    size: bytes, mnemonic: `st${s}`, shape: 'st', group, version: 1, sem: `*(${ty} *)(dst + off) = imm` });
  add({ name: `STX_MEM_${szName}`, opcode: BPF_STX | BPF_MEM | sz, cls: BPF_STX, kind: 'stx', op: 'MEM', width: 64,
    size: bytes, mnemonic: `stx${s}`, shape: 'stx', group, version: 1, sem: `*(${ty} *)(dst + off) = src` });
}

// ---- §5.3 Atomics: STX|ATOMIC with W (atomic32) or DW (atomic64); imm = operation. -------------------
const ATOMIC_ROWS: readonly [string, number, string, string][] = [
  ['ADD', BPF_ADD, 'add', '+='], ['OR', BPF_OR, 'or', '|='], ['AND', BPF_AND, 'and', '&='], ['XOR', BPF_XOR, 'xor', '^='],
];
for (const [sz, szName, bytes, w, sfx, group] of [
  [BPF_W, 'W', 4, 32, '32', 'atomic32'], [BPF_DW, 'DW', 8, 64, '', 'atomic64'],
] as const) {
  const opcode = BPF_STX | BPF_ATOMIC | sz;
  const base = { opcode, cls: BPF_STX, kind: 'atomic' as const, width: w, size: bytes, shape: 'atomic' as const, group };
  const ty = `u${w}`;
  for (const [op, code, mn, rel] of ATOMIC_ROWS) {
    add({ ...base, name: `STX_ATOMIC_${szName}_${op}`, op, match: { imm: code }, mnemonic: `lock ${mn}${sfx}`,
      version: op === 'ADD' ? 1 : 3, sem: `*(${ty} *)(dst + off) ${rel} src` });
    add({ ...base, name: `STX_ATOMIC_${szName}_FETCH_${op}`, op, match: { imm: code | BPF_FETCH }, fetch: true,
      mnemonic: `lock fetch ${mn}${sfx}`, version: 3, sem: `src = *(${ty} *)(dst + off) (old); *(${ty} *)(dst + off) ${rel} src` });
  }
  add({ ...base, name: `STX_ATOMIC_${szName}_XCHG`, op: 'XCHG', match: { imm: BPF_XCHG }, fetch: true,
    mnemonic: `lock xchg${sfx}`, version: 3, sem: `swap src and *(${ty} *)(dst + off)` });
  add({ ...base, name: `STX_ATOMIC_${szName}_CMPXCHG`, op: 'CMPXCHG', match: { imm: BPF_CMPXCHG }, fetch: true,
    mnemonic: `lock cmpxchg${sfx}`, version: 3,
    sem: `old = *(${ty} *)(dst + off); if old == r0: *(dst + off) = src; r0 = old (zero-extended)` });
}

// ---- §5.5 Legacy packet access (group 'packet'): r0 = ntoh(*(size *)(skb->data + [src +] imm)). ---------
for (const [sz, szName, bytes, s] of SIZES.slice(0, 3)) {
  add({ name: `LD_ABS_${szName}`, opcode: BPF_LD | BPF_ABS | sz, cls: BPF_LD, kind: 'packet', op: 'ABS', width: 64,
    size: bytes, mnemonic: `ldabs${s}`, shape: 'ld_abs', group: 'packet', version: 1,
    sem: `r0 = ntoh(*(u${bytes * 8} *)(packet + imm)); out of bounds ends the program with r0 = 0` });
  add({ name: `LD_IND_${szName}`, opcode: BPF_LD | BPF_IND | sz, cls: BPF_LD, kind: 'packet', op: 'IND', width: 64,
    size: bytes, mnemonic: `ldind${s}`, shape: 'ld_ind', group: 'packet', version: 1,
    sem: `r0 = ntoh(*(u${bytes * 8} *)(packet + src + imm)); out of bounds ends the program with r0 = 0` });
}

/** Every entry, in RFC order. */
export const OPCODE_TABLE: readonly OpcodeEntry[] = entries;

/** Entries by opcode byte (several when a field beyond the opcode discriminates). */
export const ENTRIES_BY_OPCODE: ReadonlyMap<number, readonly OpcodeEntry[]> = (() => {
  const m = new Map<number, OpcodeEntry[]>();
  for (const e of entries) {
    const list = m.get(e.opcode) ?? [];
    list.push(e);
    m.set(e.opcode, list);
  }
  return m;
})();

/** Entries by assembler mnemonic (and alias); several when the operand shape decides (mov K / mov X). */
export const ENTRIES_BY_MNEMONIC: ReadonlyMap<string, readonly OpcodeEntry[]> = (() => {
  const m = new Map<string, OpcodeEntry[]>();
  for (const e of entries) {
    for (const mn of [e.mnemonic, ...e.aliases]) {
      const list = m.get(mn) ?? [];
      list.push(e);
      m.set(mn, list);
    }
  }
  return m;
})();

export const ENTRY_BY_NAME: ReadonlyMap<string, OpcodeEntry> = new Map(entries.map((e) => [e.name, e]));

/**
 * The table's own consistency rules, checked at load time and in a unit test: unique names; within one
 * opcode, entries must fix the same discriminating field to distinct values, or the opcode has exactly one
 * entry; a matched field must not also be an operand; within one mnemonic, shapes must differ.
 * Returns the list of problems (empty when the table is sound).
 */
export function checkTable(table: readonly OpcodeEntry[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const byOpcode = new Map<number, OpcodeEntry[]>();
  for (const e of table) {
    if (names.has(e.name)) problems.push(`${e.name}: duplicate entry name`);
    names.add(e.name);
    if (e.opcode < 0 || e.opcode > 0xff) problems.push(`${e.name}: opcode 0x${e.opcode.toString(16)} is not a byte`);
    for (const f of Object.keys(e.match) as Field[]) {
      if (SHAPE_FIELDS[e.shape].includes(f)) problems.push(`${e.name}: field ${f} is both matched and an operand`);
    }
    byOpcode.set(e.opcode, [...(byOpcode.get(e.opcode) ?? []), e]);
  }
  for (const [opcode, list] of byOpcode) {
    if (list.length === 1) continue;
    const keyFields = new Set(list.flatMap((e) => Object.keys(e.match)));
    const seen = new Map<string, string>();
    for (const e of list) {
      const key = [...keyFields].map((f) => `${f}=${e.match[f as Field] ?? '0'}`).join(',');
      const other = seen.get(key);
      if (other !== undefined) problems.push(`opcode 0x${opcode.toString(16)}: ${e.name} overlaps ${other} (${key})`);
      seen.set(key, e.name);
    }
  }
  const byMnemonic = new Map<string, OpcodeEntry[]>();
  for (const e of table) for (const mn of [e.mnemonic, ...e.aliases]) byMnemonic.set(mn, [...(byMnemonic.get(mn) ?? []), e]);
  for (const [mn, list] of byMnemonic) {
    const shapes = new Set(list.map((e) => e.shape));
    if (shapes.size !== list.length) problems.push(`mnemonic '${mn}': ${list.map((e) => e.name).join(', ')} share a shape`);
  }
  return problems;
}

const problems = checkTable(OPCODE_TABLE);
if (problems.length > 0) throw new Error(`src/bpf/isa/table.ts is inconsistent:\n${problems.join('\n')}`);
