/**
 * Linking one relocatable AArch64 object into the model kernel's address space, the way the module loader
 * does (and, with PLTs off, the way the test kernel is linked into the image):
 *
 *  1. every SHF_ALLOC section is put in one memory region by its flags and name (module.c's layout: text,
 *     rodata, ro_after_init, data, and the init variants for `.init*` sections); `.plt`, `.init.plt`,
 *     `.text.ftrace_trampoline` and `.init.text.ftrace_trampoline` are placeholders the loader sizes and
 *     places in the text regions, as module_frob_arch_sections does;
 *  2. the PLT capacity of each text region is counted from its CALL26/JUMP26 relocations (distinct targets
 *     outside the branch's own section);
 *  3. each region gets an address from the caller (`allocate`), sections are copied into host buffers
 *     (SHT_NOBITS zeroed), symbols get addresses (undefined ones from the caller's `resolve`);
 *  4. every SHT_RELA section whose target is loaded is applied with the relocation engine; a CALL26/JUMP26
 *     whose target is out of BL reach goes through a PLT veneer of its region — exactly then, and only if the
 *     region has a PLT. Relocations of non-SHF_ALLOC sections (debug info, .BTF) are not applied: the kernel
 *     never loads those sections.
 *
 * Nothing is written to the machine here: the caller maps the regions with their permissions and writes
 * the buffers through the loader path, so a failure leaves no trace but the addresses it must free.
 */
import type { ElfFile, ElfRelocation, ElfSection, ElfSymbol } from '../elf/index.js';
import * as C from '../elf/constants.js';
import { applyAarch64Relocation, aarch64RelocName, isBranch26 } from '../elf/reloc/aarch64.js';
import { KernelError } from '../util/errors.js';
import { PLT_ENTRY_SIZE, PltArea } from './plt.js';

/** The module memory types of module.c (v6.4+ `enum mod_mem_type`). */
export type MemType =
  'text' | 'rodata' | 'ro_after_init' | 'data' | 'init_text' | 'init_rodata' | 'init_data';
export const MEM_TYPES: readonly MemType[] = [
  'text',
  'rodata',
  'ro_after_init',
  'data',
  'init_text',
  'init_rodata',
  'init_data',
];

export const isTextType = (t: MemType): t is 'text' | 'init_text' => t === 'text' || t === 'init_text';

/** Largest region and section alignment the loader accepts (a malformed object asks for more). */
const MAX_REGION = 64 * 1024 * 1024;
const MAX_ALIGN = 64 * 1024;

export interface LinkOptions {
  /** For messages: the module or object name. */
  readonly name: string;
  /** Give region `type` of `size` bytes an address (aligned to at least `align`). */
  allocate(type: MemType, size: number, align: number): bigint;
  /** The address of an undefined symbol, or undefined when it cannot be resolved (weak ones become 0). */
  resolve(sym: ElfSymbol): bigint | undefined;
  /** Create PLT areas for out-of-range CALL26/JUMP26 (modules: yes; the image: no). */
  readonly plts: boolean;
  /** Reserve one ftrace PLT veneer in each text region that has call sites (modules: yes). */
  readonly ftracePlts: boolean;
  /** The module loader's 16/32-bit ranges (see reloc/aarch64.ts). */
  readonly kernelRanges: boolean;
}

export interface Region {
  readonly type: MemType;
  readonly address: bigint;
  readonly size: number;
  readonly bytes: Uint8Array;
}

export interface PlacedSection {
  readonly index: number;
  readonly name: string;
  readonly type: MemType;
  readonly address: bigint;
  readonly size: number;
}

export interface LinkedObject {
  readonly regions: readonly Region[];
  /** Loaded sections by ELF section index. */
  readonly sections: ReadonlyMap<number, PlacedSection>;
  /** Address of every symbol-table entry (undefined: not in a loaded section). */
  readonly symbolAddress: readonly (bigint | undefined)[];
  readonly plts: ReadonlyMap<'text' | 'init_text', PltArea>;
  /** Address of each reserved ftrace PLT veneer (written by the caller). */
  readonly ftracePlts: ReadonlyMap<'text' | 'init_text', bigint>;
  /** Relocations applied, by R_AARCH64_* name. */
  readonly relocations: Map<string, number>;
  /** Undefined symbols and where they resolved. */
  readonly undefinedSymbols: number;
  /** Read a 32-bit word of a loaded region (before or after it is written to the machine). */
  word(addr: bigint): number | undefined;
  /** Read a 64-bit little-endian value of a loaded region. */
  quad(addr: bigint): bigint | undefined;
}

const SPECIAL_TEXT: Record<string, 'text' | 'init_text'> = {
  '.plt': 'text',
  '.text.ftrace_trampoline': 'text',
  '.init.plt': 'init_text',
  '.init.text.ftrace_trampoline': 'init_text',
};

/** Which region an SHF_ALLOC section goes to (module.c layout_sections, Debian's MODULE_UNLOAD=y). */
export function memTypeOf(s: ElfSection): MemType {
  const special = SPECIAL_TEXT[s.name];
  if (special) return special;
  const init = s.name.startsWith('.init');
  if (s.flags & C.SHF_EXECINSTR) return init ? 'init_text' : 'text';
  if (!(s.flags & C.SHF_WRITE)) return init ? 'init_rodata' : 'rodata';
  if (!init && (s.name === '.data..ro_after_init' || s.name === '__jump_table')) return 'ro_after_init';
  return init ? 'init_data' : 'data';
}

function fail(name: string, msg: string): never {
  throw new KernelError('ENOEXEC', `${name}: ${msg}`);
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function linkObject(elf: ElfFile, opts: LinkOptions): LinkedObject {
  const { name } = opts;
  if (elf.header.machine !== C.EM_AARCH64)
    fail(name, `not an AArch64 object (e_machine ${elf.header.machine})`);
  if (elf.header.type !== C.ET_REL) fail(name, `not a relocatable object (e_type ${elf.header.type})`);
  const symtab = elf.symtab;
  if (!symtab || symtab.type !== C.SHT_SYMTAB) fail(name, 'no .symtab (modules are never fully stripped)');
  const symbols = elf.symbolsOf(symtab);

  // 1. Classify.
  const alloc = elf.sections.filter((s) => s.flags & C.SHF_ALLOC && s.type !== C.SHT_NULL);
  const typeOf = new Map<number, MemType>();
  for (const s of alloc) typeOf.set(s.index, memTypeOf(s));

  // 2. PLT capacity per text region, and which text regions hold call sites (for their ftrace PLT).
  const pltCount = new Map<'text' | 'init_text', number>();
  const relaSections = elf.sections.filter(
    (s) => (s.type === C.SHT_RELA || s.type === C.SHT_REL) && typeOf.has(s.info),
  );
  for (const rs of relaSections) {
    if (rs.type === C.SHT_REL)
      fail(name, `${rs.name}: SHT_REL relocations do not occur in AArch64 modules (RELA only)`);
    const t = typeOf.get(rs.info)!;
    if (!opts.plts || !isTextType(t)) continue;
    const seen = new Set<string>();
    for (const r of elf.relocationsOf(rs)) {
      if (!isBranch26(r.type)) continue;
      if (r.symbol && r.symbol.shndx === rs.info) continue; // same section: always in reach
      seen.add(`${r.sym}:${r.addend}`);
    }
    pltCount.set(t, (pltCount.get(t) ?? 0) + seen.size);
  }
  const pfe = elf.sections.filter((s) => s.name === '__patchable_function_entries' && s.size > 0);
  const wantFtrace = new Set<'text' | 'init_text'>();
  if (opts.ftracePlts && pfe.length > 0) {
    wantFtrace.add('text');
    if (
      alloc.some(
        (s) =>
          typeOf.get(s.index) === 'init_text' &&
          s.flags & C.SHF_EXECINSTR &&
          s.size > 0 &&
          !SPECIAL_TEXT[s.name],
      )
    )
      wantFtrace.add('init_text');
  }

  // 3. Lay out each region: sections in file order, each at its alignment; the loader's own sections sized here.
  const layout = new Map<
    MemType,
    { size: number; align: number; members: { s: ElfSection; off: number; size: number }[] }
  >();
  const sizeOf = (s: ElfSection, t: MemType): number => {
    if (s.name === '.plt' || s.name === '.init.plt')
      return opts.plts ? (pltCount.get(t as 'text') ?? 0) * PLT_ENTRY_SIZE : 0;
    if (s.name === '.text.ftrace_trampoline' || s.name === '.init.text.ftrace_trampoline')
      return wantFtrace.has(t as 'text') ? PLT_ENTRY_SIZE : 0;
    return s.size;
  };
  for (const s of alloc) {
    const t = typeOf.get(s.index)!;
    let l = layout.get(t);
    if (!l) layout.set(t, (l = { size: 0, align: 8, members: [] }));
    const a = s.addralign === 0n ? 1 : Number(s.addralign);
    if (a > MAX_ALIGN || (a & (a - 1)) !== 0)
      fail(
        name,
        `section ${s.name} has alignment ${s.addralign} (a power of two up to ${MAX_ALIGN} expected)`,
      );
    const size = SPECIAL_TEXT[s.name] ? Math.max(sizeOf(s, t), 0) : s.size;
    const special = SPECIAL_TEXT[s.name] !== undefined;
    const al = special ? 4 : a;
    l.align = Math.max(l.align, al);
    l.size = alignUp(l.size, al);
    l.members.push({ s, off: l.size, size });
    l.size += size;
    if (l.size > MAX_REGION)
      fail(name, `the ${t} region would be ${l.size} bytes (the loader's limit is ${MAX_REGION})`);
  }
  // Objects without the placeholder sections (the test kernel, hand-made objects) get them appended.
  for (const t of ['text', 'init_text'] as const) {
    const need = (opts.plts ? (pltCount.get(t) ?? 0) : 0) > 0 || wantFtrace.has(t);
    if (!need) continue;
    const l = layout.get(t) ?? { size: 0, align: 8, members: [] };
    layout.set(t, l);
    const names =
      t === 'text' ? ['.plt', '.text.ftrace_trampoline'] : ['.init.plt', '.init.text.ftrace_trampoline'];
    for (const n of names) {
      if (l.members.some((m) => m.s.name === n)) continue;
      const size = n.endsWith('plt')
        ? (pltCount.get(t) ?? 0) * PLT_ENTRY_SIZE
        : wantFtrace.has(t)
          ? PLT_ENTRY_SIZE
          : 0;
      if (size === 0) continue;
      l.size = alignUp(l.size, 4);
      l.members.push({ s: { index: -1, name: n } as ElfSection, off: l.size, size });
      l.size += size;
    }
  }

  // 4. Addresses and buffers.
  const regions: Region[] = [];
  const sections = new Map<number, PlacedSection>();
  const buffers = new Map<MemType, { base: bigint; bytes: Uint8Array; view: DataView }>();
  const specials = new Map<string, bigint>();
  for (const t of MEM_TYPES) {
    const l = layout.get(t);
    if (!l || l.size === 0) continue;
    const base = opts.allocate(t, l.size, l.align);
    const bytes = new Uint8Array(l.size);
    for (const m of l.members) {
      if (m.s.index >= 0 && !SPECIAL_TEXT[m.s.name]) {
        if (m.s.type !== C.SHT_NOBITS) bytes.set(elf.sectionData(m.s), m.off);
        sections.set(m.s.index, {
          index: m.s.index,
          name: m.s.name,
          type: t,
          address: base + BigInt(m.off),
          size: m.size,
        });
      } else {
        specials.set(m.s.name, base + BigInt(m.off));
        if (m.s.index >= 0)
          sections.set(m.s.index, {
            index: m.s.index,
            name: m.s.name,
            type: t,
            address: base + BigInt(m.off),
            size: m.size,
          });
      }
    }
    regions.push({ type: t, address: base, size: l.size, bytes });
    buffers.set(t, { base, bytes, view: new DataView(bytes.buffer) });
  }
  for (const s of alloc) {
    if (!sections.has(s.index)) {
      // An empty section (its region may not exist): symbols in it still need an address.
      const r = buffers.get(typeOf.get(s.index)!);
      sections.set(s.index, {
        index: s.index,
        name: s.name,
        type: typeOf.get(s.index)!,
        address: r?.base ?? 0n,
        size: 0,
      });
    }
  }

  const plts = new Map<'text' | 'init_text', PltArea>();
  const ftracePlts = new Map<'text' | 'init_text', bigint>();
  for (const t of ['text', 'init_text'] as const) {
    const buf = buffers.get(t);
    const pltName = t === 'text' ? '.plt' : '.init.plt';
    const at = specials.get(pltName);
    const cap = pltCount.get(t) ?? 0;
    if (opts.plts && buf && at !== undefined && cap > 0) {
      plts.set(t, new PltArea(at, cap, buf.view, Number(at - buf.base), `${name} ${pltName}`));
    }
    const ft = specials.get(t === 'text' ? '.text.ftrace_trampoline' : '.init.text.ftrace_trampoline');
    if (wantFtrace.has(t) && ft !== undefined) ftracePlts.set(t, ft);
  }

  // 5. Symbol addresses.
  let undefinedSymbols = 0;
  const symbolAddress: (bigint | undefined)[] = new Array(symbols.length);
  for (const sym of symbols) {
    if (sym.index === 0) {
      symbolAddress[0] = 0n;
      continue;
    }
    if (sym.shndx === C.SHN_UNDEF) {
      undefinedSymbols++;
      const v = opts.resolve(sym);
      if (v === undefined) {
        if (sym.bind === C.STB_WEAK) symbolAddress[sym.index] = 0n;
        else fail(name, `unknown symbol ${sym.name}`);
      } else symbolAddress[sym.index] = v;
    } else if (sym.shndx === C.SHN_ABS) symbolAddress[sym.index] = sym.value;
    else if (sym.shndx === C.SHN_COMMON)
      fail(name, `common symbol ${sym.name}: please compile with -fno-common`);
    else if (sym.shndx >= C.SHN_LORESERVE && !sym.xindex)
      fail(name, `symbol ${sym.name} has reserved section index ${sym.shndx}`);
    else {
      const p = sections.get(sym.shndx);
      symbolAddress[sym.index] = p ? p.address + sym.value : undefined;
    }
  }

  // 6. Relocations.
  const counts = new Map<string, number>();
  for (const rs of relaSections) {
    const target = sections.get(rs.info)!;
    const tsec = elf.sections[rs.info]!;
    if (tsec.type === C.SHT_NOBITS) {
      if (rs.size > 0) fail(name, `${rs.name} relocates ${tsec.name}, which has no bits`);
      continue;
    }
    const buf = buffers.get(target.type);
    if (!buf) continue; // an empty target section
    const off0 = Number(target.address - buf.base);
    const view = new DataView(buf.bytes.buffer, off0, target.size);
    const plt = plts.get(target.type as 'text');
    for (const r of elf.relocationsOf(rs)) {
      let S = symbolAddress[r.sym];
      if (S === undefined) {
        fail(
          name,
          `${tsec.name}+0x${r.offset.toString(16)}: ${aarch64RelocName(r.type)} against ${symName(elf, r)} in a section that is not loaded`,
        );
      }
      let A = r.addend;
      const P = target.address + r.offset;
      if (plt && isBranch26(r.type)) {
        const X = S + A - P;
        if (X < -(1n << 27n) || X >= 1n << 27n) {
          S = plt.entryFor(BigInt.asUintN(64, S + A));
          A = 0n;
        }
      }
      const off = r.offset > BigInt(target.size) ? -1 : Number(r.offset);
      applyAarch64Relocation(view, off, r.type, S, A, P, {
        kernelRanges: opts.kernelRanges,
        where: () => `${name} ${tsec.name}+0x${r.offset.toString(16)} against ${symName(elf, r)}`,
      });
      const tn = r.typeName ?? String(r.type);
      counts.set(tn, (counts.get(tn) ?? 0) + 1);
    }
  }

  const locate = (addr: bigint, size: number): { view: DataView; off: number } | undefined => {
    for (const b of buffers.values()) {
      if (addr >= b.base && addr + BigInt(size) <= b.base + BigInt(b.bytes.length))
        return { view: b.view, off: Number(addr - b.base) };
    }
    return undefined;
  };
  return {
    regions,
    sections,
    symbolAddress,
    plts,
    ftracePlts,
    relocations: counts,
    undefinedSymbols,
    word: (addr) => {
      const l = locate(addr, 4);
      return l && l.view.getUint32(l.off, true);
    },
    quad: (addr) => {
      const l = locate(addr, 8);
      return l && l.view.getBigUint64(l.off, true);
    },
  };
}

function symName(elf: ElfFile, r: ElfRelocation): string {
  const s = r.symbol;
  if (!s) return '(no symbol)';
  if (s.type === C.STT_SECTION) return elf.sections[s.shndx]?.name ?? `section ${s.shndx}`;
  return s.name || `symbol ${s.index}`;
}

/** The relocation sections of a section (non-empty SHT_RELA sections whose sh_info names it). */
export function relaFor(elf: ElfFile, sec: ElfSection): ElfSection[] {
  return elf.sections.filter((s) => s.type === C.SHT_RELA && s.info === sec.index);
}
