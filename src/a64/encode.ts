/**
 * The checked encoder: the middle emit layer. One function for every row — it takes the row and its field
 * values, checks each value against its field's width and the row's `invalid` rule, and returns the word.
 * Nothing is emitted on error; the `EncodingError` names the row, the field, the value and the rule.
 */
import { Tramp64Error } from '../util/errors.js';
import { deposit } from './fields.js';
import type { Entry, Fields } from './types.js';

export class EncodingError extends Tramp64Error {
  constructor(message: string) {
    super('ENCODING', message);
  }
}

export function encodeEntry(entry: Entry, f: Fields): number {
  let word = entry.value;
  for (const s of entry.fieldSpecs) {
    const v = f[s.name] ?? entry.defaults?.[s.name];
    if (v === undefined) throw new EncodingError(`${entry.name}: field ${s.name} has no value`);
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** s.width) {
      throw new EncodingError(`${entry.name}: field ${s.name} = ${v} does not fit in ${s.width} bits`);
    }
    word = deposit(word, s.lsb, s.width, v);
  }
  if (entry.invalid) {
    const g: Fields = {};
    for (const s of entry.fieldSpecs) g[s.name] = f[s.name] ?? entry.defaults?.[s.name] ?? 0;
    if (entry.invalid(g)) {
      throw new EncodingError(
        `${entry.name}: field values ${JSON.stringify(g)} are reserved (unallocated) for this encoding`,
      );
    }
  }
  return word >>> 0;
}
