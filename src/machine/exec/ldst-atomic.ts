/**
 * Handlers for src/a64/table/ldst-atomic.ts (Arm ARM C4.1.94): exclusives with the local monitor
 * (LDXR/LDAXR/STXR/STLXR B/H/W/X, LDXP/LDAXP/STXP/STLXP), load-acquire/store-release (LDAR, STLR, LDLAR,
 * STLLR, LDAPR, LDAPUR*, STLUR*), compare-and-swap (CAS*, CASP*) and the LSE atomic memory operations
 * (LD<op>, SWP; ST<op> are the same rows with Rt = XZR). The machine runs CPUs one at a time, so every
 * instruction is atomic and the orderings (A/L) need nothing beyond the access itself.
 *
 * The monitor: a load-exclusive arms (address, size); a store-exclusive succeeds (status 0) only when the
 * monitor is armed for exactly that address and size, and always disarms it. Stores by other CPUs through
 * the load/store handlers clear a monitor they overlap (see `st` in ldst.ts).
 */
import type { Cpu, Exec } from '../cpu.js';
import { sx } from './alu.js';
import { aligned, atOffset, bump, loadGp, rd, rs, st, storeGp, type Ext } from './ldst.js';
import type { Compile, HandlerTable } from './types.js';

const TWO32 = 4294967296;

const SIZES = [
  { row: 'B', bytes: 1 },
  { row: 'H', bytes: 2 },
  { row: '_32', bytes: 4 },
  { row: '_64', bytes: 8 },
] as const;

/** Base-register-only access with an alignment check. */
function based(n: number, bytes: number, what: string, x: Exec): Exec {
  return (c) => {
    c.addr(n, 0);
    aligned(c, bytes, what);
    x(c);
    c.next();
  };
}

function arm(c: Cpu, size: number): void {
  c.exclusiveLo = c.eaLo;
  c.exclusiveHi = c.eaHi;
  c.exclusiveSize = size;
}

/** Is the monitor armed for ea and `size`? Disarms it either way. */
function claim(c: Cpu, size: number): boolean {
  const ok = c.exclusiveLo === c.eaLo && c.exclusiveHi === c.eaHi && c.exclusiveSize === size;
  c.exclusiveLo = -1;
  return ok;
}

const handlers: Record<string, Compile> = {};

for (const s of SIZES) {
  const b = s.bytes;
  for (const insn of ['LDXR', 'LDAXR']) {
    handlers[`${insn}${s.row}`] = (f) => {
      const ld = loadGp(rd(f.Rt!), b, 'u');
      return based(f.Rn!, b, insn, (c) => {
        ld(c);
        arm(c, b);
      });
    };
  }
  for (const insn of ['STXR', 'STLXR']) {
    handlers[`${insn}${s.row}`] = (f) => {
      const t = rs(f.Rt!);
      const status = rd(f.Rs!);
      return based(f.Rn!, b, insn, (c) => {
        if (claim(c, b)) {
          st(c, b, c.lo[t]!, c.hi[t]!);
          c.lo[status] = 0;
        } else c.lo[status] = 1;
        c.hi[status] = 0;
      });
    };
  }
  for (const insn of ['LDAR', 'LDLAR', 'LDAPR']) {
    handlers[`${insn}${s.row}`] = (f) => based(f.Rn!, b, insn, loadGp(rd(f.Rt!), b, 'u'));
  }
  for (const insn of ['STLR', 'STLLR']) {
    handlers[`${insn}${s.row}`] = (f) => based(f.Rn!, b, insn, storeGp(rs(f.Rt!), b));
  }
}

// Exclusive pairs: the monitor covers both registers (8 or 16 bytes).
for (const w of [32, 64]) {
  const b = w / 8;
  for (const insn of ['LDXP', 'LDAXP']) {
    handlers[`${insn}_${w}`] = (f) => {
      const l1 = loadGp(rd(f.Rt!), b, 'u');
      const l2 = loadGp(rd(f.Rt2!), b, 'u');
      return based(f.Rn!, 2 * b, insn, (c) => {
        arm(c, 2 * b);
        l1(c);
        bump(c, b);
        l2(c);
      });
    };
  }
  for (const insn of ['STXP', 'STLXP']) {
    handlers[`${insn}_${w}`] = (f) => {
      const t = rs(f.Rt!);
      const t2 = rs(f.Rt2!);
      const status = rd(f.Rs!);
      return based(f.Rn!, 2 * b, insn, (c) => {
        if (claim(c, 2 * b)) {
          st(c, b, c.lo[t]!, c.hi[t]!);
          bump(c, b);
          st(c, b, c.lo[t2]!, c.hi[t2]!);
          c.lo[status] = 0;
        } else c.lo[status] = 1;
        c.hi[status] = 0;
      });
    };
  }
}

// LDAPUR/STLUR (unscaled immediate): as LDUR/STUR (no alignment requirement with FEAT_LSE2; we don't check).
const RCPC: readonly [string, number, 'st' | Ext][] = [
  ['STLURB', 1, 'st'],
  ['LDAPURB', 1, 'u'],
  ['LDAPURSB_64', 1, 's64'],
  ['LDAPURSB_32', 1, 's32'],
  ['STLURH', 2, 'st'],
  ['LDAPURH', 2, 'u'],
  ['LDAPURSH_64', 2, 's64'],
  ['LDAPURSH_32', 2, 's32'],
  ['STLUR_32', 4, 'st'],
  ['LDAPUR_32', 4, 'u'],
  ['LDAPURSW', 4, 's64'],
  ['STLUR_64', 8, 'st'],
  ['LDAPUR_64', 8, 'u'],
];
for (const [name, b, k] of RCPC) {
  handlers[name] = (f) =>
    atOffset(f.Rn!, sx(f.imm9!, 9), k === 'st' ? storeGp(rs(f.Rt!), b) : loadGp(rd(f.Rt!), b, k));
}

// ---------------------------------------------------------------- LSE

/** new = op(old, operand) on `bytes`-wide values held as 32-bit halves; result into c.rlo/c.rhi. */
type Op = (c: Cpu, olo: number, ohi: number, slo: number, shi: number, bytes: number) => void;

/** Signed/unsigned compare of two values of `bytes` width: negative, zero or positive. */
function cmp(alo: number, ahi: number, blo: number, bhi: number, bytes: number, signed: boolean): number {
  if (bytes === 8) {
    const ah = signed ? ahi | 0 : ahi;
    const bh = signed ? bhi | 0 : bhi;
    if (ah !== bh) return ah < bh ? -1 : 1;
    return alo === blo ? 0 : alo < blo ? -1 : 1;
  }
  const sh = 32 - bytes * 8;
  let a: number;
  let b: number;
  if (signed) {
    a = (alo << sh) >> sh;
    b = (blo << sh) >> sh;
  } else {
    a = ((alo << sh) >>> sh) >>> 0;
    b = ((blo << sh) >>> sh) >>> 0;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

const pick = (c: Cpu, lo: number, hi: number): void => {
  c.rlo = lo;
  c.rhi = hi;
};

const OPS: Record<string, Op> = {
  ADD(c, ol, oh, sl, sh) {
    const l = ol + sl;
    c.rlo = l >>> 0;
    c.rhi = (oh + sh + (l >= TWO32 ? 1 : 0)) >>> 0;
  },
  CLR: (c, ol, oh, sl, sh) => pick(c, (ol & ~sl) >>> 0, (oh & ~sh) >>> 0),
  EOR: (c, ol, oh, sl, sh) => pick(c, (ol ^ sl) >>> 0, (oh ^ sh) >>> 0),
  SET: (c, ol, oh, sl, sh) => pick(c, (ol | sl) >>> 0, (oh | sh) >>> 0),
  SMAX: (c, ol, oh, sl, sh, b) => (cmp(ol, oh, sl, sh, b, true) >= 0 ? pick(c, ol, oh) : pick(c, sl, sh)),
  SMIN: (c, ol, oh, sl, sh, b) => (cmp(ol, oh, sl, sh, b, true) <= 0 ? pick(c, ol, oh) : pick(c, sl, sh)),
  UMAX: (c, ol, oh, sl, sh, b) => (cmp(ol, oh, sl, sh, b, false) >= 0 ? pick(c, ol, oh) : pick(c, sl, sh)),
  UMIN: (c, ol, oh, sl, sh, b) => (cmp(ol, oh, sl, sh, b, false) <= 0 ? pick(c, ol, oh) : pick(c, sl, sh)),
  SWP: (c, _ol, _oh, sl, sh) => pick(c, sl, sh),
};

const ORDER = ['', 'A', 'AL', 'L'];

for (const [op, fn] of Object.entries(OPS)) {
  const stem = op === 'SWP' ? 'SWP' : `LD${op}`;
  for (const o of ORDER) {
    for (const s of SIZES) {
      const b = s.bytes;
      const name = `${stem}${o}${s.row}`;
      handlers[name] = (f) => {
        const src = rs(f.Rs!);
        const t = rd(f.Rt!);
        return based(f.Rn!, b, name, (c) => {
          const sl = c.lo[src]!;
          const sh = b === 8 ? c.hi[src]! : 0;
          c.load(b);
          const ol = c.rlo;
          const oh = c.rhi;
          fn(c, ol, oh, sl, sh, b);
          st(c, b, c.rlo, c.rhi);
          c.lo[t] = ol;
          c.hi[t] = oh;
        });
      };
    }
  }
}

// CAS: Rs = compare value, receives the old value; Rt = new value.
const mask = (b: number): number => (b >= 4 ? 0xffffffff : (1 << (b * 8)) - 1);
for (const insn of ['CAS', 'CASA', 'CASL', 'CASAL']) {
  for (const s of SIZES) {
    const b = s.bytes;
    const m = mask(b);
    handlers[`${insn}${s.row}`] = (f) => {
      const cmpR = rs(f.Rs!);
      const res = rd(f.Rs!);
      const t = rs(f.Rt!);
      return based(f.Rn!, b, insn, (c) => {
        const el = (c.lo[cmpR]! & m) >>> 0;
        const eh = b === 8 ? c.hi[cmpR]! : 0;
        const nl = c.lo[t]!;
        const nh = c.hi[t]!;
        c.load(b);
        const ol = c.rlo;
        const oh = c.rhi;
        if (ol === el && oh === eh) st(c, b, nl, nh);
        c.lo[res] = ol;
        c.hi[res] = oh;
      });
    };
  }
}

// CASP: pairs <Rs, Rs+1> and <Rt, Rt+1> (even registers), 2×32 or 2×64 bits.
for (const insn of ['CASP', 'CASPA', 'CASPL', 'CASPAL']) {
  for (const w of [32, 64]) {
    const b = w / 8;
    handlers[`${insn}_${w}`] = (f) => {
      const s0 = rs(f.Rs!);
      const s1 = rs(f.Rs! + 1);
      const d0 = rd(f.Rs!);
      const d1 = rd(f.Rs! + 1);
      const t0 = rs(f.Rt!);
      const t1 = rs(f.Rt! + 1);
      return based(f.Rn!, 2 * b, insn, (c) => {
        const e0l = c.lo[s0]!;
        const e0h = b === 8 ? c.hi[s0]! : 0;
        const e1l = c.lo[s1]!;
        const e1h = b === 8 ? c.hi[s1]! : 0;
        const n0l = c.lo[t0]!;
        const n0h = c.hi[t0]!;
        const n1l = c.lo[t1]!;
        const n1h = c.hi[t1]!;
        const lo = c.eaLo;
        const hi = c.eaHi;
        c.load(b);
        const o0l = c.rlo;
        const o0h = c.rhi;
        bump(c, b);
        c.load(b);
        const o1l = c.rlo;
        const o1h = c.rhi;
        if (o0l === e0l && o0h === e0h && o1l === e1l && o1h === e1h) {
          c.eaLo = lo;
          c.eaHi = hi;
          st(c, b, n0l, n0h);
          bump(c, b);
          st(c, b, n1l, n1h);
        }
        c.lo[d0] = o0l;
        c.hi[d0] = o0h;
        c.lo[d1] = o1l;
        c.hi[d1] = o1h;
      });
    };
  }
}

export const ldstAtomicHandlers: HandlerTable = handlers;
