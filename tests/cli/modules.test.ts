/**
 * `tramp64 modules fetch|list|load` as a user runs them: spawned processes. Bad input is refused before
 * any download (so these cases run anywhere); the load case uses the cached 6.1 corpus and is skipped,
 * saying so, when it has not been fetched (`tramp64 modules fetch --series 6.1` fetches it).
 * The fetch and list figures themselves are checked against the ELF files in tests/corpus/corpus.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CORPUS_FETCH_TIMEOUT, fetchCorpus } from '../helpers/corpus.js';
import { parseElf } from '../../src/elf/index.js';
import { ROOT, tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command();
const CORPUS_61 = join(ROOT, '.cache/corpus/6.1');
const stderrOf = (r: { stderr: string }): string => r.stderr.replace(/^npm warn .*\n/gm, '');

describe('tramp64 modules: bad input exits 2 before anything is fetched', () => {
  test('fetch and list refuse an unknown series, naming the ones there are', () => {
    for (const cmd of ['fetch', 'list']) {
      const r = tramp64('modules', cmd, '--series', '5.10');
      expect(r.status).toBe(2);
      expect(stderrOf(r)).toBe("tramp64: --series must be 6.1, 6.12 or all, got '5.10'\n");
    }
  });

  test('load: unknown series, bad layout or seed, no module named', () => {
    const series = tramp64('modules', 'load', 'tcp_bbr', '--series', 'all');
    expect(series.status).toBe(2);
    expect(stderrOf(series)).toBe("tramp64: --series must be 6.1 or 6.12, got 'all'\n");
    const seed = tramp64('modules', 'load', 'tcp_bbr', '--seed', '0x10');
    expect(seed.status).toBe(2);
    expect(stderrOf(seed)).toBe("tramp64: --seed must be an integer from 0 to 4294967295, got '0x10'\n");
    const none = tramp64('modules', 'load');
    expect(none.status).toBe(2);
    expect(stderrOf(none)).toBe(
      'tramp64: name the modules to load (see tramp64 modules list), or pass --all\n',
    );
  });
});

describe('tramp64 modules load (the 6.1 corpus)', () => {
  beforeAll(() => fetchCorpus('6.1'), CORPUS_FETCH_TIMEOUT);
  test('--json: one row per module, call sites as the ELF counts them; an unknown module exits 2', () => {
    const r = tramp64(
      'modules',
      'load',
      'tcp_bbr',
      'crc32_generic',
      '--layout',
      'nokaslr',
      '--seed',
      '3',
      '--json',
    );
    expect(stderrOf(r)).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      series: string;
      layout: { kind: string; seed: number };
      modules: { name: string; callSites: number; plts: number }[];
    };
    expect(out.series).toBe('6.1');
    expect(out.layout).toMatchObject({ kind: 'nokaslr', seed: 3 });
    expect(out.modules.map((m) => m.name).sort()).toEqual(['crc32_generic', 'tcp_bbr']);
    // Oracle: the module files' __patchable_function_entries, one 8-byte pointer per call site.
    const version = readdirSync(CORPUS_61).find((v) => existsSync(join(CORPUS_61, v, 'corpus.json')))!;
    const ko = { tcp_bbr: 'kernel/net/ipv4/tcp_bbr.ko', crc32_generic: 'kernel/crypto/crc32_generic.ko' };
    for (const m of out.modules) {
      const elf = parseElf(
        new Uint8Array(readFileSync(join(CORPUS_61, version, ko[m.name as keyof typeof ko]))),
      );
      const sites = elf.sections
        .filter((s) => s.name === '__patchable_function_entries')
        .reduce((n, s) => n + s.size / 8, 0);
      expect(m.callSites).toBe(sites);
    }
    expect(out.modules.find((m) => m.name === 'tcp_bbr')!.callSites).toBeGreaterThan(0);
    const bad = tramp64('modules', 'load', 'no_such_module');
    expect(bad.status).toBe(2);
    expect(stderrOf(bad)).toMatch(
      /^tramp64: no module no_such_module in the 6\.1 corpus \(.+\); see tramp64 modules list\n$/,
    );
  }, 120_000);
});
