/**
 * The A64 text of the live ftrace layer, assembled with our builder when ftrace is attached to a kernel
 * (the model's arch/arm64/kernel/entry-ftrace.S plus the kernel/trace/ftrace.c routines that sit on the
 * traced path). Facts: shared/facts/ftrace-arm64.md §2.1–2.4, §4.5, §5.2. Nothing here is copied: the
 * instruction lists follow the facts' step lists.
 *
 * `ftrace_caller` is a family, one member per kernel:
 *
 *   frame 'args' (v6.2+)  struct ftrace_regs (112 B) + two frame records (32 B); exits through
 *                         ftrace_caller_direct_late when fregs->direct_tramp was set (§2.3 step 7–8).
 *   frame 'regs' (≤v6.1)  the seed era's ftrace_regs_caller: a full pt_regs (x0–x29 saved, regs[30] = x9,
 *                         sp, pc) + the callsite frame record above it and ftrace's own record inside it
 *                         (S_STACKFRAME); a direct trampoline is requested through pt_regs->orig_x0, as
 *                         Xu Kuohai's v5 series did (x86 uses orig_ax), and reached by a tail call.
 *
 *   dispatch 'callops'    the per-callsite ops literal: `bic x11, x30, #7; ldr x11, [x11, #-16]`, then the
 *                         early `br x17` when ops->direct_call is set, before anything is saved; the
 *                         callback is `op->func` of that ops.
 *   dispatch 'global'     `function_trace_op` and the patchable `bl` at `ftrace_call` (rewritten by
 *                         FtraceKernel as update_ftrace_function / ftrace_update_ftrace_func do).
 *
 * Both tail calls enter the direct trampoline with the §2.4 convention: x30 = the return address into the
 * traced function (BL slot + 4), x9 = the traced function's own return address, SP and x0–x8 as at the call
 * site, through `br x17` (a `bti c` landing pad accepts it and the return stack stays balanced).
 *
 * Every routine reachable by `blr` starts with `bti c` (kernel text is a guarded page when BTI is on).
 *
 * The frames (offsets from FREGS / PT_REGS in abi.ts; SP at the call site is at the top):
 *
 *   frame 'args' (144 bytes)                     frame 'regs' (352 bytes)
 *   sp+128  { x29, x9 }   callsite record         sp+336  { x29, x9 }   callsite record
 *   sp+112  { sp+128, x30 } ftrace_caller's       sp+304  { sp+336, x30 } S_STACKFRAME (ours)
 *   sp+104  pc      = x30 (BL slot + 4)           sp+272  orig_x0 = direct trampoline (0 = none)
 *   sp+96   sp      = call-site SP                sp+256  pc      = x30
 *   sp+88   lr      = x9 (parent return)          sp+248  sp      = call-site SP
 *   sp+80   fp      = x29                         sp+240  regs[30] = x9
 *   sp+72   direct_tramp (0 = none)               sp+0    regs[0..29] = x0–x29 (x11/x17 already hold
 *   sp+0    x0–x8                                         the literal / direct_call with CALL_OPS)
 *
 * x29 points at ftrace's own record while callbacks run, so an unwinder walks callback → ftrace_caller →
 * traced function (at pc) → its caller (at x9).
 */
import { Asm } from '../../a64/asm.js';
import { LR, SP, X, XZR, type Label } from '../../a64/builder.js';
import {
  FRAME_LAYOUTS,
  FRAME_RECORDS_SIZE,
  FREGS,
  FTRACE_OPS,
  MEM_HASH,
  PT_REGS,
  TASK_TRACE_RECURSION,
  TRACE_LIST_BIT,
  type FrameKind,
} from './abi.js';

export type CallerDispatch = 'callops' | 'global';

/** One member of the ftrace_caller family. */
export interface CallerConfig {
  readonly frame: FrameKind;
  readonly dispatch: CallerDispatch;
}

/** Image data the text refers to (8-byte aligned words in the kernel image's data). */
export interface FtraceTextData {
  /** `function_trace_op`: the ops pointer passed to the global callback ('global' dispatch). */
  readonly functionTraceOp: bigint;
  /** `ftrace_ops_list`: head of the in-memory ops list (0-terminated, linked through ops->next). */
  readonly opsList: bigint;
}

export interface FtraceSymbol {
  readonly name: string;
  readonly address: bigint;
  readonly size: bigint;
}

export interface FtraceText {
  readonly base: bigint;
  readonly bytes: Uint8Array;
  /** Entry of the caller (`ftrace_caller`, or `ftrace_regs_caller` for the 'regs' frame). */
  readonly caller: bigint;
  /** `ftrace_call`: the patchable `bl` ('global' dispatch only). */
  readonly ftraceCall: bigint | undefined;
  readonly stub: bigint;
  readonly nopFunc: bigint;
  readonly listFunc: bigint;
  readonly callDirectFuncs: bigint;
  readonly stubDirectTramp: bigint;
  readonly hashContains: bigint;
  /** Symbols for kallsyms, with sizes. */
  readonly symbols: readonly FtraceSymbol[];
}

/** The frame ftrace_caller pushes (frame + frame records), a multiple of 16. */
export function callerFrameSize(frame: FrameKind): number {
  return frame === 'args' ? FREGS.SIZE + FRAME_RECORDS_SIZE : PT_REGS.SIZE + 16;
}

/** xd = *(u64 *)addr, as ldr_l: adrp + ldr with the low 12 bits (addr must be 8-byte aligned). */
function ldrL(a: Asm, rd: number, addr: bigint): void {
  a.adrp(X[rd]!, addr & ~0xfffn);
  a.ldr(X[rd]!, X[rd]!, Number(addr & 0xfffn));
}

/**
 * Per-callsite ops (CALL_OPS): LR points 16 (no BTI) or 20 (BTI) bytes past the 8-byte-aligned literal,
 * so aligning it down and stepping back 16 finds the literal in both layouts (§2.3 step 2); then the early
 * direct path (step 3).
 */
function emitCallOpsPrologue(a: Asm, direct: Label): void {
  a.bic(X[11]!, LR, 7);
  a.ldr(X[11]!, X[11]!, -16);
  a.ldr(X[17]!, X[11]!, FTRACE_OPS.DIRECT_CALL);
  a.cbnz(X[17]!, direct);
}

/** The `args` frame: §2.3 step 4–5. */
function emitArgsEntry(a: Asm): void {
  a.mov(X[10]!, SP);
  a.sub(SP, SP, callerFrameSize('args'));
  for (let r = 0; r < 8; r += 2) a.stp(X[r]!, X[r + 1]!, SP, FREGS.X0 + 8 * r);
  a.str(X[8]!, SP, FREGS.X0 + 64);
  a.str(XZR, SP, FREGS.DIRECT_TRAMP);
  a.str(X[29]!, SP, FREGS.FP);
  a.str(X[9]!, SP, FREGS.LR);
  a.str(X[10]!, SP, FREGS.SP);
  a.str(LR, SP, FREGS.PC);
  // The callsite's frame record {x29, x9}, then ftrace_caller's own {x29, x30} below it.
  a.stp(X[29]!, X[9]!, SP, FREGS.SIZE + 16);
  a.add(X[29]!, SP, FREGS.SIZE + 16);
  a.stp(X[29]!, LR, SP, FREGS.SIZE);
  a.add(X[29]!, SP, FREGS.SIZE);
}

/** The `regs` frame (ftrace_regs_entry with allregs = 1 of v6.1, plus orig_x0 = 0 for the direct request). */
function emitRegsEntry(a: Asm): void {
  const size = callerFrameSize('regs');
  a.sub(SP, SP, size);
  for (let r = 0; r < 30; r += 2) a.stp(X[r]!, X[r + 1]!, SP, PT_REGS.X0 + 8 * r);
  a.add(X[10]!, SP, size);
  // regs[30] = x9 (the traced function's return address), sp = the call site's SP.
  a.stp(X[9]!, X[10]!, SP, PT_REGS.LR);
  a.str(LR, SP, PT_REGS.PC);
  a.str(XZR, SP, PT_REGS.ORIG_X0);
  // The callsite's frame record above pt_regs; ftrace's own record inside pt_regs (S_STACKFRAME).
  a.stp(X[29]!, X[9]!, SP, PT_REGS.SIZE);
  a.add(X[29]!, SP, PT_REGS.SIZE);
  a.stp(X[29]!, LR, SP, PT_REGS.STACKFRAME);
  a.add(X[29]!, SP, PT_REGS.STACKFRAME);
}

/**
 * Restore x0–x8 and x29, then either return into the traced function (x30 = frame.lr, `ret` to frame.pc —
 * so a callback that rewrote either takes effect) or, when the frame's direct field is set, swap to the
 * direct-trampoline convention and `br x17` (§2.3 step 7–8).
 */
function emitExit(a: Asm, frame: FrameKind, direct: Label): void {
  const L = FRAME_LAYOUTS[frame];
  const size = callerFrameSize(frame);
  for (let r = 0; r < 8; r += 2) a.ldp(X[r]!, X[r + 1]!, SP, L.x0 + 8 * r);
  a.ldr(X[8]!, SP, L.x0 + 64);
  a.ldr(X[29]!, SP, L.fp);
  a.ldr(X[17]!, SP, L.direct);
  const late = a.label(frame === 'args' ? 'ftrace_caller_direct_late' : 'ftrace_regs_caller_direct_late');
  a.cbnz(X[17]!, late);
  a.ldr(LR, SP, L.lr);
  a.ldr(X[9]!, SP, L.pc);
  a.add(SP, SP, size);
  a.ret(X[9]!);
  a.bind(late);
  a.ldr(X[9]!, SP, L.lr);
  a.ldr(LR, SP, L.pc);
  a.add(SP, SP, size);
  a.bind(direct);
  a.br(X[17]!);
}

/**
 * ftrace_hash_contains(hash x0, ip x1) → x0 = 1 if the sorted in-memory hash holds ip (binary search), else
 * 0. A NULL hash holds nothing. Leaf; clobbers x0–x7.
 */
function emitHashContains(a: Asm): void {
  const no = a.label();
  const yes = a.label();
  const loop = a.label();
  const higher = a.label();
  a.bti('c');
  a.cbz(X[0]!, no);
  a.ldr(X[5]!, X[0]!, MEM_HASH.COUNT); // hi
  a.add(X[3]!, X[0]!, MEM_HASH.IPS);
  a.mov(X[4]!, 0); // lo
  a.bind(loop);
  a.cmp(X[4]!, X[5]!);
  a.bCond('hs', no);
  a.add(X[6]!, X[4]!, X[5]!);
  a.lsr(X[6]!, X[6]!, 1);
  a.ldr(X[7]!, X[3]!, X[6]!, { shifted: true });
  a.cmp(X[7]!, X[1]!);
  a.bCond('eq', yes);
  a.bCond('lo', higher);
  a.mov(X[5]!, X[6]!);
  a.b(loop);
  a.bind(higher);
  a.add(X[4]!, X[6]!, 1);
  a.b(loop);
  a.bind(yes);
  a.mov(X[0]!, 1);
  a.ret();
  a.bind(no);
  a.mov(X[0]!, 0);
  a.ret();
}

/**
 * ftrace_ops_list_func(ip, parent_ip, op, fregs) (§4.5): trace_test_and_set_recursion on the current
 * task's trace_recursion word (a nested entry returns at once), then for each ops on ftrace_ops_list: skip
 * STUB, skip when notrace holds ip, skip when a non-empty filter lacks ip, else call op->func(ip,
 * parent_ip, op, fregs). The list is walked with plain loads of ops->next: removal publishes the next
 * pointer and frees the ops only after a grace period, so a walker never sees freed memory.
 */
function emitListFunc(a: Asm, data: FtraceTextData, hashContains: Label): void {
  const x = X;
  const loop = a.label();
  const next = a.label();
  const call = a.label();
  const done = a.label();
  const out = a.label();
  a.bti('c');
  a.stp(x[29]!, LR, SP, -64, 'pre');
  a.mov(x[29]!, SP);
  a.stp(x[19]!, x[20]!, SP, 16);
  a.stp(x[21]!, x[22]!, SP, 32);
  a.str(x[23]!, SP, 48);
  a.mov(x[19]!, x[0]!);
  a.mov(x[20]!, x[1]!);
  a.mov(x[21]!, x[3]!);
  a.mrs(x[22]!, 'SP_EL0');
  a.ldr(x[9]!, x[22]!, TASK_TRACE_RECURSION);
  a.tbnz(x[9]!, TRACE_LIST_BIT, out);
  a.orr(x[9]!, x[9]!, 1 << TRACE_LIST_BIT);
  a.str(x[9]!, x[22]!, TASK_TRACE_RECURSION);
  ldrL(a, 23, data.opsList);
  a.bind(loop);
  a.cbz(x[23]!, done);
  a.ldr(x[9]!, x[23]!, FTRACE_OPS.FLAGS);
  a.tbnz(x[9]!, 5 /* FTRACE_OPS_FL_STUB */, next);
  a.ldr(x[0]!, x[23]!, FTRACE_OPS.NOTRACE_HASH);
  a.mov(x[1]!, x[19]!);
  a.bl(hashContains);
  a.cbnz(x[0]!, next);
  a.ldr(x[0]!, x[23]!, FTRACE_OPS.FILTER_HASH);
  a.cbz(x[0]!, call);
  a.ldr(x[9]!, x[0]!, MEM_HASH.COUNT);
  a.cbz(x[9]!, call);
  a.mov(x[1]!, x[19]!);
  a.bl(hashContains);
  a.cbz(x[0]!, next);
  a.bind(call);
  a.mov(x[0]!, x[19]!);
  a.mov(x[1]!, x[20]!);
  a.mov(x[2]!, x[23]!);
  a.mov(x[3]!, x[21]!);
  a.ldr(x[9]!, x[23]!, FTRACE_OPS.FUNC);
  a.blr(x[9]!);
  a.bind(next);
  a.ldr(x[23]!, x[23]!, FTRACE_OPS.NEXT);
  a.b(loop);
  a.bind(done);
  a.ldr(x[9]!, x[22]!, TASK_TRACE_RECURSION);
  a.bic(x[9]!, x[9]!, 1 << TRACE_LIST_BIT);
  a.str(x[9]!, x[22]!, TASK_TRACE_RECURSION);
  a.bind(out);
  a.ldr(x[23]!, SP, 48);
  a.ldp(x[21]!, x[22]!, SP, 32);
  a.ldp(x[19]!, x[20]!, SP, 16);
  a.ldp(x[29]!, LR, SP, 64, 'post');
  a.ret();
}

/**
 * Assemble the whole ftrace text at `base`: the caller of `cfg`, ftrace_stub, ftrace_ops_nop_func,
 * ftrace_ops_list_func, ftrace_hash_contains, call_direct_funcs (arch_ftrace_set_direct_caller for the
 * frame kind) and ftrace_stub_direct_tramp.
 */
export function buildFtraceText(base: bigint, cfg: CallerConfig, data: FtraceTextData): FtraceText {
  const a = new Asm(base);
  const callerName = cfg.frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';
  const starts: [string, Label][] = [];
  const sym = (name: string): Label => {
    a.align(16);
    const l = a.here(name);
    starts.push([name, l]);
    return l;
  };
  const stub = a.label('ftrace_stub');
  const hashContains = a.label('ftrace_hash_contains');

  const caller = sym(callerName);
  const direct = a.label(cfg.frame === 'args' ? 'ftrace_caller_direct' : 'ftrace_regs_caller_direct');
  a.bti('c');
  if (cfg.dispatch === 'callops') emitCallOpsPrologue(a, direct);
  if (cfg.frame === 'args') emitArgsEntry(a);
  else emitRegsEntry(a);
  a.sub(X[0]!, LR, 4); // ip: the BL slot (rec->ip)
  a.mov(X[1]!, X[9]!); // parent_ip
  let ftraceCall: Label | undefined;
  if (cfg.dispatch === 'callops') {
    a.mov(X[2]!, X[11]!);
    a.ldr(X[4]!, X[2]!, FTRACE_OPS.FUNC);
    a.mov(X[3]!, SP);
    a.blr(X[4]!);
  } else {
    ldrL(a, 2, data.functionTraceOp);
    a.mov(X[3]!, SP);
    ftraceCall = a.here('ftrace_call');
    a.bl(stub);
  }
  emitExit(a, cfg.frame, direct);

  a.align(16);
  a.bind(stub);
  starts.push(['ftrace_stub', stub]);
  a.bti('c');
  a.ret();

  const nopFunc = sym('ftrace_ops_nop_func');
  a.bti('c');
  a.ret();

  a.align(16);
  a.bind(hashContains);
  starts.push(['ftrace_hash_contains', hashContains]);
  emitHashContains(a);

  const listFunc = sym('ftrace_ops_list_func');
  emitListFunc(a, data, hashContains);

  // call_direct_funcs(ip, pip, ops, frame): arch_ftrace_set_direct_caller(frame, READ_ONCE(ops->direct_call)).
  const callDirect = sym('call_direct_funcs');
  const none = a.label();
  a.bti('c');
  a.ldr(X[9]!, X[2]!, FTRACE_OPS.DIRECT_CALL);
  a.cbz(X[9]!, none);
  a.str(X[9]!, X[3]!, FRAME_LAYOUTS[cfg.frame].direct);
  a.bind(none);
  a.ret();

  // The minimal correct direct trampoline: back into the traced function with its own LR restored.
  const stubDirect = sym('ftrace_stub_direct_tramp');
  a.bti('c');
  a.mov(X[10]!, LR);
  a.mov(LR, X[9]!);
  a.ret(X[10]!);
  a.align(16);
  const end = a.pc;

  const built = a.finish();
  const addrOf = (l: Label): bigint => l.address!;
  const sorted = [...starts].sort((p, q) => (addrOf(p[1]) < addrOf(q[1]) ? -1 : 1));
  const symbols = sorted.map(([name, l], i) => ({
    name,
    address: addrOf(l),
    size: (i + 1 < sorted.length ? addrOf(sorted[i + 1]![1]) : end) - addrOf(l),
  }));
  return {
    base,
    bytes: built.bytes,
    caller: addrOf(caller),
    ftraceCall: ftraceCall?.address,
    stub: addrOf(stub),
    nopFunc: addrOf(nopFunc),
    listFunc: addrOf(listFunc),
    callDirectFuncs: addrOf(callDirect),
    stubDirectTramp: addrOf(stubDirect),
    hashContains: addrOf(hashContains),
    symbols,
  };
}
