/**
 * Argument-store provenance: how many times the arguments of a traced call are stored to memory on the way
 * (the seed thread's "the args are saved twice" argument against the `ops` strategy), counted from what the
 * CPU executed, not from register names.
 *
 * Each general-purpose register carries a tag: the set of argument indices (bit i = argument i, as it was
 * in x<i> at the call) whose value it provably holds. At the call, x<i> gets {i}. Then, per instruction:
 *   - a store writes the tags of its transfer register into a shadow memory at the stored address, and
 *     counts one store of argument i when i is in the tag AND the stored bits equal argument i's value
 *     truncated to the access size (so a register that merely holds an equal value, with no flow from the
 *     argument register, counts nothing);
 *   - a load copies the shadow tags at its address back into its destination (an 8-byte spill reloaded with
 *     a 4-byte load keeps its tags: little-endian, the low bytes are the same value);
 *   - a data-processing instruction whose result equals one of its source registers (`mov x1, x0` =
 *     `orr x1, xzr, x0`, `mov x29, sp` = `add x29, sp, #0`, `uxtw`) copies that source's tags; any other
 *     write clears the destination's tags;
 *   - whatever else changes a register (host calls, PAC, system registers, SIMD moves to a GPR) clears it,
 *     and atomics and exclusives clear the shadow at their address (a conservative rule: no argument is
 *     ever saved with them).
 * Instructions are classified by their A64 table row's class and fields (src/a64 decode), never by
 * mnemonic text. Effects that need the register values before the instruction (addresses, stored values)
 * are taken in `before`; effects that need the result (the copy rule, "what changed") in `after`.
 */
import { decode, type Decoded } from '../a64/index.js';
import type { Cpu } from '../machine/cpu.js';

/** At most eight arguments travel in registers (x0–x7) on arm64 (AAPCS64), the ones a trampoline saves. */
export const MAX_REG_ARGS = 8;
const GPRS = 31;

/** One store that saved an argument value. */
export interface ArgStore {
  readonly pc: bigint;
  /** Address stored to. */
  readonly address: bigint;
  /** Access size in bytes. */
  readonly size: number;
  /** Argument indices whose value this store saved. */
  readonly args: readonly number[];
  /** Caller-supplied label of where it happened (the stage). */
  readonly where: string;
}

interface Access {
  readonly address: bigint;
  /** Bytes per transfer register. */
  readonly size: number;
  /** Transfer registers (GP numbers; 31 is the zero register). */
  readonly regs: readonly number[];
  /** The transfer registers are general-purpose (V = 0). */
  readonly gp: boolean;
  readonly store: boolean;
}

interface Plan {
  /** Destinations whose tags come from memory (loads). */
  readonly set: Map<number, number>;
  /** Destinations cleared even if their value did not change. */
  readonly clear: number[];
  /** Destination of the copy rule and its candidate sources. */
  copy?: { rd: number; sources: readonly number[]; width32: boolean };
}

/** Decoded rows by word (a traced call executes a few hundred distinct words many times). */
const decodeCache = new Map<number, Decoded | null>();

export function decodeCached(word: number): Decoded | undefined {
  let d = decodeCache.get(word);
  if (d === undefined) {
    d = decode(word) ?? null;
    decodeCache.set(word, d);
  }
  return d ?? undefined;
}

const MASK64 = (1n << 64n) - 1n;
const maskFor = (bytes: number): bigint => (bytes >= 8 ? MASK64 : (1n << BigInt(bytes * 8)) - 1n);
const sext = (v: number, bits: number): number => (v >= 2 ** (bits - 1) ? v - 2 ** bits : v);
const bit = (word: number, n: number): number => (word >>> n) & 1;

/**
 * PRFM/PRFUM (immediate, unscaled, register offset): `size` 11, bits 29:27 111, V 0, opc 10 — a hint that
 * transfers nothing, although its row has an Rt field (the prefetch operation). The one other row with
 * those bits, LDAPR in the atomic-memory group, has bit 21 set and op 11:10 = 00 with bits 25:24 = 00.
 * PRFM (literal) is `opc` 11 in the load-literal group (bits 29:24 = 011000).
 */
function isPrefetch(word: number): boolean {
  if (word >>> 24 === 0b11_011_0_00) return true;
  if (word >>> 30 !== 3 || ((word >>> 27) & 7) !== 7 || bit(word, 26) !== 0 || ((word >>> 22) & 3) !== 2)
    return false;
  const atomicGroup = ((word >>> 24) & 3) === 0 && bit(word, 21) === 1 && ((word >>> 10) & 3) === 0;
  return !atomicGroup;
}

/**
 * The memory access of a load/store row, from its fields and the manual's fixed bit positions of the
 * load/store class (C4.1.94: `size` 31:30, V 26, opc 23:22, the imm9 group's op 11:10, the pair form 24:23),
 * with register values before the instruction. Undefined when the row has no computable address (LDRAA's
 * address is authenticated first) or transfers nothing (PRFM).
 */
function accessOf(d: Decoded, cpu: Cpu, pc: bigint): Access | undefined {
  const { f, word, entry } = d;
  const cls = entry.cls;
  const store = cls === 'store' || cls === 'storepair';
  const gp = bit(word, 26) === 0;
  const base = (): bigint => cpu.x(f.Rn!);
  if (cls === 'loadpair' || cls === 'storepair') {
    const opc = word >>> 30;
    const size = gp ? (opc === 2 ? 8 : 4) : 4 << opc;
    const form = (word >>> 23) & 3; // 00 no-allocate, 01 post-index, 10 offset, 11 pre-index
    const off = form === 1 ? 0 : sext(f.imm7!, 7) * size;
    return { address: (base() + BigInt(off)) & MASK64, size, regs: [f.Rt!, f.Rt2!], gp, store };
  }
  if ('imm19' in f) {
    const opc = word >>> 30;
    const size = gp ? (opc === 1 ? 8 : 4) : 4 << opc;
    return { address: (pc + BigInt(sext(f.imm19!, 19) * 4)) & MASK64, size, regs: [f.Rt!], gp, store };
  }
  if (isPrefetch(word)) return undefined;
  const sizeBits = word >>> 30;
  const size = !gp && sizeBits === 0 && bit(word, 23) === 1 ? 16 : 1 << sizeBits;
  let address: bigint;
  if ('Rm' in f && 'option' in f) {
    let m = cpu.x(f.Rm!);
    const option = f.option!;
    if ((option & 1) === 0) m = option === 6 ? BigInt.asIntN(32, m & 0xffffffffn) : m & 0xffffffffn;
    if (f.S) m <<= BigInt(Math.log2(size));
    address = base() + m;
  } else if ('imm12' in f) {
    address = base() + BigInt(f.imm12! * size);
  } else if ('imm9' in f) {
    if ('S' in f) return undefined; // LDRAA/LDRAB: the base is authenticated before use
    const op = (word >>> 10) & 3; // 01 post-index: the access is at the base
    address = base() + BigInt(op === 1 ? 0 : sext(f.imm9!, 9));
  } else {
    address = base(); // acquire/release and other base-only forms
  }
  return { address: address & MASK64, size, regs: [f.Rt!], gp, store };
}

export class ArgProvenance {
  /** Tag bitmask per general-purpose register. */
  private readonly tags = new Uint8Array(GPRS);
  /** Shadow memory: access start → tags and size of the last store there. */
  private readonly shadow = new Map<bigint, { tags: number; size: number }>();
  private readonly preLo = new Uint32Array(GPRS);
  private readonly preHi = new Uint32Array(GPRS);
  private readonly preTags = new Uint8Array(GPRS);
  private plan: Plan | undefined;
  readonly stores: ArgStore[] = [];
  readonly args: readonly bigint[];

  /**
   * Start tracking with the argument registers as they are now on `cpu` (call this just before the
   * traced function's first instruction). `nargs` ≤ 8.
   */
  constructor(cpu: Cpu, nargs: number) {
    if (!Number.isInteger(nargs) || nargs < 0 || nargs > MAX_REG_ARGS)
      throw new RangeError(`nargs must be 0-${MAX_REG_ARGS}, got ${nargs}`);
    const args: bigint[] = [];
    for (let i = 0; i < nargs; i++) {
      args.push(cpu.x(i));
      this.tags[i] = 1 << i;
    }
    this.args = args;
  }

  /** Called before the instruction `word` at `pc` runs (after `after` for the previous one). */
  before(cpu: Cpu, pc: bigint, word: number, where: string): void {
    this.preLo.set(cpu.lo.subarray(0, GPRS));
    this.preHi.set(cpu.hi.subarray(0, GPRS));
    this.preTags.set(this.tags);
    const plan: Plan = { set: new Map(), clear: [] };
    this.plan = plan;
    const d = decodeCached(word);
    if (!d) return;
    const cls = d.entry.cls;
    const f = d.f;
    switch (cls) {
      case 'load':
      case 'loadpair':
      case 'store':
      case 'storepair': {
        if (isPrefetch(word)) return;
        const a = accessOf(d, cpu, pc);
        if (!a) {
          if (cls === 'load' && 'Rt' in f) plan.clear.push(f.Rt!);
          return;
        }
        a.regs.forEach((r, k) => {
          const at = (a.address + BigInt(k * a.size)) & MASK64;
          if (a.store) this.store(cpu, pc, at, a.size, a.gp ? r : -1, where);
          else if (a.gp && r !== 31) {
            const s = this.shadow.get(at);
            plan.set.set(r, s !== undefined && s.size >= a.size ? s.tags : 0);
          }
        });
        return;
      }
      case 'atomic':
      case 'exclusive':
        this.clearShadow(cpu.x(f.Rn!), 16);
        return;
      case 'call':
      case 'call-ind':
        plan.clear.push(30);
        return;
      case 'mov':
        plan.clear.push(f.Rd!);
        return;
      case 'alu':
      case 'mul':
      case 'div': {
        const rd = f.Rd;
        if (rd === undefined || rd === 31) return;
        const sources = [f.Rn, f.Rm].filter((r): r is number => r !== undefined && r !== 31);
        plan.copy = { rd, sources, width32: f.sf === 0 };
        return;
      }
      default:
        return;
    }
  }

  /** Called after the instruction of the last `before` ran (at the next `before`, or at the end). */
  after(cpu: Cpu): void {
    const plan = this.plan;
    if (!plan) return;
    this.plan = undefined;
    const lo = cpu.lo;
    const hi = cpu.hi;
    for (let r = 0; r < GPRS; r++) {
      if (lo[r] !== this.preLo[r] || hi[r] !== this.preHi[r]) this.tags[r] = 0;
    }
    for (const r of plan.clear) if (r < GPRS) this.tags[r] = 0;
    if (plan.copy) {
      const { rd, sources, width32 } = plan.copy;
      let t = 0;
      for (const s of sources) {
        const same = width32
          ? lo[rd] === this.preLo[s]
          : lo[rd] === this.preLo[s] && hi[rd] === this.preHi[s];
        if (same) t |= this.preTags[s]!;
      }
      this.tags[rd] = t;
    }
    for (const [r, t] of plan.set) this.tags[r] = t;
  }

  private store(cpu: Cpu, pc: bigint, address: bigint, size: number, reg: number, where: string): void {
    this.clearShadow(address, size);
    if (reg < 0 || reg === 31) return;
    const t = this.tags[reg]!;
    if (t === 0) return;
    const value = cpu.x(reg) & maskFor(size);
    const saved: number[] = [];
    for (let i = 0; i < this.args.length; i++) {
      if (t & (1 << i) && (this.args[i]! & maskFor(size)) === value) saved.push(i);
    }
    this.shadow.set(address, { tags: t, size });
    if (saved.length > 0) this.stores.push({ pc, address, size, args: saved, where });
  }

  private clearShadow(address: bigint, size: number): void {
    if (this.shadow.size === 0) return;
    // Entries are at most 16 bytes long: anything overlapping [address, address + size) starts in
    // (address − 16, address + size).
    for (let a = address - 15n; a < address + BigInt(size); a++) {
      const s = this.shadow.get(a);
      if (s !== undefined && a + BigInt(s.size) > address) this.shadow.delete(a);
    }
  }

  /** The tag bitmask of register `r` now (bit i: holds argument i by provenance). */
  tagOf(r: number): number {
    return this.tags[r] ?? 0;
  }

  /**
   * Per argument index, how many stores saved it, counting only stores whose `where` passes `filter`
   * (default: all).
   */
  countsPerArg(filter: (where: string) => boolean = () => true): number[] {
    const n = this.args.map(() => 0);
    for (const s of this.stores) if (filter(s.where)) for (const i of s.args) n[i]!++;
    return n;
  }
}
