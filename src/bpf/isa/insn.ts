/**
 * The instruction record and its 8-byte little-endian encoding (RFC 9669 §3):
 *
 *   byte 0      byte 1            bytes 2–3        bytes 4–7
 *   opcode      src[7:4] dst[3:0] off (s16, LE)    imm (s32, LE)
 *
 * A program is an array indexed by *slot* (8 bytes each), as in the kernel: the wide load (`lddw`) takes two
 * slots; its first carries `imm64` (the full value, as u64) and its second is the raw pseudo instruction
 * `{ opcode: 0, dst: 0, src: 0, off: 0, imm: next_imm }`. Jump offsets count slots.
 */
import { BpfDecodeError, BpfEncodeError } from './errors.js';
import { ENTRIES_BY_OPCODE, SHAPE_FIELDS, type Field, type OpcodeEntry } from './table.js';
import { MAX_BPF_REG } from './opcodes.js';

export interface BpfInsn {
  opcode: number;
  dst: number;
  src: number;
  /** Signed 16-bit. */
  off: number;
  /** Signed 32-bit. */
  imm: number;
  /** The wide load's 64-bit value (unsigned), present on its first slot only. */
  imm64?: bigint;
}

export const INSN_SIZE = 8;
const WIDE_OPCODE = 0x18;

/** Is this the first slot of a wide (two-slot) instruction? */
export function isWide(insn: BpfInsn): boolean {
  return insn.opcode === WIDE_OPCODE;
}

/** Field values of one 8-byte word, without any validation. */
export function decodeWord(bytes: Uint8Array, slot: number): BpfInsn {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + slot * INSN_SIZE, INSN_SIZE);
  const regs = dv.getUint8(1);
  return {
    opcode: dv.getUint8(0),
    dst: regs & 0x0f,
    src: regs >> 4,
    off: dv.getInt16(2, true),
    imm: dv.getInt32(4, true),
  };
}

/** Write one word; fields must already be in range (see `checkFieldRanges`). */
export function encodeWord(insn: BpfInsn, out: Uint8Array, slot: number): void {
  const dv = new DataView(out.buffer, out.byteOffset + slot * INSN_SIZE, INSN_SIZE);
  dv.setUint8(0, insn.opcode);
  dv.setUint8(1, (insn.src << 4) | insn.dst);
  dv.setInt16(2, insn.off, true);
  dv.setInt32(4, insn.imm, true);
}

/** A word as the 64-bit number the `-- raw` sections of .data files use (opcode in the low byte). */
export function wordToU64(insn: BpfInsn): bigint {
  const b = new Uint8Array(8);
  encodeWord(insn, b, 0);
  return new DataView(b.buffer).getBigUint64(0, true);
}

export function u64ToWord(v: bigint): BpfInsn {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return decodeWord(b, 0);
}

/**
 * The table entry of the instruction in slot `index`, checking every field: registers r0–r10, fields the
 * entry fixes (SDIV off = 1 …) and fields it does not use (must be zero). Throws BpfDecodeError.
 */
export function lookupEntry(insn: BpfInsn, index: number): OpcodeEntry {
  const candidates = ENTRIES_BY_OPCODE.get(insn.opcode);
  if (candidates === undefined) {
    throw new BpfDecodeError(index, `opcode 0x${hex2(insn.opcode)} is not defined by RFC 9669`);
  }
  let entry: OpcodeEntry | undefined;
  for (const e of candidates) {
    let ok = true;
    for (const f of ['off', 'imm', 'src'] as const) {
      const want = e.match[f];
      if (want !== undefined && insn[f] !== want) ok = false;
      else if (want === undefined && candidates.length > 1 && isDiscriminator(candidates, f) && insn[f] !== 0)
        ok = false;
    }
    if (ok) {
      entry = e;
      break;
    }
  }
  if (entry === undefined) {
    const fields = [...new Set(candidates.flatMap((e) => Object.keys(e.match)))] as Field[];
    const f = fields[0]!;
    const allowed = candidates.map((e) => `${e.match[f] ?? 0} (${e.mnemonic})`).join(', ');
    throw new BpfDecodeError(
      index,
      `opcode 0x${hex2(insn.opcode)} with ${f}=${insn[f]} is not defined; ${f} must be one of ${allowed}`,
    );
  }
  const operands = SHAPE_FIELDS[entry.shape];
  for (const f of ['dst', 'src', 'off', 'imm'] as const) {
    if (operands.includes(f) || entry.match[f] !== undefined) continue;
    if (insn[f] !== 0)
      throw new BpfDecodeError(
        index,
        `${entry.name} (${entry.mnemonic}): unused field ${f} must be 0, got ${insn[f]}`,
      );
  }
  for (const f of ['dst', 'src'] as const) {
    if (operands.includes(f) && insn[f] >= MAX_BPF_REG) {
      throw new BpfDecodeError(
        index,
        `${entry.name} (${entry.mnemonic}): ${f} register r${insn[f]} does not exist (r0-r10)`,
      );
    }
  }
  return entry;
}

function isDiscriminator(candidates: readonly OpcodeEntry[], f: Field): boolean {
  return candidates.some((e) => e.match[f] !== undefined);
}

/** Decode a program from its bytes: length a multiple of 8, every instruction defined, wide loads complete. */
export function decodeProgram(bytes: Uint8Array): BpfInsn[] {
  if (bytes.length % INSN_SIZE !== 0) {
    throw new BpfDecodeError(
      Math.floor(bytes.length / INSN_SIZE),
      `program is ${bytes.length} bytes, not a multiple of 8`,
    );
  }
  const n = bytes.length / INSN_SIZE;
  const out: BpfInsn[] = [];
  for (let i = 0; i < n; i++) {
    const insn = decodeWord(bytes, i);
    const entry = lookupEntry(insn, i);
    out.push(insn);
    if (isWide(insn)) {
      if (i + 1 >= n) throw new BpfDecodeError(i, 'lddw needs a second slot but the program ends');
      const next = decodeWord(bytes, i + 1);
      checkSecondSlot(next, i, entry);
      insn.imm64 = joinImm64(insn.imm, next.imm);
      out.push(next);
      i++;
    }
  }
  return out;
}

function checkSecondSlot(next: BpfInsn, i: number, entry: OpcodeEntry): void {
  if (next.opcode !== 0 || next.dst !== 0 || next.src !== 0 || next.off !== 0) {
    throw new BpfDecodeError(
      i + 1,
      `second slot of the lddw at insn ${i} must have opcode, dst, src and off 0`,
    );
  }
  if (entry.nextImm !== true && next.imm !== 0) {
    throw new BpfDecodeError(
      i + 1,
      `second slot of the ${entry.mnemonic} at insn ${i} must have imm 0, got ${next.imm}`,
    );
  }
}

export function joinImm64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** The two slots of a wide load of `value` (taken modulo 2^64). */
export function wideSlots(opcodeFields: Omit<BpfInsn, 'imm' | 'imm64'>, value: bigint): [BpfInsn, BpfInsn] {
  const v = BigInt.asUintN(64, value);
  const lo = Number(BigInt.asIntN(32, v));
  const hi = Number(BigInt.asIntN(32, v >> 32n));
  return [
    { ...opcodeFields, imm: lo, imm64: v },
    { opcode: 0, dst: 0, src: 0, off: 0, imm: hi },
  ];
}

/** Range checks for encoding: registers 0–15 fit the nibble, off is s16, imm is s32, opcode a byte. */
export function checkFieldRanges(insn: BpfInsn, index: number): void {
  const bad = (what: string): never => {
    throw new BpfEncodeError(index, what);
  };
  if (!Number.isInteger(insn.opcode) || insn.opcode < 0 || insn.opcode > 0xff)
    bad(`opcode ${insn.opcode} is not a byte`);
  if (!Number.isInteger(insn.dst) || insn.dst < 0 || insn.dst > 15)
    bad(`dst ${insn.dst} does not fit 4 bits`);
  if (!Number.isInteger(insn.src) || insn.src < 0 || insn.src > 15)
    bad(`src ${insn.src} does not fit 4 bits`);
  if (!Number.isInteger(insn.off) || insn.off < -0x8000 || insn.off > 0x7fff)
    bad(`off ${insn.off} is outside [-32768, 32767]`);
  if (!Number.isInteger(insn.imm) || insn.imm < -0x8000_0000 || insn.imm > 0x7fff_ffff) {
    bad(`imm ${insn.imm} is outside [-2^31, 2^31 - 1] (store 32-bit values signed)`);
  }
}

/** Encode a program; validates every instruction like the decoder does, so encode∘decode is the identity. */
export function encodeProgram(insns: readonly BpfInsn[]): Uint8Array {
  const out = new Uint8Array(insns.length * INSN_SIZE);
  for (let i = 0; i < insns.length; i++) {
    const insn = insns[i]!;
    checkFieldRanges(insn, i);
    const entry = lookupEntry(insn, i);
    encodeWord(insn, out, i);
    if (isWide(insn)) {
      const next = insns[i + 1];
      if (next === undefined) throw new BpfEncodeError(i, 'lddw needs a second slot but the program ends');
      checkFieldRanges(next, i + 1);
      checkSecondSlot(next, i, entry);
      if (insn.imm64 !== undefined && insn.imm64 !== joinImm64(insn.imm, next.imm)) {
        throw new BpfEncodeError(i, `lddw imm64 0x${insn.imm64.toString(16)} disagrees with imm/next_imm`);
      }
      encodeWord(next, out, i + 1);
      i++;
    }
  }
  return out;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
