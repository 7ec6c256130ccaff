/**
 * The A64 code of the `ops` strategy (Mark Rutland's suggestion in the seed thread, as Florent Revest's
 * fprobe RFC of Nov 2022 realised it; facts: shared/facts/ftrace-arm64.md §2.3, §8.2, bpf-arm64.md §2.4):
 * BPF is an ordinary, dynamically allocated ftrace op. Nothing here is copied from the kernel; the
 * instruction lists follow the facts and the trampoline generator's conventions (generator.ts).
 *
 *   bpf_fprobe_handler(ip, parent_ip, op, frame)        ops->func of every BPF op (one per kernel):
 *       `ldr x17, [op, #private] ; br x17` — the op's current entry code, swapped with one 8-byte store
 *       when programs are linked or unlinked (fprobe_handler → entry_handler has the same indirection).
 *
 *   bpf_fprobe_entry_<func>(ip, parent_ip, op, frame)    generated per function and program set:
 *       [rethook]  when fexit programs exist: push a return-stack entry {ret = frame->lr, func = ip,
 *                  fp = frame->fp, gops = the function's fprobe gops} (graph/abi.ts, the layout
 *                  ftrace_graph_func writes) and point frame->lr at return_to_handler — *before* the
 *                  programs run, so an fmod_ret override (`pc = lr`) also returns through the hook and
 *                  fexit sees the overriding value. A full return stack counts trace_overrun and runs
 *                  nothing, as fprobe counts a miss when no rethook node is free.
 *       the BPF ctx, built by copying x0..x(n−1) from the ftrace frame (the second save of the
 *       arguments: ftrace_caller saved them once): on this callback's stack, or, with a return hook, in
 *       the return-stack entry's data area so that fexit finds it; nargs at ctx − 8; the function address
 *       (ip − the record's BL-slot offset: 4, or 8 behind a BTI landing pad) at ctx − 16;
 *       fentry programs, then fmod_ret programs (the first sees 0 in the return slot; a non-zero result
 *       stops the chain, sets frame->x0 and frame->pc = bpf_fprobe_override, a bare `ret`: ftrace_caller
 *       returns there with x30 = frame->lr, so the function is skipped and the call returns to whatever
 *       frame->lr holds once *every* op ran — the caller, or return_to_handler when this or any later op
 *       hooked the return; reading frame->lr here instead would miss a return hook pushed after us),
 *       each program through __bpf_prog_enter/__bpf_prog_exit with a bpf_tramp_run_ctx (cookie).
 *
 *   bpf_fprobe_exit_<func>(ip, retval, parent_ip, gops, data)   the gops' retfunc, from return_to_handler:
 *       if the entry that pushed this return was of the same generation (else the call started before a
 *       link change and skips fexit, as a call inside a retired trampoline image does), the return value
 *       into ctx[nargs], then the fexit programs.
 *
 * Both generated routines start with `bti c` when BTI is on (reached by `br x17` / `blr`; the trampoline
 * generator likewise emits its landing pad only then) and keep a frame record, so an
 * unwinder inside a program sees callback → list function → ftrace_caller → traced function's caller.
 */
import { Asm } from '../../a64/asm.js';
import { LR, SP, X, XZR } from '../../a64/builder.js';
import { FRAME_LAYOUTS, FTRACE_OPS, type FrameKind } from '../../ftrace/arch/abi.js';
import { FGRAPH_OPS, RET_STACK_ENTRY } from '../../ftrace/graph/abi.js';
import { emitRetStackReserve, emitTraceOverrun } from '../../ftrace/graph/text.js';
import type { Kernel } from '../../kernel/kernel.js';
import { KernelError } from '../../util/errors.js';
import { TRAMP_RUN_CTX } from '../frame.js';
import { MAX_TRAMP_REG_ARGS, TRAMP_KINDS, type TrampKind, type TrampLink } from '../generator.js';
import type { TrampRuntime } from '../runtime.js';

/**
 * The entry callback's stack frame (offsets from SP after the prologue):
 *
 *   ARGS + 8·n  [ return value      ]  stack ctx only (no return hook)
 *   ARGS        [ arg 0 … arg n−1   ]  ← ctx (stack ctx only)
 *   NARGS       [ nargs             ]  ctx − 8
 *   IP          [ function address  ]  ctx − 16
 *   RUN_CTX     [ bpf_tramp_run_ctx ]  { cookie, saved_run_ctx }
 *   SAVED       [ x19 … x24         ]
 *   RECORD      [ x29, x30          ]  frame record (x29 → here)
 */
export const FPROBE_ENTRY_FRAME = {
  RECORD: 0,
  SAVED: 16,
  RUN_CTX: 64,
  IP: 80,
  NARGS: 88,
  ARGS: 96,
} as const;

/**
 * The ctx in a return-stack entry's data area (RET_STACK_ENTRY.DATA, 96 bytes = 12 u64), when fexit
 * programs make the entry push a return hook:
 *
 *   CTX + 8·n  [ return value ]  fmod_ret's chain value; the exit code stores the real one
 *   CTX        [ args         ]  ← ctx
 *   NARGS      [ nargs        ]
 *   IP         [ func address ]
 *   GEN        [ generation   ]  of the entry code that pushed it (the exit code skips other generations)
 */
export const FPROBE_DATA = {
  GEN: 0,
  IP: 8,
  NARGS: 16,
  CTX: 24,
} as const;

/** The exit callback's frame: record, x19/x20, x22, run ctx. */
export const FPROBE_EXIT_FRAME = {
  RECORD: 0,
  SAVED: 16,
  RUN_CTX: 48,
  SIZE: 64,
} as const;

/** What the generator needs for one function. */
export interface FprobeInput {
  /** Where the code will live (branch offsets depend on it). */
  readonly base: bigint;
  readonly frame: FrameKind;
  /** The traced function's address (kallsyms) and its BL slot (rec->ip, the callback's x0). */
  readonly funcAddr: bigint;
  readonly ip: bigint;
  readonly nargs: number;
  readonly links: Readonly<Record<TrampKind, readonly TrampLink[]>>;
  readonly rt: Pick<TrampRuntime, 'enter' | 'exit'>;
  /** bpf_fprobe_override (a bare `ret`), where an fmod_ret override sends ftrace_caller's return. */
  readonly overrideReturn: bigint;
  /** return_to_handler and the function's fgraph_ops-shaped struct (needed with fexit programs). */
  readonly returnToHandler: bigint;
  readonly gops: bigint;
  /** This program set's generation (stored at entry, checked at exit). */
  readonly generation: bigint;
  readonly bti: boolean;
}

export interface FprobeCode {
  readonly bytes: Uint8Array;
  readonly entry: bigint;
  /** Undefined without fexit programs. */
  readonly exit: bigint | undefined;
  readonly entrySize: number;
  readonly exitSize: number;
}

const REACH = 128n * 1024n * 1024n;
const x = (n: number): (typeof X)[number] => X[n]!;

/** BL when in reach, else the kernel's fixed MOVN/MOVK/MOVK x10 + BLR x10 (emit_call). */
function emitCall(a: Asm, target: bigint): void {
  const off = target - a.pc;
  if (off >= -REACH && off < REACH) a.bl(target);
  else {
    a.movAddr48(x(10), target);
    a.blr(x(10));
  }
}

/**
 * invoke_bpf_prog: cookie → run ctx (at SP + runCtx), x19 = prog, __bpf_prog_enter → x20, the program on
 * x22 (the ctx) unless enter said skip, [its result → ctx[retSlot]], __bpf_prog_exit.
 */
function invoke(a: Asm, l: TrampLink, rt: FprobeInput['rt'], runCtx: number, retSlot?: number): void {
  const cookie = runCtx + TRAMP_RUN_CTX.COOKIE;
  if (l.cookie === 0n) a.str(XZR, SP, cookie);
  else {
    a.movImm(x(10), BigInt.asUintN(64, l.cookie));
    a.str(x(10), SP, cookie);
  }
  a.movAddr48(x(19), l.prog.progStruct);
  a.mov(x(0), x(19));
  a.add(x(1), SP, runCtx);
  emitCall(a, rt.enter);
  a.mov(x(20), x(0));
  const skip = a.label('skip');
  a.cbz(x(0), skip);
  a.mov(x(0), x(22));
  emitCall(a, l.prog.bpfFunc);
  if (retSlot !== undefined) a.str(x(0), x(22), retSlot);
  a.bind(skip);
  a.mov(x(0), x(19));
  a.mov(x(1), x(20));
  a.add(x(2), SP, runCtx);
  emitCall(a, rt.exit);
}

/** Size of the entry frame for `nargs` arguments (stack ctx + return slot), 16-byte aligned. */
export function entryFrameSize(nargs: number): number {
  return Math.ceil((FPROBE_ENTRY_FRAME.ARGS + 8 * nargs + 8) / 16) * 16;
}

/** Generate bpf_fprobe_entry_<func> and, with fexit programs, bpf_fprobe_exit_<func> at `input.base`. */
export function generateFprobe(input: FprobeInput): FprobeCode {
  const { links, rt, nargs } = input;
  if (nargs > MAX_TRAMP_REG_ARGS)
    throw new KernelError(
      'ENOTSUPP',
      `the ops strategy copies at most ${MAX_TRAMP_REG_ARGS} register arguments from the ftrace frame; the function has ${nargs}`,
    );
  const slot = input.ip - input.funcAddr;
  if (slot !== 4n && slot !== 8n)
    throw new KernelError(
      'EINVAL',
      `BL slot 0x${input.ip.toString(16)} is ${slot} bytes past the function; an '=2' site has it at +4 (+8 behind BTI)`,
    );
  const L = FRAME_LAYOUTS[input.frame];
  const hook = links.fexit.length > 0;
  const usesIp = TRAMP_KINDS.some((k) => links[k].some((l) => l.prog.usesFuncIp));
  const F = FPROBE_ENTRY_FRAME;
  const size = entryFrameSize(nargs);
  const a = new Asm(input.base);

  // ---------------------------------------------------------------- entry
  const out = a.label('out');
  if (input.bti) a.bti('c');
  a.stp(x(29), LR, SP, -size, 'pre');
  a.mov(x(29), SP);
  a.stp(x(19), x(20), SP, F.SAVED);
  a.stp(x(21), x(22), SP, F.SAVED + 16);
  a.stp(x(23), x(24), SP, F.SAVED + 32);
  a.mov(x(21), x(3)); // the ftrace frame
  let ctxIp: number;
  let ctxNargs: number;
  if (hook) {
    const overrun = a.label('overrun');
    const body = a.label('body');
    a.mrs(x(23), 'SP_EL0'); // current
    emitRetStackReserve(a, { task: x(23), index: x(9), tmp: x(10), entry: x(24) }, overrun);
    a.ldr(x(10), x(21), L.lr);
    a.stp(x(10), x(0), x(24), RET_STACK_ENTRY.RET); // ret, func
    a.ldr(x(11), x(21), L.fp);
    a.movAddr48(x(12), input.gops);
    a.stp(x(11), x(12), x(24), RET_STACK_ENTRY.FP); // fp, gops
    a.movAddr48(x(10), input.returnToHandler);
    a.str(x(10), x(21), L.lr);
    a.add(x(22), x(24), RET_STACK_ENTRY.DATA + FPROBE_DATA.CTX);
    a.movImm(x(10), input.generation);
    a.str(x(10), x(22), FPROBE_DATA.GEN - FPROBE_DATA.CTX);
    a.b(body);
    a.bind(overrun);
    emitTraceOverrun(a, x(23), x(9));
    a.b(out);
    a.bind(body);
    ctxIp = FPROBE_DATA.IP - FPROBE_DATA.CTX;
    ctxNargs = FPROBE_DATA.NARGS - FPROBE_DATA.CTX;
  } else {
    a.add(x(22), SP, F.ARGS);
    ctxIp = F.IP - F.ARGS;
    ctxNargs = F.NARGS - F.ARGS;
  }
  // With a return hook the exit code of a later generation may want the IP, so it is always stored there.
  if (usesIp || hook) {
    a.sub(x(10), x(0), Number(slot));
    a.str(x(10), x(22), ctxIp);
  }
  a.movz(x(10), nargs);
  a.str(x(10), x(22), ctxNargs);
  // The second save: the arguments, loaded from the frame ftrace_caller saved, stored into the ctx.
  for (let i = 0; i + 1 < nargs; i += 2) {
    a.ldp(x(10), x(11), x(21), L.x0 + 8 * i);
    a.stp(x(10), x(11), x(22), 8 * i);
  }
  if (nargs % 2 === 1) {
    a.ldr(x(10), x(21), L.x0 + 8 * (nargs - 1));
    a.str(x(10), x(22), 8 * (nargs - 1));
  }
  for (const l of links.fentry) invoke(a, l, rt, F.RUN_CTX);
  if (links.fmod_ret.length > 0) {
    const override = a.label('override');
    const ret = 8 * nargs;
    a.str(XZR, x(22), ret);
    for (const l of links.fmod_ret) {
      invoke(a, l, rt, F.RUN_CTX, ret);
      a.ldr(x(10), x(22), ret);
      a.cbnz(x(10), override);
    }
    a.b(out);
    // The function is skipped: ftrace_caller restores x0 = the result, x30 = frame->lr as the last op
    // left it, and returns to frame->pc = bpf_fprobe_override, whose `ret` goes to x30.
    a.bind(override);
    a.str(x(10), x(21), L.x0);
    a.movAddr48(x(11), input.overrideReturn);
    a.str(x(11), x(21), L.pc);
  }
  a.bind(out);
  a.ldp(x(23), x(24), SP, F.SAVED + 32);
  a.ldp(x(21), x(22), SP, F.SAVED + 16);
  a.ldp(x(19), x(20), SP, F.SAVED);
  a.ldp(x(29), LR, SP, size, 'post');
  a.ret();
  const entrySize = Number(a.pc - input.base);

  // ---------------------------------------------------------------- exit
  let exit: bigint | undefined;
  if (hook) {
    a.align(16);
    exit = a.pc;
    const E = FPROBE_EXIT_FRAME;
    const done = a.label('done');
    if (input.bti) a.bti('c');
    a.stp(x(29), LR, SP, -E.SIZE, 'pre');
    a.mov(x(29), SP);
    a.stp(x(19), x(20), SP, E.SAVED);
    a.str(x(22), SP, E.SAVED + 16);
    a.add(x(22), x(4), FPROBE_DATA.CTX);
    a.ldr(x(10), x(22), FPROBE_DATA.GEN - FPROBE_DATA.CTX);
    a.movImm(x(11), input.generation);
    a.cmp(x(10), x(11));
    a.bCond('ne', done);
    a.str(x(1), x(22), 8 * nargs);
    for (const l of links.fexit) invoke(a, l, rt, E.RUN_CTX);
    a.bind(done);
    a.ldr(x(22), SP, E.SAVED + 16);
    a.ldp(x(19), x(20), SP, E.SAVED);
    a.ldp(x(29), LR, SP, E.SIZE, 'post');
    a.ret();
  }
  const exitSize = exit === undefined ? 0 : Number(a.pc - exit);
  return { bytes: a.finish().bytes, entry: input.base, exit, entrySize, exitSize };
}

/** The per-kernel routines every function's code shares. */
export interface FprobeText {
  /** bpf_fprobe_handler: `bti c ; ldr x17, [x2, #private] ; br x17` (ops->func of every BPF op). */
  readonly handler: bigint;
  /** bpf_fprobe_override: `ret` — ftrace_caller's return target after an fmod_ret override. */
  readonly override: bigint;
}

const texts = new WeakMap<Kernel, FprobeText>();

/** The shared routines of `kernel` (installed into image text on first use). */
export function fprobeText(kernel: Kernel): FprobeText {
  const have = texts.get(kernel);
  if (have !== undefined) return have;
  const r = kernel.imageAlloc(32, 'text', 16);
  const a = new Asm(r.address);
  if (kernel.bti) a.bti('c');
  a.ldr(x(17), x(2), FTRACE_OPS.PRIVATE);
  a.br(x(17));
  a.align(16);
  const override = a.pc;
  // Reached by ftrace_caller's `ret x9`: a RET is not a BTI-checked branch, so no landing pad is needed.
  a.ret();
  kernel.writeText(r.address, a.finish().bytes);
  kernel.kallsyms.add({
    name: 'bpf_fprobe_handler',
    address: r.address,
    size: override - r.address,
    type: 'T',
  });
  kernel.kallsyms.add({ name: 'bpf_fprobe_override', address: override, size: 4n, type: 'T' });
  const t = { handler: r.address, override };
  texts.set(kernel, t);
  return t;
}

/** Bytes of the fgraph_ops-shaped struct a function's return hook names (only RETFUNC is read). */
export const FPROBE_GOPS_SIZE = FGRAPH_OPS.SIZE;
