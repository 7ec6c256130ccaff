/**
 * Operand shapes of the loads and stores (Arm ARM C4.1.94), printed and parsed exactly as LLVM 14 does:
 *
 *   transfer registers    w/x (zero register for 31), b/h/s/d/q, CASP's even/odd pairs `x0, x1`
 *   memory operands       `[xN|sp]`, `[xN|sp, #imm]` (offset left out when 0), `[xN|sp, #imm]!`,
 *                         post-index `[xN|sp], #imm`, register offset `[xN, xM, lsl #3]`, `[xN, wM, sxtw]`
 *   prefetch operations   `pldl1keep` … by name, `#imm` for the encodings that have none
 *   SIMD register lists   `{ v0.16b, v1.16b }`, lanes `{ v0.s, v1.s }[1]`, and the structure post-index
 *                         `#imm` (Rm = 31, the transfer size) or `xM`
 *
 * These are self-contained on purpose: the data-processing extended-register operand is a different shape
 * (it has `uxtb`…`sxtx` and a 0-4 amount) and lives in operands/dp.ts.
 */
import type { Cursor, Fields, Operand } from '../types.js';
import { gprName, parseGpr, setField, type FieldParts } from './core.js';
import { immediate, lit, mismatch, peek, skipWs, tryLit, word } from './lex.js';

/** A transfer register: general-purpose (`w`, `x`, 31 = zero register) or SIMD&FP scalar (`b` … `q`). */
export type RegKind = 'w' | 'x' | 'b' | 'h' | 's' | 'd' | 'q';

/** Bytes transferred by one register of each kind (the scale of scaled offsets). */
export const REG_BYTES: Readonly<Record<RegKind, number>> = { w: 4, x: 8, b: 1, h: 2, s: 4, d: 8, q: 16 };

function regName(kind: RegKind, n: number): string {
  if (kind === 'w' || kind === 'x') return gprName(n, kind === 'x', false);
  return `${kind}${n}`;
}

/** Parse a register of one kind; returns its number. */
function parseReg(c: Cursor, kind: RegKind): number {
  const at = c.pos;
  if (kind === 'w' || kind === 'x') {
    const r = parseGpr(c, false);
    if (r.wide !== (kind === 'x')) mismatch(c, `a ${kind} register`, at);
    return r.n;
  }
  const w = word(c, `a ${kind} register`);
  const m = /^([bhsdq])(\d+)$/.exec(w);
  if (!m || m[1] !== kind || Number(m[2]) > 31 || String(Number(m[2])) !== m[2]) {
    c.pos = at;
    mismatch(c, `a ${kind} register (${kind}0-${kind}31)`);
  }
  return Number(m[2]);
}

/** The transfer register in `field` (Rt, Rt2, Rs). */
export function reg(field: string, kind: RegKind): Operand {
  return {
    fields: [field],
    print: (f) => regName(kind, f[field]!),
    parse(c, f) {
      const at = c.pos;
      setField(f, field, parseReg(c, kind), c, at, 'the same register');
    },
  };
}

/**
 * CASP's register pair: the even register in `field` and the next one (`x30, xzr` for 30). An odd
 * register number is unallocated; the row's `invalid` rule says so, the parser refuses it.
 */
export function regPair(field: string, kind: 'w' | 'x'): Operand {
  return {
    fields: [field],
    print: (f) => `${regName(kind, f[field]!)}, ${regName(kind, f[field]! + 1)}`,
    parse(c, f) {
      const at = c.pos;
      const first = parseReg(c, kind);
      if (first % 2 !== 0) mismatch(c, `an even-numbered ${kind} register`, at);
      lit(c, ',');
      const at2 = c.pos;
      if (parseReg(c, kind) !== first + 1)
        mismatch(c, `${regName(kind, first + 1)}, the register after ${regName(kind, first)}`, at2);
      setField(f, field, first, c, at, 'the same register');
    },
  };
}

/** `[` and the base register (x0-x30 or sp); sets `rn`. */
function parseBase(c: Cursor, f: Fields, rn: string): void {
  lit(c, '[');
  const at = c.pos;
  const r = parseGpr(c, true);
  if (!r.wide) mismatch(c, 'a 64-bit base register (x0-x30, sp)', at);
  setField(f, rn, r.n, c, at, 'the same base register');
}

function baseName(f: Fields, rn: string): string {
  return gprName(f[rn]!, true, true);
}

/** How an offset is held in fields: its parts (high first), whether signed, and the bytes per unit. */
export interface OffsetSpec {
  readonly parts: FieldParts;
  readonly signed: boolean;
  readonly scale: number;
}

function partsBits(parts: FieldParts): number {
  return parts.reduce((n, [, w]) => n + w, 0);
}

export function offsetValue(f: Fields, o: OffsetSpec): number {
  let v = 0;
  for (const [name, w] of o.parts) v = v * 2 ** w + f[name]!;
  const bits = partsBits(o.parts);
  if (o.signed && v >= 2 ** (bits - 1)) v -= 2 ** bits;
  return v * o.scale;
}

/** Parse `#imm` as a byte offset and store it in the offset's fields, or mismatch naming the range. */
function parseOffset(c: Cursor, f: Fields, o: OffsetSpec): void {
  const at = c.pos;
  const v = immediate(c, 'an offset like #8');
  const bits = partsBits(o.parts);
  const lo = o.signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const hi = o.signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  const scale = BigInt(o.scale);
  if (v % scale !== 0n || v / scale < lo || v / scale > hi) {
    mismatch(
      c,
      `an offset in [${lo * scale}, ${hi * scale}]${o.scale > 1 ? `, a multiple of ${o.scale}` : ''}`,
      at,
    );
  }
  let q = v / scale;
  if (q < 0n) q += 2n ** BigInt(bits);
  let rest = Number(q);
  for (let i = o.parts.length - 1; i >= 0; i--) {
    const [name, w] = o.parts[i]!;
    setField(f, name, rest % 2 ** w, c, at, 'one offset');
    rest = Math.floor(rest / 2 ** w);
  }
}

function setZeroOffset(f: Fields, o: OffsetSpec, c: Cursor): void {
  for (const [name] of o.parts) setField(f, name, 0, c, c.pos, 'one offset');
}

/**
 * `[xN|sp]`: a base register alone (exclusives, atomics, acquire/release, SIMD structures, and the base of
 * a post-indexed operand). With `zeroOffset`, `[xN, #0]` is accepted on input too, as LLVM does for the
 * exclusive, ordered and LDAPR instructions (but not for CAS, the LSE atomics or SIMD structures).
 */
export function memBase(rn = 'Rn', opts: { zeroOffset?: boolean } = {}): Operand {
  return {
    fields: [rn],
    print: (f) => `[${baseName(f, rn)}]`,
    parse(c, f) {
      parseBase(c, f, rn);
      if (opts.zeroOffset && tryLit(c, ',')) {
        const at = c.pos;
        if (immediate(c, '#0') !== 0n) mismatch(c, 'no offset (or #0)', at);
      }
      lit(c, ']');
    },
  };
}

/** `[xN|sp{, #imm}]`: base plus an immediate offset, printed only when it is not zero. */
export function memOffset(rn: string, o: OffsetSpec): Operand {
  return {
    fields: [rn, ...o.parts.map(([n]) => n)],
    print(f) {
      const v = offsetValue(f, o);
      return v === 0 ? `[${baseName(f, rn)}]` : `[${baseName(f, rn)}, #${v}]`;
    },
    parse(c, f) {
      parseBase(c, f, rn);
      if (tryLit(c, ',')) parseOffset(c, f, o);
      else setZeroOffset(f, o, c);
      lit(c, ']');
    },
  };
}

/** `[xN|sp, #imm]!`: pre-indexed; the offset is always printed, `#0` too. */
export function memPreIndex(rn: string, o: OffsetSpec): Operand {
  return {
    fields: [rn, ...o.parts.map(([n]) => n)],
    print: (f) => `[${baseName(f, rn)}, #${offsetValue(f, o)}]!`,
    parse(c, f) {
      parseBase(c, f, rn);
      lit(c, ',');
      parseOffset(c, f, o);
      lit(c, ']');
      lit(c, '!');
    },
  };
}

/** The `#imm` after a post-indexed `[xN]` (always printed, `#0` too). */
export function postOffset(o: OffsetSpec): Operand {
  return {
    fields: o.parts.map(([n]) => n),
    print: (f) => `#${offsetValue(f, o)}`,
    parse(c, f) {
      parseOffset(c, f, o);
    },
  };
}

/**
 * Register offset `[xN|sp, Rm{, extend {#amount}}]` of LDR/STR (register). `option` picks the index
 * register's width and extension (010 uxtw, 011 lsl, 110 sxtw, 111 sxtx; option<1> = 0 is unallocated) and
 * `S` scales the index by the access size (`shift` = log2 of it). LLVM prints `lsl` only when S = 1, and an
 * amount only when S = 1 — `#0` included for byte accesses, where S = 1 is the only way to tell them apart.
 * On input an amount of 0 for a wider access means S = 0.
 */
export function memRegOffset(rn: string, rm: string, option: string, S: string, shift: number): Operand {
  const EXT: Record<number, string> = { 2: 'uxtw', 3: 'lsl', 6: 'sxtw', 7: 'sxtx' };
  return {
    fields: [rn, rm, option, S],
    print(f) {
      const opt = f[option]!;
      const index = gprName(f[rm]!, (opt & 1) === 1, false);
      const ext = f[S] ? `, ${EXT[opt]} #${shift}` : opt === 3 ? '' : `, ${EXT[opt]}`;
      return `[${baseName(f, rn)}, ${index}${ext}]`;
    },
    parse(c, f) {
      parseBase(c, f, rn);
      lit(c, ',');
      const at = c.pos;
      const r = parseGpr(c, false);
      setField(f, rm, r.n, c, at, 'the same index register');
      let opt = 3;
      let s = 0;
      if (tryLit(c, ',')) {
        const atExt = c.pos;
        const name = word(c, r.wide ? "'lsl' or 'sxtx'" : "'uxtw' or 'sxtw'");
        const v = Number(Object.entries(EXT).find(([, n]) => n === name)?.[0] ?? -1);
        if (v < 0 || (v & 1) !== (r.wide ? 1 : 0))
          mismatch(c, r.wide ? "'lsl' or 'sxtx'" : "'uxtw' or 'sxtw'", atExt);
        opt = v;
        skipWs(c);
        if (peek(c) === '#' || /[0-9]/.test(peek(c))) {
          const atAmt = c.pos;
          const amt = immediate(c, `#0 or #${shift}`);
          if (amt === BigInt(shift)) s = 1;
          else if (amt !== 0n) mismatch(c, `a shift of #0 or #${shift}`, atAmt);
        } else if (name === 'lsl') mismatch(c, `a shift amount (#${shift})`);
      } else if (!r.wide) mismatch(c, "an extend ('uxtw' or 'sxtw') for a w index register");
      setField(f, option, opt, c, at, 'one extend');
      setField(f, S, s, c, at, 'one shift');
      lit(c, ']');
    },
  };
}

/**
 * PRFM's `prfop` (Rt): `<type><target><policy>` — type PLD/PLI/PST (bits 4:3), target L1/L2/L3 (bits 2:1),
 * policy KEEP/STRM (bit 0). Type 11 and target 11 have no names in LLVM 14 and print as `#n`.
 */
export function prfop(field: string): Operand {
  const name = (v: number): string | undefined => {
    const type = ['pld', 'pli', 'pst'][v >> 3];
    const target = (v >> 1) & 3;
    if (type === undefined || target === 3) return undefined;
    return `${type}l${target + 1}${v & 1 ? 'strm' : 'keep'}`;
  };
  const byName = new Map<string, number>();
  for (let v = 0; v < 32; v++) {
    const n = name(v);
    if (n) byName.set(n, v);
  }
  return {
    fields: [field],
    print: (f) => name(f[field]!) ?? `#${f[field]}`,
    parse(c, f) {
      const at = c.pos;
      let v: number | undefined;
      if (peek(c) === '#' || /[0-9]/.test(peek(c))) {
        const n = immediate(c, 'a prefetch operation (#0-#31)');
        if (n < 0n || n > 31n) mismatch(c, 'a prefetch operation number in [0, 31]', at);
        v = Number(n);
      } else {
        v = byName.get(word(c, 'a prefetch operation like pldl1keep'));
        if (v === undefined) mismatch(c, 'a prefetch operation like pldl1keep', at);
      }
      setField(f, field, v, c, at, 'one prefetch operation');
    },
  };
}

// ---- Advanced SIMD load/store structures ----

/** Arrangements by size:Q. */
const ARRANGEMENTS = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];

/** Parse `{ vA.T, vB.T … }` or `{ vA.T-vB.T }` of `count` consecutive (mod 32) registers; returns first and T. */
function parseVecList(c: Cursor, count: number): { first: number; suffix: string } {
  lit(c, '{');
  const regs: { n: number; suffix: string }[] = [];
  const one = (): { n: number; suffix: string } => {
    const at = c.pos;
    const w = word(c, 'a vector register like v0.16b');
    const m = /^v(\d+)\.(\w+)$/.exec(w);
    if (!m || Number(m[1]) > 31 || String(Number(m[1])) !== m[1])
      return mismatch(c, 'a vector register like v0.16b', at);
    return { n: Number(m[1]), suffix: m[2]! };
  };
  regs.push(one());
  if (tryLit(c, '-')) {
    const at = c.pos;
    const last = one();
    if (last.suffix !== regs[0]!.suffix) mismatch(c, 'registers of one arrangement', at);
    for (let n = (regs[0]!.n + 1) % 32; regs.length < 32 && n !== (last.n + 1) % 32; n = (n + 1) % 32) {
      regs.push({ n, suffix: last.suffix });
    }
  } else {
    while (tryLit(c, ',')) {
      const at = c.pos;
      const r = one();
      const prev = regs[regs.length - 1]!;
      if (r.n !== (prev.n + 1) % 32) mismatch(c, 'sequential registers', at);
      if (r.suffix !== prev.suffix) mismatch(c, 'registers of one arrangement', at);
      regs.push(r);
    }
  }
  if (regs.length !== count) mismatch(c, `a list of ${count} register${count > 1 ? 's' : ''}`);
  lit(c, '}');
  return { first: regs[0]!.n, suffix: regs[0]!.suffix };
}

function printVecList(first: number, count: number, suffix: string): string {
  const regs: string[] = [];
  for (let i = 0; i < count; i++) regs.push(`v${(first + i) % 32}.${suffix}`);
  return `{ ${regs.join(', ')} }`;
}

/** `{ v0.16b, v1.16b … }`: `count` registers from `rt`, arrangement from the `size` and `Q` fields. */
export function vecList(count: number, rt = 'Rt', size = 'size', q = 'Q'): Operand {
  return {
    fields: [rt, size, q],
    print: (f) => printVecList(f[rt]!, count, ARRANGEMENTS[f[size]! * 2 + f[q]!]!),
    parse(c, f) {
      const at = c.pos;
      const { first, suffix } = parseVecList(c, count);
      const a = ARRANGEMENTS.indexOf(suffix);
      if (a < 0) mismatch(c, `an arrangement (${ARRANGEMENTS.join(', ')})`, at);
      setField(f, size, a >> 1, c, at, 'one arrangement');
      setField(f, q, a & 1, c, at, 'one arrangement');
      setField(f, rt, first, c, at, 'one register list');
    },
  };
}

/** Where a lane index lives in the fields of a single-structure row (Q:S:size for bytes …). */
export interface LaneIndex {
  readonly fields: readonly string[];
  /** Number of lanes (16 for bytes, 8 for halfwords …). */
  readonly lanes: number;
  get(f: Fields): number;
  set(f: Fields, index: number): Fields;
}

/** `{ v0.s, v1.s }[1]`: `count` registers from `rt` with element `elem`, and a lane index. */
export function laneList(count: number, elem: 'b' | 'h' | 's' | 'd', index: LaneIndex, rt = 'Rt'): Operand {
  return {
    fields: [rt, ...index.fields],
    print: (f) => `${printVecList(f[rt]!, count, elem)}[${index.get(f)}]`,
    parse(c, f) {
      const at = c.pos;
      const { first, suffix } = parseVecList(c, count);
      if (suffix !== elem) mismatch(c, `${elem} elements (v0.${elem})`, at);
      lit(c, '[');
      const atIdx = c.pos;
      skipWs(c);
      const m = /^\d+/.exec(c.text.slice(c.pos));
      if (!m || Number(m[0]) >= index.lanes) mismatch(c, `a lane index in [0, ${index.lanes - 1}]`, atIdx);
      c.pos += m[0].length;
      lit(c, ']');
      setField(f, rt, first, c, at, 'one register list');
      for (const [k, v] of Object.entries(index.set({}, Number(m[0]))))
        setField(f, k, v, c, atIdx, 'one lane');
    },
  };
}

/**
 * The post-index of a structure load/store: `xM`, or `#imm` when Rm = 31, where imm is the number of bytes
 * transferred (fixed by the register list, so the parser checks it rather than stores it).
 */
export function postIndexRm(rm: string, bytes: (f: Fields) => number): Operand {
  return {
    fields: [rm],
    print: (f) => (f[rm] === 31 ? `#${bytes(f)}` : gprName(f[rm]!, true, false)),
    parse(c, f) {
      const at = c.pos;
      if (peek(c) === '#' || /[0-9]/.test(peek(c))) {
        const v = immediate(c, 'a post-index amount');
        if (v !== BigInt(bytes(f))) mismatch(c, `#${bytes(f)} (the bytes transferred) or an x register`, at);
        setField(f, rm, 31, c, at, 'one post-index');
        return;
      }
      // `xzr` (Rm = 31) is accepted and means the same as the immediate.
      const r = parseGpr(c, false);
      if (!r.wide) mismatch(c, 'an x register or the transfer size', at);
      setField(f, rm, r.n, c, at, 'one post-index');
    },
  };
}
