/**
 * One layout sample of the comparison, end to end: measure the call untraced, snapshot the allocators,
 * attach, measure it traced, and turn the outcome into a `Sample` for `buildRow` (result.ts) — the success
 * with its delta and the bytes the attach allocated, or the failure with its errno. A strategy's attach
 * that fails with a KernelError (ENOTSUPP when a trampoline is out of BL range, E2BIG past
 * BPF_MAX_TRAMP_LINKS …) is an outcome to report, not an error; any other exception is a bug and propagates.
 */
import type { Kernel } from '../kernel/kernel.js';
import { KernelError } from '../util/errors.js';
import { allocSnapshot, codeBytes } from './accounting.js';
import {
  compareCalls,
  measureCall,
  type CallDelta,
  type CallMeasurement,
  type MeasureOptions,
} from './measure.js';
import type { Sample } from './result.js';

export interface SampleRun {
  readonly sample: Sample;
  readonly baseline: CallMeasurement;
  /** Undefined when the attach failed. */
  readonly traced?: CallMeasurement;
  readonly delta?: CallDelta;
}

export function sampleAttach(
  kernel: Kernel,
  funcAddr: bigint,
  args: readonly bigint[],
  attach: () => void,
  opts: MeasureOptions = {},
): SampleRun {
  const baseline = measureCall(kernel, funcAddr, args, { ...opts, trace: opts.trace ?? false });
  const snap = allocSnapshot(kernel);
  try {
    attach();
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return { sample: { ok: false, errno: e.errno }, baseline };
  }
  const traced = measureCall(kernel, funcAddr, args, { ...opts, trace: opts.trace ?? false });
  const delta = compareCalls(baseline, traced);
  return {
    sample: { ok: true, delta, codeBytes: codeBytes(kernel, snap).total },
    baseline,
    traced,
    delta,
  };
}
