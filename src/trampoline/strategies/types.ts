/**
 * The attach strategies of the seed thread (SPEC.md "The strategies"): four ways of getting BPF fentry /
 * fexit / fmod_ret programs run when an arm64 kernel function is called. Each composes the ftrace entry
 * variants of src/ftrace (this layer adds no ftrace_caller) with either the BPF trampoline of
 * src/trampoline (patchsite, tailcall, callops — reached through an ftrace direct call) or an ordinary
 * ftrace op plus return hook (ops).
 *
 * All four must give the same observable results where attach succeeds; they differ in path, cost,
 * memory, and when attach fails.
 */
import type { FrameKind } from '../../ftrace/arch/abi.js';
import type { CallerDispatch } from '../../ftrace/arch/entry.js';
import type { FtraceKernel } from '../../ftrace/live.js';
import type { DirectSitePolicy } from '../../ftrace/update.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { TestKernel } from '../../kernel/testkernel.js';
import type { Trampolines } from '../core.js';
import type { TrampLink } from '../generator.js';

export type StrategyName = 'patchsite' | 'ops' | 'tailcall' | 'callops';
export const STRATEGY_NAMES: readonly StrategyName[] = ['patchsite', 'ops', 'tailcall', 'callops'];

/** A kernel set up for one strategy: a test kernel with ftrace attached in the strategy's configuration. */
export interface TracingKernel {
  readonly strategy: Strategy;
  readonly frame: FrameKind;
  readonly kernel: Kernel;
  readonly tk: TestKernel;
  readonly ftrace: FtraceKernel;
  readonly trampolines: Trampolines;
}

/**
 * The programs a strategy runs for one kernel function. `link` / `unlink` are all-or-nothing: on error
 * (E2BIG at the 39th link, EBUSY for a duplicate, EINVAL for fmod_ret on a function that is not
 * error-injectable, ENOTSUPP when the strategy cannot reach the function) nothing has changed.
 */
export interface FunctionAttachment {
  readonly func: string;
  link(link: TrampLink): void;
  unlink(link: TrampLink): void;
  readonly links: readonly TrampLink[];
  /** What a call of the function executes now, one line per hop (for `tramp64 attach`). */
  describe(): string[];
}

export interface Strategy {
  readonly name: StrategyName;
  /** Who proposed it and where (one line, for help texts and the README). */
  readonly origin: string;
  /** The call-site layout it needs ('=2': -fpatchable-function-entry=2; '=4,2': CALL_OPS). */
  readonly siteLayout: '=2' | '=4,2';
  /** How ftrace_caller finds the ops. */
  readonly dispatch: CallerDispatch;
  /** The frame kind used when none is asked for. */
  readonly defaultFrame: FrameKind;
  /** How ftrace reaches a direct trampoline from a site (default 'bl-or-caller', upstream's rule). */
  readonly directSites?: DirectSitePolicy;
  /** The attachment of `func` (created on first use, one per function and kernel). */
  attachment(tk: TracingKernel, func: string): FunctionAttachment;
}
