/**
 * `struct dyn_ftrace` records (facts: shared/facts/ftrace-arm64.md §4.1). One record per call site from
 * `__patchable_function_entries`; `ip` is the BL slot (rec->ip after ftrace_call_adjust). `flags` uses the
 * kernel's v6.12 bit layout: flag bits 19–31, the count of attached ops in bits 0–18.
 */
import type { CallSite } from '../kernel/callsites.js';

export const FTRACE_REF_MAX_SHIFT = 19;
export const FTRACE_REF_MAX = (1 << FTRACE_REF_MAX_SHIFT) - 1;

/** rec->flags bits (v6.12). Values are unsigned 32-bit numbers; combine with `|` then `>>> 0`. */
export const FL = {
  ENABLED: 2 ** 31,
  REGS: 1 << 30,
  REGS_EN: 1 << 29,
  TRAMP: 1 << 28,
  TRAMP_EN: 1 << 27,
  IPMODIFY: 1 << 26,
  DISABLED: 1 << 25,
  DIRECT: 1 << 24,
  DIRECT_EN: 1 << 23,
  CALL_OPS: 1 << 22,
  CALL_OPS_EN: 1 << 21,
  TOUCHED: 1 << 20,
  MODIFIED: 1 << 19,
} as const;

export type FlagName = keyof typeof FL;

/** Flags kept when the count drops to zero (FTRACE_NOCLEAR_FLAGS). */
export const NOCLEAR_FLAGS = (FL.DISABLED | FL.TOUCHED | FL.MODIFIED) >>> 0;

export class DynFtrace {
  /** rec->ip: the patch-site slot that becomes `bl`. */
  readonly ip: bigint;
  readonly site: CallSite;
  /** rec->flags, an unsigned 32-bit value. */
  flags: number;

  constructor(site: CallSite, opts: { disabled?: boolean } = {}) {
    this.ip = site.ip;
    this.site = site;
    this.flags = opts.disabled ? FL.DISABLED : 0;
  }

  get name(): string {
    return this.site.func.name;
  }

  get module(): string | undefined {
    return this.site.module;
  }

  /** The site has an ops literal ('=4,2', DYNAMIC_FTRACE_WITH_CALL_OPS). */
  get callOpsSite(): boolean {
    return this.site.layout === '=4,2';
  }

  /** ftrace_rec_count(). */
  get count(): number {
    return this.flags & FTRACE_REF_MAX;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  /** Names of the set flag bits, high to low, for messages and tests. */
  flagNames(): FlagName[] {
    return (Object.keys(FL) as FlagName[]).filter((k) => (this.flags & FL[k]) !== 0);
  }
}

/** ftrace_rec_count() of a raw flags word. */
export function recCount(flags: number): number {
  return flags & FTRACE_REF_MAX;
}

/** Set or clear bits of an unsigned 32-bit flags word. */
export function setBits(flags: number, bits: number, on: boolean): number {
  return (on ? flags | bits : flags & ~bits) >>> 0;
}

/**
 * Records for the call sites of the image or of one module. Module records start DISABLED until the
 * module's text is read-only (ftrace_module_enable clears it: see `FtraceCore.enableModule`).
 */
export function recordsFromCallSites(
  sites: readonly CallSite[],
  opts: { disabled?: boolean } = {},
): DynFtrace[] {
  return sites.map((s) => new DynFtrace(s, opts));
}
