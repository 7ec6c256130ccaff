/**
 * Disassembly of AArch64 ELF objects in llvm-objdump's layout (`llvm-objdump -d --no-show-raw-insn`, with
 * `-r` relocations): section banners, symbol headers, `<sym+off>` branch annotations, `$d` data regions
 * as `.word`, `<unknown>` for words no row decodes.
 */
import { decode } from '../a64/index.js';
import { printDecoded } from '../a64/print.js';
import * as C from './constants.js';
import { ElfError } from './errors.js';
import type { ElfFile, ElfSection, ElfSymbol } from './reader.js';

export interface ObjdumpOptions {
  /** Only this section (default: every executable section). */
  readonly section?: string;
  /** Only this function symbol. */
  readonly func?: string;
  /** Print relocations after the instructions they apply to (`-r`). */
  readonly relocs?: boolean;
  /** File name for the header line. */
  readonly fileName?: string;
}

const isMapping = (s: ElfSymbol): boolean => /^\$[xd](\..*)?$/.test(s.name);

interface SectionSymbols {
  /** Symbols of the section sorted by address; mapping symbols after the others at one address. */
  readonly labels: readonly ElfSymbol[];
  /** `$x`/`$d` mapping symbols, sorted. */
  readonly mapping: readonly ElfSymbol[];
}

function sectionSymbols(elf: ElfFile, sec: ElfSection): SectionSymbols {
  const symtab = elf.symtab;
  const all = symtab ? elf.symbolsOf(symtab) : [];
  const mine = all.filter(
    (s) => s.shndx === sec.index && s.type !== C.STT_SECTION && s.type !== C.STT_FILE && s.name !== '',
  );
  const byAddr = (a: ElfSymbol, b: ElfSymbol): number =>
    a.value < b.value ? -1 : a.value > b.value ? 1 : Number(isMapping(a)) - Number(isMapping(b));
  return {
    labels: [...mine].sort(byAddr),
    mapping: mine.filter(isMapping).sort(byAddr),
  };
}

/**
 * objdump's `<sym+off>` for an address in this section: the last symbol at or below it in (address, name)
 * order — so among aliases at one address the greatest name wins, and `$x`/`$d` mapping symbols (which sort
 * first) only when nothing else is there — as llvm-objdump 14 chooses.
 */
function symbolizer(syms: SectionSymbols): (addr: bigint) => string | undefined {
  const sorted = [...syms.labels].sort((a, b) =>
    a.value < b.value ? -1 : a.value > b.value ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return (addr) => {
    let lo = 0;
    let hi = sorted.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.value <= addr) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    const s = sorted[best]!;
    const off = addr - s.value;
    return off === 0n ? s.name : `${s.name}+0x${off.toString(16)}`;
  };
}

export function objdump(elf: ElfFile, opts: ObjdumpOptions = {}): string {
  if (elf.header.machine !== C.EM_AARCH64) {
    throw new ElfError(
      'ELF_BAD_MACHINE',
      `disassembly needs an AArch64 object (e_machine ${C.EM_AARCH64}), got e_machine ${elf.header.machine}`,
    );
  }
  const out: string[] = ['', `${opts.fileName ?? 'a.o'}:\tfile format elf64-littleaarch64`, ''];
  const sections = elf.sections.filter(
    (s) =>
      (s.flags & C.SHF_EXECINSTR) !== 0 &&
      s.size > 0 &&
      (opts.section === undefined || s.name === opts.section),
  );
  if (opts.section !== undefined && sections.length === 0) {
    throw new ElfError('ELF_BAD_SECTION', `no executable section named '${opts.section}'`);
  }
  let foundFunc = opts.func === undefined;
  for (const sec of sections) {
    const syms = sectionSymbols(elf, sec);
    const name = symbolizer(syms);
    const data = sec.type === C.SHT_NOBITS ? new Uint8Array(sec.size) : elf.sectionData(sec);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const relocs = opts.relocs
      ? [...elf.relocationsFor(sec)].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0))
      : [];
    let ri = 0;
    const base = sec.addr;
    let range: [bigint, bigint] = [0n, BigInt(sec.size)];
    if (opts.func !== undefined) {
      const f = syms.labels.find((s) => s.name === opts.func);
      if (!f) continue;
      foundFunc = true;
      range = [f.value - base, f.value - base + (f.size > 0n ? f.size : BigInt(sec.size) - (f.value - base))];
    }
    const sectionLines: string[] = [];
    let li = 0;
    let mi = 0;
    let inData = false;
    for (let off = Number(range[0]); off + 4 <= Number(range[1]); off += 4) {
      const addr = base + BigInt(off);
      while (mi < syms.mapping.length && syms.mapping[mi]!.value <= addr)
        inData = syms.mapping[mi++]!.name.startsWith('$d');
      const here: ElfSymbol[] = [];
      while (li < syms.labels.length && syms.labels[li]!.value <= addr) {
        if (syms.labels[li]!.value === addr) here.push(syms.labels[li]!);
        li++;
      }
      const label = here.find((s) => !isMapping(s)) ?? here[0];
      if (label) sectionLines.push('', `${addr.toString(16).padStart(16, '0')} <${label.name}>:`);
      const w = view.getUint32(off, true);
      const a = addr.toString(16).padStart(8, ' ');
      if (inData) {
        const raw = [0, 8, 16, 24].map((s) => ((w >>> s) & 0xff).toString(16).padStart(2, '0')).join(' ');
        sectionLines.push(`${a}:\t${raw}\t.word\t0x${w.toString(16).padStart(8, '0')}`);
      } else {
        const d = decode(w);
        sectionLines.push(
          `${a}:      \t${d ? printDecoded(d, { address: addr, symbolize: name }) : '<unknown>'}`,
        );
      }
      while (ri < relocs.length && relocs[ri]!.offset < addr + 4n) {
        const r = relocs[ri++]!;
        if (r.offset < addr) continue;
        const sym = r.symbol;
        const target = sym
          ? sym.type === C.STT_SECTION
            ? (elf.sections[sym.shndx]?.name ?? '')
            : sym.name
          : '*ABS*';
        const add =
          r.addend === 0n
            ? ''
            : r.addend > 0n
              ? `+0x${r.addend.toString(16)}`
              : `-0x${(-r.addend).toString(16)}`;
        sectionLines.push(
          `\t\t${r.offset.toString(16).padStart(16, '0')}:  ${r.typeName ?? `unknown (${r.type})`}\t${target}${add}`,
        );
      }
    }
    out.push(`Disassembly of section ${sec.name}:`);
    for (const l of sectionLines) out.push(l);
    out.push('');
  }
  if (!foundFunc)
    throw new ElfError('ELF_BAD_SECTION', `no function symbol named '${opts.func}' in an executable section`);
  return out.join('\n');
}
