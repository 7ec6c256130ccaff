/**
 * tracefs text (facts: shared/facts/ftrace-arm64.md §6): available_filter_functions(_addrs),
 * enabled_functions and touched_functions in the v6.12 layout. `%pS` rendering is the caller's
 * (`symbolize`, e.g. from kallsyms: `name+0xoff/0xsize [module]`).
 */
import { FL, type DynFtrace } from '../records.js';
import type { FtraceCore } from '../update.js';

/** `%pS` of a symbol: `name+0xoff/0xsize` plus ` [module]`. */
export function formatPS(name: string, off: bigint, size: bigint, module?: string): string {
  return `${name}+0x${off.toString(16)}/0x${size.toString(16)}${module ? ` [${module}]` : ''}`;
}

function recName(rec: DynFtrace): string {
  return rec.module ? `${rec.name} [${rec.module}]` : rec.name;
}

/** available_filter_functions: traceable (not DISABLED) records, one per line. */
export function availableFilterFunctions(records: readonly DynFtrace[]): string {
  return records
    .filter((r) => !r.has(FL.DISABLED))
    .map((r) => `${recName(r)}\n`)
    .join('');
}

/** available_filter_functions_addrs: `%lx ` of rec->ip (the BL slot), then the name. */
export function availableFilterFunctionsAddrs(records: readonly DynFtrace[]): string {
  return records
    .filter((r) => !r.has(FL.DISABLED))
    .map((r) => `${r.ip.toString(16)} ${recName(r)}\n`)
    .join('');
}

export interface EnabledFormatOptions {
  /** `%pS` of an address. */
  readonly symbolize: (addr: bigint) => string;
  /** 'RIDOM' (v6.4+) or 'RID' (the pre-CALL_OPS line, as in the x86 sample from Feb 2023). */
  readonly columns?: 'RIDOM' | 'RID';
  /** arch_ftrace_trampoline_func: x86 prints ` ->func`; arm64 prints nothing (the default). */
  readonly trampolineFunc?: (rec: DynFtrace) => string | undefined;
}

/** One t_show() entry for `rec` (ending in a newline). */
export function enabledLine(core: FtraceCore, rec: DynFtrace, opts: EnabledFormatOptions): string {
  const f = rec.flags;
  const col = (bit: number, on: string, off: string): string => ((f & bit) !== 0 ? on : off);
  let s = `${recName(rec)} (${rec.count})`;
  s += col(FL.REGS, ' R', '  ') + col(FL.IPMODIFY, ' I', '  ') + col(FL.DIRECT, ' D', '  ');
  if ((opts.columns ?? 'RIDOM') === 'RIDOM')
    s += col(FL.CALL_OPS, ' O', '  ') + col(FL.MODIFIED, ' M ', '   ');
  const covering = core.opsFor(rec);
  if (f & FL.TRAMP_EN) {
    const tramps = covering.filter((o) => o.trampoline !== 0n);
    if (tramps.length === 0) s += '\ttramp: ERROR!';
    for (const o of tramps) {
      s += `\ttramp: ${opts.symbolize(o.trampoline)} (${opts.symbolize(o.func)})`;
      const tf = opts.trampolineFunc?.(rec);
      if (tf !== undefined) s += ` ->${tf}`;
    }
  } else {
    const tf = opts.trampolineFunc?.(rec);
    if (tf !== undefined) s += ` ->${tf}`;
  }
  if (f & FL.CALL_OPS_EN) {
    const o = covering.length === 1 ? covering[0]! : undefined;
    s += o ? `\tops: ${opts.symbolize(o.address)} (${opts.symbolize(o.func)})` : '\tops: ERROR!';
  }
  if (f & FL.DIRECT) {
    const d = core.directFunctions.get(rec.ip);
    s += `\n\tdirect-->${d !== undefined ? opts.symbolize(d) : 'ERROR!'}`;
  }
  return `${s}\n`;
}

/** enabled_functions (records with ENABLED) or touched_functions (records with TOUCHED). */
export function enabledFunctions(
  core: FtraceCore,
  opts: EnabledFormatOptions & { touched?: boolean },
): string {
  const bit = opts.touched ? FL.TOUCHED : FL.ENABLED;
  return core.records
    .filter((r) => r.has(bit))
    .map((r) => enabledLine(core, r, opts))
    .join('');
}
