/**
 * Handlers for the branch rows of src/a64/table/branch-sys.ts (Arm ARM C4.1.93): B, BL, B.cond, CBZ/CBNZ,
 * BR, BLR, RET — with the branch-prediction model (cost.ts) and PSTATE.BTYPE for BTI.
 */
import { SINK, SP, ZR, type Cpu } from '../cpu.js';
import { pacAuth, pacKey } from '../pac.js';
import { condHolds, sx } from './alu.js';
import type { HandlerTable } from './types.js';

/** Write the return address (PC + 4) to X30 and push it on the return-stack buffer. */
function link(c: Cpu): void {
  const lo = c.pcLo + 4;
  c.lo[30] = lo >>> 0;
  c.hi[30] = lo >= 4294967296 ? (c.pcHi + 1) >>> 0 : c.pcHi;
  c.pushReturn(lo >>> 0);
}

/**
 * The pointer-authenticated branches: authenticate a copy of Xn (modifier Xm/SP or zero, key A or B) and
 * branch to it; a failed authentication faults (FEAT_FPAC).
 */
function authBranch(kind: 'br' | 'blr' | 'ret', keyB: boolean, mod: 'zero' | 'reg' | 'sp') {
  return (f: Record<string, number>) => {
    const n = kind === 'ret' ? 30 : f.Rn === 31 ? ZR : f.Rn!;
    const m = mod === 'reg' ? f.Rm! : SP;
    const btype = kind === 'blr' ? 2 : n === 16 || n === 17 ? 1 : 3;
    return (c: Cpu) => {
      c.lo[SINK] = c.lo[n]!;
      c.hi[SINK] = c.hi[n]!;
      if (c.machine.options.pac) {
        const key = pacKey(c, keyB);
        const ml = mod === 'zero' ? 0 : c.lo[m]!;
        const mh = mod === 'zero' ? 0 : c.hi[m]!;
        pacAuth(c, SINK, ml, mh, key, kind);
      }
      const lo = c.lo[SINK]!;
      const hi = c.hi[SINK]!;
      if (kind === 'ret') c.popReturn(lo);
      else c.predictIndirect(lo, hi);
      if (kind === 'blr') link(c);
      jumpReg(c, lo, hi);
      if (kind !== 'ret') c.btype = btype;
    };
  };
}

/** TBZ/TBNZ: test bit b5:b40 of Rt. */
function testBranch(nonzero: boolean) {
  return (f: Record<string, number>) => {
    const bit = f.b5! * 32 + f.b40!;
    const t = f.Rt === 31 ? ZR : f.Rt!;
    const off = sx(f.imm14!, 14) * 4;
    const hiHalf = bit >= 32;
    const mask = (1 << (bit & 31)) >>> 0;
    return (c: Cpu) => {
      const set = ((hiHalf ? c.hi[t]! : c.lo[t]!) & mask) !== 0;
      const taken = set === nonzero;
      c.predictCond(taken);
      if (taken) c.branchRel(off);
      else c.next();
    };
  };
}

/** Branch to the 64-bit value in register n. */
function jumpReg(c: Cpu, lo: number, hi: number): void {
  c.pcLo = lo;
  c.pcHi = hi;
}

export const branchHandlers: HandlerTable = {
  TBZ: testBranch(false),
  TBNZ: testBranch(true),
  BRAAZ: authBranch('br', false, 'zero'),
  BRABZ: authBranch('br', true, 'zero'),
  BLRAAZ: authBranch('blr', false, 'zero'),
  BLRABZ: authBranch('blr', true, 'zero'),
  BRAA: authBranch('br', false, 'reg'),
  BRAB: authBranch('br', true, 'reg'),
  BLRAA: authBranch('blr', false, 'reg'),
  BLRAB: authBranch('blr', true, 'reg'),
  RETAA: authBranch('ret', false, 'sp'),
  RETAB: authBranch('ret', true, 'sp'),
  B(f) {
    const off = sx(f.imm26!, 26) * 4;
    return (c) => c.branchRel(off);
  },
  BL(f) {
    const off = sx(f.imm26!, 26) * 4;
    return (c) => {
      link(c);
      c.branchRel(off);
    };
  },
  B_cond(f) {
    const off = sx(f.imm19!, 19) * 4;
    const cond = f.cond!;
    return (c) => {
      const t = condHolds(c, cond);
      c.predictCond(t);
      if (t) c.branchRel(off);
      else c.next();
    };
  },
  CBZ(f) {
    const off = sx(f.imm19!, 19) * 4;
    const t = f.Rt === 31 ? ZR : f.Rt!;
    const wide = f.sf === 1;
    return (c) => {
      const zero = wide ? (c.lo[t]! | c.hi[t]!) === 0 : c.lo[t] === 0;
      c.predictCond(zero);
      if (zero) c.branchRel(off);
      else c.next();
    };
  },
  CBNZ(f) {
    const off = sx(f.imm19!, 19) * 4;
    const t = f.Rt === 31 ? ZR : f.Rt!;
    const wide = f.sf === 1;
    return (c) => {
      const nz = wide ? (c.lo[t]! | c.hi[t]!) !== 0 : c.lo[t] !== 0;
      c.predictCond(nz);
      if (nz) c.branchRel(off);
      else c.next();
    };
  },
  /** BR: BTYPE 01 via x16/x17, else 11. */
  BR(f) {
    const n = f.Rn === 31 ? ZR : f.Rn!;
    const btype = n === 16 || n === 17 ? 1 : 3;
    return (c) => {
      const lo = c.lo[n]!;
      const hi = c.hi[n]!;
      c.predictIndirect(lo, hi);
      jumpReg(c, lo, hi);
      c.btype = btype;
    };
  },
  /** BLR: BTYPE 10. */
  BLR(f) {
    const n = f.Rn === 31 ? ZR : f.Rn!;
    return (c) => {
      const lo = c.lo[n]!;
      const hi = c.hi[n]!;
      c.predictIndirect(lo, hi);
      link(c);
      jumpReg(c, lo, hi);
      c.btype = 2;
    };
  },
  /** RET: no BTYPE (exempt from BTI); predicted by the return-stack buffer. */
  RET(f) {
    const n = f.Rn === 31 ? ZR : f.Rn!;
    return (c) => {
      const lo = c.lo[n]!;
      c.popReturn(lo);
      jumpReg(c, lo, c.hi[n]!);
    };
  },
};
