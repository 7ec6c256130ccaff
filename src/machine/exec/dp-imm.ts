/**
 * Handlers for src/a64/table/dp-imm.ts (Arm ARM C4.1.92), named after their rows.
 */
import { SINK, type Cpu } from '../cpu.js';
import { add32, add64, sx } from './alu.js';
import type { HandlerTable } from './types.js';

const TWO32 = 4294967296;

/** ADD/SUB (immediate): Rd = Rn ± imm{, lsl 12}; S variants set NZCV and write XZR instead of SP. */
function addSubImm(sub: boolean, flags: boolean) {
  return (f: Record<string, number>) => {
    const n = f.Rn!; // SP allowed
    const d = flags && f.Rd === 31 ? SINK : f.Rd!;
    const imm = f.imm12! * (f.sh ? 4096 : 1);
    if (f.sf) {
      const blo = sub ? ~imm >>> 0 : imm;
      const bhi = sub ? 0xffffffff : 0;
      const carry = sub ? 1 : 0;
      return (c: Cpu) => {
        add64(c, c.lo[n]!, c.hi[n]!, blo, bhi, carry, flags);
        c.lo[d] = c.rlo;
        c.hi[d] = c.rhi;
        c.next();
      };
    }
    const b = sub ? ~imm >>> 0 : imm;
    const carry = sub ? 1 : 0;
    return (c: Cpu) => {
      add32(c, c.lo[n]!, b, carry, flags);
      c.lo[d] = c.rlo;
      c.hi[d] = 0;
      c.next();
    };
  };
}

export const dpImmHandlers: HandlerTable = {
  /** ADR: Rd = PC + imm. */
  ADR(f) {
    const d = f.Rd === 31 ? SINK : f.Rd!;
    const off = sx(f.immhi! * 4 + f.immlo!, 21);
    return (c) => {
      const lo = c.pcLo + off;
      c.lo[d] = lo >>> 0;
      c.hi[d] = lo >= TWO32 ? (c.pcHi + 1) >>> 0 : lo < 0 ? (c.pcHi - 1) >>> 0 : c.pcHi;
      c.next();
    };
  },
  /** ADRP: Rd = (PC & ~0xfff) + imm * 4096. */
  ADRP(f) {
    const d = f.Rd === 31 ? SINK : f.Rd!;
    const off = sx(f.immhi! * 4 + f.immlo!, 21) * 4096;
    return (c) => {
      const lo = (c.pcLo & ~0xfff) >>> 0;
      const s = lo + off;
      c.lo[d] = s >>> 0;
      c.hi[d] = (c.pcHi + Math.floor(s / TWO32)) >>> 0;
      c.next();
    };
  },
  ADD_imm: addSubImm(false, false),
  ADDS_imm: addSubImm(false, true),
  SUB_imm: addSubImm(true, false),
  SUBS_imm: addSubImm(true, true),
};

