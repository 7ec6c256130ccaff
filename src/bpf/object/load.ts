/**
 * The object loader for clang `-target bpf` objects, following libbpf's conventions:
 *
 * - programs: every STT_FUNC symbol in an executable section named `fentry/<func>`, `fexit/<func>`,
 *   `fmod_ret/<func>` (or their sleepable `.s` variants); several programs may share a section;
 * - subprograms: STT_FUNC symbols in `.text` (and functions in program sections reached by calls); each
 *   program gets a copy of every function it calls, appended after its own code, and call offsets are
 *   fixed up (bpf-to-bpf calls: `call pc+N`, src = BPF_PSEUDO_CALL);
 * - maps: BTF-defined in `.maps` (struct members `type`, `max_entries`, `key_size`/`value_size` or
 *   `key`/`value` pointer types, `map_flags`), and legacy `struct bpf_map_def` in `maps`;
 * - globals: `.data`, `.rodata`, `.bss` and any `.data.*` / `.rodata.*` (including clang's string sections
 *   `.rodata.str1.1`) each become a one-element array map whose value is the section, with its initial
 *   contents (zeros for `.bss`);
 * - relocations: R_BPF_64_64 on ld_imm64 → BPF_PSEUDO_MAP_FD (a map symbol) or BPF_PSEUDO_MAP_VALUE with the
 *   variable's offset in its section (a global); R_BPF_64_32 on a call → the called function.
 *
 * A map's "fd" is its index in `maps` (the ld_imm64 imm). Anything malformed raises BpfObjectError
 * (or ElfError / BtfError from the layers below).
 */
import { parseElf, ELF, type ElfFile, type ElfSection, type ElfSymbol } from '../../elf/index.js';
import { decodeProgram, isWide, joinImm64, type BpfInsn } from '../isa/insn.js';
import { Tramp64Error } from '../../util/errors.js';
import { parseBtf, parseBtfExt, skipModifiers, typeSize, type Btf, type BtfExt } from '../btf/index.js';
import { BPF_MAP_TYPE, type MapDef } from '../maps/types.js';
import { BpfObjectError } from './errors.js';
import { classifySection, type AttachType } from './sections.js';

export const BPF_PSEUDO_CALL = 1;
const PSEUDO_MAP_FD = 1;
const PSEUDO_MAP_VALUE = 2;
const OP_CALL = 0x85;
const OP_LDDW = 0x18;

export interface BpfLineRecord {
  /** Instruction index in the program (after linking). */
  insn: number;
  file: string;
  line: string;
  lineNum: number;
  col: number;
}

export interface BpfProgram {
  /** The function symbol's name. */
  name: string;
  section: string;
  attachType: AttachType;
  /** The traced kernel function from the section name. */
  target: string;
  sleepable: boolean;
  /** Linked instructions: the program, then the subprograms it calls; maps and globals relocated. */
  insns: BpfInsn[];
  /** Number of slots of the program's own code (before appended subprograms). */
  ownInsns: number;
  /** Functions appended for bpf-to-bpf calls, with their first slot. */
  subprograms: { name: string; start: number }[];
  /** Source lines from .BTF.ext line info (empty without -g). */
  lines: BpfLineRecord[];
}

export interface BpfMapSpec {
  /** The fd ld_imm64 carries: index in BpfObject.maps. */
  fd: number;
  def: MapDef;
  /** A `.maps`/`maps` definition, or a global-data section turned into a map. */
  origin: 'btf' | 'legacy' | 'global';
  /** For globals: the section; its initial contents (value of element 0). */
  section?: string;
  initial?: Uint8Array;
  /** `.rodata*`: the program may not write it. */
  readonly: boolean;
}

export interface BpfGlobal {
  name: string;
  section: string;
  /** Map fd of the section. */
  fd: number;
  offset: number;
  size: number;
}

export interface UnsupportedSection {
  section: string;
  reason: string;
}

export interface BpfObject {
  license: string;
  programs: BpfProgram[];
  maps: BpfMapSpec[];
  globals: BpfGlobal[];
  /** Program sections recognised but not run (only when `allowUnsupported`). */
  unsupported: UnsupportedSection[];
  btf: Btf | undefined;
  btfExt: BtfExt | undefined;
}

export interface LoadOptions {
  /** List unsupported program sections in `unsupported` instead of raising OBJ_UNSUPPORTED_SECTION. */
  allowUnsupported?: boolean;
}

interface Unit {
  name: string;
  section: ElfSection;
  /** First slot in the section. */
  start: number;
  insns: BpfInsn[];
}

/** Largest global-data section turned into a map value (the model's limit, as MAX_MAP_BYTES for maps). */
const MAX_GLOBAL_SECTION = 1 << 24;

const isDataSection = (n: string): boolean =>
  n === '.data' ||
  n === '.rodata' ||
  n === '.bss' ||
  n.startsWith('.data.') ||
  n.startsWith('.rodata.') ||
  n.startsWith('.bss.');

export function loadBpfObject(bytes: Uint8Array, options: LoadOptions = {}): BpfObject {
  const elf = parseElf(bytes);
  if (elf.header.machine !== ELF.EM_BPF)
    throw new BpfObjectError(
      'OBJ_NOT_BPF',
      `e_machine is ${elf.header.machine}, not EM_BPF (247): build with clang -target bpf`,
    );
  if (elf.header.type !== ELF.ET_REL)
    throw new BpfObjectError(
      'OBJ_NOT_BPF',
      `ELF type ${elf.header.type} is not ET_REL (a BPF object is a relocatable .o)`,
    );
  const symtabSec = elf.symtab;
  if (symtabSec === undefined)
    throw new BpfObjectError(
      'OBJ_BAD_PROGRAM',
      'the object has no symbol table, so its programs cannot be found',
    );
  const symbols = elf.symbolsOf(symtabSec);

  const btfSec = elf.sectionByName('.BTF');
  const btf = btfSec !== undefined ? parseBtf(elf.sectionData(btfSec)) : undefined;
  const extSec = elf.sectionByName('.BTF.ext');
  const btfExt =
    extSec !== undefined && btf !== undefined ? parseBtfExt(elf.sectionData(extSec), btf) : undefined;

  const licSec = elf.sectionByName('license');
  const license = licSec !== undefined ? cString(elf.sectionData(licSec)) : '';

  // ---- maps and globals ----
  const maps: BpfMapSpec[] = [];
  const globals: BpfGlobal[] = [];
  const mapBySymbol = new Map<string, number>(); // `${shndx}:${offset}` → fd
  const mapsSec = elf.sectionByName('.maps');
  if (mapsSec !== undefined) loadBtfMaps(elf, mapsSec, symbols, btf, maps, mapBySymbol);
  const legacy = elf.sectionByName('maps');
  if (legacy !== undefined) loadLegacyMaps(elf, legacy, symbols, maps, mapBySymbol);
  const dataFd = new Map<number, number>(); // section index → fd
  for (const s of elf.sections) {
    if (!isDataSection(s.name) || (s.flags & ELF.SHF_ALLOC) === 0 || s.size === 0) continue;
    if (s.size > MAX_GLOBAL_SECTION)
      throw new BpfObjectError(
        'OBJ_BAD_MAP',
        `section '${s.name}' is ${s.size} bytes; global data sections are limited to ${MAX_GLOBAL_SECTION}`,
      );
    const fd = maps.length;
    const initial = s.type === ELF.SHT_NOBITS ? new Uint8Array(s.size) : elf.sectionData(s).slice();
    maps.push({
      fd,
      def: { name: s.name, type: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: s.size, maxEntries: 1, flags: 0 },
      origin: 'global',
      section: s.name,
      initial,
      readonly: s.name.startsWith('.rodata'),
    });
    dataFd.set(s.index, fd);
    for (const sym of symbols) {
      if (sym.shndx === s.index && sym.type === ELF.STT_OBJECT) {
        globals.push({
          name: sym.name,
          section: s.name,
          fd,
          offset: Number(sym.value),
          size: Number(sym.size),
        });
      }
    }
  }

  // ---- functions ----
  const units: Unit[] = [];
  const unsupported: UnsupportedSection[] = [];
  const progSections: { sec: ElfSection; info: ReturnType<typeof classifySection> }[] = [];
  for (const s of elf.sections) {
    if ((s.flags & ELF.SHF_EXECINSTR) === 0 || s.type !== ELF.SHT_PROGBITS) continue;
    if (s.size % 8 !== 0)
      throw new BpfObjectError(
        'OBJ_BAD_PROGRAM',
        `section '${s.name}' is ${s.size} bytes, not a multiple of 8`,
      );
    if (s.name !== '.text') {
      const c = classifySection(s.name);
      if (c.kind === 'unknown')
        throw new BpfObjectError(
          'OBJ_UNKNOWN_SECTION',
          `section '${s.name}': not a libbpf program section name (tramp64 runs fentry/<func>, fexit/<func>, fmod_ret/<func>)`,
        );
      if (c.kind === 'unsupported') {
        const reason = `program type ${c.what} is not supported (tramp64 runs fentry/, fexit/, fmod_ret/ and their .s variants)`;
        if (options.allowUnsupported !== true)
          throw new BpfObjectError('OBJ_UNSUPPORTED_SECTION', `section '${s.name}': ${reason}`);
        unsupported.push({ section: s.name, reason });
        continue;
      }
      progSections.push({ sec: s, info: c });
    }
    if (s.size === 0) continue;
    let insns: BpfInsn[];
    try {
      insns = decodeProgram(elf.sectionData(s));
    } catch (e) {
      if (e instanceof Tramp64Error)
        throw new BpfObjectError('OBJ_BAD_PROGRAM', `section '${s.name}': ${e.message}`);
      throw e;
    }
    const funcs = symbols
      .filter((y) => y.shndx === s.index && y.type === ELF.STT_FUNC)
      .sort((a, b) => Number(a.value - b.value));
    for (const f of funcs) {
      const off = Number(f.value);
      const size = Number(f.size);
      if (off % 8 !== 0 || size % 8 !== 0 || off + size > s.size || size === 0)
        throw new BpfObjectError(
          'OBJ_BAD_PROGRAM',
          `function '${f.name}' [${off}, +${size}) is not 8-byte aligned inside section '${s.name}' (${s.size} bytes)`,
        );
      units.push({ name: f.name, section: s, start: off / 8, insns: insns.slice(off / 8, (off + size) / 8) });
    }
  }
  const unitsOf = (shndx: number): Unit[] => units.filter((u) => u.section.index === shndx);

  // Relocations per section, keyed by slot.
  const relocs = new Map<number, Map<number, { sym: ElfSymbol; type: string; index: number }>>();
  for (const s of elf.sections) {
    if (s.type !== ELF.SHT_REL && s.type !== ELF.SHT_RELA) continue;
    const target = elf.sections[s.info];
    if (target === undefined || (target.flags & ELF.SHF_EXECINSTR) === 0) continue;
    const bySlot = new Map<number, { sym: ElfSymbol; type: string; index: number }>();
    for (const r of elf.relocationsOf(s)) {
      if (r.symbol === undefined)
        throw new BpfObjectError('OBJ_BAD_RELOCATION', `${s.name}[${r.index}]: no symbol`);
      if (r.offset % 8n !== 0n || r.offset >= BigInt(target.size))
        throw new BpfObjectError(
          'OBJ_BAD_RELOCATION',
          `${s.name}[${r.index}]: offset 0x${r.offset.toString(16)} is not an instruction of '${target.name}'`,
        );
      bySlot.set(Number(r.offset / 8n), {
        sym: r.symbol,
        type: r.typeName ?? `type ${r.type}`,
        index: r.index,
      });
    }
    relocs.set(target.index, bySlot);
  }
  const symName = (y: ElfSymbol): string =>
    y.type === ELF.STT_SECTION ? (elf.sections[y.shndx]?.name ?? '?') : y.name;

  const programs: BpfProgram[] = [];
  for (const { sec, info } of progSections) {
    if (info.kind !== 'program') continue;
    const own = unitsOf(sec.index);
    if (own.length === 0 && sec.size > 0)
      throw new BpfObjectError('OBJ_BAD_PROGRAM', `section '${sec.name}' has code but no function symbol`);
    for (const unit of own) {
      programs.push(link(unit, info.info));
    }
  }
  if (programs.length === 0 && unsupported.length === 0)
    throw new BpfObjectError(
      'OBJ_NO_PROGRAMS',
      'no program sections (fentry/<func>, fexit/<func>, fmod_ret/<func>) in the object',
    );

  return { license, programs, maps, globals, unsupported, btf, btfExt };

  function link(
    main: Unit,
    info: { attachType: AttachType; sleepable: boolean; target: string },
  ): BpfProgram {
    const out: BpfInsn[] = [];
    const placed = new Map<Unit, number>();
    const queue: Unit[] = [main];
    const subprograms: { name: string; start: number }[] = [];
    const lines: BpfLineRecord[] = [];
    let end = main.insns.length;
    placed.set(main, 0);
    while (queue.length > 0) {
      const u = queue.shift()!;
      const base = placed.get(u)!;
      if (u !== main) subprograms.push({ name: u.name, start: base });
      const secRelocs = relocs.get(u.section.index) ?? new Map();
      for (let i = 0; i < u.insns.length; i++) {
        const insn = { ...u.insns[i]! };
        const slot = u.start + i;
        const rel = secRelocs.get(slot);
        const where = `'${u.name}' insn ${i} (section '${u.section.name}')`;
        if (insn.opcode === OP_CALL && insn.src === BPF_PSEUDO_CALL) {
          let targetSec = u.section.index;
          let targetSlot = slot + insn.imm + 1;
          if (rel !== undefined) {
            if (rel.type !== 'R_BPF_64_32')
              throw new BpfObjectError(
                'OBJ_BAD_RELOCATION',
                `${where}: call relocated by ${rel.type}, expected R_BPF_64_32`,
              );
            targetSec = rel.sym.shndx;
            targetSlot = Number(rel.sym.value / 8n) + insn.imm + 1;
          }
          const callee = unitsOf(targetSec).find((c) => c.start === targetSlot);
          if (callee === undefined)
            throw new BpfObjectError(
              'OBJ_BAD_CALL',
              `${where}: call to slot ${targetSlot} of '${elf.sections[targetSec]?.name ?? targetSec}', which is not the start of a function`,
            );
          if (!placed.has(callee)) {
            placed.set(callee, end);
            end += callee.insns.length;
            queue.push(callee);
          }
          insn.imm = placed.get(callee)! - (base + i + 1);
        } else if (rel !== undefined) {
          if (insn.opcode !== OP_LDDW)
            throw new BpfObjectError(
              'OBJ_BAD_RELOCATION',
              `${where}: ${rel.type} against '${symName(rel.sym)}' on an instruction that is neither ld_imm64 nor a call`,
            );
          if (rel.type !== 'R_BPF_64_64')
            throw new BpfObjectError(
              'OBJ_BAD_RELOCATION',
              `${where}: ld_imm64 relocated by ${rel.type}, expected R_BPF_64_64`,
            );
          const next = { ...u.insns[i + 1]! };
          const sym = rel.sym;
          const mapFd = mapBySymbol.get(`${sym.shndx}:${sym.value}`);
          const dfd = dataFd.get(sym.shndx);
          if (mapFd !== undefined && sym.type !== ELF.STT_SECTION) {
            insn.src = PSEUDO_MAP_FD;
            insn.imm = mapFd;
            next.imm = 0;
          } else if (dfd !== undefined) {
            const off = Number(sym.value) + insn.imm;
            const size = maps[dfd]!.def.valueSize;
            if (off < 0 || off > size)
              throw new BpfObjectError(
                'OBJ_BAD_RELOCATION',
                `${where}: offset ${off} into '${elf.sections[sym.shndx]!.name}' is outside its ${size} bytes`,
              );
            insn.src = PSEUDO_MAP_VALUE;
            insn.imm = dfd;
            next.imm = off;
          } else if (sym.shndx === ELF.SHN_UNDEF) {
            throw new BpfObjectError(
              'OBJ_BAD_RELOCATION',
              `${where}: extern '${sym.name}' (kconfig/ksym externs are not supported)`,
            );
          } else {
            throw new BpfObjectError(
              'OBJ_BAD_RELOCATION',
              `${where}: ld_imm64 refers to '${symName(sym)}' in section '${elf.sections[sym.shndx]?.name ?? sym.shndx}', which is neither a map nor global data`,
            );
          }
          insn.imm64 = joinImm64(insn.imm, next.imm);
          out[base + i] = insn;
          out[base + i + 1] = next;
          i++;
          continue;
        } else if (insn.opcode === OP_LDDW && insn.src !== 0) {
          throw new BpfObjectError(
            'OBJ_BAD_RELOCATION',
            `${where}: ld_imm64 with pseudo source ${insn.src} but no relocation`,
          );
        }
        out[base + i] = insn;
        if (isWide(insn)) {
          out[base + i + 1] = { ...u.insns[i + 1]! };
          i++;
        }
      }
      for (const l of linesOf(u)) lines.push({ ...l, insn: l.insn + base });
    }
    return {
      name: main.name,
      section: main.section.name,
      attachType: info.attachType,
      target: info.target,
      sleepable: info.sleepable,
      insns: out,
      ownInsns: main.insns.length,
      subprograms,
      lines: lines.sort((a, b) => a.insn - b.insn),
    };
  }

  function linesOf(u: Unit): BpfLineRecord[] {
    const recs = btfExt?.lineInfo.find((s) => s.section === u.section.name)?.records ?? [];
    return recs
      .filter((r) => r.insn >= u.start && r.insn < u.start + u.insns.length)
      .map((r) => ({ insn: r.insn - u.start, file: r.file, line: r.line, lineNum: r.lineNum, col: r.col }));
  }
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return String.fromCharCode(...b.subarray(0, end < 0 ? b.length : end));
}

/** BTF-defined maps: DATASEC '.maps' → VAR → STRUCT with __uint/__type members. */
function loadBtfMaps(
  elf: ElfFile,
  sec: ElfSection,
  symbols: readonly ElfSymbol[],
  btf: Btf | undefined,
  maps: BpfMapSpec[],
  bySymbol: Map<string, number>,
): void {
  if (btf === undefined)
    throw new BpfObjectError(
      'OBJ_BAD_MAP',
      "section '.maps' needs .BTF to describe its maps (build with -g)",
    );
  const datasec = btf.byName('.maps', 'DATASEC')[0];
  if (datasec === undefined || datasec.kind !== 'DATASEC')
    throw new BpfObjectError('OBJ_BAD_MAP', "no DATASEC '.maps' in .BTF");
  const syms = symbols.filter(
    (y) => y.shndx === sec.index && (y.type === ELF.STT_OBJECT || y.type === ELF.STT_NOTYPE) && y.name !== '',
  );
  for (const v of datasec.vars) {
    const variable = btf.type(v.type);
    if (variable?.kind !== 'VAR')
      throw new BpfObjectError('OBJ_BAD_MAP', `.maps entry type ${v.type} is not a VAR`);
    const name = variable.name;
    const st = skipModifiers(btf, variable.type);
    if (st?.kind !== 'STRUCT')
      throw new BpfObjectError(
        'OBJ_BAD_MAP',
        `map '${name}': its type is ${st?.kind ?? 'void'}, expected a struct of __uint/__type members`,
      );
    const def: MapDef = { name, type: 0, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0 };
    let keyType = false;
    let valueType = false;
    for (const m of st.members) {
      // __uint(name, N) is `int (*name)[N]`: a PTR to an ARRAY of N elements.
      const uintValue = (): number => {
        const p = skipModifiers(btf, m.type);
        const a = p?.kind === 'PTR' ? skipModifiers(btf, p.type) : undefined;
        if (a?.kind !== 'ARRAY')
          throw new BpfObjectError(
            'OBJ_BAD_MAP',
            `map '${name}': member '${m.name}' is not __uint(${m.name}, N)`,
          );
        return a.nelems;
      };
      const pointee = (): number => {
        const p = skipModifiers(btf, m.type);
        if (p?.kind !== 'PTR')
          throw new BpfObjectError(
            'OBJ_BAD_MAP',
            `map '${name}': member '${m.name}' is not __type(${m.name}, T)`,
          );
        return typeSize(btf, p.type);
      };
      switch (m.name) {
        case 'type':
          def.type = uintValue();
          break;
        case 'max_entries':
          def.maxEntries = uintValue();
          break;
        case 'map_flags':
          def.flags = uintValue();
          break;
        case 'key_size':
          if (keyType && def.keySize !== uintValue())
            throw new BpfObjectError('OBJ_BAD_MAP', `map '${name}': key_size disagrees with the key type`);
          def.keySize = uintValue();
          break;
        case 'value_size':
          if (valueType && def.valueSize !== uintValue())
            throw new BpfObjectError(
              'OBJ_BAD_MAP',
              `map '${name}': value_size disagrees with the value type`,
            );
          def.valueSize = uintValue();
          break;
        case 'key':
          def.keySize = pointee();
          keyType = true;
          break;
        case 'value':
          def.valueSize = pointee();
          valueType = true;
          break;
        case 'pinning':
        case 'numa_node':
        case 'map_extra':
          uintValue();
          break;
        default:
          throw new BpfObjectError(
            'OBJ_BAD_MAP',
            `map '${name}': member '${m.name}' is not supported (inner maps, key/value BTF extras)`,
          );
      }
    }
    if (def.type === 0) throw new BpfObjectError('OBJ_BAD_MAP', `map '${name}': no __uint(type, …)`);
    const sym = syms.find((y) => y.name === name);
    if (sym === undefined)
      throw new BpfObjectError('OBJ_BAD_MAP', `map '${name}': no symbol in section '.maps'`);
    const fd = maps.length;
    maps.push({ fd, def, origin: 'btf', readonly: false });
    bySymbol.set(`${sec.index}:${sym.value}`, fd);
  }
  void elf;
}

/** Legacy maps: `struct bpf_map_def { u32 type, key_size, value_size, max_entries, map_flags; }` per symbol. */
function loadLegacyMaps(
  elf: ElfFile,
  sec: ElfSection,
  symbols: readonly ElfSymbol[],
  maps: BpfMapSpec[],
  bySymbol: Map<string, number>,
): void {
  const data = elf.sectionData(sec);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const y of symbols) {
    if (y.shndx !== sec.index || y.type === ELF.STT_SECTION || y.name === '') continue;
    const off = Number(y.value);
    if (off + 20 > data.length)
      throw new BpfObjectError(
        'OBJ_BAD_MAP',
        `legacy map '${y.name}' at offset ${off} runs past section 'maps' (${data.length} bytes)`,
      );
    const u = (i: number): number => view.getUint32(off + 4 * i, true);
    const fd = maps.length;
    maps.push({
      fd,
      def: { name: y.name, type: u(0), keySize: u(1), valueSize: u(2), maxEntries: u(3), flags: u(4) },
      origin: 'legacy',
      readonly: false,
    });
    bySymbol.set(`${sec.index}:${y.value}`, fd);
  }
}
