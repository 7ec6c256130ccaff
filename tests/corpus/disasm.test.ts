/**
 * The corpus acceptance of the A64 issue: over every `.text` instruction of every module of both Debian
 * corpora, our disassembly equals `llvm-objdump -d --no-show-raw-insn` with the reference flags, line for
 * line — 100 % for integer, load/store, branch and system words, ≥ 99 % of all words.
 */
import { describe, expect, test } from 'vitest';
import { ensureCorpus, type Series } from '../../src/cli/corpus.js';
import { compareCorpus } from '../../src/cli/corpus-disasm.js';

describe.each(['6.1', '6.12'] as Series[])('corpus %s disassembly vs llvm-objdump', (series) => {
  test('every instruction line matches', async () => {
    const corpus = await ensureCorpus(series);
    const rep = compareCorpus(corpus.modules);
    console.log(
      `corpus ${series}: ${rep.files} modules, ${rep.words} words, ${rep.match} match; integer ${rep.integerMatch}/${rep.integerWords}`,
    );
    expect(rep.files).toBe(corpus.modules.length);
    expect(rep.examples.filter((e) => !e.includes('<')).slice(0, 10)).toEqual([]);
    expect(rep.integerMatch).toBe(rep.integerWords);
    expect(rep.match / rep.words).toBeGreaterThanOrEqual(0.99);
  }, 600_000);
});
