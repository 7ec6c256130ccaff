/**
 * Operand shapes of the SIMD&FP classes (C4.1.96): vector registers with arrangements (`v0.16b`), scalar
 * SIMD&FP registers (`q0`, `d1`, `s2`, `h3`, `b4`), elements (`v0.s[1]`), register lists
 * (`{ v0.16b, v1.16b }`), the FP 8-bit immediate, the Advanced SIMD modified immediates and the
 * shift-by-immediate amounts, each printed exactly as LLVM 14 prints it.
 *
 * A `Layout` says how the fields choose a register's shape: `lay([['size', 2], ['Q', 1]], ['8b', '16b', …])`
 * reads size:Q as an index into the list; an `undefined` slot is a reserved combination, and a row built
 * with `simdRow` rejects it at decode (its `invalid` is derived from the operands). Some layouts cannot
 * set their fields on their own — the lane size of a shift or copy lives in bits it shares with the
 * amount or index — so they record the lane size in the pseudo-field `_esz` (log2 of the lane bytes) and
 * the operand that owns the shared bits (`shiftImm`, `elem5`, or a hidden `fill…` operand) writes them.
 */
import { setField, type FieldParts } from './core.js';
import { integer, lit, mismatch, skipWs, tryLit, word } from './lex.js';
import type { AliasSpec, Cursor, EncodingSpec, Fields, InsnClass, Operand } from '../types.js';

/** How fields choose a register's arrangement (`4s`), scalar width (`d`) or element size (`s`). */
export interface Layout {
  readonly fields: readonly string[];
  /** The name for these fields, or undefined for a reserved combination. */
  get(f: Fields): string | undefined;
  /** Set the fields for `name`; false when `name` is not one of this layout's names. */
  set(name: string, f: Fields, c: Cursor, at: number): boolean;
  readonly names: readonly string[];
}

/** An operand that can also tell when its fields are a reserved combination. */
export interface SimdOperand extends Operand {
  reserved?(f: Fields): boolean;
}

/** The pseudo-field holding log2 of the lane size in bytes, for layouts that cannot set their own bits. */
export const ESZ = '_esz';

/** The value of fields concatenated, first field most significant. */
export function readParts(f: Fields, parts: FieldParts): number {
  let v = 0;
  for (const [name, w] of parts) v = v * 2 ** w + f[name]!;
  return v;
}

/** Split `v` over `parts` while parsing (the inverse of readParts). */
export function writeParts(
  v: number,
  parts: FieldParts,
  f: Fields,
  c: Cursor,
  at: number,
  what: string,
): void {
  for (let i = parts.length - 1; i >= 0; i--) {
    const [name, w] = parts[i]!;
    setField(f, name, v % 2 ** w, c, at, what);
    v = Math.floor(v / 2 ** w);
  }
}

export function widthOf(parts: FieldParts): number {
  return parts.reduce((n, [, w]) => n + w, 0);
}

/** A register number in one 5-bit field, or split over several (M:Rm of an indexed element). */
export type RegSpec = string | FieldParts;

function regParts(r: RegSpec): FieldParts {
  return typeof r === 'string' ? [[r, 5]] : r;
}

/** The layout whose name is the list entry indexed by the concatenated fields (first field most significant). */
export function lay(parts: FieldParts, names: readonly (string | undefined)[]): Layout {
  return {
    fields: parts.map(([n]) => n),
    names: names.filter((n): n is string => n !== undefined),
    get: (f) => names[readParts(f, parts)],
    set(name, f, c, at) {
      const i = names.indexOf(name);
      if (i < 0) return false;
      writeParts(i, parts, f, c, at, 'operands of one size');
      return true;
    },
  };
}

/** A layout with a single name and no fields (`16b` of AESE, `q` of SHA256H). */
export function only(name: string): Layout {
  return { fields: [], names: [name], get: () => name, set: (n) => n === name };
}

/**
 * A layout by lane size `_esz` (0 = b … 3 = d), and Q when `q` is given: names[esz * 2 + Q] (or names[esz]).
 * `esz` reads the lane size from the row's fields (the lowest set bit of imm5, the highest of immh).
 */
function laneLayout(
  fields: readonly string[],
  esz: (f: Fields) => number | undefined,
  q: string | undefined,
  names: readonly (string | undefined)[],
): Layout {
  return {
    fields: q ? [...fields, q] : fields,
    names: names.filter((n): n is string => n !== undefined),
    get(f) {
      const e = esz(f);
      return e === undefined ? undefined : names[q ? e * 2 + f[q]! : e];
    },
    set(name, f, c, at) {
      const i = names.indexOf(name);
      if (i < 0) return false;
      setField(f, ESZ, q ? i >> 1 : i, c, at, 'operands of one lane size');
      if (q) setField(f, q, i & 1, c, at, 'operands of one register width');
      return true;
    },
  };
}

/** Lane size from imm5: its lowest set bit (xxxx1 = b, xxx10 = h, xx100 = s, x1000 = d). */
export function imm5Esz(imm5: number): number | undefined {
  for (let e = 0; e < 4; e++) if (imm5 & (1 << e)) return e;
  return undefined;
}

/** Lane size from immh: its highest set bit (0001 = b, 001x = h, 01xx = s, 1xxx = d). */
export function immhEsz(immh: number): number | undefined {
  for (let e = 3; e >= 0; e--) if (immh & (1 << e)) return e;
  return undefined;
}

export function imm5Layout(names: readonly (string | undefined)[], q?: string): Layout {
  return laneLayout(['imm5'], (f) => imm5Esz(f.imm5!), q, names);
}

export function immhLayout(names: readonly (string | undefined)[], q?: string): Layout {
  return laneLayout(['immh'], (f) => immhEsz(f.immh!), q, names);
}

/** Match a register word against `re` with groups `n` (the number, 0-31) and `t` (the shape text). */
function regNo(c: Cursor, at: number, w: string, re: RegExp, expected: string): [number, string] {
  const g = re.exec(w)?.groups;
  if (!g || Number(g.n) > 31 || String(Number(g.n)) !== g.n) return mismatch(c, expected, at);
  return [Number(g.n), g.t!];
}

function setReg(n: number, reg: RegSpec, f: Fields, c: Cursor, at: number, expected: string): void {
  const parts = regParts(reg);
  if (n >= 2 ** widthOf(parts)) mismatch(c, expected, at);
  writeParts(n, parts, f, c, at, 'the same register');
}

function layoutExpected(prefix: string, l: Layout): string {
  return `${prefix}${l.names.length === 1 ? l.names[0] : `<${l.names.join('|')}>`}`;
}

/** A vector register with an arrangement: `v3.4s`. */
export function vreg(reg: RegSpec, l: Layout): SimdOperand {
  const parts = regParts(reg);
  const expected = `a vector register like ${layoutExpected('v0.', l)}`;
  return {
    fields: [...parts.map(([n]) => n), ...l.fields],
    reserved: (f) => l.get(f) === undefined,
    print: (f) => `v${readParts(f, parts)}.${l.get(f) ?? '<reserved>'}`,
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      const [n, arr] = regNo(c, at, word(c, expected), /^v(?<n>\d+)\.(?<t>[0-9a-z]+)$/, expected);
      if (!l.set(arr, f, c, at)) mismatch(c, expected, at);
      setReg(n, reg, f, c, at, expected);
    },
  };
}

/** A scalar SIMD&FP register named by its width: `q0`, `d1`, `s2`, `h3`, `b4`. */
export function sreg(reg: RegSpec, l: Layout): SimdOperand {
  const parts = regParts(reg);
  const expected = `a register like ${layoutExpected('', l)}0`;
  return {
    fields: [...parts.map(([n]) => n), ...l.fields],
    reserved: (f) => l.get(f) === undefined,
    print: (f) => `${l.get(f) ?? '<reserved>'}${readParts(f, parts)}`,
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      const [n, t] = regNo(c, at, word(c, expected), /^(?<t>[bhsdq])(?<n>\d+)$/, expected);
      if (!l.set(t, f, c, at)) mismatch(c, expected, at);
      setReg(n, reg, f, c, at, expected);
    },
  };
}

/**
 * A list of `count` consecutive vector registers (numbers wrap from 31 to 0), `{ v0.16b, v1.16b }`.
 * `count` is fixed or read from a field as field + 1 (TBL's len). On input the range form `{ v0.16b-v1.16b }`
 * is accepted too.
 */
export function vlist(reg: string, l: Layout, count: number | string): SimdOperand {
  const n = (f: Fields): number => (typeof count === 'number' ? count : f[count]! + 1);
  const expected = `a register list like { ${layoutExpected('v0.', l)} }`;
  return {
    fields: typeof count === 'number' ? [reg, ...l.fields] : [reg, count, ...l.fields],
    reserved: (f) => l.get(f) === undefined,
    print(f) {
      const t = l.get(f) ?? '<reserved>';
      const regs = Array.from({ length: n(f) }, (_, i) => `v${(f[reg]! + i) % 32}.${t}`);
      return `{ ${regs.join(', ')} }`;
    },
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      lit(c, '{');
      const regs: { n: number; t: string }[] = [];
      const one = (): { n: number; t: string } => {
        const p = (skipWs(c), c.pos);
        const w = word(c, expected);
        const m = /^v(\d+)\.([0-9a-z]+)$/.exec(w);
        if (!m || Number(m[1]) > 31 || String(Number(m[1])) !== m[1]) return mismatch(c, expected, p);
        return { n: Number(m[1]), t: m[2]! };
      };
      regs.push(one());
      if (tryLit(c, '-')) {
        const last = one();
        if (last.t !== regs[0]!.t) mismatch(c, expected, at);
        for (let r = (regs[0]!.n + 1) % 32; regs.length < 5 && r !== (last.n + 1) % 32; r = (r + 1) % 32)
          regs.push({ n: r, t: last.t });
      } else {
        while (tryLit(c, ',')) regs.push(one());
      }
      lit(c, '}');
      regs.forEach((r, i) => {
        if (r.t !== regs[0]!.t || r.n !== (regs[0]!.n + i) % 32)
          mismatch(c, 'consecutive registers of one arrangement', at);
      });
      if (typeof count === 'number') {
        if (regs.length !== count) mismatch(c, `a list of ${count} registers`, at);
      } else {
        if (regs.length < 1 || regs.length > 4) mismatch(c, 'a list of 1 to 4 registers', at);
        setField(f, count, regs.length - 1, c, at, 'one list length');
      }
      if (!l.set(regs[0]!.t, f, c, at)) mismatch(c, expected, at);
      setField(f, reg, regs[0]!.n, c, at, 'the same register');
    },
  };
}

/** Parse `vN.T[i]`; returns register number, element name and index. */
function parseElem(c: Cursor, expected: string): { at: number; n: number; t: string; i: number } {
  const at = (skipWs(c), c.pos);
  const w = word(c, expected);
  const m = /^v(\d+)\.([0-9a-z]+)$/.exec(w);
  if (!m || Number(m[1]) > 31 || String(Number(m[1])) !== m[1]) return mismatch(c, expected, at);
  lit(c, '[');
  const i = integer(c, 'an element index');
  lit(c, ']');
  if (i < 0n || i > 15n) mismatch(c, 'an element index in [0, 15]', at);
  return { at, n: Number(m[1]), t: m[2]!, i: Number(i) };
}

/**
 * An element with a fixed name and its index in `index` fields, or a fixed index: `v2.s[3]` of SM3TT1A,
 * `v2.4b[1]` of SDOT, `v0.d[1]` of FMOV (top half).
 */
export function elem(reg: RegSpec, t: string, index: FieldParts | number): SimdOperand {
  const parts = regParts(reg);
  const idx: FieldParts = typeof index === 'number' ? [] : index;
  const idxVal = (f: Fields): number => (typeof index === 'number' ? index : readParts(f, idx));
  const expected = `an element like v0.${t}[${typeof index === 'number' ? index : 0}]`;
  return {
    fields: [...parts.map(([n]) => n), ...idx.map(([n]) => n)],
    print: (f) => `v${readParts(f, parts)}.${t}[${idxVal(f)}]`,
    parse(c, f) {
      const e = parseElem(c, expected);
      if (e.t !== t) mismatch(c, expected, e.at);
      if (typeof index === 'number' ? e.i !== index : e.i >= 2 ** widthOf(idx)) mismatch(c, expected, e.at);
      setReg(e.n, reg, f, c, e.at, expected);
      writeParts(e.i, idx, f, c, e.at, 'one index');
    },
  };
}

const LANES = ['b', 'h', 's', 'd'];

/** An element whose size and index are both in imm5 (DUP, INS, UMOV, SMOV): `v1.s[1]` is imm5 = 01100. */
export function elem5(reg: string, names: readonly string[] = LANES): SimdOperand {
  const expected = 'an element like v0.s[1]';
  return {
    fields: [reg, 'imm5'],
    reserved: (f) => imm5Esz(f.imm5!) === undefined,
    print(f) {
      const e = imm5Esz(f.imm5!);
      if (e === undefined) return '<reserved>';
      return `v${f[reg]}.${names[e]}[${f.imm5! >> (e + 1)}]`;
    },
    parse(c, f) {
      const p = parseElem(c, expected);
      const e = names.indexOf(p.t);
      if (e < 0 || p.i >= 16 >> e) mismatch(c, `${expected} (b[0-15], h[0-7], s[0-3], d[0-1])`, p.at);
      setField(f, ESZ, e, c, p.at, 'elements of one size');
      setField(f, 'imm5', ((p.i << (e + 1)) | (1 << e)) >>> 0, c, p.at, 'one element');
      setField(f, reg, p.n, c, p.at, 'the same register');
    },
  };
}

/** The source element of INS (element): size from imm5, index in imm4 (its low bits below the size are ignored). */
export function elem4(reg: string): SimdOperand {
  const expected = 'an element like v0.s[1]';
  return {
    fields: [reg, 'imm4', 'imm5'],
    print(f) {
      const e = imm5Esz(f.imm5!);
      if (e === undefined) return '<reserved>';
      return `v${f[reg]}.${LANES[e]}[${f.imm4! >> e}]`;
    },
    parse(c, f) {
      const p = parseElem(c, expected);
      const e = LANES.indexOf(p.t);
      if (e < 0 || p.i >= 16 >> e) mismatch(c, expected, p.at);
      setField(f, ESZ, e, c, p.at, 'elements of one size');
      setField(f, 'imm4', p.i << e, c, p.at, 'one element');
      setField(f, reg, p.n, c, p.at, 'the same register');
    },
  };
}

/**
 * The element operand of the "by element" forms: register and index share L, M, Rm and H by lane size
 * (`size` field value → element name): h lanes use Rm (v0-v15) and index H:L:M; s (and 4b, 2h) use M:Rm and
 * H:L; d uses M:Rm and H, with L = 1 reserved.
 */
export function elemIdx(
  sizeField: string | undefined,
  byValue: Readonly<Record<number, string>>,
): SimdOperand {
  const expected = `an element like v0.${Object.values(byValue)[0]}[0]`;
  const kind = (t: string): 'h' | 's' | 'd' => (t === 'h' ? 'h' : t === 'd' ? 'd' : 's');
  const regOf = (k: string): FieldParts =>
    k === 'h'
      ? [['Rm', 4]]
      : [
          ['M', 1],
          ['Rm', 4],
        ];
  const idxOf = (k: string): FieldParts =>
    k === 'h'
      ? [
          ['H', 1],
          ['L', 1],
          ['M', 1],
        ]
      : k === 's'
        ? [
            ['H', 1],
            ['L', 1],
          ]
        : [['H', 1]];
  const typeOf = (f: Fields): string | undefined => byValue[sizeField === undefined ? 0 : f[sizeField]!];
  return {
    fields: [...(sizeField === undefined ? [] : [sizeField]), 'L', 'M', 'Rm', 'H'],
    reserved: (f) => typeOf(f) === undefined || (typeOf(f) === 'd' && f.L === 1),
    print(f) {
      const t = typeOf(f);
      if (t === undefined) return '<reserved>';
      const k = kind(t);
      return `v${readParts(f, regOf(k))}.${t}[${readParts(f, idxOf(k))}]`;
    },
    parse(c, f) {
      const p = parseElem(c, expected);
      const v = Object.entries(byValue).find(([, t]) => t === p.t);
      if (!v) return mismatch(c, expected, p.at);
      const k = kind(p.t);
      const idx = idxOf(k);
      if (p.i >= 2 ** widthOf(idx)) mismatch(c, `${expected} with index below ${2 ** widthOf(idx)}`, p.at);
      if (sizeField !== undefined) setField(f, sizeField, Number(v[0]), c, p.at, 'operands of one size');
      setReg(p.n, regOf(k), f, c, p.at, k === 'h' ? 'a register v0-v15 for h elements' : expected);
      writeParts(p.i, idx, f, c, p.at, 'one index');
      if (k === 'd') setField(f, 'L', 0, c, p.at, 'one index');
    },
  };
}

/** A general-purpose register whose width follows the lane size in imm5: x for d lanes, else w (DUP, INS). */
export function gprImm5(reg: string): SimdOperand {
  return {
    fields: [reg, 'imm5'],
    print(f) {
      const x = imm5Esz(f.imm5!) === 3;
      return f[reg] === 31 ? (x ? 'xzr' : 'wzr') : `${x ? 'x' : 'w'}${f[reg]}`;
    },
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      const w = word(c, 'a w or x register');
      const m = /^([wx])(\d+)$/.exec(w);
      let n: number;
      let x: boolean;
      if (m && Number(m[2]) <= 30 && String(Number(m[2])) === m[2]) [n, x] = [Number(m[2]), m[1] === 'x'];
      else if (w === 'wzr' || w === 'xzr') [n, x] = [31, w === 'xzr'];
      else return mismatch(c, 'a w or x register', at);
      const e = f[ESZ];
      if (e !== undefined && x !== (e === 3))
        mismatch(c, e === 3 ? 'an x register for d lanes' : 'a w register', at);
      setField(f, reg, n, c, at, 'the same register');
    },
  };
}

/** An operand that never appears in the text: on input it sets fields derived from the others. */
export function hidden(fill: (f: Fields) => void): Operand {
  return {
    fields: [],
    print: () => undefined,
    parse: (c) => mismatch(c, 'end of line'),
    absent: fill,
  };
}

/** imm5 = the lane-size bit alone (DUP/INS from a general register, whose layout sets only `_esz`). */
export const fillImm5 = hidden((f) => {
  if (f.imm5 === undefined && f[ESZ] !== undefined) f.imm5 = 1 << f[ESZ];
});

/** A field copied from another (the `mov v0.16b, v1.16b` alias of ORR sets Rm = Rn). */
export function tie(dst: string, src: string): Operand {
  return hidden((f) => {
    if (f[dst] === undefined) f[dst] = f[src]!;
  });
}

/** The Advanced SIMD/FP row builder: `invalid` is derived from the operands' reserved field combinations. */
export function simdRow(
  name: string,
  mnemonic: string,
  pattern: string,
  fields: string,
  operands: readonly Operand[],
  cls: InsnClass = 'simd',
  extra: Partial<Pick<EncodingSpec, 'invalid' | 'group' | 'defaults' | 'printOnly'>> = {},
): EncodingSpec {
  const checks = operands.filter(
    (o): o is SimdOperand & { reserved: (f: Fields) => boolean } =>
      typeof (o as SimdOperand).reserved === 'function',
  );
  const own = extra.invalid;
  const invalid =
    checks.length === 0 && !own
      ? undefined
      : (f: Fields): boolean => (own?.(f) ?? false) || checks.some((o) => o.reserved(f));
  return { name, mnemonic, pattern, fields, operands, cls, ...extra, ...(invalid ? { invalid } : {}) };
}

/** An alias over a base row, preferred when `when` holds. */
export function simdAlias(
  name: string,
  base: string,
  mnemonic: string,
  when: (f: Fields) => boolean,
  operands: readonly Operand[],
  extra: Partial<AliasSpec> = {},
): AliasSpec {
  return { name, base, mnemonic, when, operands, ...extra };
}

/** Names for size:Q of the common vector forms; 1d (size 11, Q 0) is reserved. */
export const T_SQ = [
  ['size', 2],
  ['Q', 1],
] as const;
export const ARR_ALL = ['8b', '16b', '4h', '8h', '2s', '4s', undefined, '2d'];
export const ARR_BHS = ['8b', '16b', '4h', '8h', '2s', '4s'];
export const ARR_HS = [undefined, undefined, '4h', '8h', '2s', '4s'];
export const ARR_B = ['8b', '16b'];
export const ARR_BH = ['8b', '16b', '4h', '8h'];
/** FP single/double by sz:Q; FP16 by Q. */
export const T_FQ = [
  ['sz', 1],
  ['Q', 1],
] as const;
export const ARR_FP = ['2s', '4s', undefined, '2d'];
export const ARR_FP16 = ['4h', '8h'];
