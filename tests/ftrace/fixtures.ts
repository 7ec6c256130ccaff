import type { CallSite } from '../../src/kernel/callsites.js';
import { DynFtrace, FtraceCore, FL, type FtraceCoreOptions } from '../../src/ftrace/index.js';

export const FTRACE_CALLER = 0xffff800080010000n;
export const MOD_BASE = 0xffff800100000000n;
export const MOD_PLT = MOD_BASE + 0x8000n;
export const SZ_128M = 0x8000000n;
export const reachable = (from: bigint, to: bigint): boolean => to - from >= -SZ_128M && to - from < SZ_128M;

export function site(name: string, at: bigint, layout: '=2' | '=4,2', module?: string): CallSite {
  const func = { name, address: at, size: 0x40n };
  return layout === '=2'
    ? { address: at, ip: at + 4n, func, layout, bti: false, literal: undefined, module }
    : { address: at - 8n, ip: at + 4n, func, layout, bti: false, literal: at - 8n, module };
}

export function makeCore(opts: Partial<FtraceCoreOptions> = {}): FtraceCore {
  const recs = [
    new DynFtrace(site('f0', 0xffff800080100000n, '=2')),
    new DynFtrace(site('f1', 0xffff800080100100n, '=4,2')),
    new DynFtrace(site('f2', 0xffff800080100200n, '=4,2')),
    new DynFtrace(site('g1', 0xffff800080100300n, '=2')),
    new DynFtrace(site('m1_fn', MOD_BASE + 0x100n, '=4,2', 'm1')),
  ];
  return new FtraceCore({
    records: recs,
    ftraceCaller: FTRACE_CALLER,
    reachable,
    modulePlt: (m) => (m === 'm1' ? MOD_PLT : undefined),
    callDirectFuncs: 0xffff800080020000n,
    ...opts,
  });
}

export function snapshot(core: FtraceCore): unknown {
  return {
    flags: core.records.map((r) => r.flags),
    sites: core.records.map((r) => core.site(r.ip)),
    ops: core.opsList.map((o) => [
      o.name,
      o.flags,
      o.filterHash.values(),
      o.notraceHash.values(),
      o.directCall,
    ]),
    direct: [...core.directFunctions],
  };
}

export const flagNames = (f: number): string[] =>
  (Object.keys(FL) as (keyof typeof FL)[]).filter((k) => (f & FL[k]) !== 0);
