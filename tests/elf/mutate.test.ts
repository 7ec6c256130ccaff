/**
 * Seeded mutation test: 10,000 mutations of real objects (the compiled fixtures, one module from each corpus
 * series and the hand-built sample) — byte flips, truncations and overwrites of header, section-header,
 * program-header, symbol and relocation fields with extreme values. Every mutant must parse and answer every
 * accessor, or raise an ElfError; any other exception, or a parse slower than a second, fails the test.
 * The seed is printed; TRAMP64_SEED=<n> reruns one sequence.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus, readModule } from '../../src/cli/corpus.js';
import { ELF, ElfError, parseElf } from '../../src/elf/index.js';
import { Rng } from '../../src/util/rng.js';
import { FIELDS, poke, sampleObject } from './build.js';
import { buildFixtures, type Fixtures } from './fixtures.js';

const MUTATIONS = 10_000;
const SEED = Number(process.env.TRAMP64_SEED ?? 0x7a3b_6400);
const SLOW_MS = 1000;

interface Base {
  name: string;
  bytes: Uint8Array;
  /** File offsets of every record of each kind, from a parse of the unmutated file. */
  records: Record<keyof typeof FIELDS, number[]>;
}

function describeBase(name: string, bytes: Uint8Array): Base {
  const elf = parseElf(bytes);
  const records: Base['records'] = { ehdr: [0], shdr: [], phdr: [], sym: [], rela: [] };
  for (let i = 0; i < elf.header.shnum; i++) records.shdr.push(elf.header.shoff + i * 64);
  for (let i = 0; i < elf.header.phnum; i++) records.phdr.push(elf.header.phoff + i * 56);
  for (const s of elf.sections) {
    const entry =
      s.type === ELF.SHT_SYMTAB || s.type === ELF.SHT_DYNSYM
        ? 24
        : s.type === ELF.SHT_RELA
          ? 24
          : s.type === ELF.SHT_REL
            ? 16
            : 0;
    if (!entry) continue;
    const list = s.type === ELF.SHT_SYMTAB || s.type === ELF.SHT_DYNSYM ? records.sym : records.rela;
    for (let o = 0; o < s.size; o += entry) list.push(s.offset + o);
  }
  return { name, bytes, records };
}

/** Values that break arithmetic: zero, sign and width boundaries, and values around the file size. */
function extreme(rng: Rng, size: number, old: bigint): bigint {
  const choices = [
    0n,
    1n,
    2n,
    0x18n,
    0x40n,
    0xffn,
    0xff00n,
    0xfff1n,
    0xffffn,
    0x7fff_ffffn,
    0x8000_0000n,
    0xffff_ffffn,
    0x1_0000_0000n,
    (1n << 53n) - 1n,
    1n << 53n,
    (1n << 63n) - 1n,
    1n << 63n,
    (1n << 64n) - 1n,
    BigInt(size) - 1n,
    BigInt(size),
    BigInt(size) + 1n,
    BigInt(size) / 2n,
    old + 1n,
    old - 1n,
    old * 2n,
    old << 32n,
  ];
  return rng.below(5) === 0 ? rng.u64() : choices[rng.below(choices.length)]!;
}

function read(bytes: Uint8Array, off: number, width: number): bigint {
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i] ?? 0);
  return v;
}

/** One mutation of `base`; returns the bytes and a description for the failure report. */
function mutate(rng: Rng, base: Base): { bytes: Uint8Array; what: string } {
  let bytes = Uint8Array.from(base.bytes);
  const what: string[] = [];
  const steps = rng.below(4) === 0 ? 2 + rng.below(2) : 1;
  for (let k = 0; k < steps; k++) {
    const kind = rng.below(10);
    if (kind < 2) {
      // Byte flips, half of them in the headers where each byte matters.
      const n = 1 + rng.below(8);
      for (let j = 0; j < n && bytes.length > 0; j++) {
        const hot = [...base.records.shdr, 0];
        const off = rng.bool() ? (rng.pick(hot) + rng.below(64)) % bytes.length : rng.below(bytes.length);
        const v = rng.bool() ? bytes[off]! ^ (1 << rng.below(8)) : rng.below(256);
        bytes[off] = v;
        what.push(`byte[0x${off.toString(16)}]=0x${v.toString(16)}`);
      }
    } else if (kind < 3) {
      // Truncation, often at or near a record boundary.
      const cuts = [
        rng.below(bytes.length + 1),
        rng.below(65),
        ...base.records.shdr.slice(0, 4),
        base.records.shdr.at(-1) ?? 0,
      ];
      const len = Math.max(0, Math.min(bytes.length, rng.pick(cuts) + rng.int(-2, 2)));
      bytes = bytes.slice(0, len);
      what.push(`truncate 0x${len.toString(16)}`);
    } else {
      // A field overwrite in a record that exists in this file.
      const kinds = (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).filter(
        (r) => base.records[r].length > 0,
      );
      const rec = rng.pick(kinds);
      const at = rng.pick(base.records[rec]);
      const fields = Object.entries(FIELDS[rec]) as [string, readonly [number, number]][];
      const [field, [off, width]] = rng.pick(fields);
      if (at + off + width > bytes.length) continue;
      const value = extreme(rng, bytes.length, read(bytes, at + off, width));
      poke(bytes, at + off, width, value);
      what.push(`${rec}@0x${at.toString(16)}.${field}=0x${BigInt.asUintN(width * 8, value).toString(16)}`);
    }
  }
  return { bytes, what: what.join(', ') };
}

type Outcome = 'parsed' | 'rejected';

/** Parse and use everything; throws whatever the reader throws that is not an ElfError. */
function exercise(bytes: Uint8Array, rng: Rng): { outcome: Outcome; lateErrors: number } {
  let elf;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) return { outcome: 'rejected', lateErrors: 0 };
    throw e;
  }
  let lateErrors = 0;
  const guard = (f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      lateErrors++;
    }
  };
  for (const s of elf.sections) {
    guard(() => elf.sectionData(s).reduce((a, b) => a ^ b, 0));
    if (s.type === ELF.SHT_SYMTAB || s.type === ELF.SHT_DYNSYM) guard(() => elf.symbolsOf(s));
    if (s.type === ELF.SHT_RELA || s.type === ELF.SHT_REL) guard(() => elf.relocationsOf(s));
    if (s.type === ELF.SHT_STRTAB) guard(() => elf.stringAt(s, rng.below(Math.max(1, s.size))));
    guard(() => elf.relocationsFor(s));
  }
  guard(() => elf.sectionByName('.text'));
  guard(() => elf.symtab);
  for (let i = 0; i < 4; i++)
    guard(() => elf.functionAt(rng.u64() & 0xffffn, rng.below(elf.sections.length + 2) - 1));
  guard(() => elf.functionAt(rng.u64()));
  return { outcome: 'parsed', lateErrors };
}

let fx: Fixtures;
const bases: Base[] = [];

beforeAll(async () => {
  fx = buildFixtures();
  for (const [name, path] of fx.files) bases.push(describeBase(name, readFileSync(path)));
  bases.push(describeBase('sample', sampleObject().bytes));
  // One mid-sized module of each series (by file size, the first at the 25th percentile).
  for (const series of ['6.1', '6.12'] as const) {
    const corpus = await ensureCorpus(series);
    const sized = corpus.modules
      .map((p) => ({ p, n: readFileSync(p).length }))
      .sort((a, b) => a.n - b.n || (a.p < b.p ? -1 : 1));
    const pick = sized[Math.floor(sized.length / 4)]!.p;
    bases.push(describeBase(`${series}:${pick.slice(corpus.dir.length + 1)}`, readModule(pick)));
  }
}, 600_000);

afterAll(() => fx?.remove());

describe('ELF reader under mutation', () => {
  it(`raises only ElfError on ${MUTATIONS} seeded mutations`, () => {
    console.log(
      `elf mutation seed ${SEED} (TRAMP64_SEED=${SEED} reproduces); bases: ${bases.map((b) => b.name).join(', ')}`,
    );
    const rng = new Rng(SEED);
    const counts: Record<Outcome, number> = { parsed: 0, rejected: 0 };
    const codes = new Map<string, number>();
    let lateErrors = 0;
    const failures: string[] = [];
    for (let i = 0; i < MUTATIONS; i++) {
      const base = bases[i % bases.length]!;
      const { bytes, what } = mutate(rng, base);
      const t0 = performance.now();
      try {
        const r = exercise(bytes, rng);
        counts[r.outcome]++;
        lateErrors += r.lateErrors;
        if (r.outcome === 'rejected') {
          try {
            parseElf(bytes);
          } catch (e) {
            const code = (e as ElfError).code;
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
        }
      } catch (e) {
        if (failures.length < 5)
          failures.push(
            `#${i} ${base.name}: ${what}\n  ${(e as Error).stack?.split('\n').slice(0, 4).join('\n  ')}`,
          );
      }
      const ms = performance.now() - t0;
      if (ms > SLOW_MS && failures.length < 5)
        failures.push(`#${i} ${base.name}: ${what}\n  took ${ms.toFixed(0)} ms`);
    }
    console.log(
      `elf mutation: ${counts.parsed} parsed (${lateErrors} ElfErrors from accessors), ${counts.rejected} rejected: ` +
        [...codes]
          .sort()
          .map(([c, n]) => `${c} ${n}`)
          .join(', '),
    );
    expect(failures).toEqual([]);
    // The mutations must exercise both outcomes and the lazy checks, or the test proves little.
    expect(counts.parsed).toBeGreaterThan(MUTATIONS / 10);
    expect(counts.rejected).toBeGreaterThan(MUTATIONS / 10);
    expect(lateErrors).toBeGreaterThan(100);
    expect(codes.size).toBeGreaterThan(5);
  }, 900_000);
});
