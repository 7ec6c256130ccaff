/**
 * Memory: sparse 4 KiB pages over the whole 64-bit address space, little-endian, with per-mapping R/W/X
 * permissions and the BTI guarded-page bit. A virtual page maps a physical `Frame`; two virtual pages may
 * map the same frame with different permissions — that is how the kernel's patching alias writes code
 * that is never writable and executable at one address (W^X).
 *
 * Addresses are bigint at the API boundary; the hot path uses page numbers (address / 4096, exact in a
 * double for any 64-bit address) and 32-bit halves.
 */
import { MachineFault, PermissionFault, TranslationFault } from './faults.js';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

export const PERM_R = 1;
export const PERM_W = 2;
export const PERM_X = 4;
/** BTI guarded page (GP bit of the stage-1 descriptor). */
export const PERM_GP = 8;

export function permString(p: number): string {
  return `${p & PERM_R ? 'r' : '-'}${p & PERM_W ? 'w' : '-'}${p & PERM_X ? 'x' : '-'}${p & PERM_GP ? 'g' : ''}`;
}

/** A physical 4 KiB frame. `code` counts executable mappings, so stores to code can be noticed. */
export class Frame {
  readonly bytes = new Uint8Array(PAGE_SIZE);
  readonly view = new DataView(this.bytes.buffer);
  readonly u32 = new Uint32Array(this.bytes.buffer);
  /** Number of executable mappings of this frame. */
  execMappings = 0;
  /** Bumped on every store while the frame is executable anywhere. */
  version = 0;
  constructor(readonly id: number) {}
}

export interface Mapping {
  readonly frame: Frame;
  perms: number;
}

/** Called on every store into a frame that has an executable mapping (for the I-cache and CMODX models). */
export type CodeWriteHook = (
  frame: Frame,
  offset: number,
  oldWord: number,
  address: bigint,
  cpu: number,
) => void;
/**
 * Called after a privileged loader write (perm 0) into code: the loader's own cache maintenance and the
 * synchronisation of every CPU (what module loading does with flush_icache_range), applied at once.
 */
export type LoaderWriteHook = (frame: Frame, offset: number, size: number) => void;

export class Memory {
  /**
   * Page number → mapping. Unmapping stores `undefined` instead of deleting: V8's Map degrades badly when one
   * key is deleted and re-added many times in a large map (the text-poke alias is mapped and unmapped for
   * every patched word), while overwriting a value stays O(1).
   */
  private readonly pages = new Map<number, Mapping | undefined>();
  private nextFrame = 0;
  codeWriteHook: CodeWriteHook | undefined;
  loaderWriteHook: LoaderWriteHook | undefined;
  /** Bumped whenever a mapping or permission changes, so CPUs can drop their micro-TLBs. */
  generation = 0;

  static pageNumber(addr: bigint): number {
    return Number(BigInt.asUintN(64, addr) >> 12n);
  }

  /** Map `size` bytes (rounded up to pages) at `addr` with fresh zeroed frames. */
  map(addr: bigint, size: number, perms: number): void {
    this.generation++;
    this.checkAligned(addr, size);
    const first = Memory.pageNumber(addr);
    const n = Math.ceil(size / PAGE_SIZE);
    for (let i = 0; i < n; i++) {
      if (this.pages.get(first + i) !== undefined) {
        throw new MachineFault(
          'TranslationFault',
          `map: page 0x${(BigInt(first + i) << 12n).toString(16)} is already mapped`,
        );
      }
    }
    checkWx(perms, addr);
    for (let i = 0; i < n; i++) {
      const frame = new Frame(this.nextFrame++);
      if (perms & PERM_X) frame.execMappings++;
      this.pages.set(first + i, { frame, perms });
    }
  }

  /** Map the frames behind [src, src+size) again at `alias` with `perms` (the patching alias). */
  mapAlias(alias: bigint, src: bigint, size: number, perms: number): void {
    this.generation++;
    this.checkAligned(alias, size);
    checkWx(perms, alias);
    const a = Memory.pageNumber(alias);
    const s = Memory.pageNumber(src);
    const n = Math.ceil(size / PAGE_SIZE);
    for (let i = 0; i < n; i++) {
      const m = this.pages.get(s + i);
      if (!m) throw TranslationFault(BigInt(s + i) << 12n, 'alias');
      if (this.pages.get(a + i) !== undefined)
        throw new MachineFault(
          'TranslationFault',
          `alias page 0x${(BigInt(a + i) << 12n).toString(16)} is already mapped`,
        );
    }
    for (let i = 0; i < n; i++) {
      const frame = this.pages.get(s + i)!.frame;
      if (perms & PERM_X) frame.execMappings++;
      this.pages.set(a + i, { frame, perms });
    }
  }

  unmap(addr: bigint, size: number): void {
    this.generation++;
    this.checkAligned(addr, size);
    const first = Memory.pageNumber(addr);
    for (let i = 0; i < Math.ceil(size / PAGE_SIZE); i++) {
      const m = this.pages.get(first + i);
      if (m && m.perms & PERM_X) m.frame.execMappings--;
      this.pages.set(first + i, undefined);
    }
  }

  /** Change permissions; W and X together are refused (W^X). */
  protect(addr: bigint, size: number, perms: number): void {
    this.generation++;
    this.checkAligned(addr, size);
    checkWx(perms, addr);
    const first = Memory.pageNumber(addr);
    const n = Math.ceil(size / PAGE_SIZE);
    for (let i = 0; i < n; i++)
      if (!this.pages.get(first + i)) throw TranslationFault(BigInt(first + i) << 12n, 'protect');
    for (let i = 0; i < n; i++) {
      const m = this.pages.get(first + i)!;
      if (m.perms & PERM_X) m.frame.execMappings--;
      if (perms & PERM_X) m.frame.execMappings++;
      m.perms = perms;
    }
  }

  mapping(pageNumber: number): Mapping | undefined {
    return this.pages.get(pageNumber);
  }

  isMapped(addr: bigint): boolean {
    return this.pages.get(Memory.pageNumber(addr)) !== undefined;
  }

  permsAt(addr: bigint): number | undefined {
    return this.pages.get(Memory.pageNumber(addr))?.perms;
  }

  /** The mapping for an access, or a typed fault. */
  access(pageNumber: number, need: number, addrForError: () => bigint, what: string): Mapping {
    const m = this.pages.get(pageNumber);
    if (!m) throw TranslationFault(addrForError(), what);
    if ((m.perms & need) !== need) throw PermissionFault(addrForError(), what, permString(m.perms));
    return m;
  }

  // ---- Whole-value accessors for loaders, tests and host calls (not the CPU hot path). ----

  readBytes(addr: bigint, size: number, perm = PERM_R): Uint8Array {
    const out = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const a = BigInt.asUintN(64, addr + BigInt(done));
      const off = Number(a & 0xfffn);
      const n = Math.min(size - done, PAGE_SIZE - off);
      const m = this.access(Memory.pageNumber(a), perm, () => a, 'read');
      out.set(m.frame.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Write bytes with permission checks (perm = PERM_W), or as a privileged loader (perm = 0). */
  writeBytes(addr: bigint, data: Uint8Array, perm = PERM_W, cpu = -1): void {
    // Check every page first so that a fault leaves nothing half-written.
    for (let done = 0; done < data.length;) {
      const a = BigInt.asUintN(64, addr + BigInt(done));
      const off = Number(a & 0xfffn);
      this.access(Memory.pageNumber(a), perm, () => a, 'write');
      done += PAGE_SIZE - off;
    }
    let done = 0;
    while (done < data.length) {
      const a = BigInt.asUintN(64, addr + BigInt(done));
      const off = Number(a & 0xfffn);
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      const m = this.pages.get(Memory.pageNumber(a))!;
      this.storeFrame(m.frame, off, data.subarray(done, done + n), cpu, a, perm === 0);
      done += n;
    }
  }

  /** Store into a frame, reporting code writes word by word to the hook. */
  storeFrame(
    frame: Frame,
    off: number,
    data: Uint8Array,
    cpu: number,
    address: bigint,
    loader = false,
  ): void {
    if (loader) {
      frame.bytes.set(data, off);
      if (frame.execMappings > 0) {
        frame.version++;
        this.loaderWriteHook?.(frame, off, data.length);
      }
      return;
    }
    if (frame.execMappings > 0 && this.codeWriteHook) {
      const firstWord = off & ~3;
      const lastWord = (off + data.length - 1) & ~3;
      const olds: number[] = [];
      for (let w = firstWord; w <= lastWord; w += 4) olds.push(frame.u32[w >>> 2]!);
      frame.bytes.set(data, off);
      frame.version++;
      let i = 0;
      const base = address - BigInt(off);
      for (let w = firstWord; w <= lastWord; w += 4)
        this.codeWriteHook(frame, w, olds[i++]!, base + BigInt(w), cpu);
      return;
    }
    frame.bytes.set(data, off);
  }

  read32(addr: bigint): number {
    const b = this.readBytes(addr, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  read64(addr: bigint): bigint {
    const b = this.readBytes(addr, 8);
    return new DataView(b.buffer).getBigUint64(0, true);
  }

  write32(addr: bigint, v: number, perm = PERM_W, cpu = -1): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.writeBytes(addr, b, perm, cpu);
  }

  write64(addr: bigint, v: bigint, perm = PERM_W, cpu = -1): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.writeBytes(addr, b, perm, cpu);
  }

  private checkAligned(addr: bigint, size: number): void {
    if ((addr & 0xfffn) !== 0n || size <= 0) {
      throw new MachineFault(
        'TranslationFault',
        `mapping must be page aligned and non-empty: 0x${addr.toString(16)} + ${size}`,
      );
    }
  }
}

function checkWx(perms: number, addr: bigint): void {
  if (perms & PERM_W && perms & PERM_X) {
    throw new MachineFault(
      'PermissionFault',
      `W^X: refusing a writable and executable mapping at 0x${addr.toString(16)}; write code through a patching alias`,
    );
  }
}
