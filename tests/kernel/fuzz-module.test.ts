/**
 * Seeded mutation test of the module loader: 10,000 mutations of real `.ko` files from the corpora — fields
 * of section headers, symbols and relocations overwritten with extreme or random values, bytes of the
 * relocated sections, call-site tables and code flipped, files truncated. Each mutant is loaded into one
 * long-lived kernel: it must load (and is unloaded again) or fail with a typed error (a Tramp64Error:
 * ElfError, RelocationError, KernelError, MachineFault), never another exception, never slower than 2 s.
 * A failed load must leave nothing mapped behind (checked by the next loads, which reuse the same window).
 * The seed is printed; TRAMP64_SEED=<n> reruns one sequence.
 */
import { describe, expect, it } from 'vitest';
import { ensureCorpus, moduleName, readModule } from '../../src/cli/corpus.js';
import { ELF, parseElf } from '../../src/elf/index.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { loadModule, moduleSpace, unloadModule } from '../../src/kernel/module.js';
import { Tramp64Error } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const MUTATIONS = 10_000;
const SEED = Number(process.env.TRAMP64_SEED ?? 0x6b6f_0004);
const SLOW_MS = 2000;
/** Small and mid-size modules with call sites, PREL32/ABS64 data, ksymtab and init sections. */
const PICK = ['crc7', 'crc-itu-t', 'libcrc32c', 'ts_kmp', 'cordic', 'tcp_bbr', 'xxhash_generic', 'dummy'];

interface Target {
  name: string;
  bytes: Uint8Array;
  /** [offset, size] of fields worth hitting. */
  fields: [number, number][];
  /** [offset, length] of interesting section data (relocated sections, __patchable_function_entries). */
  data: [number, number][];
}

function targets(name: string, bytes: Uint8Array): Target {
  const elf = parseElf(bytes);
  const fields: [number, number][] = [];
  for (let i = 0; i < elf.header.shnum; i++) {
    const o = elf.header.shoff + i * 64;
    // sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
    fields.push(
      [o + 4, 4],
      [o + 8, 8],
      [o + 24, 8],
      [o + 32, 8],
      [o + 40, 4],
      [o + 44, 4],
      [o + 48, 8],
      [o + 56, 8],
    );
  }
  const data: [number, number][] = [];
  for (const s of elf.sections) {
    if (s.type === ELF.SHT_SYMTAB) {
      for (let o = s.offset + 24; o + 24 <= s.offset + s.size; o += 24)
        fields.push([o + 4, 1], [o + 6, 2], [o + 8, 8], [o + 16, 8]);
    } else if (s.type === ELF.SHT_RELA) {
      for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24)
        fields.push([o, 8], [o + 8, 4], [o + 12, 4], [o + 16, 8]);
    } else if (s.flags & ELF.SHF_ALLOC && s.type !== ELF.SHT_NOBITS && s.size > 0)
      data.push([s.offset, s.size]);
  }
  return { name, bytes, fields, data };
}

const EXTREMES = [
  0n,
  1n,
  2n,
  3n,
  4n,
  7n,
  8n,
  0xffn,
  0x100n,
  0xffffn,
  0x7fff_ffffn,
  0x8000_0000n,
  0xffff_ffffn,
  1n << 32n,
  1n << 63n,
  (1n << 64n) - 1n,
  0xff00n,
  0xfff1n,
  0xfff2n,
];

function mutate(rng: Rng, t: Target): { bytes: Uint8Array; what: string } {
  const b = new Uint8Array(t.bytes);
  const v = new DataView(b.buffer);
  const kind = rng.below(6);
  if (kind === 0) {
    const n = rng.below(b.length);
    return { bytes: b.subarray(0, n), what: `truncate to ${n}` };
  }
  if (kind <= 2 && t.fields.length > 0) {
    const [off, size] = rng.pick(t.fields);
    const val = rng.bool() ? rng.pick(EXTREMES) : rng.u64();
    const x = BigInt.asUintN(size * 8, kind === 2 ? val : val + BigInt(rng.int(-3, 3)));
    if (size === 8) v.setBigUint64(off, x, true);
    else if (size === 4) v.setUint32(off, Number(x), true);
    else if (size === 2) v.setUint16(off, Number(x), true);
    else v.setUint8(off, Number(x & 0xffn));
    return { bytes: b, what: `field at ${off} (${size} bytes) = 0x${x.toString(16)}` };
  }
  if (kind === 3 && t.data.length > 0) {
    const [off, len] = rng.pick(t.data);
    const at = off + rng.below(len);
    b[at]! ^= 1 << rng.below(8);
    return { bytes: b, what: `flip a bit at ${at}` };
  }
  if (kind === 4 && t.data.length > 0) {
    const [off, len] = rng.pick(t.data);
    const at = off + (rng.below(Math.max(1, len >> 2)) << 2);
    if (at + 4 <= b.length) v.setUint32(at, rng.u32(), true);
    return { bytes: b, what: `word at ${at} randomised` };
  }
  const at = rng.below(b.length);
  b[at] = rng.below(256);
  return { bytes: b, what: `byte at ${at}` };
}

describe('module loader mutation test', () => {
  it(`${MUTATIONS} seeded mutations of corpus modules give only typed errors`, async () => {
    const corpus = await ensureCorpus('6.1');
    const paths = corpus.modules.filter((p) => PICK.includes(moduleName(p)));
    expect(paths.length).toBeGreaterThanOrEqual(5);
    const bases = paths.map((p) => targets(moduleName(p), readModule(p)));
    console.log(
      `module mutation test: seed 0x${SEED.toString(16)} (TRAMP64_SEED to rerun), ${bases.map((b) => b.name).join(', ')}`,
    );
    const rng = new Rng(SEED);
    const k = new Kernel({ layout: { kind: 'nokaslr', seed: 1 } });
    const codes = new Map<string, number>();
    let loaded = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const base = bases[i % bases.length]!;
      const { bytes, what } = mutate(rng, base);
      const t0 = performance.now();
      try {
        const m = loadModule(k, bytes, { name: base.name });
        loaded++;
        unloadModule(k, m);
      } catch (e) {
        if (!(e instanceof Tramp64Error)) {
          throw new Error(
            `mutation ${i} of ${base.name} (${what}) threw ${(e as Error)?.name}: ${(e as Error)?.message}`,
            { cause: e },
          );
        }
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      const ms = performance.now() - t0;
      if (ms > SLOW_MS) throw new Error(`mutation ${i} of ${base.name} (${what}) took ${ms.toFixed(0)} ms`);
    }
    expect(moduleSpace(k).modules.size).toBe(0);
    // Nothing leaked: the lowest address of the 128 MiB window is free again.
    expect(k.machine.memory.isMapped(k.layout.moduleDirect!.base)).toBe(false);
    console.log(
      `module mutation test: ${loaded} loaded, errors by code ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    expect(loaded).toBeGreaterThan(0);
    expect(codes.size).toBeGreaterThan(3);
  }, 600_000);
});
