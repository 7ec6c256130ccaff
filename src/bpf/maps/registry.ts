/**
 * The maps of one loaded object (or one test): creation in a shared address space, lookup by "fd" (the index
 * the object loader gives each map; ld_imm64 BPF_PSEUDO_MAP_FD carries it) and by object address, the
 * value regions for the interpreter, the ld_imm64 resolver, and the map helpers as interpreter callbacks.
 */
import { KernelError } from '../../util/errors.js';
import type { HelperFn, HelperTable } from '../helpers/types.js';
import type { MemRegion } from '../interp/memory.js';
import type { OpcodeEntry } from '../isa/table.js';
import { MapAddressSpace } from './address-space.js';
import { ArrayMap, BpfMap, RingbufMap, createMap } from './map.js';
import type { MapDef } from './types.js';

/** BPF_PSEUDO_MAP_FD and BPF_PSEUDO_MAP_VALUE: the ld_imm64 source-register values for maps. */
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
/** Ring buffer helper flags. */
export const BPF_RB_NO_WAKEUP = 1;
export const BPF_RB_FORCE_WAKEUP = 2;

export interface MapSetOptions {
  space?: MapAddressSpace;
  /** Number of CPUs (per-CPU maps hold one copy each). Default 1. */
  cpus?: number;
  /** The CPU a helper call runs on. Default 0. */
  cpu?: () => number;
}

export class MapSet {
  readonly maps: BpfMap[] = [];
  readonly space: MapAddressSpace;
  readonly cpus: number;
  private readonly cpu: () => number;

  constructor(options: MapSetOptions = {}) {
    this.space = options.space ?? new MapAddressSpace();
    this.cpus = options.cpus ?? 1;
    this.cpu = options.cpu ?? (() => 0);
  }

  /** Create a map; its fd is its index. */
  create(def: MapDef): BpfMap {
    const m = createMap(def, this.space, this.cpus);
    this.maps.push(m);
    return m;
  }

  byFd(fd: number): BpfMap {
    const m = this.maps[fd];
    if (m === undefined) throw new KernelError('EINVAL', `no map with fd ${fd} (${this.maps.length} maps)`);
    return m;
  }

  byName(name: string): BpfMap | undefined {
    return this.maps.find((m) => m.name === name);
  }

  byAddress(addr: bigint): BpfMap | undefined {
    return this.maps.find((m) => m.address === addr);
  }

  /** All value areas, for RunInput.regions. */
  regions(): MemRegion[] {
    return this.maps.map((m) => m.region());
  }

  /** For VmOptions.resolveLdImm64: map fd → object address; map value → address of element 0 + offset. */
  resolveLdImm64 = (entry: OpcodeEntry, imm: number, nextImm: number): bigint => {
    const m = this.byFd(imm);
    if (entry.match.src === BPF_PSEUDO_MAP_FD) return m.address;
    if (entry.match.src === BPF_PSEUDO_MAP_VALUE) {
      if (!(m instanceof ArrayMap))
        throw new KernelError('EINVAL', `map '${m.name}': direct value access needs an array map`);
      return m.valuesBase + BigInt(nextImm >>> 0);
    }
    throw new KernelError('EINVAL', `ld_imm64 pseudo source ${entry.match.src} is not a map reference`);
  };

  /** The map helpers (lookup/update/delete, ringbuf output/reserve/submit/discard) as interpreter callbacks. */
  helpers(): HelperTable {
    const t: HelperTable = new Map<number, HelperFn>();
    const mapArg = (v: bigint): BpfMap => {
      const m = this.byAddress(v);
      if (m === undefined) throw new KernelError('EINVAL', `0x${v.toString(16)} is not a map`);
      return m;
    };
    const errno = (fn: () => void): bigint => {
      try {
        fn();
        return 0n;
      } catch (e) {
        if (e instanceof KernelError) return BigInt.asUintN(64, BigInt(e.value));
        throw e;
      }
    };
    t.set(1, ([map, key], vm) => {
      const m = mapArg(map);
      return m.lookup(vm.memory.read(key, m.def.keySize, vm.pc), this.cpu()) ?? 0n;
    });
    t.set(2, ([map, key, value, flags], vm) => {
      const m = mapArg(map);
      const k = vm.memory.read(key, m.def.keySize, vm.pc);
      const v = vm.memory.read(value, m.def.valueSize, vm.pc);
      return errno(() => m.update(k, v, Number(BigInt.asUintN(32, flags)), this.cpu()));
    });
    t.set(3, ([map, key], vm) => {
      const m = mapArg(map);
      return errno(() => m.delete(vm.memory.read(key, m.def.keySize, vm.pc)));
    });
    const ring = (v: bigint): RingbufMap => {
      const m = mapArg(v);
      if (!(m instanceof RingbufMap)) throw new KernelError('EINVAL', `map '${m.name}' is not a ring buffer`);
      return m;
    };
    const badFlags = (f: bigint): boolean => (f & ~BigInt(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) !== 0n;
    t.set(130, ([map, data, size, flags], vm) => {
      const r = ring(map);
      if (badFlags(flags)) return BigInt.asUintN(64, -22n);
      const bytes = vm.memory.read(data, Number(BigInt.asUintN(32, size)), vm.pc);
      return errno(() => r.output(bytes));
    });
    t.set(131, ([map, size, flags]) => {
      const r = ring(map);
      if (flags !== 0n) return 0n;
      return r.reserve(Number(BigInt.asUintN(32, size))) ?? 0n;
    });
    const commit =
      (discard: boolean): HelperFn =>
      ([data]) => {
        const r = this.maps.find(
          (m): m is RingbufMap =>
            m instanceof RingbufMap && data >= m.valuesBase && data < m.valuesBase + BigInt(m.values.length),
        );
        if (r === undefined)
          throw new KernelError('EINVAL', `0x${data.toString(16)} is not a ring buffer record`);
        r.commit(data, discard);
        return 0n;
      };
    t.set(132, commit(false));
    t.set(133, commit(true));
    return t;
  }
}
