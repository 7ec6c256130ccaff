/**
 * Helper functions are injected into the interpreter as a table: id → function of (r1..r5, vm) → r0.
 * Two tables exist and stay separate: bpf_conformance's (conformance.ts) and the kernel's (kernel.ts).
 */
import type { BpfMemory } from '../interp/memory.js';

export type HelperArgs = readonly [bigint, bigint, bigint, bigint, bigint];

/** What a helper may touch: the memory regions, the pc of the call, and a way to end the program. */
export interface HelperVm {
  readonly memory: BpfMemory;
  readonly pc: number;
  /** End the whole program after this helper returns; its return value becomes the program's r0. */
  unwind(): void;
}

export type HelperFn = (args: HelperArgs, vm: HelperVm) => bigint;
export type HelperTable = Map<number, HelperFn>;

/** A named table, so tools can say which helpers a run used ("helpers: bpf_conformance"). */
export interface HelperSet {
  readonly name: string;
  readonly table: HelperTable;
}
