/**
 * The module corpora: fetching is idempotent, `.ko.xz` decompression agrees with the `xz` tool, the call-site
 * figures match SPEC.md's for the releases they were taken from, and every `__patchable_function_entries`
 * entry points where the compiler flags say: at a function's entry for 6.1 (`-fpatchable-function-entry=2`),
 * 8 bytes before it for 6.12 (`=4,2`, CALL_OPS: two NOPs before the entry hold the ops literal).
 * `tramp64 modules fetch|list` is run through its commander registration.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inspectCorpus, register, summarize, type SeriesSummary } from '../../src/cli/commands/modules.js';
import { ensureCorpus, moduleName, readModule, SERIES, type Series } from '../../src/cli/corpus.js';
import { parseElf } from '../../src/elf/index.js';

/** Figures per kernel release (SPEC.md's, and those found for newer packages when they were added). */
const KNOWN: Record<string, { modules: number; withSites: number; sites: number }> = {
  '6.1.0-50-cloud-arm64': { modules: 992, withSites: 981, sites: 44_765 },
  '6.1.0-56-cloud-arm64': { modules: 992, withSites: 981, sites: 44_881 },
  '6.12.117+deb12-cloud-arm64': { modules: 1083, withSites: 1071, sites: 52_835 },
};
const SITE_BEFORE_ENTRY: Record<Series, bigint> = { '6.1': 0n, '6.12': 8n };

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(SERIES)('corpus %s', (series) => {
  it('is fetched once, then served from the cache without apt', async () => {
    const first = await ensureCorpus(series);
    const log: string[] = [];
    const second = await ensureCorpus(series, { log: (l) => log.push(l) });
    expect(second.cached).toBe(true);
    expect(log).toEqual([]);
    expect(second).toEqual({ ...first, cached: true });
    expect(existsSync(`${second.dir}/corpus.json`)).toBe(true);
    const ext = series === '6.1' ? /\.ko$/ : /\.ko\.xz$/;
    expect(second.modules.every((m) => ext.test(m) && m.startsWith(`${second.dir}/kernel/`))).toBe(true);
    expect([...second.modules].sort()).toEqual(second.modules);
    expect(second.package).toMatch(
      series === '6.1'
        ? /^linux-image-6\.1\.0-\d+-cloud-arm64-unsigned$/
        : /^linux-image-6\.12\.\d+\+deb12-cloud-arm64-unsigned$/,
    );
    console.log(
      `corpus ${series}: ${second.package} ${second.version} (${second.kernelRelease}), ${second.modules.length} modules`,
    );
  }, 600_000);

  it('decompresses like the xz tool', async () => {
    const corpus = await ensureCorpus(series);
    for (const path of corpus.modules.filter((_, i) => i % 100 === 0)) {
      const ours = readModule(path);
      if (path.endsWith('.xz')) {
        const r = spawnSync('xz', ['-dc', path], { maxBuffer: 1 << 28 });
        expect(r.status, `xz -dc ${path}`).toBe(0);
        expect(Buffer.compare(Buffer.from(ours), r.stdout), path).toBe(0);
      } else {
        expect(Buffer.compare(Buffer.from(ours), readFileSync(path)), path).toBe(0);
      }
      expect(moduleName(path)).toMatch(/^[\w-]+$/);
    }
  });

  it('has the call-site figures of its release, and every site is at the expected place', async () => {
    const corpus = await ensureCorpus(series);
    const summary = summarize(corpus, inspectCorpus(corpus));
    console.log(
      `corpus ${series} ${corpus.kernelRelease}: ${summary.modules} modules, ${summary.modulesWithCallSites} with __patchable_function_entries, ${summary.callSites} call sites`,
    );
    const known = KNOWN[corpus.kernelRelease];
    if (known) {
      expect({
        modules: summary.modules,
        withSites: summary.modulesWithCallSites,
        sites: summary.callSites,
      }).toEqual(known);
    } else {
      console.log(
        `corpus ${series}: ${corpus.kernelRelease} is newer than the figures in this test; add them to KNOWN`,
      );
      expect(summary.modulesWithCallSites).toBeGreaterThan(summary.modules * 0.95);
    }
    let sites = 0;
    const misplaced: string[] = [];
    for (const path of corpus.modules) {
      const elf = parseElf(readModule(path));
      for (const pfe of elf.sections.filter((s) => s.name === '__patchable_function_entries')) {
        const rels = elf.relocationsFor(pfe);
        if (rels.length * 8 !== pfe.size)
          misplaced.push(`${path}: ${rels.length} relocations for ${pfe.size / 8} entries`);
        for (const r of rels) {
          sites++;
          const entry = r.symbol!.value + r.addend + SITE_BEFORE_ENTRY[series];
          const f = elf.functionAt(entry, r.symbol!.shndx);
          if (r.typeName !== 'R_AARCH64_ABS64' || f?.value !== entry) {
            if (misplaced.length < 10)
              misplaced.push(
                `${path}: entry ${r.index} (${r.typeName} ${r.symbol!.name}+${r.addend}) → ${f?.name ?? 'no function'}`,
              );
          }
        }
      }
    }
    expect(misplaced).toEqual([]);
    expect(sites).toBe(summary.callSites);
  }, 600_000);
});

describe('tramp64 modules', () => {
  async function run(args: string[]): Promise<string> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(['node', 'tramp64', ...args]);
    vi.restoreAllMocks();
    return out;
  }

  it('fetch --json prints the exact versions and figures of both series', async () => {
    const summaries = JSON.parse(await run(['modules', 'fetch', '--json'])) as SeriesSummary[];
    expect(summaries.map((s) => s.series)).toEqual(['6.1', '6.12']);
    for (const s of summaries) {
      const c = await ensureCorpus(s.series);
      expect(s).toMatchObject({
        package: c.package,
        version: c.version,
        kernelRelease: c.kernelRelease,
        modules: c.modules.length,
        cached: true,
      });
    }
  }, 600_000);

  it('fetch prints a readable summary', async () => {
    const text = await run(['modules', 'fetch', '--series', '6.12']);
    const c = await ensureCorpus('6.12');
    expect(text).toContain(`6.12: ${c.package} ${c.version} (${c.kernelRelease}) cached in ${c.dir}`);
    expect(text).toMatch(
      /\n {2}[\d,]+ modules, [\d,]+ with __patchable_function_entries, [\d,]+ call sites\n/,
    );
  }, 600_000);

  it('list --json gives name, size, .text size and call sites per module', async () => {
    const [listing] = JSON.parse(await run(['modules', 'list', '--series', '6.1', '--json'])) as {
      modules: { name: string; path: string; size: number; textSize: number; callSites: number }[];
    }[];
    const c = await ensureCorpus('6.1');
    expect(listing!.modules.length).toBe(c.modules.length);
    const m = listing!.modules.find((x) => x.path.endsWith('/tcp_bbr.ko')) ?? listing!.modules[0]!;
    const elf = parseElf(readModule(`${c.dir}/${m.path}`));
    expect(m.size).toBe(readModule(`${c.dir}/${m.path}`).length);
    expect(m.textSize).toBe(elf.sectionByName('.text')!.size);
    expect(m.callSites).toBe((elf.sectionByName('__patchable_function_entries')?.size ?? 0) / 8);
  }, 600_000);

  it('rejects an unknown series with a typed error', async () => {
    await expect(run(['modules', 'fetch', '--series', '5.10'])).rejects.toThrow(
      /--series must be 6\.1, 6\.12 or all, got '5\.10'/,
    );
  });
});
