/**
 * `tramp64 modules load`: load Debian corpus modules into one model kernel (src/kernel/module.ts) and print,
 * per module, its size, the PLT veneers it needed and the ftrace call sites found; `--json` adds the totals
 * (relocations by type, PLTs, call sites, how undefined symbols resolved). Registered on the `modules`
 * command that commands/modules.ts creates (or creates it when that file is absent).
 */
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { Kernel } from '../../kernel/kernel.js';
import { loadModules, type Module, type ModuleFile } from '../../kernel/module.js';
import { CorpusError, ensureCorpus, moduleName, readModule, SERIES, type Series } from '../corpus.js';
import { examples, layoutOption, parseLayout, parseSeed, seedOption } from '../options.js';

interface LoadOpts {
  series?: string;
  all?: boolean;
  layout?: string;
  seed?: string;
  full?: boolean;
  json?: boolean;
}

function moduleRow(m: Module): {
  name: string;
  size: number;
  plts: number;
  callSites: number;
  relocations: number;
} {
  return {
    name: m.name,
    size: m.size,
    plts: m.pltsUsed,
    callSites: m.callSites.length,
    relocations: m.relocationCount,
  };
}

export function register(program: Command): void {
  const modules =
    program.commands.find((c) => c.name() === 'modules') ??
    program.command('modules').description('The Debian arm64 cloud kernel module corpora (6.1 and 6.12)');

  const cmd = modules
    .command('load')
    .summary('load corpus modules into a model kernel')
    .description('Load corpus modules into one model kernel: per module size, PLTs used, call sites found')
    .argument('[names...]', 'module names (file name without .ko / .ko.xz)')
    .option('--series <series>', `series to load: ${SERIES.join(' or ')} (default 6.1)`)
    .option('--all', 'load every module of the series');
  layoutOption(cmd, 'kaslr', 'where modules land is what KASLR randomises');
  seedOption(cmd, 'the layout (KASLR offset, module windows)');
  cmd
    .option('--full', 'CONFIG_RANDOMIZE_MODULE_REGION_FULL: always the 2 GiB module window (PLTs)')
    .option(
      '--json',
      'print JSON: { series, version, layout, modules: [{ name, size, plts, callSites, relocations }], totals }',
    );
  examples(
    cmd,
    [
      'tramp64 modules load tcp_bbr crc32_generic',
      'tramp64 modules load --all --series 6.12 --layout nokaslr --json',
      'tramp64 modules load --all --full --seed 4   # every module in the 2 GiB window, with PLTs',
    ],
    'The corpus is fetched first when it is not cached. Exit codes: 0 loaded, 2 bad input (unknown series,\n' +
      'module or option; a module the loader refuses).',
  ).action(async (names: string[], opts: LoadOpts) => {
    const series = opts.series ?? '6.1';
    if (!(SERIES as readonly string[]).includes(series))
      throw new CorpusError(`--series must be ${SERIES.join(' or ')}, got '${series}'`);
    const layout = parseLayout(opts.layout, 'kaslr');
    const seed = parseSeed(opts.seed);
    if (!opts.all && names.length === 0)
      throw new CorpusError('name the modules to load (see tramp64 modules list), or pass --all');
    const corpus = await ensureCorpus(series as Series, {
      progress: process.stdout.isTTY === true && !opts.json,
    });
    const wanted = new Set(names.map((n) => n.replace(/\.ko(\.xz)?$/, '')));
    const paths = opts.all ? corpus.modules : corpus.modules.filter((p) => wanted.has(moduleName(p)));
    if (!opts.all) {
      const found = new Set(paths.map(moduleName));
      const missing = [...wanted].filter((n) => !found.has(n));
      if (missing.length > 0)
        throw new CorpusError(
          `no module ${missing.join(', ')} in the ${series} corpus (${corpus.kernelRelease}); see tramp64 modules list`,
        );
    }
    const files: ModuleFile[] = paths.map((p) => ({ name: moduleName(p), bytes: readModule(p) }));
    const kernel = new Kernel({
      layout: { kind: layout, seed, randomizeModuleRegionFull: opts.full === true },
    });
    const bar =
      process.stderr.isTTY === true && !opts.json
        ? new SingleBar(
            {
              format: `load ${series} [{bar}] {value}/{total} {name}`,
              hideCursor: true,
              stream: process.stderr,
            },
            Presets.shades_classic,
          )
        : undefined;
    bar?.start(files.length, 0, { name: '' });
    const t0 = performance.now();
    let result;
    try {
      result = loadModules(kernel, files, { onProgress: (p) => bar?.update(p.done, { name: p.name }) });
    } finally {
      bar?.stop();
    }
    const ms = performance.now() - t0;
    const rows = result.modules.map(moduleRow);
    const t = result.totals;
    if (opts.json) {
      process.stdout.write(
        JSON.stringify(
          {
            series,
            package: corpus.package,
            version: corpus.version,
            kernelRelease: corpus.kernelRelease,
            layout: { kind: layout, seed, randomizeModuleRegionFull: opts.full === true },
            modules: rows,
            totals: { ...t, milliseconds: Math.round(ms) },
          },
          null,
          2,
        ) + '\n',
      );
      return;
    }
    const width = Math.max(6, ...rows.map((r) => r.name.length));
    const n = (x: number): string => x.toLocaleString('en-US');
    const out = [
      `# ${corpus.package} ${corpus.version} (${corpus.kernelRelease}), layout ${layout} seed ${seed}${opts.full ? ' RANDOMIZE_MODULE_REGION_FULL' : ''}`,
      `${'module'.padEnd(width)} ${'size'.padStart(9)} ${'plts'.padStart(5)} ${'sites'.padStart(6)}`,
      ...rows.map(
        (r) =>
          `${r.name.padEnd(width)} ${String(r.size).padStart(9)} ${String(r.plts).padStart(5)} ${String(r.callSites).padStart(6)}`,
      ),
      `total: ${n(t.modules)} modules, ${n(t.bytes)} bytes, ${n(t.relocations)} relocations, ${n(t.plts)} PLTs, ` +
        `${n(t.callSites)} call sites in ${n(t.modulesWithCallSites)} modules, ${n(t.undefined.stubs)} kernel stubs; ${ms.toFixed(0)} ms`,
    ];
    process.stdout.write(out.join('\n') + '\n');
  });
}
