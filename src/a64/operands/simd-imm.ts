/**
 * Immediate operand shapes of the SIMD&FP classes (C4.1.96): shift amounts in immh:immb, SHLL's fixed
 * shift, the literal zeros of the compare-with-zero forms, the FP 8-bit immediate, the modified-immediate
 * values and shifts, and the fraction bits of fixed-point conversions — each printed as LLVM 14 prints it.
 */
import { setField, type FieldParts } from './core.js';
import { integer, mismatch, skipWs, tryLit } from './lex.js';
import { ESZ, hidden, immhEsz, readParts, widthOf, writeParts } from './simd.js';
import type { Operand } from '../types.js';

/**
 * A shift amount encoded in immh:immb with the lane size: right shifts are 2·esize − immh:immb (1 to
 * esize), left shifts immh:immb − esize (0 to esize − 1). The lane size comes from immh when printing and
 * from `_esz` (set by the register operands) when parsing.
 */
export function shiftImm(dir: 'right' | 'left'): Operand {
  return {
    fields: ['immh', 'immb'],
    print(f) {
      const e = immhEsz(f.immh!);
      if (e === undefined) return '#<reserved>';
      const esize = 8 << e;
      const v = f.immh! * 8 + f.immb!;
      return `#${dir === 'right' ? 2 * esize - v : v - esize}`;
    },
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      tryLit(c, '#');
      const s = Number(integer(c, 'a shift amount'));
      const e = f[ESZ];
      if (e === undefined) return mismatch(c, 'a shift after sized registers', at);
      const esize = 8 << e;
      const [lo, hi] = dir === 'right' ? [1, esize] : [0, esize - 1];
      if (s < lo || s > hi) mismatch(c, `a shift amount in [${lo}, ${hi}]`, at);
      const v = dir === 'right' ? 2 * esize - s : esize + s;
      setField(f, 'immh', v >> 3, c, at, 'one shift');
      setField(f, 'immb', v & 7, c, at, 'one shift');
    },
  };
}

/** immh:immb for a zero left shift (the `uxtl`/`sxtl` aliases of USHLL/SSHLL). */
export const fillShift0 = hidden((f) => {
  if (f.immh === undefined && f[ESZ] !== undefined) {
    f.immh = 1 << f[ESZ];
    f.immb = 0;
  }
});

/** The fixed shift of SHLL: the source lane width (`#8`, `#16`, `#32`) from `size`. */
export function shllShift(sizeField: string): Operand {
  return {
    fields: [sizeField],
    print: (f) => `#${8 << f[sizeField]!}`,
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      tryLit(c, '#');
      const s = Number(integer(c, 'the lane width #8, #16 or #32'));
      const e = [8, 16, 32].indexOf(s);
      if (e < 0) mismatch(c, 'the lane width #8, #16 or #32', at);
      setField(f, sizeField, e, c, at, 'a shift equal to the lane width');
    },
  };
}

/**
 * A literal zero operand: `#0` (CMEQ zero) or `#0.0` (FCMEQ zero, FCMP zero). LLVM takes `#0` for `#0.0`
 * too, except in FCMP/FCMPE (`exact`).
 */
export function zero(text: '#0' | '#0.0', opts: { exact?: boolean } = {}): Operand {
  return {
    fields: [],
    print: () => text,
    parse(c) {
      const at = (skipWs(c), c.pos);
      tryLit(c, '#');
      const m = /^0(\.0+)?(?![0-9a-zA-Z.])/.exec(c.text.slice(c.pos));
      if (!m || (text === '#0' && m[1]) || (opts.exact && !m[1])) mismatch(c, text, at);
      c.pos += m[0].length;
    },
  };
}

/**
 * The 8-bit FP immediate (VFPExpandImm): imm8 = a:bcd:efgh is ±(16 + efgh)/16 × 2^e with e = bcd read as
 * b ? cd − 3 : cd + 1, so values run from ±0.125 to ±31. LLVM prints it with eight decimals.
 */
export function fpImm8Value(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  const bcd = (imm8 >> 4) & 7;
  const e = bcd & 4 ? (bcd & 3) - 3 : (bcd & 3) + 1;
  return (sign * (16 + (imm8 & 15)) * 2 ** e) / 16;
}

export function fpImm8From(v: number): number | undefined {
  for (let i = 0; i < 256; i++) if (fpImm8Value(i) === v) return i;
  return undefined;
}

/** `#1.00000000`: the FP immediate from `parts` (imm8, or abc:defgh of the modified-immediate class). */
export function fpImm(parts: FieldParts): Operand {
  return {
    fields: parts.map(([n]) => n),
    print: (f) => `#${fpImm8Value(readParts(f, parts)).toFixed(8)}`,
    parse(c, f) {
      skipWs(c);
      // Past a '#', the text is committed to being an immediate: report errors after it.
      tryLit(c, '#');
      const at = c.pos;
      const m = /^-?[0-9]+(\.[0-9]*)?(e[-+]?[0-9]+)?/i.exec(c.text.slice(c.pos));
      const v = m ? Number(m[0]) : NaN;
      const i = fpImm8From(v);
      if (!m || i === undefined)
        return mismatch(c, 'an FP immediate ±(1 + n/16) × 2^e, n in [0, 15], e in [-3, 4]', at);
      c.pos += m[0].length;
      writeParts(i, parts, f, c, at, 'one immediate');
    },
  };
}

/** A plain unsigned immediate spread over `parts` (abc:defgh of MOVI), printed in decimal. */
export function immParts(parts: FieldParts): Operand {
  const bits = widthOf(parts);
  return {
    fields: parts.map(([n]) => n),
    print: (f) => `#${readParts(f, parts)}`,
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      tryLit(c, '#');
      const v = integer(c, 'an immediate');
      if (v < 0n || v >= 2n ** BigInt(bits)) mismatch(c, `an immediate in [0, ${2 ** bits - 1}]`, at);
      writeParts(Number(v), parts, f, c, at, 'one immediate');
    },
  };
}

/**
 * The 64-bit MOVI immediate: each bit of abc:defgh becomes a byte of 00 or ff. LLVM prints it with C's
 * `%#016llx`, which pads to 16 characters including `0x` and drops the `0x` for zero.
 */
export function imm64Bytes(parts: FieldParts): Operand {
  return {
    fields: parts.map(([n]) => n),
    print(f) {
      const imm8 = readParts(f, parts);
      if (imm8 === 0) return `#${'0'.repeat(16)}`;
      let hex = '';
      for (let b = 7; b >= 0; b--) hex += imm8 & (1 << b) ? 'ff' : '00';
      return `#0x${hex.replace(/^0+/, '').padStart(14, '0')}`;
    },
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      tryLit(c, '#');
      const v = BigInt.asUintN(64, integer(c, 'a 64-bit immediate of 00/ff bytes'));
      let imm8 = 0;
      for (let b = 0; b < 8; b++) {
        const byte = Number((v >> BigInt(8 * b)) & 0xffn);
        if (byte === 0xff) imm8 |= 1 << b;
        else if (byte !== 0) mismatch(c, 'a 64-bit immediate whose bytes are each 0x00 or 0xff', at);
      }
      writeParts(imm8, parts, f, c, at, 'one immediate');
    },
  };
}

/**
 * The shift of a modified immediate, from cmode (C4.1.96 "Advanced SIMD modified immediate"):
 * `lsl32` cmode = 0:amount/8:low (amount 0/8/16/24, printed when non-zero), `lsl16` cmode = 10:amount/8:low
 * (0/8), `msl` cmode = 110:amount/8-1 (8/16, always printed). `low` is the cmode bit the row fixes (0 for
 * MOVI/MVNI, 1 for ORR/BIC).
 */
export function cmodeShift(kind: 'lsl32' | 'lsl16' | 'msl', low = 0): Operand {
  const amount = (cmode: number): number =>
    kind === 'lsl32'
      ? ((cmode >> 1) & 3) * 8
      : kind === 'lsl16'
        ? ((cmode >> 1) & 1) * 8
        : cmode & 1
          ? 16
          : 8;
  const cmodeOf = (a: number): number =>
    kind === 'lsl32'
      ? ((a / 8) << 1) | low
      : kind === 'lsl16'
        ? 0b1000 | ((a / 8) << 1) | low
        : 0b1100 | (a / 8 - 1);
  const amounts = kind === 'lsl32' ? [0, 8, 16, 24] : kind === 'lsl16' ? [0, 8] : [8, 16];
  const op = kind === 'msl' ? 'msl' : 'lsl';
  const shape: Operand = {
    fields: ['cmode'],
    print(f) {
      const a = amount(f.cmode!);
      return a === 0 && kind !== 'msl' ? undefined : `${op} #${a}`;
    },
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      if (!tryLit(c, op)) mismatch(c, `'${op} #${amounts.join('|')}'`);
      skipWs(c);
      tryLit(c, '#');
      const a = Number(integer(c, `${op} #${amounts.join('|')}`));
      if (!amounts.includes(a)) mismatch(c, `${op} #${amounts.join('|')}`, at);
      setField(f, 'cmode', cmodeOf(a), c, at, 'one shift');
    },
  };
  if (kind !== 'msl') {
    return {
      ...shape,
      absent(f) {
        if (f.cmode === undefined) f.cmode = cmodeOf(0);
      },
    };
  }
  return shape;
}

/** The fraction bits of a fixed-point conversion, `#fbits` = 64 − scale. */
export function fbits(scale: string): Operand {
  return {
    fields: [scale],
    print: (f) => `#${64 - f[scale]!}`,
    parse(c, f) {
      const at = (skipWs(c), c.pos);
      tryLit(c, '#');
      const v = Number(integer(c, 'fraction bits #1-#64'));
      if (v < 1 || v > 64) mismatch(c, 'fraction bits in [1, 64]', at);
      setField(f, scale, 64 - v, c, at, 'one fbits');
    },
  };
}
