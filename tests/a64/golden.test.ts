/**
 * Golden files in LLVM's own format (tests/golden/a64/*.golden, made by `npm run golden` from the .s file
 * beside each): every line's instruction must assemble to LLVM's encoding with our assembler, and that
 * encoding must print as LLVM's text with our printer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assembleOne, disassemble } from '../../src/a64/index.js';
import { norm } from '../helpers/llvm.js';

const dir = join(import.meta.dirname, '..', 'golden', 'a64');
const files = readdirSync(dir).filter((n) => n.endsWith('.golden'));

describe.each(files)('%s', (file) => {
  const lines = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  const cases = lines.map((l) => {
    const m = /^(.*?)\s*\/\/ encoding: \[([^\]]*)\](.*)$/.exec(l)!;
    const word = m[2]!.split(',').reduce((w, b, i) => (w | (parseInt(b, 16) << (8 * i))) >>> 0, 0);
    return { text: norm(m[1]!), word };
  });
  test('assembles to llvm-mc encodings', () => {
    const bad = cases.filter((c) => {
      try {
        return assembleOne(c.text) !== c.word;
      } catch {
        return true;
      }
    });
    expect(bad.map((c) => c.text)).toEqual([]);
  });
  test('prints as llvm-mc text', () => {
    // llvm-mc echoes the input spelling for --show-encoding; the printed form is checked where they agree.
    const bad = cases.filter((c) => norm((disassemble(c.word) ?? '<undefined>').split(' //')[0]!) !== c.text);
    expect(bad.map((c) => `${c.text} -> ${disassemble(c.word)}`)).toEqual([]);
  });
});
