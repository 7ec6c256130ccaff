/**
 * The `ops` strategy (SPEC.md "The strategies"): Mark Rutland's suggestion in the seed thread, as Florent
 * Revest's fprobe RFC of Nov 2022 realised it (facts: shared/facts/ftrace-arm64.md §8.2) — BPF as an
 * ordinary ftrace op, no direct call, no BPF trampoline. '=2' call sites, 'global' dispatch: every traced
 * site is `bl ftrace_caller`, which saves its frame (ftrace_regs, or pt_regs with `--frame regs`) and calls
 * ftrace_ops_list_func (a DYNAMIC op always goes through the list: the "iterating over a global list"
 * cost), which calls `bpf_fprobe_handler` → the function's generated entry code (ops-gen.ts). That code
 * copies the arguments out of the frame into a BPF ctx (the second save), runs fentry and fmod_ret
 * programs, and — only when fexit programs exist ("no rethook if unneeded") — hooks the return so that
 * `bpf_fprobe_exit_<func>` runs the fexit programs from return_to_handler.
 *
 * One `OpsAttachment` per (kernel, function). Link and unlink follow the trampoline core's rules (38 links,
 * EBUSY for a duplicate, EINVAL for fmod_ret on a function that is not error-injectable, all or nothing);
 * every change generates new code and switches to it with 8-byte stores (ops->private for the entry, the
 * gops' retfunc for the exit); the old code is freed after a tasks-RCU grace period — after ftrace has
 * applied the unlink of the op when the last program went (its update queue may still hold steps).
 *
 * Where it differs from the trampoline strategies (each pinned by a test in tests/strategies/ops*.test.ts):
 *   - fexit runs after the traced function returned, so an unwinder inside an fexit program sees
 *     return_to_handler (recovered to the caller) where the trampoline shows the traced function;
 *   - the return hook lives on the task's function-graph return stack: when it is full (FTRACE_RETFUNC_DEPTH)
 *     the call runs none of its programs and counts trace_overrun, as fprobe counts a miss;
 *   - a call that entered before a link change returns into the new exit code, which skips fexit for it
 *     (the generation check) — what a call inside a retired trampoline image does (ip_after_call → b
 *     ip_epilogue);
 *   - a free parked behind ftrace's step queue is released at the next link/unlink on that kernel, by a
 *     grace-period poll while some CPU runs, or by `opsParkedFrees()`.
 */
import { FTRACE_OPS } from '../../ftrace/arch/abi.js';
import { FGRAPH_OPS } from '../../ftrace/graph/abi.js';
import { functionGraph } from '../../ftrace/graph/graph.js';
import { OPS_FL, type FtraceOps } from '../../ftrace/ops.js';
import { disassemble } from '../../a64/index.js';
import { KernelError } from '../../util/errors.js';
import { trampModel } from '../bpf.js';
import { linkInto, unlinkFrom } from '../core.js';
import {
  checkModel,
  TRAMP_KINDS,
  type TrampFuncModel,
  type TrampKind,
  type TrampLink,
} from '../generator.js';
import { trampRuntime } from '../runtime.js';
import { FPROBE_GOPS_SIZE, fprobeText, generateFprobe, type FprobeCode } from './ops-gen.js';
import { ERROR_INJECTABLE, kernelFunctionModel } from './target.js';
import type { FunctionAttachment, Strategy, TracingKernel } from './types.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** One generation of a function's code in executable memory. */
interface CodeImage {
  readonly address: bigint;
  readonly size: number;
  readonly code: FprobeCode;
  readonly generation: bigint;
  readonly entrySymbol: string;
  readonly exitSymbol: string | undefined;
}

/** Per-kernel state of the strategy: attachments and deferred frees. */
interface OpsState {
  readonly attachments: Map<string, OpsAttachment>;
  /** Frees that must wait until ftrace applied the steps queued before them (target = stepsApplied). */
  readonly parked: { target: number; label: string; fn: () => void }[];
  chained: boolean;
}

const states = new WeakMap<TracingKernel, OpsState>();

function stateOf(tk: TracingKernel): OpsState {
  let s = states.get(tk);
  if (!s) {
    s = { attachments: new Map(), parked: [], chained: false };
    states.set(tk, s);
  }
  return s;
}

/**
 * Run `fn` after a tasks-RCU grace period that starts once ftrace has applied every step queued so far
 * (in 'step' mode the unlink of an op may still be pending, and a CPU may reach the op until it is applied).
 */
function afterFtraceAndGracePeriod(tk: TracingKernel, label: string, fn: () => void): void {
  const s = stateOf(tk);
  const ftrace = tk.ftrace;
  s.parked.push({ target: ftrace.stepsApplied + ftrace.pending.length, label, fn });
  pump(tk);
}

function pump(tk: TracingKernel): void {
  const s = stateOf(tk);
  const rcu = tk.kernel.rcu;
  for (let i = 0; i < s.parked.length;) {
    const p = s.parked[i]!;
    if (tk.ftrace.stepsApplied >= p.target) {
      s.parked.splice(i, 1);
      rcu.callRcuTasks(p.label, p.fn);
    } else i++;
  }
  // Look again after a grace period; only while some CPU runs (with every CPU idle the callback would run
  // at once, and nothing can apply the pending steps but a later call into ftrace or this module).
  const busy = tk.kernel.machine.cpus.some((c) => !rcu.idle(c.id));
  if (s.parked.length > 0 && !s.chained && busy) {
    s.chained = true;
    rcu.callRcuTasks('bpf_fprobe: ftrace steps pending', () => {
      s.chained = false;
      pump(tk);
    });
  }
}

/** The BPF programs of one kernel function under the `ops` strategy. */
export class OpsAttachment implements FunctionAttachment {
  private readonly byKind: Record<TrampKind, TrampLink[]> = { fentry: [], fexit: [], fmod_ret: [] };
  /** The registered op (undefined while nothing is linked). */
  private ops: FtraceOps | undefined;
  private image: CodeImage | undefined;
  private generation = 0n;
  /** The fgraph_ops-shaped struct return-stack entries name: RETFUNC = the current exit code or 0. */
  readonly gops: bigint;
  readonly funcAddr: bigint;
  /** rec->ip: the BL slot ftrace_caller reports. */
  readonly ip: bigint;
  readonly model: TrampFuncModel;
  readonly errorInjectable: boolean;

  constructor(
    readonly tk: TracingKernel,
    readonly func: string,
    model: TrampFuncModel,
  ) {
    const site = tk.tk.callSite(func);
    if (site.layout !== '=2')
      throw new KernelError(
        'EINVAL',
        `the ops strategy needs '=2' call sites; ${func} has a '${site.layout}' site (use the gcc-pfe2 test kernel)`,
      );
    this.funcAddr = site.func.address;
    this.ip = site.ip;
    this.model = model;
    this.errorInjectable = ERROR_INJECTABLE.includes(func);
    this.gops = trampRuntime(tk.kernel).allocData(FPROBE_GOPS_SIZE);
    tk.kernel.kallsyms.add({
      name: `bpf_fprobe_gops_${func}`,
      address: this.gops,
      size: BigInt(FPROBE_GOPS_SIZE),
      type: 'd',
    });
  }

  get links(): readonly TrampLink[] {
    return TRAMP_KINDS.flatMap((k) => this.byKind[k]);
  }

  /** Links of one kind, most recently attached first (hlist_add_head, as the trampoline core). */
  linksOf(kind: TrampKind): readonly TrampLink[] {
    return this.byKind[kind];
  }

  /** The registered ftrace op, if any programs are linked. */
  get op(): FtraceOps | undefined {
    return this.ops;
  }

  /** The live code (entry and exit addresses, generation). */
  get code(): Readonly<CodeImage> | undefined {
    return this.image;
  }

  private get count(): number {
    return this.links.length;
  }

  link(link: TrampLink): void {
    linkInto(this.byKind, link, this.func, this.errorInjectable, () => this.update());
  }

  unlink(link: TrampLink): void {
    unlinkFrom(this.byKind, link, this.func, () => this.update());
  }

  /** Generate code for the current links and switch to it (or unregister the op when none are left). */
  private update(): void {
    const tk = this.tk;
    const k = tk.kernel;
    const mem = k.machine.memory;
    const old = this.image;
    pump(tk);
    if (this.count === 0) {
      const ops = this.ops!;
      // unregister_ftrace_function: the op leaves the list (maybe only when ftrace's queue gets there);
      // ftrace frees the DYNAMIC op after a grace period, the code goes after one more.
      tk.ftrace.unregister(ops);
      this.ops = undefined;
      this.image = undefined;
      mem.write64(this.gops + BigInt(FGRAPH_OPS.RETFUNC), 0n);
      if (old) afterFtraceAndGracePeriod(tk, `${old.entrySymbol}: op unregistered`, () => this.free(old));
      return;
    }
    const img = this.generate();
    const exit = img.code.exit ?? 0n;
    if (!this.ops) {
      const ops = tk.ftrace.newOps({
        name: `bpf_fprobe_${this.func}`,
        func: fprobeText(k).handler,
        funcName: 'bpf_fprobe_handler',
        flags: OPS_FL.DYNAMIC,
      });
      mem.write64(ops.address + BigInt(FTRACE_OPS.PRIVATE), img.code.entry);
      mem.write64(this.gops + BigInt(FGRAPH_OPS.RETFUNC), exit);
      try {
        tk.ftrace.setFilter(ops, this.func, { reset: true });
        tk.ftrace.register(ops);
      } catch (e) {
        this.free(img);
        mem.write64(this.gops + BigInt(FGRAPH_OPS.RETFUNC), 0n);
        throw e;
      }
      this.ops = ops;
    } else {
      // A new exit first when it is added (returns pushed by the old entry are of the old generation and
      // skip it), the entry last; when fexit goes away the entry first, so no new call pushes a hook.
      const opsPrivate = this.ops.address + BigInt(FTRACE_OPS.PRIVATE);
      const retfunc = this.gops + BigInt(FGRAPH_OPS.RETFUNC);
      if (exit !== 0n) {
        mem.write64(retfunc, exit);
        mem.write64(opsPrivate, img.code.entry);
      } else {
        mem.write64(opsPrivate, img.code.entry);
        mem.write64(retfunc, 0n);
      }
    }
    this.image = img;
    if (old) k.rcu.callRcuTasks(`${old.entrySymbol}#${old.generation}: replaced`, () => this.free(old));
  }

  /** Allocate and write the code of the current links (not yet reachable). */
  private generate(): CodeImage {
    const tk = this.tk;
    const k = tk.kernel;
    checkModel(this.model);
    const rt = trampRuntime(k);
    const generation = this.generation + 1n;
    const hook = this.byKind.fexit.length > 0;
    const input = (base: bigint): Parameters<typeof generateFprobe>[0] => ({
      base,
      frame: tk.frame,
      funcAddr: this.funcAddr,
      ip: this.ip,
      nargs: this.model.argSizes.length,
      links: this.byKind,
      rt,
      overrideReturn: fprobeText(k).override,
      returnToHandler: hook ? functionGraph(tk.ftrace).text.returnToHandler : 0n,
      gops: this.gops,
      generation,
      bti: k.bti,
    });
    // Sizes do not depend on the base except through BL vs MOVN/MOVK/MOVK+BLR; size with the long form.
    const size = generateFprobe(input(0xffff_0000_0000_0000n)).bytes.length;
    const address = k.allocExec(size, `bpf_fprobe_${this.func}`);
    let code: FprobeCode;
    try {
      code = generateFprobe(input(address));
    } catch (e) {
      k.freeExec(address, size);
      throw e;
    }
    k.writeText(address, code.bytes);
    this.generation = generation;
    const entrySymbol = `bpf_fprobe_entry_${this.func}`;
    k.kallsyms.add({
      name: entrySymbol,
      address: code.entry,
      size: BigInt(code.entrySize),
      type: 't',
      module: 'bpf',
    });
    let exitSymbol: string | undefined;
    if (code.exit !== undefined) {
      exitSymbol = `bpf_fprobe_exit_${this.func}`;
      k.kallsyms.add({
        name: exitSymbol,
        address: code.exit,
        size: BigInt(code.exitSize),
        type: 't',
        module: 'bpf',
      });
    }
    return { address, size, code, generation, entrySymbol, exitSymbol };
  }

  private free(img: CodeImage): void {
    const k = this.tk.kernel;
    k.kallsyms.remove(img.code.entry, img.entrySymbol);
    if (img.exitSymbol !== undefined) k.kallsyms.remove(img.code.exit!, img.exitSymbol);
    k.freeExec(img.address, img.size);
  }

  describe(): string[] {
    const k = this.tk.kernel;
    const ks = k.kallsyms;
    const word = k.machine.memory.read32(this.ip);
    const text = (disassemble(word, { address: this.ip }) ?? `.inst 0x${word.toString(16)}`).replace(
      /0x[0-9a-f]+/,
      (m) => {
        const s = ks.short(BigInt(m));
        return s === undefined ? m : `${m} <${s}>`;
      },
    );
    const lines = [`${this.func}+0x${(this.ip - this.funcAddr).toString(16)} (${hex(this.ip)}): ${text}`];
    if (!this.ops || !this.image) {
      lines.push('no BPF programs: the ops strategy has no op on this function');
      return lines;
    }
    const n = (kind: TrampKind): string => `${this.byKind[kind].length} ${kind}`;
    const caller = this.tk.frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';
    lines.push(
      `${caller} (${this.tk.frame === 'args' ? 'ftrace_regs' : 'pt_regs'} frame) → ftrace_ops_list_func → ` +
        `bpf_fprobe_handler (op ${this.ops.name}, DYNAMIC) → ${this.image.entrySymbol}: args copied into the ctx, ` +
        `${n('fentry')}, ${n('fmod_ret')}`,
    );
    if (this.image.exitSymbol)
      lines.push(
        `return hook: frame->lr = return_to_handler → ftrace_return_to_handler → ${this.image.exitSymbol}: ${n('fexit')}`,
      );
    else lines.push('no return hook (no fexit programs)');
    return lines;
  }
}

export const opsStrategy: Strategy = {
  name: 'ops',
  origin: "Mark Rutland's suggestion, as Florent Revest's fprobe RFC (Nov 2022) realised it",
  siteLayout: '=2',
  dispatch: 'global',
  defaultFrame: 'args',
  attachment(tk: TracingKernel, func: string): OpsAttachment {
    const s = stateOf(tk);
    let a = s.attachments.get(func);
    if (!a) {
      a = new OpsAttachment(tk, func, trampModel(kernelFunctionModel(tk.tk, func)));
      s.attachments.set(func, a);
    }
    return a;
  },
};

/** The ftrace op the ops strategy registered for `func`, if any (tests, reports). */
export function opsOf(tk: TracingKernel, func: string): FtraceOps | undefined {
  return stateOf(tk).attachments.get(func)?.op;
}

/** Frees still waiting for ftrace's queue (tests). */
export function opsParkedFrees(tk: TracingKernel): number {
  pump(tk);
  return stateOf(tk).parked.length;
}
