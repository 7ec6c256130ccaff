/**
 * Return hooking on the live ftrace layer: `registerReturnHook(ftrace, { name, filter, entry?, exit })`
 * registers an ftrace_ops whose func is the A64 `ftrace_graph_func` (graph/text.ts), embedded in a
 * `struct fgraph_ops` that names the hook's entry and exit callbacks; `unregisterReturnHook` removes it.
 * This is what the `ops` strategy's fexit (fprobe-style) and the function-graph tracer stand on.
 *
 * One `FunctionGraph` per FtraceKernel, created on first use: the text in kernel image text (kallsyms
 * `ftrace_graph_func`, `return_to_handler`, `ftrace_return_to_handler`), a return stack per task
 * (graph/abi.ts), and the fgraph array — at most FGRAPH_ARRAY_SIZE (16) hooks registered at once, as the
 * kernel's fgraph_array; the 17th is ENOSPC.
 *
 * Lifetime: a function entered while a hook was registered returns through return_to_handler even after
 * the hook is gone, and its return-stack entry points at the hook's fgraph_ops. So removal first stubs the
 * fgraph_ops (retfunc = entryfunc = 0: pending returns skip the callback, as the kernel's fgraph_stub),
 * then unregisters the ops; the fgraph_ops memory is reused for a later hook only once a tasks-RCU grace
 * period has passed, ftrace has no update in flight, and no task's return stack refers to it.
 */
import type { Kernel } from '../../kernel/kernel.js';
import { UnwindFixupError, type UnwindFixup } from '../../kernel/unwind.js';
import { KernelError } from '../../util/errors.js';
import type { FtraceKernel } from '../live.js';
import { FtraceOps } from '../ops.js';
import {
  FGRAPH_ARRAY_SIZE,
  FGRAPH_OPS,
  FTRACE_RETFUNC_DEPTH,
  RET_STACK_ENTRY,
  TASK_CURR_RET_STACK,
  TASK_RET_STACK,
  TASK_RET_STACK_DEPTH,
  TASK_TRACE_OVERRUN,
} from './abi.js';
import { buildGraphText, type GraphText } from './text.js';

export interface ReturnHookOptions {
  /** Name of the hook; its ftrace_ops is `<name>` and its fgraph_ops `<name>_gops` in kallsyms. */
  readonly name: string;
  /** set_ftrace_filter text selecting the functions (e.g. `bpf_fentry_test1`, `bpf_fentry_test*`). */
  readonly filter: string;
  /** Optional A64 entry callback (ip, parent_ip, gops, frame) → x0 = 0 to leave this call's return alone. */
  readonly entry?: bigint;
  /** A64 exit callback (ip, retval, parent_ip, gops), called with the traced function's return value. */
  readonly exit: bigint;
  /** A value for fgraph_ops->private (the callbacks read it through gops). */
  readonly private?: bigint;
}

/** A registered return hook. */
export interface ReturnHook {
  readonly name: string;
  readonly ops: FtraceOps;
  /** Address of its struct fgraph_ops (what the callbacks receive as gops). */
  readonly gops: bigint;
  /** Its slot in the fgraph array. */
  readonly idx: number;
  readonly entry: bigint;
  readonly exit: bigint;
}

/** One entry of a task's return stack, as read from memory. */
export interface RetStackEntry {
  readonly ret: bigint;
  readonly func: bigint;
  readonly fp: bigint;
  readonly gops: bigint;
}

export interface FunctionGraphOptions {
  /** Return-stack entries per task (default FTRACE_RETFUNC_DEPTH = 50). */
  readonly depth?: number;
  /**
   * Test-only protocol breaker: reuse a removed hook's fgraph_ops at once, without waiting for a grace
   * period or for pending returns that refer to it (the SMP test must notice).
   */
  readonly mutations?: { readonly reuseWithoutChecks?: boolean };
}

interface GopsMem {
  readonly addr: bigint;
  /** Registered hook using it, if any. */
  hook: ReturnHook | undefined;
  /** A grace period passed since it was stubbed. */
  quiesced: boolean;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

export class FunctionGraph {
  readonly text: GraphText;
  readonly depth: number;
  private readonly reuseWithoutChecks: boolean;
  private readonly kernel: Kernel;
  private readonly gops: GopsMem[] = [];
  private readonly slots: (ReturnHook | undefined)[] = new Array(FGRAPH_ARRAY_SIZE).fill(undefined);

  constructor(
    readonly ftrace: FtraceKernel,
    opts: FunctionGraphOptions = {},
  ) {
    const depth = opts.depth ?? FTRACE_RETFUNC_DEPTH;
    if (!Number.isInteger(depth) || depth < 1 || depth > 4096)
      throw new KernelError('EINVAL', `function graph: return-stack depth ${depth} must be 1–4096`);
    this.depth = depth;
    this.reuseWithoutChecks = opts.mutations?.reuseWithoutChecks ?? false;
    const k = (this.kernel = ftrace.kernel);
    const region = k.imageAlloc(1024, 'text', 64);
    this.text = buildGraphText(region.address, ftrace.frame);
    if (this.text.bytes.length > region.size)
      throw new Error(`graph text is ${this.text.bytes.length} bytes; its region holds ${region.size}`);
    k.writeText(region.address, this.text.bytes);
    for (const s of this.text.symbols) k.kallsyms.add({ ...s, type: 'T' });
    const mem = k.machine.memory;
    k.tasks.forEach((task, cpu) => {
      const stack = k.imageAlloc(depth * RET_STACK_ENTRY.SIZE, 'data', 64).address;
      k.kallsyms.add({
        name: `ret_stack_${cpu}`,
        address: stack,
        size: BigInt(depth * RET_STACK_ENTRY.SIZE),
        type: 'd',
      });
      mem.write64(task + BigInt(TASK_RET_STACK), stack);
      mem.write64(task + BigInt(TASK_CURR_RET_STACK), 0n);
      mem.write64(task + BigInt(TASK_RET_STACK_DEPTH), BigInt(depth));
      mem.write64(task + BigInt(TASK_TRACE_OVERRUN), 0n);
    });
  }

  /** register_ftrace_graph: a new hook on the functions `filter` selects. */
  register(o: ReturnHookOptions): ReturnHook {
    if (o.exit === 0n)
      throw new KernelError(
        'EINVAL',
        `function graph: ${o.name} has no exit callback (give exit an address)`,
      );
    const idx = this.slots.findIndex((s) => s === undefined);
    if (idx < 0)
      throw new KernelError(
        'ENOSPC',
        `function graph: ${FGRAPH_ARRAY_SIZE} return hooks are registered (FGRAPH_ARRAY_SIZE); unregister one first`,
      );
    const g = this.takeGops(o.name);
    const ops = new FtraceOps({
      name: o.name,
      funcName: 'ftrace_graph_func',
      func: this.text.graphFunc,
      address: g.addr + BigInt(FGRAPH_OPS.OPS),
    });
    const hook: ReturnHook = {
      name: o.name,
      ops,
      gops: g.addr,
      idx,
      entry: o.entry ?? 0n,
      exit: o.exit,
    };
    const mem = this.kernel.machine.memory;
    mem.write64(g.addr + BigInt(FGRAPH_OPS.ENTRYFUNC), hook.entry);
    mem.write64(g.addr + BigInt(FGRAPH_OPS.RETFUNC), hook.exit);
    mem.write64(g.addr + BigInt(FGRAPH_OPS.PRIVATE), o.private ?? 0n);
    mem.write64(g.addr + BigInt(FGRAPH_OPS.IDX), BigInt(idx));
    try {
      this.ftrace.setFilter(ops, o.filter, { reset: true });
      this.ftrace.register(ops);
    } catch (e) {
      // Nothing half-applied: the fgraph_ops goes back, stubbed (no CPU can have reached it).
      this.stub(g.addr);
      g.quiesced = true;
      throw e;
    }
    g.hook = hook;
    this.slots[idx] = hook;
    return hook;
  }

  /** unregister_ftrace_graph: pending returns stop calling the exit callback at once. */
  unregister(hook: ReturnHook): void {
    const g = this.gops.find((m) => m.addr === hook.gops);
    if (!g || g.hook !== hook)
      throw new KernelError('ENOENT', `function graph: ${hook.name} is not a registered return hook`);
    this.stub(g.addr);
    this.ftrace.unregister(hook.ops);
    g.hook = undefined;
    this.slots[hook.idx] = undefined;
    this.kernel.rcu.callRcuTasks(`fgraph_ops ${hook.name}`, () => {
      g.quiesced = true;
    });
  }

  /** The registered hooks, by fgraph array slot. */
  get hooks(): readonly ReturnHook[] {
    return this.slots.filter((s): s is ReturnHook => s !== undefined);
  }

  private stub(addr: bigint): void {
    const mem = this.kernel.machine.memory;
    mem.write64(addr + BigInt(FGRAPH_OPS.RETFUNC), 0n);
    mem.write64(addr + BigInt(FGRAPH_OPS.ENTRYFUNC), 0n);
  }

  /** A free fgraph_ops: a retired one nothing can still reach, else new image data. */
  private takeGops(name: string): GopsMem {
    const busy = this.referencedGops();
    const reusable = this.gops.find(
      (g) =>
        g.hook === undefined &&
        (this.reuseWithoutChecks || (g.quiesced && this.ftrace.pending.length === 0 && !busy.has(g.addr))),
    );
    if (reusable) {
      reusable.quiesced = false;
      return reusable;
    }
    const addr = this.kernel.imageAlloc(FGRAPH_OPS.SIZE, 'data', 64).address;
    this.kernel.kallsyms.add({
      name: `${name}_gops`,
      address: addr,
      size: BigInt(FGRAPH_OPS.SIZE),
      type: 'd',
    });
    const g: GopsMem = { addr, hook: undefined, quiesced: false };
    this.gops.push(g);
    return g;
  }

  private referencedGops(): Set<bigint> {
    const s = new Set<bigint>();
    for (let cpu = 0; cpu < this.kernel.tasks.length; cpu++)
      for (const e of this.retStack(cpu)) s.add(e.gops);
    return s;
  }

  // ------------------------------------------------------------------ per-task state, read from memory

  private taskWord(cpu: number, off: number): bigint {
    const task = this.kernel.tasks[cpu];
    if (task === undefined) throw new KernelError('EINVAL', `function graph: no CPU ${cpu}`);
    return this.kernel.machine.memory.read64(task + BigInt(off));
  }

  /** The live entries of CPU `cpu`'s task's return stack, bottom first. */
  retStack(cpu: number): RetStackEntry[] {
    const n = Number(this.taskWord(cpu, TASK_CURR_RET_STACK));
    const base = this.taskWord(cpu, TASK_RET_STACK);
    const mem = this.kernel.machine.memory;
    const out: RetStackEntry[] = [];
    for (let i = 0; i < Math.min(n, this.depth); i++) {
      const e = base + BigInt(i * RET_STACK_ENTRY.SIZE);
      out.push({
        ret: mem.read64(e + BigInt(RET_STACK_ENTRY.RET)),
        func: mem.read64(e + BigInt(RET_STACK_ENTRY.FUNC)),
        fp: mem.read64(e + BigInt(RET_STACK_ENTRY.FP)),
        gops: mem.read64(e + BigInt(RET_STACK_ENTRY.GOPS)),
      });
    }
    return out;
  }

  /** current->trace_overrun of CPU `cpu`'s task: hooks skipped because its return stack was full. */
  overruns(cpu: number): number {
    return Number(this.taskWord(cpu, TASK_TRACE_OVERRUN));
  }

  /**
   * The unwinder's knowledge of return hooks for CPU `cpu`'s task (kunwind_recover_return_address): a
   * return address equal to return_to_handler stands for the `ret` of the newest return-stack entry, at
   * or below the last one used, whose fp is the caller's frame record that goes with it.
   */
  unwindFixup(cpu: number): UnwindFixup {
    const rth = this.text.returnToHandler;
    let stack: RetStackEntry[] = [];
    let cursor = -1;
    return {
      name: 'function_graph',
      begin: () => {
        stack = this.retStack(cpu);
        cursor = stack.length - 1;
      },
      recover: (pc, ctx) => {
        if (pc !== rth) return undefined;
        for (let i = cursor; i >= 0; i--) {
          if (stack[i]!.fp === ctx.fp) {
            cursor = i - 1;
            return stack[i]!.ret;
          }
        }
        throw new UnwindFixupError(
          `return_to_handler with frame ${hex(ctx.fp)}: no return-stack entry of CPU ${cpu}'s task matches`,
        );
      },
    };
  }
}

const graphs = new WeakMap<FtraceKernel, FunctionGraph>();

/** The function-graph state of `ftrace`, created (text installed, return stacks allocated) on first use. */
export function functionGraph(ftrace: FtraceKernel, opts: FunctionGraphOptions = {}): FunctionGraph {
  let g = graphs.get(ftrace);
  if (!g) {
    g = new FunctionGraph(ftrace, opts);
    graphs.set(ftrace, g);
  } else if ((opts.depth !== undefined && opts.depth !== g.depth) || opts.mutations !== undefined) {
    throw new KernelError(
      'EBUSY',
      `function graph is already set up (depth ${g.depth}); its depth and mutations cannot change now`,
    );
  }
  return g;
}

/** register_ftrace_graph for `ftrace`: an ftrace_ops calling ftrace_graph_func on the functions of `filter`. */
export function registerReturnHook(ftrace: FtraceKernel, o: ReturnHookOptions): ReturnHook {
  return functionGraph(ftrace).register(o);
}

/** unregister_ftrace_graph. */
export function unregisterReturnHook(ftrace: FtraceKernel, hook: ReturnHook): void {
  functionGraph(ftrace).unregister(hook);
}
