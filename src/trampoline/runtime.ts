/**
 * What a BPF trampoline calls and reads, in the model kernel's memory: `struct bpf_prog` and
 * `struct bpf_tramp_image` (model layouts below), a per-CPU area (TPIDR_EL1 + offset, kernel.ts
 * PER_CPU_STRIDE), `current->bpf_ctx`, and the A64 routines on the call path — `__bpf_prog_enter_recur`,
 * `__bpf_prog_exit_recur`, `__bpf_tramp_enter` and `__bpf_tramp_exit` (`dummy_tramp` is the JIT's). Installed
 * once per Kernel into the image's text, each a kallsyms symbol.
 *
 * Semantics (facts §2.4, §4.6):
 *   enter(prog, run_ctx): run_ctx->saved = current->bpf_ctx; current->bpf_ctx = run_ctx;
 *                         if (++this_cpu(prog->active) != 1) { prog->misses++; return 0 }  return 1
 *   exit(prog, start, run_ctx): current->bpf_ctx = run_ctx->saved; this_cpu(prog->active)--
 *   tramp_enter(im): percpu_ref_get(&im->pcref);  tramp_exit(im): percpu_ref_put(&im->pcref)
 *
 * Model simplification: the image's percpu_ref is kept in atomic mode (one LSE counter, STADD/LDADDAL)
 * rather than per-CPU counters that switch mode on kill; the observable rule — the image is released when
 * the owner's reference is dropped and every get has been put — is the same. The release itself (the rare
 * last put after kill) is a host call, off the hot path.
 */
import { Asm } from '../a64/asm.js';
import { X, W, XZR } from '../a64/builder.js';
import { jitRuntime } from '../bpf/jit/index.js';
import { TASK_BPF_CTX } from '../bpf/helpers/runctx.js';
import type { Cpu } from '../machine/cpu.js';
import { PER_CPU_STRIDE, type Kernel } from '../kernel/kernel.js';
import { KernelError } from '../util/errors.js';
import { TRAMP_RUN_CTX } from './frame.js';

/** The model's struct bpf_prog (only the fields the trampoline path reads). */
export const BPF_PROG = {
  /** u64: the JITed entry (bpf_func). */
  BPF_FUNC: 0x00,
  /** u64: per-CPU pointer to the recursion counter (int __percpu *active). */
  ACTIVE: 0x08,
  /** u64: recursion misses (bpf_prog_inc_misses_counter), updated atomically. */
  MISSES: 0x10,
  /** u32: program id. */
  ID: 0x18,
  SIZE: 0x40,
} as const;

/** The model's struct bpf_tramp_image (the percpu_ref part). */
export const BPF_TRAMP_IMAGE = {
  /** u64: the reference count (1 owner reference + one per CPU inside the image). */
  PCREF: 0x00,
  /** u64: non-zero once percpu_ref_kill dropped the owner reference. */
  DEAD: 0x08,
  SIZE: 0x20,
} as const;

/** Offset of `bpf_ctx` in the model's task_struct: defined in the bpf layer, whose get_attach_cookie reads it. */
export { TASK_BPF_CTX };

/** Host-call block 0x4e80–0x4eff (trampolines). */
export const HOSTCALL_TRAMP_IMAGE_RELEASE = 0x4e80;

/** Bytes of each CPU's slice of the trampoline per-CPU area. */
const PERCPU_SLICE = 4096;

export interface TrampRuntime {
  readonly kernel: Kernel;
  readonly enter: bigint;
  readonly exit: bigint;
  readonly trampEnter: bigint;
  readonly trampExit: bigint;
  readonly dummyTramp: bigint;
  /** Allocate a zeroed per-CPU int; returns the per-CPU pointer (add TPIDR_EL1 for a CPU's copy). */
  allocPercpu(size: number): bigint;
  /** Read CPU `cpu`'s copy of a per-CPU u32. */
  percpu32(ptr: bigint, cpu: number): number;
  /** Small zeroed kernel data (struct bpf_prog, struct bpf_tramp_image). */
  allocData(size: number): bigint;
  /** Who to tell when an image's last reference goes (set by the trampoline core). */
  onRelease: ((im: bigint) => void) | undefined;
}

const installed = new WeakMap<Kernel, TrampRuntime>();

/** this_cpu pointer into x`dst` from per-CPU pointer in x`ptr` (mrs tpidr_el1; add). */
function thisCpu(a: Asm, dst: number, ptr: number, tmp: number): void {
  a.mrs(X[tmp]!, 'tpidr_el1');
  a.add(X[dst]!, X[ptr]!, X[tmp]!);
}

function buildEnter(a: Asm, bti: boolean): void {
  if (bti) a.bti('c');
  a.mrs(X[2]!, 'sp_el0');
  a.ldr(X[3]!, X[2]!, TASK_BPF_CTX);
  a.str(X[3]!, X[1]!, TRAMP_RUN_CTX.SAVED_RUN_CTX);
  a.str(X[1]!, X[2]!, TASK_BPF_CTX);
  a.ldr(X[3]!, X[0]!, BPF_PROG.ACTIVE);
  thisCpu(a, 3, 3, 4);
  // Preemption is off on this path, so a plain per-CPU read-modify-write is what this_cpu_inc_return is.
  a.ldr(W[5]!, X[3]!);
  a.add(W[5]!, W[5]!, 1);
  a.str(W[5]!, X[3]!);
  const miss = a.label('miss');
  a.cmp(W[5]!, 1);
  a.bCond('ne', miss);
  a.movz(X[0]!, 1);
  a.ret();
  a.bind(miss);
  a.add(X[3]!, X[0]!, BPF_PROG.MISSES);
  a.movz(X[4]!, 1);
  a.stadd(X[4]!, X[3]!);
  a.mov(X[0]!, XZR);
  a.ret();
}

function buildExit(a: Asm, bti: boolean): void {
  if (bti) a.bti('c');
  a.mrs(X[3]!, 'sp_el0');
  a.ldr(X[4]!, X[2]!, TRAMP_RUN_CTX.SAVED_RUN_CTX);
  a.str(X[4]!, X[3]!, TASK_BPF_CTX);
  a.ldr(X[3]!, X[0]!, BPF_PROG.ACTIVE);
  thisCpu(a, 3, 3, 4);
  a.ldr(W[5]!, X[3]!);
  a.sub(W[5]!, W[5]!, 1);
  a.str(W[5]!, X[3]!);
  a.ret();
}

function buildTrampEnter(a: Asm, bti: boolean): void {
  if (bti) a.bti('c');
  a.movz(X[1]!, 1);
  a.stadd(X[1]!, X[0]!);
  a.ret();
}

function buildTrampExit(a: Asm, bti: boolean): void {
  if (bti) a.bti('c');
  a.movn(X[1]!, 0); // −1
  a.ldaddal(X[1]!, X[2]!, X[0]!);
  const last = a.label('last');
  a.cmp(X[2]!, 1);
  a.bCond('eq', last);
  a.ret();
  // Only after percpu_ref_kill can the count reach zero here (the owner holds one reference until then).
  a.bind(last);
  a.hvc(HOSTCALL_TRAMP_IMAGE_RELEASE);
  a.ret();
}

/** The trampoline runtime of `kernel` (installed on first use). */
export function trampRuntime(kernel: Kernel): TrampRuntime {
  const have = installed.get(kernel);
  if (have) return have;
  const bti = kernel.bti;
  const place = (name: string, build: (a: Asm, bti: boolean) => void): bigint => {
    const probe = new Asm(0n);
    build(probe, bti);
    const size = probe.finish().bytes.length;
    const r = kernel.imageAlloc(size, 'text', 16);
    const a = new Asm(r.address);
    build(a, bti);
    kernel.writeText(r.address, a.finish().bytes);
    kernel.kallsyms.add({ name, address: r.address, size: BigInt(size), type: 'T' });
    return r.address;
  };
  const enter = place('__bpf_prog_enter_recur', buildEnter);
  const exit = place('__bpf_prog_exit_recur', buildExit);
  const trampEnter = place('__bpf_tramp_enter', buildTrampEnter);
  const trampExit = place('__bpf_tramp_exit', buildTrampExit);
  // One dummy_tramp per kernel: the JIT's, which every program's PLT targets by default.
  const dummyTramp = jitRuntime(kernel).dummyTramp;

  const ncpu = kernel.machine.cpus.length;
  const stride = Number(PER_CPU_STRIDE);
  // CPU c's copy of per-CPU data at pointer p is p + c × PER_CPU_STRIDE: one area spanning every CPU's slice.
  const area = kernel.imageAlloc(stride * (ncpu - 1) + PERCPU_SLICE, 'data', 4096).address;
  let percpuUsed = 0;
  let dataChunk = 0n;
  let dataLeft = 0;
  const mem = kernel.machine.memory;
  const rt: TrampRuntime = {
    kernel,
    enter,
    exit,
    trampEnter,
    trampExit,
    dummyTramp,
    onRelease: undefined,
    allocPercpu(size) {
      const n = Math.ceil(size / 8) * 8;
      if (percpuUsed + n > PERCPU_SLICE)
        throw new KernelError('ENOMEM', `trampoline per-CPU area is full (${PERCPU_SLICE} bytes per CPU)`);
      const p = area + BigInt(percpuUsed);
      percpuUsed += n;
      return p;
    },
    percpu32(ptr, cpu) {
      return mem.read32(ptr + BigInt(cpu) * PER_CPU_STRIDE);
    },
    allocData(size) {
      const n = Math.ceil(size / 16) * 16;
      if (n > dataLeft) {
        dataChunk = kernel.imageAlloc(4096, 'data', 4096).address;
        dataLeft = 4096;
      }
      const p = dataChunk;
      dataChunk += BigInt(n);
      dataLeft -= n;
      return p;
    },
  };
  kernel.machine.registerHostCall(HOSTCALL_TRAMP_IMAGE_RELEASE, {
    name: 'bpf_tramp_image_release',
    cycles: 200,
    fn: (cpu: Cpu) => rt.onRelease?.(cpu.x(0)),
  });
  installed.set(kernel, rt);
  return rt;
}

/** A program as the trampoline sees it: its entry and its struct bpf_prog in kernel memory. */
export interface TrampProg {
  readonly name: string;
  /** The JITed entry the trampoline calls with x0 = ctx. */
  readonly bpfFunc: bigint;
  /** Address of the program's struct bpf_prog (see `allocBpfProg`). */
  readonly progStruct: bigint;
  /** The program calls bpf_get_func_ip (the trampoline then stores the IP at ctx − 16). */
  readonly usesFuncIp: boolean;
}

/** Program ids per kernel, from 1 (as the kernel's prog idr). */
const nextProgId = new WeakMap<TrampRuntime, number>();

/** Create the struct bpf_prog of a program (bpf_func, per-CPU active counter, misses) in kernel memory. */
export function allocBpfProg(rt: TrampRuntime, bpfFunc: bigint, id?: number): bigint {
  if (id === undefined) {
    id = nextProgId.get(rt) ?? 1;
    nextProgId.set(rt, id + 1);
  }
  const p = rt.allocData(BPF_PROG.SIZE);
  const mem = rt.kernel.machine.memory;
  mem.write64(p + BigInt(BPF_PROG.BPF_FUNC), bpfFunc, 0);
  mem.write64(p + BigInt(BPF_PROG.ACTIVE), rt.allocPercpu(4), 0);
  mem.write32(p + BigInt(BPF_PROG.ID), id, 0);
  return p;
}

/** A program's recursion misses. */
export function progMisses(rt: TrampRuntime, progStruct: bigint): bigint {
  return rt.kernel.machine.memory.read64(progStruct + BigInt(BPF_PROG.MISSES));
}
