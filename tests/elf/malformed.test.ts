/** Runs tests/elf/data/malformed.txt: each case must raise exactly its ElfError code and message. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElfError, parseElf, type ElfFile } from '../../src/elf/index.js';
import { FIELDS, poke, sampleObject } from './build.js';

interface Case {
  name: string;
  steps: string[];
  code: string;
  message: string;
}

function loadCases(): Case[] {
  const text = readFileSync(new URL('./data/malformed.txt', import.meta.url), 'utf8');
  const cases: Case[] = [];
  let cur: Case | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('== ')) {
      cur = { name: line.slice(3), steps: [], code: '', message: '' };
      cases.push(cur);
    } else if (!cur) {
      throw new Error(`malformed.txt: '${line}' before the first case`);
    } else if (line.startsWith('error: ')) {
      const m = /^error: (\S+) (.*)$/.exec(line)!;
      cur.code = m[1]!;
      cur.message = m[2]!;
    } else {
      cur.steps.push(line);
    }
  }
  for (const c of cases) if (!c.code) throw new Error(`malformed.txt: case '${c.name}' has no error line`);
  return cases;
}

function apply(c: Case): () => unknown {
  const built = sampleObject();
  let bytes = built.bytes;
  let call = (elf: ElfFile): unknown => elf;
  const sectionOf = (elf: ElfFile, name: string) => {
    const s = elf.sectionByName(name);
    if (!s) throw new Error(`case '${c.name}': no section ${name}`);
    return s;
  };
  for (const step of c.steps) {
    let m: RegExpExecArray | null;
    if ((m = /^truncate (\S+)$/.exec(step))) {
      bytes = bytes.slice(0, Number(m[1]));
    } else if ((m = /^set (ehdr|shdr|sym|rela)(?:\[(\d+)\])?\.(\S+) = (\S+)$/.exec(step))) {
      const kind = m[1] as keyof typeof FIELDS;
      const field = (FIELDS[kind] as Record<string, readonly [number, number]>)[m[3]!];
      if (!field) throw new Error(`case '${c.name}': no field ${kind}.${m[3]}`);
      const i = Number(m[2] ?? 0);
      const base =
        kind === 'ehdr'
          ? 0
          : kind === 'shdr'
            ? built.shdr(i)
            : kind === 'sym'
              ? built.dataOffset('.symtab') + i * 24
              : kind === 'rela'
                ? built.dataOffset('.rela.text') + i * 24
                : NaN;
      poke(bytes, base + field[0], field[1], BigInt(m[4]!));
    } else if ((m = /^call (.*)$/.exec(step))) {
      const [what, sec, arg] = m[1]!.split(' ');
      if (what === 'parse') call = (elf) => elf;
      else if (what === 'symbols') call = (elf) => elf.symbolsOf(sectionOf(elf, sec!));
      else if (what === 'relocations') call = (elf) => elf.relocationsOf(sectionOf(elf, sec!));
      else if (what === 'relocationsFor') call = (elf) => elf.relocationsFor(sectionOf(elf, sec!));
      else if (what === 'string') call = (elf) => elf.stringAt(sectionOf(elf, sec!), Number(arg));
      else throw new Error(`case '${c.name}': unknown call ${what}`);
    } else {
      throw new Error(`case '${c.name}': unknown directive '${step}'`);
    }
  }
  return () => call(parseElf(bytes));
}

describe('malformed ELF files (tests/elf/data/malformed.txt)', () => {
  const cases = loadCases();
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = apply(c);
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ElfError);
    expect({ code: (err as ElfError).code, message: (err as ElfError).message }).toEqual({
      code: c.code,
      message: c.message,
    });
  });
});
