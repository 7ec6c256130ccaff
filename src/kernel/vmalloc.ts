/**
 * A lowest-fit virtual-area allocator, as vmalloc's (and so execmem's) search behaves: the lowest free
 * range in [start, end) that fits the request and its guard page wins. Freed areas are reused.
 */
import { KernelError } from '../util/errors.js';

interface Area {
  readonly base: bigint;
  /** Size including the guard page. */
  readonly size: bigint;
  readonly tag: string;
}

const PAGE = 4096n;

export class VmallocAllocator {
  private readonly areas: Area[] = [];

  constructor(
    readonly start: bigint,
    readonly end: bigint,
    /** vmalloc puts an unmapped guard page after every area. */
    readonly guard = true,
  ) {}

  /** Mark [base, base+size) as used (the kernel image, prior allocations). */
  reserve(base: bigint, size: bigint, tag: string): void {
    const a: Area = { base, size, tag };
    for (const o of this.areas) {
      if (base < o.base + o.size && o.base < base + size) {
        throw new KernelError('EBUSY', `vmalloc: ${tag} at 0x${base.toString(16)} overlaps ${o.tag}`);
      }
    }
    this.areas.push(a);
    this.areas.sort((x, y) => (x.base < y.base ? -1 : x.base > y.base ? 1 : 0));
  }

  /** The lowest page-aligned address in [lo, hi) with `size` bytes (+ guard) free, aligned to `align`. */
  alloc(size: bigint, tag: string, opts: { align?: bigint; lo?: bigint; hi?: bigint } = {}): bigint {
    if (size <= 0n) throw new KernelError('EINVAL', `vmalloc: size must be positive, got ${size}`);
    const align = opts.align ?? PAGE;
    const lo = opts.lo ?? this.start;
    const hi = opts.hi ?? this.end;
    const need = ((size + PAGE - 1n) / PAGE) * PAGE + (this.guard ? PAGE : 0n);
    let cand = ((lo + align - 1n) / align) * align;
    for (const a of this.areas) {
      if (a.base + a.size <= cand) continue;
      if (a.base >= cand + need) break;
      cand = ((a.base + a.size + align - 1n) / align) * align;
    }
    if (cand + need > hi) {
      throw new KernelError(
        'ENOMEM',
        `vmalloc: no ${size}-byte area for ${tag} in [0x${lo.toString(16)}, 0x${hi.toString(16)})`,
      );
    }
    this.reserve(cand, need, tag);
    return cand;
  }

  free(base: bigint): void {
    const i = this.areas.findIndex((a) => a.base === base);
    if (i < 0) throw new KernelError('EINVAL', `vmalloc: 0x${base.toString(16)} is not an allocated area`);
    this.areas.splice(i, 1);
  }

  used(): readonly { base: bigint; size: bigint; tag: string }[] {
    return this.areas;
  }
}
