/**
 * The mnemonic layer over the Builder (STYLE principle 5): one method per A64 mnemonic that the BPF JIT,
 * ftrace_caller, the trampoline generator and call-site patching need. Each method picks the table row
 * and computes its fields from typed operands, so callers never shift or mask; an operand a row cannot
 * encode is an EncodingError that names the rule (the immediate types of imm.ts), and nothing is emitted.
 *
 * Shapes follow the kernel's arch/arm64/net/bpf_jit.h (A64_PUSH/A64_POP, emit_a64_mov_i64,
 * emit_addr_mov_i64) and LLVM's aliases (cmp, tst, mov, lsl, ubfx, cset, cneg, stadd …).
 */
import { Builder, type Label, type Reg } from './builder.js';
import { EncodingError } from './encode.js';
import { Imm12, LogicalImm, SImm7Scaled, SImm9, UImm12Scaled, type RegWidth } from './imm.js';
import { COND_INPUT } from './names.js';
import { parseSysreg, sysOpByName } from './table/sysreg.js';
import type { Fields } from './types.js';

export type Cond =
  | 'eq'
  | 'ne'
  | 'hs'
  | 'cs'
  | 'lo'
  | 'cc'
  | 'mi'
  | 'pl'
  | 'vs'
  | 'vc'
  | 'hi'
  | 'ls'
  | 'ge'
  | 'lt'
  | 'gt'
  | 'le'
  | 'al';

/** A shifted-register operand modifier (`x2, lsl #3`). */
export interface ShiftMod {
  readonly shift: 'lsl' | 'lsr' | 'asr' | 'ror';
  readonly amount: number;
}
export type ExtendName = 'uxtb' | 'uxth' | 'uxtw' | 'uxtx' | 'sxtb' | 'sxth' | 'sxtw' | 'sxtx' | 'lsl';
/** An extended-register operand modifier (`w2, uxtw #2`); `lsl` means UXTX/UXTW of the register width. */
export interface ExtendMod {
  readonly extend: ExtendName;
  readonly amount?: number;
}
/** Register-offset addressing: `[x1, w2, sxtw #3]`; `shifted` scales the index by the access size. */
export interface RegOffset {
  readonly extend?: 'lsl' | 'uxtw' | 'sxtw' | 'sxtx';
  readonly shifted?: boolean;
}
export type Index = 'pre' | 'post';
export type Target = Label | bigint;
export type BarrierOption =
  'sy' | 'st' | 'ld' | 'ish' | 'ishst' | 'ishld' | 'nsh' | 'nshst' | 'nshld' | 'osh' | 'oshst' | 'oshld';
/** LSE atomic operations (FEAT_LSE), by LLVM mnemonic. */
export type LseOp =
  `${'ldadd' | 'ldclr' | 'ldeor' | 'ldset' | 'swp'}${'' | 'a' | 'l' | 'al'}${'' | 'b' | 'h'}`;
export type LseStoreOp = `${'stadd' | 'stclr' | 'steor' | 'stset'}${'' | 'l'}${'' | 'b' | 'h'}`;
export type CasOp = `cas${'' | 'a' | 'l' | 'al'}${'' | 'b' | 'h'}`;

const BARRIERS: Readonly<Record<BarrierOption, number>> = {
  sy: 15,
  st: 14,
  ld: 13,
  ish: 11,
  ishst: 10,
  ishld: 9,
  nsh: 7,
  nshst: 6,
  nshld: 5,
  osh: 3,
  oshst: 2,
  oshld: 1,
};
const SHIFTS = { lsl: 0, lsr: 1, asr: 2, ror: 3 } as const;
const EXTENDS: Readonly<Record<Exclude<ExtendName, 'lsl'>, number>> = {
  uxtb: 0,
  uxth: 1,
  uxtw: 2,
  uxtx: 3,
  sxtb: 4,
  sxth: 5,
  sxtw: 6,
  sxtx: 7,
};

const name = (r: Reg): string =>
  r.n === 31 ? (r.sp ? (r.wide ? 'sp' : 'wsp') : r.wide ? 'xzr' : 'wzr') : `${r.wide ? 'x' : 'w'}${r.n}`;
const width = (r: Reg): RegWidth => (r.wide ? 64 : 32);
const sf = (r: Reg): number => (r.wide ? 1 : 0);

/** A register where 31 means XZR/WZR: SP is refused. */
function gp(r: Reg, what: string): number {
  if (r.sp)
    throw new EncodingError(`${what}: ${name(r)} is not allowed here; register 31 means the zero register`);
  return r.n;
}
/** A register where 31 means SP: XZR is refused. */
function gsp(r: Reg, what: string): number {
  if (r.n === 31 && !r.sp)
    throw new EncodingError(`${what}: ${name(r)} is not allowed here; register 31 means SP`);
  return r.n;
}
/** All registers the same width; returns it. */
function same(what: string, ...rs: Reg[]): RegWidth {
  const w = width(rs[0]!);
  for (const r of rs)
    if (width(r) !== w)
      throw new EncodingError(`${what}: ${rs.map(name).join(', ')} mix 32- and 64-bit registers`);
  return w;
}
function needWide(r: Reg, wide: boolean, what: string): void {
  if (r.wide !== wide) throw new EncodingError(`${what}: ${name(r)} must be a ${wide ? 'X' : 'W'} register`);
}
function range(v: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new EncodingError(`${what} ${v} is out of range; it must be in [${lo}, ${hi}]`);
  return v;
}
function cond(c: Cond): number {
  const v = COND_INPUT[c];
  if (v === undefined) throw new EncodingError(`unknown condition '${String(c)}'`);
  return v;
}
const invert = (c: number): number => c ^ 1;
const isReg = (x: unknown): x is Reg => typeof x === 'object' && x !== null && 'n' in x;
const isExt = (m: ShiftMod | ExtendMod | undefined): m is ExtendMod => m !== undefined && 'extend' in m;

type LdStOp = 'ldr' | 'str' | 'ldrb' | 'strb' | 'ldrh' | 'strh' | 'ldrsb' | 'ldrsh' | 'ldrsw';

export class Asm extends Builder {
  // ------------------------------------------------------------------ add / sub

  private addSub(
    op: 'ADD' | 'ADDS' | 'SUB' | 'SUBS',
    rd: Reg,
    rn: Reg,
    rm: Reg | number | bigint,
    mod?: ShiftMod | ExtendMod,
  ): number {
    const m = op.toLowerCase();
    const flags = op.endsWith('S');
    const w = same(m, rd, rn);
    if (!isReg(rm)) {
      let v = Number(rm);
      let row: string = op;
      if (v < 0) {
        v = -v;
        row = op.startsWith('ADD') ? op.replace('ADD', 'SUB') : op.replace('SUB', 'ADD');
      }
      if (mod)
        throw new EncodingError(`${m} immediate: the shift is chosen by the value; pass the full value`);
      const imm = Imm12.from(v, `${m} immediate`);
      return this.row(`${row}_imm`, {
        sf: sf(rd),
        sh: imm.sh,
        imm12: imm.imm12,
        Rn: gsp(rn, m),
        Rd: flags ? gp(rd, m) : gsp(rd, m),
      });
    }
    const useExt = isExt(mod) || rn.sp || (!flags && rd.sp);
    if (useExt) {
      const e = (mod as ExtendMod | undefined) ?? { extend: 'lsl' };
      if (mod && !isExt(mod)) {
        if (mod.shift !== 'lsl')
          throw new EncodingError(`${m}: with SP only LSL (UXTX) is allowed, not ${mod.shift}`);
      }
      const amount = range(
        isExt(mod) ? (mod.amount ?? 0) : ((mod as ShiftMod | undefined)?.amount ?? 0),
        0,
        4,
        `${m} extend amount`,
      );
      const option = e.extend === 'lsl' ? (w === 64 ? 3 : 2) : EXTENDS[e.extend];
      needWide(rm, w === 64 && (option & 3) === 3, `${m} extended register`);
      return this.row(`${op}_ext`, {
        sf: sf(rd),
        Rm: gp(rm, m),
        option,
        imm3: amount,
        Rn: gsp(rn, m),
        Rd: flags ? gp(rd, m) : gsp(rd, m),
      });
    }
    same(m, rd, rm);
    const s = (mod as ShiftMod | undefined) ?? { shift: 'lsl', amount: 0 };
    if (s.shift === 'ror') throw new EncodingError(`${m}: ROR is not an ADD/SUB shift (LSL, LSR, ASR only)`);
    return this.row(`${op}_shifted`, {
      sf: sf(rd),
      shift: SHIFTS[s.shift],
      Rm: gp(rm, m),
      imm6: range(s.amount, 0, w - 1, `${m} shift amount`),
      Rn: gp(rn, m),
      Rd: gp(rd, m),
    });
  }

  /** rd = rn + op (immediate 0..4095 or ×4096, negative → SUB; shifted register; extended register, SP). */
  add(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod | ExtendMod): number {
    return this.addSub('ADD', rd, rn, op, mod);
  }
  /** rd = rn + op, setting NZCV. */
  adds(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod | ExtendMod): number {
    return this.addSub('ADDS', rd, rn, op, mod);
  }
  /** rd = rn − op (negative immediate → ADD). */
  sub(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod | ExtendMod): number {
    return this.addSub('SUB', rd, rn, op, mod);
  }
  /** rd = rn − op, setting NZCV. */
  subs(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod | ExtendMod): number {
    return this.addSub('SUBS', rd, rn, op, mod);
  }
  /** NZCV = flags of rn − op (SUBS to the zero register). */
  cmp(rn: Reg, op: Reg | number | bigint, mod?: ShiftMod | ExtendMod): number {
    return this.subs(zr(rn), rn, op, mod);
  }
  /** NZCV = flags of rn + op (ADDS to the zero register). */
  cmn(rn: Reg, op: Reg | number | bigint, mod?: ShiftMod | ExtendMod): number {
    return this.adds(zr(rn), rn, op, mod);
  }
  /** rd = −rm (SUB from the zero register). */
  neg(rd: Reg, rm: Reg, mod?: ShiftMod): number {
    return this.sub(rd, zr(rd), rm, mod);
  }
  /** rd = −rm, setting NZCV. */
  negs(rd: Reg, rm: Reg, mod?: ShiftMod): number {
    return this.subs(rd, zr(rd), rm, mod);
  }

  // ------------------------------------------------------------------ moves

  /** rd = src: a register (ORR; ADD #0 to or from SP), or any immediate (see movImm). Returns the first index. */
  mov(rd: Reg, src: Reg | number | bigint): number {
    if (!isReg(src)) return this.movImm(rd, src);
    same('mov', rd, src);
    if (rd.sp || src.sp) return this.add(rd, src, 0);
    return this.orr(rd, zr(rd), src);
  }

  /**
   * rd = value in MOVZ/MOVN + MOVKs, the kernel's emit_a64_mov_i64 (values with the upper half zero use the
   * 32-bit emit_a64_mov_i on Wd). Negative values are taken modulo 2^width. Returns the first index.
   */
  movImm(rd: Reg, value: number | bigint): number {
    gp(rd, 'mov');
    const w = width(rd);
    const full = (1n << BigInt(w)) - 1n;
    let v = BigInt(value);
    if (v < -(1n << BigInt(w - 1)) || v > full)
      throw new EncodingError(`mov: ${value} does not fit in ${w} bits`);
    v &= full;
    if (v >> 32n === 0n) {
      const rw: Reg = { n: rd.n, wide: false, sp: false };
      const hi = Number(v >> 16n);
      const lo = Number(v & 0xffffn);
      if (hi & 0x8000) {
        if (hi === 0xffff) return this.movn(rw, ~lo & 0xffff);
        const first = this.movn(rw, ~hi & 0xffff, 16);
        if (lo !== 0xffff) this.movk(rw, lo, 0);
        return first;
      }
      const first = this.movz(rw, lo, 0);
      if (hi) this.movk(rw, hi, 16);
      return first;
    }
    const chunk = (s: number): number => Number((v >> BigInt(s)) & 0xffffn);
    let nonZero = 0;
    let nonOnes = 0;
    for (let s = 0; s < 64; s += 16) {
      if (chunk(s) !== 0) nonZero++;
      if (chunk(s) !== 0xffff) nonOnes++;
    }
    const inverse = nonOnes < nonZero;
    const rev = ~v & full;
    const top = (x: bigint): number => x.toString(2).length - 1; // fls64 − 1
    let shift = Math.max(Math.floor(top(inverse ? rev : v) / 16) * 16, 0);
    const first = inverse
      ? this.movn(rd, Number((rev >> BigInt(shift)) & 0xffffn), shift)
      : this.movz(rd, chunk(shift), shift);
    for (shift -= 16; shift >= 0; shift -= 16) {
      if (chunk(shift) !== (inverse ? 0xffff : 0)) this.movk(rd, chunk(shift), shift);
    }
    return first;
  }

  /**
   * rd = a kernel address in exactly three instructions, MOVN + MOVK + MOVK (the kernel's
   * emit_addr_mov_i64: fixed length, so the JIT's passes agree on offsets). Bits 63:48 must be all ones.
   */
  movAddr48(rd: Reg, addr: bigint): number {
    needWide(rd, true, 'movAddr48');
    const a = BigInt.asUintN(64, addr);
    if (a >> 48n !== 0xffffn)
      throw new EncodingError(
        `movAddr48: 0x${a.toString(16)} is not a kernel address; bits 63:48 must be all ones`,
      );
    const first = this.movn(rd, Number(~a & 0xffffn), 0);
    this.movk(rd, Number((a >> 16n) & 0xffffn), 16);
    this.movk(rd, Number((a >> 32n) & 0xffffn), 32);
    return first;
  }

  private moveWide(row: 'MOVZ' | 'MOVN' | 'MOVK', rd: Reg, imm16: number, shift: number): number {
    const m = row.toLowerCase();
    range(imm16, 0, 0xffff, `${m} immediate`);
    if (shift % 16 !== 0 || shift < 0 || shift >= width(rd))
      throw new EncodingError(
        `${m} shift ${shift} is not encodable; it must be 0, 16${rd.wide ? ', 32 or 48' : ''}`,
      );
    return this.row(row, { sf: sf(rd), hw: shift / 16, imm16, Rd: gp(rd, m) });
  }
  /** rd = imm16 << shift. */
  movz(rd: Reg, imm16: number, shift = 0): number {
    return this.moveWide('MOVZ', rd, imm16, shift);
  }
  /** rd = ~(imm16 << shift). */
  movn(rd: Reg, imm16: number, shift = 0): number {
    return this.moveWide('MOVN', rd, imm16, shift);
  }
  /** rd[shift+15:shift] = imm16, other bits kept. */
  movk(rd: Reg, imm16: number, shift = 0): number {
    return this.moveWide('MOVK', rd, imm16, shift);
  }

  // ------------------------------------------------------------------ logical

  private logical(
    op: 'AND' | 'ORR' | 'EOR' | 'ANDS' | 'BIC' | 'ORN' | 'EON' | 'BICS',
    rd: Reg,
    rn: Reg,
    rm: Reg | number | bigint,
    mod?: ShiftMod,
  ): number {
    const m = op.toLowerCase();
    const w = same(m, rd, rn);
    if (!isReg(rm)) {
      if (mod) throw new EncodingError(`${m} immediate takes no shift`);
      const invertOp: Record<string, string> = { BIC: 'AND', ORN: 'ORR', EON: 'EOR', BICS: 'ANDS' };
      const row = invertOp[op] ?? op;
      const v = invertOp[op] ? ~BigInt(rm) & ((1n << BigInt(w)) - 1n) : rm;
      const imm = LogicalImm.from(v, w, `${m} immediate`);
      return this.row(`${row}_imm`, {
        sf: sf(rd),
        N: imm.N,
        immr: imm.immr,
        imms: imm.imms,
        Rn: gp(rn, m),
        Rd: op === 'ANDS' || op === 'BICS' ? gp(rd, m) : gsp(rd, m),
      });
    }
    same(m, rd, rm);
    const s = mod ?? { shift: 'lsl', amount: 0 };
    return this.row(`${op}_shifted`, {
      sf: sf(rd),
      shift: SHIFTS[s.shift],
      Rm: gp(rm, m),
      imm6: range(s.amount, 0, w - 1, `${m} shift amount`),
      Rn: gp(rn, m),
      Rd: gp(rd, m),
    });
  }
  /** rd = rn & op (bitmask immediate or shifted register). */
  and(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.logical('AND', rd, rn, op, mod);
  }
  /** rd = rn & op, setting N and Z. */
  ands(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.logical('ANDS', rd, rn, op, mod);
  }
  /** rd = rn | op. */
  orr(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.logical('ORR', rd, rn, op, mod);
  }
  /** rd = rn ^ op. */
  eor(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.logical('EOR', rd, rn, op, mod);
  }
  /** rd = rn & ~op (an immediate is inverted into AND). */
  bic(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.logical('BIC', rd, rn, op, mod);
  }
  /** rd = rn | ~op. */
  orn(rd: Reg, rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.logical('ORN', rd, rn, op, mod);
  }
  /** rd = ~rm (ORN from the zero register). */
  mvn(rd: Reg, rm: Reg, mod?: ShiftMod): number {
    return this.orn(rd, zr(rd), rm, mod);
  }
  /** N, Z = flags of rn & op (ANDS to the zero register). */
  tst(rn: Reg, op: Reg | number | bigint, mod?: ShiftMod): number {
    return this.ands(zr(rn), rn, op, mod);
  }

  // ------------------------------------------------------------------ shifts and bitfields

  private bitfield(row: 'UBFM' | 'SBFM', rd: Reg, rn: Reg, immr: number, imms: number, m: string): number {
    return this.row(row, { sf: sf(rd), N: sf(rd), immr, imms, Rn: gp(rn, m), Rd: gp(rd, m) });
  }
  private shiftOp(kind: 'lsl' | 'lsr' | 'asr' | 'ror', rd: Reg, rn: Reg, by: Reg | number): number {
    const w = same(kind, rd, rn);
    if (isReg(by)) {
      same(kind, rd, by);
      return this.row(`${kind.toUpperCase()}V`, {
        sf: sf(rd),
        Rm: gp(by, kind),
        Rn: gp(rn, kind),
        Rd: gp(rd, kind),
      });
    }
    const s = range(by, 0, w - 1, `${kind} shift amount`);
    if (kind === 'lsl') return this.bitfield('UBFM', rd, rn, (w - s) % w, w - 1 - s, kind);
    if (kind === 'lsr') return this.bitfield('UBFM', rd, rn, s, w - 1, kind);
    if (kind === 'asr') return this.bitfield('SBFM', rd, rn, s, w - 1, kind);
    return this.row('EXTR', {
      sf: sf(rd),
      N: sf(rd),
      Rm: gp(rn, kind),
      imms: s,
      Rn: gp(rn, kind),
      Rd: gp(rd, kind),
    });
  }
  /** rd = rn << by (immediate: UBFM; register: LSLV, amount mod width). */
  lsl(rd: Reg, rn: Reg, by: Reg | number): number {
    return this.shiftOp('lsl', rd, rn, by);
  }
  /** rd = rn >> by, logical. */
  lsr(rd: Reg, rn: Reg, by: Reg | number): number {
    return this.shiftOp('lsr', rd, rn, by);
  }
  /** rd = rn >> by, arithmetic. */
  asr(rd: Reg, rn: Reg, by: Reg | number): number {
    return this.shiftOp('asr', rd, rn, by);
  }
  /** rd = rn rotated right by `by` (immediate: EXTR rn, rn). */
  ror(rd: Reg, rn: Reg, by: Reg | number): number {
    return this.shiftOp('ror', rd, rn, by);
  }
  private bfx(row: 'UBFM' | 'SBFM', rd: Reg, rn: Reg, lsb: number, bits: number): number {
    const m = row === 'UBFM' ? 'ubfx' : 'sbfx';
    const w = same(m, rd, rn);
    range(lsb, 0, w - 1, `${m} lsb`);
    range(bits, 1, w - lsb, `${m} width`);
    return this.bitfield(row, rd, rn, lsb, lsb + bits - 1, m);
  }
  /** rd = zero-extended rn[lsb+bits−1:lsb]. */
  ubfx(rd: Reg, rn: Reg, lsb: number, bits: number): number {
    return this.bfx('UBFM', rd, rn, lsb, bits);
  }
  /** rd = sign-extended rn[lsb+bits−1:lsb]. */
  sbfx(rd: Reg, rn: Reg, lsb: number, bits: number): number {
    return this.bfx('SBFM', rd, rn, lsb, bits);
  }
  private ext(m: string, row: 'UBFM' | 'SBFM', rd: Reg, rn: Reg, bits: number): number {
    needWide(rn, false, m);
    if (row === 'UBFM') needWide(rd, false, m);
    return this.bitfield(row, rd, rd.wide ? { ...rn, wide: true } : rn, 0, bits - 1, m);
  }
  /** wd = zero-extended wn[7:0]. */
  uxtb(rd: Reg, rn: Reg): number {
    return this.ext('uxtb', 'UBFM', rd, rn, 8);
  }
  /** wd = zero-extended wn[15:0]. */
  uxth(rd: Reg, rn: Reg): number {
    return this.ext('uxth', 'UBFM', rd, rn, 16);
  }
  /** xd = zero-extended wn (MOV wd, wn: a W write clears bits 63:32). */
  uxtw(rd: Reg, rn: Reg): number {
    needWide(rd, true, 'uxtw');
    needWide(rn, false, 'uxtw');
    return this.mov({ ...rd, wide: false }, rn);
  }
  /** rd = sign-extended wn[7:0]. */
  sxtb(rd: Reg, rn: Reg): number {
    return this.ext('sxtb', 'SBFM', rd, rn, 8);
  }
  /** rd = sign-extended wn[15:0]. */
  sxth(rd: Reg, rn: Reg): number {
    return this.ext('sxth', 'SBFM', rd, rn, 16);
  }
  /** xd = sign-extended wn. */
  sxtw(rd: Reg, rn: Reg): number {
    needWide(rd, true, 'sxtw');
    return this.ext('sxtw', 'SBFM', rd, rn, 32);
  }

  // ------------------------------------------------------------------ multiply, divide, select, reverse

  /** rd = ra + rn × rm. */
  madd(rd: Reg, rn: Reg, rm: Reg, ra: Reg): number {
    same('madd', rd, rn, rm, ra);
    return this.row('MADD', {
      sf: sf(rd),
      Rm: gp(rm, 'madd'),
      Ra: gp(ra, 'madd'),
      Rn: gp(rn, 'madd'),
      Rd: gp(rd, 'madd'),
    });
  }
  /** rd = ra − rn × rm. */
  msub(rd: Reg, rn: Reg, rm: Reg, ra: Reg): number {
    same('msub', rd, rn, rm, ra);
    return this.row('MSUB', {
      sf: sf(rd),
      Rm: gp(rm, 'msub'),
      Ra: gp(ra, 'msub'),
      Rn: gp(rn, 'msub'),
      Rd: gp(rd, 'msub'),
    });
  }
  /** rd = rn × rm (low bits). */
  mul(rd: Reg, rn: Reg, rm: Reg): number {
    return this.madd(rd, rn, rm, zr(rd));
  }
  /** rd = −(rn × rm). */
  mneg(rd: Reg, rn: Reg, rm: Reg): number {
    return this.msub(rd, rn, rm, zr(rd));
  }
  /** xd = high 64 bits of the unsigned 128-bit xn × xm. */
  umulh(rd: Reg, rn: Reg, rm: Reg): number {
    needWide(rd, true, 'umulh');
    same('umulh', rd, rn, rm);
    return this.row('UMULH', { Rm: gp(rm, 'umulh'), Ra: 31, Rn: gp(rn, 'umulh'), Rd: gp(rd, 'umulh') });
  }
  /** xd = high 64 bits of the signed 128-bit xn × xm. */
  smulh(rd: Reg, rn: Reg, rm: Reg): number {
    needWide(rd, true, 'smulh');
    same('smulh', rd, rn, rm);
    return this.row('SMULH', { Rm: gp(rm, 'smulh'), Ra: 31, Rn: gp(rn, 'smulh'), Rd: gp(rd, 'smulh') });
  }
  private rrr(row: string, rd: Reg, rn: Reg, rm: Reg): number {
    const m = row.toLowerCase();
    same(m, rd, rn, rm);
    return this.row(row, { sf: sf(rd), Rm: gp(rm, m), Rn: gp(rn, m), Rd: gp(rd, m) });
  }
  /** rd = rn ÷ rm unsigned (0 when rm = 0). */
  udiv(rd: Reg, rn: Reg, rm: Reg): number {
    return this.rrr('UDIV', rd, rn, rm);
  }
  /** rd = rn ÷ rm signed, truncating (0 when rm = 0). */
  sdiv(rd: Reg, rn: Reg, rm: Reg): number {
    return this.rrr('SDIV', rd, rn, rm);
  }
  private csx(row: string, rd: Reg, rn: Reg, rm: Reg, c: number): number {
    const m = row.toLowerCase();
    same(m, rd, rn, rm);
    return this.row(row, { sf: sf(rd), Rm: gp(rm, m), cond: c, Rn: gp(rn, m), Rd: gp(rd, m) });
  }
  /** rd = c ? rn : rm. */
  csel(rd: Reg, rn: Reg, rm: Reg, c: Cond): number {
    return this.csx('CSEL', rd, rn, rm, cond(c));
  }
  /** rd = c ? rn : rm + 1. */
  csinc(rd: Reg, rn: Reg, rm: Reg, c: Cond): number {
    return this.csx('CSINC', rd, rn, rm, cond(c));
  }
  /** rd = c ? rn : ~rm. */
  csinv(rd: Reg, rn: Reg, rm: Reg, c: Cond): number {
    return this.csx('CSINV', rd, rn, rm, cond(c));
  }
  /** rd = c ? rn : −rm. */
  csneg(rd: Reg, rn: Reg, rm: Reg, c: Cond): number {
    return this.csx('CSNEG', rd, rn, rm, cond(c));
  }
  /** rd = c ? 1 : 0 (CSINC rd, zr, zr, !c). */
  cset(rd: Reg, c: Cond): number {
    return this.csx('CSINC', rd, zr(rd), zr(rd), invert(condAl(c, 'cset')));
  }
  /** rd = c ? −1 : 0 (CSINV rd, zr, zr, !c). */
  csetm(rd: Reg, c: Cond): number {
    return this.csx('CSINV', rd, zr(rd), zr(rd), invert(condAl(c, 'csetm')));
  }
  /** rd = c ? rn + 1 : rn. */
  cinc(rd: Reg, rn: Reg, c: Cond): number {
    return this.csx('CSINC', rd, rn, rn, invert(condAl(c, 'cinc')));
  }
  /** rd = c ? −rn : rn (CSNEG rd, rn, rn, !c). */
  cneg(rd: Reg, rn: Reg, c: Cond): number {
    return this.csx('CSNEG', rd, rn, rn, invert(condAl(c, 'cneg')));
  }
  /** rd = rn with its bytes reversed (whole register). */
  rev(rd: Reg, rn: Reg): number {
    same('rev', rd, rn);
    return this.row(rd.wide ? 'REV_64' : 'REV_32', { Rn: gp(rn, 'rev'), Rd: gp(rd, 'rev') });
  }
  /** rd = bytes reversed within each 16-bit halfword. */
  rev16(rd: Reg, rn: Reg): number {
    same('rev16', rd, rn);
    return this.row('REV16', { sf: sf(rd), Rn: gp(rn, 'rev16'), Rd: gp(rd, 'rev16') });
  }
  /** xd = bytes reversed within each 32-bit word. */
  rev32(rd: Reg, rn: Reg): number {
    needWide(rd, true, 'rev32');
    same('rev32', rd, rn);
    return this.row('REV32', { Rn: gp(rn, 'rev32'), Rd: gp(rd, 'rev32') });
  }

  // ------------------------------------------------------------------ loads and stores

  private ldst(op: LdStOp, rt: Reg, rn: Reg, off: number | Reg, mode?: Index | RegOffset): number {
    const base = gsp(rn, op);
    needWide(rn, true, `${op} base`);
    let size: 1 | 2 | 4 | 8;
    let suffix: string;
    const U = op.toUpperCase();
    if (op === 'ldr' || op === 'str') {
      size = rt.wide ? 8 : 4;
      suffix = rt.wide ? '_64' : '_32';
    } else if (op === 'ldrsw') {
      needWide(rt, true, op);
      size = 4;
      suffix = '';
    } else if (op === 'ldrsb' || op === 'ldrsh') {
      size = op === 'ldrsb' ? 1 : 2;
      suffix = rt.wide ? '_64' : '_32';
    } else {
      needWide(rt, false, op);
      size = op.endsWith('b') ? 1 : 2;
      suffix = '';
    }
    const Rt = gp(rt, op);
    const rowOf = (form: string, unscaled = false): string => {
      if (!unscaled) return `${U}_${form}${suffix}`;
      const ur = U.replace(/^LDR/, 'LDUR').replace(/^STR/, 'STUR');
      return `${ur}${suffix}`;
    };
    if (isReg(off)) {
      const o = (mode as RegOffset | undefined) ?? {};
      const ext = o.extend ?? 'lsl';
      const option = { lsl: 3, uxtw: 2, sxtw: 6, sxtx: 7 }[ext];
      needWide(off, option & 1 ? true : false, `${op} index (${ext})`);
      return this.row(rowOf('reg'), { Rm: gp(off, op), option, S: o.shifted ? 1 : 0, Rn: base, Rt });
    }
    if (mode === 'pre' || mode === 'post') {
      const imm = SImm9.from(off, `${op} ${mode}-index offset`);
      return this.row(rowOf(mode), { imm9: imm.imm9, Rn: base, Rt });
    }
    const scaled = UImm12Scaled.tryFrom(off, size);
    if (scaled) return this.row(rowOf('uimm'), { imm12: scaled.imm12, Rn: base, Rt });
    const un = SImm9.tryFrom(off);
    if (un) return this.row(rowOf('', true), { imm9: un.imm9, Rn: base, Rt });
    throw new EncodingError(
      `${op} offset ${off} is not encodable; it must be a multiple of ${size} in [0, ${4095 * size}] (scaled) or in [-256, 255] (unscaled)`,
    );
  }
  /** rt = [rn + off] (scaled unsigned or unscaled signed offset; pre/post index; or register offset). */
  ldr(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('ldr', rt, rn, off, mode);
  }
  /** [rn + off] = rt. */
  str(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('str', rt, rn, off, mode);
  }
  /** wt = zero-extended byte [rn + off]. */
  ldrb(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('ldrb', rt, rn, off, mode);
  }
  /** byte [rn + off] = wt[7:0]. */
  strb(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('strb', rt, rn, off, mode);
  }
  /** wt = zero-extended halfword [rn + off]. */
  ldrh(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('ldrh', rt, rn, off, mode);
  }
  /** halfword [rn + off] = wt[15:0]. */
  strh(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('strh', rt, rn, off, mode);
  }
  /** rt = sign-extended byte [rn + off]. */
  ldrsb(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('ldrsb', rt, rn, off, mode);
  }
  /** rt = sign-extended halfword [rn + off]. */
  ldrsh(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('ldrsh', rt, rn, off, mode);
  }
  /** xt = sign-extended word [rn + off]. */
  ldrsw(rt: Reg, rn: Reg, off: number | Reg = 0, mode?: Index | RegOffset): number {
    return this.ldst('ldrsw', rt, rn, off, mode);
  }

  private pair(op: 'LDP' | 'STP', rt: Reg, rt2: Reg, rn: Reg, off: number, mode?: Index): number {
    const m = op.toLowerCase();
    same(m, rt, rt2);
    needWide(rn, true, `${m} base`);
    const imm = SImm7Scaled.from(off, rt.wide ? 8 : 4, `${m} offset`);
    return this.row(`${op}_${mode ?? 'off'}_${rt.wide ? 64 : 32}`, {
      imm7: imm.imm7,
      Rt2: gp(rt2, m),
      Rn: gsp(rn, m),
      Rt: gp(rt, m),
    });
  }
  /** rt, rt2 = [rn + off], [rn + off + size] (signed scaled 7-bit offset; pre/post index). */
  ldp(rt: Reg, rt2: Reg, rn: Reg, off = 0, mode?: Index): number {
    return this.pair('LDP', rt, rt2, rn, off, mode);
  }
  /** [rn + off], [rn + off + size] = rt, rt2. */
  stp(rt: Reg, rt2: Reg, rn: Reg, off = 0, mode?: Index): number {
    return this.pair('STP', rt, rt2, rn, off, mode);
  }
  /** A64_PUSH: stp a, b, [sp, #-16]!. */
  push(a: Reg, b: Reg): number {
    return this.stp(a, b, SPREG, -16, 'pre');
  }
  /** A64_POP: ldp a, b, [sp], #16. */
  pop(a: Reg, b: Reg): number {
    return this.ldp(a, b, SPREG, 16, 'post');
  }
  /** rt = the word or doubleword at `target` (LDR literal, ±1 MiB); use `literal()` for a pooled constant. */
  ldrLit(rt: Reg, target: Target): number {
    return this.rowTo(
      rt.wide ? 'LDR_lit_64' : 'LDR_lit_32',
      { Rt: gp(rt, 'ldr') },
      target,
      [['imm19', 19]],
      4,
    );
  }

  private excl(row: string, rs: number, rt: Reg, rn: Reg): number {
    const m = row.toLowerCase();
    needWide(rn, true, `${m} base`);
    return this.row(`${row}_${rt.wide ? 64 : 32}`, { Rs: rs, Rt2: 31, Rn: gsp(rn, m), Rt: gp(rt, m) });
  }
  /** rt = [rn], marking it for exclusive access. */
  ldxr(rt: Reg, rn: Reg): number {
    return this.excl('LDXR', 31, rt, rn);
  }
  /** rt = [rn] with acquire, exclusive. */
  ldaxr(rt: Reg, rn: Reg): number {
    return this.excl('LDAXR', 31, rt, rn);
  }
  /** [rn] = rt if still exclusive; ws = 0 on success, 1 on failure. */
  stxr(ws: Reg, rt: Reg, rn: Reg): number {
    needWide(ws, false, 'stxr status');
    return this.excl('STXR', gp(ws, 'stxr'), rt, rn);
  }
  /** stxr with release. */
  stlxr(ws: Reg, rt: Reg, rn: Reg): number {
    needWide(ws, false, 'stlxr status');
    return this.excl('STLXR', gp(ws, 'stlxr'), rt, rn);
  }
  /** rt = [rn] with acquire. */
  ldar(rt: Reg, rn: Reg): number {
    return this.excl('LDAR', 31, rt, rn);
  }
  /** [rn] = rt with release. */
  stlr(rt: Reg, rn: Reg): number {
    return this.excl('STLR', 31, rt, rn);
  }

  /** LSE: rt = [rn]; [rn] = op([rn], rs) atomically (`ldaddal`, `swpal`, `ldclrb` …). */
  atomic(op: LseOp | CasOp, rs: Reg, rt: Reg, rn: Reg): number {
    const sized = /[bh]$/.test(op); // no base mnemonic ends in b or h
    const m: string = op;
    needWide(rn, true, `${m} base`);
    if (sized) {
      needWide(rt, false, m);
      needWide(rs, false, m);
    } else same(m, rs, rt);
    const row = sized ? m.toUpperCase() : `${m.toUpperCase()}_${rt.wide ? 64 : 32}`;
    return this.row(row, { Rs: gp(rs, m), Rn: gsp(rn, m), Rt: gp(rt, m) });
  }
  /** LSE store form: [rn] = op([rn], rs), no result (LDxxx with rt = the zero register). */
  atomicStore(op: LseStoreOp, rs: Reg, rn: Reg): number {
    const ld = `ld${op.slice(2)}` as LseOp;
    return this.atomic(ld, rs, /[bh]$/.test(op) ? { n: 31, wide: false, sp: false } : zr(rs), rn);
  }
  /** rt = [rn]; [rn] += rs. */
  ldadd(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('ldadd', rs, rt, rn);
  }
  /** ldadd with acquire and release. */
  ldaddal(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('ldaddal', rs, rt, rn);
  }
  /** rt = [rn]; [rn] &= ~rs, acquire-release. */
  ldclral(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('ldclral', rs, rt, rn);
  }
  /** rt = [rn]; [rn] |= rs, acquire-release. */
  ldsetal(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('ldsetal', rs, rt, rn);
  }
  /** rt = [rn]; [rn] ^= rs, acquire-release. */
  ldeoral(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('ldeoral', rs, rt, rn);
  }
  /** [rn] += rs. */
  stadd(rs: Reg, rn: Reg): number {
    return this.atomicStore('stadd', rs, rn);
  }
  /** [rn] += rs with release. */
  staddl(rs: Reg, rn: Reg): number {
    return this.atomicStore('staddl', rs, rn);
  }
  /** rt = [rn]; [rn] = rs, acquire-release. */
  swpal(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('swpal', rs, rt, rn);
  }
  /** if [rn] = rs then [rn] = rt; rs = old [rn]; acquire-release. */
  casal(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('casal', rs, rt, rn);
  }
  /** compare and swap, no ordering. */
  cas(rs: Reg, rt: Reg, rn: Reg): number {
    return this.atomic('cas', rs, rt, rn);
  }

  // ------------------------------------------------------------------ branches

  /** Branch to target (±128 MiB). */
  b(target: Target): number {
    return this.rowTo('B', {}, target, [['imm26', 26]], 4);
  }
  /** Branch with link: x30 = return address (±128 MiB). */
  bl(target: Target): number {
    return this.rowTo('BL', {}, target, [['imm26', 26]], 4);
  }
  /** b.cond: branch if c (±1 MiB). */
  bCond(c: Cond, target: Target): number {
    return this.rowTo('B_cond', { cond: cond(c) }, target, [['imm19', 19]], 4);
  }
  /** Branch if rt = 0 (±1 MiB). */
  cbz(rt: Reg, target: Target): number {
    return this.rowTo('CBZ', { sf: sf(rt), Rt: gp(rt, 'cbz') }, target, [['imm19', 19]], 4);
  }
  /** Branch if rt ≠ 0 (±1 MiB). */
  cbnz(rt: Reg, target: Target): number {
    return this.rowTo('CBNZ', { sf: sf(rt), Rt: gp(rt, 'cbnz') }, target, [['imm19', 19]], 4);
  }
  private tb(row: 'TBZ' | 'TBNZ', rt: Reg, bit: number, target: Target): number {
    const m = row.toLowerCase();
    range(bit, 0, width(rt) - 1, `${m} bit number`);
    return this.rowTo(row, { b5: bit >> 5, b40: bit & 31, Rt: gp(rt, m) }, target, [['imm14', 14]], 4);
  }
  /** Branch if bit `bit` of rt is 0 (±32 KiB). */
  tbz(rt: Reg, bit: number, target: Target): number {
    return this.tb('TBZ', rt, bit, target);
  }
  /** Branch if bit `bit` of rt is 1 (±32 KiB). */
  tbnz(rt: Reg, bit: number, target: Target): number {
    return this.tb('TBNZ', rt, bit, target);
  }
  /** Branch to the address in xn. */
  br(rn: Reg): number {
    needWide(rn, true, 'br');
    return this.row('BR', { Rn: gp(rn, 'br') });
  }
  /** Branch with link to the address in xn. */
  blr(rn: Reg): number {
    needWide(rn, true, 'blr');
    return this.row('BLR', { Rn: gp(rn, 'blr') });
  }
  /** Return to the address in xn (default x30). */
  ret(rn: Reg = LRREG): number {
    needWide(rn, true, 'ret');
    return this.row('RET', { Rn: gp(rn, 'ret') });
  }
  /** xd = address of target (±1 MiB). */
  adr(rd: Reg, target: Target): number {
    needWide(rd, true, 'adr');
    return this.rowTo(
      'ADR',
      { Rd: gp(rd, 'adr') },
      target,
      [
        ['immhi', 19],
        ['immlo', 2],
      ],
      1,
    );
  }
  /** xd = the 4 KiB page of target (±4 GiB). */
  adrp(rd: Reg, target: Target): number {
    needWide(rd, true, 'adrp');
    return this.rowTo(
      'ADRP',
      { Rd: gp(rd, 'adrp') },
      target,
      [
        ['immhi', 19],
        ['immlo', 2],
      ],
      4096,
      true,
    );
  }

  // ------------------------------------------------------------------ hints, exceptions, barriers, system

  /** HINT #imm (0..127): a NOP to cores that do not implement it. */
  hint(imm: number): number {
    range(imm, 0, 127, 'hint number');
    return this.row('HINT', { CRm: imm >> 3, op2: imm & 7 });
  }
  /** Do nothing. */
  nop(): number {
    return this.hint(0);
  }
  /** Branch target identification landing pad: '' (hint #32), 'c' (calls), 'j' (jumps), 'jc' (both). */
  bti(kind: '' | 'c' | 'j' | 'jc' = ''): number {
    return this.hint(32 + { '': 0, c: 2, j: 4, jc: 6 }[kind]);
  }
  /** Sign x30 with key IA and SP as modifier (hint #25). */
  paciasp(): number {
    return this.hint(25);
  }
  /** Authenticate x30 with key IA and SP (hint #29). */
  autiasp(): number {
    return this.hint(29);
  }
  private exc(row: 'BRK' | 'HVC' | 'SVC', imm: number): number {
    return this.row(row, { imm16: range(imm, 0, 0xffff, `${row.toLowerCase()} immediate`) });
  }
  /** Breakpoint exception with a 16-bit comment (BPF JIT: brk #0x3e8 for faults). */
  brk(imm: number): number {
    return this.exc('BRK', imm);
  }
  /** Hypervisor call (hvc #0xffff returns to the host in this machine). */
  hvc(imm: number): number {
    return this.exc('HVC', imm);
  }
  /** Supervisor call. */
  svc(imm: number): number {
    return this.exc('SVC', imm);
  }
  /** Instruction synchronization barrier. */
  isb(): number {
    return this.row('ISB', { CRm: 15 });
  }
  /** Data synchronization barrier (default sy). */
  dsb(opt: BarrierOption = 'sy'): number {
    return this.row('DSB', { CRm: barrier(opt) });
  }
  /** Data memory barrier (default sy). */
  dmb(opt: BarrierOption = 'sy'): number {
    return this.row('DMB', { CRm: barrier(opt) });
  }
  /** xt = system register `reg` (by name, e.g. 'sp_el0', 'tpidr_el1', or S3_0_C…). */
  mrs(rt: Reg, reg: string): number {
    needWide(rt, true, 'mrs');
    return this.row('MRS', { ...sysreg(reg, 'read'), Rt: gp(rt, 'mrs') });
  }
  /** system register `reg` = xt. */
  msr(reg: string, rt: Reg): number {
    needWide(rt, true, 'msr');
    return this.row('MSR_reg', { ...sysreg(reg, 'write'), Rt: gp(rt, 'msr') });
  }
  private sysop(kind: 'dc' | 'ic', op: string, rt?: Reg): number {
    const s = sysOpByName(kind, op);
    if (!s) throw new EncodingError(`${kind} ${op}: unknown operation`);
    if (s.takesRegister !== (rt !== undefined))
      throw new EncodingError(
        `${kind} ${op} ${s.takesRegister ? 'takes an address register' : 'takes no register'}`,
      );
    if (rt) needWide(rt, true, kind);
    return this.row('SYS', { op1: s.op1, CRn: s.CRn, CRm: s.CRm, op2: s.op2, Rt: rt ? gp(rt, kind) : 31 });
  }
  /** Data cache maintenance by name (`civac`, `cvau`, `zva` …) on the address in xt. */
  dc(op: string, rt: Reg): number {
    return this.sysop('dc', op, rt);
  }
  /** Instruction cache maintenance by name (`ivau` with xt; `iallu`, `ialluis` without). */
  ic(op: string, rt?: Reg): number {
    return this.sysop('ic', op, rt);
  }
}

const SPREG: Reg = { n: 31, wide: true, sp: true };
const LRREG: Reg = { n: 30, wide: true, sp: false };
const zr = (like: Reg): Reg => ({ n: 31, wide: like.wide, sp: false });

function condAl(c: Cond, what: string): number {
  const v = cond(c);
  if (v >= 14)
    throw new EncodingError(`${what} ${c}: the condition must not be al or nv (its inverse is never)`);
  return v;
}
function barrier(opt: BarrierOption): number {
  const v = BARRIERS[opt];
  if (v === undefined) throw new EncodingError(`unknown barrier option '${String(opt)}'`);
  return v;
}
function sysreg(reg: string, access: 'read' | 'write'): Fields {
  const f = parseSysreg(reg, access);
  if (!f)
    throw new EncodingError(
      `${access === 'read' ? 'mrs' : 'msr'}: '${reg}' is not a ${access === 'read' ? 'readable' : 'writable'} system register`,
    );
  if (f.op0 < 2)
    throw new EncodingError(
      `${reg}: op0 = ${f.op0} is not in the MRS/MSR register space (op0 must be 2 or 3)`,
    );
  return { o0: f.op0 - 2, op1: f.op1, CRn: f.CRn, CRm: f.CRm, op2: f.op2 };
}
