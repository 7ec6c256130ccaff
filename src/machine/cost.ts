/**
 * The cost model. Instruction counts are exact; cycles are a MODEL, not a measurement: a per-class table
 * in the spirit of a mid-range out-of-order core (think Cortex-A76-class latencies for a dependent
 * chain, L1 hits for every access), plus a branch-prediction model — a 2-bit bimodal predictor for
 * conditional branches, a branch target buffer for indirect branches and a return-stack buffer for
 * returns — so that `blr x4`, `br x17` and a `ret x10` used as a jump cost what they cost on a real core
 * when mispredicted, instead of the same as a BL. Change the table to model another core.
 */
import type { InsnClass } from '../a64/types.js';

export const CYCLES: Readonly<Record<InsnClass, number>> = {
  alu: 1,
  mov: 1,
  mul: 3,
  div: 12,
  load: 4,
  store: 1,
  loadpair: 4,
  storepair: 1,
  atomic: 20,
  exclusive: 10,
  branch: 1,
  'branch-ind': 1,
  call: 1,
  'call-ind': 1,
  ret: 1,
  system: 5,
  barrier: 10,
  hint: 1,
  exception: 30,
  simd: 2,
  fp: 3,
  crypto: 2,
};

/** Extra cycles when a prediction is wrong (pipeline refill). */
export const MISPREDICT_PENALTY = 12;
/** Return-stack buffer depth. */
export const RSB_DEPTH = 16;
/** Branch target buffer entries (direct-mapped by PC). */
export const BTB_ENTRIES = 1024;
/** Bimodal predictor entries (2-bit counters, direct-mapped by PC). */
export const BIMODAL_ENTRIES = 4096;

export const CLASS_LIST = Object.keys(CYCLES) as InsnClass[];
export const CLASS_INDEX: Readonly<Record<InsnClass, number>> = Object.fromEntries(
  CLASS_LIST.map((c, i) => [c, i]),
) as Record<InsnClass, number>;
