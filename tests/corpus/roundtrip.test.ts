/**
 * Round trip over the corpus (issue acceptance): for every distinct decodable instruction word of the
 * Debian 6.1 corpus, assemble(disassemble(w)) == w whenever llvm-mc assembles our text back to w as well
 * (llvm-mc, not our code, decides which texts are ambiguous).
 */
import { describe, expect, test } from 'vitest';
import { assembleOne, decode } from '../../src/a64/index.js';
import { printDecoded } from '../../src/a64/print.js';
import { ensureCorpus, readModule } from '../../src/cli/corpus.js';
import { ELF, parseElf } from '../../src/elf/index.js';
import { llvmAssemble } from '../helpers/llvm.js';

describe('corpus round trip', () => {
  test('assemble(disassemble(w)) == w for every distinct word llvm-mc round-trips', async () => {
    const corpus = await ensureCorpus('6.1');
    const words = new Set<number>();
    for (const f of corpus.modules) {
      const elf = parseElf(readModule(f));
      for (const s of elf.sections) {
        if (!(s.flags & ELF.SHF_EXECINSTR) || s.type !== ELF.SHT_PROGBITS) continue;
        const d = elf.sectionData(s);
        const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
        for (let i = 0; i + 4 <= d.length; i += 4) words.add(v.getUint32(i, true));
      }
    }
    const list = [...words].filter((w) => decode(w) !== undefined);
    const texts = list.map((w) => printDecoded(decode(w)!).split(' //')[0]!);
    let checked = 0;
    const bad: string[] = [];
    const BATCH = 50_000;
    for (let i = 0; i < list.length; i += BATCH) {
      const theirs = llvmAssemble(texts.slice(i, i + BATCH));
      theirs.forEach((t, k) => {
        const w = list[i + k]!;
        if (!('word' in t) || t.word !== w) return;
        checked++;
        let ours: number | string;
        try {
          ours = assembleOne(texts[i + k]!);
        } catch (e) {
          ours = String(e);
        }
        if (ours !== w && bad.length < 20)
          bad.push(
            `${texts[i + k]}: want ${w.toString(16)}, got ${typeof ours === 'number' ? ours.toString(16) : ours}`,
          );
      });
    }
    console.log(
      `corpus round trip: ${words.size} distinct words, ${list.length} decodable, ${checked} round-tripped by llvm-mc`,
    );
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(0.9 * list.length);
  }, 900_000);
});
