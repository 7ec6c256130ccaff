/**
 * `tramp64 compare --series 6.1|6.12`, the corpus variant of compare.ts, kept small: a few real Debian
 * modules loaded on top of each strategy's kernel (the loader places them in the layout's module window,
 * with PLTs and ftrace PLTs when the window is the 2 GiB one), and one of their functions traced. The strategies attach BPF only
 * to test-kernel functions (their targets take the function model from the test kernel's BTF; a module's
 * BTF is split against a vmlinux BTF we do not have), so on the corpus the BPF trampoline is stood in for by
 * a counting direct trampoline in vmalloc where BPF trampolines live — the same reach question, the same
 * path through the call site and ftrace_caller — and `ops` (which has no direct call) by a counting op.
 *
 * The traced function must be safe to call with made-up arguments: a leaf that touches no memory (only
 * ALU, moves, hints and `ret`), such as a tracepoint's `__probestub_*`. Its argument registers are x0–x7
 * as far as provenance goes (8 distinct values), since without BTF the model does not know its arity.
 */
import { decode } from '../a64/index.js';
import { countingCallback, countingDirectTramp } from '../ftrace/callbacks.js';
import { OPS_FL } from '../ftrace/ops.js';
import type { Kernel } from '../kernel/kernel.js';
import type { LayoutOptions } from '../kernel/layout.js';
import { loadModules, type Module, type ModuleFile } from '../kernel/module.js';
import type { Strategy, TracingKernel } from '../trampoline/strategies/index.js';
import { Tramp64Error } from '../util/errors.js';
import {
  checkCount,
  compareKernel,
  compareMeta,
  compareStrategies,
  COMPARE_STAGE_RULES,
  DEFAULT_LAYOUTS,
  DEFAULT_SEED,
  FRAMES,
  functionTracer,
  sampleWithSlab,
  type CompareFrame,
  type CompareOptions,
} from './compare.js';
import { layoutLabel, layouts } from './layouts.js';
import { MAX_REG_ARGS } from './provenance.js';
import { buildRow, type CompareResult, type CompareRow, type Sample } from './result.js';
import { sampleAttach } from './sample.js';
import { ftracePltRanges } from './stages.js';

export const CORPUS_SCENARIOS: readonly string[] = ['ftrace-op', 'direct'];

const CORPUS_DESCRIPTIONS: Record<string, string> = {
  'ftrace-op': 'the function tracer on one module function',
  direct:
    'a direct trampoline on one module function (a counting stand-in for the BPF trampoline; ops: a counting op)',
};

/** Instruction classes of a function safe to call with any arguments. */
const SAFE_CLASSES = new Set(['alu', 'mov', 'hint', 'ret']);

export interface CorpusCompareOptions extends Omit<CompareOptions, 'scenarios' | 'onSample' | 'trace'> {
  /** The modules to load (the caller picks and reads them). */
  readonly modules: readonly ModuleFile[];
  /** '6.1' or '6.12', for the meta line. */
  readonly series: string;
  readonly scenarios?: readonly string[];
}

interface Traceable {
  readonly module: string;
  readonly func: string;
}

/** The first (by module, then function name, rotated by `seed`) call-site function that is a safe leaf. */
export function findTraceableFunction(kernel: Kernel, mods: readonly Module[], seed: number): Traceable {
  const found: Traceable[] = [];
  const mem = kernel.machine.memory;
  for (const m of mods)
    for (const s of m.callSites) {
      const f = s.func;
      let safe = false;
      for (let a = f.address; a < f.address + f.size; a += 4n) {
        const cls = decode(mem.read32(a))?.entry.cls;
        if (cls === undefined || !SAFE_CLASSES.has(cls)) break;
        if (cls === 'ret') {
          safe = true;
          break;
        }
      }
      if (safe) found.push({ module: m.name, func: f.name });
    }
  found.sort((a, b) => (a.module + a.func < b.module + b.func ? -1 : 1));
  if (found.length === 0)
    throw new Tramp64Error(
      'ENOENT',
      `none of the modules ${mods.map((m) => m.name).join(', ')} has a traceable leaf function (no memory access, no calls); pick other modules or another --seed`,
    );
  return found[seed % found.length]!;
}

function corpusKernel(
  strategy: Strategy,
  frame: CompareFrame,
  layout: LayoutOptions,
  opts: CorpusCompareOptions,
): { t: TracingKernel; mods: Module[] } {
  const t = compareKernel(strategy, frame, layout, opts);
  const r = loadModules(t.kernel, opts.modules);
  if (r.failures.length > 0)
    throw new Tramp64Error(
      'EINVAL',
      `module ${r.failures[0]!.name} does not load: ${r.failures[0]!.error.message}`,
    );
  for (const m of r.modules) t.ftrace.addModule(m);
  return { t, mods: r.modules };
}

/** The corpus comparison: every strategy × corpus scenario × frame × layout on one module function. */
export function runCorpusCompare(opts: CorpusCompareOptions): CompareResult {
  const seed = opts.seed ?? DEFAULT_SEED;
  const nLayouts = opts.layouts ?? DEFAULT_LAYOUTS;
  checkCount(nLayouts, '--layouts', 1000);
  if (opts.modules.length === 0) throw new Tramp64Error('EINVAL', 'no modules to load');
  const strategies = compareStrategies(opts.strategies);
  const scenarios = opts.scenarios ?? CORPUS_SCENARIOS;
  for (const s of scenarios)
    if (!CORPUS_SCENARIOS.includes(s))
      throw new Tramp64Error(
        'EINVAL',
        `scenario '${s}' does not run on the corpus; choose from ${CORPUS_SCENARIOS.join(', ')}`,
      );
  const frames = opts.frames ?? FRAMES;
  const ls = layouts(nLayouts, seed);
  // The modules' call-site layout decides which strategies can run at all (callops needs '=4,2').
  const probeStrategy = strategies.find((s) => s.dispatch !== 'callops') ?? strategies[0]!;
  const probe = corpusKernel({ ...probeStrategy, dispatch: 'global' }, frames[0] ?? 'args', ls[0]!, opts);
  const target = findTraceableFunction(probe.t.kernel, probe.mods, seed);
  const siteLayouts = new Set(probe.mods.flatMap((m) => m.callSites.map((s) => s.layout)));
  const total = strategies.length * scenarios.length * frames.length * ls.length;
  let done = 0;
  const rows: CompareRow[] = [];
  for (const scenario of scenarios) {
    for (const strategy of strategies) {
      for (const frame of frames) {
        const samples: Sample[] = [];
        let note: string | undefined;
        for (const layout of ls) {
          done++;
          if (strategy.dispatch === 'callops' && siteLayouts.has('=2')) {
            samples.push({ ok: false, errno: 'EINVAL' });
            note = "needs CALL_OPS ('=4,2') call sites: use --series 6.12";
          } else {
            const { t, mods } = corpusKernel(strategy, frame, layout, opts);
            const mod = mods.find((m) => m.name === target.module)!;
            const site = mod.callSites.find((s) => s.func.name === target.func)!;
            const fn = site.func.address;
            const ft = t.ftrace;
            const tracer = scenario === 'ftrace-op' ? functionTracer(t, target.func) : undefined;
            const standin =
              scenario === 'direct'
                ? strategy.name === 'ops'
                  ? countingCallback(t.kernel, 'bpf_fprobe_standin')
                  : countingDirectTramp(t.kernel, 'bpf_trampoline_standin')
                : undefined;
            const attach = (): void => {
              if (tracer) tracer();
              else if (strategy.name === 'ops') {
                const ops = ft.newOps({ name: 'bpf_fprobe_ops', func: standin!.func, flags: OPS_FL.DYNAMIC });
                ft.setFilter(ops, target.func, { reset: true });
                ft.register(ops);
              } else {
                const ops = ft.newOps({ name: 'bpf_trampoline_fops', flags: OPS_FL.DYNAMIC });
                ft.setFilter(ops, target.func, { reset: true });
                ft.registerDirect(ops, standin!.func);
              }
            };
            const args = Array.from({ length: MAX_REG_ARGS }, (_, i) => 0x1000n + BigInt(i));
            const run = sampleWithSlab(
              t,
              (a) =>
                sampleAttach(t.kernel, fn, args, a, {
                  ip: site.ip,
                  patchSites: [...t.tk.callSites, ...mods.flatMap((m) => m.callSites)].map((c) => c.ip),
                  ranges: ftracePltRanges(mods),
                  nargs: MAX_REG_ARGS,
                  rules: COMPARE_STAGE_RULES,
                  trace: false,
                }),
              attach,
            );
            samples.push(run.sample);
          }
          opts.onProgress?.(
            done,
            total,
            `${scenario} · ${strategy.name} · ${frame} · ${layoutLabel(layout)}`,
          );
        }
        rows.push(buildRow(strategy.name, scenario, frame, samples, note));
      }
    }
  }
  return {
    strategies: strategies.map((s) => s.name),
    scenarios: scenarios.map((s) => ({
      name: s,
      description: `${CORPUS_DESCRIPTIONS[s]}: ${target.func} [${target.module}]`,
    })),
    rows,
    meta: compareMeta(
      opts,
      seed,
      nLayouts,
      frames,
      `built-in test kernel + ${opts.modules.length} modules of the ${opts.series} corpus`,
    ),
  };
}
