/**
 * `tramp64 compare`, the main job (tramp64 issue 11): every attach strategy × scenario × seeded layout ×
 * frame kind on the built-in test kernel, each sample measured as traced − untraced on the same kernel
 * (sample.ts), aggregated into a CompareResult (result.ts) that render.ts prints as a table, JSON or
 * Markdown.
 *
 * Scenarios are the SPEC list: BPF only (fentry; fentry+fexit; fmod_ret), an ftrace op only (the function
 * tracer), both on one function, the function tracer on every function plus BPF on one, and N programs.
 * Each scenario has a `prepare` step (JIT the programs, set up the tracer's ring buffers) that runs before
 * the untraced measurement, and an `attach` step that is what gets measured and accounted: so the bytes a
 * row reports are what the strategy generated for the attach (trampolines, PLTs, ops, hashes, literals,
 * ftrace's slab objects), not the programs, which are the same for every strategy.
 *
 * The programs are tiny (they read their first argument and return 0): the comparison is about the path to
 * them, and a larger program would add the same instructions on every strategy.
 *
 * Determinism: the layouts come from `layouts(n, seed)`, each kernel's PAC keys from the layout seed, and
 * nothing reads a clock, so the same options give the same result byte for byte.
 */
import { assemble } from '../bpf/asm/index.js';
import { jitProgram } from '../bpf/jit/index.js';
import type { AttachType } from '../bpf/object/sections.js';
import type { FrameKind as FtraceFrameKind } from '../ftrace/arch/abi.js';
import type { FtraceOps } from '../ftrace/ops.js';
import { TraceArray } from '../ftrace/tracers/trace.js';
import type { LayoutOptions } from '../kernel/layout.js';
import type { TestKernelVariant } from '../kernel/testkernel.js';
import type { TrampLink } from '../trampoline/generator.js';
import { allocBpfProg, trampRuntime, type TrampProg } from '../trampoline/runtime.js';
import {
  createTracingKernel,
  STRATEGIES,
  strategyByName,
  testKernelVariantFor,
  type Strategy,
  type TracingKernel,
} from '../trampoline/strategies/index.js';
import { KernelError, Tramp64Error } from '../util/errors.js';
import { layoutLabel, layouts } from './layouts.js';
import { MAX_REG_ARGS } from './provenance.js';
import { buildRow, type CompareResult, type CompareRow, type Sample } from './result.js';
import { sampleAttach, type SampleRun } from './sample.js';
import { DEFAULT_STAGE_RULES, type StageRule } from './stages.js';

/** What a scenario attaches, made before the untraced measurement. */
export interface Prepared {
  /** Attach everything (what is measured and accounted). Throws a KernelError when the strategy refuses. */
  attach(): void;
}

export interface CompareScenario {
  readonly name: string;
  readonly description: string;
  /** The traced (and measured) function of the test kernel. */
  readonly func: string;
  /** Its arguments; a function gets the kernel (e.g. for a pointer into kernel data). */
  readonly args: readonly bigint[] | ((t: TracingKernel) => readonly bigint[]);
  /** Whether the traced call must return what the untraced one did (false when the function has state). */
  readonly sameResult: boolean;
  prepare(t: TracingKernel): Prepared;
}

// ------------------------------------------------------------------------------------------- programs

/** The programs' text (RFC 9669 assembler syntax): read the first argument from the ctx, return 0. */
const PROG_TEXT = 'ldxdw %r2, [%r1]\nmov %r0, 0\nexit';

/** A tiny JITed tracing program, as the trampoline sees it. */
export function tinyProgram(t: TracingKernel, name: string, kind: AttachType): TrampProg {
  const k = t.kernel;
  const image = jitProgram(k, assemble(PROG_TEXT), { name, attachType: kind });
  return {
    name,
    bpfFunc: image.address,
    progStruct: allocBpfProg(trampRuntime(k), image.address),
    usesFuncIp: false,
  };
}

function linksOf(t: TracingKernel, func: string, kinds: readonly AttachType[], tag: string): TrampLink[] {
  return kinds.map((kind, i) => ({
    prog: tinyProgram(t, `${tag}${i}_${kind}`, kind),
    kind,
    cookie: 0n,
  }));
}

/** Link every link to `func`; on a refusal unlink what was linked (all or nothing) and rethrow. */
function linkAll(t: TracingKernel, func: string, links: readonly TrampLink[]): void {
  const att = t.strategy.attachment(t, func);
  const done: TrampLink[] = [];
  try {
    for (const l of links) {
      att.link(l);
      done.push(l);
    }
  } catch (e) {
    for (const l of done.reverse()) att.unlink(l);
    throw e;
  }
}

/**
 * The function tracer (`echo function > current_tracer`), optionally filtered to one function: its ring
 * buffers are set up now, the returned function registers its op (what is measured).
 */
export function functionTracer(t: TracingKernel, filter: string | undefined): () => FtraceOps {
  const tr = new TraceArray(t.kernel);
  return () => {
    const ft = t.ftrace;
    const ops = ft.newOps({
      name: 'global_ops',
      func: tr.text.functionTraceCall,
      funcName: 'function_trace_call',
    });
    if (filter !== undefined) ft.setFilter(ops, filter, { reset: true });
    ft.register(ops);
    return ops;
  };
}

// ------------------------------------------------------------------------------------------ scenarios

/** The traced function of most scenarios: three arguments of different widths (char, int, u64). */
export const COMPARE_FUNC = 'bpf_fentry_test3';
const COMPARE_ARGS = [4n, 5n, 6n] as const;
/** The fmod_ret target: the only error-injectable function of the test kernel. */
export const FMOD_RET_FUNC = 'bpf_modify_return_test';
/** Programs of the N-programs scenario. */
export const N_PROGRAMS = 8;

const bpfOnly = (
  name: string,
  description: string,
  kinds: readonly AttachType[],
  func = COMPARE_FUNC,
): CompareScenario => ({
  name,
  description,
  func,
  args: func === FMOD_RET_FUNC ? modifyReturnArgs : COMPARE_ARGS,
  sameResult: func !== FMOD_RET_FUNC,
  prepare(t) {
    const links = linksOf(t, func, kinds, 'p');
    return { attach: () => linkAll(t, func, links) };
  },
});

/**
 * The function tracer (on `filter`, or on every function) and then one BPF fentry program on COMPARE_FUNC;
 * if the program's attach is refused, the tracer goes again, so a refused attach leaves nothing behind.
 */
const tracerAndFentry = (
  name: string,
  description: string,
  filter: string | undefined,
  tag: string,
): CompareScenario => ({
  name,
  description,
  func: COMPARE_FUNC,
  args: COMPARE_ARGS,
  sameResult: true,
  prepare(t) {
    const tracer = functionTracer(t, filter);
    const links = linksOf(t, COMPARE_FUNC, ['fentry'], tag);
    return {
      attach: () => {
        const ops = tracer();
        try {
          linkAll(t, COMPARE_FUNC, links);
        } catch (e) {
          t.ftrace.unregister(ops);
          throw e;
        }
      },
    };
  },
});

/** bpf_modify_return_test(1, &b): b in kernel data (the function increments it on every call). */
function modifyReturnArgs(t: TracingKernel): bigint[] {
  const b = t.kernel.imageAlloc(16, 'data', 16).address;
  t.kernel.machine.memory.write32(b, 2, 0);
  return [1n, b];
}

export const SCENARIOS: readonly CompareScenario[] = [
  bpfOnly('fentry', `one BPF fentry program on ${COMPARE_FUNC}`, ['fentry']),
  bpfOnly('fentry+fexit', `fentry and fexit programs on ${COMPARE_FUNC}`, ['fentry', 'fexit']),
  bpfOnly(
    'fmod_ret',
    `one fmod_ret program on ${FMOD_RET_FUNC} (returns 0: the original runs)`,
    ['fmod_ret'],
    FMOD_RET_FUNC,
  ),
  {
    name: 'ftrace-op',
    description: `the function tracer on ${COMPARE_FUNC} only, no BPF`,
    func: COMPARE_FUNC,
    args: COMPARE_ARGS,
    sameResult: true,
    prepare(t) {
      const tracer = functionTracer(t, COMPARE_FUNC);
      return { attach: () => void tracer() };
    },
  },
  tracerAndFentry(
    'shared',
    `the function tracer and a BPF fentry program on the same function (${COMPARE_FUNC})`,
    COMPARE_FUNC,
    's',
  ),
  tracerAndFentry(
    'tracer-all+bpf',
    `the function tracer on every function, plus a BPF fentry program on ${COMPARE_FUNC}`,
    undefined,
    'a',
  ),
  bpfOnly(
    `${N_PROGRAMS}-fentry`,
    `${N_PROGRAMS} BPF fentry programs on ${COMPARE_FUNC} (1 program: see fentry)`,
    Array.from({ length: N_PROGRAMS }, () => 'fentry' as const),
  ),
];

export function scenarioByName(name: string): CompareScenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s)
    throw new Tramp64Error(
      'EINVAL',
      `unknown scenario '${name}'; choose from ${SCENARIOS.map((x) => x.name).join(', ')}`,
    );
  return s;
}

// ------------------------------------------------------------------------------------------ stage rules

/**
 * Stage rules of the comparison on top of the default table: the `ops` strategy's generated entry and exit
 * code (bpf_fprobe_*: it copies the arguments into a BPF ctx and calls the programs, the job a trampoline
 * does), the function-graph return hook that runs its fexit programs, and the function tracer's callback,
 * counted as the attached payload ('program') — neither is part of the path to it.
 */
export const COMPARE_STAGE_RULES: readonly StageRule[] = [
  { pattern: 'bpf_fprobe_handler', stage: 'op iteration' },
  { pattern: 'bpf_fprobe_*', stage: 'trampoline' },
  { pattern: 'return_to_handler*', stage: 'ftrace_caller' },
  { pattern: 'ftrace_return_to_handler*', stage: 'ftrace_caller' },
  { pattern: 'function_graph_enter*', stage: 'ftrace_caller' },
  { pattern: 'function_trace_call', stage: 'program' },
  ...DEFAULT_STAGE_RULES,
];

// ------------------------------------------------------------------------------------------ the driver

export type CompareFrame = FtraceFrameKind;

export interface CompareOptions {
  /** Test-kernel object bytes by variant (the library reads no files). */
  readonly load: (variant: TestKernelVariant) => Uint8Array;
  /** Strategy names (default: every registered strategy). */
  readonly strategies?: readonly string[];
  /** Scenario names (default: all). */
  readonly scenarios?: readonly string[];
  /** Layout samples (default 8: kaslr, nokaslr, each with and without the 2 GiB module region, twice). */
  readonly layouts?: number;
  readonly seed?: number;
  readonly frames?: readonly CompareFrame[];
  readonly cpus?: number;
  /** Extra key/values for the result's meta line (the CLI puts the command there). */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** Called with every sample (tests look at the traces). */
  readonly onSample?: (s: SampleInfo) => void;
  /** Keep the executed trace of each measured call (default false). */
  readonly trace?: boolean;
}

export interface SampleInfo {
  readonly strategy: string;
  readonly scenario: string;
  readonly frame: CompareFrame;
  readonly layout: LayoutOptions;
  readonly run: SampleRun;
  readonly tracing: TracingKernel;
}

export const DEFAULT_LAYOUTS = 8;
export const DEFAULT_SEED = 1;
export const FRAMES: readonly CompareFrame[] = ['regs', 'args'];

/** The vmalloc areas of ftrace's slab (its 64 KiB chunks) by base, with their mapped bytes. */
function slabChunks(t: TracingKernel): Map<bigint, number> {
  const guard = t.kernel.vmalloc.guard ? 4096 : 0;
  return new Map(
    t.kernel.vmalloc
      .used()
      .filter((a) => a.tag === 'ftrace kmalloc')
      .map((a) => [a.base, Number(a.size) - guard] as const),
  );
}

/**
 * sampleAttach with ftrace's own objects accounted: the bytes the slab's live objects grew by during the
 * attach (a DYNAMIC ops, filter hashes, the direct_functions table) instead of any 64 KiB slab chunk the
 * attach happened to open (accounting.ts sees only the chunk, whichever strategy allocated first).
 */
export function sampleWithSlab(
  t: TracingKernel,
  sample: (attach: () => void) => SampleRun,
  attach: () => void,
): SampleRun {
  let before = new Map<bigint, number>();
  let grew = 0;
  const run = sample(() => {
    before = slabChunks(t);
    const s0 = t.ftrace.slabBytes;
    try {
      attach();
    } finally {
      grew = t.ftrace.slabBytes - s0;
    }
  });
  if (!run.sample.ok) return run;
  let chunks = 0;
  for (const [base, bytes] of slabChunks(t)) if (!before.has(base)) chunks += bytes;
  return { ...run, sample: { ...run.sample, codeBytes: run.sample.codeBytes - chunks + grew } };
}

/** The strategy's kernel for one sample: its test-kernel variant, seeded by the layout. */
export function compareKernel(
  strategy: Strategy,
  frame: CompareFrame,
  layout: LayoutOptions,
  opts: Pick<CompareOptions, 'load' | 'cpus'>,
): TracingKernel {
  return createTracingKernel(opts.load(testKernelVariantFor(strategy)), {
    strategy,
    frame,
    layout,
    seed: layout.seed ?? 1,
    ...(opts.cpus !== undefined ? { cpus: opts.cpus } : {}),
  });
}

/** The named strategies (default: every registered one); an unknown name is bad input (EINVAL). */
export function compareStrategies(names: readonly string[] | undefined): Strategy[] {
  return (names ?? STRATEGIES.map((s) => s.name)).map((n) => {
    try {
      return strategyByName(n);
    } catch (e) {
      if (e instanceof KernelError) throw new Tramp64Error('EINVAL', e.message);
      throw e;
    }
  });
}

/** The result's meta line: the caller's keys, then the options every comparison reports. */
export function compareMeta(
  opts: Pick<CompareOptions, 'meta' | 'cpus'>,
  seed: number,
  layouts: number,
  frames: readonly CompareFrame[],
  kernel: string,
): NonNullable<CompareResult['meta']> {
  return { ...(opts.meta ?? {}), seed, layouts, frames: frames.join(','), cpus: opts.cpus ?? 1, kernel };
}

/** Measure one strategy × scenario × frame on one layout. */
export function runSample(
  strategy: Strategy,
  scenario: CompareScenario,
  frame: CompareFrame,
  layout: LayoutOptions,
  opts: Pick<CompareOptions, 'load' | 'cpus' | 'trace'>,
): { run: SampleRun; tracing: TracingKernel } {
  const t = compareKernel(strategy, frame, layout, opts);
  const args = typeof scenario.args === 'function' ? scenario.args(t) : scenario.args;
  const prepared = scenario.prepare(t);
  const site = t.tk.callSite(scenario.func);
  const model = t.tk.functionModels.get(scenario.func);
  const run = sampleWithSlab(
    t,
    (attach) =>
      sampleAttach(t.kernel, t.tk.addr(scenario.func), args, attach, {
        ip: site.ip,
        patchSites: t.tk.callSites.map((c) => c.ip),
        nargs: Math.min(model?.args.length ?? args.length, args.length, MAX_REG_ARGS),
        rules: COMPARE_STAGE_RULES,
        trace: opts.trace ?? false,
      }),
    () => prepared.attach(),
  );
  return { run, tracing: t };
}

export function checkCount(n: number, what: string, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Tramp64Error('EINVAL', `${what} must be an integer 1–${max}, got ${n}`);
}

/** The whole comparison. */
export function runCompare(opts: CompareOptions): CompareResult {
  const seed = opts.seed ?? DEFAULT_SEED;
  const nLayouts = opts.layouts ?? DEFAULT_LAYOUTS;
  checkCount(nLayouts, '--layouts', 1000);
  if (opts.cpus !== undefined) checkCount(opts.cpus, '--cpus', 64);
  const strategies = compareStrategies(opts.strategies);
  const scenarios = (opts.scenarios ?? SCENARIOS.map((s) => s.name)).map(scenarioByName);
  const frames = opts.frames ?? FRAMES;
  for (const f of frames)
    if (!FRAMES.includes(f))
      throw new Tramp64Error('EINVAL', `unknown frame '${String(f)}'; use regs, args or both`);
  if (strategies.length === 0 || scenarios.length === 0 || frames.length === 0)
    throw new Tramp64Error('EINVAL', 'nothing to compare: give at least one strategy, scenario and frame');
  const ls = layouts(nLayouts, seed);
  const total = strategies.length * scenarios.length * frames.length * ls.length;
  let done = 0;
  const rows: CompareRow[] = [];
  for (const scenario of scenarios) {
    for (const strategy of strategies) {
      for (const frame of frames) {
        const samples: Sample[] = [];
        let changed = 0;
        for (const layout of ls) {
          const { run, tracing } = runSample(strategy, scenario, frame, layout, opts);
          samples.push(run.sample);
          if (scenario.sameResult && run.delta && !run.delta.sameResult) changed++;
          opts.onSample?.({ strategy: strategy.name, scenario: scenario.name, frame, layout, run, tracing });
          done++;
          opts.onProgress?.(
            done,
            total,
            `${scenario.name} · ${strategy.name} · ${frame} · ${layoutLabel(layout)}`,
          );
        }
        const note = changed > 0 ? `result changed on ${changed} layout(s)!` : undefined;
        rows.push(buildRow(strategy.name, scenario.name, frame, samples, note));
      }
    }
  }
  return {
    strategies: strategies.map((s) => s.name),
    scenarios: scenarios.map((s) => ({ name: s.name, description: s.description })),
    rows,
    meta: compareMeta(opts, seed, nLayouts, frames, 'built-in test kernel'),
  };
}
