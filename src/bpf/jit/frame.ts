/**
 * What the JIT decides before emitting: the register map, how a linked program splits into functions (the
 * main program and each bpf-to-bpf call target), each function's stack depth, and which callee-saved
 * registers it touches (only those are pushed, facts §1.3 step 8).
 */
import { lookupEntry, isWide, type BpfInsn } from '../isa/insn.js';
import { KernelError } from '../../util/errors.js';

/** bpf2a64[]: BPF register → A64 register number. */
export const BPF2A64: readonly number[] = [7, 0, 1, 2, 3, 4, 19, 20, 21, 22, 25];
export const TMP1 = 10;
export const TMP2 = 11;
export const TMP3 = 12;
/** BPF_REG_AX: scratch in the LL/SC fetch forms. */
export const AX = 9;
/** Tail-call counter pointer (v6.12+). */
export const TCCNT_PTR = 26;
/** thread_info.cpu in the model's task_struct (bpf_get_smp_processor_id's inline load). */
export { THREAD_INFO_CPU } from '../../kernel/kernel.js';

const MAX_BPF_STACK = 512;

export interface FunctionInfo {
  /** First BPF slot of the function. */
  start: number;
  /** One past its last slot. */
  end: number;
  stackDepth: number;
  /** A64 callee-saved registers pushed (in push order, pairs padded with xzr = 31). */
  saved: number[];
  /** Bytes between entry SP and SP after the prologue. */
  frameBytes: number;
}

/** A program the JIT cannot translate. */
export class JitError extends KernelError {}

/** Split a linked program into functions: the main program at 0, and every bpf-to-bpf call target. */
export function splitFunctions(prog: readonly BpfInsn[]): { start: number; end: number }[] {
  const starts = new Set<number>([0]);
  for (let i = 0; i < prog.length; i++) {
    const insn = prog[i]!;
    const e = lookupEntry(insn, i);
    if (e.shape === 'call_local') {
      const t = i + 1 + insn.imm;
      if (t < 0 || t >= prog.length)
        throw new JitError(
          'EINVAL',
          `insn ${i}: call to insn ${t} is outside the program (0..${prog.length - 1})`,
        );
      starts.add(t);
    }
    if (isWide(insn)) i++;
  }
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((s, k) => ({ start: s, end: sorted[k + 1] ?? prog.length }));
}

/**
 * The stack depth a function needs (the verifier's stack_depth): the deepest constant FP-relative access,
 * or the whole MAX_BPF_STACK when R10 escapes into another register (its uses cannot be bounded here).
 */
export function stackDepth(prog: readonly BpfInsn[], start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const insn = prog[i]!;
    const e = lookupEntry(insn, i);
    const mem = e.kind === 'ldx' || e.kind === 'st' || e.kind === 'stx' || e.kind === 'atomic';
    const base = e.kind === 'ldx' ? insn.src : insn.dst;
    if (mem && base === 10) depth = Math.max(depth, -insn.off);
    else if (
      (e.shape === 'alu_x' || e.shape === 'jmp_x' || e.kind === 'stx' || e.kind === 'atomic') &&
      insn.src === 10
    )
      return MAX_BPF_STACK;
    if (isWide(insn)) i++;
  }
  return Math.min(MAX_BPF_STACK, Math.max(0, depth));
}

/** Which of R6–R9 and FP a function touches. */
export function usedCallee(prog: readonly BpfInsn[], start: number, end: number): number[] {
  const used = new Set<number>();
  for (let i = start; i < end; i++) {
    const insn = prog[i]!;
    const e = lookupEntry(insn, i);
    const fields = e.shape;
    const regs: number[] = [];
    if (
      fields !== 'ja' &&
      fields !== 'ja32' &&
      fields !== 'call_helper' &&
      fields !== 'call_local' &&
      fields !== 'exit'
    )
      regs.push(insn.dst);
    if (
      fields === 'alu_x' ||
      fields === 'jmp_x' ||
      fields === 'ldx' ||
      fields === 'stx' ||
      fields === 'atomic'
    )
      regs.push(insn.src);
    for (const r of regs) if (r >= 6) used.add(BPF2A64[r]!);
    if (isWide(insn)) i++;
  }
  return [19, 20, 21, 22, 25].filter((r) => used.has(r));
}

/**
 * The frame of one JITed function as named offsets from the SP it was called with (entry SP), the data the
 * codegen's frame diagram draws:
 *
 *   entry SP − 16   fpLr          [ x29 | lr ]
 *   entry SP − 32   tailCallSlot  [ xzr | x26 ] (main) / [ x26 | x26 ] (subprogram)
 *   …               calleeSaved   pairs of x19–x22, x25 (xzr padding), first pair highest
 *   bpfFp           BPF R10: the top of the BPF stack (x25 when FP is used)
 *   bpfFp − stack   sp            SP while the body runs
 */
export interface BpfFrameLayout {
  fpLr: number;
  tailCallSlot: number;
  calleeSaved: { reg: number; offset: number }[];
  bpfFp: number;
  stackSize: number;
  sp: number;
}

export function bpfFrameLayout(f: FunctionInfo): BpfFrameLayout {
  const calleeSaved = f.saved.map((reg, i) => ({
    reg,
    offset: -32 - 16 * (Math.floor(i / 2) + 1) + 8 * (i % 2),
  }));
  const bpfFp = -32 - 8 * f.saved.length;
  const stackSize = f.frameBytes - 32 - 8 * f.saved.length;
  return { fpLr: -16, tailCallSlot: -32, calleeSaved, bpfFp, stackSize, sp: bpfFp - stackSize };
}
