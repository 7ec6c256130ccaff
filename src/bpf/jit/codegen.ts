/**
 * The eBPF → A64 code generator, following the arm64 kernel JIT's conventions (facts: bpf-arm64.md §1).
 * It emits only through the `Asm` mnemonic layer; every branch inside the program is a label, so a pass is
 * "generate at base B" and the image code (image.ts) runs it twice: once at a stand-in base with every call
 * in its longest form (the size to allocate), once at the real address where a BL reaches.
 *
 * Register map (bpf2a64, §1.1):
 *
 *   R0 → x7   R1–R5 → x0–x4   R6–R9 → x19–x22   R10 (FP) → x25   tmp x10/x11/x12, AX x9, tail-call x26
 *
 * Frame of one function (main program or subprogram), high addresses first (§1.3):
 *
 *   entry SP →  [ x29 | lr ]          ← x29 (frame record; lr signed by paciasp when PAC is on)
 *               [ xzr | x26 ]         main: tail-call count slot, x26 → here; subprog: [x26 | x26]
 *               [ used callee-saved ] x19–x22, x25 in pairs, padded with xzr
 *   x25 (FP) →  [ BPF stack ]         round_up(stack depth, 16)
 *         SP →
 *
 * (frame.ts `bpfFrameLayout` gives these as named offsets). Loads and stores through R10 address SP with
 * the offset made positive (R10 = SP + stack size), as the kernel JIT does; x25 is set only when R10 is used.
 *
 * Entry: `[bti jc] ; mov x9, lr ; nop ; [paciasp] ; …` — the nop is the poke site a BPF trampoline turns
 * into `bl <tramp>` (or `bl <plt>` for a long jump through the PLT at the end of the image).
 */
import { Asm, type Cond } from '../../a64/asm.js';
import { Label, SP, W, X, XZR, WZR, LR, FP as X29, type Reg } from '../../a64/builder.js';
import { EncodingError } from '../../a64/encode.js';
import { lookupEntry, isWide, type BpfInsn } from '../isa/insn.js';
import type { OpcodeEntry } from '../isa/table.js';
import {
  AX,
  BPF2A64,
  JitError,
  splitFunctions,
  stackDepth,
  TCCNT_PTR,
  THREAD_INFO_CPU,
  TMP1,
  TMP2,
  TMP3,
  usedCallee,
  type FunctionInfo,
} from './frame.js';

export { BPF2A64, JitError, splitFunctions, type FunctionInfo } from './frame.js';

const EINVAL = 22;
const EOPNOTSUPP = 95;

/** Kernel helper ids the JIT or the verifier's fixups inline (§1.4 and do_misc_fixups). */
export const INLINED_HELPERS = {
  get_smp_processor_id: 8,
  get_current_task: 35,
  get_current_task_btf: 158,
  get_func_ip: 173,
  get_func_arg: 183,
  get_func_ret: 184,
  get_func_arg_cnt: 185,
} as const;

export interface CodegenOptions {
  /** Emit `bti jc` / `bti j` landing pads (CONFIG_ARM64_BTI_KERNEL). */
  bti: boolean;
  /** Emit paciasp/autiasp (CONFIG_ARM64_PTR_AUTH_KERNEL). */
  pac: boolean;
  /** Atomics as LSE instructions (default) or LL/SC loops (no ARM64_HAS_LSE_ATOMICS). */
  atomics: 'lse' | 'llsc';
  /** Inline the tracing helpers as the verifier and the JIT do (kernel programs); off for bpf_conformance. */
  inlineHelpers: boolean;
  /** For bpf_get_func_ret's fixup: fentry programs get -EOPNOTSUPP. */
  attachType?: string;
  /** The address a helper id calls (a kernel-text stub). */
  helperAddress: (id: number) => bigint;
  /** Value of a pseudo ld_imm64 (map fd, map value); undefined when the program has none. */
  resolveLdImm64?: (entry: OpcodeEntry, imm: number, nextImm: number, pc: number) => bigint;
  /** The PLT's initial target (dummy_tramp). */
  pltDefault: bigint;
  /** Slots of LDX instructions the verifier marked BPF_PROBE_MEM (loads through untrusted kernel pointers). */
  probeMem?: ReadonlySet<number>;
  /** First pass: every helper call in the fixed-length indirect form, so the size is the maximum. */
  assumeIndirect: boolean;
}

export interface Generated {
  asm: Asm;
  /** Byte offset of each BPF slot's first A64 instruction (second lddw slot: same as the first). */
  insnOffsets: number[];
  /** Byte offset of the poke-site nop of the main program. */
  pokeOffset: number;
  /** Labels bound in the code. */
  epilogue: Label;
  plt: Label;
  pltTarget: Label;
  functions: FunctionInfo[];
  /** Helper ids the program calls out of line. */
  helpers: Set<number>;
  /** Probe loads: byte offset of the load and the A64 register it writes. */
  extable: { insnOffset: number; reg: number }[];
}

const isEnc = (e: unknown): e is EncodingError => e instanceof EncodingError;

const JMP_COND: Readonly<Record<string, Cond>> = {
  JEQ: 'eq',
  JNE: 'ne',
  JGT: 'hi',
  JGE: 'hs',
  JLT: 'lo',
  JLE: 'ls',
  JSGT: 'gt',
  JSGE: 'ge',
  JSLT: 'lt',
  JSLE: 'le',
  JSET: 'ne',
};

/** Generate the whole image (all functions, then the PLT) at `base`. */
export function generate(prog: readonly BpfInsn[], base: bigint, o: CodegenOptions): Generated {
  const a = new Asm(base);
  const fns = splitFunctions(prog);
  const insnLabels: (Label | undefined)[] = [];
  const labelOf = (slot: number, from: number): Label => {
    if (slot < 0 || slot >= prog.length)
      throw new JitError(
        'EINVAL',
        `insn ${from}: jump to insn ${slot} is outside the program (0..${prog.length - 1})`,
      );
    return (insnLabels[slot] ??= a.label(`insn${slot}`));
  };
  const entries = new Map<number, Label>();
  const entryOf = (slot: number): Label => {
    let l = entries.get(slot);
    if (l === undefined) entries.set(slot, (l = a.label(`func${slot}`)));
    return l;
  };
  const insnOffsets: number[] = new Array<number>(prog.length).fill(0);
  const helpers = new Set<number>();
  const extable: { insnOffset: number; reg: number }[] = [];
  const functions: FunctionInfo[] = [];
  /** Stack size of the function being generated (BPF FP = SP + this). */
  let curStack = 0;
  /**
   * The base and offset of a BPF access: FP-relative accesses use SP with the offset made positive (FP = SP +
   * stack size), as the kernel JIT does since it stopped needing FP for them, so the immediate forms fit.
   */
  const memBase = (reg: number, off: number): [Reg, number] =>
    reg === 10 ? [SP, off + curStack] : [x(reg), off];
  const plt = a.label('plt');
  const pltTarget = a.label('plt_target');
  let mainEpilogue: Label | undefined;
  let pokeOffset = 0;

  const x = (r: number): Reg => X[BPF2A64[r]!]!;
  const w = (r: number): Reg => W[BPF2A64[r]!]!;
  const rr = (r: number, wide: boolean): Reg => (wide ? x(r) : w(r));
  const t1 = (wide: boolean): Reg => (wide ? X[TMP1]! : W[TMP1]!);
  const t2 = (wide: boolean): Reg => (wide ? X[TMP2]! : W[TMP2]!);
  const t3 = (wide: boolean): Reg => (wide ? X[TMP3]! : W[TMP3]!);
  /** Try the immediate form; on an unencodable immediate, materialise it in tmp and use the register form. */
  const immOr = (tryImm: () => void, fallback: () => void): void => {
    try {
      tryImm();
    } catch (e) {
      if (!isEnc(e)) throw e;
      fallback();
    }
  };
  const imm64 = (imm: number): bigint => BigInt.asUintN(64, BigInt(imm));
  const immW = (imm: number, wide: boolean): bigint => (wide ? imm64(imm) : BigInt(imm >>> 0));
  const callTarget = (target: bigint): void => {
    const direct = !o.assumeIndirect && inBlRange(a.pc, target);
    if (direct) a.bl(target);
    else {
      a.movAddr48(X[TMP1]!, target);
      a.blr(X[TMP1]!);
    }
  };
  /** [base + off] addressing: the offset as an immediate when encodable, else in tmp. */
  const memOp = (op: (rt: Reg, rn: Reg, off: number | Reg) => number, rt: Reg, rn: Reg, off: number): void =>
    immOr(
      () => void op(rt, rn, off),
      () => {
        a.movImm(X[TMP1]!, BigInt(off));
        op(rt, rn, X[TMP1]!);
      },
    );

  for (const [k, fn] of fns.entries()) {
    const isMain = k === 0;
    const depth = stackDepth(prog, fn.start, fn.end);
    const saved = usedCallee(prog, fn.start, fn.end);
    if (saved.length % 2 === 1) saved.push(31);
    const stack = Math.ceil(depth / 16) * 16;
    curStack = stack;
    const frameBytes = 32 + saved.length * 8 + stack;
    functions.push({ start: fn.start, end: fn.end, stackDepth: depth, saved, frameBytes });
    const epilogue = a.label(isMain ? 'epilogue' : `epilogue_${fn.start}`);
    if (isMain) mainEpilogue = epilogue;

    // ---- prologue ----
    if (fn.start !== 0) a.bind(entryOf(fn.start));
    if (o.bti) a.bti('jc');
    a.mov(X[9]!, LR);
    if (isMain) pokeOffset = a.size;
    a.nop();
    if (o.pac) a.paciasp();
    a.push(X29, LR);
    a.mov(X29, SP);
    if (isMain) {
      a.push(XZR, X[TCCNT_PTR]!);
      a.mov(X[TCCNT_PTR]!, SP);
      if (o.bti) a.bti('j'); // landing pad for a tail call's BR (bpf_func + PROLOGUE_OFFSET)
    } else a.push(X[TCCNT_PTR]!, X[TCCNT_PTR]!);
    for (let i = 0; i < saved.length; i += 2)
      a.push(X[saved[i]!] ?? XZR, saved[i + 1] === 31 ? XZR : X[saved[i + 1]!]!);
    if (saved.includes(25)) a.mov(X[25]!, SP);
    if (stack > 0) a.sub(SP, SP, stack);

    // ---- body ----
    for (let pc = fn.start; pc < fn.end; pc++) {
      const insn = prog[pc]!;
      const e = lookupEntry(insn, pc);
      const l = insnLabels[pc];
      if (l !== undefined) a.bind(l);
      else insnLabels[pc] = a.here(`insn${pc}`);
      insnOffsets[pc] = a.size;
      const last = pc === fn.end - 1;
      emitInsn(insn, e, pc, last, epilogue);
      if (isWide(insn)) {
        pc++;
        insnOffsets[pc] = insnOffsets[pc - 1]!;
      }
    }

    // ---- epilogue ----
    a.bind(epilogue);
    if (stack > 0) a.add(SP, SP, stack);
    for (let i = saved.length - 2; i >= 0; i -= 2)
      a.pop(X[saved[i]!] ?? XZR, saved[i + 1] === 31 ? XZR : X[saved[i + 1]!]!);
    a.pop(XZR, X[TCCNT_PTR]!);
    a.pop(X29, LR);
    a.mov(X[0]!, X[7]!);
    if (o.pac) a.autiasp();
    a.ret();
  }

  // ---- PLT (build_plt): [nop to align] ; ldr x10, target ; br x10 ; target: .quad <dummy_tramp> ----
  a.align(8);
  a.bind(plt);
  a.ldrLit(X[TMP1]!, pltTarget);
  a.br(X[TMP1]!);
  a.bind(pltTarget);
  a.quad(o.pltDefault); // dummy_tramp until a trampoline needs a long jump

  return {
    asm: a,
    insnOffsets,
    pokeOffset,
    epilogue: mainEpilogue!,
    plt,
    pltTarget,
    functions,
    helpers,
    extable,
  };

  function emitInsn(insn: BpfInsn, e: OpcodeEntry, pc: number, last: boolean, epilogue: Label): void {
    const { dst, src, off, imm } = insn;
    const wide = e.width === 64;
    switch (e.kind) {
      case 'alu':
        return emitAlu(e, dst, src, imm, off, wide);
      case 'end': {
        const d = x(dst);
        const dw = w(dst);
        if (e.op === 'LE') {
          if (e.width === 16) a.uxth(dw, dw);
          else if (e.width === 32) a.mov(dw, dw);
          return; // LE 64: nothing on a little-endian CPU
        }
        if (e.width === 16) {
          a.rev16(dw, dw);
          a.uxth(dw, dw);
        } else if (e.width === 32) a.rev(dw, dw);
        else a.rev(d, d);
        return;
      }
      case 'ja':
        a.b(labelOf(pc + 1 + (e.width === 32 ? imm : off), pc));
        return;
      case 'jmp': {
        const target = labelOf(pc + 1 + off, pc);
        const cw = e.width === 64;
        const d = rr(dst, cw);
        if (e.op === 'JSET') {
          if (e.source === 'X') a.tst(d, rr(src, cw));
          else
            immOr(
              () => void a.tst(d, immW(imm, cw)),
              () => {
                a.movImm(t1(cw), immW(imm, cw));
                a.tst(d, t1(cw));
              },
            );
        } else if (e.source === 'X') a.cmp(d, rr(src, cw));
        else
          immOr(
            () => void a.cmp(d, imm),
            () => {
              a.movImm(t1(cw), immW(imm, cw));
              a.cmp(d, t1(cw));
            },
          );
        a.bCond(JMP_COND[e.op]!, target);
        return;
      }
      case 'exit':
        if (!last) a.b(epilogue);
        return;
      case 'call':
        return emitCall(e, insn, pc);
      case 'lddw': {
        const next = prog[pc + 1]!;
        let v: bigint;
        if (e.match.src === 0) v = insn.imm64 ?? (BigInt(next.imm >>> 0) << 32n) | BigInt(insn.imm >>> 0);
        else {
          if (o.resolveLdImm64 === undefined)
            throw new JitError(
              'EINVAL',
              `insn ${pc}: ${e.mnemonic} needs a resolver for pseudo source ${e.match.src}`,
            );
          v = o.resolveLdImm64(e, imm, next.imm, pc);
        }
        a.movImm(x(dst), BigInt.asUintN(64, v));
        return;
      }
      case 'ldx': {
        const size = e.size!;
        const [base, adj] = memBase(src, off);
        if (e.op === 'MEMSX') {
          const op = size === 1 ? a.ldrsb : size === 2 ? a.ldrsh : a.ldrsw;
          memOp(op.bind(a), x(dst), base, adj);
        } else {
          const op = size === 1 ? a.ldrb : size === 2 ? a.ldrh : a.ldr;
          memOp(op.bind(a), size === 8 ? x(dst) : w(dst), base, adj);
        }
        // BPF_PROBE_MEM: the load just emitted may fault; the exception table zeroes dst and resumes after it.
        if (o.probeMem?.has(pc) === true) extable.push({ insnOffset: a.size - 4, reg: BPF2A64[dst]! });
        return;
      }
      case 'st':
      case 'stx': {
        const size = e.size!;
        let val: Reg;
        if (e.kind === 'st') {
          val = size === 8 ? X[TMP2]! : W[TMP2]!;
          a.movImm(val, size === 8 ? imm64(imm) : BigInt(imm >>> 0));
        } else val = size === 8 ? x(src) : w(src);
        const op = size === 1 ? a.strb : size === 2 ? a.strh : a.str;
        const [base, adj] = memBase(dst, off);
        memOp(op.bind(a), val, base, adj);
        return;
      }
      case 'atomic':
        return emitAtomic(e, dst, src, off);
      case 'packet':
        throw new JitError(
          'ENOTSUPP',
          `insn ${pc}: legacy packet access (${e.mnemonic}) is not JITed; on arm64 the verifier rewrites LD_ABS/LD_IND for socket filters before the JIT, and tracing programs cannot use it`,
        );
    }
  }

  function emitAlu(e: OpcodeEntry, dst: number, src: number, imm: number, off: number, wide: boolean): void {
    const d = rr(dst, wide);
    const s = (): Reg => (e.source === 'X' ? rr(src, wide) : (a.movImm(t1(wide), immW(imm, wide)), t1(wide)));
    switch (e.op) {
      case 'MOV':
        if (e.source === 'X') a.mov(d, rr(src, wide));
        else a.movImm(d, immW(imm, wide));
        return;
      case 'MOVSX': {
        const from = e.match.off ?? off;
        const sw = w(src);
        if (from === 8) a.sxtb(d, sw);
        else if (from === 16) a.sxth(d, sw);
        else a.sxtw(x(dst), sw);
        return;
      }
      case 'ADD':
      case 'SUB': {
        const op = e.op === 'ADD' ? a.add.bind(a) : a.sub.bind(a);
        if (e.source === 'X') op(d, d, rr(src, wide));
        else
          immOr(
            () => void op(d, d, imm),
            () => void op(d, d, s()),
          );
        return;
      }
      case 'AND':
      case 'OR':
      case 'XOR': {
        const op = e.op === 'AND' ? a.and.bind(a) : e.op === 'OR' ? a.orr.bind(a) : a.eor.bind(a);
        if (e.source === 'X') op(d, d, rr(src, wide));
        else
          immOr(
            () => void op(d, d, immW(imm, wide)),
            () => void op(d, d, s()),
          );
        return;
      }
      case 'LSH':
      case 'RSH':
      case 'ARSH': {
        const op = e.op === 'LSH' ? a.lsl.bind(a) : e.op === 'RSH' ? a.lsr.bind(a) : a.asr.bind(a);
        if (e.source === 'X') op(d, d, rr(src, wide));
        else op(d, d, imm & (wide ? 63 : 31));
        return;
      }
      case 'NEG':
        a.neg(d, d);
        return;
      case 'MUL':
        a.mul(d, d, s());
        return;
      case 'DIV':
      case 'SDIV':
      case 'MOD':
      case 'SMOD':
        return emitDiv(e, d, e.source === 'X' ? rr(src, wide) : undefined, imm, wide);
    }
    throw new JitError('EINVAL', `${e.name}: no A64 translation`);
  }

  /**
   * Division and modulo. A register divisor gets the verifier's do_misc_fixups rewrites first: zero → DIV
   * gives 0 and MOD leaves dst (ALU32: zero-extended); −1 (signed) → SDIV is NEG and SMOD is 0, because
   * some CPUs trap on LLONG_MIN / −1 (arm64's SDIV does not; the rewrite keeps the code the kernel's).
   */
  function emitDiv(e: OpcodeEntry, d: Reg, sreg: Reg | undefined, imm: number, wide: boolean): void {
    const signed = e.op === 'SDIV' || e.op === 'SMOD';
    const isMod = e.op === 'MOD' || e.op === 'SMOD';
    const div = (rd: Reg, n: Reg, m: Reg): number => (signed ? a.sdiv(rd, n, m) : a.udiv(rd, n, m));
    const core = (m: Reg): void => {
      if (isMod) {
        div(t2(wide), d, m);
        a.msub(d, t2(wide), m, d);
      } else div(d, d, m);
    };
    if (sreg === undefined) {
      // Immediate divisor: the verifier rejects 0; -1 is rewritten like the register case.
      if (signed && imm === -1) {
        if (isMod) a.mov(d, wide ? XZR : WZR);
        else a.neg(d, d);
        return;
      }
      a.movImm(t1(wide), immW(imm, wide));
      core(t1(wide));
      return;
    }
    const done = a.label();
    const ok = a.label();
    if (isMod) {
      if (wide) a.cbz(sreg, done);
      else {
        a.cbnz(sreg, ok);
        a.mov(d, d); // wX = wX: the upper half is zeroed even when the divisor is 0
        a.b(done);
        a.bind(ok);
      }
    } else {
      a.cbnz(sreg, ok);
      a.eor(d, d, d);
      a.b(done);
      a.bind(ok);
    }
    if (signed) {
      const notm1 = a.label();
      a.cmn(sreg, 1);
      a.bCond('ne', notm1);
      if (isMod) a.mov(d, wide ? XZR : WZR);
      else a.neg(d, d);
      a.b(done);
      a.bind(notm1);
    }
    core(sreg);
    a.bind(done);
  }

  function emitCall(e: OpcodeEntry, insn: BpfInsn, pc: number): void {
    if (e.shape === 'call_local') {
      a.bl(entryOf(pc + 1 + insn.imm));
      a.mov(X[7]!, X[0]!);
      return;
    }
    if (e.shape !== 'call_helper')
      throw new JitError(
        'ENOTSUPP',
        `insn ${pc}: ${e.mnemonic} (kfunc/callx) is not supported by the model's JIT; kfuncs need kernel BTF ids`,
      );
    const id = insn.imm;
    if (o.inlineHelpers && emitInlinedHelper(id)) return;
    helpers.add(id);
    callTarget(o.helperAddress(id));
    a.mov(X[7]!, X[0]!);
  }

  /**
   * Helpers with an inline form: the JIT's own (bpf_jit_inlines_helper_call) and the verifier's tracing
   * fixups, which read the trampoline's ctx: IP at ctx − 16, argument count at ctx − 8, return value after
   * the arguments. R1 is the ctx at these calls (their prototypes take ARG_PTR_TO_CTX).
   */
  function emitInlinedHelper(id: number): boolean {
    const r0 = X[7]!;
    const ctx = X[0]!;
    switch (id) {
      case INLINED_HELPERS.get_smp_processor_id:
        a.mrs(X[TMP1]!, 'sp_el0');
        a.ldr(W[7]!, X[TMP1]!, THREAD_INFO_CPU);
        return true;
      case INLINED_HELPERS.get_current_task:
      case INLINED_HELPERS.get_current_task_btf:
        a.mrs(r0, 'sp_el0');
        return true;
      case INLINED_HELPERS.get_func_ip:
        a.ldr(r0, ctx, -16);
        return true;
      case INLINED_HELPERS.get_func_arg_cnt:
        a.ldr(r0, ctx, -8);
        return true;
      case INLINED_HELPERS.get_func_arg: {
        // r0 = nr_args; if (u32)idx >= r0: *value = 0, r0 = -EINVAL; else *value = ctx[idx], r0 = 0.
        const bad = a.label();
        const done = a.label();
        a.ldr(r0, ctx, -8);
        a.mov(W[TMP1]!, W[1]!); // the index is a u32
        a.cmp(X[TMP1]!, r0);
        a.bCond('hs', bad);
        a.ldr(r0, ctx, X[TMP1]!, { extend: 'lsl', shifted: true });
        a.str(r0, X[2]!);
        a.movz(r0, 0);
        a.b(done);
        a.bind(bad);
        a.str(XZR, X[2]!);
        a.movImm(r0, -EINVAL);
        a.bind(done);
        return true;
      }
      case INLINED_HELPERS.get_func_ret:
        if (o.attachType === 'fentry') {
          a.movImm(r0, -EOPNOTSUPP);
          return true;
        }
        a.ldr(X[2]!, ctx, -8); // r3 = nr_args; r3 = ctx[nr_args] (the return value slot)
        a.ldr(X[2]!, ctx, X[2]!, { extend: 'lsl', shifted: true });
        a.str(X[2]!, X[1]!);
        a.movz(r0, 0);
        return true;
    }
    return false;
  }

  function emitAtomic(e: OpcodeEntry, dst: number, src: number, off: number): void {
    const wide = e.size === 8;
    const addr = X[TMP1]!;
    const [base, adj] = memBase(dst, off);
    if (adj === 0) a.mov(addr, base);
    else
      immOr(
        () => void a.add(addr, base, adj),
        () => {
          a.movImm(addr, BigInt(adj));
          a.add(addr, addr, base);
        },
      );
    const s = rr(src, wide);
    const r0 = rr(0, wide);
    if (o.atomics === 'lse') {
      if (e.op === 'CMPXCHG') {
        a.mov(t2(wide), r0);
        a.atomic('casal', t2(wide), s, addr);
        a.mov(r0, t2(wide));
        return;
      }
      if (e.op === 'XCHG') {
        a.atomic('swpal', s, s, addr);
        return;
      }
      let operand = s;
      if (e.op === 'AND') {
        a.mvn(t2(wide), s);
        operand = t2(wide);
      }
      const base = { ADD: 'add', AND: 'clr', OR: 'set', XOR: 'eor' }[e.op as 'ADD' | 'AND' | 'OR' | 'XOR'];
      if (e.fetch === true) a.atomic(`ld${base}al` as 'ldaddal', operand, s, addr);
      else a.atomicStore(`st${base}` as 'stadd', operand, addr);
      return;
    }
    // LL/SC loops (§1.7): ldxr / op / st[l]xr / cbnz; fetching forms end with dmb ish.
    const loop = a.here();
    const old = t2(wide);
    const status = W[AX]!;
    if (e.op === 'CMPXCHG') {
      const out = a.label();
      a.ldxr(old, addr);
      a.eor(t3(wide), old, r0);
      a.cbnz(t3(wide), out);
      a.stlxr(status, s, addr);
      a.cbnz(status, loop);
      a.dmb('ish');
      a.bind(out);
      a.mov(r0, old);
      return;
    }
    a.ldxr(old, addr);
    const value = t3(wide);
    if (e.op === 'XCHG') a.mov(value, s);
    else if (e.op === 'ADD') a.add(value, old, s);
    else if (e.op === 'AND') a.and(value, old, s);
    else if (e.op === 'OR') a.orr(value, old, s);
    else a.eor(value, old, s);
    if (e.fetch === true) {
      a.stlxr(status, value, addr);
      a.cbnz(status, loop);
      a.dmb('ish');
      a.mov(s, old);
    } else {
      a.stxr(status, value, addr);
      a.cbnz(status, loop);
    }
  }
}

/** B/BL reach: [−128 MiB, +128 MiB). */
export function inBlRange(from: bigint, to: bigint): boolean {
  const d = to - from;
  return d >= -(1n << 27n) && d < 1n << 27n;
}
