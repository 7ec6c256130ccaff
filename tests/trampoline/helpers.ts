/**
 * Hand-assembled stand-ins for JITed BPF programs, in the arm64 JIT's exact entry and PLT shape
 * (facts: shared/facts/bpf-arm64.md §1.3, §3):
 *
 *   [bti jc] ; mov x9, lr ; nop (poke site) ; [paciasp] ; stp x29, lr, [sp, #-16]! ; mov x29, sp
 *   <body> ; ldp x29, lr, [sp], #16 ; [autiasp] ; ret
 *   PLT: [nop to 8-byte align] ; ldr x10, target ; br x10 ; target: .quad dummy_tramp
 *
 * `tracer` is a tracing program that records what it saw (ctx[0], ctx−8, ctx−16, ctx[1], its cookie via
 * current->bpf_ctx, a global sequence number) into a record, and returns a chosen value. `kernelSiteTarget`
 * points a test-kernel function's call site at a trampoline.
 */
import { Asm } from '../../src/a64/asm.js';
import { X, LR, FP, SP } from '../../src/a64/builder.js';
import { Kernel, type KernelOptions } from '../../src/kernel/kernel.js';
import { TASK_BPF_CTX, allocBpfProg, trampRuntime, type TrampProg } from '../../src/trampoline/runtime.js';
import type { BpfProgImage } from '../../src/trampoline/poke.js';
import { functionModel } from '../../src/bpf/btf/model.js';
import { parseBtf } from '../../src/bpf/btf/parse.js';
import type { TestKernel } from '../../src/kernel/testkernel.js';
import {
  bpfArchTextPoke,
  trampModel,
  trampolineKey,
  type FentryTarget,
  type PokeRecord,
} from '../../src/trampoline/index.js';

const NOP = 0xd503201f;

export function newKernel(opts: KernelOptions = {}): Kernel {
  return new Kernel({ layout: { kind: 'nokaslr', seed: 1 }, ...opts });
}

/** Emit a JIT-shaped program whose body is `body(a)` (x0 = ctx in, x0 = result out; may use x1–x8). */
export function jitShaped(
  k: Kernel,
  name: string,
  body: (a: Asm) => void,
  opts: { lo?: bigint } = {},
): BpfProgImage {
  const rt = trampRuntime(k);
  const pac = k.machine.options.pac;
  const emit = (base: bigint): { bytes: Uint8Array; poke: bigint; pltEntry: bigint; pltTarget: bigint } => {
    const a = new Asm(base);
    if (k.bti) a.bti('jc');
    a.mov(X[9]!, LR);
    const poke = a.pc;
    a.nop();
    if (pac) a.paciasp();
    a.push(FP, LR);
    a.mov(FP, SP);
    body(a);
    a.pop(FP, LR);
    if (pac) a.autiasp();
    a.ret();
    if (a.pc % 8n !== 0n) a.nop(); // so the .quad after ldr + br is 8-byte aligned
    const pltEntry = a.pc;
    const target = a.label('plt_target');
    a.ldrLit(X[10]!, target);
    a.br(X[10]!);
    a.bind(target);
    const pltTarget = a.pc;
    a.quad(rt.dummyTramp);
    return { bytes: a.finish().bytes, poke, pltEntry, pltTarget };
  };
  const size = emit(0n).bytes.length;
  const addr = k.allocExec(size, name, opts.lo !== undefined ? { lo: opts.lo } : {});
  const e = emit(addr);
  k.writeText(addr, e.bytes);
  k.kallsyms.add({ name, address: addr, size: BigInt(size), type: 't' });
  return { name, address: addr, size, pokeSite: e.poke, plt: { entry: e.pltEntry, target: e.pltTarget } };
}

/** Record layout written by `tracer`. */
export const REC = { ARG0: 0, NARGS: 8, IP: 16, CTX1: 24, COOKIE: 32, SEQ: 40, HITS: 48, SIZE: 64 } as const;

export interface Tracer {
  readonly image: BpfProgImage;
  readonly prog: TrampProg;
  readonly rec: bigint;
  read(field: keyof typeof REC): bigint;
}

/** Shared state of the tracers of one test: the global sequence counter. */
export function seqCounter(k: Kernel): bigint {
  return k.imageAlloc(8, 'data', 8).address;
}

/**
 * A tracing program: records ctx[0], ctx[−1] (nargs), ctx[−2] (ip), ctx[1], cookie, ++seq, ++hits; returns `ret`.
 * `extra` runs after recording (e.g. call another function), with the ctx in x0 clobbered.
 */
export function tracer(
  k: Kernel,
  name: string,
  seq: bigint,
  opts: { ret?: bigint; usesFuncIp?: boolean; extra?: (a: Asm) => void } = {},
): Tracer {
  const rec = k.imageAlloc(REC.SIZE, 'data', 16).address;
  const image = jitShaped(k, name, (a) => {
    a.movAddr48(X[8]!, rec);
    a.ldr(X[1]!, X[0]!, 0);
    a.str(X[1]!, X[8]!, REC.ARG0);
    a.ldr(X[1]!, X[0]!, -8);
    a.str(X[1]!, X[8]!, REC.NARGS);
    a.ldr(X[1]!, X[0]!, -16);
    a.str(X[1]!, X[8]!, REC.IP);
    a.ldr(X[1]!, X[0]!, 8);
    a.str(X[1]!, X[8]!, REC.CTX1);
    // bpf_get_attach_cookie: current->bpf_ctx → struct bpf_tramp_run_ctx → cookie.
    a.mrs(X[2]!, 'sp_el0');
    a.ldr(X[2]!, X[2]!, TASK_BPF_CTX);
    a.ldr(X[2]!, X[2]!, 0);
    a.str(X[2]!, X[8]!, REC.COOKIE);
    a.movAddr48(X[3]!, seq);
    a.ldr(X[4]!, X[3]!, 0);
    a.add(X[4]!, X[4]!, 1);
    a.str(X[4]!, X[3]!, 0);
    a.str(X[4]!, X[8]!, REC.SEQ);
    // Atomic, so that CPUs running the program at once do not lose counts.
    a.add(X[5]!, X[8]!, REC.HITS);
    a.movz(X[4]!, 1);
    a.stadd(X[4]!, X[5]!);
    opts.extra?.(a);
    a.movImm(X[0]!, BigInt.asUintN(64, opts.ret ?? 0n));
  });
  const prog: TrampProg = {
    name,
    bpfFunc: image.address,
    progStruct: allocBpfProg(trampRuntime(k), image.address),
    usesFuncIp: opts.usesFuncIp ?? false,
  };
  const mem = k.machine.memory;
  return { image, prog, rec, read: (f) => mem.read64(rec + BigInt(REC[f])) };
}

/** A target program: returns ctx * 3 + 1 (its "ctx" argument is a plain value here), counting its runs. */
export function targetProg(
  k: Kernel,
  name = 'target_prog',
  opts: { lo?: bigint } = {},
): {
  image: BpfProgImage;
  runs: () => bigint;
} {
  const counter = k.imageAlloc(8, 'data', 8).address;
  const image = jitShaped(
    k,
    name,
    (a) => {
      a.movAddr48(X[2]!, counter);
      a.ldr(X[3]!, X[2]!, 0);
      a.add(X[3]!, X[3]!, 1);
      a.str(X[3]!, X[2]!, 0);
      a.add(X[1]!, X[0]!, X[0]!, { shift: 'lsl', amount: 1 });
      a.add(X[0]!, X[1]!, 1);
    },
    opts,
  );
  return { image, runs: () => k.machine.memory.read64(counter) };
}

/**
 * A direct-call site on a test-kernel function with an '=2' call site (gcc-pfe2): `mov x9, lr` written once
 * into the first NOP, then the second NOP ↔ `bl tramp` — the attach interface used as a strategy uses it.
 */
export function kernelSiteTarget(tk: TestKernel, name: string): FentryTarget {
  const k = tk.kernel;
  const site = tk.callSite(name);
  const btf = parseBtf(tk.btf!);
  const m = functionModel(btf, name);
  const a = new Asm(site.address);
  a.mov(X[9]!, LR);
  const movX9 = a.finish().words[0]!;
  return {
    key: trampolineKey(m.id, { btfObjId: 1 }),
    name,
    funcAddr: site.func.address,
    model: trampModel(m),
    errorInjectable: name === 'bpf_modify_return_test',
    retarget(oldTramp, newTramp): PokeRecord[] {
      if (k.patcher.read(site.address) === NOP) k.patcher.patchText(site.address, NOP, movX9);
      return [bpfArchTextPoke(k, { ip: site.ip, name: `${name} call site` }, 'call', oldTramp, newTramp)];
    },
  };
}
