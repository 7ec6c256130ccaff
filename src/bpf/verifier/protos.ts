/**
 * Helper prototypes for tracing programs: argument and return types as the kernel's bpf_func_proto
 * declares them (ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MEM + ARG_CONST_SIZE, …).
 */
import { BPF_MAP_TYPE } from '../maps/types.js';

export type ArgType =
  | 'anything' //           ARG_ANYTHING: any initialised value
  | 'map_ptr' //            ARG_CONST_MAP_PTR
  | 'map_key' //            ARG_PTR_TO_MAP_KEY: key_size readable bytes
  | 'map_value' //          ARG_PTR_TO_MAP_VALUE: value_size readable bytes
  | 'ctx' //                ARG_PTR_TO_CTX (unmodified)
  | 'mem' //                ARG_PTR_TO_MEM (readable), size in the next argument
  | 'uninit_mem' //         ARG_PTR_TO_UNINIT_MEM (written by the helper), size in the next argument
  | 'size' //               ARG_CONST_SIZE (> 0, bounded)
  | 'size_or_zero' //       ARG_CONST_SIZE_OR_ZERO (bounded)
  | 'long_out' //           ARG_PTR_TO_LONG: 8 writable bytes
  | 'alloc_size' //         ARG_CONST_ALLOC_SIZE_OR_ZERO: a known constant
  | 'ringbuf_mem'; //       ARG_PTR_TO_ALLOC_MEM | OBJ_RELEASE: a reservation, released by the call

export type RetType = 'integer' | 'void' | 'map_value_or_null' | 'ringbuf_mem_or_null';

export interface HelperProto {
  name: string;
  args: ArgType[];
  ret: RetType;
  /** Map types accepted by the map_ptr argument. */
  mapTypes?: number[];
}

const ANY_DATA_MAP = [BPF_MAP_TYPE.ARRAY, BPF_MAP_TYPE.HASH, BPF_MAP_TYPE.PERCPU_ARRAY];
const RING = [BPF_MAP_TYPE.RINGBUF];

export const HELPER_PROTOS: ReadonlyMap<number, HelperProto> = new Map<number, HelperProto>([
  [
    1,
    {
      name: 'bpf_map_lookup_elem',
      args: ['map_ptr', 'map_key'],
      ret: 'map_value_or_null',
      mapTypes: ANY_DATA_MAP,
    },
  ],
  [
    2,
    {
      name: 'bpf_map_update_elem',
      args: ['map_ptr', 'map_key', 'map_value', 'anything'],
      ret: 'integer',
      mapTypes: ANY_DATA_MAP,
    },
  ],
  [3, { name: 'bpf_map_delete_elem', args: ['map_ptr', 'map_key'], ret: 'integer', mapTypes: ANY_DATA_MAP }],
  [4, { name: 'bpf_probe_read', args: ['uninit_mem', 'size_or_zero', 'anything'], ret: 'integer' }],
  [5, { name: 'bpf_ktime_get_ns', args: [], ret: 'integer' }],
  // Only the format and its size are declared; the up-to-3 values (r3–r5) are not checked.
  [6, { name: 'bpf_trace_printk', args: ['mem', 'size'], ret: 'integer' }],
  [7, { name: 'bpf_get_prandom_u32', args: [], ret: 'integer' }],
  [8, { name: 'bpf_get_smp_processor_id', args: [], ret: 'integer' }],
  [14, { name: 'bpf_get_current_pid_tgid', args: [], ret: 'integer' }],
  [113, { name: 'bpf_probe_read_kernel', args: ['uninit_mem', 'size_or_zero', 'anything'], ret: 'integer' }],
  [125, { name: 'bpf_ktime_get_boot_ns', args: [], ret: 'integer' }],
  [
    130,
    {
      name: 'bpf_ringbuf_output',
      args: ['map_ptr', 'mem', 'size_or_zero', 'anything'],
      ret: 'integer',
      mapTypes: RING,
    },
  ],
  [
    131,
    {
      name: 'bpf_ringbuf_reserve',
      args: ['map_ptr', 'alloc_size', 'anything'],
      ret: 'ringbuf_mem_or_null',
      mapTypes: RING,
    },
  ],
  [132, { name: 'bpf_ringbuf_submit', args: ['ringbuf_mem', 'anything'], ret: 'void' }],
  [133, { name: 'bpf_ringbuf_discard', args: ['ringbuf_mem', 'anything'], ret: 'void' }],
  [173, { name: 'bpf_get_func_ip', args: ['ctx'], ret: 'integer' }],
  [174, { name: 'bpf_get_attach_cookie', args: ['ctx'], ret: 'integer' }],
  [183, { name: 'bpf_get_func_arg', args: ['ctx', 'anything', 'long_out'], ret: 'integer' }],
  [184, { name: 'bpf_get_func_ret', args: ['ctx', 'long_out'], ret: 'integer' }],
  [185, { name: 'bpf_get_func_arg_cnt', args: ['ctx'], ret: 'integer' }],
]);
