/**
 * A raw dump of a type graph in the text format of `bpftool btf dump file X` (format raw), so our reader
 * can be compared line by line with bpftool's: `[id] KIND 'name' field=value …`, members indented by a tab.
 */
import {
  BTF_FUNC_LINKAGE,
  BTF_INT_BOOL,
  BTF_INT_CHAR,
  BTF_INT_SIGNED,
  BTF_VAR_LINKAGE,
  type BtfType,
} from './types.js';
import type { Btf } from './parse.js';

const q = (s: string): string => `'${s === '' ? '(anon)' : s}'`;

function intEncoding(e: number): string {
  if (e & BTF_INT_SIGNED) return 'SIGNED';
  if (e & BTF_INT_CHAR) return 'CHAR';
  if (e & BTF_INT_BOOL) return 'BOOL';
  return '(none)';
}

export function dumpType(btf: Btf, t: BtfType): string {
  const head = `[${t.id}] ${t.kind} ${q(t.name)}`;
  switch (t.kind) {
    case 'INT':
      return `${head} size=${t.size} bits_offset=${t.bitsOffset} nr_bits=${t.nrBits} encoding=${intEncoding(t.encoding)}`;
    case 'PTR':
    case 'TYPEDEF':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return `${head} type_id=${t.type}`;
    case 'ARRAY':
      return `${head} type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`;
    case 'STRUCT':
    case 'UNION':
      return [
        `${head} size=${t.size} vlen=${t.members.length}`,
        ...t.members.map(
          (m) =>
            `\t${q(m.name)} type_id=${m.type} bits_offset=${m.bitOffset}${m.bitfieldSize ? ` bitfield_size=${m.bitfieldSize}` : ''}`,
        ),
      ].join('\n');
    case 'ENUM':
    case 'ENUM64':
      return [
        `${head} encoding=${t.signed ? 'SIGNED' : 'UNSIGNED'} size=${t.size} vlen=${t.values.length}`,
        ...t.values.map((v) => `\t${q(v.name)} val=${v.value}`),
      ].join('\n');
    case 'FWD':
      return `${head} fwd_kind=${t.union ? 'union' : 'struct'}`;
    case 'FUNC':
      return `${head} type_id=${t.type} linkage=${BTF_FUNC_LINKAGE[t.linkage] ?? 'UNKN'}`;
    case 'FUNC_PROTO': {
      const ps = t.params.map((p) => `\t${q(p.name)} type_id=${p.type}`);
      if (t.variadic) ps.push(`\t'(anon)' type_id=0`);
      return [`${head} ret_type_id=${t.returnType} vlen=${ps.length}`, ...ps].join('\n');
    }
    case 'VAR':
      return `${head} type_id=${t.type}, linkage=${BTF_VAR_LINKAGE[t.linkage] ?? 'UNKN'}`;
    case 'DATASEC':
      return [
        `${head} size=${t.size} vlen=${t.vars.length}`,
        ...t.vars.map((v) => {
          let n = '';
          try {
            n = btf.type(v.type)?.name ?? '';
          } catch {
            n = '?';
          }
          return `\ttype_id=${v.type} offset=${v.offset} size=${v.size} (VAR ${q(n)})`;
        }),
      ].join('\n');
    case 'FLOAT':
      return `${head} size=${t.size}`;
    case 'DECL_TAG':
      return `${head} type_id=${t.type} component_idx=${t.componentIdx}`;
  }
}

/** The whole own type section, one type per entry (multi-line for members), newline-terminated. */
export function dumpBtf(btf: Btf): string {
  return btf.types.map((t) => dumpType(btf, t)).join('\n') + (btf.types.length ? '\n' : '');
}
