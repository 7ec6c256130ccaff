/**
 * The ELF64 reader: little-endian ELF64 for EM_AARCH64 and EM_BPF, relocatable objects (`.o`, `.ko`),
 * executables and shared objects. It takes bytes and returns data; it never touches files.
 *
 * Checking policy: `parseElf` checks the file header, the section and program header tables, every
 * section's [sh_offset, sh_offset + sh_size) against the file and every section name (headers.ts), so
 * `sectionData` can never fail. Symbol and relocation tables are decoded (and checked) on first use, once: sh_link/sh_info,
 * entry sizes, name offsets, section indices and symbol indices. Every field that locates bytes in the file
 * is checked before it is used, so any input ends as a parsed file or an `ElfError` — the mutation test
 * (tests/elf/mutate.test.ts) holds the reader to that.
 *
 * Number representation: file offsets and sizes of things in the file are `number` (they are bounded by the
 * file size); addresses, symbol values and sizes, addends and alignments are `bigint`, because kernel
 * addresses (ffff8000…) do not fit a double exactly.
 */
import { hex0x } from '../util/hex.js';
import * as C from './constants.js';
import { ElfError } from './errors.js';
import { dataSize, decodeName, findNul, readHeaders } from './headers.js';
import { relocTypeName } from './reloc/types.js';
import type { ElfHeader, ElfRelocation, ElfSection, ElfSegment, ElfSymbol } from './types.js';

export type { ElfHeader, ElfRelocation, ElfSection, ElfSegment, ElfSymbol };

/** Parse an ELF64 file. Throws `ElfError` for anything malformed or unsupported. */
export function parseElf(bytes: Uint8Array): ElfFile {
  return new ElfFile(bytes);
}

export class ElfFile {
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];

  private readonly view: DataView;
  private readonly symbolCache = new Map<number, readonly ElfSymbol[]>();
  private readonly relocCache = new Map<number, readonly ElfRelocation[]>();
  private readonly functionIndex = new Map<
    number,
    { funcs: readonly ElfSymbol[]; maxEnd: readonly bigint[] }
  >();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { header, sections, segments } = readHeaders(bytes);
    this.header = header;
    this.sections = sections;
    this.segments = segments;
  }

  /** The first section called `name`, or undefined. */
  sectionByName(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** The section's bytes as a view into the file (empty for SHT_NOBITS and SHT_NULL). */
  sectionData(sec: ElfSection): Uint8Array {
    const s = this.own(sec);
    return this.bytes.subarray(s.offset, s.offset + dataSize(s));
  }

  /** The static symbol table (.symtab), else the dynamic one (.dynsym), else undefined. */
  get symtab(): ElfSection | undefined {
    return (
      this.sections.find((s) => s.type === C.SHT_SYMTAB) ?? this.sections.find((s) => s.type === C.SHT_DYNSYM)
    );
  }

  /** The symbols of a SHT_SYMTAB or SHT_DYNSYM section, including the null symbol at index 0. */
  symbolsOf(sec: ElfSection): readonly ElfSymbol[] {
    const s = this.own(sec);
    let syms = this.symbolCache.get(s.index);
    if (!syms) {
      syms = this.readSymbols(s);
      this.symbolCache.set(s.index, syms);
    }
    return syms;
  }

  /** The entries of one SHT_RELA or SHT_REL section. */
  relocationsOf(sec: ElfSection): readonly ElfRelocation[] {
    const s = this.own(sec);
    let rels = this.relocCache.get(s.index);
    if (!rels) {
      rels = this.readRelocations(s);
      this.relocCache.set(s.index, rels);
    }
    return rels;
  }

  /** All relocations that apply to `target` (from every SHT_RELA/SHT_REL section whose sh_info names it). */
  relocationsFor(target: ElfSection): readonly ElfRelocation[] {
    const t = this.own(target);
    if (t.index === 0) return [];
    const out: ElfRelocation[] = [];
    for (const s of this.sections) {
      if ((s.type === C.SHT_RELA || s.type === C.SHT_REL) && s.info === t.index)
        out.push(...this.relocationsOf(s));
    }
    return out;
  }

  /**
   * The function symbol (STT_FUNC or STT_GNU_IFUNC) whose [value, value + size) covers `addr`, from the static
   * symbol table (else the dynamic one). In a relocatable file symbol values are section offsets, so pass the
   * section index `shndx`; in an executable pass only the address. A zero-size symbol covers its own address.
   */
  functionAt(addr: bigint, shndx?: number): ElfSymbol | undefined {
    const { funcs, maxEnd } = this.functionsSorted(shndx ?? -1);
    // The last function starting at or below addr, then back while an earlier one may still reach addr.
    let lo = 0;
    let hi = funcs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (funcs[mid]!.value <= addr) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && maxEnd[i]! > addr; i--) {
      const f = funcs[i]!;
      if (addr < f.value + (f.size === 0n ? 1n : f.size)) return f;
    }
    return undefined;
  }

  /** The NUL-terminated string at `offset` in string-table section `strtab`. */
  stringAt(strtab: ElfSection, offset: number, what = 'name'): string {
    const s = this.own(strtab);
    const size = dataSize(s);
    if (offset === 0 && size === 0) return '';
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= size) {
      throw new ElfError(
        'ELF_BAD_STRING',
        `${what} offset ${hex0x(offset)} is outside ${this.where(s)} (size ${hex0x(size)})`,
      );
    }
    const start = s.offset + offset;
    const end = findNul(this.bytes, start, s.offset + size);
    if (end < 0) {
      throw new ElfError(
        'ELF_BAD_STRING',
        `${what} at offset ${hex0x(offset)} in ${this.where(s)} is not NUL-terminated before the table ends at ${hex0x(size)}`,
      );
    }
    return decodeName(this.bytes, start, end);
  }

  // ---- symbols -------------------------------------------------------------------------------------

  private readSymbols(s: ElfSection): ElfSymbol[] {
    if (s.type !== C.SHT_SYMTAB && s.type !== C.SHT_DYNSYM) {
      throw new ElfError('ELF_BAD_LINK', `${this.where(s)} is not a symbol table (sh_type ${hex0x(s.type)})`);
    }
    const count = this.entryCount(s, C.SYM_SIZE);
    const strtab = this.linked(s, 'sh_link', s.link, [C.SHT_STRTAB]);
    // Extended section indices: a SHT_SYMTAB_SHNDX section whose sh_link is this table.
    const shndxSec = this.sections.find((x) => x.type === C.SHT_SYMTAB_SHNDX && x.link === s.index);
    const shnum = this.header.shnum;
    const v = this.view;
    const names = new Map<number, string>();
    const out: ElfSymbol[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const o = s.offset + i * C.SYM_SIZE;
      const nameOffset = v.getUint32(o, true);
      const info = v.getUint8(o + 4);
      const other = v.getUint8(o + 5);
      let shndx = v.getUint16(o + 6, true);
      let xindex = false;
      if (shndx === C.SHN_XINDEX) {
        if (!shndxSec) {
          throw new ElfError(
            'ELF_BAD_SYMBOL',
            `${this.where(s)}: symbol ${i} has st_shndx SHN_XINDEX but no SHT_SYMTAB_SHNDX section links to the table`,
          );
        }
        if ((i + 1) * 4 > shndxSec.size) {
          throw new ElfError(
            'ELF_BAD_SYMBOL',
            `${this.where(s)}: symbol ${i} has st_shndx SHN_XINDEX but ${this.where(shndxSec)} (size ${hex0x(shndxSec.size)}) has no entry ${i}`,
          );
        }
        shndx = v.getUint32(shndxSec.offset + i * 4, true);
        xindex = true;
        if (shndx >= shnum) {
          throw new ElfError(
            'ELF_BAD_SYMBOL',
            `${this.where(s)}: symbol ${i}: extended section index ${shndx} ≥ e_shnum ${shnum}`,
          );
        }
      } else if (shndx !== C.SHN_UNDEF && shndx < C.SHN_LORESERVE && shndx >= shnum) {
        throw new ElfError(
          'ELF_BAD_SYMBOL',
          `${this.where(s)}: symbol ${i}: st_shndx ${shndx} ≥ e_shnum ${shnum}`,
        );
      }
      let name = names.get(nameOffset);
      if (name === undefined) {
        name = this.stringAt(strtab, nameOffset, `symbol ${i} of ${this.where(s)}: st_name`);
        names.set(nameOffset, name);
      }
      out[i] = {
        index: i,
        name,
        nameOffset,
        value: v.getBigUint64(o + 8, true),
        size: v.getBigUint64(o + 16, true),
        type: info & 0xf,
        bind: info >>> 4,
        visibility: other & 3,
        other,
        shndx,
        xindex,
      };
    }
    return out;
  }

  // ---- relocations ---------------------------------------------------------------------------------

  private readRelocations(s: ElfSection): ElfRelocation[] {
    if (s.type !== C.SHT_RELA && s.type !== C.SHT_REL) {
      throw new ElfError(
        'ELF_BAD_LINK',
        `${this.where(s)} is not a relocation section (sh_type ${hex0x(s.type)})`,
      );
    }
    const rela = s.type === C.SHT_RELA;
    const entSize = rela ? C.RELA_SIZE : C.REL_SIZE;
    const count = this.entryCount(s, entSize);
    if (s.info >= this.header.shnum) {
      throw new ElfError(
        'ELF_BAD_LINK',
        `${this.where(s)}: sh_info ${s.info} (the section relocated) ≥ e_shnum ${this.header.shnum}`,
      );
    }
    const symbols =
      s.link === 0
        ? undefined
        : this.symbolsOf(this.linked(s, 'sh_link', s.link, [C.SHT_SYMTAB, C.SHT_DYNSYM]));
    const machine = this.header.machine;
    const v = this.view;
    const out: ElfRelocation[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const o = s.offset + i * entSize;
      const type = v.getUint32(o + 8, true);
      const sym = v.getUint32(o + 12, true);
      let symbol: ElfSymbol | undefined;
      if (symbols) {
        symbol = symbols[sym];
        if (!symbol) {
          throw new ElfError(
            'ELF_BAD_RELOCATION',
            `${this.where(s)}: relocation ${i}: symbol index ${sym} ≥ ${symbols.length} symbols in section ${s.link}`,
          );
        }
      } else if (sym !== 0) {
        throw new ElfError(
          'ELF_BAD_RELOCATION',
          `${this.where(s)}: relocation ${i}: symbol index ${sym} but sh_link is 0 (no symbol table)`,
        );
      }
      out[i] = {
        index: i,
        offset: v.getBigUint64(o, true),
        sym,
        type,
        typeName: relocTypeName(machine, type),
        addend: rela ? v.getBigInt64(o + 16, true) : 0n,
        symbol,
      };
    }
    return out;
  }

  // ---- helpers -------------------------------------------------------------------------------------

  /** Defined function symbols sorted by value (larger first at equal values), with the running maximum end. */
  private functionsSorted(shndx: number): { funcs: readonly ElfSymbol[]; maxEnd: readonly bigint[] } {
    let idx = this.functionIndex.get(shndx);
    if (!idx) {
      const tab = this.symtab;
      const funcs = (tab ? this.symbolsOf(tab) : [])
        .filter(
          (x) =>
            (x.type === C.STT_FUNC || x.type === C.STT_GNU_IFUNC) &&
            x.shndx !== C.SHN_UNDEF &&
            (shndx < 0 || x.shndx === shndx),
        )
        .sort((a, b) =>
          a.value < b.value ? -1 : a.value > b.value ? 1 : a.size > b.size ? -1 : a.size < b.size ? 1 : 0,
        );
      const maxEnd: bigint[] = [];
      let m = 0n;
      for (const f of funcs) {
        const end = f.value + (f.size === 0n ? 1n : f.size);
        if (end > m) m = end;
        maxEnd.push(m);
      }
      idx = { funcs, maxEnd };
      this.functionIndex.set(shndx, idx);
    }
    return idx;
  }

  /** The number of fixed-size entries in a table section, checking sh_entsize and sh_size. */
  private entryCount(s: ElfSection, entSize: number): number {
    if (s.entsize !== entSize) {
      throw new ElfError(
        'ELF_BAD_SECTION',
        `${this.where(s)}: sh_entsize ${hex0x(s.entsize)}, expected ${hex0x(entSize)}`,
      );
    }
    if (s.type === C.SHT_NOBITS) return 0;
    if (s.size % entSize !== 0) {
      throw new ElfError(
        'ELF_BAD_SECTION',
        `${this.where(s)}: sh_size ${hex0x(s.size)} is not a multiple of sh_entsize ${hex0x(entSize)}`,
      );
    }
    return s.size / entSize;
  }

  /** The section a link field names, which must exist and have one of `types`. */
  private linked(s: ElfSection, field: string, index: number, types: readonly number[]): ElfSection {
    const t = index === 0 ? undefined : this.sections[index];
    if (!t) {
      throw new ElfError(
        'ELF_BAD_LINK',
        `${this.where(s)}: ${field} ${index} is not a section index (e_shnum ${this.header.shnum})`,
      );
    }
    if (!types.includes(t.type)) {
      throw new ElfError(
        'ELF_BAD_LINK',
        `${this.where(s)}: ${field} ${index} names ${this.where(t)} of sh_type ${hex0x(t.type)}, expected ${types.map(hex0x).join(' or ')}`,
      );
    }
    return t;
  }

  private own(sec: ElfSection): ElfSection {
    const s = this.sections[sec.index];
    if (s === undefined)
      throw new ElfError(
        'ELF_NOT_FOUND',
        `section index ${sec.index} is not in this file (e_shnum ${this.header.shnum})`,
      );
    return s;
  }

  private where(s: ElfSection): string {
    return s.name === '' ? `section ${s.index}` : `section ${s.index} (${s.name})`;
  }
}
