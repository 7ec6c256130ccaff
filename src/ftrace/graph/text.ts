/**
 * The A64 text of return hooking (function graph), assembled with our builder into kernel image text.
 * Facts: shared/facts/ftrace-arm64.md §2.3 (arm64 function graph is an ftrace_ops callback since
 * WITH_ARGS: ftrace_graph_func → prepare_ftrace_return(ip, &fregs->lr, fregs->fp); return_to_handler
 * saves x0–x7 + x29 in an 80-byte fgraph_ret_regs and calls ftrace_return_to_handler) and §1.4 (the patch
 * site is before PACIASP, so the lr being replaced is unsigned and the traced function signs
 * return_to_handler itself). The instruction lists are ours, written from those facts.
 *
 *   ftrace_graph_func(ip, parent_ip, op, frame)            an ops->func (reached by `blr`: `bti c`)
 *       unless an entry callback runs already (recursion) or the hook was removed: if the task's return
 *       stack is full → trace_overrun++ and leave the call alone; else reserve a slot (curr_ret_stack++
 *       first, so an interrupt nests above it), write {ret = frame->lr, func = ip, fp = frame->fp, gops},
 *       let the optional entry callback decide (it gets the slot's data area; 0 gives the slot back, as
 *       the kernel pops after a declining entryfunc), and point frame->lr at return_to_handler.
 *       ftrace_caller's exit loads frame->lr into x30 (args: fregs->lr; regs: pt_regs->regs[30]).
 *
 *   return_to_handler                                       reached by the traced function's `ret`
 *       fgraph_ret_regs {x0–x7, x29} + a frame record {x29, return_to_handler} above it, so an unwinder
 *       sees "called from return_to_handler" and recovers the real caller from the return stack (the
 *       model's choice: the kernel's record layout here differs, its recovery rule is the same); then
 *       x30 = ftrace_return_to_handler(regs), restore, `ret`.
 *
 *   ftrace_return_to_handler(regs) → original return address
 *       top entry; its fp must equal regs->fp (else `brk #BRK_GRAPH_BAD_FP`, the kernel's "Bad frame
 *       pointer"; an empty stack is `brk #BRK_GRAPH_EMPTY`); retfunc(func, x0, ret, gops, data) if the hook is
 *       still registered; only then curr_ret_stack-- — the entry stays while the exit callback runs, so a
 *       traced function called from it pushes above it and the unwinder can still recover this frame.
 *
 * Several graph ops on one function (a simpler model than the kernel's shared frame with a bitmap of
 * gops): each ops pushes its own entry and replaces the lr again, so the second entry's ret is
 * return_to_handler and the function returns through return_to_handler once per ops, newest first.
 */
import { Asm } from '../../a64/asm.js';
import { LR, SP, X, type Label, type Reg } from '../../a64/builder.js';
import { FRAME_LAYOUTS, TASK_TRACE_RECURSION, type FrameKind } from '../arch/abi.js';
import {
  BRK_GRAPH_BAD_FP,
  BRK_GRAPH_EMPTY,
  FGRAPH_OPS,
  FGRET_REGS,
  RET_STACK_ENTRY,
  RTH_FRAME,
  TASK_CURR_RET_STACK,
  TASK_RET_STACK,
  TASK_RET_STACK_DEPTH,
  TASK_TRACE_OVERRUN,
  TRACE_GRAPH_BIT,
} from './abi.js';

export interface GraphSymbol {
  readonly name: string;
  readonly address: bigint;
  readonly size: bigint;
}

export interface GraphText {
  readonly base: bigint;
  readonly bytes: Uint8Array;
  readonly graphFunc: bigint;
  readonly returnToHandler: bigint;
  readonly returnToHandlerC: bigint;
  readonly symbols: readonly GraphSymbol[];
}

const x = (n: number): (typeof X)[number] => X[n]!;

/**
 * ftrace_push_return_trace's slot reservation, shared by ftrace_graph_func and the `ops` strategy's fprobe
 * entry (trampoline/strategies/ops-gen.ts), both on `task` = current: `index` = curr_ret_stack; at the depth
 * limit go to `overrun`; else curr_ret_stack = index + 1 and `entry` = &ret_stack[index]. The slot is reserved
 * before it is filled, so an interrupt that traces nests above it. Clobbers `tmp`.
 */
export function emitRetStackReserve(
  a: Asm,
  r: { readonly task: Reg; readonly index: Reg; readonly tmp: Reg; readonly entry: Reg },
  overrun: Label,
): void {
  a.ldr(r.index, r.task, TASK_CURR_RET_STACK);
  a.ldr(r.tmp, r.task, TASK_RET_STACK_DEPTH);
  a.cmp(r.index, r.tmp);
  a.bCond('hs', overrun);
  a.add(r.tmp, r.index, 1);
  a.str(r.tmp, r.task, TASK_CURR_RET_STACK);
  a.ldr(r.entry, r.task, TASK_RET_STACK);
  a.add(r.entry, r.entry, r.index, { shift: 'lsl', amount: RET_STACK_ENTRY.SHIFT });
}

/** task->trace_overrun++ for a push refused at the depth limit (`task` = current). Clobbers `tmp`. */
export function emitTraceOverrun(a: Asm, task: Reg, tmp: Reg): void {
  a.ldr(tmp, task, TASK_TRACE_OVERRUN);
  a.add(tmp, tmp, 1);
  a.str(tmp, task, TASK_TRACE_OVERRUN);
}

/** ftrace_graph_func for frame kind `frame` (the lr and fp slots differ between ftrace_regs and pt_regs). */
function emitGraphFunc(a: Asm, frame: FrameKind, rth: Label): void {
  const L = FRAME_LAYOUTS[frame];
  const out = a.label();
  const overrun = a.label();
  const hook = a.label();
  const drop = a.label();
  a.bti('c');
  a.stp(x(29), LR, SP, -64, 'pre');
  a.mov(x(29), SP);
  a.stp(x(19), x(20), SP, 16);
  a.stp(x(21), x(22), SP, 32);
  a.stp(x(23), x(24), SP, 48);
  a.mrs(x(23), 'SP_EL0'); // current
  a.ldr(x(9), x(23), TASK_TRACE_RECURSION);
  a.tbnz(x(9), TRACE_GRAPH_BIT, out);
  a.sub(x(24), x(2), FGRAPH_OPS.OPS); // container_of(op, struct fgraph_ops, ops)
  a.ldr(x(15), x(24), FGRAPH_OPS.RETFUNC);
  a.cbz(x(15), out); // removed: fgraph_stub
  emitRetStackReserve(a, { task: x(23), index: x(20), tmp: x(11), entry: x(22) }, overrun);
  a.mov(x(21), x(3));
  a.ldr(x(13), x(21), L.lr);
  a.ldr(x(14), x(21), L.fp);
  a.stp(x(13), x(0), x(22), RET_STACK_ENTRY.RET); // ret, func
  a.stp(x(14), x(24), x(22), RET_STACK_ENTRY.FP); // fp, gops
  a.ldr(x(15), x(24), FGRAPH_OPS.ENTRYFUNC);
  a.cbz(x(15), hook);
  // entryfunc(ip, parent_ip, gops, frame, data) with the recursion bit held.
  a.orr(x(9), x(9), 1 << TRACE_GRAPH_BIT);
  a.str(x(9), x(23), TASK_TRACE_RECURSION);
  a.mov(x(2), x(24));
  a.add(x(4), x(22), RET_STACK_ENTRY.DATA);
  a.blr(x(15));
  a.ldr(x(9), x(23), TASK_TRACE_RECURSION);
  a.bic(x(9), x(9), 1 << TRACE_GRAPH_BIT);
  a.str(x(9), x(23), TASK_TRACE_RECURSION);
  a.cbz(x(0), drop);
  a.bind(hook);
  a.adr(x(13), rth);
  a.str(x(13), x(21), L.lr);
  a.b(out);
  a.bind(drop);
  a.str(x(20), x(23), TASK_CURR_RET_STACK); // give the slot back
  a.b(out);
  a.bind(overrun);
  emitTraceOverrun(a, x(23), x(9));
  a.bind(out);
  a.ldp(x(23), x(24), SP, 48);
  a.ldp(x(21), x(22), SP, 32);
  a.ldp(x(19), x(20), SP, 16);
  a.ldp(x(29), LR, SP, 64, 'post');
  a.ret();
}

/** return_to_handler: the traced function's `ret` lands here with its return value in x0–x7. */
function emitReturnToHandler(a: Asm, rth: Label, handler: Label): void {
  const regs = RTH_FRAME.REGS;
  a.sub(SP, SP, RTH_FRAME.SIZE);
  for (let r = 0; r < 8; r += 2) a.stp(x(r), x(r + 1), SP, regs + FGRET_REGS.X0 + 8 * r);
  a.str(x(29), SP, regs + FGRET_REGS.FP);
  a.adr(x(9), rth);
  a.stp(x(29), x(9), SP, RTH_FRAME.RECORD);
  a.add(x(29), SP, RTH_FRAME.RECORD);
  a.add(x(0), SP, regs);
  a.bl(handler);
  a.mov(LR, x(0));
  for (let r = 0; r < 8; r += 2) a.ldp(x(r), x(r + 1), SP, regs + FGRET_REGS.X0 + 8 * r);
  a.ldr(x(29), SP, regs + FGRET_REGS.FP);
  a.add(SP, SP, RTH_FRAME.SIZE);
  a.ret();
}

/** ftrace_return_to_handler(struct fgraph_ret_regs *regs) → the address to return to. */
function emitReturnHandler(a: Asm): void {
  const empty = a.label();
  const badFp = a.label();
  const pop = a.label();
  a.bti('c');
  a.stp(x(29), LR, SP, -48, 'pre');
  a.mov(x(29), SP);
  a.stp(x(19), x(20), SP, 16);
  a.stp(x(21), x(22), SP, 32);
  a.mov(x(19), x(0));
  a.mrs(x(20), 'SP_EL0');
  a.ldr(x(9), x(20), TASK_CURR_RET_STACK);
  a.cbz(x(9), empty);
  a.sub(x(9), x(9), 1);
  a.ldr(x(10), x(20), TASK_RET_STACK);
  a.add(x(21), x(10), x(9), { shift: 'lsl', amount: RET_STACK_ENTRY.SHIFT });
  a.ldr(x(10), x(21), RET_STACK_ENTRY.FP);
  a.ldr(x(11), x(19), FGRET_REGS.FP);
  a.cmp(x(10), x(11));
  a.bCond('ne', badFp);
  a.ldr(x(22), x(21), RET_STACK_ENTRY.GOPS);
  a.ldr(x(9), x(22), FGRAPH_OPS.RETFUNC);
  a.cbz(x(9), pop);
  a.ldr(x(0), x(21), RET_STACK_ENTRY.FUNC);
  a.ldr(x(1), x(19), FGRET_REGS.X0);
  a.ldr(x(2), x(21), RET_STACK_ENTRY.RET);
  a.mov(x(3), x(22));
  a.add(x(4), x(21), RET_STACK_ENTRY.DATA);
  a.blr(x(9));
  a.bind(pop);
  a.ldr(x(0), x(21), RET_STACK_ENTRY.RET);
  a.ldr(x(9), x(20), TASK_CURR_RET_STACK);
  a.sub(x(9), x(9), 1);
  a.str(x(9), x(20), TASK_CURR_RET_STACK);
  a.ldp(x(21), x(22), SP, 32);
  a.ldp(x(19), x(20), SP, 16);
  a.ldp(x(29), LR, SP, 48, 'post');
  a.ret();
  a.bind(empty);
  a.brk(BRK_GRAPH_EMPTY);
  a.bind(badFp);
  a.brk(BRK_GRAPH_BAD_FP);
}

/** Assemble ftrace_graph_func (for `frame`), return_to_handler and ftrace_return_to_handler at `base`. */
export function buildGraphText(base: bigint, frame: FrameKind): GraphText {
  const a = new Asm(base);
  const starts: [string, Label][] = [];
  const sym = (name: string, l: Label): void => {
    a.align(16);
    a.bind(l);
    starts.push([name, l]);
  };
  const graphFunc = a.label('ftrace_graph_func');
  const rth = a.label('return_to_handler');
  const handler = a.label('ftrace_return_to_handler');
  sym('ftrace_graph_func', graphFunc);
  emitGraphFunc(a, frame, rth);
  sym('return_to_handler', rth);
  emitReturnToHandler(a, rth, handler);
  sym('ftrace_return_to_handler', handler);
  emitReturnHandler(a);
  a.align(16);
  const end = a.pc;
  const built = a.finish();
  const at = (l: Label): bigint => l.address!;
  const symbols = starts.map(([name, l], i) => ({
    name,
    address: at(l),
    size: (i + 1 < starts.length ? at(starts[i + 1]![1]) : end) - at(l),
  }));
  return {
    base,
    bytes: built.bytes,
    graphFunc: at(graphFunc),
    returnToHandler: at(rth),
    returnToHandlerC: at(handler),
    symbols,
  };
}
