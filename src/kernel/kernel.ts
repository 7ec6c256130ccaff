/**
 * The model kernel: a machine, an address-space layout, the kernel image, kallsyms, a lowest-fit vmalloc
 * (which execmem uses for BPF programs and trampolines), and live text patching. Higher layers (the
 * module loader, ftrace, BPF, trampolines) build on these.
 */
import { Machine, PERM_GP, PERM_R, PERM_W, PERM_X, type MachineOptions } from '../machine/index.js';
import { KernelError } from '../util/errors.js';
import { Kallsyms } from './kallsyms.js';
import { makeLayout, VMALLOC_END, VMALLOC_START, type Layout, type LayoutOptions } from './layout.js';
import { RcuTasks } from './rcu.js';
import { TextPatcher } from './patch.js';
import { VmallocAllocator } from './vmalloc.js';

/** Size of the model's task_struct (zero-filled; large enough for the offsets compiled code reads). */
export const TASK_STRUCT_SIZE = 8192;
/** Offset of thread_info.cpu in the model's task_struct (thread_info is the first member on arm64). */
export const THREAD_INFO_CPU = 0x18;
/** Distance between CPUs' per-CPU areas (TPIDR_EL1 offsets). */
export const PER_CPU_STRIDE = 0x10000n;

export interface KernelOptions {
  readonly layout?: LayoutOptions;
  readonly machine?: MachineOptions;
}

/** A region of the kernel image handed out by `imageAlloc`. */
export interface ImageRegion {
  readonly address: bigint;
  readonly size: number;
}

export class Kernel {
  readonly machine: Machine;
  readonly layout: Layout;
  readonly vmalloc: VmallocAllocator;
  readonly kallsyms = new Kallsyms();
  readonly patcher: TextPatcher;
  /** Tasks-RCU grace periods (freeing ops, hashes and trampoline images that CPUs may still use). */
  readonly rcu: RcuTasks;
  /** Next free byte of the image's text and data parts (text grows from _text, data from the middle). */
  private imageTextCursor: bigint;
  private imageDataCursor: bigint;

  constructor(opts: KernelOptions = {}) {
    this.machine = new Machine(opts.machine);
    this.layout = makeLayout(opts.layout ?? { kind: 'nokaslr' });
    this.vmalloc = new VmallocAllocator(VMALLOC_START, VMALLOC_END);
    // The image occupies a vmalloc-space area (KIMAGE_VADDR is the bottom of vmalloc without KASLR).
    this.vmalloc.reserve(
      this.layout.imageStart,
      this.layout.imageEnd - this.layout.imageStart,
      'kernel image',
    );
    const priorBase = this.layout.kind === 'nokaslr' ? this.layout.imageEnd : VMALLOC_START;
    this.vmalloc.reserve(priorBase, this.layout.priorVmalloc, 'vmalloc in use before BPF (model assumption)');
    this.patcher = new TextPatcher(this.machine);
    this.rcu = new RcuTasks(this.machine);
    this.imageTextCursor = this.layout.imageStart;
    this.imageDataCursor = this.layout.imageStart + (this.layout.imageEnd - this.layout.imageStart) / 2n;
    // `current`: each CPU runs a task whose task_struct SP_EL0 points at (compiled kernel code reads
    // current->stack_canary, thread_info.cpu … through it), and has a per-CPU offset in TPIDR_EL1.
    for (const cpu of this.machine.cpus) {
      const task = this.imageAlloc(TASK_STRUCT_SIZE, 'data', 64);
      cpu.sysregs.set('SP_EL0', task.address);
      this.machine.memory.write32(task.address + BigInt(THREAD_INFO_CPU), cpu.id, 0);
      cpu.sysregs.set('TPIDR_EL1', BigInt(cpu.id) * PER_CPU_STRIDE);
      this.tasks.push(task.address);
    }
  }

  /** The task_struct address of each CPU's current task (SP_EL0). */
  readonly tasks: bigint[] = [];

  /** Every `imageAlloc` region in allocation order (bookkeeping for code/data accounting). */
  readonly imageAllocations: (ImageRegion & { readonly kind: 'text' | 'rodata' | 'data' })[] = [];

  /** Whether BTI guarded pages are in force for kernel text. */
  get bti(): boolean {
    return this.machine.options.bti;
  }

  private textPerms(): number {
    return PERM_R | PERM_X | (this.bti ? PERM_GP : 0);
  }

  /** Allocate `size` bytes of the kernel image: text (RX) or data (RW / RO). Pages are mapped on demand. */
  imageAlloc(size: number, kind: 'text' | 'rodata' | 'data', align = 16): ImageRegion {
    if (size < 0) throw new KernelError('EINVAL', `imageAlloc: negative size ${size}`);
    const a = BigInt(Math.max(align, 1));
    const isText = kind === 'text';
    let cur = isText ? this.imageTextCursor : this.imageDataCursor;
    cur = ((cur + a - 1n) / a) * a;
    const end = cur + BigInt(Math.max(size, 1));
    const limit = isText
      ? this.layout.imageStart + (this.layout.imageEnd - this.layout.imageStart) / 2n
      : this.layout.imageEnd;
    if (end > limit)
      throw new KernelError('ENOMEM', `kernel image ${kind} is full (${size} bytes requested)`);
    const perms = isText ? this.textPerms() : kind === 'rodata' ? PERM_R : PERM_R | PERM_W;
    this.mapRange(cur, end, perms);
    if (isText) this.imageTextCursor = end;
    else this.imageDataCursor = end;
    this.imageAllocations.push({ address: cur, size, kind });
    return { address: cur, size };
  }

  /** Map every unmapped page of [start, end) with `perms`; a page already mapped with other perms is an error. */
  mapRange(start: bigint, end: bigint, perms: number): void {
    const mem = this.machine.memory;
    for (let p = start & ~0xfffn; p < end; p += 4096n) {
      const have = mem.permsAt(p);
      if (have === undefined) mem.map(p, 4096, perms);
      else if (have !== perms) {
        throw new KernelError(
          'EINVAL',
          `page 0x${p.toString(16)} is mapped ${have}, cannot share it with perms ${perms}`,
        );
      }
    }
  }

  /**
   * Executable memory from the lowest-fit vmalloc allocator (execmem EXECMEM_BPF): mapped read-only and
   * executable (guarded with BTI), written only through `writeText`.
   */
  allocExec(size: number, tag: string, opts: { lo?: bigint; hi?: bigint } = {}): bigint {
    const addr = this.vmalloc.alloc(BigInt(size), tag, opts);
    const pages = Math.ceil(size / 4096) * 4096;
    this.machine.memory.map(addr, pages, this.textPerms());
    // Holes read as BRK #0x100 (the BPF JIT's fill): a stray jump faults instead of running zeros.
    const fill = new Uint8Array(pages);
    const dv = new DataView(fill.buffer);
    for (let i = 0; i < pages; i += 4) dv.setUint32(i, 0xd4202000, true);
    this.machine.memory.writeBytes(addr, fill, 0);
    return addr;
  }

  freeExec(addr: bigint, size: number): void {
    this.machine.memory.unmap(addr, Math.ceil(size / 4096) * 4096);
    this.vmalloc.free(addr);
  }

  /**
   * A task on CPU `cpu` enters the kernel through a system call (SVC): an exception entry, so a
   * context-synchronisation event on that CPU. Host-driven calls that stand for syscalls (BPF_PROG_TEST_RUN,
   * a tracefs shell command) pass through here, so a CPU that sat idle through a cross-modification runs the
   * new instructions, as real CPUs do after an exception.
   */
  syscallEntry(cpu: number): void {
    const c = this.machine.cpus[cpu];
    if (!c)
      throw new KernelError(
        'EINVAL',
        `CPU ${cpu} does not exist; the kernel has CPUs 0..${this.machine.cpus.length - 1}`,
      );
    this.machine.icache.contextSync(c);
  }

  /**
   * Write freshly generated code before it is published (a JIT image, a new trampoline): through the
   * patching alias, then made visible to every CPU (as flush_icache_range does for new code).
   */
  writeText(addr: bigint, bytes: Uint8Array): void {
    this.machine.memory.writeBytes(addr, bytes, 0);
  }
}
