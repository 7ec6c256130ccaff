/**
 * The eBPF interpreter. A program is validated and compiled once: every slot becomes a small closure chosen
 * by its opcode-table entry (`kind` and `op`) and bound to its fields, so the run loop is `pc = step[pc](pc)`.
 * Registers are u64 bigints in a BigUint64Array (stores wrap modulo 2^64 by themselves).
 *
 * Frames (bpf-to-bpf calls): each frame owns a 512-byte stack region; a local call saves r6–r9 and r10 and
 * the return pc, gives the callee a fresh stack, and `exit` restores them. At most MAX_CALL_FRAMES frames.
 *
 *   frame k stack:   ADDRESS_MAP.stack + k * frameStride  ...  + MAX_BPF_STACK  (= r10 of frame k)
 *   input buffer:    ADDRESS_MAP.input  ...  + length        (r1 = address, r2 = length, as bpf_conformance)
 *
 * Regions are separated by unmapped gaps, so running off a stack or the buffer is always a BpfRuntimeError.
 */
import { decodeProgram, encodeProgram, lookupEntry, isWide, type BpfInsn } from '../isa/insn.js';
import type { ConformanceGroup, OpcodeEntry } from '../isa/table.js';
import { formatInsn } from '../asm/disassemble.js';
import type { HelperArgs, HelperSet, HelperVm } from '../helpers/types.js';
import { BpfRuntimeError } from './errors.js';
import { BpfMemory, type MemRegion } from './memory.js';
import {
  ALU32_OPS,
  ALU64_OPS,
  ATOMIC_OPS,
  JMP32_CONDS,
  JMP64_CONDS,
  byteswapOp,
  movsx,
} from './semantics.js';

export const MAX_BPF_STACK = 512;
export const MAX_CALL_FRAMES = 8;
export const DEFAULT_INSN_LIMIT = 1_000_000;
export const ADDRESS_MAP = {
  input: 0x1_0000_0000n,
  stack: 0x7fff_0000_0000n,
  frameStride: 0x1_0000n,
} as const;
/** The groups the interpreter runs: all of RFC 9669's. `callx` (Linux-only) is not implemented. */
export const INTERPRETER_GROUPS: readonly ConformanceGroup[] = [
  'base32',
  'base64',
  'atomic32',
  'atomic64',
  'divmul32',
  'divmul64',
  'packet',
];

export interface VmOptions {
  helpers: HelperSet;
  /** Maximum number of instructions one run may execute (default 1,000,000). */
  insnLimit?: number;
  /** Groups a program may use; default INTERPRETER_GROUPS. Others are rejected when the VM is built. */
  groups?: readonly ConformanceGroup[];
  /** Resolves pseudo wide loads (map fd, map value, variable, code address …) to a value; none by default. */
  resolveLdImm64?: (entry: OpcodeEntry, imm: number, nextImm: number, pc: number) => bigint;
}

export interface RunInput {
  /** The input buffer (the `-- mem` section): r1 = its address, r2 = its length. Also the legacy packet. */
  mem?: Uint8Array;
  /** Initial r1..r5, overriding the buffer's address and length. */
  args?: readonly bigint[];
  /** Further memory (ctx, maps). */
  regions?: readonly MemRegion[];
}

export interface RunResult {
  r0: bigint;
  /** Instructions executed. */
  insns: number;
}

type Step = (pc: number) => number;
/** Not a reachable pc: jump targets are pc + 1 + s32, always > -2^32. */
const EXIT = -(2 ** 40);

interface Frame {
  returnPc: number;
  saved: bigint[]; // r6..r10 of the caller
}

export class BpfInterpreter {
  readonly program: readonly BpfInsn[];
  readonly helperSetName: string;
  private readonly steps: (Step | undefined)[];
  private readonly regs = new BigUint64Array(11);
  private memory = new BpfMemory();
  private frames: Frame[] = [];
  private unwinding = false;
  private packet: Uint8Array = new Uint8Array(0);
  private readonly insnLimit: number;

  constructor(
    program: readonly BpfInsn[] | Uint8Array,
    private readonly options: VmOptions,
  ) {
    this.program = decodeProgram(program instanceof Uint8Array ? program : encodeProgram(program));
    this.helperSetName = options.helpers.name;
    this.insnLimit = options.insnLimit ?? DEFAULT_INSN_LIMIT;
    const groups = options.groups ?? INTERPRETER_GROUPS;
    this.steps = [];
    for (let pc = 0; pc < this.program.length; pc++) {
      const insn = this.program[pc]!;
      const entry = lookupEntry(insn, pc);
      if (!groups.includes(entry.group) || !INTERPRETER_GROUPS.includes(entry.group)) {
        throw new BpfRuntimeError(
          'BPF_UNSUPPORTED',
          pc,
          `${entry.name} (${entry.mnemonic}) is in group ${entry.group}, which this interpreter does not run (runs: ${groups.filter((g) => INTERPRETER_GROUPS.includes(g)).join(', ')})`,
        );
      }
      this.steps.push(this.compile(insn, entry, pc));
      if (isWide(insn)) {
        this.steps.push(undefined); // the second slot of a wide load is not an instruction
        pc++;
      }
    }
  }

  /** Run the program from pc 0 on a fresh stack; returns r0. Throws BpfRuntimeError. */
  run(input: RunInput = {}): RunResult {
    this.memory = new BpfMemory();
    this.frames = [];
    this.unwinding = false;
    this.regs.fill(0n);
    const mem = input.mem ?? new Uint8Array(0);
    this.packet = mem;
    this.memory.add({ name: 'mem', base: ADDRESS_MAP.input, bytes: mem, writable: true });
    for (const r of input.regions ?? []) this.memory.add(r);
    this.regs[1] = ADDRESS_MAP.input;
    this.regs[2] = BigInt(mem.length);
    (input.args ?? []).slice(0, 5).forEach((v, i) => (this.regs[i + 1] = v));
    this.pushFrame(0);

    const steps = this.steps;
    const limit = this.insnLimit;
    let pc = 0;
    let last = 0;
    let count = 0;
    while (pc !== EXIT) {
      const step = steps[pc];
      if (step === undefined) this.badTarget(last, pc);
      if (++count > limit) this.fail('BPF_INSN_LIMIT', pc, `instruction limit of ${limit} reached`);
      last = pc;
      pc = step(pc);
    }
    return { r0: this.regs[0]!, insns: count };
  }

  /** The memory of the current (or last) run, for helpers and tests. */
  get mem(): BpfMemory {
    return this.memory;
  }

  private fail(
    code: ConstructorParameters<typeof BpfRuntimeError>[0],
    pc: number,
    message: string,
    address?: bigint,
  ): never {
    const insn = this.program[pc];
    const secondSlot = pc > 0 && this.program[pc - 1] !== undefined && isWide(this.program[pc - 1]!);
    const text =
      insn !== undefined && !secondSlot
        ? ` (${formatInsn(insn, lookupEntry(insn, pc), this.program[pc + 1])})`
        : '';
    throw new BpfRuntimeError(code, pc, `${message}${text}`, address);
  }

  /** The instruction at `from` sent the pc to `to`, which is not an instruction. */
  private badTarget(from: number, to: number): never {
    const n = this.steps.length;
    if (to === n && from === n - 1) this.fail('BPF_PC', from, 'ran past the last instruction without exit');
    if (to > 0 && to < n)
      this.fail('BPF_PC', from, `jump to insn ${to}, the second slot of the lddw at insn ${to - 1}`);
    return this.fail('BPF_PC', from, `jump to insn ${to}, outside the program (insns 0..${n - 1})`);
  }

  private pushFrame(returnPc: number): void {
    const k = this.frames.length;
    if (k >= MAX_CALL_FRAMES)
      this.fail('BPF_CALL_DEPTH', returnPc - 1, `call depth exceeds ${MAX_CALL_FRAMES} frames`);
    const base = ADDRESS_MAP.stack + BigInt(k) * ADDRESS_MAP.frameStride;
    this.memory.add({ name: `stack${k}`, base, bytes: new Uint8Array(MAX_BPF_STACK), writable: true });
    this.frames.push({ returnPc, saved: [6, 7, 8, 9, 10].map((r) => this.regs[r]!) });
    this.regs[10] = base + BigInt(MAX_BPF_STACK);
  }

  private popFrame(): number {
    const f = this.frames.pop()!;
    this.memory.remove(`stack${this.frames.length}`);
    if (this.frames.length === 0) return EXIT;
    f.saved.forEach((v, i) => (this.regs[6 + i] = v));
    return f.returnPc;
  }

  /** Wrap memory faults so they name the instruction. */
  private load(addr: bigint, size: number, pc: number): bigint {
    try {
      return this.memory.load(addr, size, pc);
    } catch (e) {
      return this.rethrow(e, pc);
    }
  }

  private store(addr: bigint, size: number, value: bigint, pc: number): void {
    try {
      this.memory.store(addr, size, value, pc);
    } catch (e) {
      this.rethrow(e, pc);
    }
  }

  private rethrow(e: unknown, pc: number): never {
    if (e instanceof BpfRuntimeError) this.fail('BPF_MEM', pc, e.message.replace(/^pc \d+: /, ''), e.address);
    throw e;
  }

  private compile(insn: BpfInsn, e: OpcodeEntry, pc0: number): Step {
    const r = this.regs;
    const { dst, src, off, imm } = insn;
    const offB = BigInt(off);
    const immU64 = BigInt.asUintN(64, BigInt(imm)); // imm sign-extended to 64 bits
    switch (e.kind) {
      case 'alu': {
        const w = e.width as 32 | 64;
        if (e.op === 'MOVSX') {
          const from = e.match.off!;
          return (pc) => ((r[dst] = movsx(r[src]!, from, w)), pc + 1);
        }
        const fn = (w === 64 ? ALU64_OPS : ALU32_OPS)[e.op]!;
        if (e.source === 'X') return (pc) => ((r[dst] = fn(r[dst]!, r[src]!)), pc + 1);
        const k = w === 64 ? immU64 : BigInt(imm >>> 0);
        return (pc) => ((r[dst] = fn(r[dst]!, k)), pc + 1);
      }
      case 'end': {
        const width = e.width as 16 | 32 | 64;
        return (pc) => ((r[dst] = byteswapOp(e.op, r[dst]!, width)), pc + 1);
      }
      case 'jmp': {
        const cond = (e.width === 64 ? JMP64_CONDS : JMP32_CONDS)[e.op]!;
        const target = pc0 + 1 + off;
        if (e.source === 'X') return (pc) => (cond(r[dst]!, r[src]!) ? target : pc + 1);
        return (pc) => (cond(r[dst]!, immU64) ? target : pc + 1);
      }
      case 'ja': {
        const target = pc0 + 1 + (e.width === 32 ? imm : off);
        return () => target;
      }
      case 'exit':
        return () => this.popFrame();
      case 'call':
        return this.compileCall(e, imm, pc0);
      case 'lddw': {
        const next = this.program[pc0 + 1]!;
        if (e.match.src === 0) {
          const v = insn.imm64!;
          return (pc) => ((r[dst] = v), pc + 2);
        }
        const resolve = this.options.resolveLdImm64;
        return (pc) => {
          if (resolve === undefined)
            this.fail(
              'BPF_UNSUPPORTED',
              pc,
              `${e.mnemonic} needs a resolver for pseudo source ${e.match.src}; none was given`,
            );
          r[dst] = resolve(e, imm, next.imm, pc);
          return pc + 2;
        };
      }
      case 'ldx': {
        const size = e.size!;
        if (e.op === 'MEMSX') {
          const bits = size * 8;
          return (pc) => ((r[dst] = BigInt.asIntN(bits, this.load(r[src]! + offB, size, pc))), pc + 1);
        }
        return (pc) => ((r[dst] = this.load(r[src]! + offB, size, pc)), pc + 1);
      }
      case 'st': {
        const size = e.size!;
        return (pc) => (this.store(r[dst]! + offB, size, immU64, pc), pc + 1);
      }
      case 'stx': {
        const size = e.size!;
        return (pc) => (this.store(r[dst]! + offB, size, r[src]!, pc), pc + 1);
      }
      case 'atomic':
        return this.compileAtomic(e, dst, src, offB);
      case 'packet':
        return this.compilePacket(e, src, imm);
    }
  }

  private compileCall(e: OpcodeEntry, imm: number, pc0: number): Step {
    const r = this.regs;
    if (e.shape === 'call_local') {
      const target = pc0 + 1 + imm;
      return (pc) => {
        this.pushFrame(pc + 1);
        return target;
      };
    }
    if (e.shape === 'call_kfunc') {
      return (pc) =>
        this.fail(
          'BPF_UNSUPPORTED',
          pc,
          `kfunc call (BTF id ${imm}) needs kernel functions; helpers: ${this.helperSetName} has none`,
        );
    }
    return (pc) => {
      const fn = this.options.helpers.table.get(imm);
      if (fn === undefined)
        this.fail('BPF_HELPER', pc, `unknown helper ${imm} (helpers: ${this.helperSetName})`);
      const args: HelperArgs = [r[1]!, r[2]!, r[3]!, r[4]!, r[5]!];
      const vm: HelperVm = { memory: this.memory, pc, unwind: () => (this.unwinding = true) };
      let ret: bigint;
      try {
        ret = fn(args, vm);
      } catch (err) {
        if (err instanceof BpfRuntimeError) throw err;
        return this.fail(
          'BPF_HELPER',
          pc,
          `helper ${imm} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      r[0] = ret;
      if (this.unwinding) {
        this.frames.length = 0;
        return EXIT;
      }
      return pc + 1;
    };
  }

  private compileAtomic(e: OpcodeEntry, dst: number, src: number, offB: bigint): Step {
    const r = this.regs;
    const size = e.size!;
    const mask = size === 8 ? (1n << 64n) - 1n : 0xffff_ffffn;
    if (e.op === 'CMPXCHG') {
      return (pc) => {
        const addr = r[dst]! + offB;
        const old = this.load(addr, size, pc);
        if (old === (r[0]! & mask)) this.store(addr, size, r[src]!, pc);
        r[0] = old;
        return pc + 1;
      };
    }
    const fn = ATOMIC_OPS[e.op]!;
    const fetch = e.fetch === true;
    return (pc) => {
      const addr = r[dst]! + offB;
      const old = this.load(addr, size, pc);
      this.store(addr, size, fn(old, r[src]! & mask) & mask, pc);
      if (fetch) r[src] = old;
      return pc + 1;
    };
  }

  /** Legacy packet loads read the input buffer in network byte order; out of bounds ends the program with 0. */
  private compilePacket(e: OpcodeEntry, src: number, imm: number): Step {
    const r = this.regs;
    const size = e.size!;
    const indirect = e.op === 'IND';
    return (pc) => {
      const at = ((indirect ? Number(r[src]! & 0xffff_ffffn) : 0) + imm) >>> 0;
      if (at + size > this.packet.length) {
        r[0] = 0n;
        this.frames.length = 0;
        return EXIT;
      }
      let v = 0n;
      for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(this.packet[at + i]!);
      r[0] = v;
      return pc + 1;
    };
  }
}
