/**
 * Map definitions (the attributes of BPF_MAP_CREATE) and the UAPI numbers we model
 * (include/uapi/linux/bpf.h: enum bpf_map_type, BPF_ANY/BPF_NOEXIST/BPF_EXIST).
 */
export const BPF_MAP_TYPE = {
  HASH: 1,
  ARRAY: 2,
  PERCPU_ARRAY: 6,
  RINGBUF: 27,
} as const;
export type BpfMapTypeName = keyof typeof BPF_MAP_TYPE;

/** The kernel's names of all map types 0…32 (for messages about unsupported ones). */
export const BPF_MAP_TYPE_NAMES: readonly string[] = [
  'unspec',
  'hash',
  'array',
  'prog_array',
  'perf_event_array',
  'percpu_hash',
  'percpu_array',
  'stack_trace',
  'cgroup_array',
  'lru_hash',
  'lru_percpu_hash',
  'lpm_trie',
  'array_of_maps',
  'hash_of_maps',
  'devmap',
  'sockmap',
  'cpumap',
  'xskmap',
  'sockhash',
  'cgroup_storage',
  'reuseport_sockarray',
  'percpu_cgroup_storage',
  'queue',
  'stack',
  'sk_storage',
  'devmap_hash',
  'struct_ops',
  'ringbuf',
  'inode_storage',
  'task_storage',
  'bloom_filter',
  'user_ringbuf',
  'cgrp_storage',
];

export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;

/** Ring buffer record header bits (BPF_RINGBUF_BUSY_BIT 31, BPF_RINGBUF_DISCARD_BIT 30) and size. */
export const BPF_RINGBUF_BUSY_BIT = 1 << 31;
export const BPF_RINGBUF_DISCARD_BIT = 1 << 30;
export const BPF_RINGBUF_HDR_SZ = 8;

export interface MapDef {
  name: string;
  /** BPF_MAP_TYPE_* number. */
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
}

export function mapTypeName(type: number): string {
  return BPF_MAP_TYPE_NAMES[type] ?? `type ${type}`;
}
