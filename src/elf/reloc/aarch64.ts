/**
 * The AArch64 relocation engine: computes X for a relocation (S + A, S + A − P, Page(S + A) − Page(P)),
 * checks it against the range the ABI gives ("ELF for the Arm 64-bit Architecture (AArch64)", §5.7.2–5.7.8),
 * and writes it into the data word or the instruction field the relocation names. Instruction fields go
 * through the A64 field codecs (`extract`/`deposit` of src/a64/fields.ts), never hand-kept shifts.
 *
 * Every relocation number the Debian module corpora and the fixtures use is here, plus the rest of the static
 * data, control-flow, MOVW and PC-relative groups. Anything else (GOT, TLS, dynamic) is a typed
 * `RELOC_UNSUPPORTED` error that names it: nothing is skipped silently.
 *
 * Ranges: by default the ABI's (ABS32 and PREL32 both accept [−2^31, 2^32), "either signed or unsigned").
 * `kernelRanges` applies the arm64 module loader's stricter reading instead: ABS16/32 unsigned,
 * PREL16/32 signed — a place-relative 32-bit field is read back as a signed offset (ksymtab, jump tables,
 * bug tables), so a value in [2^31, 2^32) would silently point 4 GiB away.
 */
import { deposit, extract } from '../../a64/fields.js';
import { hex0x } from '../../util/hex.js';
import { Tramp64Error } from '../../util/errors.js';
import { AARCH64_RELOCS } from './types.js';

/**
 * - `RELOC_UNSUPPORTED` a relocation type the engine does not implement (named in the message)
 * - `RELOC_OVERFLOW`    X is outside the range of the field (type, place, value and range in the message)
 * - `RELOC_ALIGNMENT`   a branch or PC-relative load target is not 4-byte aligned
 * - `RELOC_BOUNDS`      the relocated field lies outside its section
 * - `RELOC_INSN`        the word at the place is not an instruction this relocation can patch
 */
export type RelocationErrorCode =
  'RELOC_UNSUPPORTED' | 'RELOC_OVERFLOW' | 'RELOC_ALIGNMENT' | 'RELOC_BOUNDS' | 'RELOC_INSN';

export class RelocationError extends Tramp64Error {
  declare readonly code: RelocationErrorCode;
  constructor(
    code: RelocationErrorCode,
    message: string,
    /** The R_AARCH64_* name (or the number, when the ABI defines none). */
    readonly relocType: string,
  ) {
    super(code, message);
  }
}

/** How X is computed. */
type Op = 'abs' | 'prel' | 'page';

/** Where X goes. */
type Kind =
  | { readonly k: 'data'; readonly bytes: 2 | 4 | 8 }
  /** An instruction immediate: X[hi:shift] into the field (lsb, width). */
  | { readonly k: 'imm'; readonly lsb: number; readonly width: number; readonly shift: number }
  /** ADR/ADRP: X[shift+1:shift] into immlo (bits 30:29), X[shift+20:shift+2] into immhi (bits 23:5). */
  | { readonly k: 'adr'; readonly shift: number }
  /** MOVZ/MOVK/MOVN imm16 (bits 20:5) gets X[16g+15:16g]; `signed` also picks MOVN/MOVZ by the sign of X. */
  | { readonly k: 'movw'; readonly group: number; readonly signed: boolean };

interface Rule {
  readonly op: Op;
  readonly kind: Kind;
  /** Overflow range [min, max) of X, undefined for _NC and unchecked relocations. */
  readonly range?: readonly [bigint, bigint];
  /** The kernel module loader's range, where it differs from the ABI's. */
  readonly kernelRange?: readonly [bigint, bigint];
  /** X must be a multiple of this (branch and literal targets). */
  readonly align?: number;
}

const p2 = (n: number): bigint => 1n << BigInt(n);
const signed = (bits: number): readonly [bigint, bigint] => [-p2(bits - 1), p2(bits - 1)];
const either = (bits: number): readonly [bigint, bigint] => [-p2(bits - 1), p2(bits)];
const unsigned = (bits: number): readonly [bigint, bigint] => [0n, p2(bits)];

const data = (bytes: 2 | 4 | 8): Kind => ({ k: 'data', bytes });
const imm = (lsb: number, width: number, shift: number): Kind => ({ k: 'imm', lsb, width, shift });
const movw = (group: number, s = false): Kind => ({ k: 'movw', group, signed: s });

/** The rules, keyed by ABI name (numbers come from reloc/types.ts so they are written once). */
const RULES_BY_NAME: Readonly<Record<string, Rule>> = {
  R_AARCH64_NONE: { op: 'abs', kind: { k: 'data', bytes: 8 } }, // handled before the table: no effect
  // §5.7.6 static data
  R_AARCH64_ABS64: { op: 'abs', kind: data(8) },
  R_AARCH64_ABS32: { op: 'abs', kind: data(4), range: either(32), kernelRange: unsigned(32) },
  R_AARCH64_ABS16: { op: 'abs', kind: data(2), range: either(16), kernelRange: unsigned(16) },
  R_AARCH64_PREL64: { op: 'prel', kind: data(8) },
  R_AARCH64_PREL32: { op: 'prel', kind: data(4), range: either(32), kernelRange: signed(32) },
  R_AARCH64_PREL16: { op: 'prel', kind: data(2), range: either(16), kernelRange: signed(16) },
  R_AARCH64_PLT32: { op: 'prel', kind: data(4), range: signed(32) },
  // §5.7.7 group relocations for MOV[ZK] (unsigned) and MOV[NZ] (signed)
  R_AARCH64_MOVW_UABS_G0: { op: 'abs', kind: movw(0), range: unsigned(16) },
  R_AARCH64_MOVW_UABS_G0_NC: { op: 'abs', kind: movw(0) },
  R_AARCH64_MOVW_UABS_G1: { op: 'abs', kind: movw(1), range: unsigned(32) },
  R_AARCH64_MOVW_UABS_G1_NC: { op: 'abs', kind: movw(1) },
  R_AARCH64_MOVW_UABS_G2: { op: 'abs', kind: movw(2), range: unsigned(48) },
  R_AARCH64_MOVW_UABS_G2_NC: { op: 'abs', kind: movw(2) },
  R_AARCH64_MOVW_UABS_G3: { op: 'abs', kind: movw(3) },
  R_AARCH64_MOVW_SABS_G0: { op: 'abs', kind: movw(0, true), range: [-p2(16), p2(16)] },
  R_AARCH64_MOVW_SABS_G1: { op: 'abs', kind: movw(1, true), range: [-p2(32), p2(32)] },
  R_AARCH64_MOVW_SABS_G2: { op: 'abs', kind: movw(2, true), range: [-p2(48), p2(48)] },
  R_AARCH64_MOVW_PREL_G0: { op: 'prel', kind: movw(0, true), range: [-p2(16), p2(16)] },
  R_AARCH64_MOVW_PREL_G0_NC: { op: 'prel', kind: movw(0) },
  R_AARCH64_MOVW_PREL_G1: { op: 'prel', kind: movw(1, true), range: [-p2(32), p2(32)] },
  R_AARCH64_MOVW_PREL_G1_NC: { op: 'prel', kind: movw(1) },
  R_AARCH64_MOVW_PREL_G2: { op: 'prel', kind: movw(2, true), range: [-p2(48), p2(48)] },
  R_AARCH64_MOVW_PREL_G2_NC: { op: 'prel', kind: movw(2) },
  R_AARCH64_MOVW_PREL_G3: { op: 'prel', kind: movw(3, true) },
  // §5.7.8 PC-relative addresses, loads and stores
  R_AARCH64_LD_PREL_LO19: { op: 'prel', kind: imm(5, 19, 2), range: signed(21), align: 4 },
  R_AARCH64_ADR_PREL_LO21: { op: 'prel', kind: { k: 'adr', shift: 0 }, range: signed(21) },
  R_AARCH64_ADR_PREL_PG_HI21: { op: 'page', kind: { k: 'adr', shift: 12 }, range: signed(33) },
  R_AARCH64_ADR_PREL_PG_HI21_NC: { op: 'page', kind: { k: 'adr', shift: 12 } },
  R_AARCH64_ADD_ABS_LO12_NC: { op: 'abs', kind: imm(10, 12, 0) },
  R_AARCH64_LDST8_ABS_LO12_NC: { op: 'abs', kind: imm(10, 12, 0) },
  R_AARCH64_LDST16_ABS_LO12_NC: { op: 'abs', kind: imm(10, 11, 1) },
  R_AARCH64_LDST32_ABS_LO12_NC: { op: 'abs', kind: imm(10, 10, 2) },
  R_AARCH64_LDST64_ABS_LO12_NC: { op: 'abs', kind: imm(10, 9, 3) },
  R_AARCH64_LDST128_ABS_LO12_NC: { op: 'abs', kind: imm(10, 8, 4) },
  // §5.7.9 control flow
  R_AARCH64_TSTBR14: { op: 'prel', kind: imm(5, 14, 2), range: signed(16), align: 4 },
  R_AARCH64_CONDBR19: { op: 'prel', kind: imm(5, 19, 2), range: signed(21), align: 4 },
  R_AARCH64_JUMP26: { op: 'prel', kind: imm(0, 26, 2), range: signed(28), align: 4 },
  R_AARCH64_CALL26: { op: 'prel', kind: imm(0, 26, 2), range: signed(28), align: 4 },
};

const RULES = new Map<number, Rule>();
for (const [num, name] of AARCH64_RELOCS) {
  const r = RULES_BY_NAME[name];
  if (r) RULES.set(num, r);
}

export const R_AARCH64_NONE = 0;
export const R_AARCH64_ABS64 = 257;
export const R_AARCH64_JUMP26 = 282;
export const R_AARCH64_CALL26 = 283;

/** Names of every relocation type the engine applies. */
export const SUPPORTED_AARCH64_RELOCS: readonly string[] = Object.keys(RULES_BY_NAME);

/** The ABI name of `type`, or `type <n>` when the ABI defines no such number. */
export function aarch64RelocName(type: number): string {
  return AARCH64_RELOCS.get(type) ?? `type ${type}`;
}

export function isSupportedAarch64Reloc(type: number): boolean {
  return RULES.has(type);
}

/** CALL26 or JUMP26: the two a module PLT veneer can stand in for. */
export function isBranch26(type: number): boolean {
  return type === R_AARCH64_CALL26 || type === R_AARCH64_JUMP26;
}

/** Bytes of the place a relocation writes (8 for ABS64/PREL64, 2 for 16-bit data, else 4). */
export function relocWidth(type: number): number {
  const r = RULES.get(type);
  return r && r.kind.k === 'data' ? r.kind.bytes : 4;
}

export interface RelocOptions {
  /** The arm64 module loader's ranges for ABS16/32 (unsigned) and PREL16/32 (signed); default the ABI's. */
  readonly kernelRanges?: boolean;
  /** Describes the place for error messages, e.g. `.text+0x40 against memcpy` (called only on error). */
  readonly where?: () => string;
}

/** X for one relocation: S + A, S + A − P, or Page(S + A) − Page(P), as a signed (unbounded) bigint. */
export function relocValue(type: number, S: bigint, A: bigint, P: bigint): bigint {
  const r = rule(type, undefined);
  return compute(r.op, S, A, P);
}

function compute(op: Op, S: bigint, A: bigint, P: bigint): bigint {
  // Addresses are 64-bit unsigned; X is reduced to a signed 64-bit value first (S + A wraps as the hardware would).
  if (op === 'abs') return BigInt.asIntN(64, S + A);
  if (op === 'prel') return BigInt.asIntN(64, S + A - P);
  return BigInt.asIntN(64, ((S + A) & ~0xfffn) - (P & ~0xfffn));
}

function rule(type: number, where: (() => string) | undefined): Rule {
  const r = RULES.get(type);
  if (!r) {
    const name = aarch64RelocName(type);
    throw new RelocationError(
      'RELOC_UNSUPPORTED',
      `unsupported relocation ${name}${where ? ` at ${where()}` : ''}; the engine applies ${SUPPORTED_AARCH64_RELOCS.length - 1} static types (see src/elf/reloc/aarch64.ts)`,
      name,
    );
  }
  return r;
}

/**
 * Apply relocation `type` at byte `off` of `view` (the place's address is P). Returns X. Nothing is written
 * when it throws.
 */
export function applyAarch64Relocation(
  view: DataView,
  off: number,
  type: number,
  S: bigint,
  A: bigint,
  P: bigint,
  opts: RelocOptions = {},
): bigint {
  if (type === R_AARCH64_NONE) return 0n;
  const r = rule(type, opts.where);
  const X = compute(r.op, S, A, P);
  const name = (): string => aarch64RelocName(type);
  const place = (): string => (opts.where ? opts.where() : `0x${BigInt.asUintN(64, P).toString(16)}`);
  const size = r.kind.k === 'data' ? r.kind.bytes : 4;
  if (!Number.isSafeInteger(off) || off < 0 || off + size > view.byteLength) {
    throw new RelocationError(
      'RELOC_BOUNDS',
      `${name()} at ${place()}: the ${size}-byte field at offset ${hex0x(Math.max(0, off))} lies outside its section (size ${hex0x(view.byteLength)})`,
      name(),
    );
  }
  const range = opts.kernelRanges && r.kernelRange ? r.kernelRange : r.range;
  if (range && (X < range[0] || X >= range[1])) {
    throw new RelocationError(
      'RELOC_OVERFLOW',
      `${name()} at ${place()}: value ${hex0x(X)} is out of range [${hex0x(range[0])}, ${hex0x(range[1])})`,
      name(),
    );
  }
  if (r.align && (X & BigInt(r.align - 1)) !== 0n) {
    throw new RelocationError(
      'RELOC_ALIGNMENT',
      `${name()} at ${place()}: value ${hex0x(X)} is not a multiple of ${r.align}`,
      name(),
    );
  }
  const k = r.kind;
  if (k.k === 'data') {
    if (k.bytes === 8) view.setBigUint64(off, BigInt.asUintN(64, X), true);
    else if (k.bytes === 4) view.setUint32(off, Number(BigInt.asUintN(32, X)), true);
    else view.setUint16(off, Number(BigInt.asUintN(16, X)), true);
    return X;
  }
  let word = view.getUint32(off, true);
  if (k.k === 'imm') {
    word = deposit(word, k.lsb, k.width, Number(BigInt.asUintN(k.width, X >> BigInt(k.shift))));
  } else if (k.k === 'adr') {
    const v = X >> BigInt(k.shift);
    word = deposit(word, 29, 2, Number(BigInt.asUintN(2, v)));
    word = deposit(word, 5, 19, Number(BigInt.asUintN(19, v >> 2n)));
  } else {
    // MOVW: opc (bits 30:29) 00 MOVN, 10 MOVZ, 11 MOVK; the class is 1x0 100101 in bits 28:23.
    if (extract(word, 23, 6) !== 0b100101 || extract(word, 29, 2) === 0b01) {
      throw new RelocationError(
        'RELOC_INSN',
        `${name()} at ${place()}: 0x${word.toString(16).padStart(8, '0')} is not a MOVN/MOVZ/MOVK instruction`,
        name(),
      );
    }
    let v = X >> BigInt(16 * k.group);
    if (k.signed) {
      // MOVN writes ~imm: a negative X is stored inverted with MOVN, a non-negative one with MOVZ.
      if (X < 0n) {
        v = ~v;
        word = deposit(word, 29, 2, 0b00);
      } else word = deposit(word, 29, 2, 0b10);
    }
    word = deposit(word, 5, 16, Number(BigInt.asUintN(16, v)));
  }
  view.setUint32(off, word, true);
  return X;
}
