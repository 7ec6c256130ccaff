/**
 * One arm64 CPU at EL1: X0–X30 and SP as 32-bit halves in typed arrays (no BigInt on the hot path), PC as
 * two halves, NZCV as four numbers, the EL1 system registers the kernel's code reads, PSTATE.BTYPE for
 * BTI, and a per-CPU pre-decoded instruction cache (the I-cache model: see icache.ts).
 *
 * Register file layout: index 0–30 are X0–X30, 31 is SP, 32 always reads zero (XZR as a source) and 33 is
 * a sink for writes to XZR. Handlers choose the index at compile time, so the zero register costs nothing.
 */
import { disassemble } from '../a64/index.js';
import type { InsnClass } from '../a64/types.js';
import { CLASS_LIST, CYCLES, BIMODAL_ENTRIES, BTB_ENTRIES, MISPREDICT_PENALTY, RSB_DEPTH } from './cost.js';
import { MachineFault, PermissionFault, TranslationFault } from './faults.js';
import { PERM_GP, PERM_R, PERM_W, PERM_X, permString, type Frame } from './memory.js';
import type { Machine } from './machine.js';

export const SP = 31;
export const ZR = 32;
export const SINK = 33;

export type Exec = (c: Cpu) => void;

/** A pre-decoded instruction: its handler, class and the BTYPEs it accepts as a branch target. */
export interface Slot {
  readonly exec: Exec;
  readonly word: number;
  readonly cls: number;
  readonly cycles: number;
  /** Bit k set: a landing with PSTATE.BTYPE = k (1, 2, 3) is allowed here on a guarded page. */
  readonly btiAccept: number;
}

const TWO32 = 4294967296;

export class Cpu {
  readonly lo = new Uint32Array(34);
  readonly hi = new Uint32Array(34);
  pcLo = 0;
  pcHi = 0;
  n = 0;
  z = 0;
  c = 0;
  v = 0;
  /** V0–V31 (128 bits each) as four little-endian 32-bit words per register: vreg[4n] is bits 31:0 of Vn. */
  readonly vreg = new Uint32Array(32 * 4);
  fpcr = 0;
  fpsr = 0;
  /** PSTATE.BTYPE set by the last indirect branch; checked at the next instruction. */
  btype = 0;
  /** PSTATE.DAIF (bits 9:6 as in the DAIF register). */
  daif = 0x3c0;
  /** System registers by name (SP_EL0 is `current` in the kernel, TPIDR_EL1 the per-CPU offset …). */
  readonly sysregs = new Map<string, bigint>();

  /** Executed instructions and modelled cycles. */
  insns = 0;
  cycles = 0;
  readonly classCounts = new Float64Array(CLASS_LIST.length);
  /** Mispredictions by kind, for reports. */
  mispredicts = { cond: 0, indirect: 0, ret: 0 };

  /** Decoded cache: frame id → 1024 slots. */
  readonly decoded = new Map<number, (Slot | undefined)[]>();
  /** Lines (frame id * 64 + line) whose invalidation reaches this CPU at its next context synchronisation. */
  readonly pendingInval = new Set<number>();

  /** Instruction count at which the timer interrupt is next due (Infinity without a timer). */
  timerDeadline = Number.POSITIVE_INFINITY;

  halted = false;
  fault: MachineFault | undefined;
  /** Set by a handler to leave the run loop after the current instruction (host return, WFI …). */
  stopRequested = false;
  /**
   * The CPU is idle in the kernel's sense (in the idle loop or user space) and will re-enter kernel code
   * through an exception — a context synchronisation — when next given work (`Machine.prepareCall`). Set by
   * whoever relied on its idleness, e.g. a tasks-RCU grace period that counted it as quiescent.
   */
  syncOnEntry = false;

  /** The local exclusive monitor (LDXR/STXR): armed address and size, or -1 when open. */
  exclusiveLo = -1;
  exclusiveHi = 0;
  exclusiveSize = 0;

  // Scratch results of memory accesses and address computations.
  rlo = 0;
  rhi = 0;
  eaLo = 0;
  eaHi = 0;

  // Branch prediction state.
  private readonly rsb = new Float64Array(RSB_DEPTH);
  private rsbTop = 0;
  private rsbCount = 0;
  private readonly btbLo = new Float64Array(BTB_ENTRIES).fill(-1);
  private readonly btbHi = new Float64Array(BTB_ENTRIES).fill(-1);
  private readonly bimodal = new Uint8Array(BIMODAL_ENTRIES).fill(1);

  // Micro-TLBs for loads and stores (page number → frame), invalidated by the memory generation.
  private tlbGen = -1;
  private tlbRPage = -1;
  private tlbRFrame: Frame | undefined;
  private tlbWPage = -1;
  private tlbWFrame: Frame | undefined;

  /** Addresses where `run` stops before executing (see `addBreakpoint`); `hitBreakpoint` says it did. */
  private readonly breakpoints = new Set<bigint>();
  private hasBreakpoints = false;
  hitBreakpoint = false;

  /** Executed-instruction hook for tracing; undefined costs nothing. */
  traceHook: ((c: Cpu, pc: bigint, word: number) => void) | undefined;

  constructor(
    readonly id: number,
    readonly machine: Machine,
  ) {}

  // ---------------------------------------------------------------- registers (API, not hot path)

  get pc(): bigint {
    return (BigInt(this.pcHi) << 32n) | BigInt(this.pcLo >>> 0);
  }

  set pc(v: bigint) {
    const u = BigInt.asUintN(64, v);
    this.pcHi = Number(u >> 32n);
    this.pcLo = Number(u & 0xffffffffn);
  }

  /** X register n (31 = SP). */
  x(n: number): bigint {
    return (BigInt(this.hi[n]!) << 32n) | BigInt(this.lo[n]!);
  }

  setX(n: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.hi[n] = Number(u >> 32n);
    this.lo[n] = Number(u & 0xffffffffn);
  }

  get sp(): bigint {
    return this.x(SP);
  }

  set sp(v: bigint) {
    this.setX(SP, v);
  }

  get nzcv(): number {
    return (this.n << 3) | (this.z << 2) | (this.c << 1) | this.v;
  }

  set nzcv(f: number) {
    this.n = (f >> 3) & 1;
    this.z = (f >> 2) & 1;
    this.c = (f >> 1) & 1;
    this.v = f & 1;
  }

  sysreg(name: string): bigint {
    return this.sysregs.get(name) ?? 0n;
  }

  // ---------------------------------------------------------------- execution

  /**
   * Run up to `budget` instructions. Returns the number executed. Stops early when the CPU halts, faults,
   * or a handler requests a stop. A fault is stored in `fault` and the CPU halts; it is not thrown.
   */
  run(budget: number): number {
    const m = this.machine;
    const mem = m.memory;
    let executed = 0;
    let curHi = -1;
    let curPage = -1;
    let slots: (Slot | undefined)[] = [];
    let frame: Frame | undefined;
    let guarded = false;
    let slot: Slot | undefined;
    this.stopRequested = false;
    try {
      while (executed < budget && !this.halted) {
        const pcLo = this.pcLo;
        const page = pcLo >>> 12;
        if (page !== curPage || this.pcHi !== curHi) {
          const pn = this.pcHi * 1048576 + page;
          const mp = mem.mapping(pn);
          if (!mp) throw TranslationFault(this.pc, 'instruction fetch');
          if (!(mp.perms & PERM_X)) throw PermissionFault(this.pc, 'instruction fetch', permString(mp.perms));
          frame = mp.frame;
          guarded = m.options.bti && (mp.perms & PERM_GP) !== 0;
          let s = this.decoded.get(frame.id);
          if (!s) this.decoded.set(frame.id, (s = new Array(1024)));
          slots = s;
          curPage = page;
          curHi = this.pcHi;
        }
        if (pcLo & 3) throw new MachineFault('AlignmentFault', 'PC is not 4-byte aligned');
        const idx = (pcLo & 0xfff) >>> 2;
        slot = slots[idx];
        if (slot === undefined) slot = slots[idx] = m.decodeSlot(frame!, idx);
        if (this.btype !== 0) {
          if (guarded && !(slot.btiAccept & (1 << this.btype))) {
            throw new MachineFault(
              'BtiFault',
              `branch with BTYPE ${this.btype.toString(2).padStart(2, '0')} landed on an incompatible instruction in a guarded page`,
            );
          }
          this.btype = 0;
        }
        if (this.hasBreakpoints && this.breakpoints.has(this.pc) && !this.hitBreakpoint) {
          this.hitBreakpoint = true;
          this.stopRequested = true;
          break;
        }
        this.hitBreakpoint = false;
        if (this.traceHook) this.traceHook(this, this.pc, slot.word);
        slot.exec(this);
        executed++;
        this.insns++;
        this.cycles += slot.cycles;
        this.classCounts[slot.cls]++;
        if (this.stopRequested) break;
        if (this.insns >= this.timerDeadline) m.takeTimer(this);
      }
    } catch (e) {
      if (!(e instanceof MachineFault)) throw e;
      const word = slot?.word;
      e.locate(
        this.id,
        this.pc,
        word,
        word === undefined ? undefined : disassemble(word, { address: this.pc }),
      );
      this.fault = e;
      this.halted = true;
    }
    return executed;
  }

  /** Execute exactly one instruction (a breakpoint at the PC does not stop it). */
  step(): number {
    this.hitBreakpoint = true;
    return this.run(1);
  }

  addBreakpoint(address: bigint): void {
    this.breakpoints.add(BigInt.asUintN(64, address));
    this.hasBreakpoints = true;
  }

  removeBreakpoint(address: bigint): void {
    this.breakpoints.delete(BigInt.asUintN(64, address));
    this.hasBreakpoints = this.breakpoints.size > 0;
  }

  // ---------------------------------------------------------------- helpers used by handlers

  /** PC += 4. */
  next(): void {
    const lo = this.pcLo + 4;
    if (lo >= TWO32) {
      this.pcLo = lo - TWO32;
      this.pcHi = (this.pcHi + 1) >>> 0;
    } else this.pcLo = lo;
  }

  /** PC += off (signed, |off| < 2^32). */
  branchRel(off: number): void {
    const lo = this.pcLo + off;
    if (lo >= TWO32) {
      this.pcLo = lo - TWO32;
      this.pcHi = (this.pcHi + 1) >>> 0;
    } else if (lo < 0) {
      this.pcLo = lo + TWO32;
      this.pcHi = (this.pcHi - 1) >>> 0;
    } else this.pcLo = lo;
  }

  /** Effective address reg[n] + off into eaHi/eaLo. */
  addr(n: number, off: number): void {
    const lo = this.lo[n]! + off;
    let hi = this.hi[n]!;
    if (lo >= TWO32 || lo < 0) hi = (hi + Math.floor(lo / TWO32)) >>> 0;
    this.eaLo = lo >>> 0;
    this.eaHi = hi;
  }

  private refreshTlb(): void {
    if (this.tlbGen !== this.machine.memory.generation) {
      this.tlbGen = this.machine.memory.generation;
      this.tlbRPage = -1;
      this.tlbWPage = -1;
    }
  }

  private readFrame(pn: number): Frame {
    this.refreshTlb();
    if (pn === this.tlbRPage) return this.tlbRFrame!;
    const m = this.machine.memory.access(pn, PERM_R, () => this.eaBig(), 'read');
    this.tlbRPage = pn;
    this.tlbRFrame = m.frame;
    return m.frame;
  }

  private writeFrame(pn: number): Frame {
    this.refreshTlb();
    if (pn === this.tlbWPage) return this.tlbWFrame!;
    const m = this.machine.memory.access(pn, PERM_W, () => this.eaBig(), 'write');
    this.tlbWPage = pn;
    this.tlbWFrame = m.frame;
    return m.frame;
  }

  eaBig(): bigint {
    return (BigInt(this.eaHi) << 32n) | BigInt(this.eaLo >>> 0);
  }

  /** Load `size` bytes (1, 2, 4, 8) at eaHi:eaLo into rhi:rlo, zero-extended. */
  load(size: number): void {
    const lo = this.eaLo;
    const off = lo & 0xfff;
    if (off + size > 4096) {
      this.loadSlow(size);
      return;
    }
    const f = this.readFrame(this.eaHi * 1048576 + (lo >>> 12));
    const v = f.view;
    switch (size) {
      case 1:
        this.rlo = f.bytes[off]!;
        this.rhi = 0;
        return;
      case 2:
        this.rlo = v.getUint16(off, true);
        this.rhi = 0;
        return;
      case 4:
        this.rlo = v.getUint32(off, true);
        this.rhi = 0;
        return;
      default:
        this.rlo = v.getUint32(off, true);
        this.rhi = v.getUint32(off + 4, true);
    }
  }

  private loadSlow(size: number): void {
    const b = this.machine.memory.readBytes(this.eaBig(), size);
    const dv = new DataView(b.buffer);
    this.rlo = size >= 4 ? dv.getUint32(0, true) : size === 2 ? dv.getUint16(0, true) : b[0]!;
    this.rhi = size === 8 ? dv.getUint32(4, true) : 0;
  }

  /** Store the low `size` bytes of vhi:vlo at eaHi:eaLo. */
  store(size: number, vlo: number, vhi: number): void {
    const lo = this.eaLo;
    const off = lo & 0xfff;
    if (off + size > 4096) {
      this.storeSlow(size, vlo, vhi);
      return;
    }
    const f = this.writeFrame(this.eaHi * 1048576 + (lo >>> 12));
    if (f.execMappings > 0) {
      this.storeSlow(size, vlo, vhi);
      return;
    }
    const v = f.view;
    switch (size) {
      case 1:
        f.bytes[off] = vlo;
        return;
      case 2:
        v.setUint16(off, vlo & 0xffff, true);
        return;
      case 4:
        v.setUint32(off, vlo >>> 0, true);
        return;
      default:
        v.setUint32(off, vlo >>> 0, true);
        v.setUint32(off + 4, vhi >>> 0, true);
    }
  }

  private storeSlow(size: number, vlo: number, vhi: number): void {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    if (size === 1) b[0] = vlo;
    else if (size === 2) dv.setUint16(0, vlo & 0xffff, true);
    else dv.setUint32(0, vlo >>> 0, true);
    if (size === 8) dv.setUint32(4, vhi >>> 0, true);
    this.machine.memory.writeBytes(this.eaBig(), b, PERM_W, this.id);
  }

  // ---------------------------------------------------------------- branch prediction

  /** A conditional branch at the current PC resolved `taken`; charge a misprediction if the bimodal counter disagreed. */
  predictCond(taken: boolean): void {
    const i = (this.pcLo >>> 2) & (BIMODAL_ENTRIES - 1);
    const ctr = this.bimodal[i]!;
    if (ctr >= 2 !== taken) {
      this.cycles += MISPREDICT_PENALTY;
      this.mispredicts.cond++;
    }
    this.bimodal[i] = taken ? Math.min(3, ctr + 1) : Math.max(0, ctr - 1);
  }

  /** An indirect branch at the current PC goes to targetHi:targetLo; BTB lookup and update. */
  predictIndirect(targetLo: number, targetHi: number): void {
    const i = (this.pcLo >>> 2) & (BTB_ENTRIES - 1);
    if (this.btbLo[i] !== targetLo || this.btbHi[i] !== targetHi) {
      this.cycles += MISPREDICT_PENALTY;
      this.mispredicts.indirect++;
      this.btbLo[i] = targetLo;
      this.btbHi[i] = targetHi;
    }
  }

  /** A call pushes its return address on the return-stack buffer. */
  pushReturn(retLo: number): void {
    this.rsb[this.rsbTop] = retLo;
    this.rsbTop = (this.rsbTop + 1) % RSB_DEPTH;
    if (this.rsbCount < RSB_DEPTH) this.rsbCount++;
  }

  /** A return pops the RSB; a different target (or an empty RSB) is a misprediction. */
  popReturn(targetLo: number): void {
    if (this.rsbCount === 0) {
      this.cycles += MISPREDICT_PENALTY;
      this.mispredicts.ret++;
      return;
    }
    this.rsbTop = (this.rsbTop + RSB_DEPTH - 1) % RSB_DEPTH;
    this.rsbCount--;
    if (this.rsb[this.rsbTop] !== targetLo) {
      this.cycles += MISPREDICT_PENALTY;
      this.mispredicts.ret++;
    }
  }

  // ---------------------------------------------------------------- reports

  /** Per-class instruction counts by name. */
  countsByClass(): Record<InsnClass, number> {
    const out = {} as Record<InsnClass, number>;
    CLASS_LIST.forEach((c, i) => (out[c] = this.classCounts[i]!));
    return out;
  }

  resetStats(): void {
    this.insns = 0;
    this.cycles = 0;
    this.classCounts.fill(0);
    this.mispredicts = { cond: 0, indirect: 0, ret: 0 };
  }
}

export { CYCLES };
