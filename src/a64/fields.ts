/**
 * Field codecs: the bottom of the three emit layers (STYLE principle 5). A pattern string in the manual's
 * bit order (MSB first) becomes a fixed mask/value and a list of named bit fields; `extract` and `deposit`
 * move a field's value in and out of a 32-bit word.
 *
 * Pattern syntax: 32 characters once spaces are removed. `0`/`1` are fixed bits, `x` field bits and `-`
 * don't-care bits. Spaces separate groups; a group of `x` is one field, named in order by the entry's
 * `fields` string. A group may not mix `x` with fixed bits.
 */

export interface FieldSpec {
  readonly name: string;
  /** Bit number of the field's least significant bit. */
  readonly lsb: number;
  readonly width: number;
}

export interface ParsedPattern {
  /** Bits that must have the values in `value`. */
  readonly mask: number;
  readonly value: number;
  /** Bits that belong to no field and are not fixed ('-'). */
  readonly dontCare: number;
  readonly fields: readonly FieldSpec[];
}

export class PatternError extends Error {}

export function parsePattern(pattern: string, fieldNames: string): ParsedPattern {
  const groups = pattern.trim().split(/\s+/);
  const bits = groups.join('');
  if (bits.length !== 32) {
    throw new PatternError(`pattern has ${bits.length} bits, expected 32: '${pattern}'`);
  }
  const names = fieldNames.trim() === '' ? [] : fieldNames.trim().split(/\s+/);
  let mask = 0;
  let value = 0;
  let dontCare = 0;
  const fields: FieldSpec[] = [];
  let bit = 32;
  let nameIndex = 0;
  for (const g of groups) {
    if (!/^[01x-]+$/.test(g)) throw new PatternError(`bad character in pattern group '${g}'`);
    const hasX = g.includes('x');
    if (hasX && !/^x+$/.test(g)) {
      throw new PatternError(`group '${g}' mixes field bits with fixed bits; split it with a space`);
    }
    if (hasX) {
      const name = names[nameIndex++];
      if (name === undefined) throw new PatternError(`field group ${nameIndex} ('${g}') has no name`);
      if (fields.some((f) => f.name === name)) throw new PatternError(`field '${name}' named twice`);
      fields.push({ name, lsb: bit - g.length, width: g.length });
      bit -= g.length;
      continue;
    }
    for (const c of g) {
      bit--;
      const b = (1 << bit) >>> 0;
      if (c === '-') dontCare = (dontCare | b) >>> 0;
      else {
        mask = (mask | b) >>> 0;
        if (c === '1') value = (value | b) >>> 0;
      }
    }
  }
  if (nameIndex !== names.length) {
    throw new PatternError(`${names.length} field names for ${nameIndex} field groups: '${fieldNames}'`);
  }
  return { mask, value, dontCare, fields };
}

/** The unsigned value of `width` bits at `lsb`. */
export function extract(word: number, lsb: number, width: number): number {
  return width === 32 ? word >>> 0 : (word >>> lsb) & ((2 ** width - 1) >>> 0);
}

/** `word` with `width` bits at `lsb` replaced by `value` (which must fit). */
export function deposit(word: number, lsb: number, width: number, value: number): number {
  const m = ((2 ** width - 1) * 2 ** lsb) >>> 0;
  return ((word & ~m) | ((value * 2 ** lsb) & m)) >>> 0;
}

export function fieldMask(f: FieldSpec): number {
  return ((2 ** f.width - 1) * 2 ** f.lsb) >>> 0;
}
