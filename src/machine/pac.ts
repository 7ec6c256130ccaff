/**
 * Pointer authentication, modelled. A 15-bit code over (pointer, modifier, key) goes into the pointer's
 * unused upper bits — [54:48] and [63:56], with bit 55 choosing the upper or lower address range — as on a
 * 48-bit-VA kernel with top-byte-ignore off. The MAC is a keyed mixing function, not QARMA: what the model
 * needs is that signing is deterministic per key, that a changed pointer or modifier fails, and that a
 * failed AUT faults at once (FEAT_FPAC behaviour).
 */
import type { Cpu } from './cpu.js';
import { MachineFault } from './faults.js';

function mac(lo: number, hi16: number, modLo: number, modHi: number, key: number): number {
  let h = Math.imul(lo ^ key, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ hi16, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13) ^ modLo, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16) ^ modHi, 0x27d4eb2f);
  h ^= h >>> 15;
  return h & 0x7fff;
}

/** The high half with the PAC field replaced by the extension of bit 55 (a canonical pointer). */
function canonicalHi(hi: number): number {
  const upper = (hi >>> 23) & 1;
  return upper ? (hi | 0xff7f0000 | 0x00800000) >>> 0 : (hi & 0x0000ffff) >>> 0;
}

function withPac(hi: number, code: number): number {
  const bit55 = hi & 0x00800000;
  return (((code >>> 7) << 24) | bit55 | ((code & 0x7f) << 16) | (hi & 0xffff)) >>> 0;
}

/**
 * The key a PAC instruction uses: the CPU's A or B instruction key, or a data key (DA/DB) derived from it by
 * a fixed tweak, so a pointer signed with a data key does not authenticate with the instruction key.
 */
export function pacKey(c: Cpu, keyB: boolean, data = false): number {
  const keys = c.machine.pacKeys[c.id]!;
  return ((keyB ? keys.b : keys.a) ^ (data ? 0x5bd1e995 : 0)) >>> 0;
}

/** Sign register `reg` with `modifier` (hi/lo) and key. */
export function pacSign(c: Cpu, reg: number, modLo: number, modHi: number, key: number): void {
  const hi = canonicalHi(c.hi[reg]!);
  const lo = c.lo[reg]!;
  c.hi[reg] = withPac(hi, mac(lo, hi & 0xffff, modLo, modHi, key));
}

/** Authenticate register `reg`: restore the canonical pointer, or fault. */
export function pacAuth(c: Cpu, reg: number, modLo: number, modHi: number, key: number, what: string): void {
  const hi = c.hi[reg]!;
  const lo = c.lo[reg]!;
  const canon = canonicalHi(hi);
  const code = mac(lo, canon & 0xffff, modLo, modHi, key);
  if (withPac(canon, code) !== hi) {
    throw new MachineFault(
      'PacFault',
      `${what}: authentication of 0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')} failed (modified pointer or different modifier)`,
    );
  }
  c.hi[reg] = canon;
}

/** XPACI/XPACLRI: strip the code without checking it. */
export function pacStrip(c: Cpu, reg: number): void {
  c.hi[reg] = canonicalHi(c.hi[reg]!);
}
