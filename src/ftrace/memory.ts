/**
 * `struct ftrace_ops` objects and filter hashes in emulated memory, where the A64 code reads them
 * (ftrace_caller reads ops->func and ops->direct_call through the CALL_OPS literal; the list function walks
 * ops->next and probes the hashes). Layouts: FTRACE_OPS and MEM_HASH in arch/abi.ts.
 *
 * Static ops (no FTRACE_OPS_FL_DYNAMIC) live in the kernel image's data, as `static struct ftrace_ops` does;
 * dynamic ops and every hash come from a kmalloc-like slab in vmalloc space. Freeing poisons the object
 * (every word becomes FTRACE_POISON, an unmapped address) before the slot can be reused, so a CPU that still
 * holds a pointer to freed memory faults on its next use — which is how a missing grace period shows up.
 */
import { PERM_R, PERM_W } from '../machine/index.js';
import type { Kernel } from '../kernel/kernel.js';
import { KernelError } from '../util/errors.js';
import { FTRACE_OPS, MEM_HASH } from './arch/abi.js';

/** What freed ops and hashes are filled with: an unmapped, non-canonical-looking address (LIST_POISON style). */
export const FTRACE_POISON = 0xdead_0000_0000_0100n;

const SLAB_CHUNK = 64 * 1024;

/** A small kmalloc: size classes of 64-byte multiples, FIFO free lists (a freed slot is reused late). */
export class Slab {
  private chunkCursor = 0n;
  private chunkEnd = 0n;
  private readonly free = new Map<number, bigint[]>();
  /** Live allocations: address → rounded size. */
  private readonly live = new Map<bigint, number>();

  constructor(
    private readonly kernel: Kernel,
    private readonly tag: string,
  ) {}

  alloc(size: number): bigint {
    const rounded = Math.max(64, Math.ceil(size / 64) * 64);
    const list = this.free.get(rounded);
    let addr: bigint;
    if (list !== undefined && list.length > 8) addr = list.shift()!;
    else {
      if (this.chunkCursor + BigInt(rounded) > this.chunkEnd) {
        const bytes = Math.max(SLAB_CHUNK, Math.ceil(rounded / 4096) * 4096);
        const base = this.kernel.vmalloc.alloc(BigInt(bytes), this.tag);
        this.kernel.machine.memory.map(base, bytes, PERM_R | PERM_W);
        this.chunkCursor = base;
        this.chunkEnd = base + BigInt(bytes);
      }
      addr = this.chunkCursor;
      this.chunkCursor += BigInt(rounded);
    }
    this.live.set(addr, rounded);
    const mem = this.kernel.machine.memory;
    for (let o = 0; o < rounded; o += 8) mem.write64(addr + BigInt(o), 0n);
    return addr;
  }

  /** Poison and return the slot to its free list. */
  release(addr: bigint): void {
    const size = this.live.get(addr);
    if (size === undefined)
      throw new KernelError('EINVAL', `${this.tag}: 0x${addr.toString(16)} is not a live allocation`);
    this.live.delete(addr);
    const mem = this.kernel.machine.memory;
    for (let o = 0; o < size; o += 8) mem.write64(addr + BigInt(o), FTRACE_POISON);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(addr);
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** Bytes of the live allocations (rounded sizes): what ftrace's own objects take, for accounting. */
  get liveBytes(): number {
    let n = 0;
    for (const size of this.live.values()) n += size;
    return n;
  }
}

/** The memory image of one ops: what the A64 side reads. */
export interface OpsImage {
  readonly func: bigint;
  readonly flags: number;
  readonly filterHash: bigint;
  readonly notraceHash: bigint;
  readonly trampoline: bigint;
  readonly directCall: bigint;
}

/** Write every field of an ops except `next` (which only list operations change). */
export function writeOpsImage(kernel: Kernel, addr: bigint, img: OpsImage): void {
  const mem = kernel.machine.memory;
  mem.write64(addr + BigInt(FTRACE_OPS.FUNC), img.func);
  mem.write64(addr + BigInt(FTRACE_OPS.FLAGS), BigInt(img.flags >>> 0));
  mem.write64(addr + BigInt(FTRACE_OPS.FILTER_HASH), img.filterHash);
  mem.write64(addr + BigInt(FTRACE_OPS.NOTRACE_HASH), img.notraceHash);
  mem.write64(addr + BigInt(FTRACE_OPS.TRAMPOLINE), img.trampoline);
  mem.write64(addr + BigInt(FTRACE_OPS.DIRECT_CALL), img.directCall);
}

/** Read back an ops image (tests, tracefs views). */
export function readOpsImage(kernel: Kernel, addr: bigint): OpsImage & { next: bigint } {
  const mem = kernel.machine.memory;
  const q = (o: number): bigint => mem.read64(addr + BigInt(o));
  return {
    func: q(FTRACE_OPS.FUNC),
    next: q(FTRACE_OPS.NEXT),
    flags: Number(q(FTRACE_OPS.FLAGS) & 0xffffffffn),
    filterHash: q(FTRACE_OPS.FILTER_HASH),
    notraceHash: q(FTRACE_OPS.NOTRACE_HASH),
    trampoline: q(FTRACE_OPS.TRAMPOLINE),
    directCall: q(FTRACE_OPS.DIRECT_CALL),
  };
}

/** Allocate and fill an in-memory hash (sorted ips); an empty set is NULL. */
export function writeMemHash(slab: Slab, kernel: Kernel, ips: readonly bigint[]): bigint {
  if (ips.length === 0) return 0n;
  const sorted = [...ips].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const addr = slab.alloc(MEM_HASH.IPS + 8 * sorted.length);
  const mem = kernel.machine.memory;
  mem.write64(addr + BigInt(MEM_HASH.COUNT), BigInt(sorted.length));
  sorted.forEach((ip, i) => mem.write64(addr + BigInt(MEM_HASH.IPS + 8 * i), ip));
  return addr;
}

/** The ips of an in-memory hash. */
export function readMemHash(kernel: Kernel, addr: bigint): bigint[] {
  if (addr === 0n) return [];
  const mem = kernel.machine.memory;
  const n = Number(mem.read64(addr + BigInt(MEM_HASH.COUNT)));
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(mem.read64(addr + BigInt(MEM_HASH.IPS + 8 * i)));
  return out;
}
