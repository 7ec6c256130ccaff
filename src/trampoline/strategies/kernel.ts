/**
 * The strategy kernel factory: a test kernel set up for one attach strategy (SPEC.md "The strategies") —
 *
 *   new Kernel({ layout, machine: { bti, pac, cpus, seed, timer } })
 *   → the test kernel linked at _text (the fixture whose call sites the strategy needs, see
 *     `testKernelVariantFor`), its BTF function models filled in
 *   → ftrace attached as the strategy configures it: the caller family member {frame, dispatch}, the
 *     direct-call site policy, every call site of the test kernel
 *   → the kernel's trampoline registry.
 *
 * Library code never reads files: the caller passes the fixture's bytes (tests and the CLI read
 * `testKernelFixture(testKernelVariantFor(...))`).
 */
import { functionModels } from '../../bpf/btf/model.js';
import { parseBtf } from '../../bpf/btf/parse.js';
import type { FrameKind } from '../../ftrace/arch/abi.js';
import { attachFtrace } from '../../ftrace/live.js';
import { Kernel } from '../../kernel/kernel.js';
import type { LayoutOptions } from '../../kernel/layout.js';
import { linkTestKernel, type TestKernelVariant } from '../../kernel/testkernel.js';
import type { MachineOptions } from '../../machine/machine.js';
import { KernelError } from '../../util/errors.js';
import { trampolines } from '../core.js';
import { strategyByName } from './registry.js';
import type { Strategy, StrategyName, TracingKernel } from './types.js';

export interface TracingKernelOptions {
  readonly strategy: StrategyName | Strategy;
  /** Frame ftrace_caller saves (default: the strategy's). */
  readonly frame?: FrameKind;
  /** Default `{ kind: 'nokaslr', seed }`. */
  readonly layout?: LayoutOptions;
  /** BTI enforced on guarded pages (default true). */
  readonly bti?: boolean;
  /** Pointer authentication (default true). */
  readonly pac?: boolean;
  readonly cpus?: number;
  /** Seed for PAC keys and the default layout (default 1). */
  readonly seed?: number;
  /** Per-CPU timer interrupts (off by default). */
  readonly timer?: MachineOptions['timer'];
  /** ftrace updates applied at once ('sync', default) or one step at a time ('step'). */
  readonly mode?: 'sync' | 'step';
}

/** The strategy object of a name or object. */
export function resolveStrategy(s: StrategyName | Strategy): Strategy {
  return typeof s === 'string' ? strategyByName(s) : s;
}

/**
 * Which test-kernel build a strategy runs on: `=2` sites → gcc-pfe2; `=4,2` sites → gcc-pfe42, or the clang
 * build with BTI landing pads (clang-bti-pfe42) when BTI is on.
 */
export function testKernelVariantFor(
  strategy: StrategyName | Strategy,
  opts: { bti?: boolean } = {},
): TestKernelVariant {
  const s = resolveStrategy(strategy);
  if (s.siteLayout === '=2') return 'gcc-pfe2';
  return (opts.bti ?? true) ? 'clang-bti-pfe42' : 'gcc-pfe42';
}

/** A kernel set up for one strategy, from the bytes of its test-kernel fixture. */
export function createTracingKernel(objectBytes: Uint8Array, opts: TracingKernelOptions): TracingKernel {
  const strategy = resolveStrategy(opts.strategy);
  const frame = opts.frame ?? strategy.defaultFrame;
  if (frame !== 'regs' && frame !== 'args')
    throw new KernelError(
      'EINVAL',
      `unknown frame '${String(frame)}'; use 'regs' (pt_regs) or 'args' (ftrace_regs)`,
    );
  const seed = opts.seed ?? 1;
  const kernel = new Kernel({
    layout: opts.layout ?? { kind: 'nokaslr', seed },
    machine: {
      bti: opts.bti ?? true,
      pac: opts.pac ?? true,
      cpus: opts.cpus ?? 1,
      seed,
      ...(opts.timer ? { timer: opts.timer } : {}),
    },
  });
  const tk = linkTestKernel(kernel, objectBytes);
  const wrong = tk.callSites.find((s) => s.layout !== strategy.siteLayout);
  if (wrong)
    throw new KernelError(
      'EINVAL',
      `strategy ${strategy.name} needs '${strategy.siteLayout}' call sites, but ${wrong.func.name} has a '${wrong.layout}' one; pass the bytes of ${testKernelVariantFor(strategy, { bti: opts.bti ?? true })}`,
    );
  if (tk.btf) for (const m of functionModels(parseBtf(tk.btf))) tk.functionModels.set(m.name, m);
  const ftrace = attachFtrace(kernel, {
    frame,
    dispatch: strategy.dispatch,
    sites: tk.callSites,
    mode: opts.mode ?? 'sync',
    ...(strategy.directSites ? { directSites: strategy.directSites } : {}),
  });
  return { strategy, frame, kernel, tk, ftrace, trampolines: trampolines(kernel) };
}
