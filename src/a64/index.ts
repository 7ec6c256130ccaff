/**
 * The A64 instruction set: one table (table/) compiled once per process into a decoder, checked
 * encoder, LLVM-syntax printer and text assembler, and a typed builder for code generators.
 */
import { compileTable, type CompiledTable } from './compile.js';
import { decodeWith } from './decode.js';
import { encodeEntry, EncodingError } from './encode.js';
import { printDecoded } from './print.js';
import { assemble as assembleText, assembleInsn, AssemblyError, type AssembleResult } from './parse.js';
import { TABLE_FILES } from './table/index.js';
import type { Decoded, Fields, ParseContext, PrintContext } from './types.js';

let compiled: CompiledTable | undefined;

/** The compiled table (built on first use, once per process). */
export function table(): CompiledTable {
  return (compiled ??= compileTable(TABLE_FILES));
}

/** Decode a word; undefined for words the table does not allocate (llvm prints `<unknown>`). */
export function decode(word: number): Decoded | undefined {
  return decodeWith(table(), word);
}

/** LLVM-syntax text of a word, or undefined if it does not decode. */
export function disassemble(word: number, ctx: PrintContext = {}): string | undefined {
  const d = decode(word);
  return d && printDecoded(d, ctx);
}

/** Encode a row by name with its fields (the checked middle layer). */
export function encode(name: string, fields: Fields): number {
  const entry = table().byName.get(name);
  if (!entry) throw new EncodingError(`no A64 table row named ${name}`);
  return encodeEntry(entry, fields);
}

/** Assemble one instruction of LLVM syntax. */
export function assembleOne(text: string, ctx: ParseContext = {}): number {
  return assembleInsn(table(), text, ctx);
}

/** Assemble a source text with labels and directives. */
export function assemble(
  source: string,
  opts: { address?: bigint; name?: string; symbols?: (name: string) => bigint | undefined } = {},
): AssembleResult {
  return assembleText(table(), source, opts);
}

export { EncodingError, AssemblyError };
export type { Decoded, Fields, PrintContext, ParseContext, AssembleResult };
