/**
 * The arm64 ftrace ABI the A64 code of this layer shares with its callers (tracers, the BPF `ops`
 * strategy, return hooking, the unwinder): frame layouts and offsets, callback calling conventions.
 * Offsets are facts (shared/facts/ftrace-arm64.md §2.2, asm-offsets of v6.12 and the v5.x pt_regs);
 * keep every A64 generator reading them from here.
 *
 * Callback conventions (AAPCS64, all are ordinary A64 functions that may clobber x0–x18):
 *   ops->func(ip, parent_ip, op, fregs)     x0 = BL slot (rec->ip), x1 = parent return address,
 *                                           x2 = the ftrace_ops, x3 = the frame (ftrace_regs or pt_regs)
 *   exit hook(ip, retval, parent_ip, op)     called by return_to_handler: x0 = BL slot of the returning
 *                                           function, x1 = its return value, x2 = where it returns to,
 *                                           x3 = the fgraph ops that asked for the hook, x4 = that call's
 *                                           data area on the return stack (graph/abi.ts RET_STACK_ENTRY)
 */

/** Which frame `ftrace_caller` saves: seed-era `pt_regs` (WITH_REGS, arm64 ≤ v6.1) or `ftrace_regs` (v6.2+). */
export type FrameKind = 'regs' | 'args';

/** struct ftrace_regs (arm64, v6.2+; `direct_tramp` from v6.4): 14 × 8 = 112 bytes. */
export const FREGS = {
  X0: 0,
  /** x0–x8 at X0 + 8·n. */
  DIRECT_TRAMP: 72,
  FP: 80,
  /** The traced function's own return address (x9 at the call site). */
  LR: 88,
  SP: 96,
  /** The return address into the traced function (x30 at entry, BL slot + 4). */
  PC: 104,
  SIZE: 112,
} as const;

/** struct pt_regs (arm64 v5.x–v6.1): regs[31], sp, pc, pstate, orig_x0, syscallno, … — 336 bytes. */
export const PT_REGS = {
  X0: 0,
  /** regs[29]. */
  FP: 29 * 8,
  /** regs[30]: ftrace_regs_caller stores x9 here (the parent return address). */
  LR: 30 * 8,
  SP: 248,
  PC: 256,
  PSTATE: 264,
  /** ftrace_regs_caller's direct-call field (the seed's v5 series; x86 uses orig_ax). */
  ORIG_X0: 272,
  SYSCALLNO: 280,
  /** S_STACKFRAME: ftrace_regs_caller's own frame record {x29, x30} lives inside pt_regs (v5.x–v6.1). */
  STACKFRAME: 304,
  /** S_FRAME_SIZE. */
  SIZE: 336,
} as const;

/** Two frame records pushed above the saved frame (the call site's `{x29, x9}`, ftrace_caller's `{x29, x30}`). */
export const FRAME_RECORDS_SIZE = 32;

/** Offsets of one frame kind, so generators can be written once. */
export interface FrameLayout {
  readonly kind: FrameKind;
  readonly size: number;
  readonly x0: number;
  readonly fp: number;
  readonly lr: number;
  readonly sp: number;
  readonly pc: number;
  /** The field `arch_ftrace_set_direct_caller` writes. */
  readonly direct: number;
}

export const FRAME_LAYOUTS: Readonly<Record<FrameKind, FrameLayout>> = {
  args: {
    kind: 'args',
    size: FREGS.SIZE,
    x0: FREGS.X0,
    fp: FREGS.FP,
    lr: FREGS.LR,
    sp: FREGS.SP,
    pc: FREGS.PC,
    direct: FREGS.DIRECT_TRAMP,
  },
  regs: {
    kind: 'regs',
    size: PT_REGS.SIZE,
    x0: PT_REGS.X0,
    fp: PT_REGS.FP,
    lr: PT_REGS.LR,
    sp: PT_REGS.SP,
    pc: PT_REGS.PC,
    direct: PT_REGS.ORIG_X0,
  },
};

/**
 * The model's `struct ftrace_ops` layout in emulated memory: func, next, flags, private as in the kernel; the
 * hashes as pointers to the model's hash tables; trampoline and direct_call (FTRACE_OPS_FUNC, FTRACE_OPS_DIRECT_CALL).
 */
export const FTRACE_OPS = {
  FUNC: 0,
  NEXT: 8,
  FLAGS: 16,
  PRIVATE: 24,
  /** Filter hash pointer (the list function's hash test reads it). */
  FILTER_HASH: 32,
  NOTRACE_HASH: 40,
  TRAMPOLINE: 48,
  DIRECT_CALL: 56,
  SIZE: 64,
} as const;

/**
 * The model's `current->trace_recursion` (a word in the task_struct SP_EL0 points at; the offset is a model
 * choice far above what compiled test code reads). Bit TRACE_LIST_BIT is what the list function's
 * trace_test_and_set_recursion(TRACE_LIST_START) sets while it walks the ops.
 */
export const TASK_TRACE_RECURSION = 0x1f00;
export const TRACE_LIST_BIT = 0;

/**
 * The model's in-memory filter/notrace hash, as the A64 list function probes it: a u64 count followed by
 * that many record ips in ascending order (binary search). A NULL pointer or a count of 0 is the empty hash
 * (for a filter: every function; for notrace: none).
 */
export const MEM_HASH = {
  COUNT: 0,
  IPS: 8,
} as const;

/** The model's in-memory `direct_functions`: a u64 count, then (ip, trampoline) pairs sorted by ip. */
export const MEM_DIRECT_HASH = {
  COUNT: 0,
  ENTRIES: 8,
  ENTRY_SIZE: 16,
} as const;

/** Host-call block of the live ftrace layer (0x4d00–0x4d7f). */
export const HOSTCALL_FTRACE_BASE = 0x4d00;
/** `hvc #0x4d00`: the control CPU applies one queued ftrace update step (FtraceKernel.step). */
export const HOSTCALL_FTRACE_STEP = 0x4d00;
