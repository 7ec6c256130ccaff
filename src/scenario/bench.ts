/**
 * Trigger benchmarks in the shape of the kernel's batched `bench trig-*` (tools/testing/selftests/bpf/
 * benchs/bench_trigger.c): a driver calls a cheap kernel function in a loop — here the test kernel's
 * `tramp64_trigger_loop(n)`, which calls `tramp64_trigger` n times — once with nothing attached ("base")
 * and once per scenario with something attached to `tramp64_trigger` (fentry, fexit, fmod_ret, the
 * function tracer …). Each reports calls per *emulated* second and its ratio to base.
 *
 * Emulated time is modelled cycles at a nominal clock: NOMINAL_CLOCK_HZ = 2 GHz, the order of a
 * Cortex-A76-class server core, whose latencies the cost table (src/machine/cost.ts) is modelled on. The
 * ratio to base does not depend on the clock. Wall-clock figures are the caller's: pass `clock` (the CLI
 * passes performance.now) and host milliseconds are reported too; the library never reads the clock itself.
 *
 * Each scenario runs on a fresh kernel from the caller's factory, so one scenario's attachments, branch
 * predictor state and allocations never leak into another's numbers.
 */
import type { Kernel } from '../kernel/kernel.js';
import { Tramp64Error } from '../util/errors.js';

/** The nominal clock that turns modelled cycles into emulated seconds. */
export const NOMINAL_CLOCK_HZ = 2e9;

/** What the runner needs from a test kernel (TestKernel fits). */
export interface BenchKernel {
  readonly kernel: Kernel;
  addr(name: string): bigint;
}

export interface TriggerRun {
  /** Calls of the trigger function. */
  readonly calls: number;
  readonly instructions: number;
  readonly cycles: number;
  readonly insnsPerCall: number;
  readonly cyclesPerCall: number;
  /** Calls per emulated second at NOMINAL_CLOCK_HZ (or the clock given). */
  readonly callsPerSecond: number;
  /** Host wall-clock milliseconds, when a clock was given. */
  readonly hostMs?: number;
}

/** A benchmark scenario: what to attach to the trigger function before the loop runs. */
export interface BenchScenario<K extends BenchKernel = BenchKernel> {
  readonly name: string;
  /** Attach to `k` (e.g. an fentry program on tramp64_trigger). Throwing reports the scenario as failed. */
  attach(k: K): void;
}

export interface BenchRow {
  readonly name: string;
  readonly run?: TriggerRun;
  /** callsPerSecond / base callsPerSecond. */
  readonly ratio?: number;
  /** Why the scenario did not run (the attach threw). */
  readonly error?: string;
}

export interface BenchResult {
  readonly clockHz: number;
  readonly calls: number;
  readonly base: TriggerRun;
  readonly rows: readonly BenchRow[];
}

export interface TriggerOptions {
  /** Calls per measured run (default 10,000). */
  readonly calls?: number;
  /** Calls before measuring, to train the branch predictor (default 100). */
  readonly warmup?: number;
  readonly cpu?: number;
  readonly clockHz?: number;
  /** A wall clock in milliseconds (performance.now) for host figures; omitted: none reported. */
  readonly clock?: () => number;
  /** The loop function (default 'tramp64_trigger_loop'). */
  readonly loop?: string;
}

function checkCount(n: number, what: string, min: number): void {
  if (!Number.isInteger(n) || n < min || n > 1e9)
    throw new Tramp64Error('EINVAL', `${what} must be an integer ${min}–1e9, got ${n}`);
}

/** Run the trigger loop once on `k` as it is now (attached or not). */
export function runTriggerLoop(k: BenchKernel, opts: TriggerOptions = {}): TriggerRun {
  const calls = opts.calls ?? 10_000;
  const warmup = opts.warmup ?? 100;
  checkCount(calls, 'calls', 1);
  checkCount(warmup, 'warmup', 0);
  const clockHz = opts.clockHz ?? NOMINAL_CLOCK_HZ;
  if (!(clockHz > 0)) throw new Tramp64Error('EINVAL', `clockHz must be positive, got ${clockHz}`);
  const loop = k.addr(opts.loop ?? 'tramp64_trigger_loop');
  const machine = k.kernel.machine;
  const cpuId = opts.cpu ?? 0;
  const cpu = machine.cpus[cpuId];
  if (!cpu) throw new Tramp64Error('EINVAL', `no CPU ${cpuId} (the machine has ${machine.cpus.length})`);
  // The loop is a few instructions per call on top of the traced path; allow a generous budget per call.
  const budget = (n: number): number => 100_000 + n * 20_000;
  if (warmup > 0) machine.call(loop, [BigInt(warmup)], { cpu: cpuId, maxInstructions: budget(warmup) });
  const i0 = cpu.insns;
  const c0 = cpu.cycles;
  const t0 = opts.clock?.();
  machine.call(loop, [BigInt(calls)], { cpu: cpuId, maxInstructions: budget(calls) });
  const t1 = opts.clock?.();
  const instructions = cpu.insns - i0;
  const cycles = cpu.cycles - c0;
  return {
    calls,
    instructions,
    cycles,
    insnsPerCall: instructions / calls,
    cyclesPerCall: cycles / calls,
    callsPerSecond: (calls * clockHz) / cycles,
    ...(t0 !== undefined && t1 !== undefined ? { hostMs: t1 - t0 } : {}),
  };
}

/**
 * Base plus every scenario, each on a fresh kernel from `make`. A scenario whose attach throws a
 * Tramp64Error is reported with its message; any other error is a bug and propagates.
 */
export function runTriggerBench<K extends BenchKernel>(
  make: () => K,
  scenarios: readonly BenchScenario<K>[],
  opts: TriggerOptions & { onProgress?: (done: number, total: number, name: string) => void } = {},
): BenchResult {
  const total = scenarios.length + 1;
  const base = runTriggerLoop(make(), opts);
  opts.onProgress?.(1, total, 'base');
  const rows: BenchRow[] = [];
  scenarios.forEach((s, i) => {
    const k = make();
    try {
      s.attach(k);
    } catch (e) {
      if (!(e instanceof Tramp64Error)) throw e;
      rows.push({ name: s.name, error: e.message });
      opts.onProgress?.(i + 2, total, s.name);
      return;
    }
    const run = runTriggerLoop(k, opts);
    rows.push({ name: s.name, run, ratio: run.callsPerSecond / base.callsPerSecond });
    opts.onProgress?.(i + 2, total, s.name);
  });
  return { clockHz: opts.clockHz ?? NOMINAL_CLOCK_HZ, calls: opts.calls ?? 10_000, base, rows };
}
