/** Hex formatting helpers that print the way llvm-objdump and the kernel do (lower case, no padding unless asked). */

export function hex(n: number | bigint, width = 0): string {
  const s = n.toString(16);
  return width > 0 ? s.padStart(width, '0') : s;
}

/** `0x` + lower-case hex, as LLVM prints immediates. Negative numbers print as `-0x…`. */
export function hex0x(n: number | bigint): string {
  if (typeof n === 'bigint') return n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}
