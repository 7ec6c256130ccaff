/**
 * The map kinds: array, hash, per-CPU array and ring buffer, with the kernel's lookup/update/delete
 * semantics and errors (as KernelError: the helper returns its negative errno).
 *
 * Values live in one byte array per map (see address-space.ts) so that a lookup returns an *address* a
 * program can load from and store to; user space (tests, the CLI) reads and writes the same bytes.
 *
 *   array / percpu array   element i of CPU c at  values + (c × max_entries + i) × round_up(value_size, 8)
 *   hash                   preallocated slots, slot s at values + s × round_up(value_size, 8); a deleted
 *                          slot returns to the free list (a program still holding its address keeps
 *                          accessing valid memory, as with the kernel's preallocated hash maps)
 *   ring buffer            records { len u32 (bit 31 busy, bit 30 discard), pg_off u32, data } at 8-byte
 *                          aligned positions modulo the data size; the area is 2 × size long so a record
 *                          that wraps is contiguous, as the kernel's double mapping of the data pages makes it
 */
import { KernelError } from '../../util/errors.js';
import type { MemRegion } from '../interp/memory.js';
import { MapAddressSpace } from './address-space.js';
import {
  BPF_ANY,
  BPF_EXIST,
  BPF_F_LOCK,
  BPF_MAP_TYPE,
  BPF_NOEXIST,
  BPF_RINGBUF_BUSY_BIT,
  BPF_RINGBUF_DISCARD_BIT,
  BPF_RINGBUF_HDR_SZ,
  mapTypeName,
  type MapDef,
} from './types.js';

const round8 = (n: number): number => (n + 7) & ~7;
/** Largest value area we create (the model's stand-in for the kernel's memory limits). */
export const MAX_MAP_BYTES = 64 << 20;

export abstract class BpfMap {
  readonly def: MapDef;
  /** The map's object address: what `ld_imm64 rX, map_fd` yields and helpers receive in r1. */
  readonly address: bigint;
  /** Start of the value area. */
  readonly valuesBase: bigint;
  readonly values: Uint8Array;

  protected constructor(def: MapDef, space: MapAddressSpace, valueBytes: number) {
    this.def = def;
    if (valueBytes > MAX_MAP_BYTES)
      throw new KernelError(
        'E2BIG',
        `map '${def.name}': ${valueBytes} bytes of values exceed the model's limit of ${MAX_MAP_BYTES}`,
      );
    this.address = space.alloc(1);
    this.valuesBase = space.alloc(valueBytes);
    this.values = new Uint8Array(valueBytes);
  }

  get name(): string {
    return this.def.name;
  }

  /** The value area as a region for the interpreter (and, later, the emulated CPU's memory). */
  region(): MemRegion {
    return { name: `map:${this.def.name}`, base: this.valuesBase, bytes: this.values, writable: true };
  }

  protected checkKey(key: Uint8Array): void {
    if (key.length !== this.def.keySize)
      throw new KernelError(
        'EINVAL',
        `map '${this.def.name}': key is ${key.length} bytes, key_size is ${this.def.keySize}`,
      );
  }

  protected checkValue(value: Uint8Array): void {
    if (value.length !== this.def.valueSize)
      throw new KernelError(
        'EINVAL',
        `map '${this.def.name}': value is ${value.length} bytes, value_size is ${this.def.valueSize}`,
      );
  }

  protected checkFlags(flags: number): void {
    if ((flags & ~BPF_F_LOCK) > BPF_EXIST || flags < 0)
      throw new KernelError(
        'EINVAL',
        `map '${this.def.name}': update flags ${flags} (BPF_ANY 0, BPF_NOEXIST 1, BPF_EXIST 2)`,
      );
    if (flags & BPF_F_LOCK)
      throw new KernelError(
        'EINVAL',
        `map '${this.def.name}': BPF_F_LOCK needs a bpf_spin_lock in the value`,
      );
  }

  /** Address of the value for `key` as the program sees it (on CPU `cpu`), or undefined (the helper's NULL). */
  abstract lookup(key: Uint8Array, cpu?: number): bigint | undefined;
  /** Insert or replace; throws KernelError (EEXIST, ENOENT, E2BIG, EINVAL) like bpf_map_update_elem. */
  abstract update(key: Uint8Array, value: Uint8Array, flags?: number, cpu?: number): void;
  /** Remove; throws KernelError (ENOENT for hash, EINVAL for arrays). */
  abstract delete(key: Uint8Array): void;
  /** Keys present, in iteration order. */
  abstract keys(): Uint8Array[];

  /** A copy of the value bytes for `key` (for user space), or undefined. */
  lookupValue(key: Uint8Array, cpu = 0): Uint8Array | undefined {
    const a = this.lookup(key, cpu);
    if (a === undefined) return undefined;
    const o = Number(a - this.valuesBase);
    return this.values.slice(o, o + this.def.valueSize);
  }
}

function u32Key(key: Uint8Array): number {
  return (key[0]! | (key[1]! << 8) | (key[2]! << 16) | (key[3]! << 24)) >>> 0;
}

export class ArrayMap extends BpfMap {
  readonly stride: number;
  readonly cpus: number;

  constructor(def: MapDef, space: MapAddressSpace, cpus = 1) {
    if (def.keySize !== 4)
      throw new KernelError(
        'EINVAL',
        `${mapTypeName(def.type)} map '${def.name}': key_size must be 4, got ${def.keySize}`,
      );
    if (def.valueSize === 0 || def.maxEntries === 0)
      throw new KernelError(
        'EINVAL',
        `${mapTypeName(def.type)} map '${def.name}': value_size and max_entries must be non-zero`,
      );
    super(def, space, round8(def.valueSize) * def.maxEntries * cpus);
    this.stride = round8(def.valueSize);
    this.cpus = cpus;
  }

  private at(index: number, cpu: number): bigint {
    return this.valuesBase + BigInt((cpu * this.def.maxEntries + index) * this.stride);
  }

  lookup(key: Uint8Array, cpu = 0): bigint | undefined {
    this.checkKey(key);
    const i = u32Key(key);
    if (i >= this.def.maxEntries) return undefined;
    return this.at(i, Math.min(cpu, this.cpus - 1));
  }

  update(key: Uint8Array, value: Uint8Array, flags = BPF_ANY, cpu?: number): void {
    this.checkKey(key);
    this.checkFlags(flags);
    const i = u32Key(key);
    if (i >= this.def.maxEntries)
      throw new KernelError(
        'E2BIG',
        `map '${this.def.name}': index ${i} is beyond max_entries ${this.def.maxEntries}`,
      );
    if (flags === BPF_NOEXIST)
      throw new KernelError('EEXIST', `map '${this.def.name}': array elements always exist (BPF_NOEXIST)`);
    // From user space a per-CPU update writes every CPU's copy (value = cpus × round_up(value_size, 8));
    // from a program (cpu given) only that CPU's.
    if (cpu === undefined && this.cpus > 1 && value.length === this.stride * this.cpus) {
      for (let c = 0; c < this.cpus; c++) {
        const o = Number(this.at(i, c) - this.valuesBase);
        this.values.set(value.subarray(c * this.stride, c * this.stride + this.def.valueSize), o);
      }
      return;
    }
    this.checkValue(value);
    const cpus = cpu === undefined ? [...Array(this.cpus).keys()] : [Math.min(cpu, this.cpus - 1)];
    for (const c of cpus) this.values.set(value, Number(this.at(i, c) - this.valuesBase));
  }

  delete(key: Uint8Array): void {
    this.checkKey(key);
    throw new KernelError(
      'EINVAL',
      `map '${this.def.name}': elements of an ${mapTypeName(this.def.type)} map cannot be deleted`,
    );
  }

  keys(): Uint8Array[] {
    return [...Array(this.def.maxEntries).keys()].map((i) => new Uint8Array(new Uint32Array([i]).buffer));
  }
}

export class HashMap extends BpfMap {
  readonly stride: number;
  private readonly slots = new Map<string, { key: Uint8Array; slot: number }>();
  private readonly free: number[];

  constructor(def: MapDef, space: MapAddressSpace) {
    if (def.keySize === 0 || def.valueSize === 0 || def.maxEntries === 0)
      throw new KernelError(
        'EINVAL',
        `hash map '${def.name}': key_size, value_size and max_entries must be non-zero`,
      );
    super(def, space, round8(def.valueSize) * def.maxEntries);
    this.stride = round8(def.valueSize);
    this.free = [...Array(def.maxEntries).keys()].reverse();
  }

  private static id(key: Uint8Array): string {
    let s = '';
    for (const b of key) s += b.toString(16).padStart(2, '0');
    return s;
  }

  get count(): number {
    return this.slots.size;
  }

  lookup(key: Uint8Array): bigint | undefined {
    this.checkKey(key);
    const e = this.slots.get(HashMap.id(key));
    return e === undefined ? undefined : this.valuesBase + BigInt(e.slot * this.stride);
  }

  update(key: Uint8Array, value: Uint8Array, flags = BPF_ANY): void {
    this.checkKey(key);
    this.checkValue(value);
    this.checkFlags(flags);
    const id = HashMap.id(key);
    const old = this.slots.get(id);
    if (old !== undefined && flags === BPF_NOEXIST)
      throw new KernelError('EEXIST', `map '${this.def.name}': key exists (BPF_NOEXIST)`);
    if (old === undefined && flags === BPF_EXIST)
      throw new KernelError('ENOENT', `map '${this.def.name}': no such key (BPF_EXIST)`);
    let slot = old?.slot;
    if (slot === undefined) {
      slot = this.free.pop();
      if (slot === undefined)
        throw new KernelError('E2BIG', `map '${this.def.name}': full (max_entries ${this.def.maxEntries})`);
      this.slots.set(id, { key: key.slice(), slot });
    }
    const o = slot * this.stride;
    this.values.fill(0, o, o + this.stride);
    this.values.set(value, o);
  }

  delete(key: Uint8Array): void {
    this.checkKey(key);
    const id = HashMap.id(key);
    const e = this.slots.get(id);
    if (e === undefined) throw new KernelError('ENOENT', `map '${this.def.name}': no such key`);
    this.slots.delete(id);
    this.free.push(e.slot);
  }

  keys(): Uint8Array[] {
    return [...this.slots.values()].map((e) => e.key.slice());
  }
}

/** One record drained from a ring buffer. */
export interface RingbufRecord {
  /** Position of the record header (monotonic, not wrapped). */
  pos: number;
  data: Uint8Array;
}

export class RingbufMap extends BpfMap {
  readonly size: number;
  private producer = 0;
  private consumer = 0;
  /** Outstanding reservations: data address → header position. */
  private readonly reserved = new Map<bigint, number>();

  constructor(def: MapDef, space: MapAddressSpace) {
    const n = def.maxEntries;
    if (def.keySize !== 0 || def.valueSize !== 0)
      throw new KernelError('EINVAL', `ringbuf map '${def.name}': key_size and value_size must be 0`);
    if (n < 4096 || (n & (n - 1)) !== 0)
      throw new KernelError(
        'EINVAL',
        `ringbuf map '${def.name}': max_entries ${n} must be a power of 2 and at least the page size (4096)`,
      );
    super(def, space, 2 * n);
    this.size = n;
  }

  private header(pos: number): number {
    return new DataView(this.values.buffer).getUint32(pos % this.size, true);
  }

  private setHeader(pos: number, len: number, pgOff: number): void {
    const dv = new DataView(this.values.buffer);
    dv.setUint32(pos % this.size, len >>> 0, true);
    dv.setUint32((pos % this.size) + 4, pgOff, true);
  }

  /** bpf_ringbuf_reserve: the data address, or undefined when the buffer lacks room or size is too large. */
  reserve(size: number): bigint | undefined {
    if (size <= 0 || size > this.size - BPF_RINGBUF_HDR_SZ || size >= BPF_RINGBUF_DISCARD_BIT)
      return undefined;
    const total = round8(size + BPF_RINGBUF_HDR_SZ);
    if (this.producer - this.consumer + total > this.size) return undefined;
    const pos = this.producer;
    this.producer += total;
    this.setHeader(pos, (size | BPF_RINGBUF_BUSY_BIT) >>> 0, 0);
    const data = this.valuesBase + BigInt((pos % this.size) + BPF_RINGBUF_HDR_SZ);
    this.reserved.set(data, pos);
    return data;
  }

  /** bpf_ringbuf_submit / bpf_ringbuf_discard of a reserved record; throws EINVAL for an unknown address. */
  commit(data: bigint, discard: boolean): void {
    const pos = this.reserved.get(data);
    if (pos === undefined)
      throw new KernelError(
        'EINVAL',
        `ringbuf '${this.def.name}': 0x${data.toString(16)} is not a reserved record`,
      );
    this.reserved.delete(data);
    const len = this.header(pos) & ~BPF_RINGBUF_BUSY_BIT;
    this.setHeader(pos, discard ? (len | BPF_RINGBUF_DISCARD_BIT) >>> 0 : len, 0);
  }

  /** bpf_ringbuf_output: reserve, copy, submit; throws EAGAIN when there is no room. */
  output(data: Uint8Array): void {
    const at = this.reserve(data.length);
    if (at === undefined)
      throw new KernelError('EAGAIN', `ringbuf '${this.def.name}': no room for ${data.length} bytes`);
    this.values.set(data, Number(at - this.valuesBase));
    this.commit(at, false);
  }

  /** Consume every committed record up to the first still-busy one (discarded records are skipped). */
  drain(): RingbufRecord[] {
    const out: RingbufRecord[] = [];
    while (this.consumer < this.producer) {
      const h = this.header(this.consumer);
      if (h & BPF_RINGBUF_BUSY_BIT) break;
      const len = h & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
      const start = (this.consumer % this.size) + BPF_RINGBUF_HDR_SZ;
      if ((h & BPF_RINGBUF_DISCARD_BIT) === 0)
        out.push({ pos: this.consumer, data: this.values.slice(start, start + len) });
      this.consumer += round8(len + BPF_RINGBUF_HDR_SZ);
    }
    return out;
  }

  /** Bytes produced and not yet consumed. */
  get pending(): number {
    return this.producer - this.consumer;
  }

  lookup(): undefined {
    return undefined;
  }

  update(): void {
    throw new KernelError(
      'EINVAL',
      `ringbuf '${this.def.name}' has no elements to update (use reserve/output)`,
    );
  }

  delete(): void {
    throw new KernelError('EINVAL', `ringbuf '${this.def.name}' has no elements to delete`);
  }

  keys(): Uint8Array[] {
    return [];
  }
}

/** Create a map of a supported type; other types are EINVAL naming the type. */
export function createMap(def: MapDef, space: MapAddressSpace, cpus = 1): BpfMap {
  switch (def.type) {
    case BPF_MAP_TYPE.ARRAY:
      return new ArrayMap(def, space, 1);
    case BPF_MAP_TYPE.PERCPU_ARRAY:
      return new ArrayMap(def, space, cpus);
    case BPF_MAP_TYPE.HASH:
      return new HashMap(def, space);
    case BPF_MAP_TYPE.RINGBUF:
      return new RingbufMap(def, space);
    default:
      throw new KernelError(
        'EINVAL',
        `map '${def.name}': map type ${mapTypeName(def.type)} (${def.type}) is not modelled (array, hash, percpu_array, ringbuf are)`,
      );
  }
}
