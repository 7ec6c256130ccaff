/**
 * The module loader: a relocatable `.ko` (or any AArch64 `.o`) loaded into a `Kernel` the way arm64 Linux
 * (v6.5+) loads modules.
 *
 *  - Regions (link.ts): text RX (guarded when the kernel enforces BTI), rodata R, ro_after_init RW until
 *    the module is live then R, data/bss RW, and the init variants. W^X always: code is mapped read-only
 *    and executable and written once through the loader path (`Kernel.writeText`), later only through the
 *    patching alias (TextPatcher).
 *  - Placement (module_alloc): every region from the lowest fit inside `layout.moduleDirect` (the 128 MiB
 *    window that reaches the whole image with BL), else inside `layout.modulePlt` (2 GiB, PLTs needed);
 *    both come from the kernel's vmalloc areas, so modules, the image and BPF allocations never overlap.
 *  - Symbols: undefined ones resolve to a kernel-image symbol (kallsyms), else to a symbol exported by a
 *    loaded module (`__ksymtab_strings`), else to a stub in the image (runtime/stubs.ts) that raises
 *    `MissingKernelFunction` if executed. Weak undefined symbols that resolve nowhere are 0, as in Linux.
 *    Defined symbols go to kallsyms with the module's name.
 *  - PLTs (plt.ts): a CALL26/JUMP26 out of ±128 MiB goes through a veneer in the module's `.plt` — exactly
 *    then; one ftrace PLT veneer per text region with call sites (`.text.ftrace_trampoline`), pointing at
 *    the kernel symbol `ftrace_caller` if there is one, else at its stub; `retargetFtracePlt` moves it.
 *  - Call sites (callsites.ts): every `__patchable_function_entries` entry, checked; `module.callSites`.
 *    `ftraceInitNop` is the ftrace layer's to call.
 *  - State: 'coming' while loading (ftrace keeps the records disabled), 'live' after `markLive`.
 *
 * Any failure is a typed error (ElfError, RelocationError, KernelError) and leaves nothing behind: the
 * regions are freed and no symbol is published. (Stubs created for the failed module's kernel symbols stay:
 * they are image symbols any later module would get too.)
 */
import { parseElf, type ElfFile, type ElfSymbol } from '../elf/index.js';
import * as C from '../elf/constants.js';
import { PERM_GP, PERM_R, PERM_W, PERM_X } from '../machine/index.js';
import { KernelError } from '../util/errors.js';
import { findCallSites, FuncIndex, type CallSite, type FuncSym } from './callsites.js';
import type { KSym } from './kallsyms.js';
import type { Kernel } from './kernel.js';
import { isTextType, linkObject, type LinkedObject, type MemType, type PlacedSection } from './link.js';
import { pltEntryWords, retargetPlt, type PltEntry } from './plt.js';
import { kernelStubs } from './runtime/stubs.js';

export type ModuleState = 'coming' | 'live';

export interface ModuleRegion {
  readonly type: MemType;
  readonly address: bigint;
  readonly size: number;
  perms: number;
}

export interface FtracePlt {
  /** The text region whose call sites use it. */
  readonly region: 'text' | 'init_text';
  readonly address: bigint;
  target: bigint;
}

export interface SymbolResolution {
  /** Undefined symbols resolved to kernel-image symbols (real ones, runtime routines, existing stubs). */
  kernel: number;
  /** … to symbols exported by loaded modules. */
  modules: number;
  /** … to new kernel stubs. */
  stubs: number;
  /** Weak undefined symbols left at 0. */
  weakZero: number;
}

export class Module {
  state: ModuleState = 'coming';
  constructor(
    readonly name: string,
    readonly regions: readonly ModuleRegion[],
    readonly sections: readonly PlacedSection[],
    readonly symbols: readonly KSym[],
    readonly callSites: readonly CallSite[],
    /** PLT veneers emitted (used) per text region, and the capacity reserved at layout. */
    readonly plts: {
      readonly text: readonly PltEntry[];
      readonly init_text: readonly PltEntry[];
      readonly capacity: number;
    },
    readonly ftracePlts: readonly FtracePlt[],
    /** Relocations applied, by type name. */
    readonly relocations: ReadonlyMap<string, number>,
    readonly resolution: SymbolResolution,
    /** Symbols this module exports (`__ksymtab_strings`) and their addresses. */
    readonly exports: ReadonlyMap<string, bigint>,
    /** The module's `.BTF` (split BTF against vmlinux), if it has one. */
    readonly btf: Uint8Array | undefined,
    /** `.modinfo` key=value pairs (a key may repeat: alias=…). */
    readonly modinfo: readonly (readonly [string, string])[],
  ) {}

  /** Bytes allocated for the module's regions. */
  get size(): number {
    return this.regions.reduce((n, r) => n + r.size, 0);
  }

  get pltsUsed(): number {
    return this.plts.text.length + this.plts.init_text.length;
  }

  get relocationCount(): number {
    let n = 0;
    for (const v of this.relocations.values()) n += v;
    return n;
  }

  /** A symbol of this module by name. */
  symbol(name: string): bigint | undefined {
    return this.symbols.find((s) => s.name === name)?.address;
  }

  /** The region of a given type, if the module has one. */
  region(type: MemType): ModuleRegion | undefined {
    return this.regions.find((r) => r.type === type);
  }
}

/** The modules of one kernel and the symbols they export. */
export interface ModuleSpace {
  readonly modules: Map<string, Module>;
  readonly exports: Map<string, bigint>;
}

const spaces = new WeakMap<Kernel, ModuleSpace>();

export function moduleSpace(kernel: Kernel): ModuleSpace {
  let s = spaces.get(kernel);
  if (!s) spaces.set(kernel, (s = { modules: new Map(), exports: new Map() }));
  return s;
}

export interface LoadModuleOptions {
  /** Module name when `.modinfo` has no `name=` (default 'module'). */
  readonly name?: string;
  /** Mark the module live at the end of loading (default true). */
  readonly live?: boolean;
}

/** `.modinfo`'s NUL-separated key=value strings. */
export function readModinfo(elf: ElfFile): [string, string][] {
  const s = elf.sectionByName('.modinfo');
  if (!s || s.type === C.SHT_NOBITS) return [];
  const out: [string, string][] = [];
  let cur = '';
  for (const b of elf.sectionData(s)) {
    if (b === 0) {
      const eq = cur.indexOf('=');
      if (eq > 0) out.push([cur.slice(0, eq), cur.slice(eq + 1)]);
      cur = '';
    } else cur += String.fromCharCode(b);
  }
  return out;
}

function ksymtabStrings(elf: ElfFile): string[] {
  const out: string[] = [];
  for (const s of elf.sections) {
    if (s.name !== '__ksymtab_strings' || s.type === C.SHT_NOBITS) continue;
    let cur = '';
    for (const b of elf.sectionData(s)) {
      if (b === 0) {
        if (cur) out.push(cur);
        cur = '';
      } else cur += String.fromCharCode(b);
    }
  }
  return out;
}

/** kallsyms type letter of a symbol in a region (upper case when global). */
function ksymType(t: MemType, global: boolean, nobits: boolean): KSym['type'] {
  const c = isTextType(t) ? 't' : t === 'rodata' || t === 'init_rodata' ? 'r' : nobits ? 'b' : 'd';
  return (global ? c.toUpperCase() : c) as KSym['type'];
}

/** Whether a symbol-table entry is one kallsyms lists (named, defined, not a mapping or local label). */
function listed(sym: ElfSymbol): boolean {
  if (sym.index === 0 || !sym.name || sym.shndx === C.SHN_UNDEF || sym.shndx === C.SHN_ABS) return false;
  if (sym.type !== C.STT_FUNC && sym.type !== C.STT_OBJECT && sym.type !== C.STT_NOTYPE) return false;
  return !sym.name.startsWith('$') && !sym.name.startsWith('.L');
}

/** The permissions of a region while the module is coming / once it is live. */
export function regionPerms(kernel: Kernel, t: MemType, live: boolean): number {
  if (isTextType(t)) return PERM_R | PERM_X | (kernel.bti ? PERM_GP : 0);
  if (t === 'rodata' || t === 'init_rodata') return PERM_R;
  if (t === 'ro_after_init') return live ? PERM_R : PERM_R | PERM_W;
  return PERM_R | PERM_W;
}

/** The address `ftrace_caller` has in the kernel image, else its stub. */
export function ftraceCallerAddress(kernel: Kernel): bigint {
  const k = kernel.kallsyms.lookupName('ftrace_caller');
  if (k && k.module === undefined) return k.address;
  return kernelStubs(kernel).stubFor('ftrace_caller');
}

/** module_alloc: lowest fit in the 128 MiB window, else in the 2 GiB window. */
function moduleAlloc(kernel: Kernel, size: number, align: number, tag: string): bigint {
  const windows = [kernel.layout.moduleDirect, kernel.layout.modulePlt].filter((w) => w !== undefined);
  const a = BigInt(Math.max(4096, align));
  for (const w of windows) {
    try {
      return kernel.vmalloc.alloc(BigInt(size), tag, { lo: w.base, hi: w.base + w.size, align: a });
    } catch (e) {
      if (!(e instanceof KernelError && e.errno === 'ENOMEM')) throw e;
    }
  }
  throw new KernelError('ENOMEM', `${tag}: no room for ${size} bytes in the module windows`);
}

/** Load one module. Throws a typed error (and leaves nothing mapped) when it cannot. */
export function loadModule(kernel: Kernel, bytes: Uint8Array, opts: LoadModuleOptions = {}): Module {
  const elf = parseElf(bytes);
  const modinfo = readModinfo(elf);
  const name = modinfo.find(([k]) => k === 'name')?.[1] ?? opts.name ?? 'module';
  const space = moduleSpace(kernel);
  if (space.modules.has(name)) throw new KernelError('EEXIST', `module ${name} is already loaded`);

  const allocated: bigint[] = [];
  const mapped: { address: bigint; size: number }[] = [];
  const resolution: SymbolResolution = { kernel: 0, modules: 0, stubs: 0, weakZero: 0 };
  const stubs = kernelStubs(kernel);
  try {
    const linked = linkObject(elf, {
      name,
      plts: true,
      ftracePlts: true,
      kernelRanges: true,
      allocate: (t, size, align) => {
        const a = moduleAlloc(kernel, size, align, `module ${name} ${t}`);
        allocated.push(a);
        return a;
      },
      resolve: (sym) => {
        const k = kernel.kallsyms.lookupName(sym.name);
        if (k && k.module === undefined) {
          resolution.kernel++;
          return k.address;
        }
        const e = space.exports.get(sym.name);
        if (e !== undefined) {
          resolution.modules++;
          return e;
        }
        if (sym.bind === C.STB_WEAK) {
          resolution.weakZero++;
          return undefined;
        }
        resolution.stubs++;
        return stubs.stubFor(sym.name);
      },
    });

    // Symbols of the module, for kallsyms and the call-site checks.
    const symtab = elf.symbolsOf(elf.symtab!);
    const ksyms: KSym[] = [];
    const funcs: FuncSym[] = [];
    for (const sym of symtab) {
      if (!listed(sym)) continue;
      const sec = linked.sections.get(sym.shndx);
      const addr = linked.symbolAddress[sym.index];
      if (!sec || addr === undefined) continue;
      const nobits = elf.sections[sym.shndx]?.type === C.SHT_NOBITS;
      ksyms.push({
        name: sym.name,
        address: addr,
        size: sym.size,
        module: name,
        type: ksymType(sec.type, sym.bind !== C.STB_LOCAL, nobits),
      });
      if (sym.type === C.STT_FUNC) funcs.push({ name: sym.name, address: addr, size: sym.size });
    }

    const callSites = findCallSites(
      callSiteEntries(elf, linked, name),
      new FuncIndex(funcs),
      linked.word,
      name,
    );

    // The ftrace PLTs: written into the text buffers before the text is loaded.
    const ftracePlts: FtracePlt[] = [];
    if (linked.ftracePlts.size > 0) {
      const target = ftraceCallerAddress(kernel);
      for (const [region, address] of linked.ftracePlts) {
        writeWords(linked, address, pltEntryWords(address, target));
        ftracePlts.push({ region, address, target });
      }
    }

    const exports = new Map<string, bigint>();
    const globals = new Map(
      ksyms.filter((k) => k.type === k.type.toUpperCase()).map((k) => [k.name, k.address]),
    );
    for (const e of ksymtabStrings(elf)) {
      const a = globals.get(e);
      if (a !== undefined) exports.set(e, a);
    }

    // Map and write: nothing before this point touched the machine.
    const live = opts.live ?? true;
    const regions: ModuleRegion[] = [];
    for (const r of linked.regions) {
      const perms = regionPerms(kernel, r.type, false);
      const pages = Math.ceil(r.size / 4096) * 4096;
      kernel.machine.memory.map(r.address, pages, isTextType(r.type) ? perms : PERM_R | PERM_W);
      mapped.push({ address: r.address, size: pages });
      if (isTextType(r.type)) kernel.writeText(r.address, r.bytes);
      else {
        kernel.machine.memory.writeBytes(r.address, r.bytes, 0);
        if (perms !== (PERM_R | PERM_W)) kernel.machine.memory.protect(r.address, pages, perms);
      }
      regions.push({ type: r.type, address: r.address, size: r.size, perms });
    }

    const btfSec = elf.sectionByName('.BTF');
    const btf = btfSec && btfSec.type !== C.SHT_NOBITS ? new Uint8Array(elf.sectionData(btfSec)) : undefined;
    const mod = new Module(
      name,
      regions,
      [...linked.sections.values()],
      ksyms,
      callSites,
      {
        text: linked.plts.get('text')?.entries ?? [],
        init_text: linked.plts.get('init_text')?.entries ?? [],
        capacity: (linked.plts.get('text')?.capacity ?? 0) + (linked.plts.get('init_text')?.capacity ?? 0),
      },
      ftracePlts,
      linked.relocations,
      resolution,
      exports,
      btf,
      modinfo,
    );
    for (const s of ksyms) kernel.kallsyms.add(s);
    for (const [n, a] of exports) if (!space.exports.has(n)) space.exports.set(n, a);
    space.modules.set(name, mod);
    if (live) markLive(kernel, mod);
    return mod;
  } catch (e) {
    for (const m of mapped) kernel.machine.memory.unmap(m.address, m.size);
    for (const a of allocated) kernel.vmalloc.free(a);
    throw e;
  }
}

/** The relocated entries of every `__patchable_function_entries` section. */
function callSiteEntries(elf: ElfFile, linked: LinkedObject, name: string): bigint[] {
  const out: bigint[] = [];
  for (const s of elf.sections) {
    if (s.name !== '__patchable_function_entries') continue;
    const placed = linked.sections.get(s.index);
    if (!placed) continue;
    if (s.size % 8 !== 0)
      throw new KernelError(
        'ENOEXEC',
        `${name}: __patchable_function_entries size ${s.size} is not a multiple of 8`,
      );
    for (let i = 0; i < s.size; i += 8) out.push(linked.quad(placed.address + BigInt(i))!);
  }
  return out;
}

function writeWords(linked: LinkedObject, at: bigint, words: readonly number[]): void {
  const r = linked.regions.find((x) => at >= x.address && at < x.address + BigInt(x.size))!;
  const v = new DataView(r.bytes.buffer, r.bytes.byteOffset);
  words.forEach((w, k) => v.setUint32(Number(at - r.address) + 4 * k, w, true));
}

/** The module's init is done: ro_after_init becomes read-only, ftrace may enable its records. */
export function markLive(kernel: Kernel, mod: Module): void {
  if (mod.state === 'live') return;
  for (const r of mod.regions) {
    const p = regionPerms(kernel, r.type, true);
    if (p !== r.perms) {
      kernel.machine.memory.protect(r.address, Math.ceil(r.size / 4096) * 4096, p);
      r.perms = p;
    }
  }
  mod.state = 'live';
}

/** Point every ftrace PLT of `mod` at `target` (e.g. the real ftrace_caller once ftrace has built it). */
export function retargetFtracePlt(kernel: Kernel, mod: Module, target: bigint): void {
  for (const p of mod.ftracePlts) {
    retargetPlt(kernel.patcher, p.address, p.target, target);
    p.target = target;
  }
}

/** Unload: unmap, free, drop the symbols and exports. */
export function unloadModule(kernel: Kernel, mod: Module): void {
  const space = moduleSpace(kernel);
  if (space.modules.get(mod.name) !== mod)
    throw new KernelError('ENOENT', `module ${mod.name} is not loaded`);
  for (const r of mod.regions) {
    kernel.machine.memory.unmap(r.address, Math.ceil(r.size / 4096) * 4096);
    kernel.vmalloc.free(r.address);
  }
  kernel.kallsyms.removeModule(mod.name);
  for (const [n, a] of mod.exports) if (space.exports.get(n) === a) space.exports.delete(n);
  space.modules.delete(mod.name);
}

// ---- many modules --------------------------------------------------------------------------------------

export interface ModuleFile {
  /** Name to use when `.modinfo` has none (e.g. the file name without .ko). */
  readonly name?: string;
  readonly bytes: Uint8Array;
}

export interface LoadProgress {
  readonly done: number;
  readonly total: number;
  readonly name: string;
}

export interface LoadModulesOptions {
  readonly onProgress?: (p: LoadProgress) => void;
  /** 'deps' (default): load in `depends=` order as modprobe would; 'given': in the order given. */
  readonly order?: 'deps' | 'given';
  /** 'throw' (default): stop at the first failure; 'skip': record it and go on. */
  readonly onError?: 'throw' | 'skip';
}

export interface LoadModulesResult {
  readonly modules: Module[];
  readonly failures: { name: string; error: Error }[];
  readonly totals: ModuleTotals;
}

export interface ModuleTotals {
  modules: number;
  bytes: number;
  relocations: number;
  relocationsByType: Record<string, number>;
  plts: number;
  ftracePlts: number;
  callSites: number;
  callSitesByLayout: Record<string, number>;
  modulesWithCallSites: number;
  undefined: SymbolResolution;
  /** Modules with at least one region in the 2 GiB window outside the 128 MiB one. */
  modulesOutsideDirectWindow: number;
}

/** Sum the figures of loaded modules. */
export function moduleTotals(kernel: Kernel, mods: readonly Module[]): ModuleTotals {
  const t: ModuleTotals = {
    modules: mods.length,
    bytes: 0,
    relocations: 0,
    relocationsByType: {},
    plts: 0,
    ftracePlts: 0,
    callSites: 0,
    callSitesByLayout: {},
    modulesWithCallSites: 0,
    undefined: { kernel: 0, modules: 0, stubs: 0, weakZero: 0 },
    modulesOutsideDirectWindow: 0,
  };
  const d = kernel.layout.moduleDirect;
  for (const m of mods) {
    t.bytes += m.size;
    for (const [k, v] of m.relocations) {
      t.relocationsByType[k] = (t.relocationsByType[k] ?? 0) + v;
      t.relocations += v;
    }
    t.plts += m.pltsUsed;
    t.ftracePlts += m.ftracePlts.length;
    t.callSites += m.callSites.length;
    if (m.callSites.length > 0) t.modulesWithCallSites++;
    for (const c of m.callSites) t.callSitesByLayout[c.layout] = (t.callSitesByLayout[c.layout] ?? 0) + 1;
    for (const k of ['kernel', 'modules', 'stubs', 'weakZero'] as const) t.undefined[k] += m.resolution[k];
    if (!d || m.regions.some((r) => r.address < d.base || r.address + BigInt(r.size) > d.base + d.size))
      t.modulesOutsideDirectWindow++;
  }
  return t;
}

/** Order modules so that each comes after the modules its `depends=` names (cycles keep the given order). */
export function dependencyOrder(files: readonly ModuleFile[]): ModuleFile[] {
  const info = files.map((f) => {
    let name = f.name ?? '';
    let deps: string[] = [];
    try {
      const mi = readModinfo(parseElf(f.bytes));
      name = mi.find(([k]) => k === 'name')?.[1] ?? name;
      deps = (mi.find(([k]) => k === 'depends')?.[1] ?? '').split(',').filter(Boolean);
    } catch {
      // A malformed file keeps its place; loading it reports the error.
    }
    return { f, name, deps };
  });
  const byName = new Map(info.filter((i) => i.name).map((i) => [i.name, i]));
  const out: ModuleFile[] = [];
  const state = new Map<(typeof info)[number], 'visiting' | 'done'>();
  const visit = (i: (typeof info)[number]): void => {
    if (state.has(i)) return;
    state.set(i, 'visiting');
    for (const d of i.deps) {
      const dep = byName.get(d) ?? byName.get(d.replace(/-/g, '_'));
      if (dep) visit(dep);
    }
    state.set(i, 'done');
    out.push(i.f);
  };
  for (const i of info) visit(i);
  return out;
}

/** Load many modules into one kernel (a whole corpus), with progress. */
export function loadModules(
  kernel: Kernel,
  files: readonly ModuleFile[],
  opts: LoadModulesOptions = {},
): LoadModulesResult {
  const ordered = opts.order === 'given' ? [...files] : dependencyOrder(files);
  const modules: Module[] = [];
  const failures: { name: string; error: Error }[] = [];
  ordered.forEach((f, i) => {
    try {
      modules.push(loadModule(kernel, f.bytes, { name: f.name }));
    } catch (e) {
      if (opts.onError !== 'skip' || !(e instanceof Error)) throw e;
      failures.push({ name: f.name ?? `file ${i}`, error: e });
    }
    opts.onProgress?.({ done: i + 1, total: ordered.length, name: modules.at(-1)?.name ?? f.name ?? '' });
  });
  return { modules, failures, totals: moduleTotals(kernel, modules) };
}
