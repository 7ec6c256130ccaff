/**
 * `struct ftrace_ops` (facts: shared/facts/ftrace-arm64.md §4.5–4.6): flags with the kernel's v6.12 bit
 * numbers, filter and notrace hashes, and the fields the site state machine reads (`trampoline`,
 * `direct_call`). `func` and `address` are addresses in the emulated kernel once the ops lives there;
 * `funcName` names the callback for tracefs output.
 */
import { FtraceHash } from './hash.js';

/** FTRACE_OPS_FL_* bits (v6.12). */
export const OPS_FL = {
  ENABLED: 1 << 0,
  DYNAMIC: 1 << 1,
  SAVE_REGS: 1 << 2,
  SAVE_REGS_IF_SUPPORTED: 1 << 3,
  RECURSION: 1 << 4,
  STUB: 1 << 5,
  INITIALIZED: 1 << 6,
  DELETED: 1 << 7,
  ADDING: 1 << 8,
  REMOVING: 1 << 9,
  MODIFYING: 1 << 10,
  ALLOC_TRAMP: 1 << 11,
  IPMODIFY: 1 << 12,
  PID: 1 << 13,
  RCU: 1 << 14,
  TRACE_ARRAY: 1 << 15,
  PERMANENT: 1 << 16,
  DIRECT: 1 << 17,
  SUBOP: 1 << 18,
} as const;

export type OpsFlagName = keyof typeof OPS_FL;

export interface FtraceOpsInit {
  /** Symbol of the ops object, e.g. `my_ops` (used for `ops:` lines). */
  readonly name: string;
  /** Symbol of the callback (`ops->func`), e.g. `function_trace_call`. */
  readonly funcName?: string;
  readonly func?: bigint;
  readonly flags?: number;
  /** Address of the ops object in emulated memory (the CALL_OPS literal value). */
  readonly address?: bigint;
  readonly trampoline?: bigint;
}

export class FtraceOps {
  readonly name: string;
  funcName: string;
  func: bigint;
  flags: number;
  address: bigint;
  /** ops->trampoline (0 = none). */
  trampoline: bigint;
  /** ops->direct_call (0 = none). */
  directCall: bigint;
  filterHash = new FtraceHash();
  notraceHash = new FtraceHash();

  constructor(init: FtraceOpsInit) {
    this.name = init.name;
    this.funcName = init.funcName ?? `${init.name}_func`;
    this.func = init.func ?? 0n;
    this.flags = init.flags ?? 0;
    this.address = init.address ?? 0n;
    this.trampoline = init.trampoline ?? 0n;
    this.directCall = 0n;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  get enabled(): boolean {
    return this.has(OPS_FL.ENABLED);
  }

  /**
   * ftrace_ops_get_func(ops) !== ops->func: RECURSION or RCU ops are called through the assist wrapper,
   * so a call site cannot reach their func through its literal (no CALL_OPS).
   */
  get needsAssist(): boolean {
    return this.has(OPS_FL.RECURSION) || this.has(OPS_FL.RCU);
  }

  /** The ops traces `ip` by its hashes: empty filter = every record; notrace always wins. */
  wantsIp(ip: bigint): boolean {
    if (this.notraceHash.has(ip)) return false;
    return this.filterHash.empty || this.filterHash.has(ip);
  }
}

/** ftrace_nop_ops: the literal of a disabled CALL_OPS site. */
export function makeNopOps(address = 0n): FtraceOps {
  return new FtraceOps({
    name: 'ftrace_nop_ops',
    funcName: 'ftrace_ops_nop_func',
    flags: OPS_FL.STUB,
    address,
  });
}

/** ftrace_list_ops: the literal of a site shared by several ops (or one that needs the assist func). */
export function makeListOps(address = 0n): FtraceOps {
  return new FtraceOps({
    name: 'ftrace_list_ops',
    funcName: 'ftrace_ops_list_func',
    flags: OPS_FL.STUB,
    address,
  });
}
