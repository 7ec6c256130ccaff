/**
 * The llvm-readelf oracle for the ELF reader. `llvmReadelf(files)` runs
 * `llvm-readelf -S -s -r --wide [--segments]` over a batch of files in one process and turns its text into
 * canonical lines; `ourLines(elf)` prints the same canonical lines from our parse. A test compares the two
 * arrays, so a disagreement shows up as a one-line diff naming the section, symbol or relocation.
 *
 * Canonical lines (numbers in hex unless noted; LLVM's names are turned back into numbers on its side, so
 * neither side's name tables are trusted):
 *   S <idx> <name> type=<n> addr= off= size= es= flags= lk= inf= al=        one per section header
 *   P type= flags= off= vaddr= paddr= filesz= memsz= align=                 one per program header
 *   T <table name> <count>                                                  symbol table header
 *   Y <idx> value= size= type= bind= vis= ndx=<n> <name>                    one per symbol
 *   R <section name> <count>                                                relocation section header
 *   E off= sym= type= <type name> value= <symbol name> addend=              one per relocation
 * A symbol of type STT_SECTION is printed with its section's name, as llvm-readelf does.
 */
import { spawnSync } from 'node:child_process';
import { ELF, type ElfFile, type ElfSymbol } from '../../src/elf/index.js';

const SECTION_TYPES: Record<string, number> = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  HASH: 5,
  DYNAMIC: 6,
  NOTE: 7,
  NOBITS: 8,
  REL: 9,
  DYNSYM: 11,
  INIT_ARRAY: 14,
  FINI_ARRAY: 15,
  PREINIT_ARRAY: 16,
  GROUP: 17,
  SYMTAB_SECTION_INDICES: 18, // printed as "SYMTAB SECTION INDICES"; parseReadelf joins the words
  LLVM_ADDRSIG: 0x6fff4c03,
  GNU_HASH: 0x6ffffff6,
  VERDEF: 0x6ffffffd,
  VERNEED: 0x6ffffffe,
  VERSYM: 0x6fffffff,
};
const FLAG_LETTERS: Record<string, number> = {
  W: ELF.SHF_WRITE,
  A: ELF.SHF_ALLOC,
  X: ELF.SHF_EXECINSTR,
  M: ELF.SHF_MERGE,
  S: ELF.SHF_STRINGS,
  I: ELF.SHF_INFO_LINK,
  L: ELF.SHF_LINK_ORDER,
  O: ELF.SHF_OS_NONCONFORMING,
  G: ELF.SHF_GROUP,
  T: ELF.SHF_TLS,
  C: ELF.SHF_COMPRESSED,
  E: ELF.SHF_EXCLUDE,
  R: ELF.SHF_GNU_RETAIN,
};
const SYMBOL_TYPES: Record<string, number> = {
  NOTYPE: 0,
  OBJECT: 1,
  FUNC: 2,
  SECTION: 3,
  FILE: 4,
  COMMON: 5,
  TLS: 6,
  IFUNC: 10,
};
const SYMBOL_BINDS: Record<string, number> = { LOCAL: 0, GLOBAL: 1, WEAK: 2, UNIQUE: 10 };
const VISIBILITIES: Record<string, number> = { DEFAULT: 0, INTERNAL: 1, HIDDEN: 2, PROTECTED: 3 };
const SPECIAL_NDX: Record<string, number> = { UND: ELF.SHN_UNDEF, ABS: ELF.SHN_ABS, COM: ELF.SHN_COMMON };
const SEGMENT_TYPES: Record<string, number> = {
  NULL: 0,
  LOAD: 1,
  DYNAMIC: 2,
  INTERP: 3,
  NOTE: 4,
  PHDR: 6,
  TLS: 7,
  GNU_EH_FRAME: ELF.PT_GNU_EH_FRAME,
  GNU_STACK: ELF.PT_GNU_STACK,
  GNU_RELRO: ELF.PT_GNU_RELRO,
  GNU_PROPERTY: ELF.PT_GNU_PROPERTY,
};

function lookup(table: Record<string, number>, word: string, what: string, line: string): number {
  const v = table[word];
  if (v !== undefined) return v;
  const m = /^(?:0x)?([0-9a-f]+)$/i.exec(word);
  if (m && word.startsWith('0x')) return parseInt(m[1]!, 16);
  throw new Error(`llvm-readelf printed ${what} '${word}' this test does not know (add it): ${line}`);
}

const h = (n: number | bigint): string => n.toString(16);

/** Canonical lines per file, from llvm-readelf. Options: add program headers (`--segments`). */
export function llvmReadelf(
  files: readonly string[],
  opts: { segments?: boolean } = {},
): Map<string, string[]> {
  const args = ['-S', '-s', '-r', '--wide', ...(opts.segments ? ['--segments'] : []), ...files];
  const r = spawnSync('llvm-readelf', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0 || r.stderr.trim() !== '')
    throw new Error(`llvm-readelf exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return parseReadelf(r.stdout, files);
}

export function parseReadelf(text: string, files: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined = files.length === 1 ? [] : undefined;
  if (cur) out.set(files[0]!, cur);
  let mode: 'none' | 'sections' | 'symbols' | 'relocs' | 'segments' = 'none';
  for (const line0 of text.split('\n')) {
    const line = line0.replace(' SYMTAB SECTION INDICES ', ' SYMTAB_SECTION_INDICES ');
    const file = /^File: (.*)$/.exec(line);
    if (file) {
      cur = [];
      out.set(file[1]!, cur);
      mode = 'none';
      continue;
    }
    if (!cur) continue;
    if (line === 'Section Headers:') {
      mode = 'sections';
      continue;
    }
    if (line === 'Program Headers:') {
      mode = 'segments';
      continue;
    }
    const symtab = /^Symbol table '(.*)' contains (\d+) entries:$/.exec(line);
    if (symtab) {
      cur.push(`T ${symtab[1]} ${symtab[2]}`);
      mode = 'symbols';
      continue;
    }
    const rel = /^Relocation section '(.*)' at offset 0x[0-9a-f]+ contains (\d+) entries:$/.exec(line);
    if (rel) {
      cur.push(`R ${rel[1]} ${rel[2]}`);
      mode = 'relocs';
      continue;
    }
    if (line.trim() === '' || line.startsWith('Key to Flags') || line.startsWith(' Section to Segment')) {
      if (mode !== 'segments' || line.startsWith(' Section to Segment')) mode = 'none';
      continue;
    }
    if (mode === 'sections') {
      const m =
        /^\s*\[\s*(\d+)\] (.*?)\s+(\S+)\s+([0-9a-f]{16}) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(
          line,
        );
      if (!m) {
        if (/^\s*\[Nr\]/.test(line)) continue;
        throw new Error(`unparsed section line: ${line}`);
      }
      let flags = 0;
      for (const c of m[8]!) flags |= lookup(FLAG_LETTERS, c, 'section flag', line);
      const type = lookup(SECTION_TYPES, m[3]!, 'section type', line);
      cur.push(
        `S ${m[1]} ${m[2]!.trim()} type=${h(type)} addr=${h(BigInt('0x' + m[4]))} off=${h(parseInt(m[5]!, 16))} size=${h(parseInt(m[6]!, 16))} es=${h(parseInt(m[7]!, 16))} flags=${h(flags >>> 0)} lk=${m[9]} inf=${m[10]} al=${m[11]}`,
      );
    } else if (mode === 'segments') {
      const m =
        /^\s+(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) ([RWE ]{3}) 0x([0-9a-f]+)$/.exec(
          line,
        );
      if (!m) {
        if (
          /^\s+Type\s+Offset/.test(line) ||
          /^\s+\[Requesting program interpreter/.test(line) ||
          /^(Elf file type|Entry point|There are)/.test(line)
        )
          continue;
        throw new Error(`unparsed program header line: ${line}`);
      }
      const f = m[7]!;
      const flags =
        (f[0] === 'R' ? ELF.PF_R : 0) | (f[1] === 'W' ? ELF.PF_W : 0) | (f[2] === 'E' ? ELF.PF_X : 0);
      cur.push(
        `P type=${h(lookup(SEGMENT_TYPES, m[1]!, 'segment type', line))} flags=${h(flags)} off=${m[2]!.replace(/^0+(?=.)/, '')} vaddr=${h(BigInt('0x' + m[3]))} paddr=${h(BigInt('0x' + m[4]))} filesz=${h(BigInt('0x' + m[5]))} memsz=${h(BigInt('0x' + m[6]))} align=${h(BigInt('0x' + m[8]))}`,
      );
    } else if (mode === 'symbols') {
      const m = /^\s*(\d+): ([0-9a-f]{16})\s+(\d+|0x[0-9a-f]+) (\S+)\s+(\S+)\s+(\S+)\s+(\S+) ?(.*)$/.exec(
        line,
      );
      if (!m) {
        if (/^\s+Num:/.test(line)) continue;
        throw new Error(`unparsed symbol line: ${line}`);
      }
      const ndx = /^\d+$/.test(m[7]!)
        ? Number(m[7])
        : lookup(SPECIAL_NDX, m[7]!, 'symbol section index', line);
      cur.push(
        `Y ${m[1]} value=${h(BigInt('0x' + m[2]))} size=${h(BigInt(m[3]!))} type=${lookup(SYMBOL_TYPES, m[4]!, 'symbol type', line)} bind=${lookup(SYMBOL_BINDS, m[5]!, 'symbol binding', line)} vis=${lookup(VISIBILITIES, m[6]!, 'visibility', line)} ndx=${ndx} ${m[8]}`,
      );
    } else if (mode === 'relocs') {
      const m = /^([0-9a-f]{16})\s+([0-9a-f]{16}) (\S+)\s*(.*)$/.exec(line);
      if (!m) {
        if (/^\s+Offset\s+Info/.test(line)) continue;
        throw new Error(`unparsed relocation line: ${line}`);
      }
      const info = BigInt('0x' + m[2]);
      const sym = Number(info >> 32n);
      const type = Number(info & 0xffff_ffffn);
      const rest = m[4]!;
      let value = '-';
      let name = '-';
      let addend = 0n;
      const withSym = /^([0-9a-f]{16}) (.*?)(?: ([+-]) ([0-9a-f]+))?$/.exec(rest);
      if (withSym) {
        value = h(BigInt('0x' + withSym[1]));
        name = withSym[2]!;
        if (withSym[3]) addend = (withSym[3] === '-' ? -1n : 1n) * BigInt('0x' + withSym[4]);
      } else if (rest !== '') {
        const a = /^(-?)([0-9a-f]+)$/.exec(rest);
        if (!a) throw new Error(`unparsed relocation tail '${rest}': ${line}`);
        addend = (a[1] === '-' ? -1n : 1n) * BigInt('0x' + a[2]);
      }
      cur.push(
        `E off=${h(BigInt('0x' + m[1]))} sym=${sym} type=${h(type)} ${m[3]} value=${value} ${name} addend=${addend}`,
      );
    }
  }
  for (const f of files) if (!out.has(f)) throw new Error(`llvm-readelf printed nothing for ${f}`);
  return out;
}

/** The same canonical lines from our reader. */
export function ourLines(elf: ElfFile, opts: { segments?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const s of elf.sections) {
    lines.push(
      `S ${s.index} ${s.name} type=${h(s.type)} addr=${h(s.addr)} off=${h(s.offset)} size=${h(s.size)} es=${h(s.entsize)} flags=${h(s.flags)} lk=${s.link} inf=${s.info} al=${s.addralign}`,
    );
  }
  if (opts.segments) {
    for (const p of elf.segments) {
      lines.push(
        `P type=${h(p.type)} flags=${h(p.flags)} off=${h(p.offset)} vaddr=${h(p.vaddr)} paddr=${h(p.paddr)} filesz=${h(p.filesz)} memsz=${h(p.memsz)} align=${h(p.align)}`,
      );
    }
  }
  // llvm-readelf prints relocation sections first, then .dynsym, then .symtab.
  for (const s of elf.sections) {
    if (s.type !== ELF.SHT_RELA && s.type !== ELF.SHT_REL) continue;
    const rels = elf.relocationsOf(s);
    lines.push(`R ${s.name} ${rels.length}`);
    for (const r of rels) {
      const sym = r.sym === 0 || !r.symbol ? undefined : r.symbol;
      const value = sym ? h(sym.value) : '-';
      const name = sym ? displayName(elf, sym) : '-';
      lines.push(
        `E off=${h(r.offset)} sym=${r.sym} type=${h(r.type)} ${r.typeName} value=${value} ${name} addend=${r.addend}`,
      );
    }
  }
  const tables = [
    ...elf.sections.filter((s) => s.type === ELF.SHT_DYNSYM),
    ...elf.sections.filter((s) => s.type === ELF.SHT_SYMTAB),
  ];
  for (const t of tables) {
    const syms = elf.symbolsOf(t);
    lines.push(`T ${t.name} ${syms.length}`);
    for (const y of syms) {
      lines.push(
        `Y ${y.index} value=${h(y.value)} size=${h(y.size)} type=${y.type} bind=${y.bind} vis=${y.visibility} ndx=${y.shndx} ${displayName(elf, y)}`,
      );
    }
  }
  return lines;
}

function displayName(elf: ElfFile, y: ElfSymbol): string {
  if (y.type === ELF.STT_SECTION && y.name === '') return elf.sections[y.shndx]?.name ?? '';
  return y.name;
}
