/**
 * Live ftrace at corpus scale (wall clock; benchmarks live in bench/, never in src/): each whole Debian
 * corpus loaded into one model kernel (not timed), ftrace attached to every call site (ftrace_init_nop
 * timed), then one ops enabled on all call sites and disabled again — every site patched through the
 * validated live patcher (literal first, then the BL, with cache maintenance). Prints sites patched per
 * second and the total time of each phase. 6.1 has '=2' sites (seed era: pt_regs frame, global op), 6.12
 * '=4,2' CALL_OPS sites (ftrace_regs frame, per-callsite literal).
 */
import { ensureCorpus, moduleName, readModule, SERIES } from '../src/cli/corpus.js';
import { attachFtrace, countingCallback } from '../src/ftrace/index.js';
import { Kernel } from '../src/kernel/kernel.js';
import { loadModules } from '../src/kernel/module.js';
import type { BenchResult } from './modules-load.js';

export async function benchFtrace(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const series of SERIES) {
    const corpus = await ensureCorpus(series, { progress: false, log: () => {} });
    const files = corpus.modules.map((p) => ({ name: moduleName(p), bytes: readModule(p) }));
    const kernel = new Kernel({ layout: { kind: 'nokaslr', seed: 1 } });
    const { modules } = loadModules(kernel, files, { onError: 'skip' });
    const allCallOps = modules.every((m) => m.callSites.every((s) => s.layout === '=4,2'));
    const t0 = performance.now();
    const ft = attachFtrace(kernel, {
      frame: allCallOps ? 'args' : 'regs',
      dispatch: allCallOps ? 'callops' : 'global',
      modules,
    });
    const tInit = performance.now() - t0;
    const sites = ft.records.length;
    const ops = ft.newOps({ name: 'bench_ops', func: countingCallback(kernel, 'bench_cb').func });
    const t1 = performance.now();
    ft.register(ops);
    const tOn = performance.now() - t1;
    const on = ft.sitesPatched;
    const t2 = performance.now();
    ft.unregister(ops);
    const tOff = performance.now() - t2;
    const off = ft.sitesPatched - on;
    const bad = ft.verify().length + kernel.patcher.stats.validationFailures;
    const tag = `${series} ${ft.frame}/${ft.dispatch} (${sites} sites, ${modules.length} modules)`;
    out.push(
      { name: `init ${tag}`, value: Math.round(tInit), unit: 'ms' },
      { name: `enable all ${series}`, value: Math.round(tOn), unit: 'ms' },
      { name: `enable all ${series} sites patched/s`, value: Math.round(on / (tOn / 1000)), unit: 'sites/s' },
      { name: `disable all ${series}`, value: Math.round(tOff), unit: 'ms' },
      {
        name: `disable all ${series} sites patched/s`,
        value: Math.round(off / (tOff / 1000)),
        unit: 'sites/s',
      },
      { name: `${series} mismatches after the round trip`, value: bad, unit: '' },
    );
  }
  return out;
}
