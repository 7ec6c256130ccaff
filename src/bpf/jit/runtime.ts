/**
 * What JITed programs run against in the model kernel:
 *
 * - helper stubs in kernel text, one per helper id, named as the kernel names the helper (`bpf_map_lookup_elem`):
 *     [bti c] ; hvc #(HOSTCALL_BPF_HELPER + id) ; ret
 *   The host call runs the *same* TypeScript helper the interpreter runs (one HelperTable for both engines),
 *   with x0–x4 as R1–R5 and the result in x0; JITed code then does `mov x7, x0` as after any call.
 * - `dummy_tramp` in kernel text, the default PLT target (facts §3): `[bti j] ; mov x10, x30 ; mov x30, x9 ;
 *   ret x10` — returns to the program body with LR restored. `bti j` because the PLT reaches it with `br x10`.
 * - a run context (`runJit`): the regions a program may touch (input buffer, ctx, map values) mapped into
 *   emulated memory at the addresses the interpreter uses, so pointers are the same numbers on both engines;
 *   map helpers work on the maps' byte arrays, so those arrays and the emulated pages are synchronised around
 *   every helper call and at the end of the run.
 *
 * Host-call block 0x4c00–0x4cff: 0x4c00 + helper id (ids ≤ 0xdf).
 *
 * Exception: helpers whose kernel body is a few loads from `current` are A64 routines instead of host
 * calls (`NATIVE_HELPERS`), so they read the state the CPU really has — bpf_get_attach_cookie reads
 * current->bpf_ctx (helpers/runctx.ts), which only the running code path knows.
 */
import type { Kernel } from '../../kernel/kernel.js';
import { Asm } from '../../a64/asm.js';
import { X } from '../../a64/builder.js';
import { MachineFault } from '../../machine/faults.js';
import { PERM_R, PERM_W } from '../../machine/memory.js';
import type { Cpu } from '../../machine/cpu.js';
import { BpfMemory, type MemRegion } from '../interp/memory.js';
import { BpfRuntimeError } from '../interp/errors.js';
import type { HelperArgs, HelperTable } from '../helpers/types.js';
import { kernelHelperName } from '../helpers/kernel.js';
import { BPF_FUNC_GET_ATTACH_COOKIE, emitGetAttachCookie } from '../helpers/runctx.js';
import { KernelError } from '../../util/errors.js';

export const HOSTCALL_BPF_HELPER = 0x4c00;
/** Largest helper id with a stub (the block ends at 0x4cff). */
export const MAX_STUB_HELPER_ID = 0xdf;

/** Helper memory on the JIT: loads and stores go to the emulated CPU's memory. */
export class MachineBpfMemory extends BpfMemory {
  constructor(private readonly kernel: Kernel) {
    super();
  }
  private mem<T>(pc: number, addr: bigint, what: string, size: number, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof MachineFault)
        throw new BpfRuntimeError(
          'BPF_MEM',
          pc,
          `${what} of ${size} byte${size === 1 ? '' : 's'} at 0x${BigInt.asUintN(64, addr).toString(16)}: ${e.detail}`,
          addr,
        );
      throw e;
    }
  }
  override load(addr: bigint, size: number, pc: number): bigint {
    const b = this.read(addr, size, pc);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  }
  override store(addr: bigint, size: number, value: bigint, pc: number): void {
    const b = new Uint8Array(size);
    let v = BigInt.asUintN(64, value);
    for (let i = 0; i < size; i++, v >>= 8n) b[i] = Number(v & 0xffn);
    this.write(addr, b, pc);
  }
  override read(addr: bigint, length: number, pc: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const m = this.kernel.machine.memory;
    return this.mem(pc, addr, 'read', length, () => m.readBytes(BigInt.asUintN(64, addr), length, PERM_R));
  }
  override write(addr: bigint, data: Uint8Array, pc: number): void {
    if (data.length === 0) return;
    const m = this.kernel.machine.memory;
    this.mem(pc, addr, 'write', data.length, () => m.writeBytes(BigInt.asUintN(64, addr), data, PERM_W));
  }
}

export interface HelperContext {
  helpers: HelperTable;
  memory: MachineBpfMemory;
  /** emulated pages → region arrays */
  pull(): void;
  /** region arrays → emulated pages */
  push(): void;
  /** End the whole program with r0 = value (the conformance suite's "unwind" helper); runJit only. */
  unwind?(cpu: Cpu, value: bigint): void;
  /** BPF slot of the call that returns to `lr`, for messages. */
  pcOf(lr: bigint): number;
}

/** Helpers implemented in A64 (kernel-text name, body); the rest are host calls into the HelperTable. */
const NATIVE_HELPERS = new Map<number, { name: string; emit: (a: Asm, bti: boolean) => void }>([
  [BPF_FUNC_GET_ATTACH_COOKIE, { name: 'bpf_get_attach_cookie_tracing', emit: emitGetAttachCookie }],
]);

export class JitRuntime {
  readonly dummyTramp: bigint;
  private readonly stubs = new Map<number, bigint>();
  /** The context of the run in progress (runJit), which takes precedence. */
  active: HelperContext | undefined;
  /** Long-lived contexts of attached programs, by code range (the caller's LR is inside its program). */
  private readonly bound: { start: bigint; end: bigint; ctx: HelperContext }[] = [];

  /** Serve helper calls made from [start, end) with `ctx` until the returned function is called. */
  bind(start: bigint, end: bigint, ctx: HelperContext): () => void {
    if (this.bound.some((b) => start < b.end && b.start < end))
      throw new KernelError('EBUSY', `helpers are already bound for code at 0x${start.toString(16)}`);
    const entry = { start, end, ctx };
    this.bound.push(entry);
    return () => {
      const i = this.bound.indexOf(entry);
      if (i >= 0) this.bound.splice(i, 1);
    };
  }

  constructor(readonly kernel: Kernel) {
    const a = new Asm(0n);
    if (kernel.bti) a.bti('j');
    a.mov(X[10]!, X[30]!);
    a.mov(X[30]!, X[9]!);
    a.ret(X[10]!);
    this.dummyTramp = this.place('dummy_tramp', a);
  }

  private place(name: string, a: Asm): bigint {
    const bytes = a.finish().bytes;
    const region = this.kernel.imageAlloc(bytes.length, 'text', 8);
    this.kernel.writeText(region.address, bytes);
    this.kernel.kallsyms.add({ name, address: region.address, size: BigInt(bytes.length), type: 't' });
    return region.address;
  }

  /** The kernel-text stub of helper `id`, created (and its host call registered) on first use. */
  helperStub(id: number): bigint {
    const have = this.stubs.get(id);
    if (have !== undefined) return have;
    if (!Number.isInteger(id) || id <= 0 || id > MAX_STUB_HELPER_ID)
      throw new KernelError('EINVAL', `helper id ${id} is outside 1..${MAX_STUB_HELPER_ID}; no such helper`);
    const native = NATIVE_HELPERS.get(id);
    if (native !== undefined) {
      const n = new Asm(0n);
      native.emit(n, this.kernel.bti);
      const addr = this.place(native.name, n);
      this.stubs.set(id, addr);
      return addr;
    }
    const imm = HOSTCALL_BPF_HELPER + id;
    const name = kernelHelperName(id) ?? `bpf_helper_${id}`;
    this.kernel.machine.registerHostCall(imm, { name, cycles: 20, fn: (cpu) => this.call(cpu, id) });
    const a = new Asm(0n);
    if (this.kernel.bti) a.bti('c');
    a.hvc(imm);
    a.ret();
    const addr = this.place(name, a);
    this.stubs.set(id, addr);
    return addr;
  }

  private call(cpu: Cpu, id: number): void {
    const lr = cpu.x(30);
    const run = this.active ?? this.bound.find((b) => lr >= b.start && lr < b.end)?.ctx;
    if (run === undefined)
      throw new MachineFault(
        'HostCallError',
        `BPF helper ${id} was called from 0x${lr.toString(16)}, which has no helpers bound (use runJit, or bindJitHelpers for an attached program)`,
      );
    const pc = run.pcOf(cpu.x(30));
    const fn = run.helpers.get(id);
    if (fn === undefined) throw new BpfRuntimeError('BPF_HELPER', pc, `unknown helper ${id}`);
    const args: HelperArgs = [cpu.x(0), cpu.x(1), cpu.x(2), cpu.x(3), cpu.x(4)];
    let unwound = false;
    run.pull();
    let ret: bigint;
    try {
      ret = fn(args, { memory: run.memory, pc, unwind: () => (unwound = true) });
    } catch (e) {
      if (e instanceof BpfRuntimeError) throw e;
      throw new BpfRuntimeError(
        'BPF_HELPER',
        pc,
        `helper ${id} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    run.push();
    ret = BigInt.asUintN(64, ret);
    cpu.setX(0, ret);
    if (unwound) {
      if (run.unwind === undefined)
        throw new BpfRuntimeError(
          'BPF_HELPER',
          pc,
          `helper ${id} asked to end the program, which only runJit supports`,
        );
      run.unwind(cpu, ret);
    }
  }
}

const runtimes = new WeakMap<Kernel, JitRuntime>();

/** The JIT runtime of a kernel (stubs are installed once per kernel). */
export function jitRuntime(kernel: Kernel): JitRuntime {
  let r = runtimes.get(kernel);
  if (r === undefined) runtimes.set(kernel, (r = new JitRuntime(kernel)));
  return r;
}

/** Map `regions` into emulated memory (whole pages, RW or R); returns the page ranges to unmap. */
export function mapRegions(kernel: Kernel, regions: readonly MemRegion[]): { at: bigint; size: number }[] {
  const mem = kernel.machine.memory;
  const mapped: { at: bigint; size: number }[] = [];
  try {
    for (const r of regions) {
      if (r.bytes.length === 0) continue;
      const start = r.base & ~0xfffn;
      const end = (r.base + BigInt(r.bytes.length) + 0xfffn) & ~0xfffn;
      for (let p = start; p < end; p += 4096n) {
        if (mem.isMapped(p)) {
          if (mapped.some((m) => p >= m.at && p < m.at + BigInt(m.size))) continue;
          throw new KernelError(
            'EBUSY',
            `region ${r.name} at 0x${r.base.toString(16)} overlaps memory the kernel already uses (page 0x${p.toString(16)})`,
          );
        }
        mem.map(p, 4096, PERM_R | PERM_W);
        mapped.push({ at: p, size: 4096 });
      }
      mem.writeBytes(r.base, r.bytes, 0);
    }
  } catch (e) {
    for (const m of mapped) mem.unmap(m.at, m.size);
    throw e;
  }
  return mapped;
}
