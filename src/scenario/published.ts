/**
 * The published figures `tramp64 bench` prints beside its own, as data with their sources (facts:
 * shared/facts/ftrace-arm64.md §8.1, §8.2; shared/facts/bpf-arm64.md §6): Mark Rutland's CALL_OPS table,
 * Florent Revest's 2022 fprobe slowdowns, and the trigger-benchmark throughputs of Xu Kuohai, Florent
 * Revest, Puranjay Mohan and Andrii Nakryiko. Numbers exactly as printed in the mails (one per-call figure
 * of the CALL_OPS table disagrees with its own total; tests/scenario/benches.test.ts pins which).
 */
import type { FrameKind } from '../ftrace/arch/abi.js';

/** Where a published figure comes from. */
export interface Source {
  readonly who: string;
  readonly what: string;
  readonly when: string;
  readonly hardware: string;
  readonly method: string;
}

export const MARK_RUTLAND_CALL_OPS: Source = {
  who: 'Mark Rutland',
  what: '[PATCH v3 0/8] arm64/ftrace: Add support for DYNAMIC_FTRACE_WITH_CALL_OPS (cover letter and 8/8)',
  when: 'January 2023 (merged in v6.3)',
  hardware: 'M1 MacBook Pro, HVF-accelerated QEMU VM',
  method:
    'ftrace-ops sample module: total time of 100,000 calls to a trivial traced function, with N relevant / M irrelevant ops; overhead = per-call time minus the 0/0 row',
};

/** One row of the published CALL_OPS table (ns; per-call and overhead as printed in the mail). */
export interface PublishedCallOpsRow {
  readonly relevant: number;
  readonly irrelevant: number;
  readonly before: { readonly totalNs: number; readonly perCallNs: number; readonly overheadNs?: number };
  readonly after: { readonly totalNs: number; readonly perCallNs: number; readonly overheadNs?: number };
}

const row = (
  relevant: number,
  irrelevant: number,
  bt: number,
  bp: number,
  bo: number | undefined,
  at: number,
  ap: number,
  ao: number | undefined,
): PublishedCallOpsRow => ({
  relevant,
  irrelevant,
  before: { totalNs: bt, perCallNs: bp, ...(bo !== undefined ? { overheadNs: bo } : {}) },
  after: { totalNs: at, perCallNs: ap, ...(ao !== undefined ? { overheadNs: ao } : {}) },
});

/** facts §8.1, in the mail's row order. */
export const PUBLISHED_CALL_OPS: readonly PublishedCallOpsRow[] = [
  row(0, 0, 94_583, 0.95, undefined, 94_541, 0.95, undefined),
  row(0, 1, 93_709, 0.94, undefined, 93_666, 0.94, undefined),
  row(0, 2, 93_666, 0.94, undefined, 93_709, 0.94, undefined),
  row(0, 10, 93_709, 0.94, undefined, 93_667, 0.94, undefined),
  row(0, 100, 93_792, 0.94, undefined, 93_792, 0.94, undefined),
  row(1, 1, 6_467_833, 64.68, 63.73, 281_000, 2.81, 1.86),
  row(1, 2, 7_509_708, 75.1, 74.15, 281_042, 2.81, 1.87),
  row(1, 10, 23_786_792, 237.87, 236.92, 280_958, 2.81, 1.86),
  row(1, 100, 106_432_500, 1064.43, 1063.38, 281_250, 2.81, 1.87),
  row(1, 0, 1_431_875, 14.32, 13.37, 280_959, 2.81, 1.86),
  row(2, 0, 6_456_334, 64.56, 63.62, 6_502_708, 65.03, 64.08),
  row(10, 0, 22_717_000, 227.17, 226.22, 18_681_209, 186.81, 185.87),
  row(100, 0, 103_293_667, 1032.94, 1031.99, 103_550_458, 1035.5, 1034.56),
];

export const FLORENT_REVEST_FPROBE: Source = {
  who: 'Florent Revest',
  what: '[RFC 0/1] BPF tracing for arm64 using fprobe',
  when: 'November 2022 (before arm64 had ftrace direct calls)',
  hardware: 'Raspberry Pi 4 (Cortex-A72)',
  method:
    'BPF selftests `bench` trigger benchmarks; "the BPF bench takes a performance hit of" the figures below',
};

/** How a published slowdown maps onto what the model runs. */
export interface PublishedSlowdown {
  readonly name: string;
  /** Percent slower than the untraced benchmark. */
  readonly percent: number;
  /** The model's counterpart: a strategy (and frame) on trig-fentry, or undefined when not modelled. */
  readonly ours?: { readonly strategy: string; readonly frame?: FrameKind };
  readonly note?: string;
}

/** facts §8.2, in increasing order of slowdown. */
export const PUBLISHED_FPROBE_SLOWDOWNS: readonly PublishedSlowdown[] = [
  {
    name: 'direct calls (trampoline)',
    percent: 28.6,
    ours: { strategy: 'patchsite' },
    note: "Xu Kuohai's prototype, the best case",
  },
  {
    name: 'fprobe, planned optimisations',
    percent: 34.1,
    ours: { strategy: 'ops', frame: 'args' },
    note: 'ARGS frame, per-callsite ops, no rethook when not needed',
  },
  {
    name: 'fprobe, unoptimised',
    percent: 62.6,
    ours: { strategy: 'ops', frame: 'regs' },
    note: 'full pt_regs, list function, rethook',
  },
  { name: 'kprobe', percent: 66.8, note: 'kprobes (BRK + single-step) are not modelled' },
];

export const TRIGGER_SOURCES = {
  xu: {
    who: 'Xu Kuohai',
    what: 'Re: [PATCH bpf-next v2 0/4] Add ftrace direct call for arm64',
    when: '5 October 2022',
    hardware: 'Raspberry Pi 4 (Cortex-A72)',
    method: 'bench trig-* (getpgid syscall driver), M/s',
  },
  florent: {
    who: 'Florent Revest',
    what: 'Re: [PATCH bpf-next v2 0/4] Add ftrace direct call for arm64',
    when: '17 October 2022',
    hardware: 'Raspberry Pi 4 (his own)',
    method: 'bench trig-* (getpgid syscall driver), M/s',
  },
  puranjay: {
    who: 'Puranjay Mohan',
    what: 'bpf: Optimize recursion detection on arm64 (v3, after the change)',
    when: 'December 2025',
    hardware: 'Neoverse-V2, KVM guest, 8 vCPUs',
    method: 'batched bench trig-* (v6.10+ in-kernel driver), M/s',
  },
  andrii: {
    who: 'Andrii Nakryiko',
    what: 'selftests/bpf: Add BPF triggering benchmark',
    when: 'May 2020',
    hardware: 'x86-64 (not stated)',
    method: 'bench trig-* (getpgid syscall driver), M/s',
  },
} as const satisfies Record<string, Source>;

/** Published trigger-benchmark throughputs (M/s); absent benches were not published. */
export interface PublishedTrigger {
  readonly source: keyof typeof TRIGGER_SOURCES;
  readonly base?: number;
  readonly fentry?: number;
  /** fentry through fprobe (Florent's PoC), the 'ops' strategy's ancestor. */
  readonly fentryIndirect?: number;
  readonly fexit?: number;
  readonly fmodret?: number;
  readonly kprobe?: number;
}

export const PUBLISHED_TRIGGER: readonly PublishedTrigger[] = [
  { source: 'xu', base: 1.79, kprobe: 0.771, fentry: 1.362, fentryIndirect: 1.021 },
  { source: 'florent', base: 0.701, kprobe: 0.291, fentry: 0.533, fentryIndirect: 0.404 },
  { source: 'puranjay', fentry: 53.948, fexit: 34.36, fmodret: 34.769, kprobe: 9.998 },
  { source: 'andrii', base: 9.2, fentry: 8.955, fmodret: 8.903, kprobe: 6.431 },
];
