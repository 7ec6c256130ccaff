/**
 * The machine: memory, N CPUs, the I-cache model, host calls, a per-CPU timer and a seeded deterministic
 * scheduler. `call` runs one AAPCS64 function call on one CPU; `runAll` interleaves every CPU.
 */
import { decode, disassemble } from '../a64/index.js';
import { Rng } from '../util/rng.js';
import { CLASS_INDEX, CYCLES } from './cost.js';
import { Cpu, type Slot } from './cpu.js';
import { HANDLERS } from './exec/index.js';
import { MachineFault } from './faults.js';
import { HVC_RETURN_TO_HOST, type HostCall } from './hostcall.js';
import { ICacheModel } from './icache.js';
import { Memory, PERM_R, PERM_W, PERM_X, type Frame } from './memory.js';

export interface MachineOptions {
  readonly cpus?: number;
  /** Enforce BTI on guarded pages (default true). */
  readonly bti?: boolean;
  /** SCTLR_EL1.BT1: when set, PACIASP/PACIBSP are not landing pads for `br` via registers other than x16/x17. */
  readonly btiPacStrict?: boolean;
  /** Model pointer authentication (default true); when off, PAC instructions are NOPs. */
  readonly pac?: boolean;
  /** CTR_EL0.DIC/IDC: instruction fetch coherent with stores (default false: the strict rule). */
  readonly coherentIcache?: boolean;
  /** Record CMODX violations (default true). */
  readonly cmodx?: boolean;
  /** Per-CPU timer interrupt every `period` instructions (± jitter), seeded; off when undefined. */
  readonly timer?: { readonly period: number; readonly jitter?: number; readonly seed?: number };
  /** Seed for PAC keys. */
  readonly seed?: number;
}

export interface ResolvedOptions {
  readonly cpus: number;
  readonly bti: boolean;
  readonly btiPacStrict: boolean;
  readonly pac: boolean;
  readonly coherentIcache: boolean;
  readonly cmodx: boolean;
  readonly timer: { readonly period: number; readonly jitter: number; readonly seed: number } | undefined;
  readonly seed: number;
}

/** Where `Machine.call` returns to: a page holding `hvc #0xffff`. */
export const RETURN_TRAMPOLINE = 0xffff_ffff_fffe_0000n;
/** Default per-CPU stacks for `call` (16 pages each) when the caller did not set SP. */
export const DEFAULT_STACKS = 0xffff_ffff_f000_0000n;
const STACK_SIZE = 64 * 1024;

export class Machine {
  readonly memory = new Memory();
  readonly cpus: Cpu[] = [];
  readonly options: ResolvedOptions;
  readonly icache: ICacheModel;
  readonly hostCalls = new Map<number, HostCall>();
  /** Handles `SVC` in place of an EL0→EL1 exception (user programs run by src/kernel/user.ts). */
  svcHandler: ((cpu: Cpu, imm: number) => void) | undefined;
  /** Called on a timer interrupt when VBAR_EL1 is 0 (no A64 vector installed). */
  onTimer: ((cpu: Cpu) => void) | undefined;
  private readonly timerRng: Rng;
  /** PAC keys per CPU (the model's APIAKey/APIBKey). */
  readonly pacKeys: { a: number; b: number }[] = [];

  constructor(opts: MachineOptions = {}) {
    this.options = {
      cpus: opts.cpus ?? 1,
      bti: opts.bti ?? true,
      btiPacStrict: opts.btiPacStrict ?? true,
      pac: opts.pac ?? true,
      coherentIcache: opts.coherentIcache ?? false,
      cmodx: opts.cmodx ?? true,
      timer: opts.timer && {
        period: opts.timer.period,
        jitter: opts.timer.jitter ?? 0,
        seed: opts.timer.seed ?? 1,
      },
      seed: opts.seed ?? 1,
    };
    if (!Number.isInteger(this.options.cpus) || this.options.cpus < 1 || this.options.cpus > 64) {
      throw new MachineFault('Unimplemented', `cpus must be 1-64, got ${this.options.cpus}`);
    }
    this.icache = new ICacheModel(this.memory, () => this.cpus, {
      coherent: this.options.coherentIcache,
      cmodx: this.options.cmodx,
    });
    this.memory.codeWriteHook = (frame, off, old, addr, cpu) =>
      this.icache.onCodeWrite(frame, off, old, addr, cpu);
    this.memory.loaderWriteHook = (frame, off, size) => this.icache.onLoaderWrite(frame, off, size);
    const keys = new Rng(this.options.seed ^ 0x5eed);
    this.timerRng = new Rng(this.options.timer?.seed ?? 1);
    for (let i = 0; i < this.options.cpus; i++) {
      const c = new Cpu(i, this);
      c.sysregs.set('MPIDR_EL1', BigInt(0x80000000 | i));
      c.sysregs.set('MIDR_EL1', 0x410fd0c0n); // an Arm Cortex-A76-like MIDR
      this.cpus.push(c);
      this.pacKeys.push({ a: keys.u32(), b: keys.u32() });
      c.timerDeadline = this.nextTimerDelta();
    }
    this.memory.map(RETURN_TRAMPOLINE, 4096, PERM_R | PERM_X);
    this.memory.write32(RETURN_TRAMPOLINE, 0xd4000002 | (HVC_RETURN_TO_HOST << 5), 0);
  }

  registerHostCall(imm: number, call: HostCall): void {
    if (!Number.isInteger(imm) || imm < 0 || imm >= HVC_RETURN_TO_HOST) {
      throw new MachineFault('HostCallError', `host call number must be 0-0xfffe, got ${imm}`);
    }
    if (this.hostCalls.has(imm))
      throw new MachineFault(
        'HostCallError',
        `host call ${imm} is already registered (${this.hostCalls.get(imm)!.name})`,
      );
    this.hostCalls.set(imm, call);
  }

  /** Decode the word at `idx` of `frame` as a fetch sees it, and compile its handler. */
  decodeSlot(frame: Frame, idx: number): Slot {
    const word = this.icache.fetchWord(frame, idx);
    const d = decode(word);
    if (!d) {
      return {
        word,
        exec: () => {
          throw new MachineFault(
            'UndefinedInstruction',
            `undefined instruction 0x${word.toString(16).padStart(8, '0')}`,
          );
        },
        cls: CLASS_INDEX.exception,
        cycles: 0,
        btiAccept: 0,
      };
    }
    const compile = HANDLERS[d.entry.name];
    const exec = compile
      ? compile(d.f, word)
      : () => {
          throw new MachineFault(
            'Unimplemented',
            `the machine does not execute ${d.entry.name} (${disassemble(word)}) yet`,
          );
        };
    return {
      word,
      exec,
      cls: CLASS_INDEX[d.entry.cls],
      cycles: CYCLES[d.entry.cls],
      btiAccept: this.btiAccept(word),
    };
  }

  /**
   * Which PSTATE.BTYPE values (bit 1: 01, bit 2: 10, bit 3: 11) may land on this word in a guarded page.
   * BTI c: 01, 10; BTI j: 01, 11; BTI jc: all; PACIASP/PACIBSP: 01, 10 (and 11 unless SCTLR_EL1.BT1);
   * BRK and HLT take their own exception first. Everything else: none.
   */
  private btiAccept(word: number): number {
    if ((word & 0xfffff01f) >>> 0 === 0xd503201f) {
      const crmop2 = (word >>> 5) & 0x7f;
      if ((crmop2 & 0x79) === 0x20) return [0, 0b0110, 0b1010, 0b1110][(crmop2 >>> 1) & 3]!;
      if (crmop2 === 25 || crmop2 === 27) return this.options.btiPacStrict ? 0b0110 : 0b1110;
    }
    if ((word & 0xffe0001f) >>> 0 === 0xd4200000 || (word & 0xffe0001f) >>> 0 === 0xd4400000) return 0b1110;
    return 0;
  }

  // ---------------------------------------------------------------- timer and exceptions

  private nextTimerDelta(): number {
    const t = this.options.timer;
    if (!t) return Number.POSITIVE_INFINITY;
    return t.period + (t.jitter > 0 ? this.timerRng.int(-t.jitter, t.jitter) : 0);
  }

  timerDue(cpu: Cpu): boolean {
    return cpu.insns >= cpu.timerDeadline;
  }

  /** Take the timer interrupt if IRQs are unmasked (DAIF.I clear); it stays pending otherwise. */
  takeTimer(cpu: Cpu): void {
    if (cpu.daif & 0x80) return;
    cpu.timerDeadline = cpu.insns + this.nextTimerDelta();
    this.exceptionEntry(cpu, 0x280);
    if (cpu.sysreg('VBAR_EL1') === 0n) {
      // No A64 vector: the host handles the tick and returns at once (still two context synchronisations).
      this.onTimer?.(cpu);
      this.exceptionReturn(cpu);
    }
  }

  /** Exception entry to EL1 (current EL, SP_ELx): a context-synchronisation event. */
  exceptionEntry(cpu: Cpu, vectorOffset: number): void {
    cpu.sysregs.set('ELR_EL1', cpu.pc);
    cpu.sysregs.set('SPSR_EL1', BigInt((cpu.nzcv << 28) | cpu.daif | 0b0101));
    cpu.daif = 0x3c0;
    cpu.btype = 0;
    this.icache.contextSync(cpu);
    const vbar = cpu.sysreg('VBAR_EL1');
    if (vbar !== 0n) cpu.pc = vbar + BigInt(vectorOffset);
  }

  /** ERET: restore PC and PSTATE; a context-synchronisation event. */
  exceptionReturn(cpu: Cpu): void {
    const spsr = Number(cpu.sysreg('SPSR_EL1') & 0xffffffffn);
    cpu.nzcv = (spsr >>> 28) & 0xf;
    cpu.daif = spsr & 0x3c0;
    cpu.pc = cpu.sysreg('ELR_EL1');
    this.icache.contextSync(cpu);
  }

  // ---------------------------------------------------------------- running

  /**
   * Call the function at `addr` on CPU `cpuId` with AAPCS64 integer arguments; returns X0. Throws the
   * CPU's fault if it faulted, or a MachineFault if the call did not return within `maxInstructions`.
   */
  call(
    addr: bigint,
    args: readonly bigint[] = [],
    opts: { cpu?: number; maxInstructions?: number } = {},
  ): bigint {
    const cpu = this.cpus[opts.cpu ?? 0];
    if (!cpu) throw new MachineFault('Unimplemented', `no CPU ${opts.cpu}`);
    if (args.length > 8)
      throw new MachineFault('Unimplemented', `call: at most 8 register arguments, got ${args.length}`);
    this.prepareCall(cpu, addr, args);
    const max = opts.maxInstructions ?? 50_000_000;
    let left = max;
    while (!cpu.halted && left > 0) {
      left -= cpu.run(Math.min(left, 1_000_000));
      if (cpu.stopRequested) break;
    }
    if (cpu.fault) {
      const f = cpu.fault;
      cpu.fault = undefined;
      cpu.halted = false;
      throw f;
    }
    if (!cpu.stopRequested) {
      throw new MachineFault(
        'Unimplemented',
        `call of 0x${addr.toString(16)} did not return within ${max} instructions (pc 0x${cpu.pc.toString(16)})`,
      );
    }
    return cpu.x(0);
  }

  /** Set up CPU `cpu` to call `addr`: arguments, LR = the return trampoline, a stack if SP is unset. */
  prepareCall(cpu: Cpu, addr: bigint, args: readonly bigint[]): void {
    args.forEach((a, i) => cpu.setX(i, a));
    cpu.setX(30, RETURN_TRAMPOLINE);
    cpu.setX(29, 0n);
    if (cpu.sp === 0n) cpu.sp = this.defaultStack(cpu.id);
    cpu.pc = addr;
    cpu.halted = false;
    cpu.fault = undefined;
    if (cpu.syncOnEntry) {
      cpu.syncOnEntry = false;
      this.icache.contextSync(cpu);
    }
  }

  /** The top of CPU n's default stack (mapped on first use). */
  defaultStack(n: number): bigint {
    const base = DEFAULT_STACKS + BigInt(n) * BigInt(STACK_SIZE * 2);
    if (!this.memory.isMapped(base)) this.memory.map(base, STACK_SIZE, PERM_R | PERM_W);
    return base + BigInt(STACK_SIZE);
  }

  /**
   * Interleave all running CPUs with a seeded scheduler until each has stopped (returned, halted or
   * faulted) or `maxInstructions` in total ran. `quantum` instructions per turn; `mode` round robin or
   * random (seeded: the same seed gives the same interleaving).
   */
  runAll(
    opts: { quantum?: number; mode?: 'round-robin' | 'random'; seed?: number; maxInstructions?: number } = {},
  ): void {
    const quantum = opts.quantum ?? 50;
    const rng = new Rng(opts.seed ?? 1);
    let left = opts.maxInstructions ?? 100_000_000;
    const active = new Set(this.cpus.filter((c) => !c.halted).map((c) => c.id));
    let rr = 0;
    while (active.size > 0 && left > 0) {
      const ids = [...active];
      const id = opts.mode === 'random' ? rng.pick(ids) : ids[rr++ % ids.length]!;
      const cpu = this.cpus[id]!;
      const q = opts.mode === 'random' ? 1 + rng.below(quantum) : quantum;
      left -= cpu.run(Math.min(q, left));
      if (cpu.halted || cpu.stopRequested) active.delete(id);
    }
  }
}
