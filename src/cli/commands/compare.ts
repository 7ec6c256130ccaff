/**
 * `tramp64 compare`: the seed thread's debate, measured (tramp64 issue 11) — every attach strategy ×
 * scenario × seeded layout × frame kind on the built-in test kernel, printed as a table with a one-line
 * verdict per scenario, `--json` for scripts or `--md` for the README. A thin shell over
 * src/scenario/compare.ts: this file parses options (src/cli/options.ts, the messages every command
 * gives), runs the comparison under the progress bar of src/cli/progress.ts (stderr, only on a TTY, so piped
 * output is the table alone) and prints.
 *
 * `--series 6.1|6.12` runs the smaller corpus variant instead (runCorpusCompare): a few seeded modules of
 * the Debian corpus loaded on each strategy's kernel and one of their leaf functions traced.
 *
 * The output is a function of the options: the same seed gives byte-identical output (the command line and
 * seed are printed in its first line so a reader can rerun it).
 *
 * Exit codes: 0 printed; 2 bad input (unknown strategy, scenario or frame, a bad number, --json with --md).
 */
import type { Command } from 'commander';
import { Kernel } from '../../kernel/kernel.js';
import { loadModule, type ModuleFile } from '../../kernel/module.js';
import {
  DEFAULT_LAYOUTS,
  DEFAULT_SEED,
  FRAMES,
  runCompare,
  SCENARIOS,
  type CompareFrame,
} from '../../scenario/compare.js';
import { CORPUS_SCENARIOS, findTraceableFunction, runCorpusCompare } from '../../scenario/compare-corpus.js';
import { renderJson, renderMarkdown, renderTable } from '../../scenario/render.js';
import { STRATEGY_NAMES } from '../../trampoline/strategies/types.js';
import { Tramp64Error } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import { ensureCorpus, moduleName, readModule, SERIES, type Series } from '../corpus.js';
import {
  cpusOption,
  examples,
  listOption,
  parseChoice,
  parseCount,
  parseCpus,
  parseList,
  parseSeed,
  seedOption,
  usage,
} from '../options.js';
import { fixtureLoader, typedCommandLine, withProgress } from '../progress.js';

interface CompareCliOptions {
  strategies?: string;
  scenarios?: string;
  layouts?: string;
  seed?: string;
  cpus?: string;
  frames?: string;
  json?: boolean;
  md?: boolean;
  series?: string;
}

/** Most CPUs of one emulated machine. */
const MAX_CPUS = 64;

/** How many modules of the corpus --series loads. */
export const CORPUS_MODULES = 4;

/**
 * Pick CORPUS_MODULES modules of the series in a seeded order, keeping those that load on their own and have
 * a traceable leaf function (findTraceableFunction: safe to call with any arguments).
 */
async function corpusModules(series: Series, seed: number): Promise<ModuleFile[]> {
  const corpus = await ensureCorpus(series, { progress: process.stderr.isTTY === true });
  const paths = [...corpus.modules].sort();
  const rng = new Rng(seed);
  for (let i = paths.length - 1; i > 0; i--) {
    const j = rng.u32() % (i + 1);
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  const files: ModuleFile[] = [];
  for (const p of paths.slice(0, 200)) {
    const file = { name: moduleName(p), bytes: readModule(p) };
    const k = new Kernel({ layout: { kind: 'nokaslr', seed } });
    try {
      findTraceableFunction(k, [loadModule(k, file.bytes, { name: file.name })], 0);
    } catch (e) {
      if (e instanceof Tramp64Error) continue;
      throw e;
    }
    files.push(file);
    if (files.length === CORPUS_MODULES) break;
  }
  if (files.length === 0)
    throw usage(
      `none of 200 seeded modules of the ${series} corpus has a traceable leaf function; try another --seed`,
    );
  return files;
}

async function compareCommand(o: CompareCliOptions): Promise<void> {
  if (o.json === true && o.md === true) throw usage('--json and --md exclude each other; pick one');
  const series = o.series !== undefined ? parseChoice('--series', o.series, SERIES) : undefined;
  const strategies =
    o.strategies !== undefined ? parseList('--strategies', o.strategies, STRATEGY_NAMES) : undefined;
  const scenarios =
    o.scenarios !== undefined
      ? parseList(
          '--scenarios',
          o.scenarios,
          series !== undefined ? CORPUS_SCENARIOS : SCENARIOS.map((s) => s.name),
        )
      : undefined;
  const frames: CompareFrame[] =
    o.frames !== undefined ? parseList('--frames', o.frames, FRAMES) : [...FRAMES];
  const layouts = o.layouts === undefined ? DEFAULT_LAYOUTS : parseCount('--layouts', o.layouts, 1, 1000);
  const seed = parseSeed(o.seed, DEFAULT_SEED);
  const cpus = parseCpus(o.cpus, MAX_CPUS);
  const modules = series !== undefined ? await corpusModules(series, seed) : undefined;
  const result = withProgress('compare', (bar) => {
    const common = {
      load: fixtureLoader(),
      ...(strategies ? { strategies } : {}),
      ...(scenarios ? { scenarios } : {}),
      frames,
      layouts,
      seed,
      cpus,
      meta: { command: typedCommandLine('compare') },
      onProgress: bar.update,
    };
    return modules && series !== undefined
      ? runCorpusCompare({ ...common, modules, series })
      : runCompare(common);
  });
  const out =
    o.json === true ? renderJson(result) : o.md === true ? renderMarkdown(result) : renderTable(result);
  process.stdout.write(out.endsWith('\n') ? out : out + '\n');
}

export function register(program: Command): void {
  const cmd = program
    .command('compare')
    .summary('measure every attach strategy on the same work')
    .description(
      'measure every attach strategy on the same work: attach success over seeded layouts, instructions and ' +
        'modelled cycles per traced call (minus the untraced call), argument saves, generated bytes',
    );
  listOption(cmd, '--strategies', 'strategies', STRATEGY_NAMES);
  listOption(
    cmd,
    '--scenarios',
    'scenarios',
    SCENARIOS.map((s) => s.name),
  );
  cmd.option(
    '--layouts <n>',
    'seeded address layouts per row (1 to 1000), taken in turn from kaslr, nokaslr, kaslr + 2 GiB module ' +
      `region, nokaslr + 2 GiB (default ${DEFAULT_LAYOUTS})`,
  );
  seedOption(cmd, 'the layouts (KASLR offsets, vmalloc use) and PAC keys');
  cmd.option(
    '--frames <list>',
    `frame kinds ftrace_caller saves: regs (pt_regs), args (ftrace_regs) (default ${FRAMES.join(',')})`,
  );
  cpusOption(cmd, MAX_CPUS, 'CPUs of each emulated machine; the call runs on CPU 0')
    .option('--json', 'print the result as JSON (for scripts)')
    .option('--md', 'print the result as Markdown tables (for the README)')
    .option(
      '--series <series>',
      `${SERIES.join(' or ')}: run on the Debian module corpus (fetched on first use): ${CORPUS_MODULES} seeded ` +
        'modules with a leaf function loaded on the test kernel, one such function traced; scenarios ' +
        'ftrace-op and direct only (a counting direct trampoline stands in for the BPF trampoline, a counting op ' +
        'for ops: the strategies attach BPF to test-kernel functions only); callops needs 6.12',
    )
    .addHelpText(
      'after',
      '\nScenarios:\n' +
        SCENARIOS.map((s) => `  ${s.name.padEnd(15)} ${s.description}`).join('\n') +
        '\n\nColumns: attach = share of layouts where the attach succeeded (errno otherwise); Δ insns / Δ cycles =\n' +
        'traced minus untraced call, mean (min–max) over the layouts where it attached; arg saves = how many\n' +
        'times the argument values were stored on the way, found by value provenance; code bytes = code and data\n' +
        'the attach allocated; stages = share of the Δ cycles per stage of the path.',
    );
  examples(
    cmd,
    [
      'tramp64 compare',
      'tramp64 compare --strategies patchsite,callops --scenarios fentry --layouts 16 --seed 7',
      'tramp64 compare --frames args --json > compare.json',
      'tramp64 compare --md > compare.md',
      'tramp64 compare --series 6.12 --layouts 4',
    ],
    'Same options, same seed → identical output. A progress bar is drawn on stderr when it is a terminal.\n' +
      'Exit codes: 0 printed, 2 bad input (unknown strategy, scenario or frame, a bad number, --json with --md,\n' +
      'no usable corpus module).',
  ).action((o: CompareCliOptions) => compareCommand(o));
}
