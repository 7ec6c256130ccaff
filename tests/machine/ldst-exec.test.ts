/**
 * Differential test of the load/store handlers against qemu-aarch64: seeded random sequences of the
 * load/store rows (single and pair in every addressing form, literal, register offset, SIMD&FP, exclusives,
 * ordered, LSE atomics, CAS/CASP, PRFM) over a data buffer, in a static ELF that initialises X0–X27, SP,
 * NZCV, V0–V31 and the buffer from seeded values, runs the sequence, writes the registers and the buffer to
 * stdout and exits. The same bytes run under qemu and runUserProgram; the outputs must be identical.
 *
 * The generator tracks every base register's offset into the buffer, so each access is in range and, where
 * the architecture requires it (exclusives, atomics, acquire/release), aligned.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decode } from '../../src/a64/index.js';
import { TABLE_FILES } from '../../src/a64/table/index.js';
import { parseElf } from '../../src/elf/index.js';
import { runUserProgram } from '../../src/kernel/user.js';

const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAVE_TOOLS = have('qemu-aarch64') && have('aarch64-linux-gnu-as') && have('aarch64-linux-gnu-ld');

/** xorshift32. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const int = (n: number): number => next() % n;
  const range = (lo: number, hi: number): number => lo + int(hi - lo + 1);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;
  const u64 = (): bigint => (BigInt(next()) << 32n) | BigInt(next());
  return { next, int, range, pick, u64 };
}
type Rng = ReturnType<typeof rng>;

const BUF = 8192;
/** Accesses stay below BUF - SLACK (a q pair is 32 bytes). */
const SLACK = 40;
const DATA = Array.from({ length: 18 }, (_, i) => i); // x0–x17
const BASES = [19, 20, 21, 22, 23, 24, 31]; // 31 = SP
const IDX = 25;
const STATUS = 27;

const xr = (n: number): string => (n === 31 ? 'xzr' : `x${n}`);
const wr = (n: number): string => (n === 31 ? 'wzr' : `w${n}`);
const base = (n: number): string => (n === 31 ? 'sp' : `x${n}`);
const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

class Gen {
  readonly lines: string[] = [];
  /** Offset into the buffer of each base register. */
  readonly off = new Map<number, number>();
  count = 0;
  constructor(readonly r: Rng) {}

  emit(s: string): void {
    this.lines.push(`\t${s}`);
    this.count++;
  }

  /** A base register and a target address A (A % align = 0, in range) with A - off(base) satisfying ok. */
  target(
    align: number,
    ok: (d: number) => boolean,
    bases = BASES,
  ): { b: number; a: number; d: number } | undefined {
    for (let tries = 0; tries < 40; tries++) {
      const b = this.r.pick(bases);
      const ob = this.off.get(b)!;
      const d =
        this.r.pick([this.r.range(-256, 255), this.r.range(-512, 1008), this.r.range(0, 4095)]) &
        ~(align - 1);
      const a = ob + d;
      if (a < 0 || a > BUF - SLACK || a % align !== 0) continue;
      if (!ok(d)) continue;
      return { b, a, d };
    }
    return undefined;
  }

  /** A base, an immediate offset d and, for writeback, the new base offset; SP stays 16-aligned. */
  wb(b: number, d: number): boolean {
    const nb = this.off.get(b)! + d;
    if (b === 31 && nb % 16 !== 0) return false;
    if (nb < 0 || nb > BUF - SLACK) return false;
    return true;
  }

  dataReg(): number {
    return this.r.pick(DATA);
  }

  srcReg(): number {
    return this.r.int(10) === 0 ? 31 : this.r.pick([...DATA, 19, 20, 21]);
  }
}

const GP = [
  { mn: 'strb', size: 1, w: true, st: true },
  { mn: 'ldrb', size: 1, w: true, st: false },
  { mn: 'ldrsb', size: 1, w: false, st: false },
  { mn: 'ldrsb', size: 1, w: true, st: false },
  { mn: 'strh', size: 2, w: true, st: true },
  { mn: 'ldrh', size: 2, w: true, st: false },
  { mn: 'ldrsh', size: 2, w: false, st: false },
  { mn: 'ldrsh', size: 2, w: true, st: false },
  { mn: 'str', size: 4, w: true, st: true },
  { mn: 'ldr', size: 4, w: true, st: false },
  { mn: 'ldrsw', size: 4, w: false, st: false },
  { mn: 'str', size: 8, w: false, st: true },
  { mn: 'ldr', size: 8, w: false, st: false },
] as const;

const FP = [
  { k: 'b', size: 1 },
  { k: 'h', size: 2 },
  { k: 's', size: 4 },
  { k: 'd', size: 8 },
  { k: 'q', size: 16 },
] as const;

const unscaledMn = (mn: string): string => mn.replace(/^(ld|st)r/, '$1ur');
const unprivMn = (mn: string): string => mn.replace(/^(ld|st)r/, '$1tr');

/** Emit one register-offset access: loads x25 with the index and returns the address operand. */
function regOffsetOperand(g: Gen, size: number): string | undefined {
  const r = g.r;
  const lg = Math.log2(size);
  const mode = r.pick(['lsl', 'uxtw', 'sxtw', 'sxtx'] as const);
  const sh = r.int(2) ? lg : 0;
  const t = g.target(
    size === 16 ? 1 : 1 << sh,
    (d) => d % (1 << sh) === 0 && (mode !== 'uxtw' || d >= 0),
    BASES.filter((b) => b !== 31),
  );
  if (!t) return undefined;
  const idx = BigInt(t.d >> sh);
  let v: bigint;
  if (mode === 'uxtw' || mode === 'sxtw') v = (r.u64() & 0xffffffff00000000n) | BigInt.asUintN(32, idx);
  else v = idx;
  g.emit(`ldr x${IDX}, =${hex(v)}`);
  const amount = sh || r.int(2) ? ` #${sh}` : '';
  const ext = mode === 'lsl' ? (amount ? `lsl${amount}` : '') : `${mode}${amount}`;
  const reg = mode === 'uxtw' || mode === 'sxtw' ? `w${IDX}` : `x${IDX}`;
  return ext ? `[${base(t.b)}, ${reg}, ${ext}]` : `[${base(t.b)}, ${reg}]`;
}

/** One single-register access (general-purpose or SIMD&FP) in a random addressing form. */
function single(g: Gen): void {
  const r = g.r;
  let mn: string;
  let rt: string;
  let size: number;
  let st: boolean;
  let unpriv = true;
  let rtNum = -1;
  if (r.int(3) === 0) {
    const f = r.pick(FP);
    st = r.int(2) === 0;
    mn = st ? 'str' : 'ldr';
    rt = `${f.k}${r.int(32)}`;
    size = f.size;
    unpriv = false;
  } else {
    const v = r.pick(GP);
    st = v.st;
    mn = v.mn;
    rtNum = st ? g.srcReg() : g.dataReg();
    rt = v.w ? wr(rtNum) : xr(rtNum);
    size = v.size;
  }
  const form = r.pick(['uimm', 'unscaled', 'unpriv', 'pre', 'post', 'reg'] as const);
  switch (form) {
    case 'uimm': {
      const t = g.target(size, (d) => d >= 0 && d % size === 0 && d / size < 4096);
      if (t) g.emit(`${mn} ${rt}, [${base(t.b)}, #${t.d}]`);
      return;
    }
    case 'unscaled':
    case 'unpriv': {
      const t = g.target(1, (d) => d >= -256 && d <= 255);
      if (t)
        g.emit(
          `${form === 'unpriv' && unpriv ? unprivMn(mn) : unscaledMn(mn)} ${rt}, [${base(t.b)}, #${t.d}]`,
        );
      return;
    }
    case 'pre':
    case 'post': {
      const t = g.target(
        1,
        (d) => d >= -256 && d <= 255,
        BASES.filter((b) => b !== rtNum),
      );
      if (!t || !g.wb(t.b, t.d)) return;
      if (form === 'pre') g.emit(`${mn} ${rt}, [${base(t.b)}, #${t.d}]!`);
      else {
        // Post-index accesses at the old base: check it is in range too (it is: the base always is).
        g.emit(`${mn} ${rt}, [${base(t.b)}], #${t.d}`);
      }
      g.off.set(t.b, t.a);
      return;
    }
    case 'reg': {
      const op = regOffsetOperand(g, size);
      if (op) g.emit(`${mn} ${rt}, ${op}`);
      return;
    }
  }
}

function pair(g: Gen): void {
  const r = g.r;
  const kind = r.pick(['w', 'x', 'sw', 's', 'd', 'q'] as const);
  const size = kind === 'w' || kind === 'sw' || kind === 's' ? 4 : kind === 'x' || kind === 'd' ? 8 : 16;
  const ld = kind === 'sw' ? true : r.int(2) === 0;
  const fp = kind === 's' || kind === 'd' || kind === 'q';
  let a: number;
  let b: number;
  if (fp) {
    a = r.int(32);
    do b = r.int(32);
    while (b === a);
  } else {
    a = ld ? g.dataReg() : g.srcReg();
    do b = ld ? g.dataReg() : g.srcReg();
    while (b === a && ld);
  }
  const reg = (n: number): string => (fp ? `${kind}${n}` : kind === 'w' ? wr(n) : xr(n));
  const mn = kind === 'sw' ? 'ldpsw' : ld ? 'ldp' : 'stp';
  const form = r.pick(
    kind === 'sw' ? (['off', 'pre', 'post'] as const) : (['off', 'pre', 'post', 'nap'] as const),
  );
  const bases = fp ? BASES : BASES.filter((x) => x !== a && x !== b);
  const t = g.target(1, (d) => d % size === 0 && d / size >= -64 && d / size <= 63, bases);
  if (!t) return;
  const ops = `${reg(a)}, ${reg(b)}`;
  if (form === 'off') g.emit(`${mn} ${ops}, [${base(t.b)}, #${t.d}]`);
  else if (form === 'nap') g.emit(`${mn.replace('p', 'np')} ${ops}, [${base(t.b)}, #${t.d}]`);
  else {
    if (!g.wb(t.b, t.d)) return;
    g.emit(
      form === 'pre' ? `${mn} ${ops}, [${base(t.b)}, #${t.d}]!` : `${mn} ${ops}, [${base(t.b)}], #${t.d}`,
    );
    g.off.set(t.b, t.a);
  }
}

function literal(g: Gen): void {
  const r = g.r;
  const lit = `lit${r.int(64)}`;
  switch (r.int(7)) {
    case 0:
      g.emit(`ldr ${xr(g.dataReg())}, ${lit}`);
      break;
    case 1:
      g.emit(`ldr ${wr(g.dataReg())}, ${lit}`);
      break;
    case 2:
      g.emit(`ldrsw ${xr(g.dataReg())}, ${lit}`);
      break;
    case 3:
      g.emit(`ldr s${r.int(32)}, ${lit}`);
      break;
    case 4:
      g.emit(`ldr d${r.int(32)}, ${lit}`);
      break;
    case 5:
      g.emit(`ldr q${r.int(32)}, ${lit}`);
      break;
    default:
      g.emit(`prfm pldl1keep, ${lit}`);
  }
}

function prefetch(g: Gen): void {
  const r = g.r;
  const op = r.pick(['pldl1keep', 'pldl2strm', 'pstl1keep', 'plil3keep']);
  switch (r.int(3)) {
    case 0: {
      const t = g.target(8, (d) => d >= 0 && d % 8 === 0);
      if (t) g.emit(`prfm ${op}, [${base(t.b)}, #${t.d}]`);
      break;
    }
    case 1: {
      const t = g.target(1, (d) => d >= -256 && d <= 255);
      if (t) g.emit(`prfum ${op}, [${base(t.b)}, #${t.d}]`);
      break;
    }
    default: {
      const o = regOffsetOperand(g, 8);
      if (o) g.emit(`prfm ${op}, ${o}`);
    }
  }
}

const SZ = [
  { s: 'b', size: 1, w: true },
  { s: 'h', size: 2, w: true },
  { s: '', size: 4, w: true },
  { s: '', size: 8, w: false },
] as const;

/** A base register whose current offset is aligned to `align` (offset-free instructions). */
function alignedBase(g: Gen, align: number): number | undefined {
  const ok = BASES.filter((b) => g.off.get(b)! % align === 0 && g.off.get(b)! <= BUF - SLACK);
  return ok.length ? g.r.pick(ok) : undefined;
}

function exclusive(g: Gen): void {
  const r = g.r;
  if (r.int(3) === 0) {
    // Pair.
    const w = r.int(2) === 0;
    const size = w ? 8 : 16;
    const b = alignedBase(g, size);
    if (b === undefined) return;
    const reg = w ? wr : xr;
    const t1 = g.dataReg();
    let t2 = g.dataReg();
    if (t2 === t1) t2 = (t1 + 1) % 18;
    g.emit(`${r.pick(['ldxp', 'ldaxp'])} ${reg(t1)}, ${reg(t2)}, [${base(b)}]`);
    const s1 = g.srcReg();
    const s2 = g.srcReg();
    const sb = r.int(4) === 0 ? (alignedBase(g, size) ?? b) : b;
    g.emit(`${r.pick(['stxp', 'stlxp'])} w${STATUS}, ${reg(s1)}, ${reg(s2)}, [${base(sb)}]`);
    return;
  }
  const z = r.pick(SZ);
  const b = alignedBase(g, z.size);
  if (b === undefined) return;
  const reg = z.w ? wr : xr;
  const mode = r.int(4);
  if (mode !== 0) g.emit(`${r.pick(['ldxr', 'ldaxr'])}${z.s} ${reg(g.dataReg())}, [${base(b)}]`);
  // mode 1: same address (succeeds), 2: maybe another address, 0: no load-exclusive (fails).
  const sb = mode === 2 ? (alignedBase(g, z.size) ?? b) : b;
  g.emit(`${r.pick(['stxr', 'stlxr'])}${z.s} w${STATUS}, ${reg(g.srcReg())}, [${base(sb)}]`);
}

function ordered(g: Gen): void {
  const r = g.r;
  const z = r.pick(SZ);
  const reg = z.w ? wr : xr;
  if (r.int(2) === 0) {
    const b = alignedBase(g, z.size);
    if (b === undefined) return;
    const ld = r.int(2) === 0;
    const mn = ld ? r.pick(['ldar', 'ldlar', 'ldapr']) : r.pick(['stlr', 'stllr']);
    g.emit(`${mn}${z.s} ${reg(ld ? g.dataReg() : g.srcReg())}, [${base(b)}]`);
    return;
  }
  // LDAPUR/STLUR, with sign-extending variants.
  const v = r.pick(GP);
  const mn = v.mn.replace(/^ldr/, 'ldapur').replace(/^str/, 'stlur');
  const t = g.target(v.size, (d) => d >= -256 && d <= 255);
  if (!t) return;
  const n = v.st ? g.srcReg() : g.dataReg();
  g.emit(`${mn} ${v.w ? wr(n) : xr(n)}, [${base(t.b)}, #${t.d}]`);
}

function lse(g: Gen): void {
  const r = g.r;
  const z = r.pick(SZ);
  const reg = z.w ? wr : xr;
  const ord = r.pick(['', 'a', 'al', 'l']);
  const kind = r.int(10);
  if (kind < 6) {
    const b = alignedBase(g, z.size);
    if (b === undefined) return;
    const op = r.pick(['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin', 'swp']);
    const mn = op === 'swp' ? `swp${ord}${z.s}` : `ld${op}${ord}${z.s}`;
    const rt = r.int(6) === 0 ? 31 : g.dataReg();
    g.emit(`${mn} ${reg(g.srcReg())}, ${reg(rt)}, [${base(b)}]`);
  } else if (kind < 9) {
    const b = alignedBase(g, z.size);
    if (b === undefined) return;
    const s = g.dataReg();
    if (r.int(2) === 0) g.emit(`ldr${z.s} ${reg(s)}, [${base(b)}]`);
    g.emit(`cas${ord}${z.s} ${reg(s)}, ${reg(g.srcReg())}, [${base(b)}]`);
  } else {
    const w = r.int(2) === 0;
    const size = w ? 8 : 16;
    const b = alignedBase(g, size);
    if (b === undefined) return;
    const preg = w ? wr : xr;
    const s = r.int(9) * 2;
    let t = r.int(9) * 2;
    if (t === s) t = (s + 2) % 18;
    if (r.int(2) === 0) g.emit(`ldp ${preg(s)}, ${preg(s + 1)}, [${base(b)}]`);
    g.emit(`casp${ord} ${preg(s)}, ${preg(s + 1)}, ${preg(t)}, ${preg(t + 1)}, [${base(b)}]`);
  }
}

/** Assembly for one seeded program. */
function program(seed: number, n: number): { src: string; count: number } {
  const r = rng(seed);
  const g = new Gen(r);
  const initOff = new Map<number, number>();
  for (const b of BASES) {
    const o = b === 31 ? r.range(0, (BUF - 64) / 16) * 16 : r.range(0, BUF - 64);
    g.off.set(b, o);
    initOff.set(b, o);
  }
  const gens = [single, single, single, single, pair, pair, literal, prefetch, exclusive, ordered, lse, lse];
  while (g.count < n) r.pick(gens)(g);
  const body = g.lines.join('\n');

  const init: string[] = [];
  for (let i = 0; i < 28; i++) init.push(`\t.quad ${hex(r.u64())}`);
  const vinit: string[] = [];
  for (let i = 0; i < 64; i++) vinit.push(`\t.quad ${hex(r.u64())}`);
  const buf: string[] = [];
  for (let i = 0; i < BUF / 8; i++) buf.push(`\t.quad ${hex(r.u64())}`);
  const lits: string[] = [];
  for (let i = 0; i < 64; i++) lits.push(`lit${i}:\t.quad ${hex(r.u64())}, ${hex(r.u64())}`);
  const nzcv = r.int(16) << 28;

  const setBases = BASES.map((b) => {
    const o = initOff.get(b)!;
    const d = b === 31 ? 'x1' : `x${b}`;
    const set = `\tadd ${d}, x28, #${o >> 12}, lsl #12\n\tadd ${d}, ${d}, #${o & 0xfff}`;
    return b === 31 ? `${set}\n\tadd sp, x1, #0` : set;
  }).join('\n');
  const src = `
	.text
	.globl _start
_start:
	adrp x28, buf
	add x28, x28, :lo12:buf
	adrp x27, vinit
	add x27, x27, :lo12:vinit
${Array.from({ length: 16 }, (_, i) => `\tldp q${2 * i}, q${2 * i + 1}, [x27], #32`).join('\n')}
	ldr x1, =${hex(BigInt(nzcv))}
	msr nzcv, x1
${setBases}
	adrp x27, init
	add x27, x27, :lo12:init
${Array.from({ length: 9 }, (_, i) => `\tldp x${2 * i}, x${2 * i + 1}, [x27, #${16 * i}]`).join('\n')}
	ldr x${IDX}, [x27, #${8 * IDX}]
	ldr x26, [x27, #${8 * 26}]
	ldr x27, [x27, #${8 * 27}]
${body}
	adrp x29, out
	add x29, x29, :lo12:out
${Array.from({ length: 14 }, (_, i) => `\tstp x${2 * i}, x${2 * i + 1}, [x29, #${16 * i}]`).join('\n')}
	add x1, sp, #0
	str x1, [x29, #224]
	mrs x1, nzcv
	str x1, [x29, #232]
${Array.from({ length: 16 }, (_, i) => `\tstp q${2 * i}, q${2 * i + 1}, [x29, #${240 + 32 * i}]`).join('\n')}
	ldr x0, =1
	add x1, x29, #0
	ldr x2, =${240 + 512}
	ldr x8, =64
	svc #0
	ldr x0, =1
	add x1, x28, #0
	ldr x2, =${BUF}
	ldr x8, =64
	svc #0
	ldr x0, =0
	ldr x8, =93
	svc #0
	udf #0x1234 // end of code: rowsIn stops here
	.ltorg
	.balign 16
${lits.join('\n')}

	.data
	.balign 4096
buf:
${buf.join('\n')}
init:
${init.join('\n')}
	.balign 16
vinit:
${vinit.join('\n')}
	.balign 16
out:
	.skip ${240 + 512}
`;
  return { src, count: g.count };
}

function build(dir: string, src: string): Uint8Array {
  writeFileSync(join(dir, 'p.s'), src);
  execFileSync('aarch64-linux-gnu-as', ['-march=armv8.5-a', '-o', join(dir, 'p.o'), join(dir, 'p.s')]);
  execFileSync('aarch64-linux-gnu-ld', ['-static', '-nostdlib', '-o', join(dir, 'p'), join(dir, 'p.o')]);
  return new Uint8Array(readFileSync(join(dir, 'p')));
}

function runQemu(dir: string): Buffer {
  return execFileSync('qemu-aarch64', ['-cpu', 'max', join(dir, 'p')], { maxBuffer: 1 << 24 });
}

/** First differing 8-byte word, named. */
function describeDiff(a: Buffer, b: Buffer): string {
  for (let i = 0; i < Math.max(a.length, b.length); i += 8) {
    const x = a.subarray(i, i + 8).toString('hex');
    const y = b.subarray(i, i + 8).toString('hex');
    if (x !== y) {
      const what =
        i < 224
          ? `x${i / 8}`
          : i === 224
            ? 'sp'
            : i === 232
              ? 'nzcv'
              : i < 752
                ? `v${(i - 240) >> 4} word ${((i - 240) & 15) >> 3}`
                : `buf+${i - 752}`;
      return `${what}: qemu ${x}, tramp64 ${y}`;
    }
  }
  return `lengths ${a.length} vs ${b.length}`;
}

/** The load/store rows (ldst*.ts table files) among the program's instruction words. */
function rowsIn(elf: Uint8Array): Set<string> {
  const e = parseElf(elf);
  const text = e.sections.find((s) => s.name === '.text')!;
  const bytes = elf.subarray(Number(text.offset), Number(text.offset + text.size));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Set<string>();
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const w = dv.getUint32(i, true);
    if (w === 0x1234) break;
    const d = decode(w);
    if (d && LDST_ROWS.has(d.entry.name)) out.add(d.entry.name);
  }
  return out;
}
const LDST_ROWS = new Set(
  TABLE_FILES.filter((t) => /^ldst(-pair|-atomic)?\.ts$/.test(t.file)).flatMap((t) =>
    t.encodings.map((e) => e.name),
  ),
);

describe.skipIf(!HAVE_TOOLS)('load/store handlers against qemu-aarch64', () => {
  const covered = new Set<string>();
  const seeds = (process.env.LDST_SEEDS ?? '1,2,3').split(',').map(Number);
  for (const seed of seeds) {
    test(`seed ${seed}: ≥ 10,000 random load/store instructions`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ldst-'));
      try {
        const { src, count } = program(seed, 10_000);
        expect(count).toBeGreaterThanOrEqual(10_000);
        const elf = build(dir, src);
        for (const r of rowsIn(elf)) covered.add(r);
        const want = runQemu(dir);
        const got = runUserProgram(elf);
        const gotBuf = Buffer.from(got.stdoutBytes);
        expect(got.exitCode).toBe(0);
        expect(got.instructions).toBeGreaterThanOrEqual(10_000);
        if (!want.equals(gotBuf)) {
          throw new Error(`seed ${seed}: ${describeDiff(want, gotBuf)} (program kept in ${dir})`);
        }
        rmSync(dir, { recursive: true, force: true });
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`);
      }
    });
  }
  test('row coverage', () => {
    const missing = [...LDST_ROWS].filter((r) => !covered.has(r));
    console.log(
      `load/store rows exercised: ${covered.size} of ${LDST_ROWS.size}; not exercised: ${missing.join(' ')}`,
    );
    // LDRAA/LDRAB: the model's PAC is not QARMA, so they are tested on their own (ldst-monitor.test.ts).
    expect(missing.filter((r) => !r.startsWith('LDRA'))).toEqual([]);
  });
});
