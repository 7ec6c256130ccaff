/**
 * The reader against `llvm-readelf -S -s -r --wide --segments` on the objects of fixtures.ts (gcc and clang
 * AArch64 relocatables, a BPF object, ET_DYN, ET_EXEC, 65k sections). Plus relocation type names,
 * `functionAt` and the `__patchable_function_entries` layout, checked on the same objects.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELF, parseElf, relocTypeName, type ElfFile } from '../../src/elf/index.js';
import { AARCH64_RELOCS, BPF_RELOCS } from '../../src/elf/reloc/types.js';
import { FIELDS, poke } from './build.js';
import { buildFixtures, type Fixtures } from './fixtures.js';
import { llvmReadelf, ourLines } from './readelf.js';

let fx: Fixtures;
let dir: string;
let objects: Map<string, string>;

beforeAll(() => {
  fx = buildFixtures({ many: true });
  dir = fx.dir;
  objects = fx.files;
}, 300_000);

afterAll(() => fx?.remove());
const load = (name: string): ElfFile => parseElf(readFileSync(objects.get(name)!));

describe('agreement with llvm-readelf', () => {
  it('on every compiled object: sections, program headers, symbols, relocations', () => {
    const files = [...objects.values()];
    const theirs = llvmReadelf(files, { segments: true });
    for (const [name, path] of objects) {
      const ours = ourLines(parseElf(readFileSync(path)), { segments: true });
      expect(ours, name).toEqual(theirs.get(path));
    }
  });

  it('sees what each object is', () => {
    expect(load('bpf.o').header.machine).toBe(ELF.EM_BPF);
    expect(load('shared.so').header.type).toBe(ELF.ET_DYN);
    expect(load('static.elf').header.type).toBe(ELF.ET_EXEC);
    expect(load('static.elf').segments.some((p) => p.type === ELF.PT_LOAD)).toBe(true);
    const bpf = load('bpf.o');
    const types = new Set(
      bpf.sections
        .filter((s) => s.type === ELF.SHT_REL)
        .flatMap((s) => bpf.relocationsOf(s).map((r) => r.typeName)),
    );
    expect([...types].sort()).toEqual([
      'R_BPF_64_32',
      'R_BPF_64_64',
      'R_BPF_64_ABS32',
      'R_BPF_64_ABS64',
      'R_BPF_64_NODYLD32',
    ]);
    const pic = load('pic.o');
    const picTypes = new Set(
      pic.sections
        .filter((s) => s.type === ELF.SHT_RELA)
        .flatMap((s) => pic.relocationsOf(s).map((r) => r.typeName)),
    );
    expect(picTypes).toContain('R_AARCH64_TLSDESC_CALL');
    expect(picTypes).toContain('R_AARCH64_ADR_GOT_PAGE');
  });

  it('resolves extended section numbering (e_shnum 0, SHN_XINDEX)', () => {
    const bytes = readFileSync(objects.get('many.o')!);
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    expect(v.getUint16(60, true)).toBe(0); // e_shnum
    expect(v.getUint16(62, true)).toBe(ELF.SHN_XINDEX); // e_shstrndx
    const elf = parseElf(bytes);
    expect(elf.header.shnum).toBeGreaterThan(65_300);
    expect(elf.sections[elf.header.shstrndx]!.name).toBe('.shstrtab');
    const f = elf.symbolsOf(elf.symtab!).find((s) => s.name === 'f65299')!;
    expect(f.xindex).toBe(true);
    expect(elf.sections[f.shndx]!.name).toBe('.text.f65299');
    expect(elf.functionAt(2n, f.shndx)).toBe(f);
  });
});

describe('relocation type names', () => {
  it('match llvm-readelf for every number the ABIs define', () => {
    // Rewrite the types of pic.o's relocations to every defined number (then to numbers no ABI defines),
    // and let llvm-readelf name them. LLVM 14 spells three dynamic TLS relocations with a "64" suffix.
    const base = readFileSync(objects.get('pic.o')!);
    const elf = parseElf(base);
    const slots = elf.sections
      .filter((s) => s.type === ELF.SHT_RELA)
      .flatMap((s) => elf.relocationsOf(s).map((r) => s.offset + r.index * 24 + FIELDS.rela.r_type[0]));
    const wanted = [...AARCH64_RELOCS.keys(), 1, 256, 281, 294, 316, 574, 1033, 0xffff_ffff];
    expect(slots.length).toBeGreaterThan(10);
    const files: string[] = [];
    for (let k = 0; k * slots.length < wanted.length; k++) {
      const bytes = Uint8Array.from(base);
      slots.forEach((off, i) => poke(bytes, off, 4, BigInt(wanted[(k * slots.length + i) % wanted.length]!)));
      const f = join(dir, `types${k}.o`);
      writeFileSync(f, bytes);
      files.push(f);
    }
    const theirs = llvmReadelf(files);
    const LLVM14_SPELLING: Record<string, string> = {
      R_AARCH64_TLS_DTPMOD: 'R_AARCH64_TLS_DTPMOD64',
      R_AARCH64_TLS_DTPREL: 'R_AARCH64_TLS_DTPREL64',
      R_AARCH64_TLS_TPREL: 'R_AARCH64_TLS_TPREL64',
    };
    let checked = 0;
    for (const f of files) {
      const ours = ourLines(parseElf(readFileSync(f)));
      const their = theirs.get(f)!;
      expect(ours.length).toBe(their.length);
      ours.forEach((line, i) => {
        if (!line.startsWith('E ')) return expect(line).toBe(their[i]);
        const oursName = line.split(' ')[4]!;
        const llvmName = their[i]!.split(' ')[4]!;
        const type = parseInt(/type=([0-9a-f]+)/.exec(line)![1]!, 16);
        checked++;
        // Numbers we leave unnamed must be unknown to LLVM too, except the ILP32 (R_AARCH64_P32_*) ones,
        // which LLVM names in any file and an ELF64 file never uses.
        if (oursName === 'undefined')
          return expect(llvmName, `type ${type}`).not.toMatch(/^R_AARCH64_(?!P32_)/);
        // R_AARCH64_GOTPCREL32 is newer than LLVM 14.
        if (type === 315 && !llvmName.startsWith('R_AARCH64_')) return;
        expect(LLVM14_SPELLING[oursName] ?? oursName, `type ${type}`).toBe(llvmName);
      });
    }
    expect(checked).toBeGreaterThanOrEqual(wanted.length);
  });

  it('name BPF relocations, and nothing for other machines', () => {
    expect([...BPF_RELOCS.values()]).toEqual([
      'R_BPF_NONE',
      'R_BPF_64_64',
      'R_BPF_64_ABS64',
      'R_BPF_64_ABS32',
      'R_BPF_64_NODYLD32',
      'R_BPF_64_32',
    ]);
    expect(relocTypeName(ELF.EM_BPF, 10)).toBe('R_BPF_64_32');
    expect(relocTypeName(ELF.EM_AARCH64, 283)).toBe('R_AARCH64_CALL26');
    expect(relocTypeName(62, 1)).toBeUndefined();
  });
});

describe('functionAt and call sites', () => {
  it('maps every byte of every function to that function (or an alias of it)', () => {
    for (const name of ['pfe2.o', 'pfe42.o', 'clang.o', 'static.elf', 'shared.so']) {
      const elf = load(name);
      const rel = elf.header.type === ELF.ET_REL;
      const funcs = elf
        .symbolsOf(elf.symtab!)
        .filter((s) => s.type === ELF.STT_FUNC && s.shndx !== 0 && s.size > 0n);
      expect(funcs.length, name).toBeGreaterThan(1);
      for (const f of funcs) {
        for (const addr of [f.value, f.value + f.size / 2n, f.value + f.size - 1n]) {
          const got = elf.functionAt(addr, rel ? f.shndx : undefined);
          expect(got && got.value === f.value && got.size === f.size, `${name} ${f.name} @${addr}`).toBe(
            true,
          );
        }
      }
      expect(elf.functionAt(0xffff_ffff_0000n)).toBeUndefined();
    }
  });

  it('__patchable_function_entries points at function entries (=2) or 8 bytes before them (=4,2)', () => {
    for (const [name, before] of [
      ['pfe2.o', 0n],
      ['pfe42.o', 8n],
    ] as const) {
      const elf = load(name);
      const pfes = elf.sections.filter((s) => s.name === '__patchable_function_entries');
      expect(pfes.length, name).toBeGreaterThan(0);
      let sites = 0;
      for (const pfe of pfes) {
        const rels = elf.relocationsFor(pfe);
        expect(rels.length * 8, name).toBe(pfe.size);
        for (const r of rels) {
          expect(r.typeName).toBe('R_AARCH64_ABS64');
          const target = r.symbol!.value + r.addend + before;
          const f = elf.functionAt(target, r.symbol!.shndx);
          expect(
            f?.value,
            `${name}: site ${r.index} → ${elf.sections[r.symbol!.shndx]!.name}+${target}`,
          ).toBe(target);
          sites++;
        }
      }
      expect(sites, name).toBeGreaterThanOrEqual(7);
    }
  });
});
