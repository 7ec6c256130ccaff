/**
 * Operand shapes shared by every encoding class: general-purpose registers, plain immediates, the
 * optional `lsl #12`, condition codes and PC-relative targets. Class-specific shapes live beside the
 * class (operands/ldst.ts …). Each shape prints and parses the same text, so the printer and the
 * assembler cannot disagree.
 */
import { COND_INPUT, COND_NAMES } from '../names.js';
import { OperandMismatch, type Cursor, type Fields, type Operand, type PrintContext } from '../types.js';
import { immediate, integer, peek, skipWs, tryLit, word, mismatch } from './lex.js';

/** Set a field while parsing; a second, different value for the same field is a mismatch (e.g. `add x0, w1`). */
export function setField(f: Fields, name: string, v: number, c: Cursor, at: number, what: string): void {
  const old = f[name];
  if (old !== undefined && old !== v) throw new OperandMismatch(at, what);
  f[name] = v;
}

/** Register width: fixed, or chosen by a 1-bit field (1 = 64-bit), as `sf` does. */
export type Width = 32 | 64 | string;

function is64(size: Width, f: Fields): boolean {
  return size === 64 || (typeof size === 'string' && f[size] === 1);
}

export function gprName(n: number, wide: boolean, sp: boolean): string {
  if (n === 31) return sp ? (wide ? 'sp' : 'wsp') : wide ? 'xzr' : 'wzr';
  return `${wide ? 'x' : 'w'}${n}`;
}

/** Parse a general-purpose register name; returns its number and width. */
export function parseGpr(c: Cursor, sp: boolean): { n: number; wide: boolean } {
  const at = c.pos;
  const expected = sp ? 'a register (x0-x30, sp)' : 'a register (x0-x30, xzr)';
  const w = word(c, expected);
  const m = /^([wx])(\d+)$/.exec(w);
  if (m) {
    const n = Number(m[2]);
    if (n <= 30 && String(n) === m[2]) return { n, wide: m[1] === 'x' };
  } else if (sp && (w === 'sp' || w === 'wsp')) return { n: 31, wide: w === 'sp' };
  else if (!sp && (w === 'xzr' || w === 'wzr')) return { n: 31, wide: w === 'xzr' };
  else if (w === 'lr') return { n: 30, wide: true };
  else if (w === 'fp') return { n: 29, wide: true };
  c.pos = at;
  return mismatch(c, expected);
}

/** A general-purpose register in `field`; register 31 is the zero register, or SP when `sp` is set. */
export function gpr(field: string, size: Width, opts: { sp?: boolean } = {}): Operand {
  const sp = opts.sp ?? false;
  return {
    fields: typeof size === 'string' ? [field, size] : [field],
    print: (f) => gprName(f[field]!, is64(size, f), sp),
    parse(c, f) {
      const at = c.pos;
      const r = parseGpr(c, sp);
      if (typeof size === 'number') {
        if (r.wide !== (size === 64)) mismatch(c, `a ${size === 64 ? 'x' : 'w'} register`, at);
      } else setField(f, size, r.wide ? 1 : 0, c, at, 'registers of one width');
      setField(f, field, r.n, c, at, 'the same register');
    },
  };
}

export interface ImmOptions {
  /** Field width in bits (for range checks and sign extension). */
  readonly bits: number;
  /** The field is a two's-complement signed value. */
  readonly signed?: boolean;
  /** The printed value is the field value times `scale`. */
  readonly scale?: number;
  /** The printed value is the field value plus `add` (e.g. `#imm+1`). */
  readonly add?: number;
  /** Print as `#0x…` (LLVM does for some operands). */
  readonly hex?: boolean;
}

function immValue(f: Fields, field: string, o: ImmOptions): number {
  let v = f[field]!;
  if (o.signed && v >= 2 ** (o.bits - 1)) v -= 2 ** o.bits;
  return v * (o.scale ?? 1) + (o.add ?? 0);
}

/** Parse `#n` and turn it back into a field value under `o`, or mismatch with the allowed range. */
export function parseImmField(c: Cursor, o: ImmOptions, what = 'an immediate'): number {
  const at = c.pos;
  const v = immediate(c, what);
  const scale = BigInt(o.scale ?? 1);
  const raw = v - BigInt(o.add ?? 0);
  const lo = o.signed ? -(2n ** BigInt(o.bits - 1)) : 0n;
  const hi = o.signed ? 2n ** BigInt(o.bits - 1) - 1n : 2n ** BigInt(o.bits) - 1n;
  const range = `${what} in [${lo * scale + BigInt(o.add ?? 0)}, ${hi * scale + BigInt(o.add ?? 0)}]${scale > 1n ? `, a multiple of ${scale}` : ''}`;
  if (raw % scale !== 0n) mismatch(c, range, at);
  const q = raw / scale;
  if (q < lo || q > hi) mismatch(c, range, at);
  return Number(q < 0n ? q + 2n ** BigInt(o.bits) : q);
}

/** `#imm` from one field. */
export function imm(field: string, o: ImmOptions): Operand {
  return {
    fields: [field],
    print(f) {
      const v = immValue(f, field, o);
      return o.hex ? `#${v < 0 ? '-' : ''}0x${Math.abs(v).toString(16)}` : `#${v}`;
    },
    parse(c, f) {
      const at = c.pos;
      setField(f, field, parseImmField(c, o), c, at, 'one value');
    },
  };
}

/** The optional `lsl #12` of ADD/SUB (immediate): printed only when `sh` is 1. */
export function lsl12(field: string): Operand {
  return {
    fields: [field],
    print: (f) => (f[field] ? 'lsl #12' : undefined),
    parse(c, f) {
      const at = c.pos;
      if (!tryLit(c, 'lsl')) mismatch(c, "'lsl #12'");
      const v = immediate(c, '#0 or #12');
      if (v !== 0n && v !== 12n) mismatch(c, 'lsl #0 or lsl #12', at);
      setField(f, field, v === 12n ? 1 : 0, c, at, 'one shift');
    },
    absent(f) {
      if (f[field] === undefined) f[field] = 0;
    },
  };
}

/** A condition code operand (`eq`, `ne` …); with `invert`, the text is the inverse of the field (cset, cinc …). */
export function cond(field: string, opts: { invert?: boolean } = {}): Operand {
  const flip = opts.invert ? 1 : 0;
  return {
    fields: [field],
    print: (f) => COND_NAMES[f[field]! ^ flip],
    parse(c, f) {
      const at = c.pos;
      const w = word(c, 'a condition (eq, ne, hs, lo …)');
      const v = COND_INPUT[w];
      if (v === undefined) mismatch(c, 'a condition (eq, ne, hs, lo …)', at);
      setField(f, field, v ^ flip, c, at, 'one condition');
    },
  };
}

/** Parts of a PC-relative offset field, high part first (ADR's immhi:immlo), with their widths. */
export type FieldParts = readonly (readonly [name: string, bits: number])[];

export interface PcRelOptions {
  /** Bytes per unit of the field (4 for branches, 1 for ADR, 4096 for ADRP). */
  readonly scale: number;
  /** ADRP: the base is the instruction's 4 KiB page. */
  readonly page?: boolean;
  /** Print the offset (`#12`) even when the address is known (LLVM 14 does so for ADR). */
  readonly alwaysOffset?: boolean;
}

function joinParts(f: Fields, parts: FieldParts): { value: number; bits: number } {
  let value = 0;
  let bits = 0;
  for (const [name, w] of parts) {
    value = value * 2 ** w + f[name]!;
    bits += w;
  }
  return { value, bits };
}

function splitParts(value: number, parts: FieldParts, f: Fields, c: Cursor, at: number): void {
  let v = value;
  for (let i = parts.length - 1; i >= 0; i--) {
    const [name, w] = parts[i]!;
    setField(f, name, v % 2 ** w, c, at, 'one target');
    v = Math.floor(v / 2 ** w);
  }
}

export function pcRelOffset(f: Fields, parts: FieldParts, scale: number): number {
  const { value, bits } = joinParts(f, parts);
  const signed = value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
  return signed * scale;
}

/** The target address of a PC-relative operand at `address`. */
export function pcRelTarget(address: bigint, offset: number, page = false): bigint {
  const base = page ? address & ~0xfffn : address;
  return BigInt.asUintN(64, base + BigInt(offset));
}

/**
 * A PC-relative target (branch, literal load, ADR/ADRP). Without an address it prints `#offset` as
 * llvm-mc does; with one, the absolute target and its symbol as llvm-objdump does (`0x1c <foo+0x1c>`).
 * On input it takes `#offset` or a label/symbol name resolved by the ParseContext.
 */
export function pcRel(parts: FieldParts, o: PcRelOptions): Operand {
  const bits = parts.reduce((n, [, w]) => n + w, 0);
  return {
    fields: parts.map(([n]) => n),
    print(f, ctx: PrintContext) {
      const off = pcRelOffset(f, parts, o.scale);
      if (ctx.address === undefined || o.alwaysOffset) return `#${off}`;
      const target = pcRelTarget(ctx.address, off, o.page);
      // llvm-objdump 14 annotates ADRP with the symbol of the instruction itself, not of the target page.
      const sym = ctx.symbolize?.(o.page ? ctx.address : target);
      return `0x${target.toString(16)}${sym ? ` <${sym}>` : ''}`;
    },
    parse(c, f, ctx) {
      const at = c.pos;
      let off: bigint;
      const p = peek(c);
      if (p === '#' || p === '-' || /[0-9]/.test(p)) {
        off = immediate(c, 'a branch offset or label');
      } else {
        const name = word(c, 'a label');
        const target = ctx.resolve?.(name);
        if (target === undefined || ctx.address === undefined) {
          return mismatch(c, `a known label ('${name}' is not defined)`, at);
        }
        const base = o.page ? ctx.address & ~0xfffn : ctx.address;
        off = BigInt.asIntN(64, target - base);
      }
      const scale = BigInt(o.scale);
      const half = 2n ** BigInt(bits - 1);
      if (off % scale !== 0n || off / scale < -half || off / scale >= half) {
        const reach = `[-${half * scale}, ${half * scale})`;
        mismatch(
          c,
          `a target ${off % scale !== 0n ? `aligned to ${scale} bytes` : `within ${reach} bytes`}`,
          at,
        );
      }
      let q = off / scale;
      if (q < 0n) q += 2n ** BigInt(bits);
      splitParts(Number(q), parts, f, c, at);
    },
  };
}

/** An unsigned immediate without '#'-less forms, for things like `brk #0x1` or `hint #25` printed in hex or decimal. */
export function uimm(field: string, bits: number, hex = false): Operand {
  return imm(field, { bits, hex });
}

/** A fixed literal word in the operand list (e.g. `c` of `bti c` when modelled as a field). */
export function keyword(field: string, names: readonly (string | undefined)[]): Operand {
  return {
    fields: [field],
    print: (f) => names[f[field]!],
    parse(c, f) {
      const at = c.pos;
      skipWs(c);
      const w = word(c, names.filter(Boolean).join(' or '));
      const v = names.indexOf(w);
      if (v < 0) mismatch(c, names.filter(Boolean).join(' or '), at);
      setField(f, field, v, c, at, 'one value');
    },
  };
}

export { integer };

/** A register that is left out when it has its default (RET's x30). */
export function gprOptional(field: string, size: 32 | 64, dflt: number): Operand {
  const base = gpr(field, size);
  return {
    fields: [field],
    print: (f) => (f[field] === dflt ? undefined : base.print(f, {})),
    parse: base.parse,
    absent(f) {
      if (f[field] === undefined) f[field] = dflt;
    },
  };
}
