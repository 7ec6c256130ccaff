/**
 * The function and function_graph tracers' callbacks in A64, writing into the per-CPU ring buffers of
 * ringbuf.ts. Conventions are those of src/ftrace/arch/abi.ts:
 *
 *   function_trace_call(ip, parent_ip, op, fregs)   ops->func: one TRACE_FN entry {ip, parent_ip}
 *   trace_graph_entry(ip, parent_ip, op, fregs)      entry hook: one TRACE_GRAPH_ENT entry {func, depth},
 *                                                    pushes calltime; returns x0 = 1 to ask for the return
 *                                                    hook, 0 to decline (tracing off, recursion, too deep)
 *   trace_graph_return(ip, retval, parent_ip, op)    exit hook: pops calltime, one TRACE_GRAPH_RET entry
 *                                                    {func, depth, calltime, rettime = now, retval}
 *
 * Each routine: `tracing_on` first (tracer_tracing_is_on), then the recursion guard — a bit of
 * `current->trace_recursion` (abi.ts TASK_TRACE_RECURSION; the list function owns bit TRACE_LIST_BIT), as
 * ftrace_test_recursion_trylock does — then the CPU from `current_thread_info()->cpu`, reserve, fill,
 * commit, unlock. Timestamps are CNTVCT_EL0 (the cost model's cycles / 20 at 100 MHz), so durations are
 * modelled, never wall-clock. Only x9–x17 (and x0 for the return value) are touched.
 */
import { Asm } from '../../a64/asm.js';
import { W, X, type Reg } from '../../a64/builder.js';
import { THREAD_INFO_CPU, type Kernel } from '../../kernel/kernel.js';
import { TASK_TRACE_RECURSION, TRACE_LIST_BIT } from '../arch/abi.js';
import {
  BUF,
  DEFAULT_RESERVE_REGS as R,
  ENTRY,
  GRAPH_MAX_DEPTH,
  TA,
  TRACE_TYPE,
  emitCommit,
  emitReserve,
} from './ringbuf.js';

/** Bits of current->trace_recursion the tracers own (bit 0: the list function, bit 1: graph/abi.ts TRACE_GRAPH_BIT). */
export const TRACER_FN_BIT = TRACE_LIST_BIT + 4;
export const TRACER_GRAPH_BIT = TRACE_LIST_BIT + 5;

/** Addresses of the tracer routines in kernel text. */
export interface TracerText {
  readonly functionTraceCall: bigint;
  readonly graphEntry: bigint;
  readonly graphReturn: bigint;
}

const rTa = X[9]!;
const rTask = X[11]!;
const rRec = X[12]!;

/** Load TA, bail to `out` if tracing is off, take the recursion bit (bail if held), buf = this CPU's buffer. */
function prologue(
  a: Asm,
  ta: bigint,
  bit: number,
  off: ReturnType<Asm['label']>,
  busy: ReturnType<Asm['label']>,
): void {
  a.movImm(rTa, ta);
  a.ldr(W[10]!, rTa, TA.TRACING_ON);
  a.cbz(W[10]!, off);
  a.mrs(rTask, 'SP_EL0');
  a.ldr(rRec, rTask, TASK_TRACE_RECURSION);
  a.tbnz(rRec, bit, busy);
  a.orr(rRec, rRec, 1 << bit);
  a.str(rRec, rTask, TASK_TRACE_RECURSION);
  emitThisCpuBuffer(a);
}

/** R.buf = TA->buffers[current_thread_info()->cpu]. */
function emitThisCpuBuffer(a: Asm): void {
  a.ldr(W[13]!, rTask, THREAD_INFO_CPU);
  a.add(R.buf, rTa, R.buf, { shift: 'lsl', amount: 3 });
  a.ldr(R.buf, R.buf, TA.BUFFERS);
}

/** entry header = type | irqs-off << 16 | depth << 32 (depth in x10, or none). */
function emitHeader(a: Asm, type: number, depth?: Reg): void {
  a.mrs(R.t1, 'DAIF');
  a.ubfx(R.t1, R.t1, 7, 1); // PSTATE.I → TRACE_FLAG_IRQS_OFF
  a.lsl(R.t1, R.t1, 16);
  a.add(R.t1, R.t1, type);
  if (depth) a.add(R.t1, R.t1, depth, { shift: 'lsl', amount: 32 });
  a.str(R.t1, R.entry, ENTRY.HEADER);
  a.mrs(R.t1, 'CNTVCT_EL0');
  a.str(R.t1, R.entry, ENTRY.TS);
  a.str(rTask, R.entry, ENTRY.TASK);
}

function unlock(a: Asm, bit: number): void {
  a.ldr(rRec, rTask, TASK_TRACE_RECURSION);
  a.and(rRec, rRec, ~(1n << BigInt(bit)) & 0xffff_ffff_ffff_ffffn);
  a.str(rRec, rTask, TASK_TRACE_RECURSION);
}

function functionTraceCall(a: Asm, ta: bigint): void {
  const out = a.label();
  a.bti('c');
  prologue(a, ta, TRACER_FN_BIT, out, out);
  emitReserve(a);
  emitHeader(a, TRACE_TYPE.FN);
  a.stp(X[0]!, X[1]!, R.entry, ENTRY.IP); // ip, parent_ip
  emitCommit(a);
  unlock(a, TRACER_FN_BIT);
  a.bind(out);
  a.ret();
}

function graphEntry(a: Asm, ta: bigint): void {
  const decline = a.label();
  const busy = a.label();
  a.bti('c');
  prologue(a, ta, TRACER_GRAPH_BIT, decline, decline);
  a.ldr(X[10]!, R.buf, BUF.DEPTH);
  a.cmp(X[10]!, GRAPH_MAX_DEPTH);
  a.bCond('hs', busy); // ret_stack full: no return hook (the kernel's -EBUSY)
  emitReserve(a);
  a.ldr(X[10]!, R.buf, BUF.DEPTH); // emitReserve used x10
  emitHeader(a, TRACE_TYPE.GRAPH_ENT, X[10]!);
  a.str(X[0]!, R.entry, ENTRY.IP);
  emitCommit(a);
  // calltime[depth] = the entry's timestamp; depth++.
  a.ldr(R.t1, R.entry, ENTRY.TS);
  a.add(R.t0, R.buf, X[10]!, { shift: 'lsl', amount: 3 });
  a.str(R.t1, R.t0, BUF.CALLTIME);
  a.add(X[10]!, X[10]!, 1);
  a.str(X[10]!, R.buf, BUF.DEPTH);
  unlock(a, TRACER_GRAPH_BIT);
  a.mov(X[0]!, 1);
  a.ret();
  a.bind(busy);
  unlock(a, TRACER_GRAPH_BIT);
  a.bind(decline);
  a.mov(X[0]!, 0);
  a.ret();
}

/**
 * The exit hook always pops the depth its entry pushed (even with tracing turned off meanwhile), so the
 * per-CPU depth stays balanced; it records only when tracing is on and it is not recursing.
 */
function graphReturn(a: Asm, ta: bigint): void {
  const out = a.label();
  const unbalanced = a.label();
  a.bti('c');
  a.movImm(rTa, ta);
  a.mrs(rTask, 'SP_EL0');
  emitThisCpuBuffer(a);
  a.ldr(X[10]!, R.buf, BUF.DEPTH);
  a.cbz(X[10]!, unbalanced);
  a.sub(X[10]!, X[10]!, 1);
  a.str(X[10]!, R.buf, BUF.DEPTH);
  a.ldr(W[15]!, rTa, TA.TRACING_ON);
  a.cbz(W[15]!, out);
  a.ldr(rRec, rTask, TASK_TRACE_RECURSION);
  a.tbnz(rRec, TRACER_GRAPH_BIT, out);
  a.orr(rRec, rRec, 1 << TRACER_GRAPH_BIT);
  a.str(rRec, rTask, TASK_TRACE_RECURSION);
  a.mov(X[12]!, X[10]!); // depth survives emitReserve (which uses x10)
  emitReserve(a);
  emitHeader(a, TRACE_TYPE.GRAPH_RET, X[12]!);
  a.stp(X[0]!, X[1]!, R.entry, ENTRY.IP); // func, retval
  a.add(R.t0, R.buf, X[12]!, { shift: 'lsl', amount: 3 });
  a.ldr(R.t0, R.t0, BUF.CALLTIME);
  a.str(R.t0, R.entry, ENTRY.CALLTIME);
  emitCommit(a);
  unlock(a, TRACER_GRAPH_BIT);
  a.bind(out);
  a.ret();
  // An exit without an entry is a bug in the caller of the hook: stop loudly rather than corrupt depth.
  a.bind(unbalanced);
  a.brk(0x4e01);
}

/** Assemble the three routines into kernel text and name them in kallsyms. */
export function buildTracerText(kernel: Kernel, ta: bigint): TracerText {
  const out: bigint[] = [];
  const emitters: [string, (a: Asm, ta: bigint) => void][] = [
    ['function_trace_call', functionTraceCall],
    ['trace_graph_entry', graphEntry],
    ['trace_graph_return', graphReturn],
  ];
  for (const [name, emit] of emitters) {
    const at = kernel.imageAlloc(512, 'text', 16).address;
    const a = new Asm(at);
    emit(a, ta);
    const built = a.finish();
    if (built.bytes.length > 512) throw new Error(`${name} is ${built.bytes.length} bytes; 512 reserved`);
    kernel.writeText(at, built.bytes);
    kernel.kallsyms.add({ name, address: at, size: BigInt(built.bytes.length), type: 't' });
    out.push(at);
  }
  return { functionTraceCall: out[0]!, graphEntry: out[1]!, graphReturn: out[2]! };
}
