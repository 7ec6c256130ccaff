/**
 * Scalar bounds: an unsigned range [umin, umax] and a signed range [smin, smax] over 64 bits, kept
 * consistent with each other (each is narrowed by what the other implies). Operations are sound
 * over-approximations; when both operands are constants the result is computed exactly with the
 * interpreter's own ALU functions, so the verifier and the interpreter cannot disagree on constants.
 */
import { ALU32_OPS, ALU64_OPS, byteswapOp, movsx } from '../interp/semantics.js';

export const U64_MAX = (1n << 64n) - 1n;
export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
const U32_MAX = 0xffff_ffffn;

export interface Scalar {
  umin: bigint;
  umax: bigint;
  smin: bigint;
  smax: bigint;
}

export const unknown = (): Scalar => ({ umin: 0n, umax: U64_MAX, smin: S64_MIN, smax: S64_MAX });

export function constant(v: bigint): Scalar {
  const u = BigInt.asUintN(64, v);
  const s = BigInt.asIntN(64, v);
  return { umin: u, umax: u, smin: s, smax: s };
}

export function isConst(s: Scalar): boolean {
  return s.umin === s.umax;
}

/** Make the two ranges agree; returns undefined when they are contradictory (an infeasible branch). */
export function normalize(s: Scalar): Scalar | undefined {
  let { umin, umax, smin, smax } = s;
  if (umin > umax || smin > smax) return undefined;
  // Unsigned range within one sign half → signed range.
  if (umax <= S64_MAX) {
    smin = smin > umin ? smin : umin;
    smax = smax < umax ? smax : umax;
  } else if (umin > S64_MAX) {
    const lo = BigInt.asIntN(64, umin);
    const hi = BigInt.asIntN(64, umax);
    smin = smin > lo ? smin : lo;
    smax = smax < hi ? smax : hi;
  }
  // Signed range within one sign → unsigned range.
  if (smin >= 0n) {
    umin = umin > smin ? umin : smin;
    umax = umax < smax ? umax : smax;
  } else if (smax < 0n) {
    const lo = BigInt.asUintN(64, smin);
    const hi = BigInt.asUintN(64, smax);
    umin = umin > lo ? umin : lo;
    umax = umax < hi ? umax : hi;
  }
  if (umin > umax || smin > smax) return undefined;
  return { umin, umax, smin, smax };
}

const fromU = (lo: bigint, hi: bigint): Scalar =>
  normalize({ umin: lo, umax: hi, smin: S64_MIN, smax: S64_MAX })!;
const fromS = (lo: bigint, hi: bigint): Scalar => normalize({ umin: 0n, umax: U64_MAX, smin: lo, smax: hi })!;
const bitsFor = (v: bigint): bigint => (v === 0n ? 0n : (1n << BigInt(v.toString(2).length)) - 1n);

/** `a op b` on 64 bits (op as in the opcode table: ADD, SUB, MUL, DIV, SDIV, OR, AND, LSH, RSH, NEG, MOD, SMOD, XOR, MOV, ARSH). */
export function alu64(op: string, a: Scalar, b: Scalar): Scalar {
  if (isConst(a) && isConst(b) && ALU64_OPS[op] !== undefined)
    return constant(ALU64_OPS[op]!(a.umin, b.umin));
  switch (op) {
    case 'MOV':
      return b;
    case 'ADD': {
      const u = a.umax + b.umax <= U64_MAX ? fromU(a.umin + b.umin, a.umax + b.umax) : unknown();
      const lo = a.smin + b.smin;
      const hi = a.smax + b.smax;
      const s = lo >= S64_MIN && hi <= S64_MAX ? fromS(lo, hi) : unknown();
      return intersect(u, s);
    }
    case 'SUB': {
      const u = a.umin >= b.umax ? fromU(a.umin - b.umax, a.umax - b.umin) : unknown();
      const lo = a.smin - b.smax;
      const hi = a.smax - b.smin;
      const s = lo >= S64_MIN && hi <= S64_MAX ? fromS(lo, hi) : unknown();
      return intersect(u, s);
    }
    case 'MUL':
      return a.umax <= U32_MAX && b.umax <= U32_MAX ? fromU(a.umin * b.umin, a.umax * b.umax) : unknown();
    case 'DIV':
      return fromU(0n, a.umax);
    case 'MOD':
      return b.umin > 0n ? fromU(0n, a.umax < b.umax - 1n ? a.umax : b.umax - 1n) : fromU(0n, a.umax);
    case 'AND':
      return fromU(0n, a.umax < b.umax ? a.umax : b.umax);
    case 'OR':
    case 'XOR': {
      const m = bitsFor(a.umax > b.umax ? a.umax : b.umax);
      return fromU(op === 'OR' ? (a.umin > b.umin ? a.umin : b.umin) : 0n, m);
    }
    case 'LSH':
      if (isConst(b) && b.umin < 64n && a.umax << b.umin <= U64_MAX)
        return fromU(a.umin << b.umin, a.umax << b.umin);
      return unknown();
    case 'RSH':
      if (isConst(b) && b.umin < 64n) return fromU(a.umin >> b.umin, a.umax >> b.umin);
      return fromU(0n, a.umax);
    case 'ARSH':
      if (isConst(b) && b.umin < 64n) return fromS(a.smin >> b.umin, a.smax >> b.umin);
      return unknown();
    default:
      return unknown(); // NEG, SDIV, SMOD of non-constants
  }
}

/** `a op b` on the low 32 bits, zero-extended to 64. */
export function alu32(op: string, a: Scalar, b: Scalar): Scalar {
  const lo = (s: Scalar): Scalar => (s.umax <= U32_MAX ? s : fromU(0n, U32_MAX));
  const a32 = isConst(a) ? constant(a.umin & U32_MAX) : lo(a);
  const b32 = isConst(b) ? constant(b.umin & U32_MAX) : lo(b);
  if (isConst(a32) && isConst(b32) && ALU32_OPS[op] !== undefined)
    return constant(ALU32_OPS[op]!(a32.umin, b32.umin));
  if (op === 'MOV') return b32;
  const r = alu64(op, a32, b32);
  return r.umax <= U32_MAX && op !== 'NEG' && op !== 'ARSH' && op !== 'SDIV' && op !== 'SMOD'
    ? r
    : fromU(0n, U32_MAX);
}

export function movsxScalar(a: Scalar, from: number, width: 32 | 64): Scalar {
  if (isConst(a)) return constant(movsx(a.umin, from, width));
  if (width === 32) return fromU(0n, U32_MAX);
  const half = 1n << BigInt(from - 1);
  return fromS(-half, half - 1n);
}

export function endScalar(op: string, a: Scalar, width: 16 | 32 | 64): Scalar {
  if (isConst(a)) return constant(byteswapOp(op, a.umin, width));
  return width === 64 ? unknown() : fromU(0n, (1n << BigInt(width)) - 1n);
}

/** A value loaded from memory: `size` bytes, zero- or sign-extended. */
export function loaded(size: number, signExtend: boolean): Scalar {
  if (size === 8) return unknown();
  const bits = BigInt(size * 8);
  if (signExtend) return fromS(-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n);
  return fromU(0n, (1n << bits) - 1n);
}

export function intersect(a: Scalar, b: Scalar): Scalar {
  return (
    normalize({
      umin: a.umin > b.umin ? a.umin : b.umin,
      umax: a.umax < b.umax ? a.umax : b.umax,
      smin: a.smin > b.smin ? a.smin : b.smin,
      smax: a.smax < b.smax ? a.smax : b.smax,
    }) ?? a
  );
}

export function contains(outer: Scalar, inner: Scalar): boolean {
  return (
    outer.umin <= inner.umin &&
    outer.umax >= inner.umax &&
    outer.smin <= inner.smin &&
    outer.smax >= inner.smax
  );
}

/**
 * Refine `a` and `b` for the branch where `a op b` holds (taken = true) or fails. Returns undefined when that
 * branch is impossible. Ops: JEQ JNE JGT JGE JLT JLE JSGT JSGE JSLT JSLE JSET.
 */
export function refine(op: string, a: Scalar, b: Scalar, taken: boolean): [Scalar, Scalar] | undefined {
  const neg: Record<string, string> = {
    JEQ: 'JNE',
    JNE: 'JEQ',
    JGT: 'JLE',
    JLE: 'JGT',
    JGE: 'JLT',
    JLT: 'JGE',
    JSGT: 'JSLE',
    JSLE: 'JSGT',
    JSGE: 'JSLT',
    JSLT: 'JSGE',
  };
  if (!taken) {
    if (op === 'JSET') {
      if (isConst(a) && isConst(b)) return (a.umin & b.umin) === 0n ? [a, b] : undefined;
      return [a, b];
    }
    op = neg[op]!;
  }
  const n = (s: Scalar | undefined): Scalar | undefined => (s === undefined ? undefined : normalize(s));
  const pair = (x: Scalar | undefined, y: Scalar | undefined): [Scalar, Scalar] | undefined => {
    const nx = n(x);
    const ny = n(y);
    return nx && ny ? [nx, ny] : undefined;
  };
  const max = (p: bigint, q: bigint): bigint => (p > q ? p : q);
  const min = (p: bigint, q: bigint): bigint => (p < q ? p : q);
  switch (op) {
    case 'JEQ': {
      const r = normalize({
        umin: max(a.umin, b.umin),
        umax: min(a.umax, b.umax),
        smin: max(a.smin, b.smin),
        smax: min(a.smax, b.smax),
      });
      return r ? [r, r] : undefined;
    }
    case 'JNE': {
      if (isConst(a) && isConst(b) && a.umin === b.umin) return undefined;
      const cut = (x: Scalar, c: Scalar): Scalar | undefined => {
        if (!isConst(c)) return x;
        const v = c.umin;
        const y = { ...x };
        if (y.umin === v) y.umin = v + 1n;
        if (y.umax === v) y.umax = v - 1n;
        const sv = c.smin;
        if (y.smin === sv) y.smin = sv + 1n;
        if (y.smax === sv) y.smax = sv - 1n;
        return y;
      };
      return pair(cut(a, b), cut(b, a));
    }
    case 'JGT':
      return pair({ ...a, umin: max(a.umin, b.umin + 1n) }, { ...b, umax: min(b.umax, a.umax - 1n) });
    case 'JGE':
      return pair({ ...a, umin: max(a.umin, b.umin) }, { ...b, umax: min(b.umax, a.umax) });
    case 'JLT':
      return pair({ ...a, umax: min(a.umax, b.umax - 1n) }, { ...b, umin: max(b.umin, a.umin + 1n) });
    case 'JLE':
      return pair({ ...a, umax: min(a.umax, b.umax) }, { ...b, umin: max(b.umin, a.umin) });
    case 'JSGT':
      return pair({ ...a, smin: max(a.smin, b.smin + 1n) }, { ...b, smax: min(b.smax, a.smax - 1n) });
    case 'JSGE':
      return pair({ ...a, smin: max(a.smin, b.smin) }, { ...b, smax: min(b.smax, a.smax) });
    case 'JSLT':
      return pair({ ...a, smax: min(a.smax, b.smax - 1n) }, { ...b, smin: max(b.smin, a.smin + 1n) });
    case 'JSLE':
      return pair({ ...a, smax: min(a.smax, b.smax) }, { ...b, smin: max(b.smin, a.smin) });
    case 'JSET':
      if (isConst(a) && isConst(b)) return (a.umin & b.umin) !== 0n ? [a, b] : undefined;
      if (isConst(b) && b.umin !== 0n && a.umax < (b.umin & -b.umin)) return undefined;
      return [a, b];
    default:
      return [a, b];
  }
}

export function formatScalar(s: Scalar): string {
  if (isConst(s)) return s.smin < 0n ? `${s.smin}` : `${s.umin}`;
  const parts: string[] = [];
  if (s.smin !== S64_MIN) parts.push(`smin=${s.smin}`);
  if (s.smax !== S64_MAX) parts.push(`smax=${s.smax}`);
  if (s.umin !== 0n) parts.push(`umin=${s.umin}`);
  if (s.umax !== U64_MAX) parts.push(`umax=${s.umax}`);
  return parts.length ? `scalar(${parts.join(',')})` : 'scalar()';
}
