/**
 * The memory layouts of return hooking (function graph), shared by the A64 text (graph/text.ts), the TS
 * side that installs and reads them (graph/graph.ts) and the unwinder fixup. Facts: shared/facts/
 * ftrace-arm64.md §2.3 (ftrace_graph_func → prepare_ftrace_return(ip, &fregs->lr, fregs->fp);
 * return_to_handler saves x0–x7 + x29 in an 80-byte fgraph_ret_regs), the kernel's fgraph array of 16
 * graph ops (FGRAPH_ARRAY_SIZE) and its per-task return stack. Offsets inside the task_struct are model
 * choices, placed below ftrace's trace_recursion word (arch/abi.ts TASK_TRACE_RECURSION = 0x1f00) and far
 * above anything compiled test code reads.
 *
 * Per task (SP_EL0 → task_struct):
 *
 *   task + 0x1e00  ret_stack        → [ entry 0 | entry 1 | … | entry depth−1 ]   (32 bytes each)
 *   task + 0x1e08  curr_ret_stack     entries in use (the next free index)
 *   task + 0x1e10  ret_stack_depth    capacity; a push at capacity is skipped and counted
 *   task + 0x1e18  trace_overrun      hooks skipped because the stack was full
 *
 *   entry:  +0 ret   the original return address (what fregs->lr held)
 *           +8 func  the traced function's BL slot (rec->ip, the ip ftrace_caller passed)
 *          +16 fp    fregs->fp: the caller's frame record, constant while the function runs — the key
 *                    the unwinder and the return-side check use (HAVE_FUNCTION_GRAPH_RET_ADDR_PTR,
 *                    HAVE_FUNCTION_GRAPH_FP_TEST)
 *          +24 gops  the fgraph_ops that pushed it
 *          +32 data  96 bytes the hook's callbacks own for this call (fgraph_reserve_data /
 *                    fgraph_retrieve_data): an fprobe-style fexit saves the arguments here on entry
 *                    and reads them on return
 *
 * struct fgraph_ops (model): the ftrace_ops is embedded, so the graph callback finds its fgraph_ops from
 * the op argument by a constant subtraction (container_of), as the kernel does.
 *
 *   +0 entryfunc  (ip, parent_ip, gops, frame, data) → x0 = 0 to leave this call's return alone; 0 = none
 *   +8 retfunc    (ip, retval, parent_ip, gops, data); 0 = the hook was removed (fgraph_stub)
 *  +16 ops        struct ftrace_ops (FTRACE_OPS.SIZE = 64 bytes), ops->func = ftrace_graph_func
 *  +80 private    free for the hook's owner
 *  +88 idx        slot in the fgraph array
 */
import { FTRACE_OPS, TRACE_LIST_BIT } from '../arch/abi.js';

export const TASK_RET_STACK = 0x1e00;
export const TASK_CURR_RET_STACK = 0x1e08;
export const TASK_RET_STACK_DEPTH = 0x1e10;
export const TASK_TRACE_OVERRUN = 0x1e18;

/**
 * Bit of current->trace_recursion held while an entry callback runs (TRACE_GRAPH_BIT's role): a traced
 * function called from an entry callback is not hooked, so an entry callback cannot recurse forever.
 */
export const TRACE_GRAPH_BIT = TRACE_LIST_BIT + 1;

export const RET_STACK_ENTRY = {
  RET: 0,
  FUNC: 8,
  FP: 16,
  GOPS: 24,
  DATA: 32,
  /** Bytes of per-call data (12 u64: up to 12 arguments). */
  DATA_SIZE: 96,
  SIZE: 128,
  /** log2(SIZE), for `add xd, base, idx, lsl #7`. */
  SHIFT: 7,
} as const;

export const FGRAPH_OPS = {
  ENTRYFUNC: 0,
  RETFUNC: 8,
  OPS: 16,
  PRIVATE: 16 + FTRACE_OPS.SIZE,
  IDX: 24 + FTRACE_OPS.SIZE,
  SIZE: 32 + FTRACE_OPS.SIZE,
} as const;

/** struct fgraph_ret_regs as return_to_handler builds it: x0–x7, the caller's x29, one pad word. */
export const FGRET_REGS = {
  X0: 0,
  FP: 64,
  SIZE: 80,
} as const;

/**
 * return_to_handler's frame, pushed where the returning function's frame was:
 *
 *   sp + SIZE    ┬ the returning function's SP at its `ret`
 *   sp + 88      │ return_to_handler   ┐ RECORD: a frame record that reads "called from return_to_handler",
 *   sp + 80      │ x29 (caller's fp)   ┘ which the unwinder recovers from the return stack; x29 → here
 *   sp + 72      │ (pad)               ┐
 *   sp + 64      │ FP: x29             │ fgraph_ret_regs (FGRET_REGS), the argument of
 *   sp + 0       ┴ X0: x0 … x7         ┘ ftrace_return_to_handler
 */
export const RTH_FRAME = {
  REGS: 0,
  RECORD: FGRET_REGS.SIZE,
  SIZE: FGRET_REGS.SIZE + 16,
} as const;

/** The kernel's limit on graph ops registered at once (FGRAPH_ARRAY_SIZE). */
export const FGRAPH_ARRAY_SIZE = 16;

/** Default return-stack depth per task: FTRACE_RETFUNC_DEPTH (50) of the kernels before the v6.8 shadow stack. */
export const FTRACE_RETFUNC_DEPTH = 50;

/** `brk` immediates of the return path's fatal checks (the kernel's "Bad frame pointer" / empty stack). */
export const BRK_GRAPH_EMPTY = 0x4d80;
export const BRK_GRAPH_BAD_FP = 0x4d81;
