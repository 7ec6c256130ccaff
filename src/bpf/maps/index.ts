/**
 * BPF maps: array, hash, per-CPU array and ring buffer, with values as regions in an address space so that
 * the interpreter (and later JITed A64 code on the emulated CPU) reaches them by address.
 *
 *   const maps = new MapSet();
 *   const m = maps.create({ name: 'counts', type: BPF_MAP_TYPE.HASH, keySize: 4, valueSize: 8, maxEntries: 64, flags: 0 });
 *   new BpfInterpreter(insns, { helpers: { name: 'kernel', table: maps.helpers() }, resolveLdImm64: maps.resolveLdImm64 })
 *     .run({ regions: maps.regions() });
 */
export { MapAddressSpace, MAP_ADDRESS_BASE, MAP_PAGE_SIZE } from './address-space.js';
export {
  BpfMap,
  ArrayMap,
  HashMap,
  RingbufMap,
  createMap,
  MAX_MAP_BYTES,
  type RingbufRecord,
} from './map.js';
export {
  MapSet,
  BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_VALUE,
  BPF_RB_NO_WAKEUP,
  BPF_RB_FORCE_WAKEUP,
  type MapSetOptions,
} from './registry.js';
export * from './types.js';
