/**
 * Loading each whole Debian corpus into one model kernel (wall clock; benchmarks live in bench/, never in
 * src/): milliseconds per corpus, relocations applied per second, and the process's peak resident memory.
 * Reading and decompressing the files is not timed (it is the corpus layer's cost, not the loader's).
 */
import { ensureCorpus, moduleName, readModule, SERIES } from '../src/cli/corpus.js';
import { Kernel } from '../src/kernel/kernel.js';
import { loadModules } from '../src/kernel/module.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

export async function benchModulesLoad(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  let peakRss = process.memoryUsage().rss;
  for (const series of SERIES) {
    const corpus = await ensureCorpus(series, { progress: false, log: () => {} });
    const files = corpus.modules.map((p) => ({ name: moduleName(p), bytes: readModule(p) }));
    const kernel = new Kernel({ layout: { kind: 'nokaslr', seed: 1 } });
    const t0 = performance.now();
    const r = loadModules(kernel, files, {
      onProgress: (p) => {
        if (p.done % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    const ms = performance.now() - t0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    out.push(
      {
        name: `modules load ${series} (${r.totals.modules} modules, ${corpus.kernelRelease})`,
        value: Math.round(ms),
        unit: 'ms',
      },
      {
        name: `modules load ${series} relocations/s`,
        value: Math.round(r.totals.relocations / (ms / 1000)),
        unit: 'relocations/s',
      },
    );
  }
  out.push({
    name: 'modules load peak resident memory',
    value: Math.round(peakRss / (1 << 20)),
    unit: 'MiB',
  });
  return out;
}
