/**
 * Small A64 routines for tests, tracers and benchmarks of the live ftrace layer, assembled with our builder:
 *
 *   countingCallback     an ops->func that atomically adds 1 to a u64 counter (STADD: several CPUs may run
 *                        it at once) and returns
 *   countingDirectTramp  a direct trampoline with the §2.4 convention that counts, then resumes the traced
 *                        function (`mov x10, x30; mov x30, x9; ret x10`, as ftrace_stub_direct_tramp)
 *   workerLoop           a CPU workload: call a traced function N times, `cond_resched()` between calls
 *   controlLoop          the update CPU: `hvc #HOSTCALL_FTRACE_STEP` + `cond_resched()` until the host says
 *                        there is nothing left to do
 *
 * Every routine begins with `bti c` (reached by `blr`/`br x17` on guarded pages).
 */
import { Asm } from '../a64/asm.js';
import { LR, SP as SP_, X } from '../a64/builder.js';
import type { Kernel } from '../kernel/kernel.js';
import { HOSTCALL_SCHEDULE } from '../kernel/rcu.js';
import { HOSTCALL_FTRACE_STEP } from './arch/abi.js';

/** A u64 counter in kernel data and the code that bumps it. */
export interface Counter {
  /** Address of the code (ops->func, or the direct trampoline). */
  readonly func: bigint;
  /** Address of the u64 counter. */
  readonly counter: bigint;
  /** Current value. */
  read(): bigint;
  reset(): void;
}

function counterData(kernel: Kernel, name: string): bigint {
  const c = kernel.imageAlloc(8, 'data', 8).address;
  kernel.kallsyms.add({ name: `${name}_count`, address: c, size: 8n, type: 'd' });
  kernel.machine.memory.write64(c, 0n);
  return c;
}

function finishCounter(kernel: Kernel, name: string, at: bigint, a: Asm, counter: bigint): Counter {
  const built = a.finish();
  if (built.bytes.length > 64) throw new Error(`${name}: ${built.bytes.length} bytes do not fit 64`);
  kernel.writeText(at, built.bytes);
  kernel.kallsyms.add({ name, address: at, size: BigInt(built.bytes.length), type: 't' });
  const mem = kernel.machine.memory;
  return {
    func: at,
    counter,
    read: () => mem.read64(counter),
    reset: () => mem.write64(counter, 0n),
  };
}

/** An ops->func(ip, parent_ip, op, fregs) that counts its calls. Code in image text. */
export function countingCallback(kernel: Kernel, name: string): Counter {
  const counter = counterData(kernel, name);
  const at = kernel.imageAlloc(64, 'text', 16).address;
  const a = new Asm(at);
  a.bti('c');
  a.ldrLit(X[9]!, a.literal(counter));
  a.mov(X[10]!, 1);
  a.stadd(X[10]!, X[9]!);
  a.ret();
  return finishCounter(kernel, name, at, a, counter);
}

/**
 * A direct trampoline that counts and resumes the traced function. `where`: 'image' (kernel text, in BL
 * range of image call sites) or 'vmalloc' (execmem, where BPF trampolines live — out of range under KASLR).
 * Uses only x10/x11 (x9 carries the traced function's return address).
 */
export function countingDirectTramp(
  kernel: Kernel,
  name: string,
  opts: { where?: 'image' | 'vmalloc' } = {},
): Counter {
  const counter = counterData(kernel, name);
  const at =
    (opts.where ?? 'vmalloc') === 'image'
      ? kernel.imageAlloc(64, 'text', 16).address
      : kernel.allocExec(64, name);
  const a = new Asm(at);
  a.bti('c');
  a.ldrLit(X[10]!, a.literal(counter));
  a.mov(X[11]!, 1);
  a.stadd(X[11]!, X[10]!);
  a.mov(X[10]!, LR);
  a.mov(LR, X[9]!);
  a.ret(X[10]!);
  return finishCounter(kernel, name, at, a, counter);
}

/**
 * worker(n): for i in 0..n-1: target(i); cond_resched(). Returns n. Code in image text (callee-saved
 * registers kept in a frame, so it is an ordinary AAPCS64 function). `target` must be in BL range (image text).
 */
export function workerLoop(kernel: Kernel, name: string, target: bigint): bigint {
  const at = kernel.imageAlloc(128, 'text', 16).address;
  const a = new Asm(at);
  const loop = a.label();
  const done = a.label();
  a.bti('c');
  a.stp(X[29]!, LR, SP_, -32, 'pre');
  a.mov(X[29]!, SP_);
  a.stp(X[19]!, X[20]!, SP_, 16);
  a.mov(X[19]!, X[0]!);
  a.mov(X[20]!, 0);
  a.bind(loop);
  a.cmp(X[20]!, X[19]!);
  a.bCond('hs', done);
  a.mov(X[0]!, X[20]!);
  a.bl(target); // direct: functions of non-BTI builds are no landing pads for blr
  a.hvc(HOSTCALL_SCHEDULE);
  a.add(X[20]!, X[20]!, 1);
  a.b(loop);
  a.bind(done);
  a.mov(X[0]!, X[19]!);
  a.ldp(X[19]!, X[20]!, SP_, 16);
  a.ldp(X[29]!, LR, SP_, 32, 'post');
  a.ret();
  const built = a.finish();
  kernel.writeText(at, built.bytes);
  kernel.kallsyms.add({ name, address: at, size: BigInt(built.bytes.length), type: 't' });
  return at;
}

/**
 * control(): do { cond_resched(); more = hvc #HOSTCALL_FTRACE_STEP } while (more); returns. The host
 * decides per step what to do (apply a queued write, start the next scripted update, or stop).
 */
export function controlLoop(kernel: Kernel, name = 'ftrace_control'): bigint {
  const at = kernel.imageAlloc(32, 'text', 16).address;
  const a = new Asm(at);
  const loop = a.label();
  a.bti('c');
  a.bind(loop);
  a.hvc(HOSTCALL_SCHEDULE);
  a.hvc(HOSTCALL_FTRACE_STEP);
  a.cbnz(X[0]!, loop);
  a.ret();
  const built = a.finish();
  kernel.writeText(at, built.bytes);
  kernel.kallsyms.add({ name, address: at, size: BigInt(built.bytes.length), type: 't' });
  return at;
}
