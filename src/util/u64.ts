/**
 * 64-bit values as two 32-bit halves. The machine's hot path never uses BigInt; these helpers are for the
 * places that need a whole 64-bit value (addresses, printing, tests). A `U64` is `{ hi, lo }`, both
 * unsigned 32-bit numbers. Addresses of the kernel's upper half (ffff8000…) are exact as bigint and as
 * page numbers (addr / 4096 < 2^52 fits a double exactly).
 */

export interface U64 {
  hi: number;
  lo: number;
}

export const MASK64 = (1n << 64n) - 1n;

export function toBig(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function fromBig(v: bigint): U64 {
  const m = BigInt.asUintN(64, v);
  return { hi: Number(m >> 32n), lo: Number(m & 0xffff_ffffn) };
}

/** Sign-extend the low `bits` bits of a bigint to a signed bigint. */
export function sext(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

/** Sign-extend the low `bits` (≤ 32) bits of a number. */
export function sextNum(v: number, bits: number): number {
  const shift = 32 - bits;
  return bits >= 32 ? v | 0 : (v << shift) >> shift;
}

/** Unsigned 64-bit from a (possibly negative) bigint. */
export function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}
