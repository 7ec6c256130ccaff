/**
 * A kernel function as a BPF trampoline target reached through an ftrace direct call — the attach path the
 * three direct-call strategies (patchsite, tailcall, callops) share; they differ only in how ftrace reaches
 * the trampoline from the call site (`Strategy.directSites` and the caller family), which this file leaves
 * to the FtraceKernel.
 *
 * As kernel/bpf/trampoline.c does for an ftrace-managed function (facts: shared/facts/bpf-arm64.md §4.2):
 * each trampoline owns one direct `ftrace_ops` (`tr->fops`, DYNAMIC) whose filter is the function;
 *
 *   first image      register_fentry   → ftrace_set_filter(fops, func) ; register_ftrace_direct(fops, image)
 *   next images      modify_fentry     → modify_ftrace_direct(fops, image)
 *   last link gone   unregister_fentry → unregister_ftrace_direct(fops, image)
 *
 * and the trampoline core (core.ts) calls `retarget` for each, then retires the old image once the queued
 * ftrace writes are applied and every CPU has context-synchronised (`afterRetarget`; at once in sync mode).
 *
 * `describe()` reads the path back from the state the A64 code will see (the site word, the CALL_OPS
 * literal, the ops list, the `bl` at ftrace_call), not from a strategy flag.
 */
import { parseBtf, type Btf } from '../../bpf/btf/parse.js';
import { functionModel, type FuncModel } from '../../bpf/btf/model.js';
import { OPS_FL, type FtraceOps } from '../../ftrace/ops.js';
import { ipiStep } from '../../ftrace/steps.js';
import { reachableByBl } from '../../kernel/layout.js';
import type { TestKernel } from '../../kernel/testkernel.js';
import { KernelError } from '../../util/errors.js';
import { trampModel } from '../bpf.js';
import { trampolineKey, type BpfTrampoline, type FentryTarget } from '../core.js';
import { TRAMP_KINDS, type TrampLink } from '../generator.js';
import type { PokeRecord } from '../poke.js';
import type { FunctionAttachment, TracingKernel } from './types.js';

/** Functions of the test kernel marked ALLOW_ERROR_INJECTION (the only fmod_ret targets), as in the kernel. */
export const ERROR_INJECTABLE: readonly string[] = ['bpf_modify_return_test'];

/** vmlinux's BTF object id (the high half of a kernel function's trampoline key). */
const VMLINUX_BTF_OBJ_ID = 1;

const btfs = new WeakMap<TestKernel, Btf>();

/** The BTF function model of a test-kernel function (ENOENT when the kernel's BTF does not describe it). */
export function kernelFunctionModel(tk: TestKernel, func: string): FuncModel {
  if (!tk.btf) throw new KernelError('ENOENT', `the test kernel has no .BTF; rebuild it with pahole -J`);
  let btf = btfs.get(tk);
  if (!btf) {
    btf = parseBtf(tk.btf);
    btfs.set(tk, btf);
  }
  if (btf.byName(func, 'FUNC').length === 0)
    throw new KernelError('ENOENT', `${func} is not a function of the test kernel's BTF`);
  return functionModel(btf, func);
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** The target of a `bl` word at `at` (imm26, sign-extended, × 4). */
function blTarget(word: number, at: bigint): bigint {
  let off = word & 0x03ff_ffff;
  if (off & 0x0200_0000) off -= 0x0400_0000;
  return at + BigInt(off) * 4n;
}

/**
 * A kernel function as an ftrace-managed trampoline target. `fops()` is the trampoline's direct ops once the
 * first image was attached (it then lives as long as the target).
 */
export interface KernelFunctionTarget extends FentryTarget {
  fops(): FtraceOps | undefined;
}

export function kernelFunctionTarget(t: TracingKernel, func: string): KernelFunctionTarget {
  const site = t.tk.callSite(func);
  const m = kernelFunctionModel(t.tk, func);
  const ft = t.ftrace;
  const key = trampolineKey(m.id, { btfObjId: VMLINUX_BTF_OBJ_ID });
  let fops: FtraceOps | undefined;
  const pokes = (before: number): PokeRecord[] => {
    const rec = ft.core.record(site.ip)!;
    const after = ft.siteWord(rec, ft.core.site(site.ip)!);
    return before === after
      ? []
      : [{ site: `${func} call site`, ip: site.ip, oldWord: before, newWord: after }];
  };
  return {
    key,
    name: func,
    funcAddr: site.func.address,
    model: trampModel(m),
    errorInjectable: ERROR_INJECTABLE.includes(func),
    fops: () => fops,
    // In step mode the site writes are queued: the old image is retired only after they are all applied,
    // and after every CPU took a context-synchronisation event (an IPI, as ftrace_shutdown's
    // synchronize_rcu_tasks_rude gives): a CPU may otherwise keep fetching the old `bl` at the site from
    // its pipeline, and the grace periods that follow (schedule points) do not synchronise its fetches.
    afterRetarget: (fn) =>
      ft.whenApplied(`${func}: retire the old trampoline image`, () => {
        ipiStep(t.kernel, `${func}: the site no longer calls the old image`).run();
        fn();
      }),
    retarget(oldTramp, newTramp): PokeRecord[] {
      const rec = ft.core.record(site.ip);
      if (!rec) throw new KernelError('ENOENT', `ftrace has no record for ${func}`);
      const before = ft.siteWord(rec, ft.core.site(site.ip)!);
      if (oldTramp === null && newTramp === null) return [];
      if (oldTramp === null) {
        // tr->fops: allocated with the trampoline, its filter set once (bpf_trampoline_lookup).
        if (!fops) {
          const ops = ft.newOps({ name: `bpf_trampoline_${key}_fops`, flags: OPS_FL.DYNAMIC });
          ft.setFilter(ops, func, { reset: true });
          fops = ops;
        }
        ft.registerDirect(fops, newTramp!);
      } else if (newTramp === null) ft.unregisterDirect(fops!, oldTramp);
      else ft.modifyDirect(fops!, newTramp);
      return pokes(before);
    },
  };
}

/**
 * What a call of `func` executes now, from the live state: the site word, then (through ftrace_caller) the
 * CALL_OPS literal or the global `bl` at ftrace_call, the ops that run, and how the trampoline is entered.
 */
export function describeDirectPath(t: TracingKernel, func: string): string[] {
  const ft = t.ftrace;
  const k = t.kernel;
  const mem = k.machine.memory;
  const site = t.tk.callSite(func);
  const rec = ft.core.record(site.ip)!;
  const state = ft.core.site(site.ip)!;
  const name = (a: bigint): string => k.kallsyms.short(a) ?? hex(a);
  const out: string[] = [];
  const at = `site ${hex(site.ip)} (${name(site.ip)}, '${site.layout}')`;
  if (state.insn === 'nop') return [`${at}: nop — not traced, the function runs untouched`];
  out.push(`${at}: mov x9, x30 ; bl ${name(state.target)} (${hex(state.target)})`);
  if (state.via === 'direct' || state.via === 'tramp') {
    out.push(
      `→ ${name(state.target)}: the trampoline, entered straight from the site (nothing saved by ftrace)`,
    );
    return out;
  }
  const caller = name(ft.callerAddress);
  const frameName = ft.frame === 'regs' ? 'pt_regs' : 'ftrace_regs';
  const ops = ft.core.opsFor(rec);
  if (ft.dispatch === 'callops') {
    const lit = state.literal!;
    if (lit.directCall !== 0n) {
      out.push(
        `→ ${caller}: literal ${lit.name} has direct_call → bti c; bic x11, x30, #7; ldr x11, [x11, #-16]; ldr x17, [x11, #direct_call]; cbnz x17; br x17 — before anything is saved (the literal fast path)`,
      );
      out.push(`→ ${name(lit.directCall)} (${hex(lit.directCall)}): the trampoline`);
      return out;
    }
    out.push(`→ ${caller}: literal ${lit.name}, direct_call 0 → saves ${frameName} → calls ${lit.funcName}`);
  } else {
    const call = ft.text.ftraceCall!;
    const target = blTarget(mem.read32(call), call);
    out.push(`→ ${caller}: saves ${frameName} → ftrace_call: bl ${name(target)}`);
  }
  let direct = 0n;
  for (const o of ops) {
    if (o.has(OPS_FL.DIRECT)) {
      direct = o.directCall;
      out.push(
        `  → ${o.name}: call_direct_funcs sets ${frameName === 'pt_regs' ? 'pt_regs->orig_x0' : 'fregs->direct_tramp'} = ${hex(o.directCall)}`,
      );
    } else out.push(`  → ${o.name}: ${o.funcName}`);
  }
  if (direct !== 0n) {
    out.push(
      `→ ${caller}: restores x0–x8, x29; direct field set → x9 = the function's LR, x30 = site + 4 → br x17 (the late tail call)`,
    );
    out.push(`→ ${name(direct)} (${hex(direct)}): the trampoline`);
  } else out.push(`→ ${caller}: restores and returns into ${func}`);
  return out;
}

/** The BPF trampoline of a kernel function as a FunctionAttachment (one per function and kernel). */
export class TrampolineAttachment implements FunctionAttachment {
  readonly tr: BpfTrampoline;
  readonly target: KernelFunctionTarget;

  constructor(
    readonly t: TracingKernel,
    readonly func: string,
  ) {
    this.target = kernelFunctionTarget(t, func);
    this.tr = t.trampolines.get(this.target);
  }

  link(link: TrampLink): void {
    this.tr.link(link);
  }

  unlink(link: TrampLink): void {
    this.tr.unlink(link);
  }

  get links(): readonly TrampLink[] {
    return TRAMP_KINDS.flatMap((k) => this.tr.links[k]);
  }

  /** Whether a BL at the function's site reaches the current image (undefined when none is attached). */
  get inBlRange(): boolean | undefined {
    const img = this.tr.image;
    return img ? reachableByBl(this.t.tk.callSite(this.func).ip, img.address) : undefined;
  }

  describe(): string[] {
    return describeDirectPath(this.t, this.func);
  }
}

const attachments = new WeakMap<TracingKernel, Map<string, FunctionAttachment>>();

/** The attachment of `func` on `t`, made by `make` on first use. */
export function attachmentOf(
  t: TracingKernel,
  func: string,
  make: () => FunctionAttachment,
): FunctionAttachment {
  let m = attachments.get(t);
  if (!m) {
    m = new Map();
    attachments.set(t, m);
  }
  let a = m.get(func);
  if (!a) {
    a = make();
    m.set(func, a);
  }
  return a;
}
