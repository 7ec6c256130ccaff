/**
 * Handlers for the single-register and pair rows of src/a64/table/ldst.ts and ldst-pair.ts (Arm ARM
 * C4.1.94): LDR/STR and their byte, halfword and sign-extending variants in every addressing form
 * (unsigned offset, unscaled, pre/post-index, register offset, literal, unprivileged — which at EL1 behaves
 * as the normal access), PRFM/PRFUM as no-ops, LDP/STP/LDPSW/LDNP/STNP, and the SIMD&FP register forms
 * (b/h/s/d/q; loads zero the rest of the 128-bit register), LDRAA/LDRAB. Base writeback happens after the
 * access; a faulting access writes nothing back.
 *
 * The shared pieces (transfer closures, the store that clears other CPUs' exclusive monitors) are exported
 * for ldst-atomic.ts.
 */
import { SINK, ZR, type Cpu, type Exec } from '../cpu.js';
import { MachineFault } from '../faults.js';
import { pacAuth, pacKey } from '../pac.js';
import { sx } from './alu.js';
import type { Compile, HandlerTable } from './types.js';

const TWO32 = 4294967296;

/** Register index of a general-purpose transfer register: 31 is the zero register (read) / sink (write). */
export const rd = (r: number): number => (r === 31 ? SINK : r);
export const rs = (r: number): number => (r === 31 ? ZR : r);

/** eaHi:eaLo += k (0 ≤ k < 2^32). */
export function bump(c: Cpu, k: number): void {
  const lo = c.eaLo + k;
  if (lo >= TWO32) {
    c.eaLo = lo - TWO32;
    c.eaHi = (c.eaHi + 1) >>> 0;
  } else c.eaLo = lo;
}

/** Clear the exclusive monitors of the other CPUs that cover [ea, ea + size). */
function snoop(c: Cpu, size: number): void {
  const cpus = c.machine.cpus;
  const lo = c.eaLo;
  const hi = c.eaHi;
  for (let i = 0; i < cpus.length; i++) {
    const o = cpus[i]!;
    if (o === c || o.exclusiveLo === -1 || o.exclusiveHi !== hi) continue;
    if (lo < o.exclusiveLo + o.exclusiveSize && o.exclusiveLo < lo + size) o.exclusiveLo = -1;
  }
}

/** Store through the CPU, clearing any other CPU's exclusive monitor on the location. */
export function st(c: Cpu, size: number, vlo: number, vhi: number): void {
  c.store(size, vlo, vhi);
  if (c.machine.cpus.length > 1) snoop(c, size);
}

/** Fault unless eaLo is a multiple of `size` (exclusives, atomics, acquire/release). */
export function aligned(c: Cpu, size: number, what: string): void {
  if (c.eaLo & (size - 1)) {
    throw new MachineFault(
      'AlignmentFault',
      `${what}: address 0x${c.eaBig().toString(16)} is not ${size}-byte aligned`,
    );
  }
}

/** How a general-purpose load extends: zero, sign to 32 bits (W), sign to 64 bits (X). */
export type Ext = 'u' | 's32' | 's64';

/** Load `size` bytes at ea into register t with extension `ext`. */
export function loadGp(t: number, size: number, ext: Ext): Exec {
  if (ext === 'u') {
    return (c) => {
      c.load(size);
      c.lo[t] = c.rlo;
      c.hi[t] = c.rhi;
    };
  }
  const sh = 32 - size * 8;
  const to64 = ext === 's64';
  return (c) => {
    c.load(size);
    const v = sh ? (c.rlo << sh) >> sh : c.rlo | 0;
    c.lo[t] = v >>> 0;
    c.hi[t] = to64 && v < 0 ? 0xffffffff : 0;
  };
}

export function storeGp(t: number, size: number): Exec {
  return (c) => st(c, size, c.lo[t]!, c.hi[t]!);
}

/** SIMD&FP load of `bytes` (1–16) into V[t], zeroing the rest. */
function loadFp(t: number, bytes: number): Exec {
  const b = t * 4;
  return (c) => {
    const v = c.vreg;
    if (bytes === 16) {
      c.load(8);
      const l0 = c.rlo;
      const l1 = c.rhi;
      bump(c, 8);
      c.load(8);
      v[b] = l0;
      v[b + 1] = l1;
      v[b + 2] = c.rlo;
      v[b + 3] = c.rhi;
      return;
    }
    c.load(bytes);
    v[b] = c.rlo;
    v[b + 1] = c.rhi;
    v[b + 2] = 0;
    v[b + 3] = 0;
  };
}

function storeFp(t: number, bytes: number): Exec {
  const b = t * 4;
  return (c) => {
    const v = c.vreg;
    if (bytes === 16) {
      st(c, 8, v[b]!, v[b + 1]!);
      bump(c, 8);
      st(c, 8, v[b + 2]!, v[b + 3]!);
      return;
    }
    st(c, bytes, v[b]!, v[b + 1]!);
  };
}

type Kind = 'st' | Ext | 'prf' | 'fld' | 'fst';

/** The transfer of one register at ea (ea may be advanced for 16-byte transfers). */
function transfer(kind: Kind, rt: number, bytes: number): Exec {
  switch (kind) {
    case 'st':
      return storeGp(rs(rt), bytes);
    case 'fld':
      return loadFp(rt, bytes);
    case 'fst':
      return storeFp(rt, bytes);
    case 'prf':
      return () => {};
    default:
      return loadGp(rd(rt), bytes, kind);
  }
}

// ---------------------------------------------------------------- addressing forms

/** [Xn|SP, #off]. */
export function atOffset(n: number, off: number, x: Exec): Exec {
  return (c) => {
    c.addr(n, off);
    x(c);
    c.next();
  };
}

/** [Xn|SP, #off]!: access at Xn + off, then Xn = Xn + off. */
function preIndex(n: number, off: number, x: Exec): Exec {
  return (c) => {
    c.addr(n, off);
    const lo = c.eaLo;
    const hi = c.eaHi;
    x(c);
    c.lo[n] = lo;
    c.hi[n] = hi;
    c.next();
  };
}

/** [Xn|SP], #off: access at Xn, then Xn = Xn + off. */
function postIndex(n: number, off: number, x: Exec): Exec {
  return (c) => {
    c.addr(n, off);
    const lo = c.eaLo;
    const hi = c.eaHi;
    c.eaLo = c.lo[n]!;
    c.eaHi = c.hi[n]!;
    x(c);
    c.lo[n] = lo;
    c.hi[n] = hi;
    c.next();
  };
}

/** [Xn|SP, (W|X)m{, extend {#amount}}]: option 010 UXTW, 011 LSL/UXTX, 110 SXTW, 111 SXTX. */
function regOffset(n: number, m: number, option: number, sh: number, x: Exec): Exec {
  const sxtw = option === 6;
  const w = (option & 1) === 0;
  return (c) => {
    let ml = c.lo[m]!;
    let mh = w ? (sxtw && ml >= 0x80000000 ? 0xffffffff : 0) : c.hi[m]!;
    if (sh) {
      mh = ((mh << sh) | (ml >>> (32 - sh))) >>> 0;
      ml = (ml << sh) >>> 0;
    }
    const s = c.lo[n]! + ml;
    c.eaLo = s >>> 0;
    c.eaHi = (c.hi[n]! + mh + (s >= TWO32 ? 1 : 0)) >>> 0;
    x(c);
    c.next();
  };
}

/** PC + imm19 * 4. */
function literal(off: number, x: Exec): Exec {
  return (c) => {
    const lo = c.pcLo + off;
    c.eaLo = lo >>> 0;
    c.eaHi = lo >= TWO32 ? (c.pcHi + 1) >>> 0 : lo < 0 ? (c.pcHi - 1) >>> 0 : c.pcHi;
    x(c);
    c.next();
  };
}

// ---------------------------------------------------------------- rows

interface V {
  insn: string;
  unscaled: string;
  unpriv?: string;
  suffix: string;
  kind: Kind;
  bytes: number;
}

const g = (
  insn: string,
  unscaled: string,
  unpriv: string | undefined,
  suffix: string,
  kind: Kind,
  bytes: number,
): V => ({
  insn,
  unscaled,
  unpriv,
  suffix,
  kind,
  bytes,
});
const f = (insn: 'LDR' | 'STR', k: string, bytes: number): V => ({
  insn,
  unscaled: insn === 'LDR' ? 'LDUR' : 'STUR',
  suffix: `_${k}`,
  kind: insn === 'LDR' ? 'fld' : 'fst',
  bytes,
});

/** As VARIANTS in src/a64/table/ldst.ts. */
const VARIANTS: readonly V[] = [
  g('STRB', 'STURB', 'STTRB', '', 'st', 1),
  g('LDRB', 'LDURB', 'LDTRB', '', 'u', 1),
  g('LDRSB', 'LDURSB', 'LDTRSB', '_64', 's64', 1),
  g('LDRSB', 'LDURSB', 'LDTRSB', '_32', 's32', 1),
  g('STRH', 'STURH', 'STTRH', '', 'st', 2),
  g('LDRH', 'LDURH', 'LDTRH', '', 'u', 2),
  g('LDRSH', 'LDURSH', 'LDTRSH', '_64', 's64', 2),
  g('LDRSH', 'LDURSH', 'LDTRSH', '_32', 's32', 2),
  g('STR', 'STUR', 'STTR', '_32', 'st', 4),
  g('LDR', 'LDUR', 'LDTR', '_32', 'u', 4),
  g('LDRSW', 'LDURSW', 'LDTRSW', '', 's64', 4),
  g('STR', 'STUR', 'STTR', '_64', 'st', 8),
  g('LDR', 'LDUR', 'LDTR', '_64', 'u', 8),
  g('PRFM', 'PRFUM', undefined, '', 'prf', 8),
  f('STR', 'b', 1),
  f('LDR', 'b', 1),
  f('STR', 'q', 16),
  f('LDR', 'q', 16),
  f('STR', 'h', 2),
  f('LDR', 'h', 2),
  f('STR', 's', 4),
  f('LDR', 's', 4),
  f('STR', 'd', 8),
  f('LDR', 'd', 8),
];

const single: Record<string, Compile> = {};
for (const v of VARIANTS) {
  const x = (fl: Record<string, number>) => transfer(v.kind, fl.Rt!, v.bytes);
  single[`${v.insn}_uimm${v.suffix}`] = (fl) => atOffset(fl.Rn!, fl.imm12! * v.bytes, x(fl));
  single[`${v.unscaled}${v.suffix}`] = (fl) => atOffset(fl.Rn!, sx(fl.imm9!, 9), x(fl));
  if (v.unpriv) single[`${v.unpriv}${v.suffix}`] = (fl) => atOffset(fl.Rn!, sx(fl.imm9!, 9), x(fl));
  single[`${v.insn}_reg${v.suffix}`] = (fl) =>
    regOffset(fl.Rn!, rs(fl.Rm!), fl.option!, fl.S ? Math.log2(v.bytes) : 0, x(fl));
  if (v.kind !== 'prf') {
    single[`${v.insn}_pre${v.suffix}`] = (fl) => preIndex(fl.Rn!, sx(fl.imm9!, 9), x(fl));
    single[`${v.insn}_post${v.suffix}`] = (fl) => postIndex(fl.Rn!, sx(fl.imm9!, 9), x(fl));
  }
}

const lit =
  (kind: Kind, bytes: number): Compile =>
  (fl) =>
    literal(sx(fl.imm19!, 19) * 4, transfer(kind, fl.Rt!, bytes));

// ---------------------------------------------------------------- pairs

const PAIRS: readonly { insn: string; suffix: string; kind: Kind; bytes: number }[] = [
  { insn: 'STP', suffix: '_32', kind: 'st', bytes: 4 },
  { insn: 'LDP', suffix: '_32', kind: 'u', bytes: 4 },
  { insn: 'LDPSW', suffix: '', kind: 's64', bytes: 4 },
  { insn: 'STP', suffix: '_64', kind: 'st', bytes: 8 },
  { insn: 'LDP', suffix: '_64', kind: 'u', bytes: 8 },
  { insn: 'STP', suffix: '_s', kind: 'fst', bytes: 4 },
  { insn: 'LDP', suffix: '_s', kind: 'fld', bytes: 4 },
  { insn: 'STP', suffix: '_d', kind: 'fst', bytes: 8 },
  { insn: 'LDP', suffix: '_d', kind: 'fld', bytes: 8 },
  { insn: 'STP', suffix: '_q', kind: 'fst', bytes: 16 },
  { insn: 'LDP', suffix: '_q', kind: 'fld', bytes: 16 },
];

const pairs: Record<string, Compile> = {};
for (const p of PAIRS) {
  const both = (fl: Record<string, number>): Exec => {
    const a = transfer(p.kind, fl.Rt!, p.bytes);
    const b = transfer(p.kind, fl.Rt2!, p.bytes);
    // A 16-byte transfer has already advanced ea by 8.
    const step = p.bytes === 16 ? 8 : p.bytes;
    return (c) => {
      a(c);
      bump(c, step);
      b(c);
    };
  };
  const off = (fl: Record<string, number>) => sx(fl.imm7!, 7) * p.bytes;
  pairs[`${p.insn}_off${p.suffix}`] = (fl) => atOffset(fl.Rn!, off(fl), both(fl));
  pairs[`${p.insn}_pre${p.suffix}`] = (fl) => preIndex(fl.Rn!, off(fl), both(fl));
  pairs[`${p.insn}_post${p.suffix}`] = (fl) => postIndex(fl.Rn!, off(fl), both(fl));
  if (p.insn !== 'LDPSW')
    pairs[`${p.insn.replace('P', 'NP')}${p.suffix}`] = (fl) => atOffset(fl.Rn!, off(fl), both(fl));
}

/**
 * LDRAA/LDRAB: authenticate a copy of Xn|SP with data key A/B and a zero modifier (a failure faults, as
 * with FEAT_FPAC), load 64 bits at it + S:imm9 * 8; W = 1 writes the address back. The data keys are the
 * CPU's data keys (pac.ts pacKey), as PACDA/AUTDA in dp-reg.ts use. Without PAC the pointer is used as it is.
 */
function ldra(keyB: boolean, writeback: boolean): Compile {
  return (fl) => {
    const n = fl.Rn!;
    const t = rd(fl.Rt!);
    const off = sx(fl.S! * 512 + fl.imm9!, 10) * 8;
    const what = keyB ? 'ldrab' : 'ldraa';
    return (c) => {
      c.lo[SINK] = c.lo[n]!;
      c.hi[SINK] = c.hi[n]!;
      if (c.machine.options.pac) {
        pacAuth(c, SINK, 0, 0, pacKey(c, keyB, true), what);
      }
      c.addr(SINK, off);
      const lo = c.eaLo;
      const hi = c.eaHi;
      c.load(8);
      c.lo[t] = c.rlo;
      c.hi[t] = c.rhi;
      if (writeback) {
        c.lo[n] = lo;
        c.hi[n] = hi;
      }
      c.next();
    };
  };
}

export const ldstHandlers: HandlerTable = {
  LDRAA_off: ldra(false, false),
  LDRAA_pre: ldra(false, true),
  LDRAB_off: ldra(true, false),
  LDRAB_pre: ldra(true, true),
  ...single,
  ...pairs,
  LDR_lit_32: lit('u', 4),
  LDR_lit_64: lit('u', 8),
  LDRSW_lit: lit('s64', 4),
  PRFM_lit: lit('prf', 8),
  LDR_lit_s: lit('fld', 4),
  LDR_lit_d: lit('fld', 8),
  LDR_lit_q: lit('fld', 16),
};
