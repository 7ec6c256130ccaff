/**
 * The value semantics of RFC 9669 §4 as pure functions on u64 bigints, keyed by the table's `op` names.
 * The interpreter binds them per instruction; the verifier and the JIT tests can use them as the reference.
 * 32-bit forms take and return values whose upper 32 bits are zero.
 */
const M32 = 0xffff_ffffn;
const M64 = (1n << 64n) - 1n;

export type BinOp = (dst: bigint, src: bigint) => bigint;

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
const u64 = (v: bigint): bigint => v & M64;

/** ALU64: operands and result are u64. */
export const ALU64_OPS: Readonly<Record<string, BinOp>> = {
  ADD: (a, b) => u64(a + b), // dst += src
  SUB: (a, b) => u64(a - b), // dst -= src
  MUL: (a, b) => u64(a * b), // dst *= src (wraps)
  DIV: (a, b) => (b === 0n ? 0n : a / b), // division by zero gives 0
  SDIV: (a, b) => (b === 0n ? 0n : u64(s64(a) / s64(b))), // truncating; LLONG_MIN / -1 wraps to LLONG_MIN
  OR: (a, b) => a | b,
  AND: (a, b) => a & b,
  LSH: (a, b) => u64(a << (b & 63n)),
  RSH: (a, b) => a >> (b & 63n),
  NEG: (a) => u64(-a),
  MOD: (a, b) => (b === 0n ? a : a % b), // modulo by zero leaves dst unchanged
  SMOD: (a, b) => (b === 0n ? a : u64(s64(a) % s64(b))), // sign of the dividend (C semantics)
  XOR: (a, b) => a ^ b,
  MOV: (_a, b) => b,
  ARSH: (a, b) => u64(s64(a) >> (b & 63n)),
};

/** ALU (32-bit): operands are taken modulo 2^32, the result is zero-extended. */
export const ALU32_OPS: Readonly<Record<string, BinOp>> = {
  ADD: (a, b) => (a + b) & M32,
  SUB: (a, b) => (a - b) & M32,
  MUL: (a, b) => ((a & M32) * (b & M32)) & M32,
  DIV: (a, b) => ((b & M32) === 0n ? 0n : (a & M32) / (b & M32)),
  SDIV: (a, b) => ((b & M32) === 0n ? 0n : (s32(a) / s32(b)) & M32),
  OR: (a, b) => (a | b) & M32,
  AND: (a, b) => a & b & M32,
  LSH: (a, b) => (a << (b & 31n)) & M32,
  RSH: (a, b) => (a & M32) >> (b & 31n),
  NEG: (a) => -a & M32,
  MOD: (a, b) => ((b & M32) === 0n ? a & M32 : (a & M32) % (b & M32)), // by zero: upper half zeroed
  SMOD: (a, b) => ((b & M32) === 0n ? a & M32 : (s32(a) % s32(b)) & M32),
  XOR: (a, b) => (a ^ b) & M32,
  MOV: (_a, b) => b & M32,
  ARSH: (a, b) => (s32(a) >> (b & 31n)) & M32,
};

/** MOVSX: sign-extend the low `from` bits of src to `width` bits (upper half zero for ALU). */
export function movsx(src: bigint, from: number, width: 32 | 64): bigint {
  const v = BigInt.asIntN(from, src);
  return width === 32 ? v & M32 : u64(v);
}

/** Reverse the low `width / 8` bytes of v; the result is zero-extended. */
export function bswap(v: bigint, width: 16 | 32 | 64): bigint {
  let out = 0n;
  for (let i = 0; i < width / 8; i++) out = (out << 8n) | ((v >> BigInt(i * 8)) & 0xffn);
  return out;
}

/** END semantics on a little-endian machine: LE truncates, BE and BSWAP swap. */
export function byteswapOp(op: string, v: bigint, width: 16 | 32 | 64): bigint {
  if (op === 'LE') return width === 64 ? v : v & ((1n << BigInt(width)) - 1n);
  return bswap(v, width);
}

export type Cmp = (dst: bigint, src: bigint) => boolean;

/** Jump conditions on u64 operands (JMP). */
export const JMP64_CONDS: Readonly<Record<string, Cmp>> = {
  JEQ: (a, b) => a === b,
  JGT: (a, b) => a > b,
  JGE: (a, b) => a >= b,
  JSET: (a, b) => (a & b) !== 0n,
  JNE: (a, b) => a !== b,
  JSGT: (a, b) => s64(a) > s64(b),
  JSGE: (a, b) => s64(a) >= s64(b),
  JLT: (a, b) => a < b,
  JLE: (a, b) => a <= b,
  JSLT: (a, b) => s64(a) < s64(b),
  JSLE: (a, b) => s64(a) <= s64(b),
};

/** Jump conditions on the low 32 bits (JMP32). */
export const JMP32_CONDS: Readonly<Record<string, Cmp>> = {
  JEQ: (a, b) => (a & M32) === (b & M32),
  JGT: (a, b) => (a & M32) > (b & M32),
  JGE: (a, b) => (a & M32) >= (b & M32),
  JSET: (a, b) => (a & b & M32) !== 0n,
  JNE: (a, b) => (a & M32) !== (b & M32),
  JSGT: (a, b) => s32(a) > s32(b),
  JSGE: (a, b) => s32(a) >= s32(b),
  JLT: (a, b) => (a & M32) < (b & M32),
  JLE: (a, b) => (a & M32) <= (b & M32),
  JSLT: (a, b) => s32(a) < s32(b),
  JSLE: (a, b) => s32(a) <= s32(b),
};

/** Atomic read-modify-write operations (RFC 9669 §5.3) on values of the access width. */
export const ATOMIC_OPS: Readonly<Record<string, BinOp>> = {
  ADD: (a, b) => a + b,
  OR: (a, b) => a | b,
  AND: (a, b) => a & b,
  XOR: (a, b) => a ^ b,
  XCHG: (_a, b) => b,
};
