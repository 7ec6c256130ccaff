/**
 * `tramp64 compare`: the seed thread's debate, measured (tramp64 issue 11) — every attach strategy ×
 * scenario × seeded layout × frame kind on the built-in test kernel, printed as a table with a one-line
 * verdict per scenario, `--json` for scripts or `--md` for the README. A thin shell over
 * src/scenario/compare.ts: this file parses options, reads the fixture objects, draws the progress bar
 * (stderr, only on a TTY, so piped output is the table alone) and prints.
 *
 * `--series 6.1|6.12` runs the smaller corpus variant instead (runCorpusCompare): a few seeded modules of
 * the Debian corpus loaded on each strategy's kernel and one of their leaf functions traced.
 *
 * The output is a function of the options: the same seed gives byte-identical output (the command line and
 * seed are printed in its first line so a reader can rerun it).
 *
 * Exit codes: 0 printed; 2 bad input (unknown strategy, scenario or frame, a bad number, --json with --md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { testKernelFixture, type TestKernelVariant } from '../../kernel/testkernel.js';
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
import { STRATEGIES } from '../../trampoline/strategies/index.js';
import { Tramp64Error } from '../../util/errors.js';
import { Kernel } from '../../kernel/kernel.js';
import { loadModule, type ModuleFile } from '../../kernel/module.js';
import { Rng } from '../../util/rng.js';
import { ensureCorpus, moduleName, readModule, repoRoot, SERIES, type Series } from '../corpus.js';

interface CompareCliOptions {
  strategies?: string;
  scenarios?: string;
  layouts: string;
  seed: string;
  cpus: string;
  frames: string;
  json?: boolean;
  md?: boolean;
  series?: string;
}

const usage = (msg: string): Tramp64Error => new Tramp64Error('EINVAL', msg);

/** A positive integer option, or a usage error naming the option. */
export function intOption(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw usage(`${name} must be an integer from ${min} to ${max}, got '${text}'`);
  return Number(text);
}

/** A comma-separated list option, each item checked against `known`. */
export function listOption(name: string, text: string, known: readonly string[]): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw usage(`${name} must be a comma-separated list of ${known.join(', ')}, got '${text}'`);
  for (const i of items)
    if (!known.includes(i))
      throw usage(
        `${name} must be a comma-separated list of ${known.join(', ')} (unknown: ${i}), got '${text}'`,
      );
  return items;
}

/** Test-kernel fixture bytes by variant, read once. */
export function fixtureLoader(): (v: TestKernelVariant) => Uint8Array {
  const root = repoRoot();
  const cache = new Map<TestKernelVariant, Uint8Array>();
  return (v) => {
    let b = cache.get(v);
    if (!b) {
      b = new Uint8Array(readFileSync(join(root, testKernelFixture(v))));
      cache.set(v, b);
    }
    return b;
  };
}

/** A progress bar on stderr when it is a terminal; otherwise nothing. */
export function progressBar(label: string): {
  update: (done: number, total: number, what: string) => void;
  stop: () => void;
} {
  if (process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {what}`,
      hideCursor: true,
      stream: process.stderr,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, what) {
      if (!started) {
        bar.start(total, 0, { what });
        started = true;
      }
      bar.update(done, { what });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

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

async function compareCommand(o: CompareCliOptions, argv: readonly string[]): Promise<void> {
  if (o.json === true && o.md === true) throw usage('--json and --md exclude each other; pick one');
  const strategies =
    o.strategies !== undefined
      ? listOption(
          '--strategies',
          o.strategies,
          STRATEGIES.map((s) => s.name),
        )
      : undefined;
  const scenarios =
    o.scenarios !== undefined
      ? listOption(
          '--scenarios',
          o.scenarios,
          o.series !== undefined ? CORPUS_SCENARIOS : SCENARIOS.map((s) => s.name),
        )
      : undefined;
  const frames = listOption('--frames', o.frames, FRAMES) as CompareFrame[];
  const layouts = intOption('--layouts', o.layouts, 1, 1000);
  const seed = intOption('--seed', o.seed, 0, 0xffff_ffff);
  const cpus = intOption('--cpus', o.cpus, 1, 64);
  if (o.series !== undefined && !(SERIES as readonly string[]).includes(o.series))
    throw usage(`--series must be ${SERIES.join(' or ')}, got '${o.series}'`);
  const modules = o.series !== undefined ? await corpusModules(o.series as Series, seed) : undefined;
  const bar = progressBar('compare');
  let result;
  try {
    const common = {
      load: fixtureLoader(),
      ...(strategies ? { strategies } : {}),
      ...(scenarios ? { scenarios } : {}),
      frames,
      layouts,
      seed,
      cpus,
      meta: { command: ['tramp64', ...argv].join(' ') },
      onProgress: (d: number, t: number, w: string) => bar.update(d, t, w),
    };
    result = modules ? runCorpusCompare({ ...common, modules, series: o.series! }) : runCompare(common);
  } finally {
    bar.stop();
  }
  const out =
    o.json === true ? renderJson(result) : o.md === true ? renderMarkdown(result) : renderTable(result);
  process.stdout.write(out.endsWith('\n') ? out : out + '\n');
}

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'measure every attach strategy on the same work: attach success over seeded layouts, instructions and\n' +
        'modelled cycles per traced call (minus the untraced call), argument saves, generated bytes',
    )
    .option(
      '--strategies <list>',
      `comma-separated strategies (default all: ${STRATEGIES.map((s) => s.name).join(', ')})`,
    )
    .option(
      '--scenarios <list>',
      `comma-separated scenarios (default all: ${SCENARIOS.map((s) => s.name).join(', ')})`,
    )
    .option(
      '--layouts <n>',
      'seeded address layouts per row, taken in turn from kaslr, nokaslr, kaslr + 2 GiB module region, nokaslr + 2 GiB',
      String(DEFAULT_LAYOUTS),
    )
    .option(
      '--seed <n>',
      'seed of the layouts (KASLR offsets, vmalloc use) and PAC keys',
      String(DEFAULT_SEED),
    )
    .option(
      '--frames <list>',
      'frame kinds ftrace_caller saves: regs (pt_regs), args (ftrace_regs)',
      FRAMES.join(','),
    )
    .option('--cpus <n>', 'CPUs of each emulated machine (the call runs on CPU 0)', '1')
    .option('--json', 'print the result as JSON (for scripts)')
    .option('--md', 'print the result as Markdown tables (for the README)')
    .option(
      '--series <6.1|6.12>',
      `run on the Debian module corpus (fetched on first use): ${CORPUS_MODULES} seeded modules with a leaf function\n` +
        'loaded on the test kernel, one such function traced; scenarios ftrace-op and direct only (a\n' +
        'counting direct trampoline stands in for the BPF trampoline, a counting op for ops: the strategies attach\n' +
        'BPF to test-kernel functions only); callops needs 6.12',
    )
    .addHelpText(
      'after',
      '\nScenarios:\n' +
        SCENARIOS.map((s) => `  ${s.name.padEnd(15)} ${s.description}`).join('\n') +
        '\n\nColumns: attach = share of layouts where the attach succeeded (errno otherwise); Δ insns / Δ cycles =\n' +
        'traced minus untraced call, mean (min–max) over the layouts where it attached; arg saves = how many\n' +
        'times the argument values were stored on the way, found by value provenance; code bytes = code and data\n' +
        'the attach allocated; stages = share of the Δ cycles per stage of the path.\n' +
        '\nExamples:\n' +
        '  tramp64 compare\n' +
        '  tramp64 compare --strategies patchsite,callops --scenarios fentry --layouts 16 --seed 7\n' +
        '  tramp64 compare --frames args --json > compare.json\n' +
        '  tramp64 compare --md > compare.md\n' +
        '  tramp64 compare --series 6.12 --layouts 4\n' +
        '\nSame options, same seed → identical output. Exit codes: 0 printed, 2 bad input.',
    )
    .action((o: CompareCliOptions) => compareCommand(o, ['compare', ...typedArgs('compare')]));
}

/** The command line as typed after the command name (echoed in the output's first line). */
export function typedArgs(name: string): string[] {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv.slice(i + 1) : [];
}
