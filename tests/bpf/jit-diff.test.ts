/**
 * Differential property: verifier-accepted programs give the same r0, the same printk output and the same
 * memory effects (every map's bytes afterwards) on the interpreter and JITed on the emulated CPU.
 *
 * Two seeded program sources:
 * - `genSafeProgram(seed)` (the verifier's generator): maps, ring buffer, helpers, loops, ctx reads;
 * - `genAluProgram(seed)` below: every ALU/ALU64/END/JMP/JMP32/LDX/ST/STX/atomic opcode of the table with
 *   random operands (64-bit edge values, both widths, K and X), stack traffic, and an epilogue that stores
 *   every register and stack slot into an array map, so any wrong bit shows as a memory difference.
 * Both atomics forms of the JIT (LSE and LL/SC) are checked. A failure names the seed.
 */
import { describe, expect, test } from 'vitest';
import { OPCODE_TABLE, type OpcodeEntry } from '../../src/bpf/isa/table.js';
import type { BpfInsn } from '../../src/bpf/isa/insn.js';
import { genSafeProgram, GEN_MAPS, genVerifyOptions } from '../../src/bpf/verifier/gen.js';
import { verify } from '../../src/bpf/verifier/verify.js';
import { MapSet } from '../../src/bpf/maps/registry.js';
import { BPF_MAP_TYPE, type MapDef } from '../../src/bpf/maps/types.js';
import { CTX_ADDRESS, createObjectMaps, ctxBytes, runTracingProgram } from '../../src/bpf/object/run.js';
import { loadBpfObject } from '../../src/bpf/object/load.js';
import { Tramp64Error } from '../../src/util/errors.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BpfProgram } from '../../src/bpf/object/load.js';
import { freeJitImage, jitProgram, runJit, runTracingProgramJit } from '../../src/bpf/jit/index.js';
import { Asm } from '../../src/a64/asm.js';
import { X } from '../../src/a64/builder.js';
import { disassemble } from '../../src/a64/index.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { Rng } from '../../src/util/rng.js';

const OUT_MAP: MapDef = {
  name: 'out',
  type: BPF_MAP_TYPE.ARRAY,
  keySize: 4,
  valueSize: 18 * 8,
  maxEntries: 1,
  flags: 0,
};

const EDGE = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffffn,
  0x7fff_ffffn,
  0x8000_0000n,
  0xffff_ffffn,
  1n << 63n,
  (1n << 64n) - 1n,
];

function value(rng: Rng): bigint {
  return rng.below(3) === 0 ? EDGE[rng.below(EDGE.length)]! : rng.u64();
}

const lddw = (dst: number, v: bigint, src = 0): BpfInsn[] => [
  { opcode: 0x18, dst, src, off: 0, imm: Number(BigInt.asIntN(32, v & 0xffff_ffffn)), imm64: v },
  { opcode: 0, dst: 0, src: 0, off: 0, imm: Number(BigInt.asIntN(32, v >> 32n)) },
];
const stxdw = (dst: number, off: number, src: number): BpfInsn => ({ opcode: 0x7b, dst, src, off, imm: 0 });
const ldxdw = (dst: number, src: number, off: number): BpfInsn => ({ opcode: 0x79, dst, src, off, imm: 0 });

const pick = (kinds: string[]): OpcodeEntry[] =>
  OPCODE_TABLE.filter((e) => kinds.includes(e.kind) && e.group !== 'packet' && e.group !== 'callx');
const ALU = pick(['alu', 'end']);
const JMP = pick(['jmp']);
const MEM = pick(['ldx', 'st', 'stx', 'atomic']);

/** A straight-line-with-forward-jumps program over r0–r9 and 8 stack slots; ends by dumping them to map 0. */
export function genAluProgram(seed: number): BpfInsn[] {
  const rng = new Rng(seed);
  const out: BpfInsn[] = [];
  for (let r = 0; r <= 9; r++) out.push(...lddw(r, value(rng)));
  for (let k = 1; k <= 8; k++) out.push(stxdw(10, -8 * k, rng.below(10)));
  const n = rng.int(8, 40);
  const body: BpfInsn[][] = [];
  for (let i = 0; i < n; i++) {
    const roll = rng.below(10);
    const reg = (): number => rng.below(10);
    if (roll < 6) {
      const e = ALU[rng.below(ALU.length)]!;
      const w = e.width === 64 ? 64 : 32;
      let imm = e.match.imm ?? Number(BigInt.asIntN(32, value(rng)));
      if (['LSH', 'RSH', 'ARSH'].includes(e.op)) imm = rng.below(w);
      if (['DIV', 'SDIV', 'MOD', 'SMOD'].includes(e.op) && e.source === 'K' && imm === 0) imm = -1;
      body.push([
        {
          opcode: e.opcode,
          dst: reg(),
          src: e.source === 'X' ? reg() : 0,
          off: e.match.off ?? 0,
          imm: e.shape === 'alu_k' ? imm : (e.match.imm ?? 0),
        },
      ]);
    } else if (roll < 8) {
      const e = MEM[rng.below(MEM.length)]!;
      const size = e.size!;
      const slot = -8 * rng.int(1, 8);
      const off = slot + (size < 8 ? rng.below(8 / size) * size : 0);
      const base = { opcode: e.opcode, off, imm: e.match.imm ?? 0 };
      if (e.kind === 'ldx') body.push([{ ...base, dst: reg(), src: 10 }]);
      else if (e.kind === 'st')
        body.push([{ ...base, dst: 10, src: 0, imm: Number(BigInt.asIntN(32, value(rng))) }]);
      else body.push([{ ...base, dst: 10, src: e.kind === 'atomic' ? rng.int(1, 9) : reg() }]);
    } else {
      const e = JMP[rng.below(JMP.length)]!;
      body.push([
        {
          opcode: e.opcode,
          dst: reg(),
          src: e.source === 'X' ? reg() : 0,
          off: 0, // fixed below: a forward jump over the next few entries
          imm: e.source === 'X' ? 0 : Number(BigInt.asIntN(32, value(rng))),
        },
      ]);
    }
  }
  // Resolve jump offsets: skip 0..3 following body entries (never past the epilogue's first insn).
  body.forEach((b, i) => {
    const insn = b[0]!;
    if (JMP.some((e) => e.opcode === insn.opcode)) {
      const skip = Math.min(rng.below(4), body.length - 1 - i);
      insn.off = body.slice(i + 1, i + 1 + skip).reduce((s, x) => s + x.length, 0);
    }
  });
  out.push(...body.flat());
  // Epilogue: r1 = &out[0]; out[k] = r_k (k ≠ 1); out[10 + j] = stack slot j.
  out.push(stxdw(10, -8, 1)); // r1 survives in slot 1
  out.push(...lddw(1, 0n, 2)); // BPF_PSEUDO_MAP_VALUE fd 0, offset 0
  out[out.length - 2]!.imm = 0;
  out[out.length - 1]!.imm = 0;
  for (let r = 0; r <= 9; r++) if (r !== 1) out.push(stxdw(1, 8 * r, r));
  for (let k = 1; k <= 8; k++) {
    out.push(ldxdw(2, 10, -8 * k));
    out.push(stxdw(1, 8 * (9 + k), 2));
  }
  out.push({ opcode: 0xb7, dst: 0, src: 0, off: 0, imm: 0 }); // r0 = 0: fentry programs return 0
  out.push({ opcode: 0x95, dst: 0, src: 0, off: 0, imm: 0 });
  return out;
}

const prog = (insns: BpfInsn[]): BpfProgram =>
  ({
    name: 'diff',
    section: 'fentry/bpf_fentry_test3',
    attachType: 'fentry',
    target: 'bpf_fentry_test3',
    sleepable: false,
    insns,
    ownInsns: insns.length,
    subprograms: [],
    lines: [],
  }) as BpfProgram;

function mapsFor(defs: readonly MapDef[]): MapSet {
  const set = new MapSet();
  for (const d of defs) set.create(d);
  return set;
}

function compare(
  kernel: Kernel,
  insns: BpfInsn[],
  defs: readonly MapDef[],
  atomics: 'lse' | 'llsc',
  seed: number,
  cpu = 0,
): number {
  const run = { args: [0x1234n, 0xffff_ffff_ffff_fff0n, 7n], ip: 0xffff_8000_8010_0000n, ret: 5n, cpu };
  const mi = mapsFor(defs);
  const interp = runTracingProgram(prog(insns), mi, run);
  const mj = mapsFor(defs);
  const jit = runTracingProgramJit(kernel, prog(insns), mj, run, { atomics });
  const where = `seed ${seed} (${atomics})`;
  expect(jit.r0, where).toBe(interp.r0);
  expect(jit.printk, where).toEqual(interp.printk);
  mi.maps.forEach((m, i) =>
    expect(mj.maps[i]!.region().bytes, `${where}: map ${m.name}`).toEqual(m.region().bytes),
  );
  return jit.a64Insns;
}

describe('interpreter ≡ JIT on the emulated CPU', () => {
  const kernel = new Kernel({ layout: { kind: 'nokaslr' } });

  test.each(['lse', 'llsc'] as const)(
    'genAluProgram: 150 seeded programs, all opcodes (%s atomics)',
    (atomics) => {
      let accepted = 0;
      for (let seed = 1; seed <= 150; seed++) {
        const insns = genAluProgram(seed);
        const v = verify(insns, {
          attachType: 'fentry',
          target: { name: 'bpf_fentry_test3', nargs: 3 },
          maps: [{ def: OUT_MAP }],
        });
        if (!v.ok) continue;
        accepted++;
        compare(kernel, insns, [OUT_MAP], atomics, seed);
      }
      expect(accepted).toBeGreaterThanOrEqual(120);
    },
  );

  // LSE on nokaslr (helpers in BL reach) on CPU 0; LL/SC on a KASLR layout (MOVN/MOVK/MOVK + BLR) on CPU 1
  // of two, where the inlined bpf_get_smp_processor_id must read 1 as the interpreter's helper answers.
  const kaslr2 = new Kernel({ layout: { kind: 'kaslr', seed: 5 }, machine: { cpus: 2 } });
  test.each([
    ['lse', 'nokaslr, CPU 0'],
    ['llsc', 'kaslr, CPU 1'],
  ] as const)(
    'genSafeProgram: 150 seeded programs with maps and helpers (%s atomics, %s)',
    (atomics, _where) => {
      let accepted = 0;
      for (let seed = 1; seed <= 150; seed++) {
        const { insns } = genSafeProgram(seed);
        const v = verify(insns, genVerifyOptions());
        if (!v.ok) continue;
        accepted++;
        const k = atomics === 'lse' ? kernel : kaslr2;
        compare(
          k,
          insns,
          GEN_MAPS.map((m) => m.def),
          atomics,
          seed,
          atomics === 'lse' ? 0 : 1,
        );
      }
      expect(accepted).toBe(150);
    },
  );

  test('the comparison catches a wrong translation: one A64 word changed in the image', () => {
    // lddw r2, 40 ; add r2, 2 ; <dump> — then the JITed `add x1, x1, #2` is patched to `sub x1, x1, #2`.
    const insns: BpfInsn[] = [];
    insns.push(...lddw(2, 40n), { opcode: 0x07, dst: 2, src: 0, off: 0, imm: 2 });
    insns.push(...lddw(1, 0n, 2), stxdw(1, 16, 2), { opcode: 0xb7, dst: 0, src: 0, off: 0, imm: 0 });
    insns.push({ opcode: 0x95, dst: 0, src: 0, off: 0, imm: 0 });
    const mi = mapsFor([OUT_MAP]);
    runTracingProgram(prog(insns), mi, { args: [1n, 2n, 3n] });
    const mj = mapsFor([OUT_MAP]);
    const image = jitProgram(kernel, insns, { resolveLdImm64: mj.resolveLdImm64 });
    const at = image.address + BigInt(image.insnOffsets[2]!);
    const addWord = image.words[image.insnOffsets[2]! / 4]!;
    expect(disassemble(addWord)?.replace(/\t/g, ' ')).toBe('add x1, x1, #2');
    const sub = new Asm(at);
    sub.sub(X[1]!, X[1]!, 2);
    kernel.patcher.patchText(at, addWord, sub.finish().words[0]!);
    runJit(kernel, image, {
      args: [CTX_ADDRESS + 16n],
      regions: [
        ...mj.regions(),
        { name: 'ctx', base: CTX_ADDRESS, bytes: ctxBytes({ args: [1n, 2n, 3n] }), writable: false },
      ],
    });
    freeJitImage(kernel, image);
    const view = (m: MapSet): bigint => new DataView(m.maps[0]!.region().bytes.buffer).getBigUint64(16, true);
    expect(view(mi)).toBe(42n);
    expect(view(mj)).toBe(38n);
  });
});

describe('fixture programs: interpreter ≡ JIT', () => {
  const dir = join(import.meta.dirname, '../../fixtures/bpf');
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.bpf.o'))
    .sort()
    .flatMap((f) =>
      loadBpfObject(new Uint8Array(readFileSync(join(dir, f)))).programs.map(
        (p) => [`${f} ${p.name}`, f, p] as const,
      ),
    );

  test.each(cases)('%s', (_n, file, p) => {
    const kernel = new Kernel({ layout: { kind: 'nokaslr' } });
    const obj = loadBpfObject(new Uint8Array(readFileSync(join(dir, file))));
    // Eight argument slots, as many as any fixture target has (the verifier bounds ctx reads by the BTF
    // arity, so fewer slots than the program reads is not an input a kernel would give).
    for (const args of [
      [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n],
      [0n, 0xffn, 0x8000_0000n, (1n << 64n) - 1n, 0n, 1n, 2n, 3n],
    ]) {
      const run = { args, ip: kernel.layout.imageStart + 0x1230n, ret: 42n };
      const mi = createObjectMaps(obj);
      const mj = createObjectMaps(obj);
      let want: ReturnType<typeof runTracingProgram> | Error;
      try {
        want = runTracingProgram(p, mi, run);
      } catch (e) {
        want = e as Error;
      }
      if (want instanceof Error) {
        // Both engines refuse: a bad pointer read faults on the CPU as it does in the interpreter.
        expect(() => runTracingProgramJit(kernel, p, mj, run)).toThrow(Tramp64Error);
        continue;
      }
      const got = runTracingProgramJit(kernel, p, mj, run);
      expect(got.r0).toBe(want.r0);
      expect(got.printk).toEqual(want.printk);
      mi.maps.forEach((m, i) => expect(mj.maps[i]!.region().bytes, m.name).toEqual(m.region().bytes));
    }
  });
});
