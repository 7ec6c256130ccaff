/**
 * Where map memory lives. Map values must be addressable by the interpreter now and by JITed A64 code on the
 * emulated CPU later, so every map's storage is a *region in an address space*: a byte array at a 64-bit
 * base address, handed to the interpreter as a MemRegion and, later, mapped into the machine's pages.
 *
 * Layout: from `base` (default MAP_ADDRESS_BASE, in the arm64 linear map where kmalloc'd map memory lives
 * on a 48-bit-VA kernel, far from vmalloc, BPF code and the interpreter's stack/input regions), regions are
 * placed upwards, each page-aligned and followed by one unmapped guard page, so an access that runs off a
 * value area faults instead of reaching the next map.
 *
 *   base ─┬─ map object 0 (4 KiB, no bytes: what `ld_imm64 map_fd` yields; never dereferenced)
 *         ├─ guard
 *         ├─ map 0 values (array: max_entries × round_up(value_size, 8); ringbuf: 2 × data size)
 *         ├─ guard
 *         └─ map object 1 …
 */
export const MAP_ADDRESS_BASE = 0xffff_0000_4000_0000n;
export const MAP_PAGE_SIZE = 4096n;

export class MapAddressSpace {
  readonly base: bigint;
  private next: bigint;

  constructor(base: bigint = MAP_ADDRESS_BASE) {
    if (base % MAP_PAGE_SIZE !== 0n)
      throw new RangeError(`map address base 0x${base.toString(16)} is not page-aligned`);
    this.base = base;
    this.next = base;
  }

  /** Reserve `size` bytes (rounded up to pages) followed by a guard page; returns the start address. */
  alloc(size: number): bigint {
    const at = this.next;
    const pages = (BigInt(Math.max(size, 1)) + MAP_PAGE_SIZE - 1n) / MAP_PAGE_SIZE;
    this.next = at + (pages + 1n) * MAP_PAGE_SIZE;
    if (this.next > 1n << 64n) throw new RangeError('map address space exhausted');
    return at;
  }
}
