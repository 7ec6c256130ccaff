/**
 * `tramp64 compare`: the seed thread's debate, measured (tramp64 issue 11) — every attach strategy ×
 * scenario × seeded layout × frame kind on the built-in test kernel, printed as a table with a one-line
 * verdict per scenario, `--json` for scripts or `--md` for the README. A thin shell over
 * src/scenario/compare.ts: this file parses options, reads the fixture objects, draws the progress bar
 * (stderr, only on a TTY, so piped output is the table alone) and prints.
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
import { renderJson, renderMarkdown, renderTable } from '../../scenario/render.js';
import { STRATEGIES } from '../../trampoline/strategies/index.js';
import { Tramp64Error } from '../../util/errors.js';
import { repoRoot } from '../corpus.js';

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
    throw usage(`${name} must be an integer ${min}–${max}; got '${text}'`);
  return Number(text);
}

/** A comma-separated list option, each item checked against `known`. */
export function listOption(name: string, text: string, known: readonly string[]): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw usage(`${name} is empty; give one or more of ${known.join(', ')}`);
  for (const i of items)
    if (!known.includes(i)) throw usage(`${name}: unknown '${i}'; choose from ${known.join(', ')}`);
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

function compareCommand(o: CompareCliOptions, argv: readonly string[]): void {
  if (o.json === true && o.md === true) throw usage('--json and --md exclude each other; pick one');
  if (o.series !== undefined)
    throw usage(
      `--series ${o.series}: comparing on the Debian module corpus is not available yet (the strategies attach to ` +
        'test-kernel functions only); run without --series to use the built-in test kernels, or ' +
        '`tramp64 modules` to inspect the corpus',
    );
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
          SCENARIOS.map((s) => s.name),
        )
      : undefined;
  const frames = listOption('--frames', o.frames, FRAMES) as CompareFrame[];
  const layouts = intOption('--layouts', o.layouts, 1, 1000);
  const seed = intOption('--seed', o.seed, 0, 0xffff_ffff);
  const cpus = intOption('--cpus', o.cpus, 1, 64);
  const bar = progressBar('compare');
  let result;
  try {
    result = runCompare({
      load: fixtureLoader(),
      ...(strategies ? { strategies } : {}),
      ...(scenarios ? { scenarios } : {}),
      frames,
      layouts,
      seed,
      cpus,
      meta: { command: ['tramp64', ...argv].join(' ') },
      onProgress: (d, t, w) => bar.update(d, t, w),
    });
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
      'run on the Debian module corpus instead of the test kernels (not available yet: the strategies attach to test-kernel functions only)',
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
        '\nSame options, same seed → identical output. Exit codes: 0 printed, 2 bad input.',
    )
    .action((o: CompareCliOptions) => compareCommand(o, ['compare', ...typedArgs('compare')]));
}

/** The command line as typed after the command name (echoed in the output's first line). */
export function typedArgs(name: string): string[] {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv.slice(i + 1) : [];
}
