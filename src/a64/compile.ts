/**
 * The table compiler (STYLE principle 3): turns the declarative table files into entries with masks and a
 * decode tree, and refuses a table that is wrong — two rows that can match the same word outside a
 * declared overlap group, field names that do not match the pattern, operands that use fields the row
 * does not have, aliases of unknown rows. Each error names the file, the row and the bits.
 */
import { parsePattern, PatternError } from './fields.js';
import type { AliasSpec, CompiledAlias, Entry, TableFile } from './types.js';

export class TableError extends Error {}

export interface CompiledTable {
  readonly entries: readonly Entry[];
  readonly byName: ReadonlyMap<string, Entry>;
  readonly root: DecodeNode;
}

/** A node of the decode tree: switch on `mask` bits, or scan `leaf` in priority order. */
export type DecodeNode =
  | { readonly kind: 'switch'; readonly mask: number; readonly children: Map<number, DecodeNode> }
  | { readonly kind: 'leaf'; readonly entries: readonly Entry[] };

const LEAF_SIZE = 3;

export function compileTable(files: readonly TableFile[]): CompiledTable {
  const entries: Entry[] = [];
  const byName = new Map<string, Entry>();
  const aliasSpecs: { spec: AliasSpec; file: string }[] = [];
  for (const file of files) {
    for (const spec of file.encodings) {
      const where = `${file.file}: ${spec.name}`;
      let parsed;
      try {
        parsed = parsePattern(spec.pattern, spec.fields);
      } catch (e) {
        if (e instanceof PatternError) throw new TableError(`${where}: ${e.message}`);
        throw e;
      }
      if (byName.has(spec.name)) throw new TableError(`${where}: row name used twice`);
      const names = new Set(parsed.fields.map((f) => f.name));
      for (const op of spec.operands) {
        for (const name of op.fields) {
          if (!names.has(name)) {
            throw new TableError(
              `${where}: an operand uses field '${name}', which the pattern does not have`,
            );
          }
        }
      }
      const entry: Entry = {
        ...spec,
        mask: parsed.mask,
        value: parsed.value,
        fieldSpecs: parsed.fields,
        aliases: [],
        index: entries.length,
        file: file.file,
      };
      entries.push(entry);
      byName.set(spec.name, entry);
    }
    for (const a of file.aliases ?? []) aliasSpecs.push({ spec: a, file: file.file });
  }
  const aliasNames = new Set<string>();
  for (const { spec, file } of aliasSpecs) {
    const base = byName.get(spec.base);
    if (!base) throw new TableError(`${file}: alias ${spec.name} names unknown base row ${spec.base}`);
    if (aliasNames.has(spec.name)) throw new TableError(`${file}: alias name ${spec.name} used twice`);
    aliasNames.add(spec.name);
    const fieldNames = new Set(base.fieldSpecs.map((f) => f.name));
    for (const op of spec.operands) {
      for (const name of op.fields) {
        if (!fieldNames.has(name)) {
          throw new TableError(`${file}: alias ${spec.name} uses field '${name}', which ${base.name} lacks`);
        }
      }
    }
    (base.aliases as CompiledAlias[]).push({ ...spec, entry: base });
  }
  checkOverlaps(entries);
  return { entries, byName, root: buildTree(entries, 0) };
}

/** Two rows overlap when some word matches both: their fixed bits agree wherever both are fixed. */
function checkOverlaps(entries: readonly Entry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const a = entries[i]!;
    for (let j = i + 1; j < entries.length; j++) {
      const b = entries[j]!;
      const both = (a.mask & b.mask) >>> 0;
      if (((a.value ^ b.value) & both) >>> 0 !== 0) continue;
      if (a.group !== undefined && a.group === b.group) continue;
      const example = (a.value | b.value) >>> 0;
      throw new TableError(
        `${a.file}: ${a.name} and ${b.file}: ${b.name} both match 0x${example.toString(16).padStart(8, '0')} ` +
          `(masks 0x${a.mask.toString(16)} / 0x${b.mask.toString(16)}); put them in one overlap group or fix the bits`,
      );
    }
  }
}

function buildTree(entries: readonly Entry[], known: number): DecodeNode {
  if (entries.length <= LEAF_SIZE) return { kind: 'leaf', entries };
  let common = 0xffffffff;
  for (const e of entries) common = (common & e.mask) >>> 0;
  common = (common & ~known) >>> 0;
  if (common === 0) return splitOnBestBit(entries, known);
  const children = new Map<number, Entry[]>();
  for (const e of entries) {
    const key = (e.value & common) >>> 0;
    let list = children.get(key);
    if (!list) children.set(key, (list = []));
    list.push(e);
  }
  const nodes = new Map<number, DecodeNode>();
  for (const [key, list] of children) nodes.set(key, buildTree(list, (known | common) >>> 0));
  return { kind: 'switch', mask: common, children: nodes };
}

/**
 * No bit is fixed in every row: switch on the bit fixed in the most rows. Rows that leave it open go to
 * both children, so priority order is kept inside each child.
 */
function splitOnBestBit(entries: readonly Entry[], known: number): DecodeNode {
  let best = -1;
  let bestCount = 0;
  for (let bit = 0; bit < 32; bit++) {
    const b = (1 << bit) >>> 0;
    if (known & b) continue;
    let n = 0;
    for (const e of entries) if (e.mask & b) n++;
    if (n > bestCount && n < entries.length + 1) {
      best = bit;
      bestCount = n;
    }
  }
  // Splitting only pays when it separates rows; otherwise scan linearly.
  if (best < 0 || bestCount < 2) return { kind: 'leaf', entries };
  const b = (1 << best) >>> 0;
  const zero = entries.filter((e) => !(e.mask & b) || !(e.value & b));
  const one = entries.filter((e) => !(e.mask & b) || e.value & b);
  if (zero.length === entries.length && one.length === entries.length) return { kind: 'leaf', entries };
  const nextKnown = (known | b) >>> 0;
  return {
    kind: 'switch',
    mask: b,
    children: new Map([
      [0, buildTree(zero, nextKnown)],
      [b, buildTree(one, nextKnown)],
    ]),
  };
}
