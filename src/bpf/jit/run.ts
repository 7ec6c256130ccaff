/**
 * Running JITed programs on the emulated CPU: the same inputs the interpreter takes (input buffer in r1/r2,
 * ctx, map regions, a helper table) at the same addresses, and the same answers (r0, the regions' bytes
 * afterwards), plus what the CPU did (A64 instructions, modelled cycles).
 *
 * The BPF stack is the CPU's kernel stack: the program's frame is built by its own prologue below the SP it
 * is called with, as when a trampoline calls bpf_func.
 */
import type { Kernel } from '../../kernel/kernel.js';
import { ADDRESS_MAP, type RunResult } from '../interp/vm.js';
import type { MemRegion } from '../interp/memory.js';
import type { HelperSet, HelperTable } from '../helpers/types.js';
import type { BpfInsn } from '../isa/insn.js';
import { MapSet } from '../maps/registry.js';
import type { BpfProgram } from '../object/load.js';
import {
  CTX_ADDRESS,
  ctxBytes,
  RUN_CTX_ADDRESS,
  runCtxBytes,
  tracingHelpers,
  type TracingRun,
  type TracingResult,
} from '../object/run.js';
import { TASK_BPF_CTX } from '../helpers/runctx.js';
import { KernelError } from '../../util/errors.js';
import { bpfPcAt, freeJitImage, jitProgram, searchExtable, type JitImage } from './image.js';
import { MachineFault } from '../../machine/faults.js';
import type { Cpu } from '../../machine/cpu.js';
import { jitRuntime, mapRegions, MachineBpfMemory } from './runtime.js';

export interface JitRunInput {
  /** x0–x4 (R1–R5) at entry. */
  args: readonly bigint[];
  /** Memory the program may touch, mapped at its addresses for the run and copied back afterwards. */
  regions?: readonly MemRegion[];
  helpers?: HelperTable;
  cpu?: number;
  /** Bound on emulated A64 instructions (default 50 million). */
  maxInstructions?: number;
}

export interface JitRunResult extends RunResult {
  /** A64 instructions the CPU executed for this run (`insns` counts the same). */
  a64Insns: number;
  cycles: number;
}

/** Call `image` once on CPU `cpu`. Regions are mapped, synchronised and unmapped again, also on errors. */
export function runJit(kernel: Kernel, image: JitImage, input: JitRunInput): JitRunResult {
  const rt = jitRuntime(kernel);
  const machine = kernel.machine;
  const cpu = machine.cpus[input.cpu ?? 0]!;
  const regions = input.regions ?? [];
  const mapped = mapRegions(kernel, regions);
  const mem = machine.memory;
  const writable = regions.filter((r) => r.writable && r.bytes.length > 0);
  const pull = (): void => {
    for (const r of writable) r.bytes.set(mem.readBytes(r.base, r.bytes.length, 0));
  };
  const push = (): void => {
    for (const r of writable) mem.writeBytes(r.base, r.bytes, 0);
  };
  const sp0 = machine.defaultStack(cpu.id);
  const mainFrame = image.functions[0]!.frameBytes;
  rt.active = {
    helpers: input.helpers ?? new Map(),
    memory: new MachineBpfMemory(kernel),
    pull,
    push,
    unwind: (c, value) => {
      c.sp = sp0 - BigInt(mainFrame);
      c.setX(7, value);
      c.setX(30, image.epilogue);
    },
    pcOf: (lr) => Math.max(0, bpfPcAt(image, lr - 4n)),
  };
  const insns0 = cpu.insns;
  const cycles0 = cpu.cycles;
  try {
    cpu.sp = sp0;
    const r0 = callWithExtable(kernel, image, cpu, input.args, input.maxInstructions ?? 50_000_000);
    pull();
    const a64Insns = cpu.insns - insns0;
    return { r0, insns: a64Insns, a64Insns, cycles: cpu.cycles - cycles0 };
  } finally {
    rt.active = undefined;
    cpu.halted = false;
    for (const m of mapped) mem.unmap(m.at, m.size);
  }
}

/**
 * Machine.call with the kernel's fault path for BPF: a translation or permission fault on a load listed in
 * the image's exception table is fixed up (destination zeroed, execution resumes after the load), as
 * do_page_fault → fixup_exception → ex_handler_bpf does; any other fault is thrown.
 */
function callWithExtable(
  kernel: Kernel,
  image: JitImage,
  cpu: Cpu,
  args: readonly bigint[],
  max: number,
): bigint {
  const machine = kernel.machine;
  machine.prepareCall(cpu, image.address, args);
  let left = max;
  for (;;) {
    while (!cpu.halted && left > 0) {
      left -= cpu.run(Math.min(left, 1_000_000));
      if (cpu.stopRequested) break;
    }
    const f = cpu.fault;
    if (f !== undefined) {
      const fix =
        (f.kind === 'TranslationFault' || f.kind === 'PermissionFault') && f.pc !== undefined
          ? searchExtable(kernel, image, f.pc)
          : undefined;
      cpu.fault = undefined;
      cpu.halted = false;
      if (fix === undefined) throw f;
      if (fix.reg !== EX_DONT_CLEAR) cpu.setX(fix.reg, 0n);
      cpu.pc = fix.resume;
      continue;
    }
    if (cpu.stopRequested) return cpu.x(0);
    throw new MachineFault(
      'Unimplemented',
      `${image.name} did not return within ${max} A64 instructions (pc 0x${cpu.pc.toString(16)})`,
    );
  }
}

/**
 * Serve the helper calls of an attached program (called by a trampoline, not by runJit): `regions` (its maps)
 * are mapped into emulated memory at their addresses until `unbind`, and synchronised with the maps' arrays
 * around each helper call; `sync()` copies emulated memory back into the arrays (to read results).
 */
export function bindJitHelpers(
  kernel: Kernel,
  image: JitImage,
  helpers: HelperTable,
  regions: readonly MemRegion[] = [],
): { sync(): void; unbind(): void } {
  const rt = jitRuntime(kernel);
  const mem = kernel.machine.memory;
  const mapped = mapRegions(kernel, regions);
  const writable = regions.filter((r) => r.writable && r.bytes.length > 0);
  const pull = (): void => {
    for (const r of writable) r.bytes.set(mem.readBytes(r.base, r.bytes.length, 0));
  };
  const push = (): void => {
    for (const r of writable) mem.writeBytes(r.base, r.bytes, 0);
  };
  let unbindRt: () => void;
  try {
    unbindRt = rt.bind(image.address, image.address + BigInt(image.size), {
      helpers,
      memory: new MachineBpfMemory(kernel),
      pull,
      push,
      pcOf: (lr) => Math.max(0, bpfPcAt(image, lr - 4n)),
    });
  } catch (e) {
    for (const m of mapped) mem.unmap(m.at, m.size);
    throw e;
  }
  return {
    sync: pull,
    unbind: () => {
      pull();
      unbindRt();
      for (const m of mapped) mem.unmap(m.at, m.size);
    },
  };
}

/** x5 is never a BPF register; the exception table uses its number for "do not clear" (stores). */
const EX_DONT_CLEAR = 5;

/** JIT a bpf_conformance program, run it with `mem` as the input buffer (r1 = address, r2 = length), free it. */
export function runConformanceJit(
  kernel: Kernel,
  program: readonly BpfInsn[],
  mem: Uint8Array | undefined,
  helpers: HelperTable,
  opts: { atomics?: 'lse' | 'llsc' } = {},
): JitRunResult & { image: JitImage } {
  const image = jitProgram(kernel, program, {
    name: 'conformance',
    inlineHelpers: false,
    ...(opts.atomics !== undefined ? { atomics: opts.atomics } : {}),
  });
  try {
    const buf = mem ?? new Uint8Array(0);
    const res = runJit(kernel, image, {
      args: [ADDRESS_MAP.input, BigInt(buf.length)],
      regions: [{ name: 'mem', base: ADDRESS_MAP.input, bytes: buf, writable: true }],
      helpers,
    });
    return { ...res, image };
  } finally {
    freeJitImage(kernel, image);
  }
}

/**
 * `runTracingProgram` on the JIT: the object's maps (`maps`) and the tracing ctx at the interpreter's
 * addresses, the same helper table; the ctx pointer in x0 as a trampoline passes it. For the run,
 * current->bpf_ctx of the CPU's task points at a run context holding `run.cookie` (as __bpf_prog_enter
 * leaves it), so bpf_get_attach_cookie reads the cookie the interpreter returns; the old pointer is restored.
 */
export function runTracingProgramJit(
  kernel: Kernel,
  prog: BpfProgram,
  maps: MapSet,
  run: TracingRun,
  opts: { atomics?: 'lse' | 'llsc' } = {},
): TracingResult & { a64Insns: number; cycles: number; image: JitImage } {
  const printk: string[] = [];
  const table: HelperTable = new Map([...maps.helpers(), ...tracingHelpers(prog, run, printk)]);
  const image = jitProgram(kernel, prog.insns, {
    name: prog.name,
    attachType: prog.attachType,
    resolveLdImm64: maps.resolveLdImm64,
    ...(opts.atomics !== undefined ? { atomics: opts.atomics } : {}),
  });
  const mem = kernel.machine.memory;
  const cpu = run.cpu ?? 0;
  const task = kernel.tasks[cpu];
  if (task === undefined)
    throw new KernelError('EINVAL', `CPU ${cpu} does not exist; the kernel has ${kernel.tasks.length}`);
  const savedRunCtx = mem.read64(task + BigInt(TASK_BPF_CTX));
  try {
    mem.write64(task + BigInt(TASK_BPF_CTX), RUN_CTX_ADDRESS);
    const res = runJit(kernel, image, {
      args: [CTX_ADDRESS + 16n],
      regions: [
        ...maps.regions(),
        { name: 'ctx', base: CTX_ADDRESS, bytes: ctxBytes(run), writable: false },
        { name: 'run_ctx', base: RUN_CTX_ADDRESS, bytes: runCtxBytes(run), writable: false },
      ],
      helpers: table,
      cpu,
    });
    return { ...res, printk, image };
  } finally {
    mem.write64(task + BigInt(TASK_BPF_CTX), savedRunCtx);
    freeJitImage(kernel, image);
  }
}

/** A `ConformanceOptions.engine` that runs each test's program JITed on `kernel`'s CPU 0. */
export function jitEngine(
  kernel: Kernel,
  opts: { atomics?: 'lse' | 'llsc' } = {},
): (program: BpfInsn[], mem: Uint8Array | undefined, helpers: HelperSet) => RunResult {
  return (program, mem, helpers) => runConformanceJit(kernel, program, mem, helpers.table, opts);
}
