/**
 * Every module of both corpora, parsed by our reader and by `llvm-readelf -S -s -r --wide`: section headers,
 * symbols and relocations must agree line for line (see tests/elf/readelf.ts for the canonical form).
 * llvm-readelf runs over 50 files per process; .ko.xz modules are decompressed into a temporary folder first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCorpus, readModule, SERIES } from '../../src/cli/corpus.js';
import { parseElf } from '../../src/elf/index.js';
import { llvmReadelf, ourLines } from '../elf/readelf.js';

const BATCH = 50;

describe.each(SERIES)('corpus %s', (series) => {
  it('agrees with llvm-readelf on every module', async () => {
    const corpus = await ensureCorpus(series);
    const tmp = mkdtempSync(join(tmpdir(), `tramp64-readelf-${series}-`));
    const mismatches: string[] = [];
    let lines = 0;
    try {
      for (let i = 0; i < corpus.modules.length; i += BATCH) {
        const batch = corpus.modules.slice(i, i + BATCH).map((path, k) => {
          const bytes = readModule(path);
          let file = path;
          if (path.endsWith('.xz')) {
            file = join(tmp, `${i + k}.ko`);
            writeFileSync(file, bytes);
          }
          return { path, file, bytes };
        });
        const theirs = llvmReadelf(batch.map((b) => b.file));
        for (const { path, file, bytes } of batch) {
          const ours = ourLines(parseElf(bytes));
          const t = theirs.get(file)!;
          lines += t.length;
          for (let j = 0; j < Math.max(ours.length, t.length) && mismatches.length < 20; j++) {
            if (ours[j] !== t[j])
              mismatches.push(`${path} line ${j}:\n  ours   ${ours[j]}\n  llvm   ${t[j]}`);
          }
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    console.log(
      `corpus ${series} (${corpus.version}): ${corpus.modules.length} modules, ${lines} llvm-readelf lines compared`,
    );
    expect(mismatches).toEqual([]);
    expect(lines).toBeGreaterThan(corpus.modules.length * 10);
  }, 1_200_000);
});
