/**
 * The AArch64 relocation engine against GNU ld: each case is a few lines of assembly referring to `sym`;
 * `aarch64-linux-gnu-as` makes the relocatable object, `aarch64-linux-gnu-ld` links it with .text and .data
 * at fixed addresses and `sym` defined by --defsym, and our engine relocates the same object's sections at
 * the same addresses. The bytes must be identical. Out-of-range cases must fail in both: ld with
 * "relocation truncated to fit", we with RELOC_OVERFLOW naming the type, the place, the value and the range.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ELF, parseElf } from '../../src/elf/index.js';
import {
  applyAarch64Relocation,
  RelocationError,
  SUPPORTED_AARCH64_RELOCS,
} from '../../src/elf/reloc/aarch64.js';

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';
const haveTools = [AS, LD].every((t) => spawnSync(t, ['--version']).status === 0);
const dir = haveTools ? mkdtempSync(join(tmpdir(), 'tramp64-reloc-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Case {
  /** The relocation the case is about (checked against the object, so the case cannot test something else). */
  type: string;
  /** Assembly placed at the start of `.text` (or of `.data` with `data: true`). */
  asm: string;
  data?: boolean;
  sym: bigint;
  text?: bigint;
  /** ld must refuse it and so must we. */
  overflow?: boolean;
  /** ld does not refuse an out-of-range B/BL: it inserts a veneer (a stub in range) and branches to that. */
  veneer?: boolean;
}

const TEXT = 0xffff_8000_0801_0000n;
const DATA = 0xffff_8000_0803_0000n;
const near = TEXT + 0x12348n;
const m = (x: bigint): bigint => BigInt.asUintN(64, x);

const CASES: Case[] = [
  // static data
  { type: 'R_AARCH64_ABS64', asm: '.xword sym + 3', data: true, sym: 0xffff_8000_1234_5678n },
  { type: 'R_AARCH64_ABS32', asm: '.word sym', data: true, sym: 0xfedc_ba98n },
  { type: 'R_AARCH64_ABS32', asm: '.word sym', data: true, sym: 0x1_0000_0000n, overflow: true },
  { type: 'R_AARCH64_ABS16', asm: '.hword sym', data: true, sym: 0xfff0n },
  { type: 'R_AARCH64_ABS16', asm: '.hword sym', data: true, sym: 0x1_0000n, overflow: true },
  { type: 'R_AARCH64_PREL64', asm: '.xword sym - .', data: true, sym: 0xffff_8000_0000_1000n },
  { type: 'R_AARCH64_PREL32', asm: '.word sym - .', data: true, sym: DATA - 0x7fff_0000n },
  { type: 'R_AARCH64_PREL32', asm: '.word sym - . + 8', data: true, sym: DATA + 0x1234_5678n },
  { type: 'R_AARCH64_PREL32', asm: '.word sym - .', data: true, sym: DATA - 0x8000_0004n, overflow: true },
  { type: 'R_AARCH64_PREL16', asm: '.hword sym - .', data: true, sym: DATA - 0x7000n },
  { type: 'R_AARCH64_PREL16', asm: '.hword sym - .', data: true, sym: DATA + 0x2_0000n, overflow: true },
  // control flow
  { type: 'R_AARCH64_CALL26', asm: 'bl sym', sym: TEXT + 0x7ff_fffcn },
  { type: 'R_AARCH64_CALL26', asm: 'bl sym', sym: TEXT - 0x800_0000n },
  { type: 'R_AARCH64_CALL26', asm: 'bl sym', sym: TEXT + 0x800_0000n, overflow: true, veneer: true },
  { type: 'R_AARCH64_JUMP26', asm: 'b sym', sym: TEXT - 0x12_3450n },
  { type: 'R_AARCH64_JUMP26', asm: 'b sym', sym: TEXT - 0x800_0004n, overflow: true, veneer: true },
  { type: 'R_AARCH64_CONDBR19', asm: 'b.ne sym', sym: TEXT + 0xf_fffcn },
  { type: 'R_AARCH64_CONDBR19', asm: 'cbz x3, sym', sym: TEXT - 0x10_0000n },
  { type: 'R_AARCH64_CONDBR19', asm: 'cbnz w3, sym', sym: TEXT + 0x10_0000n, overflow: true },
  { type: 'R_AARCH64_TSTBR14', asm: 'tbz x0, #33, sym', sym: TEXT + 0x7ffcn },
  { type: 'R_AARCH64_TSTBR14', asm: 'tbnz w0, #3, sym', sym: TEXT - 0x8000n },
  { type: 'R_AARCH64_TSTBR14', asm: 'tbnz w0, #3, sym', sym: TEXT + 0x8000n, overflow: true },
  // PC-relative addresses and loads
  { type: 'R_AARCH64_LD_PREL_LO19', asm: 'ldr x1, sym', sym: TEXT - 0xf_fff0n },
  { type: 'R_AARCH64_LD_PREL_LO19', asm: 'ldr w1, sym', sym: TEXT + 0x10_0000n, overflow: true },
  { type: 'R_AARCH64_ADR_PREL_LO21', asm: 'adr x2, sym', sym: TEXT + 0xf_ffffn },
  { type: 'R_AARCH64_ADR_PREL_LO21', asm: 'adr x2, sym', sym: TEXT - 0x10_0001n, overflow: true },
  { type: 'R_AARCH64_ADR_PREL_PG_HI21', asm: 'adrp x0, sym', sym: TEXT + 0xffff_f123n },
  { type: 'R_AARCH64_ADR_PREL_PG_HI21', asm: 'adrp x0, sym', sym: TEXT - 0x1_0000_0000n },
  { type: 'R_AARCH64_ADR_PREL_PG_HI21', asm: 'adrp x0, sym', sym: TEXT + 0x1_0000_0000n, overflow: true },
  { type: 'R_AARCH64_ADR_PREL_PG_HI21_NC', asm: 'adrp x0, :pg_hi21_nc:sym', sym: TEXT + 0x3_0000_0000n },
  { type: 'R_AARCH64_ADD_ABS_LO12_NC', asm: 'add x0, x0, :lo12:sym', sym: near + 0x7n },
  { type: 'R_AARCH64_LDST8_ABS_LO12_NC', asm: 'ldrb w0, [x0, :lo12:sym]', sym: near + 0xfffn },
  { type: 'R_AARCH64_LDST16_ABS_LO12_NC', asm: 'ldrh w0, [x0, :lo12:sym]', sym: near + 0xffen },
  { type: 'R_AARCH64_LDST32_ABS_LO12_NC', asm: 'str w0, [x0, :lo12:sym]', sym: near + 0xabcn },
  { type: 'R_AARCH64_LDST64_ABS_LO12_NC', asm: 'ldr x0, [x0, :lo12:sym]', sym: near + 0x7f8n },
  { type: 'R_AARCH64_LDST128_ABS_LO12_NC', asm: 'ldr q0, [x0, :lo12:sym]', sym: near + 0xcb8n },
  // MOVW, unsigned absolute
  { type: 'R_AARCH64_MOVW_UABS_G0', asm: 'movz x0, #:abs_g0:sym', sym: 0xbeefn },
  { type: 'R_AARCH64_MOVW_UABS_G0', asm: 'movz x0, #:abs_g0:sym', sym: 0x1_0000n, overflow: true },
  { type: 'R_AARCH64_MOVW_UABS_G0_NC', asm: 'movk x0, #:abs_g0_nc:sym', sym: 0xffff_8000_1234_5678n },
  { type: 'R_AARCH64_MOVW_UABS_G1', asm: 'movz x0, #:abs_g1:sym', sym: 0xdead_beefn },
  { type: 'R_AARCH64_MOVW_UABS_G1', asm: 'movz x0, #:abs_g1:sym', sym: 0x1_0000_0000n, overflow: true },
  { type: 'R_AARCH64_MOVW_UABS_G1_NC', asm: 'movk x0, #:abs_g1_nc:sym', sym: 0xffff_8000_1234_5678n },
  { type: 'R_AARCH64_MOVW_UABS_G2', asm: 'movz x0, #:abs_g2:sym', sym: 0xcafe_dead_beefn },
  { type: 'R_AARCH64_MOVW_UABS_G2', asm: 'movz x0, #:abs_g2:sym', sym: 0x1_0000_0000_0000n, overflow: true },
  { type: 'R_AARCH64_MOVW_UABS_G2_NC', asm: 'movk x0, #:abs_g2_nc:sym', sym: 0xffff_8000_1234_5678n },
  { type: 'R_AARCH64_MOVW_UABS_G3', asm: 'movk x0, #:abs_g3:sym', sym: 0xffff_8000_1234_5678n },
  // MOVW, signed absolute (MOVN for negative values)
  { type: 'R_AARCH64_MOVW_SABS_G0', asm: 'movz x0, #:abs_g0_s:sym', sym: 0x1234n },
  { type: 'R_AARCH64_MOVW_SABS_G0', asm: 'movz x0, #:abs_g0_s:sym', sym: m(-0x1234n) },
  { type: 'R_AARCH64_MOVW_SABS_G0', asm: 'movz x0, #:abs_g0_s:sym', sym: m(-0x1_0001n), overflow: true },
  { type: 'R_AARCH64_MOVW_SABS_G1', asm: 'movz x0, #:abs_g1_s:sym', sym: m(-0x1234_5678n) },
  { type: 'R_AARCH64_MOVW_SABS_G1', asm: 'movz x0, #:abs_g1_s:sym', sym: 0x8765_4321n },
  { type: 'R_AARCH64_MOVW_SABS_G2', asm: 'movz x0, #:abs_g2_s:sym', sym: m(-0x1234_5678_9abcn) },
  {
    type: 'R_AARCH64_MOVW_SABS_G2',
    asm: 'movz x0, #:abs_g2_s:sym',
    sym: 0x1_0000_0000_0000n,
    overflow: true,
  },
  // MOVW, PC-relative
  { type: 'R_AARCH64_MOVW_PREL_G0', asm: 'movz x0, #:prel_g0:sym', sym: TEXT - 0x1234n },
  { type: 'R_AARCH64_MOVW_PREL_G0', asm: 'movz x0, #:prel_g0:sym', sym: TEXT + 0xfff0n },
  { type: 'R_AARCH64_MOVW_PREL_G0', asm: 'movz x0, #:prel_g0:sym', sym: TEXT + 0x1_0000n, overflow: true },
  { type: 'R_AARCH64_MOVW_PREL_G0_NC', asm: 'movk x0, #:prel_g0_nc:sym', sym: TEXT - 0x1234_5678n },
  { type: 'R_AARCH64_MOVW_PREL_G1', asm: 'movz x0, #:prel_g1:sym', sym: TEXT - 0x1234_5678n },
  {
    type: 'R_AARCH64_MOVW_PREL_G1',
    asm: 'movz x0, #:prel_g1:sym',
    sym: TEXT + 0x1_0000_0000n,
    overflow: true,
  },
  { type: 'R_AARCH64_MOVW_PREL_G1_NC', asm: 'movk x0, #:prel_g1_nc:sym', sym: TEXT + 0x5_1234_5678n },
  { type: 'R_AARCH64_MOVW_PREL_G2', asm: 'movz x0, #:prel_g2:sym', sym: 0x1234_5678n },
  { type: 'R_AARCH64_MOVW_PREL_G2_NC', asm: 'movk x0, #:prel_g2_nc:sym', sym: 0x1234_5678n },
  { type: 'R_AARCH64_MOVW_PREL_G3', asm: 'movz x0, #:prel_g3:sym', sym: 0x1234_5678n },
  { type: 'R_AARCH64_MOVW_PREL_G3', asm: 'movz x0, #:prel_g3:sym', sym: m(TEXT + 0x1234_5678_9abc_def0n) },
];

interface Linked {
  ok: boolean;
  stderr: string;
  sections: Map<string, { addr: bigint; bytes: Uint8Array }>;
}

function build(c: Case, n: number): { obj: Uint8Array; linked: Linked } {
  const text = c.text ?? TEXT;
  const src = join(dir, `c${n}.s`);
  const obj = join(dir, `c${n}.o`);
  const out = join(dir, `c${n}.elf`);
  const body = c.data ? `.text\nnop\n.data\n${c.asm}\n` : `.text\n${c.asm}\n.data\n.xword 0\n`;
  writeFileSync(src, `.globl _start\n.text\n_start:\n${body}`);
  execFileSync(AS, [src, '-o', obj]);
  const r = spawnSync(LD, [
    '-static',
    '--no-relax',
    '-e',
    '_start',
    `-Ttext=0x${text.toString(16)}`,
    `-Tdata=0x${DATA.toString(16)}`,
    `--defsym=sym=0x${c.sym.toString(16)}`,
    obj,
    '-o',
    out,
  ]);
  const linked: Linked = { ok: r.status === 0, stderr: String(r.stderr), sections: new Map() };
  if (linked.ok) {
    const e = parseElf(readFileSync(out));
    for (const s of e.sections)
      if (s.name === '.text' || s.name === '.data')
        linked.sections.set(s.name, { addr: s.addr, bytes: e.sectionData(s) });
  }
  return { obj: readFileSync(obj), linked };
}

/** Relocate the object's .text and .data at the given addresses with our engine. */
function relocateOurs(
  objBytes: Uint8Array,
  addr: Map<string, bigint>,
  sym: bigint,
): { bytes: Map<string, Uint8Array>; types: string[] } {
  const elf = parseElf(objBytes);
  const out = new Map<string, Uint8Array>();
  const types: string[] = [];
  for (const name of ['.text', '.data']) {
    const sec = elf.sectionByName(name)!;
    const bytes = new Uint8Array(elf.sectionData(sec));
    const view = new DataView(bytes.buffer);
    for (const r of elf.relocationsFor(sec)) {
      types.push(r.typeName ?? String(r.type));
      const s = r.symbol!;
      const S = s.shndx === ELF.SHN_UNDEF ? sym : addr.get(elf.sections[s.shndx]!.name)! + s.value;
      const P = addr.get(name)! + r.offset;
      applyAarch64Relocation(view, Number(r.offset), r.type, S, r.addend, P, {
        where: () => `${name}+0x${r.offset.toString(16)}`,
      });
    }
    out.set(name, bytes);
  }
  return { bytes: out, types };
}

describe.skipIf(!haveTools)('relocations agree with GNU ld byte for byte', () => {
  CASES.forEach((c, n) => {
    const label = `${c.type}: ${c.asm} with sym = 0x${c.sym.toString(16)}${c.overflow ? ' (overflow)' : ''}`;
    it(label, () => {
      const { obj, linked } = build(c, n);
      const addr = new Map([
        ['.text', c.text ?? TEXT],
        ['.data', DATA],
      ]);
      if (c.overflow) {
        if (c.veneer) {
          // ld's answer to a B/BL out of range is a veneer: the branch reaches a stub, not sym.
          expect(linked.ok, linked.stderr).toBe(true);
          const word = new DataView(
            linked.sections.get('.text')!.bytes.buffer,
            linked.sections.get('.text')!.bytes.byteOffset,
          ).getUint32(0, true);
          const target = TEXT + BigInt.asIntN(28, BigInt(word & 0x3ffffff) << 2n);
          expect(target).not.toBe(c.sym);
          expect(target - TEXT < 0x800_0000n && TEXT - target <= 0x800_0000n).toBe(true);
        } else {
          expect(linked.ok, `ld accepted an overflowing ${c.type}`).toBe(false);
          expect(linked.stderr).toMatch(/truncated to fit|out of range|overflow/);
        }
        let err: unknown;
        try {
          relocateOurs(obj, addr, c.sym);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(RelocationError);
        const re = err as RelocationError;
        expect(re.code).toBe(c.type.startsWith('R_AARCH64_') ? 'RELOC_OVERFLOW' : '');
        expect(re.relocType).toBe(c.type);
        expect(re.message).toMatch(
          new RegExp(
            `^${c.type} at \\.(text|data)\\+0x[0-9a-f]+: value -?0x[0-9a-f]+ is out of range \\[-?0x[0-9a-f]+, 0x[0-9a-f]+\\)$`,
          ),
        );
        return;
      }
      expect(linked.ok, linked.stderr).toBe(true);
      const ours = relocateOurs(obj, addr, c.sym);
      expect(ours.types).toContain(c.type);
      for (const name of ['.text', '.data']) {
        const l = linked.sections.get(name)!;
        expect(l.addr).toBe(addr.get(name));
        expect(Buffer.from(ours.bytes.get(name)!).toString('hex'), `${name} of ${label}`).toBe(
          Buffer.from(l.bytes).toString('hex'),
        );
      }
    });
  });

  it('covers every relocation type the engine supports', () => {
    const tested = new Set(CASES.map((c) => c.type));
    const untested = SUPPORTED_AARCH64_RELOCS.filter(
      (t) => !tested.has(t) && t !== 'R_AARCH64_NONE' && t !== 'R_AARCH64_PLT32',
    );
    expect(untested).toEqual([]);
  });
});

describe('relocation engine errors', () => {
  const view = (): DataView => new DataView(new ArrayBuffer(8));
  it('names an unsupported type and the place', () => {
    expect(() =>
      applyAarch64Relocation(view(), 0, 311, 0n, 0n, 0n, { where: () => '.text+0x10 against foo' }),
    ).toThrow('unsupported relocation R_AARCH64_ADR_GOT_PAGE at .text+0x10 against foo');
    expect(() => applyAarch64Relocation(view(), 0, 9999, 0n, 0n, 0n)).toThrow(
      /unsupported relocation type 9999/,
    );
  });
  it('refuses a field outside the section', () => {
    expect(() => applyAarch64Relocation(view(), 4, 257, 0n, 0n, 0n)).toThrow(
      /R_AARCH64_ABS64 at 0x0: the 8-byte field at offset 0x4 lies outside its section \(size 0x8\)/,
    );
  });
  it('refuses a MOVW relocation on a word that is not a move-wide', () => {
    const v = view();
    v.setUint32(0, 0xd503201f, true);
    expect(() => applyAarch64Relocation(v, 0, 263, 1n, 0n, 0n)).toThrow(/is not a MOVN\/MOVZ\/MOVK/);
    expect(v.getUint32(0, true)).toBe(0xd503201f);
  });
  it('refuses a misaligned branch target and writes nothing', () => {
    const v = view();
    v.setUint32(0, 0x94000000, true);
    expect(() => applyAarch64Relocation(v, 0, 283, 0x1002n, 0n, 0x1000n)).toThrow(
      /R_AARCH64_CALL26 at 0x1000: value 0x2 is not a multiple of 4/,
    );
    expect(v.getUint32(0, true)).toBe(0x94000000);
  });
  it('uses the module loader ranges with kernelRanges: PREL32 signed, ABS32 unsigned', () => {
    const P = 0x1000n;
    expect(() => applyAarch64Relocation(view(), 0, 261, P + 0x8000_0000n, 0n, P)).not.toThrow();
    expect(() =>
      applyAarch64Relocation(view(), 0, 261, P + 0x8000_0000n, 0n, P, { kernelRanges: true }),
    ).toThrow(RelocationError);
    expect(() => applyAarch64Relocation(view(), 0, 258, 0n, -1n, P)).not.toThrow();
    expect(() => applyAarch64Relocation(view(), 0, 258, 0n, -1n, P, { kernelRanges: true })).toThrow(
      /out of range \[0x0, 0x100000000\)/,
    );
  });
});
