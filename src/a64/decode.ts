/**
 * The decoder: total over all 32-bit words. A word decodes to the first row (in table priority order) whose
 * fixed bits match and whose `invalid` predicate does not reject its fields, or to `undefined`.
 */
import { extract } from './fields.js';
import type { CompiledTable, DecodeNode } from './compile.js';
import type { Decoded, Entry, Fields } from './types.js';

export function fieldsOf(entry: Entry, word: number): Fields {
  const f: Fields = {};
  for (const s of entry.fieldSpecs) f[s.name] = extract(word, s.lsb, s.width);
  return f;
}

export function decodeWith(table: CompiledTable, word: number): Decoded | undefined {
  word >>>= 0;
  let node: DecodeNode | undefined = table.root;
  while (node && node.kind === 'switch') node = node.children.get((word & node.mask) >>> 0);
  if (!node) return undefined;
  for (const entry of node.entries) {
    if ((word & entry.mask) >>> 0 !== entry.value) continue;
    const f = fieldsOf(entry, word);
    if (entry.invalid?.(f)) continue;
    return { word, entry, f };
  }
  return undefined;
}
