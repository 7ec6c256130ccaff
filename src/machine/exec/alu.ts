/**
 * 64-bit integer arithmetic on 32-bit halves, with NZCV. Results go to the CPU's scratch `rlo`/`rhi`;
 * flags straight into the CPU. No BigInt: these run on every ADD/SUB/CMP.
 */
import type { Cpu } from '../cpu.js';

const TWO32 = 4294967296;

/** rhi:rlo = a + b + carry (64-bit); NZCV set when `flags`. */
export function add64(
  c: Cpu,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
  carry: number,
  flags: boolean,
): void {
  const l = alo + blo + carry;
  const cl = l >= TWO32 ? 1 : 0;
  const h = ahi + bhi + cl;
  const rlo = l >>> 0;
  const rhi = h >>> 0;
  c.rlo = rlo;
  c.rhi = rhi;
  if (flags) {
    c.n = rhi >>> 31;
    c.z = (rlo | rhi) === 0 ? 1 : 0;
    c.c = h >= TWO32 ? 1 : 0;
    c.v = ((ahi ^ rhi) & (bhi ^ rhi)) >>> 31;
  }
}

/** rlo = a + b + carry (32-bit), rhi = 0; NZCV set when `flags`. */
export function add32(c: Cpu, a: number, b: number, carry: number, flags: boolean): void {
  const s = a + b + carry;
  const r = s >>> 0;
  c.rlo = r;
  c.rhi = 0;
  if (flags) {
    c.n = r >>> 31;
    c.z = r === 0 ? 1 : 0;
    c.c = s >= TWO32 ? 1 : 0;
    c.v = ((a ^ r) & (b ^ r)) >>> 31;
  }
}

/** Condition codes (Arm ARM C1.2.4) over the CPU's NZCV. */
export function condHolds(c: Cpu, cond: number): boolean {
  let r: boolean;
  switch (cond >>> 1) {
    case 0:
      r = c.z === 1;
      break;
    case 1:
      r = c.c === 1;
      break;
    case 2:
      r = c.n === 1;
      break;
    case 3:
      r = c.v === 1;
      break;
    case 4:
      r = c.c === 1 && c.z === 0;
      break;
    case 5:
      r = c.n === c.v;
      break;
    case 6:
      r = c.n === c.v && c.z === 0;
      break;
    default:
      return true; // AL and NV
  }
  return cond & 1 ? !r : r;
}

/** Sign-extend a `bits`-wide field value to a JS number. */
export function sx(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}
