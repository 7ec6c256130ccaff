/**
 * Measuring one call of a kernel function on the emulated CPU: the result, the executed instructions and
 * modelled cycles (the CPU's own counters, src/machine/cost.ts), the per-stage split (stages.ts), the
 * argument stores by provenance (provenance.ts) and, optionally, the executed trace.
 *
 * Everything is recorded through `cpu.traceHook`, called before each instruction: the cycles an
 * instruction cost are the CPU's cycle counter at the next hook minus this one (so branch mispredictions
 * and host-call charges land on the instruction that caused them), and the instruction count is the
 * number of hook calls (equal to the `cpu.insns` delta, which the tests check).
 *
 * The cost of tracing is a difference: measure the call on a kernel with nothing attached, attach, measure
 * again, `compareCalls(baseline, traced)`. The same kernel instance keeps the comparison honest (same
 * addresses, same code). `warmup` calls before the measured one train the branch predictor, so cycles are
 * the steady-state cost of a call rather than a cold first call; instruction counts do not depend on it.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { TestKernel } from '../kernel/testkernel.js';
import { Tramp64Error } from '../util/errors.js';
import { ArgProvenance, decodeCached, MAX_REG_ARGS, type ArgStore } from './provenance.js';
import {
  emptyStageCounts,
  STAGES,
  StageTracker,
  SymbolClassifier,
  type Stage,
  type StageCounts,
  type StageRange,
  type StageRule,
} from './stages.js';

/** One executed instruction. */
export interface TraceEntry {
  readonly pc: bigint;
  readonly word: number;
  readonly stage: Stage;
  /** Modelled cycles this instruction cost (including a misprediction penalty it caused). */
  readonly cycles: number;
}

export interface MeasureOptions {
  /** Arguments of the traced function that travel in x0–x7 (default: the number of `args`, at most 8). */
  readonly nargs?: number;
  /** rec->ip of the function's call site: its patch-site words count as 'patch site'. */
  readonly ip?: bigint;
  /** rec->ip of other call sites (e.g. the callees'): their patch-site words count as 'patch site' too. */
  readonly patchSites?: readonly bigint[];
  /** CPU to run on (default 0). */
  readonly cpu?: number;
  /** Unmeasured calls before the measured one (default 1). */
  readonly warmup?: number;
  /** Symbol → stage table (default DEFAULT_STAGE_RULES). */
  readonly rules?: readonly StageRule[];
  /** Address ranges with a fixed stage (e.g. module ftrace PLT veneers). */
  readonly ranges?: readonly StageRange[];
  /**
   * Keep the executed trace: false, true (default, up to 1,000,000 entries) or a cap. Provenance and stage
   * counts are computed online either way.
   */
  readonly trace?: boolean | number;
  /**
   * Stages whose argument stores count towards `argSaves` (default: all but 'function' and 'program' —
   * the function's own spills happen with or without tracing, and what a BPF program does with an argument
   * is the program's business, not the attach path's).
   */
  readonly countStores?: (stage: Stage) => boolean;
  /**
   * Called with each executed instruction once its cost is known, in order (a streaming trace: on a fault
   * the instructions before the faulting one have been reported).
   */
  readonly onStep?: (e: TraceEntry) => void;
  /** Give up after this many instructions (default 10,000,000). */
  readonly maxInstructions?: number;
}

export interface CallMeasurement {
  /** The function as `%pS` names it. */
  readonly function: string;
  readonly address: bigint;
  readonly args: readonly bigint[];
  /** X0 after the call. */
  readonly result: bigint;
  readonly instructions: number;
  readonly cycles: number;
  /** Instructions and cycles per stage (every stage present). */
  readonly stages: { readonly instructions: StageCounts; readonly cycles: StageCounts };
  /** Every store that saved an argument value (all stages). */
  readonly argStores: readonly ArgStore[];
  /** Per argument index, stores counted by `countStores`. */
  readonly argStoreCounts: readonly number[];
  /** How many times the whole argument set was saved: the minimum of `argStoreCounts` (0 without args). */
  readonly argSaves: number;
  readonly trace: readonly TraceEntry[] | undefined;
  /** The trace cap was reached (the counts are still complete). */
  readonly traceTruncated: boolean;
}

const DEFAULT_TRACE_CAP = 1_000_000;
const defaultCountStores = (s: Stage): boolean => s !== 'function' && s !== 'program';

/** Call `funcAddr(args…)` on `kernel`'s machine and measure the call. */
export function measureCall(
  kernel: Kernel,
  funcAddr: bigint,
  args: readonly bigint[],
  opts: MeasureOptions = {},
): CallMeasurement {
  if (args.length > MAX_REG_ARGS)
    throw new Tramp64Error(
      'EINVAL',
      `measureCall: ${args.length} arguments; at most ${MAX_REG_ARGS} travel in registers (x0–x7)`,
    );
  const nargs = opts.nargs ?? args.length;
  if (!Number.isInteger(nargs) || nargs < 0 || nargs > MAX_REG_ARGS)
    throw new Tramp64Error('EINVAL', `measureCall: nargs must be 0-${MAX_REG_ARGS}, got ${nargs}`);
  const machine = kernel.machine;
  const cpuId = opts.cpu ?? 0;
  const cpu = machine.cpus[cpuId];
  if (!cpu)
    throw new Tramp64Error('EINVAL', `measureCall: no CPU ${cpuId} (the machine has ${machine.cpus.length})`);
  const sym = kernel.kallsyms.lookup(funcAddr);
  const fnSize = sym && sym.offset === 0n ? sym.sym.size : 4n;
  const max = opts.maxInstructions ?? 10_000_000;
  const warmup = opts.warmup ?? 1;
  for (let i = 0; i < warmup; i++) machine.call(funcAddr, args, { cpu: cpuId, maxInstructions: max });

  const tracker = new StageTracker(
    kernel.kallsyms,
    { address: funcAddr, size: fnSize, ip: opts.ip, patchSites: opts.patchSites },
    new SymbolClassifier(opts.rules),
    opts.ranges,
  );
  const cap =
    opts.trace === false
      ? 0
      : opts.trace === true || opts.trace === undefined
        ? DEFAULT_TRACE_CAP
        : opts.trace;
  const trace: TraceEntry[] = [];
  let truncated = false;
  const insnCounts = emptyStageCounts();
  const cycleCounts = emptyStageCounts();
  let prov: ArgProvenance | undefined;
  let last: { pc: bigint; word: number; stage: Stage; cycles: number } | undefined;
  let hooks = 0;

  const finish = (): void => {
    if (!last) return;
    const c = cpu.cycles - last.cycles;
    insnCounts[last.stage]++;
    cycleCounts[last.stage] += c;
    const entry: TraceEntry = { pc: last.pc, word: last.word, stage: last.stage, cycles: c };
    if (trace.length < cap) trace.push(entry);
    else if (cap > 0) truncated = true;
    opts.onStep?.(entry);
    prov!.after(cpu);
  };

  const saved = cpu.traceHook;
  const insns0 = cpu.insns;
  const cycles0 = cpu.cycles;
  let result: bigint;
  cpu.traceHook = (c, pc, word) => {
    finish();
    hooks++;
    prov ??= new ArgProvenance(c, nargs);
    const sp = c.sp;
    const stage = tracker.stageAt(pc, sp);
    prov.before(c, pc, word, stage);
    const cls = decodeCached(word)?.entry.cls;
    if (cls === 'call' || cls === 'call-ind') tracker.onCall(pc, sp, stage);
    last = { pc, word, stage, cycles: c.cycles };
  };
  try {
    result = machine.call(funcAddr, args, { cpu: cpuId, maxInstructions: max });
    finish();
  } finally {
    cpu.traceHook = saved;
  }
  const instructions = cpu.insns - insns0;
  if (instructions !== hooks)
    throw new Tramp64Error(
      'INTERNAL',
      `measureCall: ${hooks} traced instructions but the CPU counted ${instructions} (another hook?)`,
    );
  const countStores = opts.countStores ?? defaultCountStores;
  const provenance = prov!;
  const argStoreCounts = provenance.countsPerArg((w) => countStores(w as Stage));
  return {
    function: kernel.kallsyms.format(funcAddr, { size: false }),
    address: funcAddr,
    args: [...args],
    result,
    instructions,
    cycles: cpu.cycles - cycles0,
    stages: { instructions: insnCounts, cycles: cycleCounts },
    argStores: provenance.stores,
    argStoreCounts,
    argSaves: argStoreCounts.length === 0 ? 0 : Math.min(...argStoreCounts),
    trace: cap > 0 ? trace : undefined,
    traceTruncated: truncated,
  };
}

/**
 * A test-kernel function by name: address, call site, argument count (from the function model when the BPF
 * layer filled it in) and every call site of the test kernel as a patch site, filled in from the test kernel.
 */
export function measureTestKernelCall(
  tk: TestKernel,
  name: string,
  args: readonly bigint[],
  opts: MeasureOptions = {},
): CallMeasurement {
  const address = tk.addr(name);
  const site = tk.callSites.find((s) => s.func.name === name);
  const model = tk.functionModels.get(name);
  return measureCall(tk.kernel, address, args, {
    ...opts,
    ip: opts.ip ?? site?.ip,
    patchSites: opts.patchSites ?? tk.callSites.map((c) => c.ip),
    nargs: opts.nargs ?? Math.min(model?.args.length ?? args.length, args.length, MAX_REG_ARGS),
  });
}

/** Traced minus untraced. */
export interface CallDelta {
  readonly instructions: number;
  readonly cycles: number;
  readonly stages: { readonly instructions: StageCounts; readonly cycles: StageCounts };
  /** Argument-set saves on the traced path (the untraced path's are subtracted; normally 0). */
  readonly argSaves: number;
  /** Per argument index, traced stores minus untraced ones. */
  readonly argStoreCounts: readonly number[];
  /** The traced call returned what the untraced one did. */
  readonly sameResult: boolean;
}

export function compareCalls(baseline: CallMeasurement, traced: CallMeasurement): CallDelta {
  if (baseline.address !== traced.address)
    throw new Tramp64Error(
      'EINVAL',
      `compareCalls: the baseline called ${baseline.function}, the traced run ${traced.function}; compare the same function`,
    );
  const sub = (a: StageCounts, b: StageCounts): StageCounts => {
    const out = emptyStageCounts();
    for (const s of STAGES) out[s] = a[s] - b[s];
    return out;
  };
  return {
    instructions: traced.instructions - baseline.instructions,
    cycles: traced.cycles - baseline.cycles,
    stages: {
      instructions: sub(traced.stages.instructions, baseline.stages.instructions),
      cycles: sub(traced.stages.cycles, baseline.stages.cycles),
    },
    argSaves: traced.argSaves - baseline.argSaves,
    argStoreCounts: traced.argStoreCounts.map((n, i) => n - (baseline.argStoreCounts[i] ?? 0)),
    sameResult: traced.result === baseline.result,
  };
}
