/**
 * The verifier: after the control-flow pass, every path of the program is explored instruction by
 * instruction on abstract states (state.ts), as the kernel's do_check does:
 *
 * - a conditional jump whose outcome is not decided forks the path (the other branch waits on a stack);
 *   constants and ranges decide it when they can, which is what lets bounded loops end;
 * - at prune points (jump and call targets) the state is remembered; a later path reaching the same point
 *   with a state *covered* by a fully explored one stops there (pruning), and a path that comes back to a
 *   point with *exactly* the state it had there before loops forever ("infinite loop detected");
 * - every instruction processed counts against a budget (the kernel's 1M-instruction complexity limit).
 *
 * The first error ends verification; the result carries the log (instructions processed on the way, then
 * the reason line), the failing instruction and a defect class (defects.ts).
 */
import { ALU_SIGN, printKernelInsn } from '../asm/print-kernel.js';
import { lookupEntry, type BpfInsn } from '../isa/insn.js';
import type { OpcodeEntry } from '../isa/table.js';
import { BPF_MAP_TYPE, mapTypeName, type MapDef } from '../maps/types.js';
import { checkCfg, type CfgInfo } from './cfg.js';
import type { DefectClass } from './defects.js';
import { HELPER_PROTOS, type ArgType } from './protos.js';
import {
  alu32,
  alu64,
  constant,
  endScalar,
  isConst,
  loaded,
  movsxScalar,
  refine,
  unknown,
  S64_MAX,
  type Scalar,
} from './scalar.js';
import {
  NOT_INIT,
  SB_INVALID,
  SB_MISC,
  SB_SPILL,
  STACK_SIZE,
  cloneState,
  formatRegs,
  isPointer,
  regName,
  stateKey,
  subsumes,
  type Frame,
  type Reg,
  type VState,
} from './state.js';

/** Operator text in the pointer-arithmetic messages (the kernel log's ALU text, plus `neg`). */
const OP_TEXT: Readonly<Record<string, string>> = { ...ALU_SIGN, NEG: 'neg' };

export const BPF_COMPLEXITY_LIMIT_INSNS = 1_000_000;
export const MAX_CALL_FRAMES = 8;
/** Largest offset a pointer may carry (the kernel's BPF_MAX_VAR_OFF). */
export const BPF_MAX_VAR_OFF = 1 << 29;
/** Most arguments a traced function may have for ctx access (the kernel's MAX_BPF_FUNC_ARGS). */
export const MAX_BPF_FUNC_ARGS = 12;

export type TracingAttach = 'fentry' | 'fexit' | 'fmod_ret';

export interface VerifierMap {
  def: MapDef;
  /** .rodata-style map the program may not write. */
  readonly?: boolean;
}

export interface VerifyOptions {
  attachType: TracingAttach;
  /** The traced function's name and argument count (from its BTF function model). */
  target: { name: string; nargs: number } | undefined;
  sleepable?: boolean;
  /** Maps by fd (the ld_imm64 imm). */
  maps?: readonly VerifierMap[];
  /** Functions marked ALLOW_ERROR_INJECTION: fmod_ret and sleepable programs may attach only to these. */
  errorInjectable?: readonly string[];
  /** Instruction budget (default 1,000,000). */
  insnLimit?: number;
  /** Source lines for the log (from .BTF.ext line info). */
  lines?: readonly { insn: number; line: string; file: string; lineNum: number }[];
  /** Keep at most this many log lines before the reason (default 2000; the head is cut). */
  logLines?: number;
}

export interface VerifyError {
  /** Failing instruction (slot index); -1 for a program-level rule. */
  insn: number;
  defect: DefectClass;
  /** The reason line, kernel style. */
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  log: string;
  error?: VerifyError;
  /** Instructions processed over all paths. */
  processed: number;
  totalStates: number;
  peakStates: number;
}

class Reject extends Error {
  constructor(
    readonly insn: number,
    readonly defect: DefectClass,
    readonly reason: string,
  ) {
    super(reason);
  }
}

interface Checkpoint {
  state: VState;
  key: string;
  parent: Checkpoint | undefined;
  pending: number;
  complete: boolean;
}

interface Path {
  pc: number;
  state: VState;
  cp: Checkpoint | undefined;
  from?: number;
}

const MAX_STATES_PER_INSN = 64;

export function verify(insns: readonly BpfInsn[], options: VerifyOptions): VerifyResult {
  return new Verifier(insns, options).run();
}

class Verifier {
  private readonly log: string[] = [];
  private processed = 0;
  private totalStates = 0;
  private peakStates = 0;
  private nextId = 1;
  private readonly limit: number;
  private readonly maps: readonly VerifierMap[];
  private readonly explored = new Map<number, Checkpoint[]>();
  private readonly lineAt = new Map<number, string>();
  /** The reference acquired together with a nullable pointer id (ringbuf_reserve). */
  private readonly refOfId = new Map<number, number[]>();
  private cfg!: CfgInfo;

  constructor(
    private readonly insns: readonly BpfInsn[],
    private readonly opts: VerifyOptions,
  ) {
    this.limit = opts.insnLimit ?? BPF_COMPLEXITY_LIMIT_INSNS;
    this.maps = opts.maps ?? [];
    for (const l of opts.lines ?? [])
      if (!this.lineAt.has(l.insn))
        this.lineAt.set(l.insn, `; ${l.line.trim()} @ ${l.file.split('/').pop()}:${l.lineNum}`);
  }

  run(): VerifyResult {
    try {
      this.checkAttach();
      const cfg = checkCfg(this.insns);
      if ('message' in cfg) {
        // Before any path is explored the log shows the instruction the control-flow check names.
        this.log.push(this.listing(cfg.insn));
        throw new Reject(cfg.insn, cfg.defect, cfg.message);
      }
      this.cfg = cfg;
      this.explore();
      this.log.push(this.summary());
      return {
        ok: true,
        log: this.log.join('\n') + '\n',
        processed: this.processed,
        totalStates: this.totalStates,
        peakStates: this.peakStates,
      };
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      const keep = this.opts.logLines ?? 2000;
      const lines =
        this.log.length > keep
          ? [`... ${this.log.length - keep} earlier lines cut ...`, ...this.log.slice(-keep)]
          : this.log;
      return {
        ok: false,
        log: [...lines.filter((l) => l !== ''), e.reason, this.summary()].join('\n') + '\n',
        error: { insn: e.insn, defect: e.defect, message: e.reason },
        processed: this.processed,
        totalStates: this.totalStates,
        peakStates: this.peakStates,
      };
    }
  }

  private listing(pc: number): string {
    const insn = this.insns[pc];
    if (insn === undefined) return '';
    try {
      return `${pc}: (${insn.opcode.toString(16).padStart(2, '0')}) ${printKernelInsn(insn, lookupEntry(insn, pc), this.insns[pc + 1])}`;
    } catch {
      return `${pc}: (${insn.opcode.toString(16).padStart(2, '0')}) invalid`;
    }
  }

  private summary(): string {
    return `processed ${this.processed} insns (limit ${this.limit}) total_states ${this.totalStates} peak_states ${this.peakStates}`;
  }

  private checkAttach(): void {
    const { attachType, target, sleepable } = this.opts;
    if (target === undefined)
      throw new Reject(-1, 'prog_type', 'attach target not found in the kernel BTF (no function model)');
    if (target.nargs > MAX_BPF_FUNC_ARGS)
      throw new Reject(
        -1,
        'prog_type',
        `The function ${target.name} has ${target.nargs} arguments. Too many.`,
      );
    const injectable =
      (this.opts.errorInjectable ?? []).includes(target.name) || target.name.startsWith('security_');
    if (attachType === 'fmod_ret' && !injectable)
      throw new Reject(-1, 'prog_type', `${target.name}() is not modifiable`);
    if (sleepable === true && !injectable)
      throw new Reject(-1, 'prog_type', `${target.name} is not sleepable`);
  }

  // ---------------------------------------------------------------- exploration

  private explore(): void {
    const frame: Frame = {
      regs: new Array<Reg>(11).fill(NOT_INIT),
      bytes: new Uint8Array(STACK_SIZE),
      spills: new Map(),
      returnPc: -1,
      depth: 0,
    };
    frame.regs[1] = { t: 'ctx', off: 0 };
    frame.regs[10] = { t: 'fp', frame: 0, off: 0 };
    const stack: Path[] = [{ pc: 0, state: { frames: [frame], refs: new Map() }, cp: undefined }];
    while (stack.length > 0) {
      const path = stack.pop()!;
      if (path.from !== undefined)
        this.log.push(`from ${path.from} to ${path.pc}: ${formatRegs(path.state)}`);
      this.runPath(path, stack);
    }
  }

  private finish(cp: Checkpoint | undefined): void {
    for (let c = cp; c !== undefined; c = c.parent) {
      c.pending--;
      if (c.pending > 0) return;
      c.complete = true;
    }
  }

  private runPath(path: Path, stack: Path[]): void {
    const { state } = path;
    let { pc, cp } = path;
    for (;;) {
      if (this.cfg.prunePoints.has(pc)) {
        const key = stateKey(state);
        const list = this.explored.get(pc) ?? [];
        for (const old of list) {
          if (old.complete && subsumes(old.state, state)) {
            this.log.push(`${pc}: safe`);
            this.finish(cp);
            return;
          }
          if (!old.complete && old.key === key && this.isAncestor(old, cp)) {
            throw new Reject(pc, 'unbounded_loop', `infinite loop detected at insn ${pc}`);
          }
        }
        const node: Checkpoint = { state: cloneState(state), key, parent: cp, pending: 1, complete: false };
        if (cp !== undefined) cp.pending++;
        this.finish(cp); // the path moves from cp to node
        cp = node;
        list.push(node);
        if (list.length > MAX_STATES_PER_INSN) {
          const drop = list.findIndex((c) => c.complete);
          if (drop >= 0) list.splice(drop, 1);
        }
        this.explored.set(pc, list);
        this.totalStates++;
        this.peakStates = Math.max(this.peakStates, list.length);
      }
      if (++this.processed > this.limit) {
        const loops = this.cfg.backEdges.length > 0;
        throw new Reject(
          pc,
          loops ? 'unbounded_loop' : 'complexity',
          `BPF program is too large. Processed ${this.processed} insn`,
        );
      }
      const insn = this.insns[pc]!;
      const e = this.cfg.entries[pc]!;
      const src = this.lineAt.get(pc);
      if (src !== undefined) this.log.push(src);
      this.log.push(
        `${pc}: (${insn.opcode.toString(16).padStart(2, '0')}) ${printKernelInsn(insn, e, this.insns[pc + 1])}`,
      );
      const next = this.step(pc, insn, e, state, stack, cp);
      if (next === undefined) {
        this.finish(cp);
        return;
      }
      pc = next;
    }
  }

  private isAncestor(node: Checkpoint, cp: Checkpoint | undefined): boolean {
    for (let c = cp; c !== undefined; c = c.parent) if (c === node) return true;
    return false;
  }

  private top(s: VState): Frame {
    return s.frames[s.frames.length - 1]!;
  }

  /** Read a register as an operand: it must be initialised. */
  private use(s: VState, r: number, pc: number): Reg {
    const v = this.top(s).regs[r]!;
    if (v.t === 'not_init') throw new Reject(pc, 'uninit_read', `R${r} !read_ok`);
    return v;
  }

  private set(s: VState, r: number, v: Reg, pc: number): void {
    if (r === 10) throw new Reject(pc, 'readonly', 'frame pointer is read only');
    this.top(s).regs[r] = v;
  }

  /** Executes one instruction on `s`; returns the next pc or undefined when the path ends. */
  private step(
    pc: number,
    insn: BpfInsn,
    e: OpcodeEntry,
    s: VState,
    stack: Path[],
    cp: Checkpoint | undefined,
  ): number | undefined {
    switch (e.kind) {
      case 'alu':
        this.alu(pc, insn, e, s);
        return pc + 1;
      case 'end': {
        const v = this.use(s, insn.dst, pc);
        if (v.t !== 'scalar')
          throw new Reject(pc, 'pointer_arith', `R${insn.dst} byte swap on pointer prohibited`);
        this.set(s, insn.dst, { t: 'scalar', s: endScalar(e.op, v.s, e.width as 16 | 32 | 64) }, pc);
        return pc + 1;
      }
      case 'lddw':
        return this.lddw(pc, insn, e, s);
      case 'ldx':
        this.load(pc, insn, e, s);
        return pc + 1;
      case 'st':
      case 'stx':
        this.store(pc, insn, e, s);
        return pc + 1;
      case 'atomic':
        this.atomic(pc, insn, e, s);
        return pc + 1;
      case 'ja':
        return pc + 1 + (e.width === 32 ? insn.imm : insn.off);
      case 'jmp':
        return this.branch(pc, insn, e, s, stack, cp);
      case 'call':
        if (e.shape === 'call_local') return this.callLocal(pc, insn, s);
        if (e.shape === 'call_kfunc')
          throw new Reject(pc, 'bad_insn', `kfunc calls are not supported (kfunc btf_id ${insn.imm})`);
        this.callHelper(pc, insn.imm, s);
        return pc + 1;
      case 'exit':
        return this.exit(pc, s);
      default:
        throw new Reject(pc, 'bad_insn', `unsupported instruction ${e.name}`);
    }
  }

  // ---------------------------------------------------------------- ALU

  private alu(pc: number, insn: BpfInsn, e: OpcodeEntry, s: VState): void {
    const { dst, src, imm } = insn;
    const w = e.width;
    const b: Reg = e.source === 'X' ? this.use(s, src, pc) : { t: 'scalar', s: constant(BigInt(imm)) };
    if (e.op === 'MOV' || e.op === 'MOVSX') {
      if (e.op === 'MOVSX') {
        if (b.t !== 'scalar')
          throw new Reject(pc, 'pointer_arith', `R${src} sign-extension of pointer prohibited`);
        this.set(s, dst, { t: 'scalar', s: movsxScalar(b.s, e.match.off!, w as 32 | 64) }, pc);
        return;
      }
      if (w === 32 && b.t !== 'scalar')
        throw new Reject(pc, 'pointer_leak', `R${src} partial copy of pointer`);
      this.set(
        s,
        dst,
        b.t === 'scalar' && w === 32 ? { t: 'scalar', s: alu32('MOV', constant(0n), b.s) } : b,
        pc,
      );
      return;
    }
    const a = e.op === 'NEG' ? this.use(s, dst, pc) : this.use(s, dst, pc);
    if (a.t === 'scalar' && b.t === 'scalar') {
      const r = w === 64 ? alu64(e.op, a.s, b.s) : alu32(e.op, a.s, b.s);
      this.set(s, dst, { t: 'scalar', s: r }, pc);
      return;
    }
    const ptrReg = isPointer(a) ? dst : src;
    if (w === 32) throw new Reject(pc, 'pointer_arith', `R${ptrReg} 32-bit pointer arithmetic prohibited`);
    if (e.op !== 'ADD' && e.op !== 'SUB') {
      const bitwise = ['AND', 'OR', 'XOR', 'LSH', 'RSH', 'ARSH'].includes(e.op);
      throw new Reject(
        pc,
        'pointer_arith',
        `R${ptrReg} ${bitwise ? 'bitwise operator' : 'pointer arithmetic with'} ${OP_TEXT[e.op]} ${bitwise ? 'on pointer' : 'operator'} prohibited`,
      );
    }
    if (isPointer(a) && isPointer(b)) {
      if (
        e.op === 'SUB' &&
        a.t === b.t &&
        (a.t === 'fp' || a.t === 'map_value' || a.t === 'ctx' || a.t === 'mem')
      ) {
        this.set(s, dst, { t: 'scalar', s: unknown() }, pc);
        return;
      }
      throw new Reject(pc, 'pointer_arith', `R${dst} pointer ${OP_TEXT[e.op]} pointer prohibited`);
    }
    if (!isPointer(a) && e.op === 'SUB')
      throw new Reject(pc, 'pointer_arith', `R${dst} tried to subtract pointer from scalar`);
    const ptr = isPointer(a) ? a : b;
    const off = (isPointer(a) ? b : a) as Extract<Reg, { t: 'scalar' }>;
    this.set(s, dst, this.ptrAdd(pc, ptrReg, ptr, off.s, e.op === 'SUB'), pc);
  }

  private ptrAdd(pc: number, r: number, p: Reg, v: Scalar, sub: boolean): Reg {
    if (p.t === 'map_value_or_null' || p.t === 'mem_or_null')
      throw new Reject(
        pc,
        'null_check',
        `R${r} pointer arithmetic on ${regName(p)} prohibited, null-check it first`,
      );
    if (p.t === 'map_ptr')
      throw new Reject(pc, 'pointer_arith', `R${r} pointer arithmetic on map_ptr prohibited`);
    if (isConst(v)) {
      const c = Number(BigInt.asIntN(64, v.umin)) * (sub ? -1 : 1);
      if (Math.abs(c) >= BPF_MAX_VAR_OFF)
        throw new Reject(pc, 'pointer_arith', `value ${c} makes ${regName(p)} pointer be out of bounds`);
      const q = { ...p, off: (p as { off: number }).off + c } as Reg;
      if (Math.abs((q as { off: number }).off) >= BPF_MAX_VAR_OFF)
        throw new Reject(
          pc,
          'pointer_arith',
          `R${r} pointer offset ${(q as { off: number }).off} is out of bounds`,
        );
      return q;
    }
    if (p.t === 'fp' || p.t === 'ctx')
      throw new Reject(
        pc,
        'pointer_arith',
        `R${r} variable ${p.t === 'fp' ? 'stack' : 'ctx'} offset arithmetic prohibited (use a constant offset)`,
      );
    // map_value / mem: bounded variable offset.
    if (v.smin < -BigInt(BPF_MAX_VAR_OFF) || v.smin < 0n)
      throw new Reject(
        pc,
        'pointer_arith',
        `R${r} math between ${regName(p)} pointer and register with unbounded min value is not allowed`,
      );
    if (v.umax > BigInt(BPF_MAX_VAR_OFF) || v.smax > S64_MAX)
      throw new Reject(
        pc,
        'pointer_arith',
        `R${r} math between ${regName(p)} pointer and register with unbounded max value is not allowed`,
      );
    const lo = Number(v.umin);
    const hi = Number(v.umax);
    if (p.t !== 'map_value' && p.t !== 'mem')
      throw new Reject(pc, 'pointer_arith', `R${r} pointer arithmetic on ${regName(p)} prohibited`);
    if (sub) return { ...p, vmin: p.vmin - hi, vmax: p.vmax - lo };
    return { ...p, vmin: p.vmin + lo, vmax: p.vmax + hi };
  }

  private lddw(pc: number, insn: BpfInsn, e: OpcodeEntry, s: VState): number {
    const src = e.match.src ?? 0;
    if (src === 0) {
      this.set(s, insn.dst, { t: 'scalar', s: constant(insn.imm64 ?? 0n) }, pc);
      return pc + 2;
    }
    if (src === 1 || src === 2) {
      const m = this.maps[insn.imm];
      if (m === undefined)
        throw new Reject(pc, 'bad_insn', `fd ${insn.imm} is not pointing to valid bpf_map`);
      if (src === 1) {
        this.set(s, insn.dst, { t: 'map_ptr', fd: insn.imm }, pc);
      } else {
        if (m.def.type !== BPF_MAP_TYPE.ARRAY || m.def.maxEntries !== 1)
          throw new Reject(
            pc,
            'bad_insn',
            `direct value access on ${mapTypeName(m.def.type)} map is not allowed (single-element array maps only)`,
          );
        const off = this.insns[pc + 1]!.imm;
        if (off < 0 || off >= m.def.valueSize)
          throw new Reject(
            pc,
            'map_oob',
            `invalid access to map value pointer, value_size=${m.def.valueSize} off=${off}`,
          );
        this.set(s, insn.dst, { t: 'map_value', fd: insn.imm, off, vmin: 0, vmax: 0 }, pc);
      }
      return pc + 2;
    }
    throw new Reject(pc, 'bad_insn', `ld_imm64 with pseudo source ${src} (${e.mnemonic}) is not supported`);
  }

  // ---------------------------------------------------------------- memory

  /** Check an access of `size` bytes at `reg + off`; returns what a load yields (for stack, the spilled reg). */
  private access(
    pc: number,
    r: number,
    p: Reg,
    off: number,
    size: number,
    kind: 'read' | 'write',
    s: VState,
    value?: Reg,
  ): Reg {
    switch (p.t) {
      case 'not_init':
        throw new Reject(pc, 'uninit_read', `R${r} !read_ok`);
      case 'scalar':
        throw new Reject(pc, 'invalid_mem', `R${r} invalid mem access 'scalar'`);
      case 'map_ptr':
        throw new Reject(pc, 'invalid_mem', `R${r} invalid mem access 'map_ptr'`);
      case 'map_value_or_null':
      case 'mem_or_null':
        throw new Reject(pc, 'null_check', `R${r} invalid mem access '${regName(p)}'`);
      case 'ctx':
        return this.ctxAccess(pc, r, p.off + off, size, kind);
      case 'fp':
        return this.stackAccess(pc, r, s, p.frame, p.off + off, size, kind, value);
      case 'map_value': {
        const m = this.maps[p.fd]!;
        const vs = m.def.valueSize;
        const lo = p.off + p.vmin + off;
        const hi = p.off + p.vmax + off + size;
        if (kind === 'write' && m.readonly === true)
          throw new Reject(
            pc,
            'readonly',
            `write into map forbidden, value_size=${vs} off=${p.off + off} size=${size}`,
          );
        if (p.vmin === p.vmax && (lo < 0 || hi > vs))
          throw new Reject(
            pc,
            'map_oob',
            `invalid access to map value, value_size=${vs} off=${lo} size=${size}`,
          );
        if (lo < 0) throw new Reject(pc, 'map_oob', `R${r} min value is outside of the allowed memory range`);
        if (hi > vs)
          throw new Reject(pc, 'map_oob', `R${r} max value is outside of the allowed memory range`);
        if (value !== undefined && isPointer(value))
          throw new Reject(pc, 'pointer_leak', `R${this.lastSrc} leaks addr into map`);
        return { t: 'scalar', s: unknown() };
      }
      case 'mem': {
        const lo = p.off + p.vmin + off;
        const hi = p.off + p.vmax + off + size;
        if (lo < 0 || hi > p.size)
          throw new Reject(
            pc,
            'map_oob',
            `invalid access to memory, mem_size=${p.size} off=${lo} size=${size}`,
          );
        if (value !== undefined && isPointer(value))
          throw new Reject(pc, 'pointer_leak', `R${this.lastSrc} leaks addr into mem`);
        return { t: 'scalar', s: unknown() };
      }
    }
  }

  private lastSrc = 0;

  private ctxAccess(pc: number, r: number, off: number, size: number, kind: 'read' | 'write'): Reg {
    const t = this.opts.target!;
    if (kind === 'write')
      throw new Reject(pc, 'readonly', `invalid bpf_context access off=${off} size=${size}`);
    if (off < 0 || off % 8 !== 0 || size !== 8)
      throw new Reject(pc, 'ctx_access', `invalid bpf_context access off=${off} size=${size}`);
    const arg = off / 8;
    const hasRet = this.opts.attachType === 'fexit' || this.opts.attachType === 'fmod_ret';
    if (arg < t.nargs || (arg === t.nargs && hasRet)) return { t: 'scalar', s: unknown() };
    void r;
    throw new Reject(pc, 'ctx_access', `func '${t.name}' doesn't have ${arg + 1}-th argument`);
  }

  private stackAccess(
    pc: number,
    r: number,
    s: VState,
    frameNo: number,
    off: number,
    size: number,
    kind: 'read' | 'write',
    value?: Reg,
  ): Reg {
    const f = s.frames[frameNo];
    if (f === undefined) throw new Reject(pc, 'invalid_mem', `R${r} points to the stack of a returned frame`);
    if (off < -STACK_SIZE || off + size > 0)
      throw new Reject(
        pc,
        'stack_oob',
        `invalid ${kind} ${kind === 'read' ? 'from' : 'to'} stack R${r} off=${off} size=${size}`,
      );
    const at = STACK_SIZE + off;
    f.depth = Math.max(f.depth, -off);
    const slot = at >> 3;
    if (kind === 'write') {
      // Any write that touches a spill slot ends the spill (the other bytes stay initialised).
      for (let i = at; i < at + size; i++) {
        const k = i >> 3;
        if (f.spills.has(k)) {
          f.spills.delete(k);
          for (let j = k * 8; j < k * 8 + 8; j++) if (f.bytes[j] === SB_SPILL) f.bytes[j] = SB_MISC;
        }
      }
      if (size === 8 && at % 8 === 0 && value !== undefined) {
        f.spills.set(slot, value);
        f.bytes.fill(SB_SPILL, at, at + 8);
      } else {
        if (value !== undefined && isPointer(value))
          throw new Reject(pc, 'pointer_leak', `R${this.lastSrc} partial spill of pointer to stack`);
        f.bytes.fill(SB_MISC, at, at + size);
      }
      return NOT_INIT;
    }
    for (let i = at; i < at + size; i++) {
      if (f.bytes[i] === SB_INVALID)
        throw new Reject(pc, 'uninit_read', `invalid read from stack off ${off}+${i - at} size ${size}`);
    }
    const spilled = f.spills.get(slot);
    if (spilled !== undefined && size === 8 && at % 8 === 0) return spilled;
    if (spilled !== undefined && isPointer(spilled))
      throw new Reject(
        pc,
        'invalid_mem',
        `invalid size of register fill (a ${size}-byte read of a spilled pointer)`,
      );
    return { t: 'scalar', s: loaded(size, false) };
  }

  private load(pc: number, insn: BpfInsn, e: OpcodeEntry, s: VState): void {
    const base = this.use(s, insn.src, pc);
    const v = this.access(pc, insn.src, base, insn.off, e.size!, 'read', s);
    const signExt = e.op === 'MEMSX';
    this.set(
      s,
      insn.dst,
      v.t === 'scalar' && base.t !== 'fp'
        ? { t: 'scalar', s: loaded(e.size!, signExt) }
        : v.t === 'scalar' && (e.size! < 8 || signExt)
          ? { t: 'scalar', s: loaded(e.size!, signExt) }
          : v,
      pc,
    );
  }

  private store(pc: number, insn: BpfInsn, e: OpcodeEntry, s: VState): void {
    const base = this.use(s, insn.dst, pc);
    let value: Reg | undefined;
    if (e.kind === 'stx') {
      value = this.use(s, insn.src, pc);
      this.lastSrc = insn.src;
    } else value = { t: 'scalar', s: constant(BigInt(insn.imm)) };
    if (base.t === 'fp' && (e.size! !== 8 || value.t === 'scalar')) {
      // Narrow stores and scalar stores: a spilled constant of full width keeps its value.
      this.access(
        pc,
        insn.dst,
        base,
        insn.off,
        e.size!,
        'write',
        s,
        e.size === 8 ? value : isPointer(value) ? value : undefined,
      );
      return;
    }
    this.access(pc, insn.dst, base, insn.off, e.size!, 'write', s, value);
  }

  private atomic(pc: number, insn: BpfInsn, e: OpcodeEntry, s: VState): void {
    const base = this.use(s, insn.dst, pc);
    const v = this.use(s, insn.src, pc);
    this.lastSrc = insn.src;
    if (isPointer(v)) throw new Reject(pc, 'pointer_leak', `R${insn.src} leaks addr into mem`);
    if (e.op === 'CMPXCHG') {
      const r0 = this.use(s, 0, pc);
      if (isPointer(r0)) throw new Reject(pc, 'pointer_leak', 'R0 leaks addr into mem');
    }
    if (base.t === 'ctx')
      throw new Reject(pc, 'readonly', 'BPF_ATOMIC stores into R' + insn.dst + ' ctx is not allowed');
    this.access(pc, insn.dst, base, insn.off, e.size!, 'read', s);
    this.access(pc, insn.dst, base, insn.off, e.size!, 'write', s, base.t === 'fp' ? undefined : v);
    const result: Reg = { t: 'scalar', s: loaded(e.size!, false) };
    if (e.op === 'CMPXCHG') this.set(s, 0, result, pc);
    else if (e.fetch === true) this.set(s, insn.src, result, pc);
  }

  // ---------------------------------------------------------------- branches

  private branch(
    pc: number,
    insn: BpfInsn,
    e: OpcodeEntry,
    s: VState,
    stack: Path[],
    cp: Checkpoint | undefined,
  ): number | undefined {
    const a = this.use(s, insn.dst, pc);
    const b: Reg =
      e.source === 'X' ? this.use(s, insn.src, pc) : { t: 'scalar', s: constant(BigInt(insn.imm)) };
    const target = pc + 1 + insn.off;
    let taken: VState | undefined;
    let fall: VState | undefined;
    const nullable = (r: Reg): boolean => r.t === 'map_value_or_null' || r.t === 'mem_or_null';
    const isZero = (r: Reg): boolean => r.t === 'scalar' && isConst(r.s) && r.s.umin === 0n;
    if (a.t === 'scalar' && b.t === 'scalar') {
      const w32 = e.width === 32;
      const narrow = (x: Scalar): Scalar | undefined =>
        !w32 ? x : x.umax <= 0xffff_ffffn ? x : isConst(x) ? constant(x.umin & 0xffff_ffffn) : undefined;
      const sa = narrow(a.s);
      const sb = narrow(b.s);
      const signed32 = w32 && e.op.startsWith('JS');
      if (sa === undefined || sb === undefined || signed32) {
        if (signed32 && sa && sb && isConst(sa) && isConst(sb)) {
          const t =
            refine(e.op, constant(BigInt.asIntN(32, sa.umin)), constant(BigInt.asIntN(32, sb.umin)), true) !==
            undefined;
          return t ? target : pc + 1;
        }
        taken = s;
        fall = cloneState(s);
      } else {
        const t = refine(e.op, sa, sb, true);
        const f = refine(e.op, sa, sb, false);
        if (t) {
          taken = s;
          this.setScalar(taken, insn.dst, t[0], w32);
          if (e.source === 'X') this.setScalar(taken, insn.src, t[1], w32);
        }
        if (f) {
          fall = t ? cloneState(s) : s;
          if (t) {
            // s was modified for the taken branch; rebuild the fall-through from the original values.
            this.top(fall).regs[insn.dst] = a;
            if (e.source === 'X') this.top(fall).regs[insn.src] = b;
          }
          this.setScalar(fall, insn.dst, f[0], w32);
          if (e.source === 'X') this.setScalar(fall, insn.src, f[1], w32);
        }
      }
    } else if (
      (e.op === 'JEQ' || e.op === 'JNE') &&
      e.width === 64 &&
      (nullable(a) || nullable(b)) &&
      (isZero(a) || isZero(b))
    ) {
      const p = nullable(a) ? a : b;
      const id = (p as { id: number }).id;
      const nullState = s;
      const okState = cloneState(s);
      this.markNull(nullState, id, true);
      this.markNull(okState, id, false);
      taken = e.op === 'JEQ' ? nullState : okState;
      fall = e.op === 'JEQ' ? okState : nullState;
    } else if (
      (e.op === 'JEQ' || e.op === 'JNE') &&
      ((isPointer(a) && !nullable(a) && isZero(b)) || (isPointer(b) && !nullable(b) && isZero(a)))
    ) {
      // A non-NULL pointer compared with 0: the outcome is known.
      return e.op === 'JNE' ? target : pc + 1;
    } else {
      taken = s;
      fall = cloneState(s);
    }
    if (taken && fall) {
      if (cp !== undefined) cp.pending++;
      const t: VState = { frames: taken.frames, refs: taken.refs };
      s.frames = fall.frames;
      s.refs = fall.refs;
      stack.push({ pc: target, state: t, cp, from: pc });
      return pc + 1;
    }
    if (taken) {
      s.frames = taken.frames;
      s.refs = taken.refs;
      return target;
    }
    if (fall) {
      s.frames = fall.frames;
      s.refs = fall.refs;
      return pc + 1;
    }
    return undefined;
  }

  private setScalar(s: VState, r: number, v: Scalar, w32: boolean): void {
    const cur = this.top(s).regs[r]!;
    if (w32 && cur.t === 'scalar' && cur.s.umax > 0xffff_ffffn) return; // refined only the low half: keep the 64-bit range
    this.top(s).regs[r] = { t: 'scalar', s: v };
  }

  /** After a null check of pointer `id`: every copy becomes NULL (scalar 0) or the non-NULL pointer. */
  private markNull(s: VState, id: number, isNull: boolean): void {
    const fix = (r: Reg): Reg => {
      if (r.t === 'map_value_or_null' && r.id === id)
        return isNull
          ? { t: 'scalar', s: constant(0n) }
          : { t: 'map_value', fd: r.fd, off: r.off, vmin: 0, vmax: 0 };
      if (r.t === 'mem_or_null' && r.id === id)
        return isNull
          ? { t: 'scalar', s: constant(0n) }
          : { t: 'mem', size: r.size, off: 0, vmin: 0, vmax: 0, ref: r.ref };
      return r;
    };
    for (const f of s.frames) {
      f.regs = f.regs.map(fix);
      for (const [k, v] of f.spills) f.spills.set(k, fix(v));
    }
    // A reservation that failed (NULL) holds no reference: drop the one acquired with it.
    if (isNull) for (const ref of this.refOfId.get(id) ?? []) s.refs.delete(ref);
  }

  // ---------------------------------------------------------------- calls

  private callLocal(pc: number, insn: BpfInsn, s: VState): number {
    if (s.frames.length >= MAX_CALL_FRAMES)
      throw new Reject(pc, 'call_depth', `the call stack of ${s.frames.length + 1} frames is too deep`);
    const caller = this.top(s);
    const regs = new Array<Reg>(11).fill(NOT_INIT);
    for (let r = 1; r <= 5; r++) regs[r] = caller.regs[r]!;
    regs[10] = { t: 'fp', frame: s.frames.length, off: 0 };
    s.frames.push({ regs, bytes: new Uint8Array(STACK_SIZE), spills: new Map(), returnPc: pc + 1, depth: 0 });
    const total = s.frames.reduce((n, f) => n + ((f.depth + 15) & ~15), 0);
    if (total > STACK_SIZE)
      throw new Reject(
        pc,
        'call_depth',
        `combined stack size of ${s.frames.length} calls is ${total}. Too large`,
      );
    return pc + 1 + insn.imm;
  }

  private exit(pc: number, s: VState): number | undefined {
    const f = this.top(s);
    const r0 = f.regs[0]!;
    if (r0.t === 'not_init') throw new Reject(pc, 'uninit_read', 'R0 !read_ok');
    if (s.frames.length > 1) {
      if (r0.t === 'fp' && r0.frame === s.frames.length - 1)
        throw new Reject(pc, 'invalid_mem', 'R0 points to the stack of the returning frame');
      const total = s.frames.reduce((n, fr) => n + ((fr.depth + 15) & ~15), 0);
      if (total > STACK_SIZE)
        throw new Reject(
          pc,
          'call_depth',
          `combined stack size of ${s.frames.length} calls is ${total}. Too large`,
        );
      s.frames.pop();
      const caller = this.top(s);
      caller.regs[0] = r0;
      for (let r = 1; r <= 5; r++) caller.regs[r] = NOT_INIT;
      return f.returnPc;
    }
    if (isPointer(r0)) throw new Reject(pc, 'pointer_leak', 'R0 leaks addr as return value');
    for (const [ref, at] of s.refs)
      throw new Reject(pc, 'ref_leak', `Unreleased reference id=${ref} alloc_insn=${at}`);
    if (this.opts.attachType !== 'fmod_ret' && r0.t === 'scalar' && !(isConst(r0.s) && r0.s.umin === 0n)) {
      throw new Reject(
        pc,
        'return_value',
        `At program exit the register R0 has ${isConst(r0.s) ? `value ${r0.s.smin}` : 'unknown scalar value'} should have been in [0, 0]`,
      );
    }
    return undefined;
  }

  private callHelper(pc: number, id: number, s: VState): void {
    const proto = HELPER_PROTOS.get(id);
    if (proto === undefined) throw new Reject(pc, 'bad_insn', `invalid func unknown#${id}`);
    const regs = this.top(s).regs;
    let map: VerifierMap | undefined;
    let memArg: { r: number; p: Reg; write: boolean } | undefined;
    let allocSize = 0;
    let released: number | undefined;
    proto.args.forEach((type: ArgType, i) => {
      const r = i + 1;
      const v = regs[r]!;
      if (v.t === 'not_init') throw new Reject(pc, 'uninit_read', `R${r} !read_ok`);
      const bad = (expected: string): never => {
        throw new Reject(pc, 'helper_arg', `R${r} type=${regName(v)} expected=${expected}`);
      };
      switch (type) {
        case 'anything':
          if (isPointer(v) && v.t !== 'fp' && v.t !== 'map_value' && v.t !== 'ctx' && v.t !== 'mem')
            throw new Reject(
              pc,
              'helper_arg',
              `R${r} type=${regName(v)} passed as a plain value to ${proto.name}`,
            );
          break;
        case 'map_ptr': {
          if (v.t !== 'map_ptr') bad('map_ptr');
          map = this.maps[(v as { fd: number }).fd]!;
          if (proto.mapTypes !== undefined && !proto.mapTypes.includes(map.def.type))
            throw new Reject(
              pc,
              'helper_arg',
              `cannot pass map_type ${map.def.type} into func ${proto.name}#${id}`,
            );
          break;
        }
        case 'map_key':
        case 'map_value': {
          if (map === undefined) throw new Reject(pc, 'helper_arg', `R${r}: ${type} without a map argument`);
          const size = type === 'map_key' ? map.def.keySize : map.def.valueSize;
          this.memRange(pc, r, v, size, size, 'read', s, 'fp, map_value, mem');
          break;
        }
        case 'ctx':
          if (v.t !== 'ctx') bad('ctx');
          if ((v as { off: number }).off !== 0)
            throw new Reject(
              pc,
              'helper_arg',
              `dereference of modified ctx ptr R${r} off=${(v as { off: number }).off} disallowed`,
            );
          break;
        case 'mem':
        case 'uninit_mem':
          if (v.t !== 'fp' && v.t !== 'map_value' && v.t !== 'mem') bad('fp, map_value, mem');
          memArg = { r, p: v, write: type === 'uninit_mem' };
          break;
        case 'size':
        case 'size_or_zero': {
          if (v.t !== 'scalar') bad('scalar');
          const sc = (v as { s: Scalar }).s;
          if (sc.smin < 0n)
            throw new Reject(
              pc,
              'helper_arg',
              `R${r} min value is negative, either use unsigned or 'var &= const'`,
            );
          if (type === 'size' && sc.umin === 0n && isConst(sc))
            throw new Reject(pc, 'helper_arg', `invalid zero-sized read`);
          if (sc.umax >= 1n << 29n)
            throw new Reject(
              pc,
              'helper_arg',
              `R${r} unbounded memory access, use 'var &= const' or 'if (var < const)'`,
            );
          if (memArg !== undefined)
            this.memRange(
              pc,
              memArg.r,
              memArg.p,
              Number(sc.umin),
              Number(sc.umax),
              memArg.write ? 'write' : 'read',
              s,
              'fp, map_value, mem',
            );
          break;
        }
        case 'long_out':
          if (v.t !== 'fp' && v.t !== 'map_value' && v.t !== 'mem') bad('fp, map_value, mem');
          this.memRange(pc, r, v, 8, 8, 'write', s, 'fp, map_value, mem');
          break;
        case 'alloc_size': {
          if (v.t !== 'scalar' || !isConst(v.s))
            throw new Reject(pc, 'helper_arg', `R${r} is not a known constant'`);
          allocSize = Number(v.s.umin);
          if (allocSize > 1 << 29)
            throw new Reject(pc, 'helper_arg', `R${r} reservation of ${allocSize} bytes is too large`);
          break;
        }
        case 'ringbuf_mem': {
          if (v.t !== 'mem') {
            if (v.t === 'mem_or_null')
              throw new Reject(pc, 'null_check', `R${r} type=ringbuf_mem_or_null expected=ringbuf_mem`);
            bad('ringbuf_mem');
          }
          const m = v as Extract<Reg, { t: 'mem' }>;
          if (m.off !== 0 || m.vmax !== 0 || m.vmin !== 0)
            throw new Reject(pc, 'helper_arg', `R${r} must have zero offset when passed to release func`);
          if (!s.refs.has(m.ref))
            throw new Reject(pc, 'helper_arg', `R${r} reference has not been acquired before`);
          released = m.ref;
          break;
        }
      }
    });
    if (released !== undefined) {
      s.refs.delete(released);
      for (const f of s.frames) {
        const dead = (r: Reg): Reg =>
          (r.t === 'mem' || r.t === 'mem_or_null') && r.ref === released ? { t: 'scalar', s: unknown() } : r;
        f.regs = f.regs.map(dead);
        for (const [k, v] of f.spills) f.spills.set(k, dead(v));
      }
    }
    const top = this.top(s);
    for (let r = 1; r <= 5; r++) top.regs[r] = NOT_INIT;
    switch (proto.ret) {
      case 'integer':
        top.regs[0] = { t: 'scalar', s: unknown() };
        break;
      case 'void':
        top.regs[0] = NOT_INIT;
        break;
      case 'map_value_or_null':
        top.regs[0] = { t: 'map_value_or_null', fd: this.maps.indexOf(map!), off: 0, id: this.nextId++ };
        break;
      case 'ringbuf_mem_or_null': {
        const id = this.nextId++;
        const ref = this.nextId++;
        s.refs.set(ref, pc);
        this.refOfId.set(id, [ref]);
        top.regs[0] = { t: 'mem_or_null', size: allocSize, id, ref };
        break;
      }
    }
  }

  /** A helper reads or writes [p, p + umax) (at least umin bytes). */
  private memRange(
    pc: number,
    r: number,
    p: Reg,
    umin: number,
    umax: number,
    kind: 'read' | 'write',
    s: VState,
    expected: string,
  ): void {
    if (umax === 0) return;
    switch (p.t) {
      case 'fp': {
        const f = s.frames[p.frame]!;
        const off = p.off;
        if (off < -STACK_SIZE || off + umax > 0)
          throw new Reject(pc, 'stack_oob', `invalid indirect access to stack R${r} off=${off} size=${umax}`);
        const at = STACK_SIZE + off;
        f.depth = Math.max(f.depth, -off);
        if (kind === 'read') {
          for (let i = at; i < at + umax; i++)
            if (f.bytes[i] === SB_INVALID)
              throw new Reject(
                pc,
                'uninit_read',
                `invalid indirect read from stack R${r} off ${off}+${i - at} size ${umax}`,
              );
        } else {
          for (let i = at; i < at + umax; i++) {
            const k = i >> 3;
            if (f.spills.has(k)) {
              f.spills.delete(k);
              for (let j = k * 8; j < k * 8 + 8; j++) if (f.bytes[j] === SB_SPILL) f.bytes[j] = SB_MISC;
            }
            f.bytes[i] = SB_MISC;
          }
        }
        return;
      }
      case 'map_value':
      case 'mem':
        this.access(pc, r, p, 0, umax, kind, s);
        void umin;
        return;
      case 'map_value_or_null':
      case 'mem_or_null':
        throw new Reject(pc, 'null_check', `R${r} type=${regName(p)} expected=${expected}`);
      default:
        throw new Reject(pc, 'helper_arg', `R${r} type=${regName(p)} expected=${expected}`);
    }
  }
}
