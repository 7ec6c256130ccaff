/**
 * The tracers' per-CPU ring buffers in emulated memory, the A64 sequence that reserves and commits an entry,
 * and the host-side reader that renders `trace` / consumes `trace_pipe`.
 *
 * Semantics follow the kernel ring buffer in overwrite mode (the default: `overwrite` trace option on):
 * each CPU writes only its own buffer; when it is full the writer takes the oldest *page* — every entry
 * still unread on it is dropped and counted in the CPU's `overrun` — so the newest entries are always
 * kept and every loss is counted (`entries-written` in the `trace` header = entries + overrun). Model
 * choices: fixed 64-byte entry slots, power-of-two slots per page and pages per CPU.
 *
 *   trace_array (TA)                      per-CPU buffer (BUF)
 *   +0   tracing_on   u32                 +0   write    u64  entries ever reserved (monotonic)
 *   +8   nr_cpus      u32                 +8   read     u64  oldest entry not consumed / overwritten
 *   +64  buffers[cpu] u64 → BUF           +16  overrun  u64  entries lost to overwrite
 *                                         +24  cap_mask u64  slots − 1
 *                                         +32  page_mask u64 slots per page − 1
 *                                         +40  depth    u64  function_graph depth of the CPU's task
 *                                         +64  calltime[GRAPH_MAX_DEPTH] u64 (function_graph)
 *                                         +512 slots[cap] of ENTRY.SIZE bytes
 *
 *   entry  +0 type u16 | flags u8 << 16 | depth u32 << 32     +8 ts (CNTVCT_EL0 ticks)
 *          +16 task (SP_EL0: current)   +24 ip / func   +32 parent_ip / retval   +40 calltime
 */
import type { Asm } from '../../a64/asm.js';
import { X, type Reg } from '../../a64/builder.js';
import type { Kernel } from '../../kernel/kernel.js';
import { KernelError } from '../../util/errors.js';

export const TA = {
  TRACING_ON: 0,
  NR_CPUS: 8,
  BUFFERS: 64,
} as const;

export const BUF = {
  WRITE: 0,
  READ: 8,
  OVERRUN: 16,
  CAP_MASK: 24,
  PAGE_MASK: 32,
  DEPTH: 40,
  CALLTIME: 64,
  SLOTS: 512,
} as const;

/** function_graph nesting kept per CPU (the kernel's FTRACE_RETFUNC_DEPTH is 50; 56 fit the header). */
export const GRAPH_MAX_DEPTH = (BUF.SLOTS - BUF.CALLTIME) / 8;

export const ENTRY = {
  HEADER: 0,
  TS: 8,
  TASK: 16,
  IP: 24,
  PARENT: 32,
  CALLTIME: 40,
  SIZE: 64,
  /** log2(SIZE), for the slot address computation. */
  SHIFT: 6,
} as const;

/** Entry types (the kernel's TRACE_FN, TRACE_GRAPH_ENT, TRACE_GRAPH_RET). */
export const TRACE_TYPE = { FN: 1, GRAPH_ENT: 2, GRAPH_RET: 3 } as const;

/** trace_entry flags bit (TRACE_FLAG_IRQS_OFF). */
export const TRACE_FLAG_IRQS_OFF = 0x01;

/** One decoded entry. `ts` is in CNTVCT_EL0 ticks. */
export interface TraceEntry {
  readonly type: number;
  readonly flags: number;
  readonly depth: number;
  readonly ts: bigint;
  readonly task: bigint;
  readonly ip: bigint;
  /** parent_ip (function), the return value (graph return). */
  readonly parent: bigint;
  readonly calltime: bigint;
  readonly cpu: number;
}

export interface RingBufferOptions {
  /** Entry slots per page (power of two). 64 slots of 64 bytes = one 4 KiB page. */
  readonly slotsPerPage?: number;
  /** Pages per CPU (power of two, ≥ 2 so one page can be overwritten while the others hold data). */
  readonly pagesPerCpu?: number;
}

const isPow2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** The trace array and its per-CPU buffers in kernel data. */
export class TraceBuffers {
  readonly ta: bigint;
  buffers: readonly bigint[];
  readonly slotsPerPage: number;
  pagesPerCpu: number;

  constructor(
    readonly kernel: Kernel,
    opts: RingBufferOptions = {},
  ) {
    const spp = opts.slotsPerPage ?? 64;
    const pages = opts.pagesPerCpu ?? 16;
    if (!isPow2(spp))
      throw new KernelError('EINVAL', `ring buffer: slotsPerPage ${spp} must be a power of two`);
    if (!isPow2(pages) || pages < 2)
      throw new KernelError('EINVAL', `ring buffer: pagesPerCpu ${pages} must be a power of two ≥ 2`);
    this.slotsPerPage = spp;
    this.pagesPerCpu = pages;
    const cpus = kernel.machine.cpus.length;
    const mem = kernel.machine.memory;
    this.ta = kernel.imageAlloc(TA.BUFFERS + 8 * cpus, 'data', 64).address;
    kernel.kallsyms.add({
      name: 'global_trace',
      address: this.ta,
      size: BigInt(TA.BUFFERS + 8 * cpus),
      type: 'd',
    });
    this.buffers = this.allocBuffers(pages);
    mem.write32(this.ta + BigInt(TA.NR_CPUS), cpus, 0);
    this.tracingOn = true;
  }

  /** New zeroed per-CPU buffers of `pages` pages, published in the trace array's pointer table. */
  private allocBuffers(pages: number, from?: readonly bigint[]): bigint[] {
    const mem = this.kernel.machine.memory;
    const cap = this.slotsPerPage * pages;
    const bufs: bigint[] = [];
    for (let c = 0; c < this.kernel.machine.cpus.length; c++) {
      const size = BUF.SLOTS + cap * ENTRY.SIZE;
      const b = this.kernel.imageAlloc(size, 'data', 64).address;
      mem.writeBytes(b, new Uint8Array(size), 0);
      mem.write64(b + BigInt(BUF.CAP_MASK), BigInt(cap - 1));
      mem.write64(b + BigInt(BUF.PAGE_MASK), BigInt(this.slotsPerPage - 1));
      const old = from?.[c];
      // A resize keeps the function_graph depth and calltimes: calls in flight still return through it.
      if (old !== undefined)
        mem.writeBytes(
          b + BigInt(BUF.DEPTH),
          mem.readBytes(old + BigInt(BUF.DEPTH), BUF.SLOTS - BUF.DEPTH),
          0,
        );
      mem.write64(this.ta + BigInt(TA.BUFFERS + 8 * c), b);
      bufs.push(b);
    }
    return bufs;
  }

  /**
   * ring_buffer_resize (`echo KB > buffer_size_kb`): `pages` pages per CPU (a power of two ≥ 2). The
   * entries are dropped, as after `echo > trace`. Model limit: the old buffers' memory is not reused.
   */
  resize(pages: number): void {
    if (!isPow2(pages) || pages < 2)
      throw new KernelError('EINVAL', `ring buffer: pagesPerCpu ${pages} must be a power of two ≥ 2`);
    if (pages === this.pagesPerCpu) return;
    this.buffers = this.allocBuffers(pages, this.buffers);
    this.pagesPerCpu = pages;
  }

  /** buffer_size_kb: bytes of entry slots per CPU / 1024. */
  get sizeKb(): number {
    return (this.capacity * ENTRY.SIZE) / 1024;
  }

  get capacity(): number {
    return this.slotsPerPage * this.pagesPerCpu;
  }

  get tracingOn(): boolean {
    return this.kernel.machine.memory.read32(this.ta + BigInt(TA.TRACING_ON)) !== 0;
  }

  set tracingOn(on: boolean) {
    this.kernel.machine.memory.write32(this.ta + BigInt(TA.TRACING_ON), on ? 1 : 0, 0);
  }

  private field(cpu: number, off: number): bigint {
    return this.kernel.machine.memory.read64(this.buffers[cpu]! + BigInt(off));
  }

  /** Per-CPU counters: entries in the buffer, overrun, written (= entries + overrun + consumed). */
  stats(cpu: number): { entries: number; overrun: number; written: number; read: number } {
    const w = this.field(cpu, BUF.WRITE);
    const r = this.field(cpu, BUF.READ);
    const o = this.field(cpu, BUF.OVERRUN);
    return { entries: Number(w - r), overrun: Number(o), written: Number(w), read: Number(r) };
  }

  /** The unread entries of `cpu`, oldest first; `consume` advances the read position past them. */
  entries(cpu: number, consume = false): TraceEntry[] {
    const mem = this.kernel.machine.memory;
    const b = this.buffers[cpu]!;
    const w = this.field(cpu, BUF.WRITE);
    const r = this.field(cpu, BUF.READ);
    const mask = BigInt(this.capacity - 1);
    const out: TraceEntry[] = [];
    for (let i = r; i < w; i++) {
      const e = b + BigInt(BUF.SLOTS) + (i & mask) * BigInt(ENTRY.SIZE);
      const h = mem.read64(e + BigInt(ENTRY.HEADER));
      out.push({
        type: Number(h & 0xffffn),
        flags: Number((h >> 16n) & 0xffn),
        depth: Number(h >> 32n),
        ts: mem.read64(e + BigInt(ENTRY.TS)),
        task: mem.read64(e + BigInt(ENTRY.TASK)),
        ip: mem.read64(e + BigInt(ENTRY.IP)),
        parent: mem.read64(e + BigInt(ENTRY.PARENT)),
        calltime: mem.read64(e + BigInt(ENTRY.CALLTIME)),
        cpu,
      });
    }
    if (consume) mem.write64(b + BigInt(BUF.READ), w);
    return out;
  }

  /** `echo > trace`: drop every entry and reset the counters (tracing_reset_online_cpus). */
  reset(): void {
    const mem = this.kernel.machine.memory;
    for (const b of this.buffers) {
      const w = mem.read64(b + BigInt(BUF.WRITE));
      mem.write64(b + BigInt(BUF.READ), w);
      mem.write64(b + BigInt(BUF.OVERRUN), 0n);
      // Written counts restart too: the header's entries-written is since the last reset.
      mem.write64(b + BigInt(BUF.WRITE), 0n);
      mem.write64(b + BigInt(BUF.READ), 0n);
    }
  }

  /** Reset the function_graph depth of every CPU (when the graph tracer starts). */
  resetGraphDepth(): void {
    for (const b of this.buffers) this.kernel.machine.memory.write64(b + BigInt(BUF.DEPTH), 0n);
  }
}

/** Scratch registers of the emitted sequences (x9–x17 are free in an ftrace callback, facts §2.1). */
export interface ReserveRegs {
  /** In: this CPU's buffer. */
  readonly buf: Reg;
  /** Out: the reserved entry's address. */
  readonly entry: Reg;
  /** Out: the write count before this entry (commit stores it + 1). */
  readonly write: Reg;
  readonly t0: Reg;
  readonly t1: Reg;
  readonly t2: Reg;
}

export const DEFAULT_RESERVE_REGS: ReserveRegs = {
  buf: X[13]!,
  entry: X[16]!,
  write: X[14]!,
  t0: X[15]!,
  t1: X[17]!,
  t2: X[10]!,
};

/**
 * ring_buffer_lock_reserve in overwrite mode: if the buffer is full, move `read` to the start of the next
 * page and add what was skipped to `overrun`; then `entry` = slot address of `write`.
 */
export function emitReserve(a: Asm, r: ReserveRegs = DEFAULT_RESERVE_REGS): void {
  const room = a.label();
  a.ldp(r.write, r.t0, r.buf, BUF.WRITE); // write, read
  a.ldr(r.entry, r.buf, BUF.CAP_MASK);
  a.sub(r.t1, r.write, r.t0);
  a.cmp(r.t1, r.entry);
  a.bCond('ls', room); // used ≤ cap − 1: a free slot
  a.ldr(r.t1, r.buf, BUF.PAGE_MASK);
  a.and(r.t2, r.t0, r.t1);
  a.sub(r.t2, r.t1, r.t2);
  a.add(r.t2, r.t2, 1); // entries left on the oldest page
  a.add(r.t0, r.t0, r.t2);
  a.str(r.t0, r.buf, BUF.READ);
  a.ldr(r.t1, r.buf, BUF.OVERRUN);
  a.add(r.t1, r.t1, r.t2);
  a.str(r.t1, r.buf, BUF.OVERRUN);
  a.bind(room);
  a.and(r.entry, r.write, r.entry);
  a.add(r.entry, r.buf, r.entry, { shift: 'lsl', amount: ENTRY.SHIFT });
  a.add(r.entry, r.entry, BUF.SLOTS);
}

/** ring_buffer_unlock_commit: publish the entry (release store of write + 1). */
export function emitCommit(a: Asm, r: ReserveRegs = DEFAULT_RESERVE_REGS): void {
  a.add(r.write, r.write, 1);
  a.stlr(r.write, r.buf);
}
