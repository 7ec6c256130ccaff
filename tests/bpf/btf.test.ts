/**
 * The BTF reader: the type graph of every fixture object printed in bpftool's raw format equals bpftool's
 * own dump (committed golden files; compared live too when bpftool is installed), the function models of
 * the selftest targets match testkernel.c, split BTF with and without its base, .BTF.ext, and bad input.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/elf/index.js';
import {
  BtfError,
  dumpBtf,
  functionModel,
  functionModels,
  parseBtf,
  parseBtfExt,
  typeSize,
  type Btf,
} from '../../src/bpf/btf/index.js';
import { Tramp64Error } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const root = join(__dirname, '..', '..');
const golden = join(root, 'fixtures/bpf/golden');
const objects: Record<string, string> = {};
for (const f of readdirSync(join(root, 'fixtures/kernel')).filter((x) => x.endsWith('.o')))
  objects[f.replace(/\.o$/, '')] = join(root, 'fixtures/kernel', f);
for (const f of readdirSync(join(root, 'fixtures/bpf')).filter((x) => x.endsWith('.o')))
  objects[f.replace(/\.o$/, '')] = join(root, 'fixtures/bpf', f);

function btfOf(path: string): { btf: Btf; elf: ReturnType<typeof parseElf> } {
  const elf = parseElf(new Uint8Array(readFileSync(path)));
  return { btf: parseBtf(elf.sectionData(elf.sectionByName('.BTF')!)), elf };
}

const hasBpftool = spawnSync('bpftool', ['version']).status === 0;

describe('type graph = bpftool btf dump', () => {
  for (const [name, path] of Object.entries(objects)) {
    it(name, () => {
      const mine = dumpBtf(btfOf(path).btf);
      const want = readFileSync(join(golden, `${name}.btf.txt`), 'utf8')
        .split('\n')
        .slice(1)
        .join('\n');
      expect(mine).toBe(want);
      if (hasBpftool)
        expect(mine).toBe(spawnSync('bpftool', ['btf', 'dump', 'file', path], { encoding: 'utf8' }).stdout);
    });
  }
  it('covers every kind clang and pahole emit here', () => {
    const kinds = new Set(Object.values(objects).flatMap((p) => btfOf(p).btf.types.map((t) => t.kind)));
    for (const k of [
      'INT',
      'PTR',
      'ARRAY',
      'STRUCT',
      'UNION',
      'ENUM',
      'FWD',
      'TYPEDEF',
      'VOLATILE',
      'CONST',
      'RESTRICT',
      'FUNC',
      'FUNC_PROTO',
      'VAR',
      'DATASEC',
      'FLOAT',
      'DECL_TAG',
      'TYPE_TAG',
    ])
      expect(kinds.has(k as never), k).toBe(true);
  });
});

describe('function models of the selftest targets (testkernel.c)', () => {
  // [name, [size, signed, pointer] per argument]; all return int.
  const want: [string, [number, boolean, boolean][]][] = [
    ['bpf_fentry_test1', [[4, true, false]]],
    [
      'bpf_fentry_test2',
      [
        [4, true, false],
        [8, false, false],
      ],
    ],
    [
      'bpf_fentry_test3',
      [
        [1, false, false],
        [4, true, false],
        [8, false, false],
      ],
    ], // char is unsigned on arm64
    [
      'bpf_fentry_test4',
      [
        [8, false, true],
        [1, false, false],
        [4, true, false],
        [8, false, false],
      ],
    ],
    [
      'bpf_fentry_test5',
      [
        [8, false, false],
        [8, false, true],
        [2, true, false],
        [4, true, false],
        [8, false, false],
      ],
    ],
    [
      'bpf_fentry_test6',
      [
        [8, false, false],
        [8, false, true],
        [2, true, false],
        [4, true, false],
        [8, false, true],
        [8, false, false],
      ],
    ],
    ['bpf_fentry_test7', [[8, false, true]]],
    ['bpf_fentry_test8', [[8, false, true]]],
    [
      'bpf_modify_return_test',
      [
        [4, true, false],
        [8, false, true],
      ],
    ],
  ];
  for (const obj of ['testkernel-gcc-pfe2', 'testkernel-gcc-pfe42', 'testkernel-clang-bti-pfe42']) {
    it(obj, () => {
      const { btf } = btfOf(objects[obj]!);
      for (const [name, args] of want) {
        const m = functionModel(btf, name);
        expect(
          m.args.map((a) => [a.size, a.signed, a.isPointer]),
          name,
        ).toEqual(args);
        expect([m.returnSize, m.returnSigned, m.complete, m.unsupported], name).toEqual([4, true, true, []]);
      }
      expect(functionModel(btf, 'crc32_le_bitwise').args.map((a) => a.name)).toEqual(['crc', 'p', 'len']);
      expect(functionModel(btf, 'list_count').returnSize).toBe(8);
      expect(functionModels(btf).length).toBe(btf.types.filter((t) => t.kind === 'FUNC').length);
    });
  }
  it('unknown function: BTF_NOT_FOUND', () => {
    expect(() => functionModel(btfOf(objects['testkernel-gcc-pfe2']!).btf, 'nope')).toThrow(
      expect.objectContaining({ code: 'BTF_NOT_FOUND' }),
    );
  });
  it('flags struct-by-value arguments and more than 8 arguments', () => {
    const b = new BtfBuilder();
    const int = b.int('int', 4, true);
    const st = b.struct('pair', 16, [
      ['a', int, 0],
      ['b', int, 64],
    ]);
    const many = b.proto(
      int,
      Array.from({ length: 9 }, (_, i) => [`a${i}`, int] as [string, number]),
    );
    b.func('nine', many);
    b.func('bystruct', b.proto(int, [['p', st]]));
    const btf = parseBtf(b.build());
    expect(functionModel(btf, 'nine').unsupported).toEqual(['9 arguments (at most 8 in registers)']);
    expect(functionModel(btf, 'bystruct').unsupported).toEqual([
      "argument 'p' is a struct/union passed by value",
    ]);
    expect(functionModel(btf, 'bystruct').args[0]!.size).toBe(16);
  });
});

describe('btf_kinds.o', () => {
  it('enums, bitfields, unions, tags and sizes', () => {
    const { btf } = btfOf(objects['btf_kinds']!);
    const flags = btf.byName('flags', 'STRUCT')[0]!;
    if (flags.kind !== 'STRUCT') throw new Error('kind');
    expect(flags.kindFlag).toBe(true);
    expect(flags.members.slice(0, 3).map((m) => [m.name, m.bitOffset, m.bitfieldSize])).toEqual([
      ['a', 0, 3],
      ['b', 3, 13],
      ['c', 16, 16],
    ]);
    const delta = btf.byName('delta', 'ENUM')[0]!;
    if (delta.kind !== 'ENUM') throw new Error('kind');
    // clang-14 predates the signed-enum kind_flag (LLVM 15): -1 is stored and read as an unsigned 32-bit value.
    expect(delta.signed).toBe(false);
    expect(delta.values.map((v) => v.value)).toEqual([0xffff_ffffn, 1n]);
    expect(typeSize(btf, btf.byName('table', 'VAR')[0]!.id)).toBe(2 * flags.size);
    expect(btf.byName('func_tag', 'DECL_TAG').length).toBe(1);
    const m = functionModel(btf, 'touch');
    expect(m.args.map((a) => [a.name, a.size, a.isPointer])).toEqual([
      ['f', 8, true],
      ['v', 8, true],
    ]);
  });
});

describe('.BTF.ext', () => {
  it('func info and line info per program section', () => {
    const { elf, btf } = btfOf(objects['ringbuf.bpf']!);
    const ext = parseBtfExt(elf.sectionData(elf.sectionByName('.BTF.ext')!), btf);
    expect(ext.funcInfo.map((s) => s.section).sort()).toEqual([
      '.text',
      'fentry/bpf_fentry_test2',
      'fexit/bpf_fentry_test2',
    ]);
    const f = ext.funcInfo.find((s) => s.section === '.text')!.records[0]!;
    expect(btf.type(f.typeId)?.name).toBe('tag');
    const lines = ext.lineInfo.find((s) => s.section === 'fentry/bpf_fentry_test2')!.records;
    expect(lines[0]!.insn).toBe(0);
    expect(lines.every((l) => l.file.endsWith('ringbuf.bpf.c') && l.lineNum > 0)).toBe(true);
    expect(ext.coreRelos).toEqual([]);
  });
});

/** A minimal BTF writer for hand-made cases (split BTF, ENUM64, errors). */
class BtfBuilder {
  private types: number[] = [];
  private strs = [0];
  private strMap = new Map<string, number>();
  count = 0;
  constructor(
    private readonly startId = 1,
    private readonly strBase = 0,
    split = false,
  ) {
    if (split) this.strs = [];
  }
  str(s: string): number {
    if (s === '') return 0;
    const have = this.strMap.get(s);
    if (have !== undefined) return have;
    const off = this.strBase + this.strs.length;
    for (const c of s) this.strs.push(c.charCodeAt(0));
    this.strs.push(0);
    this.strMap.set(s, off);
    return off;
  }
  private add(
    name: string,
    kind: number,
    vlen: number,
    sizeOrType: number,
    tail: number[],
    kflag = 0,
  ): number {
    this.types.push(this.str(name), ((kflag << 31) | (kind << 24) | vlen) >>> 0, sizeOrType, ...tail);
    return this.startId + this.count++;
  }
  int(name: string, size: number, signed: boolean): number {
    return this.add(name, 1, 0, size, [((signed ? 1 : 0) << 24) | (size * 8)]);
  }
  ptr(to: number): number {
    return this.add('', 2, 0, to, []);
  }
  struct(name: string, size: number, members: [string, number, number][]): number {
    return this.add(
      name,
      4,
      members.length,
      size,
      members.flatMap(([n, t, o]) => [this.str(n), t, o]),
    );
  }
  enum64(name: string, values: [string, bigint][]): number {
    return this.add(
      name,
      19,
      values.length,
      8,
      values.flatMap(([n, v]) => [this.str(n), Number(v & 0xffff_ffffn), Number(v >> 32n)]),
      1,
    );
  }
  proto(ret: number, params: [string, number][]): number {
    return this.add(
      '',
      13,
      params.length,
      ret,
      params.flatMap(([n, t]) => [this.str(n), t]),
    );
  }
  func(name: string, proto: number): number {
    return this.add(name, 12, 1, proto, []);
  }
  raw(words: number[]): void {
    this.types.push(...words);
  }
  build(): Uint8Array {
    const typeLen = this.types.length * 4;
    const out = new Uint8Array(24 + typeLen + this.strs.length);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, 0xeb9f, true);
    dv.setUint8(2, 1);
    dv.setUint32(4, 24, true);
    dv.setUint32(8, 0, true);
    dv.setUint32(12, typeLen, true);
    dv.setUint32(16, typeLen, true);
    dv.setUint32(20, this.strs.length, true);
    this.types.forEach((w, i) => dv.setUint32(24 + 4 * i, w >>> 0, true));
    out.set(this.strs, 24 + typeLen);
    return out;
  }
}

describe('split BTF (a module on top of vmlinux)', () => {
  const base = new BtfBuilder();
  const baseInt = base.int('int', 4, true);
  base.int('long', 8, true);
  const baseBytes = base.build();
  const baseBtf = parseBtf(baseBytes);
  const baseStrLen = baseBtf.header.strLen;
  const mod = new BtfBuilder(baseBtf.typeCount, baseStrLen, true);
  const u8 = mod.int('u8', 1, false);
  const p = mod.proto(baseInt, [
    ['a', baseInt],
    ['b', u8],
    ['c', mod.ptr(u8)],
  ]);
  mod.func('mod_fn', p);
  const modBytes = mod.build();

  it('resolves everything with the base', () => {
    const btf = parseBtf(modBytes, { base: baseBtf });
    expect(btf.split).toMatchObject({ isSplit: true, baseMissing: false, startId: 3 });
    const m = functionModel(btf, 'mod_fn');
    expect(m.complete).toBe(true);
    expect(m.args.map((a) => a.size)).toEqual([4, 1, 8]);
  });
  it('without the base: says so, and names nothing it cannot place', () => {
    const btf = parseBtf(modBytes);
    expect(btf.split).toMatchObject({ isSplit: true, baseMissing: true, offsetsKnown: false });
    expect(() => functionModel(btf, 'mod_fn')).toThrow(BtfError);
  });
  it('with only the base sizes: own types resolve, base references are reported unresolved', () => {
    const btf = parseBtf(modBytes, { baseHint: { typeCount: baseBtf.typeCount, strLen: baseStrLen } });
    const m = functionModel(btf, 'mod_fn');
    expect(m.complete).toBe(false);
    expect(m.args.map((a) => a.size)).toEqual([undefined, 1, 8]);
    expect(m.args[0]!.unresolved).toMatch(/base BTF/);
    expect(m.returnSize).toBeUndefined();
  });
});

describe('bad input → BtfError', () => {
  const good = (() => {
    const b = new BtfBuilder();
    const i = b.int('int', 4, true);
    b.enum64('big', [
      ['A', 1n << 40n],
      ['B', -2n],
    ]);
    b.func('f', b.proto(i, [['x', i]]));
    return b.build();
  })();
  it('parses the hand-made BTF (ENUM64 signed values)', () => {
    const btf = parseBtf(good);
    const e = btf.byName('big', 'ENUM64')[0]!;
    expect(e.kind === 'ENUM64' && e.values.map((v) => v.value)).toEqual([1n << 40n, -2n]);
  });
  const cases: [string, (b: Uint8Array) => void, string][] = [
    ['magic', (b) => (b[0] = 0), 'BTF_BAD_MAGIC'],
    ['version', (b) => (b[2] = 2), 'BTF_BAD_VERSION'],
    ['type_len past the end', (b) => new DataView(b.buffer).setUint32(12, 1 << 20, true), 'BTF_TRUNCATED'],
    ['unknown kind', (b) => (b[24 + 7] = 0x1f), 'BTF_BAD_KIND'],
    [
      'name offset past the strings',
      (b) => new DataView(b.buffer).setUint32(24, 9999, true),
      'BTF_BAD_STRING',
    ],
  ];
  for (const [what, mutate, code] of cases) {
    it(what, () => {
      const b = good.slice();
      mutate(b);
      expect(() => parseBtf(b)).toThrow(expect.objectContaining({ code }));
    });
  }
  it('a reference to a type that does not exist', () => {
    const b = new BtfBuilder();
    b.ptr(77);
    expect(() => parseBtf(b.build())).toThrow(expect.objectContaining({ code: 'BTF_BAD_TYPE_ID' }));
  });
  it('fuzz: 5,000 mutations of real BTF and BTF.ext raise only typed errors', () => {
    const { elf } = btfOf(objects['ringbuf.bpf']!);
    const btfBytes = elf.sectionData(elf.sectionByName('.BTF')!);
    const extBytes = elf.sectionData(elf.sectionByName('.BTF.ext')!);
    const rng = new Rng(2024);
    for (let i = 0; i < 5000; i++) {
      const b = btfBytes.slice();
      const e = extBytes.slice();
      const target = rng.bool() ? b : e;
      for (let k = 0; k < 1 + rng.below(4); k++) target[rng.below(target.length)] = rng.below(256);
      const cut = rng.below(10) === 0 ? rng.below(target.length) : target.length;
      try {
        const btf = parseBtf(target === b ? b.subarray(0, cut) : b);
        parseBtfExt(target === e ? e.subarray(0, cut) : e, btf);
        for (const t of btf.types) if (t.kind === 'FUNC') functionModel(btf, t.name);
      } catch (err) {
        if (!(err instanceof Tramp64Error)) throw new Error(`mutation ${i}: ${(err as Error).stack}`);
      }
    }
  });
});
