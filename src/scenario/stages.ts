/**
 * Stages of a traced call: which part of the tracing stack an executed instruction belongs to. The issue
 * (tramp64 #11) reports the share of a traced call spent in each of them, so a reader sees *where* one
 * strategy is cheaper than another (the seed thread argues exactly about these places).
 *
 * A PC's stage comes from, in order:
 *   1. explicit address ranges the caller passes (e.g. a module's ftrace PLT veneers, which have no symbol);
 *   2. patch-site words (`mov x9, lr ; bl …`, rec->ip − 4 and rec->ip) of the traced function and of any
 *      other call site the caller names (a traced callee's patch site is tracing overhead too);
 *   3. the kallsyms symbol holding the PC, looked up in a classifier table (first matching row wins);
 *   4. the traced function's own symbol → 'function';
 *   5. code the traced function called (and everything it called in turn) → 'function', unless 3. already
 *      named a tracing stage for it (a traced callee's trampoline stays 'trampoline');
 *   6. anything else → 'other' (the host-return trampoline, runtime helpers the table does not name).
 */
import type { Kallsyms } from '../kernel/kallsyms.js';
import type { Module } from '../kernel/module.js';
import { PLT_ENTRY_SIZE } from '../kernel/plt.js';

export type Stage =
  | 'patch site'
  | 'ftrace_caller'
  | 'op iteration'
  | 'trampoline'
  | 'enter/exit'
  | 'program'
  | 'function'
  | 'other';

/** Every stage, in the order a traced call passes them (the order of report columns). */
export const STAGES: readonly Stage[] = [
  'patch site',
  'ftrace_caller',
  'op iteration',
  'trampoline',
  'enter/exit',
  'program',
  'function',
  'other',
];

/** One classifier row: a symbol name pattern (`*` matches any run of characters) and its stage. */
export interface StageRule {
  readonly pattern: string;
  readonly stage: Stage;
}

/**
 * The default classifier. Names are the kernel's (arch/arm64/kernel/entry-ftrace.S, kernel/trace/ftrace.c,
 * kernel/bpf/trampoline.c, arch/arm64/net/bpf_jit_comp.c) so one grep finds both, and they are the names
 * the model's own code registers in kallsyms (ftrace/arch/entry.ts, trampoline/core.ts `bpf_trampoline_<key>`,
 * trampoline/runtime.ts, bpf/jit/image.ts `bpf_prog_<tag>_<name>`). First match wins, so the exact
 * `ftrace_stub_direct_tramp` row precedes `ftrace_stub`. Tracer callbacks (the function tracer's op
 * function) are left to the caller's table: they are neither of the stages.
 */
export const DEFAULT_STAGE_RULES: readonly StageRule[] = [
  { pattern: 'ftrace_caller*', stage: 'ftrace_caller' },
  { pattern: 'ftrace_regs_caller*', stage: 'ftrace_caller' },
  { pattern: 'ftrace_stub_direct_tramp', stage: 'trampoline' },
  { pattern: 'ftrace_stub', stage: 'ftrace_caller' },
  { pattern: 'ftrace_ops_list_func', stage: 'op iteration' },
  { pattern: 'arch_ftrace_ops_list_func', stage: 'op iteration' },
  // What the list function calls while it walks the ops (src/ftrace/arch/entry.ts builds these in A64).
  { pattern: 'ftrace_hash_contains', stage: 'op iteration' },
  { pattern: 'ftrace_ops_nop_func', stage: 'op iteration' },
  { pattern: 'call_direct_funcs', stage: 'op iteration' },
  { pattern: 'bpf_trampoline_*', stage: 'trampoline' },
  { pattern: '__bpf_prog_enter*', stage: 'enter/exit' },
  { pattern: '__bpf_prog_exit*', stage: 'enter/exit' },
  { pattern: '__bpf_tramp_*', stage: 'enter/exit' },
  { pattern: 'bpf_prog_*', stage: 'program' },
];

/** An address range with a fixed stage (checked before symbols). */
export interface StageRange {
  readonly start: bigint;
  readonly size: number;
  readonly stage: Stage;
}

/**
 * The ftrace PLT veneers of loaded modules (`.text.ftrace_trampoline`, one per text region with call
 * sites) as 'patch site' ranges: they have no kallsyms name, and a far module call site reaches
 * ftrace_caller through one (`adrp ; add ; br x16`), which is part of getting out of the patch site.
 */
export function ftracePltRanges(modules: readonly Module[]): StageRange[] {
  return modules.flatMap((m) =>
    m.ftracePlts.map((p) => ({ start: p.address, size: PLT_ENTRY_SIZE, stage: 'patch site' as const })),
  );
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Classifies symbol names by a rule table; results are cached per name. */
export class SymbolClassifier {
  private readonly compiled: readonly { re: RegExp; stage: Stage }[];
  private readonly cache = new Map<string, Stage | undefined>();

  constructor(rules: readonly StageRule[] = DEFAULT_STAGE_RULES) {
    this.compiled = rules.map((r) => ({ re: globToRegExp(r.pattern), stage: r.stage }));
  }

  /** The stage of the first rule matching `name`, or undefined when no rule does. */
  classify(name: string): Stage | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const stage = this.compiled.find((r) => r.re.test(name))?.stage;
    this.cache.set(name, stage);
    return stage;
  }
}

/** What the tracker needs to know about the traced function. */
export interface TracedFunction {
  readonly address: bigint;
  readonly size: bigint;
  /** rec->ip: the patch-site word that becomes `bl` (undefined: the function has no call site). */
  readonly ip?: bigint;
  /** rec->ip of other call sites whose patch-site words count as 'patch site' (e.g. every site). */
  readonly patchSites?: Iterable<bigint>;
}

/**
 * Stage of each executed PC in one call, with the callee context of rule 5: a call made from 'function'
 * code pushes its return address, and until the CPU is back there (at the same SP) unnamed code is
 * 'function' too.
 */
export class StageTracker {
  private readonly returns: { ret: bigint; sp: bigint }[] = [];
  private readonly symCache = new Map<bigint, Stage | undefined>();
  private readonly sites = new Set<bigint>();

  constructor(
    private readonly kallsyms: Kallsyms,
    private readonly fn: TracedFunction,
    private readonly classifier: SymbolClassifier,
    private readonly ranges: readonly StageRange[] = [],
  ) {
    if (fn.ip !== undefined) this.sites.add(fn.ip);
    for (const ip of fn.patchSites ?? []) this.sites.add(ip);
  }

  /** The stage of the instruction at `pc`, about to run with stack pointer `sp`. */
  stageAt(pc: bigint, sp: bigint): Stage {
    // Back at a remembered return address (with the SP of the call): that call is over, and so is any
    // call made after it that never came back the normal way (a trampoline entering the function body
    // with `ret x10` leaves such an entry behind).
    for (let i = this.returns.length - 1; i >= 0; i--) {
      const r = this.returns[i]!;
      if (r.ret === pc && r.sp === sp) {
        this.returns.length = i;
        break;
      }
    }
    for (const r of this.ranges) if (pc >= r.start && pc < r.start + BigInt(r.size)) return r.stage;
    if (this.sites.has(pc) || this.sites.has(pc + 4n)) return 'patch site';
    const named = this.symbolStage(pc);
    if (named !== undefined) return named;
    if (pc >= this.fn.address && pc < this.fn.address + this.fn.size) return 'function';
    return this.returns.length > 0 ? 'function' : 'other';
  }

  /** A call instruction at `pc` in stage `stage` ran with `sp`: remember where it returns. */
  onCall(pc: bigint, sp: bigint, stage: Stage): void {
    if (stage === 'function') this.returns.push({ ret: pc + 4n, sp });
  }

  private symbolStage(pc: bigint): Stage | undefined {
    if (this.symCache.has(pc)) return this.symCache.get(pc);
    const hit = this.kallsyms.lookup(pc);
    const stage = hit ? this.classifier.classify(hit.sym.name) : undefined;
    this.symCache.set(pc, stage);
    return stage;
  }
}

/** Per-stage counters, every stage present (zero when unused). */
export type StageCounts = Record<Stage, number>;

export function emptyStageCounts(): StageCounts {
  return Object.fromEntries(STAGES.map((s) => [s, 0])) as StageCounts;
}
