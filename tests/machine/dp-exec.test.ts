/**
 * Differential test of the data-processing handlers (dp-imm.ts, dp-reg.ts) against qemu-aarch64: seeded
 * random straight-line sequences of those rows' instructions, each wrapped in a tiny static ELF that loads
 * X0–X30 and NZCV from a data block of seeded random values, runs the sequence, stores X0–X30 and NZCV on
 * the stack and writes them to stdout in hex (raw `svc` write, then exit). The same ELF bytes run under
 * qemu-aarch64 and under `runUserProgram`; every register and NZCV must match.
 *
 * Seed: DP_SEED=<n> to reproduce; otherwise random, printed on failure. DP_SEQS / DP_LEN scale the run.
 *
 * Excluded rows (and why):
 *  - ADR, ADRP: PC-relative (the two runs load the program at the same address, but the rule is no PC forms);
 *  - PACIA … AUTDB, PACIZA … AUTDZB, XPACI, XPACD, PACGA: qemu-user's keys are not the model's;
 *  - SP forms: Rd = 31 of ADD/SUB (immediate, extended) and AND/ORR/EOR (immediate) writes SP, Rn = 31 of
 *    ADD/SUB/ADDS/SUBS (immediate, extended) reads SP (the two stacks differ) — those fields are redrawn.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { encode, table } from '../../src/a64/index.js';
import { runUserProgram } from '../../src/kernel/user.js';
import { HANDLERS } from '../../src/machine/exec/index.js';
import { CODE, machineWith } from './helpers.js';

const has = (bin: string): boolean => {
  try {
    execFileSync('which', [bin], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const TOOLS = has('qemu-aarch64') && has('aarch64-linux-gnu-as') && has('aarch64-linux-gnu-ld');

// prettier-ignore
const ROWS = [
  // dp-imm.ts
  'ADD_imm', 'ADDS_imm', 'SUB_imm', 'SUBS_imm',
  'AND_imm', 'ORR_imm', 'EOR_imm', 'ANDS_imm',
  'MOVN', 'MOVZ', 'MOVK',
  'SBFM', 'BFM', 'UBFM', 'EXTR',
  // dp-reg.ts
  'UDIV', 'SDIV', 'LSLV', 'LSRV', 'ASRV', 'RORV',
  'CRC32B', 'CRC32H', 'CRC32W', 'CRC32X', 'CRC32CB', 'CRC32CH', 'CRC32CW', 'CRC32CX',
  'RBIT', 'REV16', 'REV_32', 'REV32', 'REV_64', 'CLZ', 'CLS',
  'AND_shifted', 'BIC_shifted', 'ORR_shifted', 'ORN_shifted', 'EOR_shifted', 'EON_shifted', 'ANDS_shifted', 'BICS_shifted',
  'ADD_shifted', 'ADDS_shifted', 'SUB_shifted', 'SUBS_shifted',
  'ADD_ext', 'ADDS_ext', 'SUB_ext', 'SUBS_ext',
  'ADC', 'ADCS', 'SBC', 'SBCS',
  'RMIF', 'SETF8', 'SETF16',
  'CCMN_reg', 'CCMP_reg', 'CCMN_imm', 'CCMP_imm',
  'CSEL', 'CSINC', 'CSINV', 'CSNEG',
  'MADD', 'MSUB', 'SMADDL', 'SMSUBL', 'UMADDL', 'UMSUBL', 'SMULH', 'UMULH',
];

/** Rows whose Rd = 31 is SP (redrawn), and rows whose Rn = 31 is SP (redrawn). */
const RD_SP = new Set(['ADD_imm', 'SUB_imm', 'AND_imm', 'ORR_imm', 'EOR_imm', 'ADD_ext', 'SUB_ext']);
const RN_SP = new Set([
  'ADD_imm',
  'ADDS_imm',
  'SUB_imm',
  'SUBS_imm',
  'ADD_ext',
  'ADDS_ext',
  'SUB_ext',
  'SUBS_ext',
]);

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [
  0n,
  1n,
  2n,
  0xffffffffffffffffn,
  0x8000000000000000n,
  0x7fffffffffffffffn,
  0xffffffffn,
  0x80000000n,
  0x7fffffffn,
  0xffffffff80000000n,
  0x100000000n,
];

function randValue(r: () => number): bigint {
  const u32 = (): bigint => BigInt(Math.floor(r() * 4294967296));
  switch (Math.floor(r() * 6)) {
    case 0:
      return SPECIAL[Math.floor(r() * SPECIAL.length)]!;
    case 1:
      return BigInt(Math.floor(r() * 64));
    case 2:
      return BigInt.asUintN(64, BigInt.asIntN(32, u32())); // sign-extended 32-bit
    case 3:
      return u32();
    default:
      return (u32() << 32n) | u32();
  }
}

function randInsn(r: () => number): { word: number; name: string } {
  const byName = table().byName;
  for (;;) {
    const name = ROWS[Math.floor(r() * ROWS.length)]!;
    const entry = byName.get(name)!;
    const f: Record<string, number> = {};
    for (const s of entry.fieldSpecs) f[s.name] = Math.floor(r() * 2 ** s.width);
    if (f.sf !== undefined && f.N !== undefined && name !== 'AND_imm' && !name.endsWith('_imm')) f.N = f.sf; // bitfield/extract
    if (name === 'SMULH' || name === 'UMULH') f.Ra = 31;
    if (RD_SP.has(name) && f.Rd === 31) continue;
    if (RN_SP.has(name) && f.Rn === 31) continue;
    try {
      return { word: encode(name, f), name };
    } catch {
      continue;
    }
  }
}

interface Program {
  asm: string;
  seqs: { words: number[]; names: string[]; init: bigint[]; nzcv: number }[];
}

function makeProgram(r: () => number, nSeqs: number, len: number): Program {
  const seqs: Program['seqs'] = [];
  const text: string[] = ['.text', '.global _start', '_start:', '  sub sp, sp, #1024'];
  const data: string[] = ['.data', '.balign 16'];
  for (let i = 0; i < nSeqs; i++) {
    const init = Array.from({ length: 31 }, () => randValue(r));
    const nzcv = Math.floor(r() * 16);
    const words: number[] = [];
    const names: string[] = [];
    for (let k = 0; k < len; k++) {
      const { word, name } = randInsn(r);
      words.push(word);
      names.push(name);
    }
    seqs.push({ words, names, init, nzcv });
    data.push(
      `init${i}:`,
      ...init.map((v) => `  .quad 0x${v.toString(16)}`),
      `  .quad 0x${(nzcv << 28).toString(16)}`,
    );
    text.push(
      `  adrp x30, init${i}`,
      `  add x30, x30, :lo12:init${i}`,
      '  ldr x0, [x30, #248]',
      '  msr nzcv, x0',
    );
    for (let k = 0; k < 30; k += 2) text.push(`  ldp x${k}, x${k + 1}, [x30, #${k * 8}]`);
    text.push('  ldr x30, [x30, #240]');
    text.push(...words.map((w) => `  .inst 0x${w.toString(16).padStart(8, '0')}`));
    for (let k = 0; k < 30; k += 2) text.push(`  stp x${k}, x${k + 1}, [sp, #${k * 8}]`);
    text.push('  str x30, [sp, #240]', '  mrs x0, nzcv', '  str x0, [sp, #248]', '  bl dump');
  }
  text.push('  mov x0, #0', '  mov x8, #93', '  svc #0');
  // dump: the 256 bytes at sp as 512 hex digits and a newline.
  text.push(
    'dump:',
    '  mov x3, sp',
    '  add x4, sp, #256',
    '  mov x5, #256',
    '1: ldrb w6, [x3], #1',
    '  lsr w7, w6, #4',
    '  and w6, w6, #15',
    '  add w7, w7, #48',
    '  add w9, w7, #39',
    '  cmp w7, #57',
    '  csel w7, w9, w7, gt',
    '  add w6, w6, #48',
    '  add w9, w6, #39',
    '  cmp w6, #57',
    '  csel w6, w9, w6, gt',
    '  strb w7, [x4], #1',
    '  strb w6, [x4], #1',
    '  subs x5, x5, #1',
    '  b.ne 1b',
    '  mov w6, #10',
    '  strb w6, [x4]',
    '  mov x0, #1',
    '  add x1, sp, #256',
    '  mov x2, #513',
    '  mov x8, #64',
    '  svc #0',
    '  ret',
  );
  return { asm: [...text, ...data, ''].join('\n'), seqs };
}

/** One dump line → X0–X30 and NZCV. */
function parseLine(line: string): { x: bigint[]; nzcv: number } {
  const q = (i: number): bigint => {
    let v = 0n;
    for (let b = 7; b >= 0; b--)
      v = (v << 8n) | BigInt(parseInt(line.slice((i * 8 + b) * 2, (i * 8 + b) * 2 + 2), 16));
    return v;
  };
  return { x: Array.from({ length: 31 }, (_, i) => q(i)), nzcv: Number(q(31) >> 28n) & 15 };
}

describe.skipIf(!TOOLS)('data-processing handlers against qemu-aarch64', () => {
  test('random straight-line sequences agree register for register', () => {
    const seed = process.env.DP_SEED ? Number(process.env.DP_SEED) : Math.floor(Math.random() * 2 ** 31);
    const nSeqs = Number(process.env.DP_SEQS ?? 320);
    const len = Number(process.env.DP_LEN ?? 250);
    const r = rng(seed);
    const prog = makeProgram(r, nSeqs, len);
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-dp-'));
    try {
      writeFileSync(join(dir, 'p.s'), prog.asm);
      execFileSync('aarch64-linux-gnu-as', ['-march=armv8.5-a', '-o', join(dir, 'p.o'), join(dir, 'p.s')]);
      execFileSync('aarch64-linux-gnu-ld', ['-static', '-o', join(dir, 'p'), join(dir, 'p.o')]);
      const elf = join(dir, 'p');
      expect(existsSync(elf)).toBe(true);
      const want = execFileSync('qemu-aarch64', ['-cpu', 'max', elf], { maxBuffer: 1 << 26 }).toString(
        'latin1',
      );
      const got = runUserProgram(new Uint8Array(readFileSync(elf)));
      expect(got.exitCode, `seed ${seed}`).toBe(0);
      const wl = want.split('\n');
      const gl = got.stdout.split('\n');
      for (let i = 0; i < nSeqs; i++) {
        if (wl[i] === gl[i]) continue;
        const w = parseLine(wl[i]!);
        const g = parseLine(gl[i] ?? '');
        const seq = prog.seqs[i]!;
        const diffs: string[] = [];
        for (let k = 0; k < 31; k++) {
          if (w.x[k] !== g.x[k])
            diffs.push(`x${k}: qemu 0x${w.x[k]!.toString(16)} ours 0x${g.x[k]?.toString(16)}`);
        }
        if (w.nzcv !== g.nzcv)
          diffs.push(
            `nzcv: qemu ${w.nzcv.toString(2).padStart(4, '0')} ours ${g.nzcv.toString(2).padStart(4, '0')}`,
          );
        if (diffs.length === 0) diffs.push(`dump lines differ: qemu ${wl[i]} ours ${gl[i]}`);
        const rows = [...new Set(seq.names)].join(' ');
        expect.fail(
          `seed ${seed} (DP_SEED=${seed} DP_SEQS=${nSeqs} DP_LEN=${len}): sequence ${i} of ${len} instructions differs:\n` +
            `${diffs.join('\n')}\nrows in it: ${rows}`,
        );
      }
      expect(gl.length).toBe(wl.length);
      const seen = new Set(prog.seqs.flatMap((q) => q.names));
      expect(ROWS.filter((n) => !seen.has(n))).toEqual([]);
      console.log(
        `dp-exec: seed ${seed}, ${nSeqs} sequences × ${len} = ${nSeqs * len} instructions, ${got.instructions} executed in total`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('every dp-imm.ts and dp-reg.ts row has a handler except PACGA', () => {
  const rows = [...table().byName.values()].filter((e) => e.file === 'dp-imm.ts' || e.file === 'dp-reg.ts');
  expect(rows.length).toBeGreaterThan(90);
  expect(rows.filter((e) => !HANDLERS[e.name]).map((e) => e.name)).toEqual(['PACGA']);
});

/** The PAC register forms, which qemu-user cannot check against the model's keys. */
describe('PAC register forms (model keys)', () => {
  const P = 0xffff_8000_1234_5670n;
  const run = (src: string, args: bigint[], pac = true): bigint =>
    machineWith(`${src}\nret\n`, { pac }).m.call(CODE, args);

  test('pacia/autia with a modifier round trip; a different modifier or key faults', () => {
    expect(run('pacia x0, x1\nautia x0, x1\n', [P, 5n])).toBe(P);
    expect(run('pacizb x0\nautizb x0\n', [P])).toBe(P);
    expect(run('pacda x0, x1\nautda x0, x1\n', [P, 9n])).toBe(P);
    expect(run('pacia x0, x1\n', [P, 5n])).not.toBe(P);
    expect(() => run('pacia x0, x1\nautia x0, x2\n', [P, 5n, 6n])).toThrowError(/PacFault.*autia/);
    expect(() => run('pacia x0, x1\nautib x0, x1\n', [P, 5n])).toThrowError(/PacFault/);
    expect(() => run('pacda x0, x1\nautia x0, x1\n', [P, 5n])).toThrowError(/PacFault/);
  });

  test('xpaci strips; with PAC off every form is a NOP', () => {
    expect(run('paciza x0\nxpaci x0\n', [P])).toBe(P);
    expect(run('pacia x0, x1\nautib x0, x2\nxpacd x0\n', [P, 1n, 2n], false)).toBe(P);
  });
});
