/**
 * The arm64 BPF trampoline generator (arch_prepare_bpf_trampoline; facts: shared/facts/bpf-arm64.md §2.3,
 * §2.4): the code a patch site `mov x9, lr ; bl <tramp>` reaches, with x9 = the parent's return address,
 * LR = the traced function's "self ip" (the instruction after the BL) and x0–x7 = its arguments.
 *
 *   bti jc ; {fp, x9} frame ; {fp, lr} frame ; sub sp
 *   [IP_ARG: ip → ctx−16] ; nargs → ctx−8 ; x0..x(n−1) → arg slots ; save x19, x20
 *   [CALL_ORIG: __bpf_tramp_enter(im)]
 *   fentry progs ; [fmod_ret: retval = 0 ; each prog, then `cbnz x10, fexit`]
 *   [CALL_ORIG: reload args ; ldr x10, self ip ; adr lr, #8 ; ret x10 ; str x0 → retval ; ip_after_call: nop]
 *   fexit: fexit progs ; [CALL_ORIG: ip_epilogue: __bpf_tramp_exit(im)]
 *   [RESTORE_REGS: reload args] ; restore x19, x20 ; [x0 = retval] ; mov sp, x29 ; pop both frames
 *   SKIP_FRAME: mov lr, x9 ; ret x9        else: mov x10, lr ; mov lr, x9 ; ret x10
 *
 * The original is called with `adr lr, #8 ; ret x10` (2023 fix, facts §2.3): RET is not a BTI-checked
 * branch, whereas the v6.0 `blr x10` lands on the instruction after the patch site, which is not a landing
 * pad. `origCall: 'blr'` reproduces the v6.0 shape so the fault can be shown.
 *
 * Every instruction goes through `Asm`; calls are `bl` when the target is within ±128 MiB of the call,
 * else the kernel's fixed MOVN/MOVK/MOVK into x10 + `blr x10` (emit_call).
 */
import { Asm } from '../a64/asm.js';
import { X, XZR, SP, FP, LR } from '../a64/builder.js';
import { KernelError } from '../util/errors.js';
import { BPF_TRAMP_F, TRAMP_REG_ARGS, TRAMP_RUN_CTX, trampFrame, type TrampFrame } from './frame.js';
import type { TrampProg, TrampRuntime } from './runtime.js';

/** Kinds of trampoline links (enum bpf_tramp_prog_type). */
export type TrampKind = 'fentry' | 'fexit' | 'fmod_ret';
export const TRAMP_KINDS: readonly TrampKind[] = ['fentry', 'fexit', 'fmod_ret'];

/** One attached program with its cookie (struct bpf_tramp_link). */
export interface TrampLink {
  readonly prog: TrampProg;
  readonly kind: TrampKind;
  readonly cookie: bigint;
}

/** What the generator needs about the traced function (from its BTF function model). */
export interface TrampFuncModel {
  readonly name: string;
  /** Argument sizes in bytes, in order (≤ 8 each). */
  readonly argSizes: readonly number[];
  /** 0 for void. */
  readonly returnSize: number;
  /** Reasons the function cannot be traced (struct by value, variadic …); empty when fine. */
  readonly unsupported?: readonly string[];
}

/** At most this many arguments on arm64 v6.0–v6.15 (registers only). */
export const MAX_TRAMP_REG_ARGS = TRAMP_REG_ARGS;
/** MAX_BPF_FUNC_ARGS: with stack arguments (v6.16, "Support up to 12 function arguments"). */
export const MAX_TRAMP_ARGS = 12;

export interface GenerateInput {
  /** Where the image will live (branch offsets depend on it). */
  readonly base: bigint;
  /** The traced function's address (stored at ctx − 16 with IP_ARG). */
  readonly funcAddr: bigint;
  readonly model: TrampFuncModel;
  readonly links: Readonly<Record<TrampKind, readonly TrampLink[]>>;
  readonly flags: number;
  /** Address of the image's struct bpf_tramp_image (x0 of __bpf_tramp_enter/exit). */
  readonly im: bigint;
  readonly rt: Pick<TrampRuntime, 'enter' | 'exit' | 'trampEnter' | 'trampExit'>;
  readonly bti: boolean;
  /** How the original is called: 'ret' (current kernels) or 'blr' (v6.0, faults under BTI). */
  readonly origCall?: 'ret' | 'blr';
  /** Take up to 12 arguments, those beyond x7 from the stack (v6.16); default: 8 register arguments. */
  readonly stackArgs?: boolean;
}

export interface GeneratedTrampoline {
  readonly bytes: Uint8Array;
  readonly words: readonly number[];
  readonly frame: TrampFrame;
  /** The NOP that bpf_tramp_image_put patches to `b ipEpilogue` (CALL_ORIG only). */
  readonly ipAfterCall: bigint | undefined;
  readonly ipEpilogue: bigint | undefined;
  /** Where the original returns to inside the trampoline (CALL_ORIG only). */
  readonly retAddr: bigint | undefined;
}

/** Flags bpf_trampoline_update computes from the links (facts §2.5). */
export function trampFlagsFor(links: Readonly<Record<TrampKind, readonly TrampLink[]>>): number {
  let flags = 0;
  if (links.fexit.length > 0 || links.fmod_ret.length > 0)
    flags |= BPF_TRAMP_F.CALL_ORIG | BPF_TRAMP_F.SKIP_FRAME;
  else flags |= BPF_TRAMP_F.RESTORE_REGS;
  for (const k of TRAMP_KINDS) if (links[k].some((l) => l.prog.usesFuncIp)) flags |= BPF_TRAMP_F.IP_ARG;
  return flags;
}

/** Check a function model against the arm64 limits: ≤ 8 register arguments, none larger than 8 bytes. */
export function checkModel(model: TrampFuncModel, stackArgs = false): void {
  if (model.unsupported && model.unsupported.length > 0)
    throw new KernelError(
      'ENOTSUPP',
      `${model.name}: the arm64 trampoline cannot take it (${model.unsupported.join('; ')})`,
    );
  const max = stackArgs ? MAX_TRAMP_ARGS : MAX_TRAMP_REG_ARGS;
  if (model.argSizes.length > max)
    throw new KernelError(
      'ENOTSUPP',
      stackArgs
        ? `${model.name} has ${model.argSizes.length} arguments; the arm64 trampoline takes at most ${MAX_TRAMP_ARGS} (MAX_BPF_FUNC_ARGS)`
        : `${model.name} has ${model.argSizes.length} arguments; the arm64 trampoline takes at most ${MAX_TRAMP_REG_ARGS} register arguments (stack arguments arrived in v6.16: stackArgs)`,
    );
  model.argSizes.forEach((s, i) => {
    if (s > 8)
      throw new KernelError(
        'ENOTSUPP',
        `${model.name} argument ${i} is ${s} bytes (a struct by value); the v6.0 arm64 trampoline takes only scalars`,
      );
  });
}

const REACH = 128n * 1024n * 1024n;

/** emit_call: BL when in reach of this instruction, else MOVN/MOVK/MOVK x10 + BLR x10. */
function emitCall(a: Asm, target: bigint): void {
  const off = target - a.pc;
  if (off >= -REACH && off < REACH) a.bl(target);
  else {
    a.movAddr48(X[10]!, target);
    a.blr(X[10]!);
  }
}

/** invoke_bpf_prog: cookie → run ctx, enter, run the program on the ctx unless enter said skip, exit. */
function invokeProg(a: Asm, f: TrampFrame, l: TrampLink, rt: GenerateInput['rt'], saveRet: boolean): void {
  const cookieOff = f.runCtxOff + TRAMP_RUN_CTX.COOKIE;
  if (l.cookie === 0n) a.str(XZR, SP, cookieOff);
  else {
    a.movImm(X[10]!, BigInt.asUintN(64, l.cookie));
    a.str(X[10]!, SP, cookieOff);
  }
  a.movAddr48(X[19]!, l.prog.progStruct);
  a.mov(X[0]!, X[19]!);
  a.add(X[1]!, SP, f.runCtxOff);
  emitCall(a, rt.enter);
  a.mov(X[20]!, X[0]!);
  const skip = a.label('skip');
  a.cbz(X[0]!, skip);
  a.add(X[0]!, SP, f.bargsOff);
  emitCall(a, l.prog.bpfFunc);
  if (saveRet) a.str(X[0]!, SP, f.retvalOff!);
  a.bind(skip);
  a.mov(X[0]!, X[19]!);
  a.mov(X[1]!, X[20]!);
  a.add(X[2]!, SP, f.runCtxOff);
  emitCall(a, rt.exit);
}

/** Generate a trampoline image at `input.base`. */
export function generateTrampoline(input: GenerateInput): GeneratedTrampoline {
  const { model, links, flags, rt } = input;
  checkModel(model, input.stackArgs);
  if (flags & BPF_TRAMP_F.RESTORE_REGS && flags & BPF_TRAMP_F.SKIP_FRAME)
    throw new KernelError('EINVAL', 'RESTORE_REGS and SKIP_FRAME must not be set together');
  const nargs = model.argSizes.length;
  const f = trampFrame(nargs, flags);
  const callOrig = (flags & BPF_TRAMP_F.CALL_ORIG) !== 0;
  const saveRet = (flags & (BPF_TRAMP_F.CALL_ORIG | BPF_TRAMP_F.RET_FENTRY_RET)) !== 0;
  const a = new Asm(input.base);

  if (input.bti) a.bti('jc');
  // Frame record for the parent ({fp, x9}), then for the traced function ({fp, lr}); x29 → the second.
  a.push(FP, X[9]!);
  a.mov(FP, SP);
  a.push(FP, LR);
  a.mov(FP, SP);
  a.sub(SP, SP, f.stackSize);

  if (f.ipOff !== undefined) {
    a.movAddr48(X[10]!, input.funcAddr);
    a.str(X[10]!, SP, f.ipOff);
  }
  a.movz(X[10]!, nargs);
  a.str(X[10]!, SP, f.nargsOff);
  const nreg = nargs - f.nstack;
  for (let i = 0; i < nreg; i++) a.str(X[i]!, SP, f.bargsOff + 8 * i);
  // Stack arguments: the traced function's incoming SP is FP + 32 (above the two frame records).
  for (let j = 0; j < f.nstack; j++) {
    a.ldr(X[10]!, FP, 32 + 8 * j);
    a.str(X[10]!, SP, f.bargsOff + 8 * (nreg + j));
  }
  a.str(X[19]!, SP, f.regsOff);
  a.str(X[20]!, SP, f.regsOff + 8);

  if (callOrig) {
    a.movAddr48(X[0]!, input.im);
    emitCall(a, rt.trampEnter);
  }
  for (const l of links.fentry) invokeProg(a, f, l, rt, (flags & BPF_TRAMP_F.RET_FENTRY_RET) !== 0);

  const doFexit = a.label('do_fexit');
  if (links.fmod_ret.length > 0) {
    // The first fmod_ret program sees 0 as the return value; a non-zero one skips the original.
    a.str(XZR, SP, f.retvalOff!);
    for (const l of links.fmod_ret) {
      invokeProg(a, f, l, rt, true);
      a.ldr(X[10]!, SP, f.retvalOff!);
      a.cbnz(X[10]!, doFexit);
    }
  }

  let ipAfterCall: bigint | undefined;
  let ipEpilogue: bigint | undefined;
  let retAddr: bigint | undefined;
  if (callOrig) {
    for (let i = 0; i < nreg; i++) a.ldr(X[i]!, SP, f.bargsOff + 8 * i);
    // The original finds its stack arguments at its incoming SP, this frame's bottom.
    for (let j = 0; j < f.nstack; j++) {
      a.ldr(X[10]!, SP, f.bargsOff + 8 * (nreg + j));
      a.str(X[10]!, SP, f.oargsOff + 8 * j);
    }
    a.ldr(X[10]!, SP, f.retaddrOff);
    if (input.origCall === 'blr') a.blr(X[10]!);
    else {
      // adr lr, #8 ; ret x10 — the original returns to the instruction after the RET.
      a.adr(LR, a.pc + 8n);
      a.ret(X[10]!);
    }
    retAddr = a.pc;
    a.str(X[0]!, SP, f.retvalOff!);
    ipAfterCall = a.pc;
    a.nop();
  }
  a.bind(doFexit);
  for (const l of links.fexit) invokeProg(a, f, l, rt, false);

  if (callOrig) {
    ipEpilogue = a.pc;
    a.movAddr48(X[0]!, input.im);
    emitCall(a, rt.trampExit);
  }
  // Stack arguments need no restoring: the traced function's own stack still holds them.
  if (flags & BPF_TRAMP_F.RESTORE_REGS) for (let i = 0; i < nreg; i++) a.ldr(X[i]!, SP, f.bargsOff + 8 * i);
  a.ldr(X[19]!, SP, f.regsOff);
  a.ldr(X[20]!, SP, f.regsOff + 8);
  if (saveRet) a.ldr(X[0]!, SP, f.retvalOff!);
  a.mov(SP, FP);
  a.pop(FP, LR); // LR = self ip
  a.pop(FP, X[9]!); // x9 = parent ip
  if (flags & BPF_TRAMP_F.SKIP_FRAME) {
    // The traced function already ran: return to its caller.
    a.mov(LR, X[9]!);
    a.ret(X[9]!);
  } else {
    // Back into the traced function after the patch site, with LR = its caller again.
    a.mov(X[10]!, LR);
    a.mov(LR, X[9]!);
    a.ret(X[10]!);
  }
  const built = a.finish();
  return { bytes: built.bytes, words: built.words, frame: f, ipAfterCall, ipEpilogue, retAddr };
}
