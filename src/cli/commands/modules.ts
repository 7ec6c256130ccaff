/**
 * `tramp64 modules fetch|list`: the Debian arm64 module corpora (see ../corpus.ts). `fetch` downloads and
 * caches a series and prints its exact package version and call-site figures; `list` prints one line per
 * module: name, size, .text size and the number of ftrace call sites (`__patchable_function_entries`
 * entries, one 8-byte pointer each).
 */
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { parseElf } from '../../elf/index.js';
import {
  ensureCorpus,
  moduleName,
  readModule,
  SERIES,
  CorpusError,
  type Corpus,
  type Series,
} from '../corpus.js';
import { examples } from '../options.js';

/** The figures SPEC.md quotes, to say when the newest package differs from the one they were taken from. */
const REFERENCE: Record<
  Series,
  { kernelRelease: string; modules: number; withSites?: number; sites: number }
> = {
  '6.1': { kernelRelease: '6.1.0-50-cloud-arm64', modules: 992, withSites: 981, sites: 44_765 },
  '6.12': { kernelRelease: '6.12.117+deb12-cloud-arm64', modules: 1083, sites: 52_835 },
};

export interface ModuleInfo {
  name: string;
  /** Path below the corpus folder, e.g. kernel/net/ipv4/tcp_bbr.ko. */
  path: string;
  /** Size of the (decompressed) ELF file in bytes. */
  size: number;
  /** Size of the `.text` section (0 if there is none). */
  textSize: number;
  /** Entries of all `__patchable_function_entries` sections (section size / 8). */
  callSites: number;
}

export interface SeriesSummary {
  series: Series;
  package: string;
  version: string;
  kernelRelease: string;
  dir: string;
  cached: boolean;
  modules: number;
  modulesWithCallSites: number;
  callSites: number;
}

function parseSeries(value: string): Series[] {
  if (value === 'all') return [...SERIES];
  if ((SERIES as readonly string[]).includes(value)) return [value as Series];
  throw new CorpusError(`--series must be ${SERIES.join(', ')} or all, got '${value}'`);
}

/** Per-module figures of a corpus, with a progress bar on a terminal. */
export function inspectCorpus(corpus: Corpus, showBar = false): ModuleInfo[] {
  const bar = showBar
    ? new SingleBar(
        { format: `inspect ${corpus.series} [{bar}] {value}/{total}`, hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(corpus.modules.length, 0);
  const out: ModuleInfo[] = [];
  try {
    for (const file of corpus.modules) {
      const bytes = readModule(file);
      const elf = parseElf(bytes);
      let callSites = 0;
      for (const s of elf.sections)
        if (s.name === '__patchable_function_entries') callSites += Math.floor(s.size / 8);
      out.push({
        name: moduleName(file),
        path: file.slice(corpus.dir.length + 1),
        size: bytes.length,
        textSize: elf.sectionByName('.text')?.size ?? 0,
        callSites,
      });
      bar?.increment();
    }
  } finally {
    bar?.stop();
  }
  return out;
}

export function summarize(corpus: Corpus, mods: readonly ModuleInfo[]): SeriesSummary {
  return {
    series: corpus.series,
    package: corpus.package,
    version: corpus.version,
    kernelRelease: corpus.kernelRelease,
    dir: corpus.dir,
    cached: corpus.cached,
    modules: mods.length,
    modulesWithCallSites: mods.filter((m) => m.callSites > 0).length,
    callSites: mods.reduce((n, m) => n + m.callSites, 0),
  };
}

function describe(s: SeriesSummary): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `${s.series}: ${s.package} ${s.version} (${s.kernelRelease}) ${s.cached ? 'cached' : 'fetched'} in ${s.dir}`,
    `  ${n(s.modules)} modules, ${n(s.modulesWithCallSites)} with __patchable_function_entries, ${n(s.callSites)} call sites`,
  ];
  const ref = REFERENCE[s.series];
  if (s.kernelRelease !== ref.kernelRelease) {
    lines.push(
      `  note: SPEC.md's figures are for ${ref.kernelRelease} (${n(ref.modules)} modules` +
        (ref.withSites ? `, ${n(ref.withSites)} with call sites` : '') +
        `, ${n(ref.sites)} call sites); the newest package is ${s.kernelRelease}`,
    );
  } else if (s.modules !== ref.modules || s.callSites !== ref.sites) {
    lines.push(
      `  note: SPEC.md expects ${n(ref.modules)} modules and ${n(ref.sites)} call sites for this release`,
    );
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  const modules = program
    .command('modules')
    .summary('Debian module corpora: fetch, list, load')
    .description(
      'The Debian arm64 cloud kernel module corpora (6.1 and 6.12): fetch them, list what they hold, load them',
    );
  examples(modules, [
    'tramp64 modules fetch --series 6.12',
    'tramp64 modules list --series 6.1 --json',
    'tramp64 modules load tcp_bbr crc32_generic --series 6.1',
  ]);

  const fetch = modules
    .command('fetch')
    .summary('download and cache a corpus series')
    .description(
      'Download the newest linux-image-*-cloud-arm64-unsigned package of a series into .cache/corpus (idempotent)',
    )
    .option('--series <series>', 'series to fetch: 6.1, 6.12 or all (default all)')
    .option('--refresh', 'look for a newer package even when one is cached')
    .option('--json', 'print the summary as JSON');
  examples(
    fetch,
    ['tramp64 modules fetch', 'tramp64 modules fetch --series 6.12 --refresh --json'],
    'Fetching runs apt-get and dpkg-deb (Debian tools, root). Exit codes: 0 fetched or cached, 2 bad input\n' +
      'or a failed download (the message says which step failed).',
  ).action(async (opts: { series?: string; refresh?: boolean; json?: boolean }) => {
    const tty = process.stdout.isTTY === true && !opts.json;
    const out: SeriesSummary[] = [];
    for (const series of parseSeries(opts.series ?? 'all')) {
      const corpus = await ensureCorpus(series, { refresh: opts.refresh === true, progress: tty });
      const summary = summarize(corpus, inspectCorpus(corpus, tty));
      out.push(summary);
      if (!opts.json) process.stdout.write(describe(summary) + '\n');
    }
    if (opts.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  });

  const list = modules
    .command('list')
    .summary('per module: size, .text, ftrace call sites')
    .description(
      'Per module: name, size, .text size and ftrace call sites (__patchable_function_entries entries)',
    )
    .option('--series <series>', 'series to list: 6.1, 6.12 or all (default all)')
    .option(
      '--json',
      'print JSON: [{ series, package, version, modules: [{ name, path, size, textSize, callSites }] }]',
    );
  examples(
    list,
    ['tramp64 modules list --series 6.1', "tramp64 modules list --json | jq '.[].callSites'"],
    'The corpus is fetched first when it is not cached. Exit codes: 0 listed, 2 bad input.',
  ).action(async (opts: { series?: string; json?: boolean }) => {
    const tty = process.stdout.isTTY === true && !opts.json;
    const json: unknown[] = [];
    for (const series of parseSeries(opts.series ?? 'all')) {
      const corpus = await ensureCorpus(series, { progress: tty });
      const mods = inspectCorpus(corpus, tty);
      if (opts.json) {
        json.push({ ...summarize(corpus, mods), modules: mods });
        continue;
      }
      const width = Math.max(6, ...mods.map((m) => m.name.length));
      const rows = [
        `# ${describe(summarize(corpus, mods)).replace(/\n/g, '\n#')}`,
        `${'module'.padEnd(width)} ${'size'.padStart(9)} ${'.text'.padStart(9)} ${'sites'.padStart(6)}`,
        ...mods.map(
          (m) =>
            `${m.name.padEnd(width)} ${String(m.size).padStart(9)} ${String(m.textSize).padStart(9)} ${String(m.callSites).padStart(6)}`,
        ),
      ];
      process.stdout.write(rows.join('\n') + '\n');
    }
    if (opts.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  });
}
