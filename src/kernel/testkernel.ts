/**
 * The built-in test kernel: one of the fixture objects (fixtures/kernel/testkernel-*.o, compiled with the
 * arm64 kernel's flags) linked into the kernel IMAGE at `_text` — as the kernel's own functions, with no
 * PLTs (the image is linked by ld in reality, so a branch out of reach is an error) — plus the runtime
 * (`memcpy`, `memset`, `strlen` in A64, `printk` as a host call) its undefined symbols resolve to.
 *
 *   const tk = linkTestKernel(new Kernel({ layout: { kind: 'nokaslr' } }), readFileSync(fixture));
 *   tk.kernel.machine.call(tk.addr('bpf_fentry_test3'), [4n, 5n, 6n]);   // 15
 *
 * The object's `.BTF` (made by `pahole -J`) is kept as bytes for the BTF reader (src/bpf/btf), whose
 * function models later layers put into `functionModels`. The library never reads files: the caller passes
 * the object's bytes.
 */
import { parseElf } from '../elf/index.js';
import * as C from '../elf/constants.js';
import { KernelError } from '../util/errors.js';
import { findCallSites, FuncIndex, type CallSite, type FuncSym } from './callsites.js';
import type { KSym } from './kallsyms.js';
import { Kernel, type KernelOptions } from './kernel.js';
import { isTextType, linkObject, type MemType } from './link.js';
import { installRuntime, kernelStubs, type Runtime } from './runtime/index.js';

/** The three fixture builds (fixtures/kernel/build.sh). */
export type TestKernelVariant = 'gcc-pfe2' | 'gcc-pfe42' | 'clang-bti-pfe42';
export const TEST_KERNEL_VARIANTS: readonly TestKernelVariant[] = [
  'gcc-pfe2',
  'gcc-pfe42',
  'clang-bti-pfe42',
];
/** The fixture file of a variant, relative to the repository root. */
export const testKernelFixture = (v: TestKernelVariant): string => `fixtures/kernel/testkernel-${v}.o`;

/**
 * What a later layer knows about a traced function (the BPF layer fills this from the object's BTF with its
 * function models: argument count and sizes, return size). Structural, so this layer imports nothing above it.
 */
export interface TestKernelFunctionModel {
  readonly name: string;
  readonly args: readonly { readonly name: string; readonly size: number | undefined }[];
  readonly returnSize: number | undefined;
}

export class TestKernel {
  /** Function models by name, filled by a later layer (e.g. from `btf` with src/bpf/btf functionModels). */
  readonly functionModels = new Map<string, TestKernelFunctionModel>();

  constructor(
    readonly kernel: Kernel,
    /** Every symbol the object defines, at its image address. */
    readonly symbols: ReadonlyMap<string, KSym>,
    /** The ftrace call sites of the object's functions. */
    readonly callSites: readonly CallSite[],
    /** The object's `.BTF` section, undefined if it has none. */
    readonly btf: Uint8Array | undefined,
    readonly runtime: Runtime,
    /** Relocations applied, by type. */
    readonly relocations: ReadonlyMap<string, number>,
  ) {}

  /** The address of a function or object of the test kernel (or of the runtime), else a KernelError. */
  addr(name: string): bigint {
    const s = this.symbols.get(name) ?? this.runtime.symbols.get(name);
    if (s === undefined) throw new KernelError('ENOENT', `the test kernel has no symbol ${name}`);
    return typeof s === 'bigint' ? s : s.address;
  }

  /** The call site of function `name`. */
  callSite(name: string): CallSite {
    const c = this.callSites.find((s) => s.func.name === name);
    if (!c)
      throw new KernelError('ENOENT', `${name} has no ftrace call site (notrace, or not in the test kernel)`);
    return c;
  }

  /** The kernel log (what printk wrote). */
  get log(): Runtime['log'] {
    return this.runtime.log;
  }
}

const IMAGE_KIND: Record<MemType, 'text' | 'rodata' | 'data'> = {
  text: 'text',
  init_text: 'text',
  rodata: 'rodata',
  init_rodata: 'rodata',
  ro_after_init: 'data',
  data: 'data',
  init_data: 'data',
};

/** Link a test-kernel object into `kernel`'s image (its text first, so it starts at `_text`). */
export function linkTestKernel(kernel: Kernel, object: Uint8Array): TestKernel {
  const elf = parseElf(object);
  let runtime: Runtime | undefined;
  const linked = linkObject(elf, {
    name: 'vmlinux',
    plts: false,
    ftracePlts: false,
    kernelRanges: false,
    // Page-aligned regions, so a read-only and a writable region never share a page.
    allocate: (t, size, align) => kernel.imageAlloc(size, IMAGE_KIND[t], Math.max(align, 4096)).address,
    resolve: (sym) => {
      runtime ??= installRuntime(kernel);
      const r = runtime.symbols.get(sym.name);
      if (r !== undefined) return r;
      const k = kernel.kallsyms.lookupName(sym.name);
      if (k && k.module === undefined) return k.address;
      if (sym.bind === C.STB_WEAK) return undefined;
      return kernelStubs(kernel).stubFor(sym.name);
    },
  });
  runtime ??= installRuntime(kernel);

  for (const r of linked.regions) {
    if (isTextType(r.type)) kernel.writeText(r.address, r.bytes);
    else kernel.machine.memory.writeBytes(r.address, r.bytes, 0);
  }

  const symbols = new Map<string, KSym>();
  const funcs: FuncSym[] = [];
  for (const sym of elf.symbolsOf(elf.symtab!)) {
    if (sym.index === 0 || !sym.name || sym.name.startsWith('$') || sym.shndx === C.SHN_UNDEF) continue;
    if (sym.type !== C.STT_FUNC && sym.type !== C.STT_OBJECT) continue;
    const sec = linked.sections.get(sym.shndx);
    const address = linked.symbolAddress[sym.index];
    if (!sec || address === undefined) continue;
    const global = sym.bind !== C.STB_LOCAL;
    const letter = isTextType(sec.type) ? 't' : sec.type.includes('rodata') ? 'r' : 'd';
    const k: KSym = {
      name: sym.name,
      address,
      size: sym.size,
      type: (global ? letter.toUpperCase() : letter) as KSym['type'],
    };
    symbols.set(sym.name, k);
    kernel.kallsyms.add(k);
    if (sym.type === C.STT_FUNC) funcs.push({ name: sym.name, address, size: sym.size });
  }

  const entries: bigint[] = [];
  for (const s of elf.sections) {
    if (s.name !== '__patchable_function_entries') continue;
    const placed = linked.sections.get(s.index)!;
    for (let i = 0; i + 8 <= s.size; i += 8) entries.push(linked.quad(placed.address + BigInt(i))!);
  }
  const callSites = findCallSites(entries, new FuncIndex(funcs), linked.word, undefined);
  const btfSec = elf.sectionByName('.BTF');
  const btf = btfSec ? new Uint8Array(elf.sectionData(btfSec)) : undefined;
  return new TestKernel(kernel, symbols, callSites, btf, runtime, linked.relocations);
}

/** A new kernel with the test kernel linked at `_text`. */
export function createTestKernel(object: Uint8Array, opts: KernelOptions = {}): TestKernel {
  return linkTestKernel(new Kernel(opts), object);
}
