/**
 * The eagerly checked part of the reader: the file header, the section header table (with every section's
 * extent and name) and the program header table. After `readHeaders` returns, every section's
 * [offset, offset + size) lies inside the file (SHT_NOBITS and SHT_NULL excepted: they have no extent).
 */
import { hex0x } from '../util/hex.js';
import * as C from './constants.js';
import { ElfError } from './errors.js';
import type { ElfHeader, ElfSection, ElfSegment } from './types.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const utf8 = new TextDecoder('utf-8');

export function readHeaders(bytes: Uint8Array): {
  header: ElfHeader;
  sections: ElfSection[];
  segments: ElfSegment[];
} {
  const r = new HeaderReader(bytes);
  return { header: r.header, sections: r.readSections(), segments: r.readSegments() };
}

class HeaderReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly size: number;
  readonly header: ElfHeader;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.size = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.header = this.readHeader();
  }

  // ---- file header ---------------------------------------------------------------------------------

  private readHeader(): ElfHeader {
    const b = this.bytes;
    if (this.size < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
      const got = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
      throw new ElfError('ELF_BAD_MAGIC', `e_ident[0..3] is [${got}], expected [7f 45 4c 46] ("\\x7fELF")`);
    }
    if (this.size < C.EHDR_SIZE) {
      throw new ElfError(
        'ELF_TRUNCATED',
        `file size ${hex0x(this.size)} is smaller than the ELF64 header (0x40)`,
      );
    }
    if (b[4] !== C.ELFCLASS64) {
      throw new ElfError('ELF_BAD_CLASS', `e_ident[EI_CLASS] is ${b[4]}, expected ELFCLASS64 (2)`);
    }
    if (b[5] !== C.ELFDATA2LSB) {
      throw new ElfError(
        'ELF_BAD_DATA',
        `e_ident[EI_DATA] is ${b[5]}, expected ELFDATA2LSB (1, little-endian)`,
      );
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
      throw new ElfError(
        'ELF_BAD_MACHINE',
        `e_machine is ${machine}, expected EM_AARCH64 (183) or EM_BPF (247)`,
      );
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
      sec0 = {
        size: v.getBigUint64(o + 32, true),
        link: v.getUint32(o + 40, true),
        info: v.getUint32(o + 44, true),
      };
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
      throw new ElfError(
        'ELF_BAD_HEADER',
        `e_shstrndx ${shstrndx} is not a section index (e_shnum ${shnum})`,
      );
    }

    // Program header table; PN_XNUM means the count is in section 0's sh_info.
    if (phnum === C.PN_XNUM) {
      if (!sec0)
        throw new ElfError(
          'ELF_BAD_HEADER',
          `e_phnum is PN_XNUM (0xffff) but there is no section 0 to hold the count`,
        );
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

  readSections(): ElfSection[] {
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
        throw new ElfError(
          'ELF_BAD_SECTION',
          `${at}: sh_flags ${hex0x(v.getBigUint64(o + 8, true))} sets bits 63:32, which no ELF ABI defines`,
        );
      }
      if (entsize > 0xffff_ffffn) {
        throw new ElfError('ELF_BAD_SECTION', `${at}: sh_entsize ${hex0x(entsize)} exceeds 0xffffffff`);
      }
      if (
        hasExtent &&
        type !== C.SHT_NOBITS &&
        (size === 0n ? offset > MAX_SAFE : offset + size > fileSize)
      ) {
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
        throw new ElfError(
          'ELF_BAD_SECTION',
          `${at}: SHT_NULL ${field} ${hex0x(value)} exceeds 2^53 - 1, the largest value this reader represents`,
        );
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

  readSegments(): ElfSegment[] {
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
}

/** Bytes a section occupies in the file: none for SHT_NOBITS and SHT_NULL, whose sh_size is not an extent. */
export function dataSize(s: ElfSection): number {
  return s.type === C.SHT_NOBITS || s.type === C.SHT_NULL ? 0 : s.size;
}

/** Index of the first NUL in [start, limit), or -1. */
export function findNul(b: Uint8Array, start: number, limit: number): number {
  const i = b.subarray(start, limit).indexOf(0);
  return i < 0 ? -1 : start + i;
}

/** Names are bytes; almost always ASCII, which a plain loop decodes faster than TextDecoder. */
export function decodeName(b: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++)
    if (b[i]! >= 0x80) {
      ascii = false;
      break;
    }
  if (!ascii) return utf8.decode(b.subarray(start, end));
  return end - start < 64
    ? String.fromCharCode(...b.subarray(start, end))
    : utf8.decode(b.subarray(start, end));
}
