/** Maps: kernel semantics and errnos of update/lookup/delete, value memory as regions, the ring buffer. */
import { describe, expect, it } from 'vitest';
import {
  ArrayMap,
  BPF_ANY,
  BPF_EXIST,
  BPF_MAP_TYPE,
  BPF_NOEXIST,
  HashMap,
  MAP_ADDRESS_BASE,
  MapAddressSpace,
  MapSet,
  RingbufMap,
} from '../../src/bpf/maps/index.js';
import { assemble } from '../../src/bpf/asm/index.js';
import { BpfInterpreter, BpfRuntimeError } from '../../src/bpf/interp/index.js';
import { KernelError } from '../../src/util/errors.js';

const k32 = (i: number): Uint8Array => new Uint8Array(new Uint32Array([i]).buffer);
const u64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};
const errno = (fn: () => void): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof KernelError) return e.errno;
    throw e;
  }
  return 'ok';
};
const def = (type: number, keySize: number, valueSize: number, maxEntries: number) => ({
  name: 'm',
  type,
  keySize,
  valueSize,
  maxEntries,
  flags: 0,
});

describe('array', () => {
  const space = new MapAddressSpace();
  const a = new ArrayMap(def(BPF_MAP_TYPE.ARRAY, 4, 12, 4), space);
  it('elements always exist, zero-initialised, at stride round_up(value_size, 8)', () => {
    expect(a.lookup(k32(0))).toBe(a.valuesBase);
    expect(a.lookup(k32(3))).toBe(a.valuesBase + 48n);
    expect(a.lookup(k32(4))).toBeUndefined();
    expect([...a.lookupValue(k32(1))!]).toEqual(new Array(12).fill(0));
  });
  it('update flags and errors as the kernel returns them', () => {
    expect(errno(() => a.update(k32(1), new Uint8Array(12).fill(7), BPF_ANY))).toBe('ok');
    expect(errno(() => a.update(k32(1), new Uint8Array(12), BPF_EXIST))).toBe('ok');
    expect(errno(() => a.update(k32(1), new Uint8Array(12), BPF_NOEXIST))).toBe('EEXIST');
    expect(errno(() => a.update(k32(4), new Uint8Array(12)))).toBe('E2BIG');
    expect(errno(() => a.update(k32(0), new Uint8Array(12), 3))).toBe('EINVAL');
    expect(errno(() => a.update(k32(0), new Uint8Array(8)))).toBe('EINVAL');
    expect(errno(() => a.delete(k32(0)))).toBe('EINVAL');
    expect(errno(() => new ArrayMap(def(BPF_MAP_TYPE.ARRAY, 8, 8, 1), space))).toBe('EINVAL');
  });
});

describe('hash', () => {
  const h = new HashMap(def(BPF_MAP_TYPE.HASH, 4, 8, 2), new MapAddressSpace());
  it('NOEXIST / EXIST / full / delete', () => {
    expect(h.lookup(k32(1))).toBeUndefined();
    expect(errno(() => h.update(k32(1), u64(10n), BPF_EXIST))).toBe('ENOENT');
    expect(errno(() => h.update(k32(1), u64(10n), BPF_NOEXIST))).toBe('ok');
    expect(errno(() => h.update(k32(1), u64(11n), BPF_NOEXIST))).toBe('EEXIST');
    expect(errno(() => h.update(k32(1), u64(12n), BPF_EXIST))).toBe('ok');
    expect(errno(() => h.update(k32(2), u64(20n)))).toBe('ok');
    expect(errno(() => h.update(k32(3), u64(30n)))).toBe('E2BIG');
    expect(errno(() => h.update(k32(2), u64(21n)))).toBe('ok'); // replacing in a full map is fine
    expect(new DataView(h.lookupValue(k32(1))!.buffer).getBigUint64(0, true)).toBe(12n);
    expect(errno(() => h.delete(k32(1)))).toBe('ok');
    expect(errno(() => h.delete(k32(1)))).toBe('ENOENT');
    expect(errno(() => h.update(k32(3), u64(30n)))).toBe('ok');
    expect(h.keys().map((k) => k[0])).toEqual([2, 3]);
  });
});

describe('per-CPU array', () => {
  it('one copy per CPU; user-space update writes all of them', () => {
    const s = new MapSet({ cpus: 3 });
    const m = s.create(def(BPF_MAP_TYPE.PERCPU_ARRAY, 4, 8, 2)) as ArrayMap;
    m.update(k32(1), u64(5n));
    expect(
      [0, 1, 2].map((c) => new DataView(m.lookupValue(k32(1), c)!.buffer).getBigUint64(0, true)),
    ).toEqual([5n, 5n, 5n]);
    m.update(k32(1), u64(9n), BPF_ANY, 2);
    expect(
      [0, 1, 2].map((c) => new DataView(m.lookupValue(k32(1), c)!.buffer).getBigUint64(0, true)),
    ).toEqual([5n, 5n, 9n]);
    expect(m.lookup(k32(1), 1)! - m.lookup(k32(1), 0)!).toBe(16n);
  });
});

describe('ring buffer', () => {
  it('reserve / submit / discard / drain, 8-byte aligned records with an 8-byte header', () => {
    const r = new RingbufMap(def(BPF_MAP_TYPE.RINGBUF, 0, 0, 4096), new MapAddressSpace());
    const a = r.reserve(5)!;
    const b = r.reserve(16)!;
    expect(b - a).toBe(16n); // 8-byte header + 5 bytes rounded to 8
    r.values.set([1, 2, 3, 4, 5], Number(a - r.valuesBase));
    expect(r.drain()).toEqual([]); // the first record is still busy
    r.commit(a, false);
    r.commit(b, true);
    expect(r.drain().map((x) => [...x.data])).toEqual([[1, 2, 3, 4, 5]]);
    expect(r.pending).toBe(0);
    expect(errno(() => r.commit(a, false))).toBe('EINVAL');
  });
  it('runs out of room, and wraps around contiguously', () => {
    const r = new RingbufMap(def(BPF_MAP_TYPE.RINGBUF, 0, 0, 4096), new MapAddressSpace());
    const sizes = [1100, 1100, 1100, 1100];
    const at = sizes.map((s) => r.reserve(s));
    expect(at[3]).toBeUndefined(); // 4 × 1112 > 4096
    for (const x of at.slice(0, 3)) r.commit(x!, false);
    expect(r.drain().length).toBe(3);
    r.output(new Uint8Array(2000).fill(9)); // starts at 3336, wraps past 4096
    const [rec] = r.drain();
    expect(rec!.data.length).toBe(2000);
    expect(rec!.data.every((x) => x === 9)).toBe(true);
    expect(errno(() => r.output(new Uint8Array(5000)))).toBe('EAGAIN');
  });
  it('max_entries must be a power-of-2 multiple of the page size', () => {
    expect(errno(() => new RingbufMap(def(BPF_MAP_TYPE.RINGBUF, 0, 0, 3000), new MapAddressSpace()))).toBe(
      'EINVAL',
    );
    expect(errno(() => new RingbufMap(def(BPF_MAP_TYPE.RINGBUF, 4, 0, 4096), new MapAddressSpace()))).toBe(
      'EINVAL',
    );
  });
});

describe('address space', () => {
  it('places regions page-aligned from the base with a guard page between them', () => {
    const s = new MapSet();
    const a = s.create(def(BPF_MAP_TYPE.ARRAY, 4, 8, 600)); // 4800 bytes: two pages
    const b = s.create(def(BPF_MAP_TYPE.ARRAY, 4, 8, 1));
    expect(a.address).toBe(MAP_ADDRESS_BASE);
    expect(a.valuesBase).toBe(MAP_ADDRESS_BASE + 0x2000n);
    expect(b.address).toBe(a.valuesBase + 0x3000n);
    expect(s.regions().map((r) => r.name)).toEqual(['map:m', 'map:m']);
  });
  it('unsupported map types are EINVAL naming the type', () => {
    expect(() => new MapSet().create(def(3, 4, 4, 4))).toThrow(
      new KernelError(
        'EINVAL',
        "map 'm': map type prog_array (3) is not modelled (array, hash, percpu_array, ringbuf are)",
      ),
    );
  });
});

describe('map helpers on the interpreter', () => {
  it('lookup returns an address the program loads and stores through; update/delete return errnos', () => {
    const s = new MapSet();
    s.create(def(BPF_MAP_TYPE.HASH, 4, 8, 4));
    const prog = assemble(`stw [%r10-4], 7
stdw [%r10-16], 41
lddw_map_fd %r1, 0
mov %r2, %r10
add %r2, -4
mov %r3, %r10
add %r3, -16
mov %r4, 1
call 2
lddw_map_fd %r1, 0
mov %r2, %r10
add %r2, -4
mov %r3, %r10
add %r3, -16
mov %r4, 1
call 2
mov %r6, %r0
lddw_map_fd %r1, 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, +3
ldxdw %r1, [%r0]
add %r1, 1
stxdw [%r0], %r1
mov %r0, %r6
exit`);
    const vm = new BpfInterpreter(prog, {
      helpers: { name: 'maps', table: s.helpers() },
      resolveLdImm64: s.resolveLdImm64,
    });
    const r = vm.run({ regions: s.regions() });
    expect(BigInt.asIntN(64, r.r0)).toBe(-17n); // second BPF_NOEXIST insert: -EEXIST
    expect(new DataView(s.byFd(0).lookupValue(k32(7))!.buffer).getBigUint64(0, true)).toBe(42n);
  });
  it('an access past a value faults in the guard page', () => {
    const s = new MapSet();
    s.create(def(BPF_MAP_TYPE.ARRAY, 4, 8, 1));
    const prog = assemble(`stw [%r10-4], 0
lddw_map_fd %r1, 0
mov %r2, %r10
add %r2, -4
call 1
ldxdw %r0, [%r0+4096]
exit`);
    const vm = new BpfInterpreter(prog, {
      helpers: { name: 'maps', table: s.helpers() },
      resolveLdImm64: s.resolveLdImm64,
    });
    expect(() => vm.run({ regions: s.regions() })).toThrow(BpfRuntimeError);
  });
});
