/**
 * The shapes of the A64 table. An `EncodingSpec` is one row of an Arm ARM encoding class; an `AliasSpec`
 * is a preferred disassembly (and accepted assembly) of a base encoding when a predicate over its fields
 * holds. Operands are shared "operand shape" objects (operands.ts), not per-mnemonic code.
 */
import type { FieldSpec } from './fields.js';

/** Decoded field values by the manual's field names, plus derived pseudo-fields set by operand parsers. */
export type Fields = Record<string, number>;

/** Instruction classes for coverage reports and the machine's cost model. */
export type InsnClass =
  | 'alu'
  | 'mov'
  | 'mul'
  | 'div'
  | 'load'
  | 'store'
  | 'loadpair'
  | 'storepair'
  | 'atomic'
  | 'exclusive'
  | 'branch'
  | 'branch-ind'
  | 'call'
  | 'call-ind'
  | 'ret'
  | 'system'
  | 'barrier'
  | 'hint'
  | 'exception'
  | 'simd'
  | 'fp'
  | 'crypto';

export interface PrintContext {
  /** Address of the instruction; when set, PC-relative targets print as absolute addresses (objdump style). */
  readonly address?: bigint;
  /** Names an absolute address, e.g. `foo+0x10`; printed as ` <foo+0x10>` after a branch target. */
  readonly symbolize?: (address: bigint) => string | undefined;
}

/** A text cursor for the assembler. Operand parsers consume from it and report errors at its column. */
export interface Cursor {
  readonly text: string;
  pos: number;
}

/** Thrown by an operand parser when the text does not fit this operand; the assembler tries the next candidate. */
export class OperandMismatch extends Error {
  constructor(
    readonly pos: number,
    readonly expected: string,
  ) {
    super(`expected ${expected}`);
  }
}

export interface ParseContext {
  /** Address of the instruction being assembled, for PC-relative operands given as absolute addresses. */
  readonly address?: bigint;
  /** Resolves a label or symbol used as a PC-relative operand. */
  readonly resolve?: (name: string) => bigint | undefined;
}

/** One operand shape: how fields become text and text becomes fields. */
export interface Operand {
  /** Text for the operand, or undefined when it is absent (an optional shift of zero …). */
  print(f: Fields, ctx: PrintContext): string | undefined;
  /** Consume the operand's text at the cursor and set fields; throw OperandMismatch if it does not fit. */
  parse(c: Cursor, f: Fields, ctx: ParseContext): void;
  /** For optional operands: set the fields for the absent form. Undefined means the operand is required. */
  absent?(f: Fields): void;
  /** Names of the fields this operand reads and writes (used by the table's coverage check). */
  readonly fields: readonly string[];
}

export interface EncodingSpec {
  /** Manual instruction name + form: `ADD_imm`, `LDR_lit`, `STP_pre`. Unique across the table. */
  readonly name: string;
  /** Mnemonic as LLVM prints it. May contain `{cond}` for a condition-code field (`b.{cond}`). */
  readonly mnemonic: string;
  readonly pattern: string;
  readonly fields: string;
  readonly operands: readonly Operand[];
  readonly cls: InsnClass;
  /** Entries in one group may overlap; the earlier row wins. Others must not overlap. */
  readonly group?: string;
  /** Field combinations the manual marks unallocated or reserved: such words do not decode as this row. */
  readonly invalid?: (f: Fields) => boolean;
  /** Fields that the assembler sets even though no operand mentions them (e.g. a fixed `sh` for an alias). */
  readonly defaults?: Fields;
  /** Disassemble-only: the assembler never picks this row (e.g. a generic `hint #n` when a named form exists). */
  readonly printOnly?: boolean;
  /** LLVM's trailing annotation, printed after `// ` (e.g. `=4096` for `add x0, x1, #1, lsl #12`). */
  readonly comment?: (f: Fields) => string | undefined;
  /**
   * CONSTRAINED UNPREDICTABLE field combinations that still decode (LLVM disassembles them) but that the
   * assembler refuses, as LLVM's does (e.g. writeback to a base that is also the transfer register).
   * Returns the reason, or undefined when the fields are fine.
   */
  readonly unpredictable?: (f: Fields) => string | undefined;
}

export interface AliasSpec {
  readonly name: string;
  /** Name of the base EncodingSpec. */
  readonly base: string;
  readonly mnemonic: string;
  /** The alias is the preferred disassembly when this holds. */
  readonly when: (f: Fields) => boolean;
  readonly operands: readonly Operand[];
  /** Fields the alias fixes when assembling (e.g. Rd = 31 for `cmp`). */
  readonly fixed?: Fields;
  /**
   * Print-only aliases are never used by the assembler (e.g. ones LLVM prints but does not accept), and
   * assemble-only ones are never printed (e.g. `mov x0, #imm` forms LLVM accepts but prints another way).
   */
  readonly only?: 'print' | 'assemble';
  /** LLVM's trailing annotation, as for EncodingSpec. */
  readonly comment?: (f: Fields) => string | undefined;
}

/** A compiled table row. */
export interface Entry extends EncodingSpec {
  readonly mask: number;
  readonly value: number;
  readonly fieldSpecs: readonly FieldSpec[];
  /** Aliases of this entry, in preference order. */
  readonly aliases: readonly CompiledAlias[];
  /** Index in the table (global priority order). */
  readonly index: number;
  /** File the row came from, for error messages. */
  readonly file: string;
}

export interface CompiledAlias extends AliasSpec {
  readonly entry: Entry;
}

/** A table file: its Arm ARM section and rows. */
export interface TableFile {
  readonly file: string;
  /** Arm ARM (DDI 0487) section, e.g. 'C4.1.92 Data Processing -- Immediate'. */
  readonly section: string;
  readonly encodings: readonly EncodingSpec[];
  readonly aliases?: readonly AliasSpec[];
}

export interface Decoded {
  readonly word: number;
  readonly entry: Entry;
  readonly f: Fields;
}
