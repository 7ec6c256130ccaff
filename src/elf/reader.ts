/**
 * The ELF64 reader: little-endian ELF64 for EM_AARCH64 and EM_BPF, relocatable objects (`.o`, `.ko`),
 * executables and shared objects. It takes bytes and returns data; it never touches files.
 *
 * Checking policy: `parseElf` checks the file header, the section and program header tables, every
 * section's [sh_offset, sh_offset + sh_size) against the file and every section name, so `sectionData` can
 * never fail. Symbol and relocation tables are decoded (and checked) on first use, once: sh_link/sh_info,
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
import { relocTypeName } from './reloc/types.js';

export interface ElfHeader {
  /** ET_REL, ET_EXEC or ET_DYN. */
  type: number;
  /** EM_AARCH64 or EM_BPF. */
  machine: number;
  osabi: number;
  abiversion: number;
  entry: bigint;
  phoff: number;
  shoff: number;
  flags: number;
  ehsize: number;
  phentsize: number;
  /** The real number of program headers (PN_XNUM resolved). */
  phnum: number;
  shentsize: number;
  /** The real number of section headers (e_shnum 0 with a section table resolved through section 0). */
  shnum: number;
  /** The real index of the section-name string table (SHN_XINDEX resolved). */
  shstrndx: number;
}

export interface ElfSection {
  index: number;
  name: string;
  /** sh_name: offset of the name in the section-name string table. */
  nameOffset: number;
  type: number;
  /** sh_flags (bits 63:32 are always zero; the reader rejects files that set them). */
  flags: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: bigint;
  entsize: number;
}

export interface ElfSegment {
  index: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: bigint;
  align: bigint;
}

export interface ElfSymbol {
  /** Index in its symbol table (relocations refer to symbols by this). */
  index: number;
  /** The name from the linked string table; empty for STT_SECTION symbols (use the section's name). */
  name: string;
  nameOffset: number;
  value: bigint;
  size: bigint;
  /** STT_* (st_info & 0xf). */
  type: number;
  /** STB_* (st_info >> 4). */
  bind: number;
  /** STV_* (st_other & 3). */
  visibility: number;
  other: number;
  /**
   * The section index: a real index, or SHN_UNDEF / SHN_ABS / SHN_COMMON (or another reserved value).
   * SHN_XINDEX is resolved through the SHT_SYMTAB_SHNDX table; `xindex` says it was.
   */
  shndx: number;
  xindex: boolean;
}

export interface ElfRelocation {
  /** Index in its relocation section. */
  index: number;
  /** r_offset: an offset in the target section (ET_REL) or a virtual address (ET_EXEC, ET_DYN). */
  offset: bigint;
  /** Symbol index (r_info >> 32). */
  sym: number;
  /** Relocation type (r_info & 0xffffffff). */
  type: number;
  /** R_AARCH64_… / R_BPF_… name, undefined if the machine's ABI does not define the number. */
  typeName: string | undefined;
  /** r_addend (0 for SHT_REL sections, whose addend is in the relocated field). */
  addend: bigint;
  /** The symbol `sym` names, undefined when the section links to no symbol table. */
  symbol: ElfSymbol | undefined;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const utf8 = new TextDecoder('utf-8');

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
  private readonly size: number;
  private readonly symbolCache = new Map<number, readonly ElfSymbol[]>();
  private readonly relocCache = new Map<number, readonly ElfRelocation[]>();
  private readonly functionIndex = new Map<number, { funcs: readonly ElfSymbol[]; maxEnd: readonly bigint[] }>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.size = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.header = this.readHeader();
    this.sections = this.readSections();
    this.segments = this.readSegments();
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
    return this.sections.find((s) => s.type === C.SHT_SYMTAB) ?? this.sections.find((s) => s.type === C.SHT_DYNSYM);
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
      if ((s.type === C.SHT_RELA || s.type === C.SHT_REL) && s.info === t.index) out.push(...this.relocationsOf(s));
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
    if (offset >= size) {
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

  // ---- file header ---------------------------------------------------------------------------------

  private readHeader(): ElfHeader {
    const b = this.bytes;
    if (this.size < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
      const got = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
      throw new ElfError('ELF_BAD_MAGIC', `e_ident[0..3] is [${got}], expected [7f 45 4c 46] ("\\x7fELF")`);
    }
    if (this.size < C.EHDR_SIZE) {
      throw new ElfError('ELF_TRUNCATED', `file size ${hex0x(this.size)} is smaller than the ELF64 header (0x40)`);
    }
    if (b[4] !== C.ELFCLASS64) {
      throw new ElfError('ELF_BAD_CLASS', `e_ident[EI_CLASS] is ${b[4]}, expected ELFCLASS64 (2)`);
    }
    if (b[5] !== C.ELFDATA2LSB) {
      throw new ElfError('ELF_BAD_DATA', `e_ident[EI_DATA] is ${b[5]}, expected ELFDATA2LSB (1, little-endian)`);
    }
    if (b[6] !== C.EV_CURRENT) {
      throw new ElfError('ELF_BAD_VERSION', `e_ident[EI_VERSION] is ${b[6]}, expected EV_CURRENT (1)`);
    }
    const v = this.view;
    const type = v.getUint16(16, true);
    const machine = v.getUint16(18, true);
    const version = v.getUint32(20, true);
    if (type !== C.ET_REL && type !== C.ET_EXEC && type !== C.ET_DYN) {
      throw new ElfError('ELF_BAD_TYPE', `e_type is ${type}, expected ET_REL (1), ET_EXEC (2) or ET_DYN (3)`);
    }
    if (machine !== C.EM_AARCH64 && machine !== C.EM_BPF) {
      throw new ElfError('ELF_BAD_MACHINE', `e_machine is ${machine}, expected EM_AARCH64 (183) or EM_BPF (247)`);
    }
    if (version !== C.EV_CURRENT) {
      throw new ElfError('ELF_BAD_VERSION', `e_version is ${version}, expected EV_CURRENT (1)`);
    }
    const entry = v.getBigUint64(24, true);
    const phoff = v.getBigUint64(32, true);
    const shoff = v.getBigUint64(40, true);
    const flags = v.getUint32(48, true);
    const ehsize = v.getUint16(52, true);
    const phentsize = v.getUint16(54, true);
    let phnum = v.getUint16(56, true);
    const shentsize = v.getUint16(58, true);
    let shnum = v.getUint16(60, true);
    let shstrndx = v.getUint16(62, true);
    if (ehsize !== C.EHDR_SIZE) {
      throw new ElfError('ELF_BAD_HEADER', `e_ehsize is ${hex0x(ehsize)}, expected 0x40`);
    }
    const fileSize = BigInt(this.size);

    // Section header table. With more than SHN_LORESERVE sections the real count and string-table index
    // live in section 0 (sh_size and sh_link), so section 0 is read first whenever there is a table.
    let sec0: { size: bigint; link: number; info: number } | undefined;
    if (shoff !== 0n) {
      if (shentsize !== C.SHDR_SIZE) {
        throw new ElfError('ELF_BAD_HEADER', `e_shentsize is ${hex0x(shentsize)}, expected 0x40`);
      }
      if (shoff + 64n > fileSize) {
        throw new ElfError(
          'ELF_TRUNCATED',
          `e_shoff ${hex0x(shoff)} + one section header (0x40) exceeds file size ${hex0x(this.size)}`,
        );
      }
      const o = Number(shoff);
      sec0 = { size: v.getBigUint64(o + 32, true), link: v.getUint32(o + 40, true), info: v.getUint32(o + 44, true) };
      if (shnum === 0) {
        if (sec0.size > fileSize / 64n) {
          throw new ElfError(
            'ELF_TRUNCATED',
            `section count ${sec0.size} (from section 0's sh_size, e_shnum is 0) × 0x40 exceeds file size ${hex0x(this.size)}`,
          );
        }
        shnum = Number(sec0.size);
      }
      if (shstrndx === C.SHN_XINDEX) shstrndx = sec0.link;
      if (shoff + BigInt(shnum) * 64n > fileSize) {
        throw new ElfError(
          'ELF_TRUNCATED',
          `e_shoff ${hex0x(shoff)} + e_shnum ${shnum} × e_shentsize 0x40 = ${hex0x(shoff + BigInt(shnum) * 64n)} exceeds file size ${hex0x(this.size)}`,
        );
      }
    } else if (shnum !== 0) {
      throw new ElfError('ELF_BAD_HEADER', `e_shnum is ${shnum} but e_shoff is 0 (no section header table)`);
    }
    if (shnum === 0) shstrndx = 0;
    if (shstrndx !== C.SHN_UNDEF && shstrndx >= shnum) {
      throw new ElfError('ELF_BAD_HEADER', `e_shstrndx ${shstrndx} is not a section index (e_shnum ${shnum})`);
    }

    // Program header table; PN_XNUM means the count is in section 0's sh_info.
    if (phnum === C.PN_XNUM) {
      if (!sec0) throw new ElfError('ELF_BAD_HEADER', `e_phnum is PN_XNUM (0xffff) but there is no section 0 to hold the count`);
      phnum = sec0.info;
    }
    if (phnum !== 0) {
      if (phentsize !== C.PHDR_SIZE) {
        throw new ElfError('ELF_BAD_HEADER', `e_phentsize is ${hex0x(phentsize)}, expected 0x38`);
      }
      const end = phoff + BigInt(phnum) * BigInt(C.PHDR_SIZE);
      if (end > fileSize) {
        throw new ElfError(
          'ELF_TRUNCATED',
          `e_phoff ${hex0x(phoff)} + e_phnum ${phnum} × e_phentsize 0x38 = ${hex0x(end)} exceeds file size ${hex0x(this.size)}`,
        );
      }
    }
    return {
      type,
      machine,
      osabi: b[7]!,
      abiversion: b[8]!,
      entry,
      // Both bounded by the file size above when their tables are non-empty; otherwise they are unused.
      phoff: phnum === 0 ? Number(phoff & 0xffff_ffffn) : Number(phoff),
      shoff: Number(shoff <= fileSize ? shoff : 0n),
      flags,
      ehsize,
      phentsize,
      phnum,
      shentsize,
      shnum,
      shstrndx,
    };
  }

  // ---- section headers -----------------------------------------------------------------------------

  private readSections(): ElfSection[] {
    const { shoff, shnum, shstrndx } = this.header;
    const v = this.view;
    const fileSize = BigInt(this.size);
    const raw: ElfSection[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * C.SHDR_SIZE;
      const type = v.getUint32(o + 4, true);
      const flagsHi = v.getUint32(o + 12, true);
      const offset = v.getBigUint64(o + 24, true);
      const size = v.getBigUint64(o + 32, true);
      const entsize = v.getBigUint64(o + 56, true);
      const at = `section ${i}`;
      // Section 0's sh_size / sh_link / sh_info carry the extended counts, not a section's extent.
      const hasExtent = type !== C.SHT_NULL;
      if (flagsHi !== 0) {
        throw new ElfError('ELF_BAD_SECTION', `${at}: sh_flags ${hex0x(v.getBigUint64(o + 8, true))} sets bits 63:32, which no ELF ABI defines`);
      }
      if (entsize > 0xffff_ffffn) {
        throw new ElfError('ELF_BAD_SECTION', `${at}: sh_entsize ${hex0x(entsize)} exceeds 0xffffffff`);
      }
      if (hasExtent && type !== C.SHT_NOBITS && (size === 0n ? offset > MAX_SAFE : offset + size > fileSize)) {
        // Bounds come before names, because the names live in a section too.
        throw this.boundsError(i, offset, size);
      }
      // A SHT_NOBITS section occupies no file bytes; its sh_offset is nominal and may lie past the end
      // (an executable's .bss), so only its representability is checked.
      if (hasExtent && type === C.SHT_NOBITS && (size > MAX_SAFE || offset > MAX_SAFE)) {
        const [field, value] = size > MAX_SAFE ? ['sh_size', size] : ['sh_offset', offset];
        throw new ElfError(
          'ELF_BAD_SECTION',
          `${at}: SHT_NOBITS ${field} ${hex0x(value)} exceeds 2^53 - 1, the largest value this reader represents`,
        );
      }
      // A SHT_NULL header (section 0 above all) keeps its raw sh_offset and sh_size: section 0's sh_size is
      // the section count under extended numbering.
      if (!hasExtent && (offset > MAX_SAFE || size > MAX_SAFE)) {
        const [field, value] = size > MAX_SAFE ? ['sh_size', size] : ['sh_offset', offset];
        throw new ElfError('ELF_BAD_SECTION', `${at}: SHT_NULL ${field} ${hex0x(value)} exceeds 2^53 - 1, the largest value this reader represents`);
      }
      raw.push({
        index: i,
        name: '',
        nameOffset: v.getUint32(o, true),
        type,
        flags: v.getUint32(o + 8, true),
        addr: v.getBigUint64(o + 16, true),
        offset: Number(offset),
        size: Number(size),
        link: v.getUint32(o + 40, true),
        info: v.getUint32(o + 44, true),
        addralign: v.getBigUint64(o + 48, true),
        entsize: Number(entsize),
      });
    }
    if (shstrndx !== C.SHN_UNDEF) {
      const strtab = raw[shstrndx]!;
      for (const s of raw) s.name = this.sectionName(strtab, s);
    }
    return raw;
  }

  private sectionName(strtab: ElfSection, s: ElfSection): string {
    const size = dataSize(strtab);
    if (s.nameOffset === 0 && size === 0) return '';
    if (s.nameOffset >= size) {
      throw new ElfError(
        'ELF_BAD_STRING',
        `section ${s.index}: sh_name ${hex0x(s.nameOffset)} is outside the section-name table (section ${strtab.index}, size ${hex0x(size)})`,
      );
    }
    const start = strtab.offset + s.nameOffset;
    const end = findNul(this.bytes, start, strtab.offset + size);
    if (end < 0) {
      throw new ElfError(
        'ELF_BAD_STRING',
        `section ${s.index}: sh_name ${hex0x(s.nameOffset)} is not NUL-terminated before the section-name table (section ${strtab.index}) ends at ${hex0x(size)}`,
      );
    }
    return decodeName(this.bytes, start, end);
  }

  private boundsError(i: number, offset: bigint, size: bigint): ElfError {
    // Try to name the section for the message; the name table itself may be the broken one.
    // Both headers lie inside the section header table, which readHeader bounded.
    let label = `section ${i}`;
    const { shoff, shstrndx } = this.header;
    if (shstrndx !== C.SHN_UNDEF && shstrndx !== i) {
      const so = shoff + shstrndx * C.SHDR_SIZE;
      const strOff = this.view.getBigUint64(so + 24, true);
      const strSize = this.view.getBigUint64(so + 32, true);
      const nameOff = BigInt(this.view.getUint32(shoff + i * C.SHDR_SIZE, true));
      if (strOff + strSize <= BigInt(this.size) && nameOff < strSize) {
        const end = findNul(this.bytes, Number(strOff + nameOff), Number(strOff + strSize));
        if (end >= 0) label += ` (${decodeName(this.bytes, Number(strOff + nameOff), end)})`;
      }
    }
    return new ElfError(
      'ELF_BAD_SECTION',
      `${label}: sh_offset ${hex0x(offset)} + sh_size ${hex0x(size)} exceeds file size ${hex0x(this.size)}`,
    );
  }

  // ---- program headers -----------------------------------------------------------------------------

  private readSegments(): ElfSegment[] {
    const { phoff, phnum } = this.header;
    const v = this.view;
    const fileSize = BigInt(this.size);
    const out: ElfSegment[] = [];
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * C.PHDR_SIZE;
      const offset = v.getBigUint64(o + 8, true);
      const filesz = v.getBigUint64(o + 32, true);
      // An empty segment's p_offset is nominal (a .bss-only PT_LOAD may point past the end).
      if (filesz === 0n ? offset > MAX_SAFE : offset + filesz > fileSize) {
        throw new ElfError(
          'ELF_BAD_SEGMENT',
          `program header ${i}: p_offset ${hex0x(offset)} + p_filesz ${hex0x(filesz)} exceeds file size ${hex0x(this.size)}`,
        );
      }
      out.push({
        index: i,
        type: v.getUint32(o, true),
        flags: v.getUint32(o + 4, true),
        offset: Number(offset),
        vaddr: v.getBigUint64(o + 16, true),
        paddr: v.getBigUint64(o + 24, true),
        filesz: Number(filesz),
        memsz: v.getBigUint64(o + 40, true),
        align: v.getBigUint64(o + 48, true),
      });
    }
    return out;
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
          throw new ElfError('ELF_BAD_SYMBOL', `${this.where(s)}: symbol ${i} has st_shndx SHN_XINDEX but no SHT_SYMTAB_SHNDX section links to the table`);
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
          throw new ElfError('ELF_BAD_SYMBOL', `${this.where(s)}: symbol ${i}: extended section index ${shndx} ≥ e_shnum ${shnum}`);
        }
      } else if (shndx !== C.SHN_UNDEF && shndx < C.SHN_LORESERVE && shndx >= shnum) {
        throw new ElfError('ELF_BAD_SYMBOL', `${this.where(s)}: symbol ${i}: st_shndx ${shndx} ≥ e_shnum ${shnum}`);
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
      throw new ElfError('ELF_BAD_LINK', `${this.where(s)} is not a relocation section (sh_type ${hex0x(s.type)})`);
    }
    const rela = s.type === C.SHT_RELA;
    const entSize = rela ? C.RELA_SIZE : C.REL_SIZE;
    const count = this.entryCount(s, entSize);
    if (s.info >= this.header.shnum) {
      throw new ElfError('ELF_BAD_LINK', `${this.where(s)}: sh_info ${s.info} (the section relocated) ≥ e_shnum ${this.header.shnum}`);
    }
    const symbols = s.link === 0 ? undefined : this.symbolsOf(this.linked(s, 'sh_link', s.link, [C.SHT_SYMTAB, C.SHT_DYNSYM]));
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
        throw new ElfError('ELF_BAD_RELOCATION', `${this.where(s)}: relocation ${i}: symbol index ${sym} but sh_link is 0 (no symbol table)`);
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
        .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.size > b.size ? -1 : a.size < b.size ? 1 : 0));
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
      throw new ElfError('ELF_BAD_SECTION', `${this.where(s)}: sh_entsize ${hex0x(s.entsize)}, expected ${hex0x(entSize)}`);
    }
    if (s.type === C.SHT_NOBITS) return 0;
    if (s.size % entSize !== 0) {
      throw new ElfError('ELF_BAD_SECTION', `${this.where(s)}: sh_size ${hex0x(s.size)} is not a multiple of sh_entsize ${hex0x(entSize)}`);
    }
    return s.size / entSize;
  }

  /** The section a link field names, which must exist and have one of `types`. */
  private linked(s: ElfSection, field: string, index: number, types: readonly number[]): ElfSection {
    const t = index === 0 ? undefined : this.sections[index];
    if (!t) {
      throw new ElfError('ELF_BAD_LINK', `${this.where(s)}: ${field} ${index} is not a section index (e_shnum ${this.header.shnum})`);
    }
    if (!types.includes(t.type)) {
      throw new ElfError('ELF_BAD_LINK', `${this.where(s)}: ${field} ${index} names ${this.where(t)} of sh_type ${hex0x(t.type)}, expected ${types.map(hex0x).join(' or ')}`);
    }
    return t;
  }

  private own(sec: ElfSection): ElfSection {
    const s = this.sections[sec.index];
    if (s === undefined) throw new ElfError('ELF_NOT_FOUND', `section index ${sec.index} is not in this file (e_shnum ${this.header.shnum})`);
    return s;
  }

  private where(s: ElfSection): string {
    return s.name === '' ? `section ${s.index}` : `section ${s.index} (${s.name})`;
  }
}

/** Bytes a section occupies in the file: none for SHT_NOBITS and SHT_NULL, whose sh_size is not an extent. */
function dataSize(s: ElfSection): number {
  return s.type === C.SHT_NOBITS || s.type === C.SHT_NULL ? 0 : s.size;
}

/** Index of the first NUL in [start, limit), or -1. */
function findNul(b: Uint8Array, start: number, limit: number): number {
  const i = b.subarray(start, limit).indexOf(0);
  return i < 0 ? -1 : start + i;
}

/** Names are bytes; almost always ASCII, which a plain loop decodes faster than TextDecoder. */
function decodeName(b: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) { ascii = false; break; }
  if (!ascii) return utf8.decode(b.subarray(start, end));
  return end - start < 64 ? String.fromCharCode(...b.subarray(start, end)) : utf8.decode(b.subarray(start, end));
}
