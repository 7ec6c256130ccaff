/**
 * Immediate and offset types (STYLE principle 6): each type can only hold a value that its instruction
 * field can encode. `tryFrom…()` returns `undefined` for anything else; `from…()` throws an
 * `EncodingError` that states the rule and the reach, so a code generator never emits a truncated field.
 * The operand shapes of the A64 table (operands/dp.ts …) use the same codecs, so the printer, the
 * assembler and the builder agree on what is encodable.
 *
 * 64-bit values are bigints (registers are 64 bits wide; JS numbers are exact only to 2^53). Byte offsets
 * of loads, stores and branches are numbers: every reach here is far below 2^53.
 */
import { EncodingError } from './encode.js';

export type RegWidth = 32 | 64;

const mask64 = (w: RegWidth): bigint => (w === 64 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn);

/** The two's-complement `bits`-bit field holding `v` (which must fit). */
function twos(v: number, bits: number): number {
  return v < 0 ? v + 2 ** bits : v;
}

/** A field value read back as a signed number. */
export function signExtend(field: number, bits: number): number {
  return field >= 2 ** (bits - 1) ? field - 2 ** bits : field;
}

function hex(v: bigint | number): string {
  const b = BigInt(v);
  return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
}

const KiB = 1024;
const MiB = 1024 * 1024;

/** `130 MiB`, `32 KiB`, `0x8000004 bytes (~128 MiB)`, `12 bytes`: sizes for range messages, exact when rounded. */
export function formatBytes(n: number): string {
  const sign = n < 0 ? '−' : '';
  const a = Math.abs(n);
  const unit = (u: number, name: string): string => {
    const q = a / u;
    if (Number.isInteger(q)) return `${sign}${q} ${name}`;
    return `${sign}0x${a.toString(16)} bytes (~${q.toFixed(2).replace(/\.?0+$/, '')} ${name})`;
  };
  if (a >= MiB) return unit(MiB, 'MiB');
  if (a >= KiB) return unit(KiB, 'KiB');
  return `${sign}${a} bytes`;
}

// ---------------------------------------------------------------------------------------------------------
// ADD/SUB (immediate): a 12-bit unsigned value, optionally shifted left by 12.

/** `imm12` with `sh`: 0..4095, or a multiple of 4096 up to 4095 << 12 (ADD/SUB/CMP/CMN immediate). */
export class Imm12 {
  private constructor(
    readonly imm12: number,
    /** 1 when the value is `imm12 << 12`. */
    readonly sh: 0 | 1,
  ) {}

  get value(): number {
    return this.imm12 * (this.sh ? 4096 : 1);
  }

  /** The unshifted form when it fits, else the `lsl #12` form. */
  static tryFrom(value: number | bigint): Imm12 | undefined {
    const v = Number(value);
    if (!Number.isInteger(v) || v < 0) return undefined;
    if (v < 4096) return new Imm12(v, 0);
    if (v % 4096 === 0 && v / 4096 < 4096) return new Imm12(v / 4096, 1);
    return undefined;
  }

  static from(value: number | bigint, what = 'ADD/SUB immediate'): Imm12 {
    const r = Imm12.tryFrom(value);
    if (!r) {
      throw new EncodingError(
        `${what} ${value} is not encodable; it must be in [0, 4095] or a multiple of 4096 in [4096, 0xfff000]`,
      );
    }
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Logical (immediate): the N:immr:imms bitmask (Arm ARM DecodeBitMasks). A value is encodable when it is a
// 2, 4, 8, 16, 32 or 64-bit element repeated across the register, and the element is a rotated run of
// 1 to size-1 ones. That gives 5334 distinct 64-bit values and 1302 distinct 32-bit ones.

function ones(n: number): bigint {
  return (1n << BigInt(n)) - 1n;
}

function rotateRight(v: bigint, r: number, size: number): bigint {
  if (r === 0) return v;
  const m = ones(size);
  return ((v >> BigInt(r)) | (v << BigInt(size - r))) & m;
}

function replicate(elem: bigint, size: number, width: RegWidth): bigint {
  let v = 0n;
  for (let i = 0; i < width; i += size) v |= elem << BigInt(i);
  return v;
}

function popcount(v: bigint): number {
  let n = 0;
  for (; v !== 0n; v &= v - 1n) n++;
  return n;
}

export class LogicalImm {
  private constructor(
    readonly value: bigint,
    readonly width: RegWidth,
    readonly N: number,
    readonly immr: number,
    readonly imms: number,
  ) {}

  /**
   * The value of a bitmask field triple, or undefined where the Arm ARM reserves it (an element of all
   * ones, no element size, N = 1 for a 32-bit register). Rotation bits above the element size are ignored,
   * as the architecture does.
   */
  static decode(N: number, immr: number, imms: number, width: RegWidth): bigint | undefined {
    if (width === 32 && N === 1) return undefined;
    const combined = (N << 6) | (~imms & 0x3f);
    if (combined === 0) return undefined;
    const len = 31 - Math.clz32(combined);
    if (len < 1) return undefined;
    const size = 1 << len;
    const levels = size - 1;
    const s = imms & levels;
    const r = immr & levels;
    if (s === levels) return undefined;
    return replicate(rotateRight(ones(s + 1), r, size), size, width);
  }

  static tryFrom(value: bigint | number, width: RegWidth): LogicalImm | undefined {
    const full = mask64(width);
    if (typeof value === 'number' && !Number.isSafeInteger(value)) return undefined; // pass bigints above 2^53
    let v = BigInt(value);
    if (v < -(1n << BigInt(width - 1)) || v > full) return undefined;
    v &= full;
    if (v === 0n || v === full) return undefined;
    // The smallest element size whose repetition gives v.
    let size: number = width;
    while (size > 2) {
      const half = size / 2;
      if ((v & ones(half)) !== ((v >> BigInt(half)) & ones(half))) break;
      size = half;
    }
    const elem = v & ones(size);
    const n = popcount(elem);
    const run = ones(n);
    for (let r = 0; r < size; r++) {
      if (rotateRight(run, r, size) !== elem) continue;
      const N = size === 64 ? 1 : 0;
      const prefix = (0x3f << (Math.log2(size) + 1)) & 0x3f;
      return new LogicalImm(v, width, N, r, prefix | (n - 1));
    }
    return undefined;
  }

  static from(value: bigint | number, width: RegWidth, what = 'logical immediate'): LogicalImm {
    const r = LogicalImm.tryFrom(value, width);
    if (!r) {
      throw new EncodingError(
        `${what} ${hex(BigInt(value))} is not a ${width}-bit bitmask immediate: it must be a 2, 4, 8, 16, 32 ` +
          `or 64-bit element repeated, each element one rotated run of ones (not all zeros or all ones)`,
      );
    }
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Move wide (immediate): MOVZ (one 16-bit chunk, rest zero) and MOVN (one chunk, rest ones).

export type MoveWideOp = 'movz' | 'movn';

/** The chunk and shift of a value that is zero outside one 16-bit halfword, or undefined. */
function singleChunk(v: bigint, width: RegWidth): { imm16: number; hw: number } | undefined {
  for (let hw = 0; hw < width / 16; hw++) {
    const shift = BigInt(16 * hw);
    if ((v & ~(0xffffn << shift)) === 0n) return { imm16: Number(v >> shift), hw };
  }
  return undefined;
}

export class MoveWide {
  private constructor(
    readonly op: MoveWideOp,
    readonly width: RegWidth,
    readonly imm16: number,
    /** The shift is `16 * hw`. */
    readonly hw: number,
  ) {}

  /** The register value the instruction writes. */
  get value(): bigint {
    const v = BigInt(this.imm16) << BigInt(16 * this.hw);
    return this.op === 'movz' ? v : ~v & mask64(this.width);
  }

  /** The value of `op Rd, #imm16, lsl #(16 * hw)`. */
  static valueOf(op: MoveWideOp, imm16: number, hw: number, width: RegWidth): bigint {
    const v = BigInt(imm16) << BigInt(16 * hw);
    return op === 'movz' ? v : ~v & mask64(width);
  }

  /**
   * One MOVZ or MOVN that sets a register to `value` (MOVZ preferred, as assemblers choose), or undefined
   * when it takes more than one instruction. Negative values are taken modulo 2^width.
   */
  static tryFrom(value: bigint | number, width: RegWidth, only?: MoveWideOp): MoveWide | undefined {
    const full = mask64(width);
    if (typeof value === 'number' && !Number.isSafeInteger(value)) return undefined; // pass bigints above 2^53
    let v = BigInt(value);
    if (v < -(1n << BigInt(width - 1)) || v > full) return undefined;
    v &= full;
    if (only !== 'movn') {
      const z = singleChunk(v, width);
      if (z) return new MoveWide('movz', width, z.imm16, z.hw);
    }
    if (only !== 'movz') {
      const n = singleChunk(~v & full, width);
      if (n) return new MoveWide('movn', width, n.imm16, n.hw);
    }
    return undefined;
  }

  static from(value: bigint | number, width: RegWidth): MoveWide {
    const r = MoveWide.tryFrom(value, width);
    if (!r) {
      throw new EncodingError(
        `${hex(BigInt(value))} needs more than one MOVZ/MOVN: a ${width}-bit value must be zero or all ones ` +
          `outside one 16-bit halfword`,
      );
    }
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Load/store offsets.

/** A signed 9-bit byte offset (LDUR/STUR, pre- and post-index): [-256, 255]. */
export class SImm9 {
  private constructor(readonly value: number) {}

  /** The 9-bit two's-complement field. */
  get imm9(): number {
    return twos(this.value, 9);
  }

  static tryFrom(value: number): SImm9 | undefined {
    return Number.isInteger(value) && value >= -256 && value <= 255 ? new SImm9(value) : undefined;
  }

  static from(value: number, what = 'unscaled offset'): SImm9 {
    const r = SImm9.tryFrom(value);
    if (!r) throw new EncodingError(`${what} ${value} is out of range; it must be in [-256, 255]`);
    return r;
  }
}

/** A signed 7-bit offset scaled by the access size (LDP/STP): multiples of `scale` in [-64, 63] × scale. */
export class SImm7Scaled {
  private constructor(
    readonly value: number,
    readonly scale: number,
  ) {}

  /** The 7-bit two's-complement field. */
  get imm7(): number {
    return twos(this.value / this.scale, 7);
  }

  static tryFrom(value: number, scale: 4 | 8 | 16): SImm7Scaled | undefined {
    if (!Number.isInteger(value) || value % scale !== 0) return undefined;
    const q = value / scale;
    return q >= -64 && q <= 63 ? new SImm7Scaled(value, scale) : undefined;
  }

  static from(value: number, scale: 4 | 8 | 16, what = 'pair offset'): SImm7Scaled {
    const r = SImm7Scaled.tryFrom(value, scale);
    if (!r) {
      throw new EncodingError(
        `${what} ${value} is not encodable; it must be a multiple of ${scale} in [${-64 * scale}, ${63 * scale}]`,
      );
    }
    return r;
  }
}

/** An unsigned 12-bit offset scaled by the access size (LDR/STR unsigned offset): [0, 4095] × scale. */
export class UImm12Scaled {
  private constructor(
    readonly value: number,
    readonly scale: number,
  ) {}

  get imm12(): number {
    return this.value / this.scale;
  }

  static tryFrom(value: number, scale: 1 | 2 | 4 | 8 | 16): UImm12Scaled | undefined {
    if (!Number.isInteger(value) || value < 0 || value % scale !== 0) return undefined;
    return value / scale <= 4095 ? new UImm12Scaled(value, scale) : undefined;
  }

  static from(value: number, scale: 1 | 2 | 4 | 8 | 16, what = 'offset'): UImm12Scaled {
    const r = UImm12Scaled.tryFrom(value, scale);
    if (!r) {
      throw new EncodingError(
        `${what} ${value} is not encodable; it must be a multiple of ${scale} in [0, ${4095 * scale}]`,
      );
    }
    return r;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Branch offsets: word offsets from the branch itself, signed, in 26 (B/BL), 19 (B.cond, CBZ, LDR literal)
// or 14 (TBZ/TBNZ) bits. B/BL reach ±128 MiB, which is why the kernel keeps modules within 128 MiB of the
// image or goes through PLT veneers.

class BranchOffset {
  protected constructor(
    /** Byte offset from the branch to its target. */
    readonly offset: number,
    readonly bits: number,
  ) {}

  /** The field value (`imm26`, `imm19`, `imm14`): the word offset in two's complement. */
  get field(): number {
    return twos(this.offset / 4, this.bits);
  }

  protected static check(offset: number | bigint, bits: number): number | undefined {
    const off = Number(offset);
    if (!Number.isSafeInteger(off) || off % 4 !== 0) return undefined;
    const half = 2 ** (bits - 1);
    return off / 4 >= -half && off / 4 < half ? off : undefined;
  }

  protected static explain(what: string, from: bigint, to: bigint, bits: number): string {
    const off = BigInt.asIntN(64, to - from);
    const reach = 2 ** (bits - 1) * 4;
    const target = `${what} target ${hex(BigInt.asUintN(64, to))}`;
    if (off % 4n !== 0n) return `${target} is not 4-byte aligned relative to ${hex(from)}`;
    return `${target} is ${formatBytes(Number(off))} away; reach is [−${formatBytes(reach)}, +${formatBytes(reach)})`;
  }
}

/** B and BL: ±128 MiB. */
export class BranchOffset26 extends BranchOffset {
  static tryFrom(offset: number | bigint): BranchOffset26 | undefined {
    const off = BranchOffset.check(offset, 26);
    return off === undefined ? undefined : new BranchOffset26(off, 26);
  }

  /** The offset from the branch at `from` to `to`; throws with the distance and the reach when it does not fit. */
  static fromTarget(from: bigint, to: bigint, what = 'B'): BranchOffset26 {
    const r = BranchOffset26.tryFrom(BigInt.asIntN(64, to - from));
    if (!r) throw new EncodingError(BranchOffset.explain(what, from, to, 26));
    return r;
  }
}

/** B.cond, CBZ/CBNZ, LDR (literal): ±1 MiB. */
export class BranchOffset19 extends BranchOffset {
  static tryFrom(offset: number | bigint): BranchOffset19 | undefined {
    const off = BranchOffset.check(offset, 19);
    return off === undefined ? undefined : new BranchOffset19(off, 19);
  }

  static fromTarget(from: bigint, to: bigint, what = 'B.cond'): BranchOffset19 {
    const r = BranchOffset19.tryFrom(BigInt.asIntN(64, to - from));
    if (!r) throw new EncodingError(BranchOffset.explain(what, from, to, 19));
    return r;
  }
}

/** TBZ/TBNZ: ±32 KiB. */
export class BranchOffset14 extends BranchOffset {
  static tryFrom(offset: number | bigint): BranchOffset14 | undefined {
    const off = BranchOffset.check(offset, 14);
    return off === undefined ? undefined : new BranchOffset14(off, 14);
  }

  static fromTarget(from: bigint, to: bigint, what = 'TBZ'): BranchOffset14 {
    const r = BranchOffset14.tryFrom(BigInt.asIntN(64, to - from));
    if (!r) throw new EncodingError(BranchOffset.explain(what, from, to, 14));
    return r;
  }
}
