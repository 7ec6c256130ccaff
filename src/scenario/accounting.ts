/**
 * Bytes of generated code and data attributable to an attach, from the kernel allocators' own bookkeeping:
 * the vmalloc areas (execmem: trampolines, JITed programs, ftrace's own vmalloc data) and the kernel-image
 * regions (`imageAlloc`: ftrace_ops, runtime text installed on first use) that exist now and did not exist
 * at the snapshot. Freed areas are gone from the bookkeeping, so a detach shows as bytes returned.
 *
 *   const before = allocSnapshot(kernel);
 *   attach(…);
 *   codeBytes(kernel, before).total   // e.g. one trampoline page + one JIT image + an ftrace_ops
 *
 * vmalloc areas are counted by their mapped pages (the allocator's area size minus its guard page): that is
 * what the attach takes from the address space, and what the kernel's execmem would take. Image regions
 * are counted by the bytes requested.
 */
import { PERM_X } from '../machine/memory.js';
import type { Kernel } from '../kernel/kernel.js';

export interface AllocSnapshot {
  /** Base addresses of the vmalloc areas at the snapshot. */
  readonly vmalloc: ReadonlySet<bigint>;
  /** Number of image allocations at the snapshot (the image allocator only grows). */
  readonly image: number;
}

export interface AllocatedArea {
  readonly address: bigint;
  readonly bytes: number;
  /** The allocator's tag (vmalloc) or the image part ('image text' …). */
  readonly tag: string;
  readonly kind: 'code' | 'data';
  readonly from: 'vmalloc' | 'image';
}

export interface CodeBytes {
  readonly total: number;
  readonly code: number;
  readonly data: number;
  readonly areas: readonly AllocatedArea[];
}

export function allocSnapshot(kernel: Kernel): AllocSnapshot {
  return {
    vmalloc: new Set(kernel.vmalloc.used().map((a) => a.base)),
    image: kernel.imageAllocations.length,
  };
}

/** Code and data allocated since `since` (and still allocated). */
export function codeBytes(kernel: Kernel, since: AllocSnapshot): CodeBytes {
  const areas: AllocatedArea[] = [];
  const guard = kernel.vmalloc.guard ? 4096n : 0n;
  for (const a of kernel.vmalloc.used()) {
    if (since.vmalloc.has(a.base)) continue;
    const perms = kernel.machine.memory.permsAt(a.base);
    areas.push({
      address: a.base,
      bytes: Number(a.size - guard),
      tag: a.tag,
      kind: perms !== undefined && perms & PERM_X ? 'code' : 'data',
      from: 'vmalloc',
    });
  }
  for (const r of kernel.imageAllocations.slice(since.image)) {
    areas.push({
      address: r.address,
      bytes: r.size,
      tag: `image ${r.kind}`,
      kind: r.kind === 'text' ? 'code' : 'data',
      from: 'image',
    });
  }
  const sum = (k: 'code' | 'data'): number =>
    areas.filter((a) => a.kind === k).reduce((n, a) => n + a.bytes, 0);
  const code = sum('code');
  const data = sum('data');
  return { total: code + data, code, data, areas };
}
