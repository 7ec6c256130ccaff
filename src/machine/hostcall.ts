/**
 * Host calls: `HVC #imm` traps to a registered TypeScript function, for kernel C code outside the model's
 * focus (printk, allocators …). Nothing on a path the seed argues about may be a host call. Each host call
 * declares the cycles it stands for, so a report can show what the model did not execute.
 */
import type { Cpu } from './cpu.js';

export interface HostCall {
  readonly name: string;
  /** Modelled cycles charged for the call (the work the host does instead of A64 code). */
  readonly cycles: number;
  /** Runs with the CPU's registers and memory in reach; sets X0 etc. itself. */
  readonly fn: (cpu: Cpu) => void;
}

/** `HVC #0xffff`: return from `Machine.call` to the host. */
export const HVC_RETURN_TO_HOST = 0xffff;
