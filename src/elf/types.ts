/** The records the ELF reader returns (see reader.ts for the checking policy and number representation). */

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
