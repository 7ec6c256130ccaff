/**
 * Operand shapes of the data-processing classes (Arm ARM C4.1.92, C4.1.95): bitmask immediates, the
 * `mov #imm` value of MOVZ/MOVN/ORR, the move-wide shift, the bitfield aliases' shift/lsb/width, shifted
 * and extended registers. The shifted and extended register shapes are general (any field names, fixed
 * or `sf`-chosen width) so the load/store register-offset forms can reuse them.
 */
import { Imm12, LogicalImm, MoveWide, type RegWidth } from '../imm.js';
import { EXTEND_NAMES, SHIFT_NAMES } from '../names.js';
import type { Cursor, Fields, Operand } from '../types.js';
import { immediate, mismatch, peekWord, skipWs, tryLit, word } from './lex.js';
import { gpr, gprName, parseGpr, setField, type Width } from './core.js';

/** The register width of a row: fixed, or chosen by a 1-bit field such as `sf`. */
export function widthOf(size: Width, f: Fields): RegWidth {
  return size === 64 || (typeof size === 'string' && f[size] === 1) ? 64 : 32;
}

function widthFields(size: Width): string[] {
  return typeof size === 'string' ? [size] : [];
}

/**
 * `op`, and when it parses, field `to` takes the value of field `from` (bitfield and extract rows need
 * N = sf; the register operand is what tells the assembler sf).
 */
export function withCopy(op: Operand, to: string, from: string): Operand {
  return {
    ...op,
    fields: [...op.fields, to, from],
    parse(c, f, ctx) {
      op.parse(c, f, ctx);
      setField(f, to, f[from]!, c, c.pos, `${to} = ${from}`);
    },
  };
}

/**
 * One register written once and encoded in several fields (`ror` = EXTR with Rn = Rm, `cinc` = CSINC
 * with Rn = Rm). Prints the first field.
 */
export function gprSame(fields: readonly string[], size: Width, opts: { sp?: boolean } = {}): Operand {
  const first = gpr(fields[0]!, size, opts);
  return {
    fields: [...fields, ...widthFields(size)],
    print: first.print,
    parse(c, f, ctx) {
      const at = c.pos;
      first.parse(c, f, ctx);
      for (const name of fields.slice(1)) setField(f, name, f[fields[0]!]!, c, at, 'the same register');
    },
  };
}

/** Parse `#value` for a register of `width` bits: unsigned up to 2^width - 1, or negative down to -2^(width-1). */
function parseWideValue(c: Cursor, width: RegWidth, what: string): bigint {
  const at = c.pos;
  const v = immediate(c, what);
  if (v < -(1n << BigInt(width - 1)) || v >= 1n << BigInt(width)) {
    mismatch(c, `${what} that fits in ${width} bits`, at);
  }
  return BigInt.asUintN(width, v);
}

function bitmaskValue(f: Fields, size: Width): bigint | undefined {
  return LogicalImm.decode(f.N!, f.immr!, f.imms!, widthOf(size, f));
}

/** The bitmask immediate of logical (immediate) rows, `#0xff00ff00`, from N:immr:imms. */
export function bitmaskImm(size: Width): Operand {
  return {
    fields: ['N', 'immr', 'imms', ...widthFields(size)],
    print(f) {
      const v = bitmaskValue(f, size);
      return v === undefined ? undefined : `#0x${v.toString(16)}`;
    },
    parse(c, f) {
      const at = c.pos;
      const w = widthOf(size, f);
      const what = 'a bitmask immediate';
      const imm = LogicalImm.tryFrom(parseWideValue(c, w, what), w);
      if (!imm) mismatch(c, `${what} (a repeated, rotated run of ones)`, at);
      setField(f, 'N', imm.N, c, at, 'one immediate');
      setField(f, 'immr', imm.immr, c, at, 'one immediate');
      setField(f, 'imms', imm.imms, c, at, 'one immediate');
    },
  };
}

/** Where a `mov Rd, #imm` value lives: a MOVZ or MOVN `imm16`/`hw` pair or an ORR bitmask. */
export type MovSource = 'movz' | 'movn' | 'bitmask';

/** The register value a `mov Rd, #imm` alias writes, for `source` rows. */
export function movValue(source: MovSource, f: Fields, size: Width): bigint | undefined {
  const w = widthOf(size, f);
  return source === 'bitmask' ? bitmaskValue(f, size) : MoveWide.valueOf(source, f.imm16!, f.hw!, w);
}

/** Whether one MOVZ, or else one MOVN, gives `value` (LLVM prints the ORR and MOVN forms as `mov` only if not). */
export function movWideCan(op: 'movz' | 'movn', value: bigint, width: RegWidth): boolean {
  return MoveWide.tryFrom(value, width, op) !== undefined;
}

/**
 * The value of `mov Rd, #imm`, printed as a signed decimal of the register's width (`#-1`, `#65536`);
 * parsed into the source's fields, or a mismatch when that source cannot make the value.
 */
export function movImm(source: MovSource, size: Width): Operand {
  const fields = source === 'bitmask' ? ['N', 'immr', 'imms'] : ['imm16', 'hw'];
  return {
    fields: [...fields, ...widthFields(size)],
    print(f) {
      const v = movValue(source, f, size);
      return v === undefined ? undefined : `#${BigInt.asIntN(widthOf(size, f), v)}`;
    },
    parse(c, f) {
      const at = c.pos;
      const w = widthOf(size, f);
      const v = parseWideValue(c, w, 'an immediate');
      if (source === 'bitmask') {
        const imm = LogicalImm.tryFrom(v, w);
        if (!imm) mismatch(c, 'an immediate that one MOVZ, MOVN or ORR can make', at);
        setField(f, 'N', imm.N, c, at, 'one immediate');
        setField(f, 'immr', imm.immr, c, at, 'one immediate');
        setField(f, 'imms', imm.imms, c, at, 'one immediate');
        return;
      }
      const mw = MoveWide.tryFrom(v, w, source);
      if (!mw) mismatch(c, 'an immediate that one MOVZ, MOVN or ORR can make', at);
      setField(f, 'imm16', mw.imm16, c, at, 'one immediate');
      setField(f, 'hw', mw.hw, c, at, 'one immediate');
    },
  };
}

/**
 * The immediate of add/subtract (immediate), `#imm12` or `#imm12, lsl #12`, from `imm12` and `sh`. On input
 * a value above 4095 that is a multiple of 4096 takes the `lsl #12` form by itself, as LLVM accepts. With
 * `negated`, the operand takes only negative values and encodes their magnitude (`add x0, x1, #-1` is
 * SUB; LLVM accepts it and prints the other instruction).
 */
export function addSubImm(imm12: string, sh: string, o: { negated?: boolean } = {}): Operand {
  return {
    fields: [imm12, sh],
    print: (f) => `#${o.negated ? '-' : ''}${f[imm12]}${f[sh] ? ', lsl #12' : ''}`,
    parse(c, f) {
      const at = c.pos;
      const what = o.negated ? 'a negative immediate' : 'an immediate in [0, 4095], optionally with lsl #12';
      let v = immediate(c, what);
      if (o.negated) {
        if (v >= 0n) mismatch(c, what, at);
        v = -v;
      }
      let shift = 0;
      const save = c.pos;
      if (tryLit(c, ',')) {
        if (tryLit(c, 'lsl')) {
          const s = immediate(c, '#0 or #12');
          if (s !== 0n && s !== 12n) mismatch(c, 'lsl #0 or lsl #12', save);
          shift = Number(s);
        } else c.pos = save;
      }
      // An explicit `lsl #12` keeps its spelling (`#0, lsl #12` is not `#0`).
      const imm =
        shift === 12 ? (v >= 0n && v < 4096n ? { imm12: Number(v), sh: 1 } : undefined) : Imm12.tryFrom(v);
      if (!imm) mismatch(c, what, at);
      setField(f, imm12, imm.imm12, c, at, 'one immediate');
      setField(f, sh, imm.sh, c, at, 'one immediate');
    },
  };
}

/** The optional `lsl #16/32/48` of move wide, from `hw`; absent means `hw` = 0. */
export function hwShift(field: string): Operand {
  return {
    fields: [field],
    print: (f) => (f[field] ? `lsl #${16 * f[field]!}` : undefined),
    parse(c, f) {
      const at = c.pos;
      if (!tryLit(c, 'lsl')) mismatch(c, "'lsl #16'");
      const v = immediate(c, '#0, #16, #32 or #48');
      if (v < 0n || v > 48n || v % 16n !== 0n) mismatch(c, 'lsl #0, #16, #32 or #48', at);
      setField(f, field, Number(v / 16n), c, at, 'one shift');
    },
    absent(f) {
      if (f[field] === undefined) f[field] = 0;
    },
  };
}

function parseSmall(c: Cursor, lo: number, hi: number, what: string): number {
  const at = c.pos;
  const v = immediate(c, `${what} in [${lo}, ${hi}]`);
  if (v < BigInt(lo) || v > BigInt(hi)) mismatch(c, `${what} in [${lo}, ${hi}]`, at);
  return Number(v);
}

/**
 * The shift amount of the bitfield aliases, over `immr`/`imms` of a `size`-bit register:
 * `lsl #n` is UBFM with immr = -n mod size, imms = size-1-n; `lsr/asr #n` are UBFM/SBFM with immr = n,
 * imms = size-1.
 */
export function bfShift(kind: 'lsl' | 'right', size: Width): Operand {
  return {
    fields: ['immr', 'imms', ...widthFields(size)],
    print(f) {
      const w = widthOf(size, f);
      return `#${kind === 'lsl' ? w - 1 - f.imms! : f.immr!}`;
    },
    parse(c, f) {
      const at = c.pos;
      const w = widthOf(size, f);
      const n = parseSmall(c, 0, w - 1, 'a shift');
      setField(f, 'immr', kind === 'lsl' ? (w - n) % w : n, c, at, 'one shift');
      setField(f, 'imms', kind === 'lsl' ? w - 1 - n : w - 1, c, at, 'one shift');
    },
  };
}

/**
 * The `#lsb` of the bitfield aliases. Insert forms (`bfi`, `sbfiz`, `ubfiz`, `bfc`) put the field at
 * lsb, so immr = -lsb mod size; extract forms (`bfxil`, `sbfx`, `ubfx`) take it from lsb, so immr = lsb.
 */
export function bfLsb(kind: 'insert' | 'extract', size: Width): Operand {
  return {
    fields: ['immr', ...widthFields(size)],
    print(f) {
      const w = widthOf(size, f);
      return `#${kind === 'insert' ? (w - f.immr!) % w : f.immr!}`;
    },
    parse(c, f) {
      const at = c.pos;
      const w = widthOf(size, f);
      const lsb = parseSmall(c, 0, w - 1, 'an lsb');
      setField(f, 'immr', kind === 'insert' ? (w - lsb) % w : lsb, c, at, 'one lsb');
    },
  };
}

/** The `#width` that follows `bfLsb`: insert forms have imms = width-1, extract forms imms = lsb+width-1. */
export function bfWidth(kind: 'insert' | 'extract', size: Width): Operand {
  return {
    fields: ['immr', 'imms', ...widthFields(size)],
    print(f) {
      return `#${kind === 'insert' ? f.imms! + 1 : f.imms! - f.immr! + 1}`;
    },
    parse(c, f) {
      const at = c.pos;
      const w = widthOf(size, f);
      const lsb = kind === 'insert' ? (w - f.immr!) % w : f.immr!;
      const width = parseSmall(c, 1, w - lsb, 'a width');
      setField(f, 'imms', kind === 'insert' ? width - 1 : lsb + width - 1, c, at, 'one width');
    },
  };
}

export interface ShiftedRegOptions {
  /** Whether `ror` is allowed (logical rows) or reserved (add/subtract rows). */
  readonly ror?: boolean;
}

/**
 * A shifted register, `x2` or `x2, asr #3`: register `rm`, shift type in `shift` (lsl, lsr, asr, ror) and
 * amount in `amount`. `lsl #0` is left out when printing, as LLVM does; other shifts print `#0`.
 */
export function shiftedReg(
  rm: string,
  shift: string,
  amount: string,
  size: Width,
  o: ShiftedRegOptions = {},
): Operand {
  const reg = gpr(rm, size);
  return {
    fields: [rm, shift, amount, ...widthFields(size)],
    print(f, ctx) {
      const r = reg.print(f, ctx)!;
      if (f[shift] === 0 && f[amount] === 0) return r;
      return `${r}, ${SHIFT_NAMES[f[shift]!]} #${f[amount]}`;
    },
    parse(c, f, ctx) {
      reg.parse(c, f, ctx);
      const save = c.pos;
      if (!tryLit(c, ',')) {
        setField(f, shift, 0, c, c.pos, 'one shift');
        setField(f, amount, 0, c, c.pos, 'one shift');
        return;
      }
      const at = c.pos;
      const names = o.ror ? SHIFT_NAMES : SHIFT_NAMES.slice(0, 3);
      const w = peekWord(c);
      const k = w === undefined ? -1 : names.indexOf(w);
      if (k < 0) {
        c.pos = save;
        mismatch(c, `a shift (${names.join(', ')})`, at);
      }
      word(c, 'a shift');
      const n = parseSmall(c, 0, widthOf(size, f) - 1, 'a shift amount');
      setField(f, shift, k, c, at, 'one shift');
      setField(f, amount, n, c, at, 'one shift');
    },
  };
}

export interface ExtendedRegOptions {
  /**
   * Fields of the same row that name SP when 31. If any does, the register-width extend (`uxtw` for a
   * 32-bit row, `uxtx` for a 64-bit one) is printed as `lsl #n`, or left out when n is 0, as LLVM does.
   */
  readonly spFields?: readonly string[];
  /** Largest amount (3 bits; the add/subtract rows reserve 5-7). */
  readonly maxAmount?: number;
}

/**
 * An extended register, `w2, sxtb #3` or `x2, uxtx`: register `rm`, extend type in `option` (uxtb … sxtx)
 * and left shift in `amount`. In a 64-bit row the register is an x register only for uxtx/sxtx.
 */
export function extendedReg(
  rm: string,
  option: string,
  amount: string,
  size: Width,
  o: ExtendedRegOptions = {},
): Operand {
  const sp = o.spFields ?? [];
  const max = o.maxAmount ?? 4;
  const lslOption = (f: Fields): number => (widthOf(size, f) === 64 ? 0b011 : 0b010);
  const usesSp = (f: Fields): boolean => sp.some((n) => f[n] === 31);
  return {
    fields: [rm, option, amount, ...sp, ...widthFields(size)],
    print(f) {
      const wide = widthOf(size, f) === 64 && (f[option]! & 0b011) === 0b011;
      const r = gprName(f[rm]!, wide, false);
      const amt = f[amount]!;
      if (usesSp(f) && f[option] === lslOption(f)) return amt === 0 ? r : `${r}, lsl #${amt}`;
      return `${r}, ${EXTEND_NAMES[f[option]!]}${amt === 0 ? '' : ` #${amt}`}`;
    },
    parse(c, f) {
      const at = c.pos;
      const r = parseGpr(c, false);
      setField(f, rm, r.n, c, at, 'the same register');
      const rowWide = widthOf(size, f) === 64;
      let opt: number;
      let amt = 0;
      skipWs(c);
      const extAt = c.pos;
      if (!tryLit(c, ',')) {
        opt = lslOption(f);
      } else {
        const w = word(c, `an extend (${EXTEND_NAMES.join(', ')}) or lsl`);
        if (w === 'lsl') {
          if (!usesSp(f)) mismatch(c, 'an extend (lsl only with sp)', extAt);
          opt = lslOption(f);
          amt = parseSmall(c, 0, max, 'a shift amount');
        } else {
          opt = EXTEND_NAMES.indexOf(w);
          if (opt < 0) mismatch(c, `an extend (${EXTEND_NAMES.join(', ')})`, extAt);
          skipWs(c);
          if (c.text[c.pos] === '#' || /[0-9]/.test(c.text[c.pos] ?? ''))
            amt = parseSmall(c, 0, max, 'a shift amount');
        }
      }
      const wantWide = rowWide && (opt & 0b011) === 0b011;
      if (r.wide !== wantWide) mismatch(c, `a ${wantWide ? 'x' : 'w'} register for this extend`, at);
      setField(f, option, opt, c, extAt, 'one extend');
      setField(f, amount, amt, c, extAt, 'one extend');
    },
  };
}
