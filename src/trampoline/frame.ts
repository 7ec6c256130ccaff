/**
 * The arm64 BPF trampoline's stack frame and flags, as data (facts: shared/facts/bpf-arm64.md §2.2, §2.5).
 * The generator, the tests and the unwinder read the offsets from `trampFrame()`; nothing restates them.
 *
 *                  [ parent ip (x9)    ]  \ frame record #1: stp x29, x9, [sp, #-16]!
 *                  [ FP                ]  /
 *   retaddrOff  →  [ self ip (LR)      ]  \ frame record #2: stp x29, x30, [sp, #-16]!   (x29 points here)
 *                  [ FP                ]  /   retaddrOff = stackSize + 8
 *                  [ padding to 16 B   ]
 *                  [ x20               ]
 *   regsOff     →  [ x19               ]  callee-saved registers the trampoline uses (prog, enter's result)
 *   retvalOff   →  [ return value      ]  only with CALL_ORIG or RET_FENTRY_RET
 *                  [ arg slot n-1      ]
 *   bargsOff    →  [ arg slot 0        ]  ← ctx, x0 of every BPF program
 *   nargsOff    →  [ arg count         ]  ctx − 8 (bpf_get_func_arg_cnt)
 *   ipOff       →  [ traced func addr  ]  ctx − 16, only with IP_ARG (bpf_get_func_ip)
 *   runCtxOff   →  [ bpf_tramp_run_ctx ]  { cookie, saved_run_ctx }
 *                  [ stack arg n-1..8  ]  only with CALL_ORIG and more than 8 arguments (v6.16)
 *   SP + 0 = oargsOff
 */
import { BPF_RUN_CTX } from '../bpf/helpers/runctx.js';

/** include/linux/bpf.h BPF_TRAMP_F_* (v6.x). */
export const BPF_TRAMP_F = {
  /** fentry only: restore the argument registers before returning into the traced function. */
  RESTORE_REGS: 1 << 0,
  /** Call the traced function (after fentry and fmod_ret, before fexit). */
  CALL_ORIG: 1 << 1,
  /** Return to the traced function's caller (the function already ran inside the trampoline). */
  SKIP_FRAME: 1 << 2,
  /** Store the traced function's address at ctx − 16 (a program calls bpf_get_func_ip). */
  IP_ARG: 1 << 3,
  /** Return the fentry program's value (struct_ops). */
  RET_FENTRY_RET: 1 << 4,
  /** Take the original function's address from the stack (another IPMODIFY ops shares it). */
  ORIG_STACK: 1 << 5,
  SHARE_IPMODIFY: 1 << 6,
} as const;

/** Names of the set bits of a flags word, for printing. */
export function trampFlagNames(flags: number): string[] {
  return Object.entries(BPF_TRAMP_F)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}

/**
 * struct bpf_tramp_run_ctx: an empty bpf_run_ctx, then the link's cookie (where bpf_get_attach_cookie reads
 * it: BPF_RUN_CTX, the bpf layer's definition) and the saved current->bpf_ctx.
 */
export const TRAMP_RUN_CTX = { COOKIE: BPF_RUN_CTX.COOKIE, SAVED_RUN_CTX: 8, SIZE: 16 } as const;

/** The frame of one trampoline: offsets from SP after `sub sp, sp, #stackSize`. */
export interface TrampFrame {
  /** Outgoing stack arguments for the original (CALL_ORIG with more than 8 arguments): 8 × nstack bytes. */
  readonly oargsOff: number;
  /** Arguments beyond x7, read from the traced function's incoming stack (FP + 32 …). */
  readonly nstack: number;
  readonly runCtxOff: number;
  /** Undefined without IP_ARG. */
  readonly ipOff: number | undefined;
  readonly nargsOff: number;
  readonly bargsOff: number;
  /** Undefined when the return value is not saved. */
  readonly retvalOff: number | undefined;
  readonly regsOff: number;
  readonly stackSize: number;
  /** Where frame record #2's LR (the traced function's "self ip") sits. */
  readonly retaddrOff: number;
  readonly nargs: number;
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Arguments passed in registers (x0–x7); the rest are on the stack (AAPCS64, 8-byte scalar slots). */
export const TRAMP_REG_ARGS = 8;

/**
 * Offsets accumulated bottom-up, as prepare_trampoline does. With more than 8 arguments (v6.16) and
 * CALL_ORIG, the bottom of the frame is the outgoing stack-argument area the original is called with.
 */
export function trampFrame(nargs: number, flags: number): TrampFrame {
  const nstack = Math.max(0, nargs - TRAMP_REG_ARGS);
  let size = flags & BPF_TRAMP_F.CALL_ORIG ? 8 * nstack : 0;
  const oargsOff = 0;
  const runCtxOff = size;
  size += roundUp(TRAMP_RUN_CTX.SIZE, 8);
  let ipOff: number | undefined;
  if (flags & BPF_TRAMP_F.IP_ARG) {
    ipOff = size;
    size += 8;
  }
  const nargsOff = size;
  size += 8;
  const bargsOff = size;
  size += 8 * nargs;
  let retvalOff: number | undefined;
  if (flags & (BPF_TRAMP_F.CALL_ORIG | BPF_TRAMP_F.RET_FENTRY_RET)) {
    retvalOff = size;
    size += 8;
  }
  const regsOff = size;
  size += 16;
  size = roundUp(size, 16);
  return {
    oargsOff,
    nstack,
    runCtxOff,
    ipOff,
    nargsOff,
    bargsOff,
    retvalOff,
    regsOff,
    stackSize: size,
    retaddrOff: size + 8,
    nargs,
  };
}
