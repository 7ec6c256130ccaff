/**
 * Handlers for src/a64/table/dp-reg.ts (Arm ARM C4.1.95), named after their rows: 2-source (divide,
 * variable shifts, CRC32/CRC32C), 1-source (bit/byte reversal, CLZ/CLS, pointer authentication), logical
 * and add/subtract (shifted and extended register), with carry, RMIF/SETF8/SETF16, conditional compare
 * and select, and 3-source multiplies. PACGA has no handler: it decodes and faults `Unimplemented`.
 *
 * 32-bit forms (sf = 0) compute on the low halves, set flags from 32-bit arithmetic and zero the upper
 * half of the destination. Multiplies and 64-bit divides use BigInt; everything else stays on halves.
 */
import { SINK, SP, ZR, type Cpu } from '../cpu.js';
import { pacAuth, pacKey, pacSign, pacStrip } from '../pac.js';
import { add32, add64, condHolds } from './alu.js';
import type { HandlerTable } from './types.js';

type F = Record<string, number>;

/** Source register index: 31 reads zero. */
const src = (r: number): number => (r === 31 ? ZR : r);
/** Destination register index: 31 discards the write. */
const dst = (r: number): number => (r === 31 ? SINK : r);

// ---------------------------------------------------------------- shifts on halves (results in RL/RH)

// Exported live (ESM bindings): dp-imm's bitfield handlers read RL/RH after calling ror64.
export let RL = 0;
export let RH = 0;

function lsl64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    RL = lo;
    RH = hi;
  } else if (s < 32) {
    RH = ((hi << s) | (lo >>> (32 - s))) >>> 0;
    RL = (lo << s) >>> 0;
  } else {
    RH = (lo << (s - 32)) >>> 0;
    RL = 0;
  }
}

function lsr64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    RL = lo;
    RH = hi;
  } else if (s < 32) {
    RL = ((lo >>> s) | (hi << (32 - s))) >>> 0;
    RH = hi >>> s;
  } else {
    RL = hi >>> (s - 32);
    RH = 0;
  }
}

function asr64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    RL = lo;
    RH = hi;
  } else if (s < 32) {
    RL = ((lo >>> s) | (hi << (32 - s))) >>> 0;
    RH = (hi >> s) >>> 0;
  } else {
    RL = (hi >> (s - 32)) >>> 0;
    RH = (hi >> 31) >>> 0;
  }
}

/** RH:RL = hi:lo rotated right by s (0–63). */
export function ror64(lo: number, hi: number, s: number): void {
  if (s >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    s -= 32;
  }
  if (s === 0) {
    RL = lo;
    RH = hi;
    return;
  }
  RL = ((lo >>> s) | (hi << (32 - s))) >>> 0;
  RH = ((hi >>> s) | (lo << (32 - s))) >>> 0;
}

const SHIFT64 = [lsl64, lsr64, asr64, ror64] as const;

function shift32(v: number, type: number, s: number): number {
  if (s === 0) return v;
  switch (type) {
    case 0:
      return (v << s) >>> 0;
    case 1:
      return v >>> s;
    case 2:
      return (v >> s) >>> 0;
    default:
      return ((v >>> s) | (v << (32 - s))) >>> 0;
  }
}

// ---------------------------------------------------------------- 2 source

function div(signed: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    if (f.sf) {
      return (c: Cpu) => {
        const b = (BigInt(c.hi[m]!) << 32n) | BigInt(c.lo[m]!);
        let q = 0n;
        if (b !== 0n) {
          const a = (BigInt(c.hi[n]!) << 32n) | BigInt(c.lo[n]!);
          q = signed ? BigInt.asUintN(64, BigInt.asIntN(64, a) / BigInt.asIntN(64, b)) : a / b;
        }
        c.lo[d] = Number(q & 0xffffffffn);
        c.hi[d] = Number(q >> 32n);
        c.next();
      };
    }
    return (c: Cpu) => {
      const b = c.lo[m]!;
      let q = 0;
      if (b !== 0) {
        const a = c.lo[n]!;
        q = signed ? Math.trunc((a | 0) / (b | 0)) >>> 0 : Math.trunc(a / b);
      }
      c.lo[d] = q;
      c.hi[d] = 0;
      c.next();
    };
  };
}

function shiftV(type: number) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    if (f.sf) {
      const sh = SHIFT64[type]!;
      return (c: Cpu) => {
        sh(c.lo[n]!, c.hi[n]!, c.lo[m]! & 63);
        c.lo[d] = RL;
        c.hi[d] = RH;
        c.next();
      };
    }
    return (c: Cpu) => {
      c.lo[d] = shift32(c.lo[n]!, type, c.lo[m]! & 31);
      c.hi[d] = 0;
      c.next();
    };
  };
}

function crcTable(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i;
    for (let k = 0; k < 8; k++) r = r & 1 ? (r >>> 1) ^ poly : r >>> 1;
    t[i] = r >>> 0;
  }
  return t;
}
const CRC32 = crcTable(0xedb88320);
const CRC32C = crcTable(0x82f63b78);

/** CRC32{B,H,W,X} / CRC32C…: the reflected CRC of the low `bytes` of Rm, little-endian, into Wn; no inversion. */
function crc(castagnoli: boolean, bytes: number) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    const t = castagnoli ? CRC32C : CRC32;
    return (c: Cpu) => {
      let r = c.lo[n]!;
      let v = c.lo[m]!;
      for (let i = 0; i < bytes; i++) {
        if (i === 4) v = c.hi[m]!;
        r = t[(r ^ v) & 0xff]! ^ (r >>> 8);
        v >>>= 8;
      }
      c.lo[d] = r >>> 0;
      c.hi[d] = 0;
      c.next();
    };
  };
}

// ---------------------------------------------------------------- 1 source

function rbit32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

function bswap32(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) >>> 0;
}

function rev16(v: number): number {
  return (((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8)) >>> 0;
}

/** A 1-source op: 64-bit `op64(lo, hi)` writes RL/RH; 32-bit `op32(lo)` returns the result. */
function oneSrc(op32: (v: number) => number, op64: (lo: number, hi: number) => void) {
  return (f: F) => {
    const n = src(f.Rn!);
    const d = dst(f.Rd!);
    if (f.sf === 0) {
      return (c: Cpu) => {
        c.lo[d] = op32(c.lo[n]!);
        c.hi[d] = 0;
        c.next();
      };
    }
    return (c: Cpu) => {
      op64(c.lo[n]!, c.hi[n]!);
      c.lo[d] = RL;
      c.hi[d] = RH;
      c.next();
    };
  };
}

const clz64 = (lo: number, hi: number): number => (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo));

const oneSourceHandlers: HandlerTable = {
  RBIT: oneSrc(rbit32, (lo, hi) => {
    RL = rbit32(hi);
    RH = rbit32(lo);
  }),
  REV16: oneSrc(rev16, (lo, hi) => {
    RL = rev16(lo);
    RH = rev16(hi);
  }),
  REV_32: (f) => oneSrc(bswap32, () => undefined)({ ...f, sf: 0 }),
  REV32: (f) =>
    oneSrc(bswap32, (lo, hi) => {
      RL = bswap32(lo);
      RH = bswap32(hi);
    })({ ...f, sf: 1 }),
  REV_64: (f) =>
    oneSrc(bswap32, (lo, hi) => {
      RL = bswap32(hi);
      RH = bswap32(lo);
    })({ ...f, sf: 1 }),
  CLZ: oneSrc(
    (v) => Math.clz32(v),
    (lo, hi) => {
      RL = clz64(lo, hi);
      RH = 0;
    },
  ),
  CLS: oneSrc(
    (v) => Math.clz32((v ^ (v >> 1)) >>> 0) - 1,
    (lo, hi) => {
      const x = (lo ^ ((lo >>> 1) | (hi << 31))) >>> 0;
      const y = (hi ^ (hi >> 1)) >>> 0;
      RL = clz64(x, y) - 1;
      RH = 0;
    },
  ),
};

/**
 * PACIA … AUTDB and the Z forms: sign or authenticate Xd with the modifier Xn (SP when 31) or zero. The
 * model has two keys per CPU; the data keys are the instruction keys with a fixed tweak, so a pointer signed
 * with DA does not authenticate with IA. NOPs when the machine runs without PAC.
 */
function pacOp(kind: 'sign' | 'auth', keyB: boolean, data: boolean, zero: boolean, name: string) {
  return (f: F) => {
    const d = dst(f.Rd!);
    const n = zero ? ZR : f.Rn!; // 31 = SP
    const what = name.toLowerCase();
    return (c: Cpu) => {
      if (c.machine.options.pac) {
        const key = pacKey(c, keyB, data);
        if (d === SINK) {
          c.lo[SINK] = 0;
          c.hi[SINK] = 0;
        }
        if (kind === 'sign') pacSign(c, d, c.lo[n]!, c.hi[n]!, key);
        else pacAuth(c, d, c.lo[n]!, c.hi[n]!, key, what);
      }
      c.next();
    };
  };
}

const pacHandlers: Record<string, (f: F) => (c: Cpu) => void> = {};
['PACIA', 'PACIB', 'PACDA', 'PACDB', 'AUTIA', 'AUTIB', 'AUTDA', 'AUTDB'].forEach((name) => {
  const kind = name.startsWith('PAC') ? 'sign' : 'auth';
  const data = name[3] === 'D';
  const keyB = name[4] === 'B';
  pacHandlers[name] = pacOp(kind, keyB, data, false, name);
  const z = `${name.slice(0, 4)}Z${name.slice(4)}`;
  pacHandlers[z] = pacOp(kind, keyB, data, true, z);
});
const xpac = (f: F) => {
  const d = dst(f.Rd!);
  return (c: Cpu) => {
    if (c.machine.options.pac) pacStrip(c, d);
    c.next();
  };
};

// ---------------------------------------------------------------- logical and add/subtract (shifted)

function logicalShifted(op: 'and' | 'orr' | 'eor', invert: boolean, flags: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    const type = f.shift!;
    const amt = f.imm6!;
    const inv = invert ? 0xffffffff : 0;
    if (f.sf) {
      const sh = SHIFT64[type]!;
      return (c: Cpu) => {
        sh(c.lo[m]!, c.hi[m]!, amt);
        const bl = RL ^ inv;
        const bh = RH ^ inv;
        const al = c.lo[n]!;
        const ah = c.hi[n]!;
        let lo: number;
        let hi: number;
        if (op === 'and') {
          lo = (al & bl) >>> 0;
          hi = (ah & bh) >>> 0;
        } else if (op === 'orr') {
          lo = (al | bl) >>> 0;
          hi = (ah | bh) >>> 0;
        } else {
          lo = (al ^ bl) >>> 0;
          hi = (ah ^ bh) >>> 0;
        }
        if (flags) {
          c.n = hi >>> 31;
          c.z = (lo | hi) === 0 ? 1 : 0;
          c.c = 0;
          c.v = 0;
        }
        c.lo[d] = lo;
        c.hi[d] = hi;
        c.next();
      };
    }
    return (c: Cpu) => {
      const b = shift32(c.lo[m]!, type, amt) ^ inv;
      const a = c.lo[n]!;
      const r = (op === 'and' ? a & b : op === 'orr' ? a | b : a ^ b) >>> 0;
      if (flags) {
        c.n = r >>> 31;
        c.z = r === 0 ? 1 : 0;
        c.c = 0;
        c.v = 0;
      }
      c.lo[d] = r;
      c.hi[d] = 0;
      c.next();
    };
  };
}

function addSubShifted(sub: boolean, flags: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    const type = f.shift!;
    const amt = f.imm6!;
    const inv = sub ? 0xffffffff : 0;
    const carry = sub ? 1 : 0;
    if (f.sf) {
      const sh = SHIFT64[type]!;
      return (c: Cpu) => {
        sh(c.lo[m]!, c.hi[m]!, amt);
        add64(c, c.lo[n]!, c.hi[n]!, (RL ^ inv) >>> 0, (RH ^ inv) >>> 0, carry, flags);
        c.lo[d] = c.rlo;
        c.hi[d] = c.rhi;
        c.next();
      };
    }
    return (c: Cpu) => {
      add32(c, c.lo[n]!, (shift32(c.lo[m]!, type, amt) ^ inv) >>> 0, carry, flags);
      c.lo[d] = c.rlo;
      c.hi[d] = 0;
      c.next();
    };
  };
}

/** Add/subtract (extended register): Rn is SP when 31, and so is Rd unless the row sets flags. */
function addSubExtended(sub: boolean, flags: boolean) {
  return (f: F) => {
    const n = f.Rn!; // 31 = SP
    const m = src(f.Rm!);
    const d = f.Rd === 31 ? (flags ? SINK : SP) : f.Rd!;
    const option = f.option!;
    const amt = f.imm3!;
    const inv = sub ? 0xffffffff : 0;
    const carry = sub ? 1 : 0;
    const signed = option >= 4;
    const size = option & 3; // 0 byte, 1 half, 2 word, 3 doubleword
    const extend = (c: Cpu): void => {
      let lo = c.lo[m]!;
      let hi = c.hi[m]!;
      if (size === 0) {
        lo = signed ? ((lo << 24) >> 24) >>> 0 : lo & 0xff;
        hi = signed ? (lo >> 31) >>> 0 : 0;
      } else if (size === 1) {
        lo = signed ? ((lo << 16) >> 16) >>> 0 : lo & 0xffff;
        hi = signed ? (lo >> 31) >>> 0 : 0;
      } else if (size === 2) {
        hi = signed ? (lo >> 31) >>> 0 : 0;
      }
      lsl64(lo, hi, amt);
    };
    if (f.sf) {
      return (c: Cpu) => {
        extend(c);
        add64(c, c.lo[n]!, c.hi[n]!, (RL ^ inv) >>> 0, (RH ^ inv) >>> 0, carry, flags);
        c.lo[d] = c.rlo;
        c.hi[d] = c.rhi;
        c.next();
      };
    }
    return (c: Cpu) => {
      extend(c);
      add32(c, c.lo[n]!, (RL ^ inv) >>> 0, carry, flags);
      c.lo[d] = c.rlo;
      c.hi[d] = 0;
      c.next();
    };
  };
}

/** ADC/ADCS/SBC/SBCS: Rn + Rm (or NOT Rm) + C. */
function withCarry(sub: boolean, flags: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    const inv = sub ? 0xffffffff : 0;
    if (f.sf) {
      return (c: Cpu) => {
        add64(c, c.lo[n]!, c.hi[n]!, (c.lo[m]! ^ inv) >>> 0, (c.hi[m]! ^ inv) >>> 0, c.c, flags);
        c.lo[d] = c.rlo;
        c.hi[d] = c.rhi;
        c.next();
      };
    }
    return (c: Cpu) => {
      add32(c, c.lo[n]!, (c.lo[m]! ^ inv) >>> 0, c.c, flags);
      c.lo[d] = c.rlo;
      c.hi[d] = 0;
      c.next();
    };
  };
}

// ---------------------------------------------------------------- flags

function rmif(f: F) {
  const n = src(f.Rn!);
  const s = f.imm6!;
  const mask = f.mask!;
  return (c: Cpu) => {
    ror64(c.lo[n]!, c.hi[n]!, s);
    const t = RL;
    if (mask & 8) c.n = (t >>> 3) & 1;
    if (mask & 4) c.z = (t >>> 2) & 1;
    if (mask & 2) c.c = (t >>> 1) & 1;
    if (mask & 1) c.v = t & 1;
    c.next();
  };
}

function setf(bits: 8 | 16) {
  return (f: F) => {
    const n = src(f.Rn!);
    const top = bits - 1;
    const m = bits === 8 ? 0xff : 0xffff;
    return (c: Cpu) => {
      const v = c.lo[n]!;
      c.n = (v >>> top) & 1;
      c.z = (v & m) === 0 ? 1 : 0;
      c.v = ((v >>> bits) ^ (v >>> top)) & 1;
      c.next();
    };
  };
}

/** CCMN/CCMP: the flags of Rn ± (Rm | imm5) when the condition holds, else the nzcv field. */
function condCompare(sub: boolean, imm: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = imm ? 0 : src(f.Rm!);
    const k = imm ? f.imm5! : 0;
    const cond = f.cond!;
    const nzcv = f.nzcv!;
    const inv = sub ? 0xffffffff : 0;
    const carry = sub ? 1 : 0;
    const sf = f.sf === 1;
    return (c: Cpu) => {
      if (condHolds(c, cond)) {
        const bl = imm ? k : c.lo[m]!;
        const bh = imm ? 0 : c.hi[m]!;
        if (sf) add64(c, c.lo[n]!, c.hi[n]!, (bl ^ inv) >>> 0, (bh ^ inv) >>> 0, carry, true);
        else add32(c, c.lo[n]!, (bl ^ inv) >>> 0, carry, true);
      } else c.nzcv = nzcv;
      c.next();
    };
  };
}

/** CSEL/CSINC/CSINV/CSNEG: Rn if the condition holds, else Rm, Rm + 1, NOT Rm or -Rm. */
function condSelect(invert: boolean, inc: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    const cond = f.cond!;
    const sf = f.sf === 1;
    const inv = invert ? 0xffffffff : 0;
    return (c: Cpu) => {
      let lo: number;
      let hi: number;
      if (condHolds(c, cond)) {
        lo = c.lo[n]!;
        hi = c.hi[n]!;
      } else {
        lo = (c.lo[m]! ^ inv) >>> 0;
        hi = (c.hi[m]! ^ inv) >>> 0;
        if (inc) {
          lo += 1;
          if (lo === 4294967296) {
            lo = 0;
            hi = (hi + 1) >>> 0;
          }
        }
      }
      c.lo[d] = lo;
      c.hi[d] = sf ? hi : 0;
      c.next();
    };
  };
}

// ---------------------------------------------------------------- 3 source

const big = (c: Cpu, r: number): bigint => (BigInt(c.hi[r]!) << 32n) | BigInt(c.lo[r]!);

function setBig(c: Cpu, d: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  c.lo[d] = Number(u & 0xffffffffn);
  c.hi[d] = Number(u >> 32n);
}

/** 32-bit a * b mod 2^32 and a + that. */
function madd(sub: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const a = src(f.Ra!);
    const d = dst(f.Rd!);
    if (f.sf) {
      return (c: Cpu) => {
        const p = big(c, n) * big(c, m);
        setBig(c, d, sub ? big(c, a) - p : big(c, a) + p);
        c.next();
      };
    }
    return (c: Cpu) => {
      const p = Math.imul(c.lo[n]!, c.lo[m]!);
      c.lo[d] = (sub ? c.lo[a]! - p : c.lo[a]! + p) >>> 0;
      c.hi[d] = 0;
      c.next();
    };
  };
}

/** SMADDL … UMSUBL: Xa ± Wn * Wm (signed or unsigned 32 × 32 → 64). */
function maddl(signed: boolean, sub: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const a = src(f.Ra!);
    const d = dst(f.Rd!);
    return (c: Cpu) => {
      const x = signed ? c.lo[n]! | 0 : c.lo[n]!;
      const y = signed ? c.lo[m]! | 0 : c.lo[m]!;
      const p = BigInt(x) * BigInt(y);
      setBig(c, d, sub ? big(c, a) - p : big(c, a) + p);
      c.next();
    };
  };
}

function mulHigh(signed: boolean) {
  return (f: F) => {
    const n = src(f.Rn!);
    const m = src(f.Rm!);
    const d = dst(f.Rd!);
    return (c: Cpu) => {
      const x = signed ? BigInt.asIntN(64, big(c, n)) : big(c, n);
      const y = signed ? BigInt.asIntN(64, big(c, m)) : big(c, m);
      setBig(c, d, (x * y) >> 64n);
      c.next();
    };
  };
}

export const dpRegHandlers: HandlerTable = {
  UDIV: div(false),
  SDIV: div(true),
  LSLV: shiftV(0),
  LSRV: shiftV(1),
  ASRV: shiftV(2),
  RORV: shiftV(3),
  CRC32B: crc(false, 1),
  CRC32H: crc(false, 2),
  CRC32W: crc(false, 4),
  CRC32X: crc(false, 8),
  CRC32CB: crc(true, 1),
  CRC32CH: crc(true, 2),
  CRC32CW: crc(true, 4),
  CRC32CX: crc(true, 8),
  ...oneSourceHandlers,
  ...pacHandlers,
  XPACI: xpac,
  XPACD: xpac,
  AND_shifted: logicalShifted('and', false, false),
  BIC_shifted: logicalShifted('and', true, false),
  ORR_shifted: logicalShifted('orr', false, false),
  ORN_shifted: logicalShifted('orr', true, false),
  EOR_shifted: logicalShifted('eor', false, false),
  EON_shifted: logicalShifted('eor', true, false),
  ANDS_shifted: logicalShifted('and', false, true),
  BICS_shifted: logicalShifted('and', true, true),
  ADD_shifted: addSubShifted(false, false),
  ADDS_shifted: addSubShifted(false, true),
  SUB_shifted: addSubShifted(true, false),
  SUBS_shifted: addSubShifted(true, true),
  ADD_ext: addSubExtended(false, false),
  ADDS_ext: addSubExtended(false, true),
  SUB_ext: addSubExtended(true, false),
  SUBS_ext: addSubExtended(true, true),
  ADC: withCarry(false, false),
  ADCS: withCarry(false, true),
  SBC: withCarry(true, false),
  SBCS: withCarry(true, true),
  RMIF: rmif,
  SETF8: setf(8),
  SETF16: setf(16),
  CCMN_reg: condCompare(false, false),
  CCMP_reg: condCompare(true, false),
  CCMN_imm: condCompare(false, true),
  CCMP_imm: condCompare(true, true),
  CSEL: condSelect(false, false),
  CSINC: condSelect(false, true),
  CSINV: condSelect(true, false),
  CSNEG: condSelect(true, true),
  MADD: madd(false),
  MSUB: madd(true),
  SMADDL: maddl(true, false),
  SMSUBL: maddl(true, true),
  UMADDL: maddl(false, false),
  UMSUBL: maddl(false, true),
  SMULH: mulHigh(true),
  UMULH: mulHigh(false),
};
