/**
 * The ELF layer: a bounds-checked ELF64 reader for AArch64 and BPF objects, executables and kernel modules.
 *
 *   const elf = parseElf(bytes);
 *   const text = elf.sectionByName('.text');
 *   for (const r of elf.relocationsFor(text)) … r.typeName, r.symbol?.name, r.addend
 *
 * Malformed input raises `ElfError` (a Tramp64Error) with a code and a message naming the field.
 */
export { parseElf, ElfFile } from './reader.js';
export type { ElfHeader, ElfSection, ElfSegment, ElfSymbol, ElfRelocation } from './reader.js';
export { ElfError, type ElfErrorCode } from './errors.js';
export { relocTypeName } from './reloc/types.js';
export * as ELF from './constants.js';
