/**
 * THE eBPF opcode table (RFC 9669, ISA v1–v4). The decoder, the encoder, the assembler, both printers,
 * the interpreter's dispatch and (later) the verifier and the JIT read these entries; nothing else restates
 * an opcode. Families are written as rows in the RFC's own tables (§4.1 arithmetic, §4.2 byte swap,
 * §4.3 jumps, §5 load/store, §5.3 atomics, §5.4 wide load, §5.5 legacy packet access) and expanded once at
 * load time into one entry per (opcode, fixed field) combination; `checkTable` rejects duplicates.
 *
 * An entry fixes `opcode` and possibly one more field (`match`: SDIV is DIV with off = 1, MOVSX is MOV with
 * off = 8/16/32, END fixes imm = width, atomics fix imm = operation, CALL and the wide load fix src). The
 * operand fields are given by `shape`; every field that is neither an operand nor matched must be zero.
 *
 * Deliberately not decoded (not in RFC 9669):
 *   - BPF_LOAD_ACQ / BPF_STORE_REL atomics (imm 0x100 / 0x110, kernel v6.15): no conformance group yet.
 *   - BPF_ST | BPF_NOSPEC (0xc2), BPF_JMP | BPF_TAIL_CALL (0xf5), BPF_PROBE_*: kernel-internal opcodes that
 *     never appear in programs loaded from user space.
 * `callx` (0x8d) is decoded because bpf_conformance has a test for it, but it is Linux-only (linux-notes.rst),
 * not in any RFC 9669 group; it is in the pseudo-group 'callx'.
 */
import { SHAPE_FIELDS, type Field, type OpcodeEntry } from './table-types.js';
import { ARITH_ENTRIES } from './table-arith.js';
import { JUMP_ENTRIES } from './table-jump.js';
import { MEM_ENTRIES } from './table-mem.js';

export {
  CONFORMANCE_GROUPS,
  SHAPE_FIELDS,
  type ConformanceGroup,
  type Field,
  type Shape,
  type Kind,
  type OpcodeEntry,
} from './table-types.js';

/** Every entry, in RFC order. */
export const OPCODE_TABLE: readonly OpcodeEntry[] = [...ARITH_ENTRIES, ...JUMP_ENTRIES, ...MEM_ENTRIES];

/** Entries by opcode byte (several when a field beyond the opcode discriminates). */
export const ENTRIES_BY_OPCODE: ReadonlyMap<number, readonly OpcodeEntry[]> = (() => {
  const m = new Map<number, OpcodeEntry[]>();
  for (const e of OPCODE_TABLE) {
    const list = m.get(e.opcode) ?? [];
    list.push(e);
    m.set(e.opcode, list);
  }
  return m;
})();

/** Entries by assembler mnemonic (and alias); several when the operand shape decides (mov K / mov X). */
export const ENTRIES_BY_MNEMONIC: ReadonlyMap<string, readonly OpcodeEntry[]> = (() => {
  const m = new Map<string, OpcodeEntry[]>();
  for (const e of OPCODE_TABLE) {
    for (const mn of [e.mnemonic, ...e.aliases]) {
      const list = m.get(mn) ?? [];
      list.push(e);
      m.set(mn, list);
    }
  }
  return m;
})();

export const ENTRY_BY_NAME: ReadonlyMap<string, OpcodeEntry> = new Map(OPCODE_TABLE.map((e) => [e.name, e]));

/**
 * The table's own consistency rules, checked at load time and in a unit test: unique names; within one
 * opcode, entries must fix the same discriminating field to distinct values, or the opcode has exactly one
 * entry; a matched field must not also be an operand; within one mnemonic, shapes must differ.
 * Returns the list of problems (empty when the table is sound).
 */
export function checkTable(table: readonly OpcodeEntry[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const byOpcode = new Map<number, OpcodeEntry[]>();
  for (const e of table) {
    if (names.has(e.name)) problems.push(`${e.name}: duplicate entry name`);
    names.add(e.name);
    if (e.opcode < 0 || e.opcode > 0xff)
      problems.push(`${e.name}: opcode 0x${e.opcode.toString(16)} is not a byte`);
    for (const f of Object.keys(e.match) as Field[]) {
      if (SHAPE_FIELDS[e.shape].includes(f))
        problems.push(`${e.name}: field ${f} is both matched and an operand`);
    }
    byOpcode.set(e.opcode, [...(byOpcode.get(e.opcode) ?? []), e]);
  }
  for (const [opcode, list] of byOpcode) {
    if (list.length === 1) continue;
    const keyFields = new Set(list.flatMap((e) => Object.keys(e.match)));
    const seen = new Map<string, string>();
    for (const e of list) {
      const key = [...keyFields].map((f) => `${f}=${e.match[f as Field] ?? '0'}`).join(',');
      const other = seen.get(key);
      if (other !== undefined)
        problems.push(`opcode 0x${opcode.toString(16)}: ${e.name} overlaps ${other} (${key})`);
      seen.set(key, e.name);
    }
  }
  const byMnemonic = new Map<string, OpcodeEntry[]>();
  for (const e of table)
    for (const mn of [e.mnemonic, ...e.aliases]) byMnemonic.set(mn, [...(byMnemonic.get(mn) ?? []), e]);
  for (const [mn, list] of byMnemonic) {
    const shapes = new Set(list.map((e) => e.shape));
    if (shapes.size !== list.length)
      problems.push(`mnemonic '${mn}': ${list.map((e) => e.name).join(', ')} share a shape`);
  }
  return problems;
}

const problems = checkTable(OPCODE_TABLE);
if (problems.length > 0) throw new Error(`src/bpf/isa/table.ts is inconsistent:\n${problems.join('\n')}`);
