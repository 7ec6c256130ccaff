/** eBPF ISA (RFC 9669): the opcode table, the instruction record and its 8-byte encoding. */
export * from './opcodes.js';
export {
  OPCODE_TABLE,
  ENTRIES_BY_OPCODE,
  ENTRIES_BY_MNEMONIC,
  ENTRY_BY_NAME,
  SHAPE_FIELDS,
  CONFORMANCE_GROUPS,
  checkTable,
  type OpcodeEntry,
  type ConformanceGroup,
  type Shape,
  type Field,
  type Kind,
} from './table.js';
export {
  type BpfInsn,
  INSN_SIZE,
  isWide,
  decodeWord,
  encodeWord,
  wordToU64,
  u64ToWord,
  lookupEntry,
  decodeProgram,
  encodeProgram,
  checkFieldRanges,
  joinImm64,
  wideSlots,
} from './insn.js';
export { BpfDecodeError, BpfEncodeError } from './errors.js';
