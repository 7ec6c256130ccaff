/**
 * Handlers for src/a64/table/dp-imm.ts (Arm ARM C4.1.92), named after their rows: every row.
 */
import { LogicalImm } from '../../a64/imm.js';
import { SINK, SP, ZR, type Cpu } from '../cpu.js';
import { MachineFault } from '../faults.js';
import { add32, add64, sx } from './alu.js';
import { RH, RL, ror64 } from './dp-reg.js';
import type { HandlerTable } from './types.js';

const TWO32 = 4294967296;

/** ADD/SUB (immediate): Rd = Rn ± imm{, lsl 12}; S variants set NZCV and write XZR instead of SP. */
function addSubImm(sub: boolean, flags: boolean) {
  return (f: Record<string, number>) => {
    const n = f.Rn!; // SP allowed
    const d = flags && f.Rd === 31 ? SINK : f.Rd!;
    const imm = f.imm12! * (f.sh ? 4096 : 1);
    if (f.sf) {
      const blo = sub ? ~imm >>> 0 : imm;
      const bhi = sub ? 0xffffffff : 0;
      const carry = sub ? 1 : 0;
      return (c: Cpu) => {
        add64(c, c.lo[n]!, c.hi[n]!, blo, bhi, carry, flags);
        c.lo[d] = c.rlo;
        c.hi[d] = c.rhi;
        c.next();
      };
    }
    const b = sub ? ~imm >>> 0 : imm;
    const carry = sub ? 1 : 0;
    return (c: Cpu) => {
      add32(c, c.lo[n]!, b, carry, flags);
      c.lo[d] = c.rlo;
      c.hi[d] = 0;
      c.next();
    };
  };
}

// ---------------------------------------------------------------- logical, move wide, bitfield, extract

/** A 64-bit value's halves. */
function halves(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}

/** AND/ORR/EOR/ANDS (immediate) with the N:immr:imms bitmask; ANDS sets N, Z and clears C, V. */
function logicalImm(op: 'and' | 'orr' | 'eor', flags: boolean) {
  return (f: Record<string, number>) => {
    const n = f.Rn === 31 ? ZR : f.Rn!;
    const d = f.Rd === 31 ? (flags ? SINK : SP) : f.Rd!;
    const sf = f.sf === 1;
    const v = LogicalImm.decode(f.N!, f.immr!, f.imms!, sf ? 64 : 32);
    if (v === undefined) throw new MachineFault('Unimplemented', 'reserved bitmask immediate');
    const [ilo, ihi] = halves(v);
    return (c: Cpu) => {
      let lo: number;
      let hi: number;
      const a = c.lo[n]!;
      const b = sf ? c.hi[n]! : 0;
      if (op === 'and') {
        lo = (a & ilo) >>> 0;
        hi = (b & ihi) >>> 0;
      } else if (op === 'orr') {
        lo = (a | ilo) >>> 0;
        hi = (b | ihi) >>> 0;
      } else {
        lo = (a ^ ilo) >>> 0;
        hi = (b ^ ihi) >>> 0;
      }
      if (flags) {
        c.n = (sf ? hi : lo) >>> 31;
        c.z = (lo | hi) === 0 ? 1 : 0;
        c.c = 0;
        c.v = 0;
      }
      c.lo[d] = lo;
      c.hi[d] = hi;
      c.next();
    };
  };
}

/** MOVN/MOVZ/MOVK: imm16 << 16*hw, inverted for MOVN, inserted for MOVK. */
function moveWide(kind: 'n' | 'z' | 'k') {
  return (f: Record<string, number>) => {
    const d = f.Rd === 31 ? SINK : f.Rd!;
    const sf = f.sf === 1;
    const hw = f.hw!;
    const imm = f.imm16!;
    const shifted = hw & 1 ? imm * 65536 : imm;
    const vlo = hw < 2 ? shifted : 0;
    const vhi = hw >= 2 ? shifted : 0;
    if (kind === 'k') {
      const mask = (0xffff * (hw & 1 ? 65536 : 1)) >>> 0;
      const inHi = hw >= 2;
      return (c: Cpu) => {
        if (inHi) c.hi[d] = ((c.hi[d]! & ~mask) | vhi) >>> 0;
        else {
          c.lo[d] = ((c.lo[d]! & ~mask) | vlo) >>> 0;
          if (!sf) c.hi[d] = 0;
        }
        c.next();
      };
    }
    const lo = kind === 'n' ? ~vlo >>> 0 : vlo;
    const hi = sf ? (kind === 'n' ? ~vhi >>> 0 : vhi) : 0;
    return (c: Cpu) => {
      c.lo[d] = lo;
      c.hi[d] = hi;
      c.next();
    };
  };
}

/** SBFM/BFM/UBFM (Arm ARM shared/functions DecodeBitMasks with immediate = FALSE; esize = the register width). */
function bitfield(kind: 's' | 'b' | 'u') {
  return (f: Record<string, number>) => {
    const n = f.Rn === 31 ? ZR : f.Rn!;
    const d = f.Rd === 31 ? SINK : f.Rd!;
    const sf = f.sf === 1;
    const width = sf ? 64 : 32;
    const S = f.imms!;
    const R = f.immr!;
    const levels = width - 1;
    const ones = (k: number): bigint => (1n << BigInt(k)) - 1n;
    const full = ones(width);
    const welem = ones(S + 1);
    const wmask = R === 0 ? welem : ((welem >> BigInt(R)) | (welem << BigInt(width - R))) & full;
    const tmask = ones(((S - R) & levels) + 1);
    const [wl, wh] = halves(wmask);
    const [tl, th] = halves(tmask);
    if (sf) {
      return (c: Cpu) => {
        ror64(c.lo[n]!, c.hi[n]!, R);
        const rl = RL;
        const rh = RH;
        let lo: number;
        let hi: number;
        if (kind === 'u') {
          lo = rl & wl & tl;
          hi = rh & wh & th;
        } else if (kind === 's') {
          const bit = S >= 32 ? (c.hi[n]! >>> (S - 32)) & 1 : (c.lo[n]! >>> S) & 1;
          const top = bit ? 0xffffffff : 0;
          lo = (top & ~tl) | (rl & wl & tl);
          hi = (top & ~th) | (rh & wh & th);
        } else {
          const dl = c.lo[d]!;
          const dh = c.hi[d]!;
          const bl = (dl & ~wl) | (rl & wl);
          const bh = (dh & ~wh) | (rh & wh);
          lo = (dl & ~tl) | (bl & tl);
          hi = (dh & ~th) | (bh & th);
        }
        c.lo[d] = lo >>> 0;
        c.hi[d] = hi >>> 0;
        c.next();
      };
    }
    return (c: Cpu) => {
      const src = c.lo[n]!;
      const r = R === 0 ? src : (src >>> R) | (src << (32 - R));
      let v: number;
      if (kind === 'u') v = r & wl & tl;
      else if (kind === 's') {
        const top = (src >>> S) & 1 ? 0xffffffff : 0;
        v = (top & ~tl) | (r & wl & tl);
      } else {
        const dl = c.lo[d]!;
        const b = (dl & ~wl) | (r & wl);
        v = (dl & ~tl) | (b & tl);
      }
      c.lo[d] = v >>> 0;
      c.hi[d] = 0;
      c.next();
    };
  };
}

/** EXTR: the low bits of Rn:Rm shifted right by imms. */
function extr(f: Record<string, number>) {
  const n = f.Rn === 31 ? ZR : f.Rn!;
  const m = f.Rm === 31 ? ZR : f.Rm!;
  const d = f.Rd === 31 ? SINK : f.Rd!;
  const s = f.imms!;
  if (f.sf) {
    return (c: Cpu) => {
      const ml = c.lo[m]!;
      const mh = c.hi[m]!;
      const nl = c.lo[n]!;
      const nh = c.hi[n]!;
      let lo: number;
      let hi: number;
      if (s === 0) {
        lo = ml;
        hi = mh;
      } else if (s < 32) {
        lo = (ml >>> s) | (mh << (32 - s));
        hi = (mh >>> s) | (nl << (32 - s));
      } else if (s === 32) {
        lo = mh;
        hi = nl;
      } else {
        const t = s - 32;
        lo = (mh >>> t) | (nl << (32 - t));
        hi = (nl >>> t) | (nh << (32 - t));
      }
      c.lo[d] = lo >>> 0;
      c.hi[d] = hi >>> 0;
      c.next();
    };
  }
  return (c: Cpu) => {
    const ml = c.lo[m]!;
    c.lo[d] = s === 0 ? ml : ((ml >>> s) | (c.lo[n]! << (32 - s))) >>> 0;
    c.hi[d] = 0;
    c.next();
  };
}

export const dpImmHandlers: HandlerTable = {
  /** ADR: Rd = PC + imm. */
  ADR(f) {
    const d = f.Rd === 31 ? SINK : f.Rd!;
    const off = sx(f.immhi! * 4 + f.immlo!, 21);
    return (c) => {
      const lo = c.pcLo + off;
      c.lo[d] = lo >>> 0;
      c.hi[d] = lo >= TWO32 ? (c.pcHi + 1) >>> 0 : lo < 0 ? (c.pcHi - 1) >>> 0 : c.pcHi;
      c.next();
    };
  },
  /** ADRP: Rd = (PC & ~0xfff) + imm * 4096. */
  ADRP(f) {
    const d = f.Rd === 31 ? SINK : f.Rd!;
    const off = sx(f.immhi! * 4 + f.immlo!, 21) * 4096;
    return (c) => {
      const lo = (c.pcLo & ~0xfff) >>> 0;
      const s = lo + off;
      c.lo[d] = s >>> 0;
      c.hi[d] = (c.pcHi + Math.floor(s / TWO32)) >>> 0;
      c.next();
    };
  },
  ADD_imm: addSubImm(false, false),
  ADDS_imm: addSubImm(false, true),
  SUB_imm: addSubImm(true, false),
  SUBS_imm: addSubImm(true, true),
  AND_imm: logicalImm('and', false),
  ORR_imm: logicalImm('orr', false),
  EOR_imm: logicalImm('eor', false),
  ANDS_imm: logicalImm('and', true),
  MOVN: moveWide('n'),
  MOVZ: moveWide('z'),
  MOVK: moveWide('k'),
  SBFM: bitfield('s'),
  BFM: bitfield('b'),
  UBFM: bitfield('u'),
  EXTR: extr,
};
