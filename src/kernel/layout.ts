/**
 * The arm64 kernel virtual address space (48-bit VA, 4 KiB pages, v6.5+) and where things land in it.
 *
 * Facts (shared/facts/bpf-arm64.md §5, Documentation/arch/arm64/memory.rst, memory.h, module.c v6.5):
 *   modules  ffff800000000000 – ffff80007fffffff (2 GiB), KIMAGE_VADDR = MODULES_END
 *   vmalloc  ffff800080000000 – fffffbffefffffff
 *   nokaslr: the image sits at KIMAGE_VADDR, modules prefer [_end − 128 MiB, _end) (no PLTs) and fall back
 *            to [_end − 2 GiB, _end) (PLTs);
 *   kaslr:   the image sits at a random 2 MiB-aligned offset in the middle half of vmalloc; the module
 *            windows are random 128 MiB / 2 GiB boxes that cover the whole image;
 *            RANDOMIZE_MODULE_REGION_FULL forces the 2 GiB window.
 *   BPF programs and trampolines (execmem EXECMEM_BPF) come from the whole vmalloc range, lowest fit.
 * That last fact decides `patchsite`'s fate: with kaslr the lowest-fit vmalloc address is terabytes away
 * from kernel text, with nokaslr it is just above `_end`, within BL reach unless vmalloc is busy.
 *
 * Model assumption (stated, seeded): before any BPF allocation, vmalloc already holds `priorVmalloc`
 * bytes (vmap stacks, ioremaps …) just above its start (nokaslr: above the image).
 */
import { Tramp64Error } from '../util/errors.js';
import { Rng } from '../util/rng.js';

export const MiB = 1n << 20n;
export const GiB = 1n << 30n;
export const SZ_2M = 2n * MiB;
export const SZ_128M = 128n * MiB;
export const SZ_2G = 2n * GiB;

export const MODULES_VADDR = 0xffff_8000_0000_0000n;
export const MODULES_END = 0xffff_8000_8000_0000n;
export const KIMAGE_VADDR = MODULES_END;
export const VMALLOC_START = 0xffff_8000_8000_0000n;
export const VMALLOC_END = 0xffff_fbff_f000_0000n;
/** BL/B reach: the signed 26-bit word offset, [−128 MiB, +128 MiB). */
export const BL_REACH = SZ_128M;

export type LayoutKind = 'kaslr' | 'nokaslr';

export interface LayoutOptions {
  readonly kind: LayoutKind;
  readonly seed?: number;
  /** Size of the kernel image from _text to _end (default 36 MiB, about a Debian arm64 cloud vmlinux). */
  readonly imageSize?: bigint;
  /** CONFIG_RANDOMIZE_MODULE_REGION_FULL: always the 2 GiB window (PLTs). */
  readonly randomizeModuleRegionFull?: boolean;
  /** vmalloc bytes in use before BPF allocates (default: seeded, 4–96 MiB). */
  readonly priorVmalloc?: bigint;
}

export interface Window {
  readonly base: bigint;
  readonly size: bigint;
}

export interface Layout {
  readonly kind: LayoutKind;
  readonly seed: number;
  /** _text and _end of the kernel image. */
  readonly imageStart: bigint;
  readonly imageEnd: bigint;
  readonly kaslrOffset: bigint;
  /** The 128 MiB window reachable without PLTs, unless RANDOMIZE_MODULE_REGION_FULL. */
  readonly moduleDirect: Window | undefined;
  /** The 2 GiB window that needs PLTs for calls into the image. */
  readonly modulePlt: Window;
  readonly priorVmalloc: bigint;
  readonly randomizeModuleRegionFull: boolean;
}

export class LayoutError extends Tramp64Error {
  constructor(message: string) {
    super('LAYOUT', message);
  }
}

function randomBelow(rng: Rng, n: bigint): bigint {
  if (n <= 0n) return 0n;
  return rng.u64() % n;
}

/**
 * A `size` window covering [start, end), at a random page-aligned base (module.c's bounding box): the
 * base is chosen in [end − size, start].
 */
function boundingBox(rng: Rng, size: bigint, start: bigint, end: bigint): Window {
  if (end - start > size)
    throw new LayoutError(
      `kernel image of ${(end - start) / MiB} MiB does not fit a ${size / MiB} MiB module window`,
    );
  const lo = end - size;
  const span = (start - lo) / 4096n;
  return { base: lo + randomBelow(rng, span + 1n) * 4096n, size };
}

export function makeLayout(opts: LayoutOptions): Layout {
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed);
  const imageSize = opts.imageSize ?? 36n * MiB;
  if (imageSize <= 0n || imageSize % 4096n !== 0n)
    throw new LayoutError(`imageSize must be a positive multiple of 4 KiB, got ${imageSize}`);
  const full = opts.randomizeModuleRegionFull ?? false;
  const prior = opts.priorVmalloc ?? (4n + randomBelow(rng, 92n)) * MiB;
  if (opts.kind === 'nokaslr') {
    const imageStart = KIMAGE_VADDR;
    const imageEnd = imageStart + imageSize;
    return {
      kind: 'nokaslr',
      seed,
      imageStart,
      imageEnd,
      kaslrOffset: 0n,
      moduleDirect: full ? undefined : { base: imageEnd - SZ_128M, size: SZ_128M },
      modulePlt: { base: imageEnd - SZ_2G, size: SZ_2G },
      priorVmalloc: prior,
      randomizeModuleRegionFull: full,
    };
  }
  if (opts.kind !== 'kaslr')
    throw new LayoutError(`unknown layout '${String(opts.kind)}'; use kaslr or nokaslr`);
  // The middle half of the range above KIMAGE_VADDR, 2 MiB aligned.
  const range = VMALLOC_END - KIMAGE_VADDR;
  const lo = range / 4n;
  const offset = ((lo + randomBelow(rng, range / 2n - imageSize)) / SZ_2M) * SZ_2M;
  const imageStart = KIMAGE_VADDR + offset;
  const imageEnd = imageStart + imageSize;
  return {
    kind: 'kaslr',
    seed,
    imageStart,
    imageEnd,
    kaslrOffset: offset,
    moduleDirect: full ? undefined : boundingBox(rng, SZ_128M, imageStart, imageEnd),
    modulePlt: boundingBox(rng, SZ_2G, imageStart, imageEnd),
    priorVmalloc: prior,
    randomizeModuleRegionFull: full,
  };
}

/** Whether a BL/B at `from` can reach `to`: offset in [−128 MiB, +128 MiB). */
export function reachableByBl(from: bigint, to: bigint): boolean {
  const d = to - from;
  return d >= -BL_REACH && d < BL_REACH;
}
