/**
 * libbpf's program section names (its section_defs table, as documented in "Program Types and ELF
 * Sections"): which ones tramp64 runs and which it recognises but does not run.
 */

export type AttachType = 'fentry' | 'fexit' | 'fmod_ret';

export interface SectionKind {
  attachType: AttachType;
  sleepable: boolean;
  /** The traced kernel function. */
  target: string;
}

const SUPPORTED: readonly [prefix: string, AttachType, boolean][] = [
  ['fentry/', 'fentry', false],
  ['fexit/', 'fexit', false],
  ['fmod_ret/', 'fmod_ret', false],
  ['fentry.s/', 'fentry', true],
  ['fexit.s/', 'fexit', true],
  ['fmod_ret.s/', 'fmod_ret', true],
];

/** Program types libbpf knows that tramp64 does not model, by section prefix (or exact name). */
const KNOWN_UNSUPPORTED: readonly [prefix: string, what: string][] = [
  ['kprobe/', 'kprobe'],
  ['kretprobe/', 'kretprobe'],
  ['kprobe.multi/', 'kprobe.multi'],
  ['kretprobe.multi/', 'kretprobe.multi'],
  ['ksyscall/', 'ksyscall'],
  ['kretsyscall/', 'kretsyscall'],
  ['uprobe', 'uprobe'],
  ['uretprobe', 'uretprobe'],
  ['usdt', 'usdt'],
  ['tracepoint/', 'tracepoint'],
  ['tp/', 'tracepoint'],
  ['raw_tracepoint', 'raw_tracepoint'],
  ['raw_tp', 'raw_tracepoint'],
  ['tp_btf/', 'tp_btf'],
  ['fentry.multi', 'fentry.multi'],
  ['freplace/', 'freplace (BPF_PROG_TYPE_EXT)'],
  ['lsm', 'lsm'],
  ['iter', 'iter'],
  ['syscall', 'syscall'],
  ['xdp', 'xdp'],
  ['perf_event', 'perf_event'],
  ['socket', 'socket filter'],
  ['sk_reuseport', 'sk_reuseport'],
  ['tc', 'tc (sched_cls)'],
  ['classifier', 'sched_cls'],
  ['action', 'sched_act'],
  ['cgroup', 'cgroup'],
  ['sockops', 'sockops'],
  ['sk_skb', 'sk_skb'],
  ['sk_msg', 'sk_msg'],
  ['lirc_mode2', 'lirc_mode2'],
  ['flow_dissector', 'flow_dissector'],
  ['struct_ops', 'struct_ops'],
  ['sk_lookup', 'sk_lookup'],
  ['lwt_', 'lwt'],
  ['netfilter', 'netfilter'],
];

export type SectionClass =
  { kind: 'program'; info: SectionKind } | { kind: 'unsupported'; what: string } | { kind: 'unknown' };

export function classifySection(name: string): SectionClass {
  for (const [prefix, attachType, sleepable] of SUPPORTED) {
    if (name.startsWith(prefix)) {
      const target = name.slice(prefix.length);
      if (target === '')
        return {
          kind: 'unsupported',
          what: `${attachType} without a target function (libbpf needs it for auto-attach)`,
        };
      return { kind: 'program', info: { attachType, sleepable, target } };
    }
  }
  for (const [prefix, what] of KNOWN_UNSUPPORTED) {
    if (name === prefix || name.startsWith(prefix)) return { kind: 'unsupported', what };
  }
  return { kind: 'unknown' };
}
