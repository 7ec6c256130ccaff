/**
 * The interpreter's memory: a set of disjoint regions (each frame's stack, the input buffer, later maps and
 * the ctx), each a byte array at a 64-bit base address. Every access is bounds-checked against exactly one
 * region; an access that straddles or misses all regions is a BpfRuntimeError naming the pc and address.
 * Little-endian, like the arm64 machines the model is about.
 */
import { BpfRuntimeError } from './errors.js';

export interface MemRegion {
  readonly name: string;
  readonly base: bigint;
  readonly bytes: Uint8Array;
  readonly writable: boolean;
}

interface Live extends MemRegion {
  readonly end: bigint;
  readonly view: DataView;
}

export class BpfMemory {
  private regions: Live[] = [];
  private last: Live | undefined;

  add(region: MemRegion): void {
    const end = region.base + BigInt(region.bytes.length);
    if (region.base < 0n || end > 1n << 64n)
      throw new RangeError(`region ${region.name} is outside the 64-bit space`);
    for (const r of this.regions) {
      if (region.base < r.end && r.base < end) {
        throw new RangeError(`region ${region.name} overlaps region ${r.name}`);
      }
    }
    const bytes = region.bytes;
    this.regions.push({
      ...region,
      end,
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
  }

  remove(name: string): void {
    this.regions = this.regions.filter((r) => r.name !== name);
    this.last = undefined;
  }

  list(): readonly MemRegion[] {
    return this.regions;
  }

  private find(address: bigint, size: number, write: boolean, pc: number): Live {
    const addr = BigInt.asUintN(64, address); // address arithmetic wraps modulo 2^64
    const last = this.last;
    if (
      last !== undefined &&
      addr >= last.base &&
      addr + BigInt(size) <= last.end &&
      (!write || last.writable)
    )
      return last;
    for (const r of this.regions) {
      if (addr >= r.base && addr + BigInt(size) <= r.end) {
        if (write && !r.writable) {
          throw new BpfRuntimeError(
            'BPF_MEM',
            pc,
            `write of ${size} byte${size === 1 ? '' : 's'} at 0x${addr.toString(16)} into read-only region ${r.name}`,
            addr,
          );
        }
        this.last = r;
        return r;
      }
    }
    const where = this.regions
      .map((r) => `${r.name} [0x${r.base.toString(16)}, +${r.bytes.length})`)
      .join(', ');
    throw new BpfRuntimeError(
      'BPF_MEM',
      pc,
      `${write ? 'write' : 'read'} of ${size} byte${size === 1 ? '' : 's'} at 0x${addr.toString(16)} is outside every region (${where || 'none'})`,
      addr,
    );
  }

  /** Unsigned load of 1, 2, 4 or 8 bytes. */
  load(addr: bigint, size: number, pc: number): bigint {
    const r = this.find(addr, size, false, pc);
    const o = Number(BigInt.asUintN(64, addr) - r.base);
    switch (size) {
      case 1:
        return BigInt(r.view.getUint8(o));
      case 2:
        return BigInt(r.view.getUint16(o, true));
      case 4:
        return BigInt(r.view.getUint32(o, true));
      default:
        return r.view.getBigUint64(o, true);
    }
  }

  /** Store the low `size` bytes of `value`. */
  store(addr: bigint, size: number, value: bigint, pc: number): void {
    const r = this.find(addr, size, true, pc);
    const o = Number(BigInt.asUintN(64, addr) - r.base);
    switch (size) {
      case 1:
        r.view.setUint8(o, Number(value & 0xffn));
        break;
      case 2:
        r.view.setUint16(o, Number(value & 0xffffn), true);
        break;
      case 4:
        r.view.setUint32(o, Number(value & 0xffff_ffffn), true);
        break;
      default:
        r.view.setBigUint64(o, BigInt.asUintN(64, value), true);
    }
  }

  /** Copy `length` bytes out (for helpers such as bpf_trace_printk). */
  read(addr: bigint, length: number, pc: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const r = this.find(addr, length, false, pc);
    const o = Number(BigInt.asUintN(64, addr) - r.base);
    return r.bytes.slice(o, o + length);
  }

  write(addr: bigint, data: Uint8Array, pc: number): void {
    if (data.length === 0) return;
    const r = this.find(addr, data.length, true, pc);
    r.bytes.set(data, Number(BigInt.asUintN(64, addr) - r.base));
  }
}
