/** Seeded generators of valid eBPF instructions and programs, read from the opcode table. */
import {
  OPCODE_TABLE,
  SHAPE_FIELDS,
  wideSlots,
  type BpfInsn,
  type OpcodeEntry,
} from '../../src/bpf/isa/index.js';
import type { Rng } from '../../src/util/rng.js';

/** Random legal fields for an entry: operands random, matched fields fixed, the rest zero. */
export function randomInsn(e: OpcodeEntry, rng: Rng): BpfInsn[] {
  const ops = SHAPE_FIELDS[e.shape];
  const pick = (f: 'dst' | 'src' | 'off' | 'imm'): number => {
    if (e.match[f] !== undefined) return e.match[f]!;
    if (!ops.includes(f)) return 0;
    if (f === 'dst' || f === 'src') return rng.below(11);
    if (f === 'off') return rng.int(-0x8000, 0x7fff);
    return rng.u32() | 0;
  };
  const insn: BpfInsn = {
    opcode: e.opcode,
    dst: pick('dst'),
    src: pick('src'),
    off: pick('off'),
    imm: pick('imm'),
  };
  if (e.kind === 'lddw') {
    const hi = e.nextImm === true ? rng.u32() | 0 : 0;
    return wideSlots(
      { opcode: e.opcode, dst: insn.dst, src: insn.src, off: 0 },
      (BigInt(hi >>> 0) << 32n) | BigInt(insn.imm >>> 0),
    );
  }
  return [insn];
}

/** A random valid program of about `n` instructions drawn from the whole table. */
export function randomProgram(rng: Rng, n: number): BpfInsn[] {
  const out: BpfInsn[] = [];
  for (let i = 0; i < n; i++) out.push(...randomInsn(rng.pick(OPCODE_TABLE), rng));
  return out;
}
