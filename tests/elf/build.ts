/**
 * A tiny ELF64 writer for tests: a file header, the sections given (data laid out in order, 8-byte aligned),
 * a .shstrtab and the section header table at the end. Deterministic bytes, so error messages that quote
 * offsets can be asserted exactly. Symbols and relocations are encoded by `sym()` and `rela()`.
 */
import { ELF } from '../../src/elf/index.js';

export interface SectionSpec {
  name: string;
  type: number;
  flags?: number;
  data?: Uint8Array;
  /** For SHT_NOBITS: the size (no data in the file). */
  size?: number;
  link?: number | string;
  info?: number | string;
  entsize?: number;
  addralign?: number;
}

export interface BuiltElf {
  bytes: Uint8Array;
  /** File offset of section header `i`. */
  shdr(i: number): number;
  /** File offset of a section's data. */
  dataOffset(name: string): number;
}

export function buildElf(spec: { machine?: number; type?: number; sections: SectionSpec[] }): BuiltElf {
  const all: SectionSpec[] = [{ name: '', type: ELF.SHT_NULL }, ...spec.sections];
  const names: number[] = [];
  const strtab: number[] = [0];
  for (const s of [...all, { name: '.shstrtab' }]) {
    if (s.name === '') {
      names.push(0);
      continue;
    }
    names.push(strtab.length);
    for (const c of s.name) strtab.push(c.charCodeAt(0));
    strtab.push(0);
  }
  all.push({ name: '.shstrtab', type: ELF.SHT_STRTAB, data: Uint8Array.from(strtab) });
  const index = (v: number | string | undefined): number =>
    typeof v === 'string' ? all.findIndex((s) => s.name === v) : (v ?? 0);

  let pos = 64;
  const offsets: number[] = [];
  for (const s of all) {
    pos = (pos + 7) & ~7;
    offsets.push(s.type === ELF.SHT_NULL ? 0 : pos);
    if (s.type !== ELF.SHT_NOBITS) pos += s.data?.length ?? 0;
  }
  const shoff = (pos + 7) & ~7;
  const bytes = new Uint8Array(shoff + all.length * 64);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, spec.type ?? ELF.ET_REL, true);
  v.setUint16(18, spec.machine ?? ELF.EM_AARCH64, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint16(52, 64, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, all.length, true);
  v.setUint16(62, all.length - 1, true);
  all.forEach((s, i) => {
    if (s.data && s.type !== ELF.SHT_NOBITS) bytes.set(s.data, offsets[i]!);
    const o = shoff + i * 64;
    v.setUint32(o, names[i]!, true);
    v.setUint32(o + 4, s.type, true);
    v.setBigUint64(o + 8, BigInt(s.flags ?? 0), true);
    v.setBigUint64(o + 24, BigInt(offsets[i]!), true);
    v.setBigUint64(o + 32, BigInt(s.type === ELF.SHT_NOBITS ? (s.size ?? 0) : (s.data?.length ?? 0)), true);
    v.setUint32(o + 40, index(s.link), true);
    v.setUint32(o + 44, index(s.info), true);
    v.setBigUint64(o + 48, BigInt(s.addralign ?? (s.type === ELF.SHT_NULL ? 0 : 1)), true);
    v.setBigUint64(o + 56, BigInt(s.entsize ?? 0), true);
  });
  return {
    bytes,
    shdr: (i) => shoff + i * 64,
    dataOffset: (name) => offsets[all.findIndex((s) => s.name === name)]!,
  };
}

/** A NUL-separated string table with a leading NUL; `at(name)` gives each name's offset. */
export function strings(list: string[]): { data: Uint8Array; at: (name: string) => number } {
  const bytes: number[] = [0];
  const at = new Map<string, number>();
  for (const s of list) {
    at.set(s, bytes.length);
    for (const c of s) bytes.push(c.charCodeAt(0));
    bytes.push(0);
  }
  return { data: Uint8Array.from(bytes), at: (n) => at.get(n)! };
}

/** Elf64_Sym records. */
export function sym(
  entries: { name: number; info: number; other?: number; shndx: number; value?: bigint; size?: bigint }[],
): Uint8Array {
  const out = new Uint8Array(entries.length * 24);
  const v = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const o = i * 24;
    v.setUint32(o, e.name, true);
    v.setUint8(o + 4, e.info);
    v.setUint8(o + 5, e.other ?? 0);
    v.setUint16(o + 6, e.shndx, true);
    v.setBigUint64(o + 8, e.value ?? 0n, true);
    v.setBigUint64(o + 16, e.size ?? 0n, true);
  });
  return out;
}

/** Elf64_Rela records. */
export function rela(entries: { offset: bigint; sym: number; type: number; addend?: bigint }[]): Uint8Array {
  const out = new Uint8Array(entries.length * 24);
  const v = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const o = i * 24;
    v.setBigUint64(o, e.offset, true);
    v.setUint32(o + 8, e.type, true);
    v.setUint32(o + 12, e.sym, true);
    v.setBigInt64(o + 16, e.addend ?? 0n, true);
  });
  return out;
}

/**
 * A small well-formed AArch64 relocatable: .text (two functions), .rela.text (a CALL26 to an undefined
 * symbol and an ABS64 to .text), .bss, .symtab, .strtab, .shstrtab. Section indices: 1 .text, 2 .rela.text,
 * 3 .bss, 4 .symtab, 5 .strtab, 6 .shstrtab.
 */
export function sampleObject(): BuiltElf {
  const str = strings(['f', 'g', 'ext']);
  const STT_FUNC_GLOBAL = (ELF.STB_GLOBAL << 4) | ELF.STT_FUNC;
  const symbols = sym([
    { name: 0, info: 0, shndx: 0 },
    { name: 0, info: ELF.STT_SECTION, shndx: 1 },
    { name: str.at('f'), info: STT_FUNC_GLOBAL, shndx: 1, value: 0n, size: 8n },
    { name: str.at('g'), info: STT_FUNC_GLOBAL, shndx: 1, value: 8n, size: 8n },
    { name: str.at('ext'), info: ELF.STB_GLOBAL << 4, shndx: 0 },
  ]);
  return buildElf({
    sections: [
      // f: bl ext ; ret   g: nop ; ret
      {
        name: '.text',
        type: ELF.SHT_PROGBITS,
        flags: ELF.SHF_ALLOC | ELF.SHF_EXECINSTR,
        addralign: 4,
        data: Uint8Array.from([
          0, 0, 0, 0x94, 0xc0, 0x03, 0x5f, 0xd6, 0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6,
        ]),
      },
      {
        name: '.rela.text',
        type: ELF.SHT_RELA,
        flags: ELF.SHF_INFO_LINK,
        link: '.symtab',
        info: '.text',
        entsize: 24,
        addralign: 8,
        data: rela([
          { offset: 0n, sym: 4, type: 283 },
          { offset: 8n, sym: 1, type: 257, addend: -8n },
        ]),
      },
      { name: '.bss', type: ELF.SHT_NOBITS, flags: ELF.SHF_ALLOC | ELF.SHF_WRITE, size: 0x100, addralign: 8 },
      {
        name: '.symtab',
        type: ELF.SHT_SYMTAB,
        link: '.strtab',
        info: 2,
        entsize: 24,
        addralign: 8,
        data: symbols,
      },
      { name: '.strtab', type: ELF.SHT_STRTAB, data: str.data },
    ],
  });
}

/** Field layouts of the ELF64 records, for tests that overwrite fields by name: [offset, width in bytes]. */
export const FIELDS = {
  ehdr: {
    'e_ident[EI_CLASS]': [4, 1],
    'e_ident[EI_DATA]': [5, 1],
    'e_ident[EI_VERSION]': [6, 1],
    e_type: [16, 2],
    e_machine: [18, 2],
    e_version: [20, 4],
    e_entry: [24, 8],
    e_phoff: [32, 8],
    e_shoff: [40, 8],
    e_flags: [48, 4],
    e_ehsize: [52, 2],
    e_phentsize: [54, 2],
    e_phnum: [56, 2],
    e_shentsize: [58, 2],
    e_shnum: [60, 2],
    e_shstrndx: [62, 2],
  },
  shdr: {
    sh_name: [0, 4],
    sh_type: [4, 4],
    sh_flags: [8, 8],
    sh_addr: [16, 8],
    sh_offset: [24, 8],
    sh_size: [32, 8],
    sh_link: [40, 4],
    sh_info: [44, 4],
    sh_addralign: [48, 8],
    sh_entsize: [56, 8],
  },
  phdr: {
    p_type: [0, 4],
    p_flags: [4, 4],
    p_offset: [8, 8],
    p_vaddr: [16, 8],
    p_paddr: [24, 8],
    p_filesz: [32, 8],
    p_memsz: [40, 8],
    p_align: [48, 8],
  },
  sym: {
    st_name: [0, 4],
    st_info: [4, 1],
    st_other: [5, 1],
    st_shndx: [6, 2],
    st_value: [8, 8],
    st_size: [16, 8],
  },
  rela: { r_offset: [0, 8], r_type: [8, 4], r_sym: [12, 4], r_addend: [16, 8] },
} as const satisfies Record<string, Record<string, readonly [number, number]>>;

/** Write `value` (wrapped to the width) little-endian at `offset`. */
export function poke(bytes: Uint8Array, offset: number, width: number, value: bigint): void {
  for (let i = 0; i < width; i++)
    bytes[offset + i] = Number((BigInt.asUintN(64, value) >> BigInt(8 * i)) & 0xffn);
}
