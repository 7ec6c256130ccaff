/**
 * The corpus disassembly check: every `.text` instruction of every module of a Debian corpus, printed by
 * our disassembler and by `llvm-objdump -d --no-show-raw-insn` with the reference flags, compared line for
 * line (address and text, whitespace-normalised; the `<sym+off>` annotation is compared separately).
 * Used by `npm run corpus:disasm` and by tests/corpus/disasm.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../a64/index.js';
import { objdump } from '../elf/disasm.js';
import { parseElf } from '../elf/index.js';
import { readModule } from './corpus.js';

export const REFERENCE_MATTR =
  '+v8.5a,+crypto,+sha3,+sm4,+lse,+pauth,+bti,+rcpc,+crc,+fullfp16,+dotprod,+rdm';

export interface MnemonicRow {
  total: number;
  match: number;
}

export interface DisasmReport {
  files: number;
  words: number;
  match: number;
  /** Words whose text matches once `<sym+off>` annotations are set aside. */
  matchText: number;
  /** Per llvm mnemonic. */
  byMnemonic: Map<string, MnemonicRow>;
  /** Matches among words that are not SIMD/FP (the 100 % target). */
  integerWords: number;
  integerMatch: number;
  examples: string[];
}

const LINE = /^\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}\s+)?(.*)$/;

function parseListing(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const l of text.split('\n')) {
    if (l.startsWith('Disassembly of section ')) section = l.slice(23, -1);
    else {
      const m = LINE.exec(l);
      if (m && !l.startsWith('\t\t')) out.set(`${section}:${m[1]}`, m[2]!.replace(/\s+/g, ' ').trim());
    }
  }
  return out;
}

const stripSym = (s: string): string => s.replace(/ <[^>]*>$/, '');

/** Whether a word belongs to the SIMD&FP classes (op0 bits 27:25 = x111, or SIMD&FP loads/stores). */
function isSimdFp(word: number): boolean {
  const d = decode(word);
  if (!d) return false;
  return (
    d.entry.cls === 'simd' ||
    d.entry.cls === 'fp' ||
    d.entry.cls === 'crypto' ||
    (((word >>> 26) & 1) === 1 && ((word >>> 25) & 0b101) === 0b100)
  );
}

export function compareCorpus(
  files: readonly string[],
  opts: { onProgress?: (done: number) => void; batch?: number } = {},
): DisasmReport {
  const rep: DisasmReport = {
    files: 0,
    words: 0,
    match: 0,
    matchText: 0,
    byMnemonic: new Map(),
    integerWords: 0,
    integerMatch: 0,
    examples: [],
  };
  const batch = opts.batch ?? 40;
  for (let i = 0; i < files.length; i += batch) {
    const group = files.slice(i, i + batch);
    const bytes = group.map((f) => readModule(f));
    // llvm-objdump reads files, so decompressed modules go through a temporary directory.
    const tmp = mkdtempSync(join(tmpdir(), 'tramp64-disasm-'));
    const paths = bytes.map((b, k) => {
      const p = join(tmp, `m${k}.ko`);
      writeFileSync(p, b);
      return p;
    });
    for (let k = 0; k < group.length; k++) {
      const r = spawnSync(
        'llvm-objdump',
        ['-d', '--no-show-raw-insn', `--mattr=${REFERENCE_MATTR}`, paths[k]!],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        },
      );
      const theirs = parseListing(r.stdout);
      const elf = parseElf(bytes[k]!);
      const ours = parseListing(objdump(elf, { fileName: 'm.ko' }));
      const textSecs = new Map(elf.sections.map((s) => [s.name, s] as const));
      for (const [key, t] of theirs) {
        if (t.startsWith('.word') || t.includes('\t.word') || /^[0-9a-f]{2} /.test(t)) continue;
        const [secName, addrHex] = key.split(':') as [string, string];
        const sec = textSecs.get(secName);
        if (!sec) continue;
        const off = parseInt(addrHex, 16) - Number(sec.addr);
        const data = elf.sectionData(sec);
        if (off + 4 > data.length) continue;
        const word = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(off, true);
        const o = ours.get(key) ?? '<missing>';
        const mn = t.split(' ')[0]!;
        const row = rep.byMnemonic.get(mn) ?? { total: 0, match: 0 };
        rep.byMnemonic.set(mn, row);
        row.total++;
        rep.words++;
        const simd = isSimdFp(word);
        if (!simd) rep.integerWords++;
        if (o === t) {
          rep.match++;
          row.match++;
          if (!simd) rep.integerMatch++;
        } else if (rep.examples.length < 50)
          rep.examples.push(
            `${group[k]} ${key} 0x${word.toString(16).padStart(8, '0')}: ours '${o}' llvm '${t}'`,
          );
        if (stripSym(o) === stripSym(t)) rep.matchText++;
      }
      rep.files++;
    }
    rmSync(tmp, { recursive: true, force: true });
    opts.onProgress?.(Math.min(i + batch, files.length));
  }
  return rep;
}
