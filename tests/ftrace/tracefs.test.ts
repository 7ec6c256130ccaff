/**
 * tracefs files through the library object: golden text of every file (the kernel's v6.12 formats, facts
 * §6), the x86 sample line re-rendered for arm64, the R/I/D/O/M columns across DIRECT / CALL_OPS /
 * MODIFIED transitions, and bad writes (kernel errno, bash's text, nothing changed). Then the same files on
 * live ftrace with real tracing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DynFtrace, FtraceCore, FtraceOps, attachFtrace, formatPS } from '../../src/ftrace/index.js';
import { registerReturnHook, unregisterReturnHook } from '../../src/ftrace/graph/graph.js';
import { Tracefs, bashError, coreBackend, liveBackend } from '../../src/ftrace/tracefs/tracefs.js';
import { TraceArray } from '../../src/ftrace/tracers/trace.js';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { KernelError } from '../../src/util/errors.js';
import { FTRACE_CALLER, MOD_BASE, MOD_PLT, reachable, site } from './fixtures.js';

const GLOBAL_OPS = 0xffff800081100000n;
const FTC = 0xffff800080040000n;
const CALL_DIRECT = 0xffff800080020000n;
const DIRECT_OPS = 0xffff800081000000n;
const MY_TRAMP = 0xffff800080200000n;

const SYMS = new Map<bigint, string>([
  [FTRACE_CALLER, formatPS('ftrace_caller', 0n, 0xb0n)],
  [CALL_DIRECT, formatPS('call_direct_funcs', 0n, 0x20n)],
  [GLOBAL_OPS, formatPS('global_ops', 0n, 0x40n)],
  [FTC, formatPS('function_trace_call', 0n, 0x80n)],
  [DIRECT_OPS, formatPS('my_direct_ops', 0n, 0x40n, 'ftrace_direct')],
  [MY_TRAMP, formatPS('my_tramp', 0n, 0x20n, 'ftrace_direct')],
]);

function coreFs() {
  const recs = [
    new DynFtrace(site('schedule', 0xffff800080100000n, '=4,2')),
    new DynFtrace(site('wake_up_process', 0xffff800080100100n, '=4,2')),
    new DynFtrace(site('wake_up_state', 0xffff800080100200n, '=4,2')),
    new DynFtrace(site('do_sys_open', 0xffff800080100300n, '=4,2')),
    new DynFtrace(site('m1_fn', MOD_BASE + 0x100n, '=4,2', 'm1')),
  ];
  const core = new FtraceCore({
    records: recs,
    ftraceCaller: FTRACE_CALLER,
    reachable,
    modulePlt: (m) => (m === 'm1' ? MOD_PLT : undefined),
    callDirectFuncs: CALL_DIRECT,
  });
  const fs = new Tracefs(
    coreBackend(core, (a) => SYMS.get(a) ?? `0x${a.toString(16)}`, {
      opsAddress: () => GLOBAL_OPS,
      functionTraceCall: FTC,
    }),
  );
  return { core, fs };
}

/** The KernelError a call throws. */
function errOf(f: () => void): KernelError {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelError) return e;
    throw e;
  }
  throw new Error('expected a KernelError');
}

describe('tracefs file formats (FtraceCore backend)', () => {
  it('available_filter_functions(_addrs), ls, available_tracers, current_tracer, tracing_on', () => {
    const { fs } = coreFs();
    expect(fs.read('available_filter_functions')).toBe(
      'schedule\nwake_up_process\nwake_up_state\ndo_sys_open\nm1_fn [m1]\n',
    );
    expect(fs.read('available_filter_functions_addrs')).toBe(
      'ffff800080100004 schedule\nffff800080100104 wake_up_process\nffff800080100204 wake_up_state\n' +
        'ffff800080100304 do_sys_open\nffff800100000104 m1_fn [m1]\n',
    );
    expect(fs.ls()).toContain('enabled_functions');
    expect(fs.read('available_tracers')).toBe('function nop\n');
    expect(fs.read('current_tracer')).toBe('nop\n');
    expect(fs.read('tracing_on')).toBe('1\n');
    expect(fs.read('trace')).toBe(
      '# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:1\n#\n' +
        '#                                _-----=> irqs-off/BH-disabled\n' +
        '#                               / _----=> need-resched\n' +
        '#                              | / _---=> hardirq/softirq\n' +
        '#                              || / _--=> preempt-depth\n' +
        '#                              ||| / _-=> migrate-disable\n' +
        '#                              |||| /     delay\n' +
        '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n' +
        '#              | |         |   |||||     |         |\n',
    );
  });

  it('set_ftrace_filter / set_ftrace_notrace: globs, !, > vs >>, mod:, line numbers', () => {
    const { fs } = coreFs();
    expect(fs.read('set_ftrace_filter')).toBe('#### all functions enabled ####\n');
    expect(fs.read('set_ftrace_notrace')).toBe('');
    fs.write('set_ftrace_filter', 'wake_up_*\n');
    expect(fs.read('set_ftrace_filter')).toBe('wake_up_process\nwake_up_state\n');
    fs.write('set_ftrace_filter', '!wake_up_state\n', { append: true });
    expect(fs.read('set_ftrace_filter')).toBe('wake_up_process\n');
    fs.write('set_ftrace_filter', ':mod:m1\n', { append: true });
    expect(fs.read('set_ftrace_filter')).toBe('wake_up_process\nm1_fn [m1]\n');
    fs.write('set_ftrace_filter', '1 4\n');
    expect(fs.read('set_ftrace_filter')).toBe('schedule\ndo_sys_open\n');
    fs.write('set_ftrace_notrace', '*sys*\n');
    expect(fs.read('set_ftrace_notrace')).toBe('do_sys_open\n');
    fs.write('set_ftrace_filter', '\n');
    expect(fs.read('set_ftrace_filter')).toBe('#### all functions enabled ####\n');
  });

  it('bad commands: kernel errno, bash text, nothing changed', () => {
    const { core, fs } = coreFs();
    fs.write('set_ftrace_filter', 'schedule\n');
    const before = core.records.map((r) => r.flags);
    const cases: [() => void, string, string][] = [
      [
        () => fs.write('set_ftrace_filter', 'no_such_fn\n'),
        'EINVAL',
        '-bash: echo: write error: Invalid argument',
      ],
      [
        () => fs.write('set_ftrace_filter', 'wake[\n'),
        'EINVAL',
        '-bash: echo: write error: Invalid argument',
      ],
      [
        () => fs.write('set_ftrace_filter', 'schedule foo:bogus\n', { append: true }),
        'EINVAL',
        '-bash: echo: write error: Invalid argument',
      ],
      [() => fs.write('current_tracer', 'blk\n'), 'EINVAL', '-bash: echo: write error: Invalid argument'],
      [
        () => fs.write('current_tracer', 'function_graph\n'),
        'EINVAL',
        '-bash: echo: write error: Invalid argument',
      ],
      [() => fs.write('tracing_on', 'yes\n'), 'EINVAL', '-bash: echo: write error: Invalid argument'],
      [
        () => fs.write('available_filter_functions', 'x\n'),
        'EINVAL',
        '-bash: echo: write error: Invalid argument',
      ],
    ];
    for (const [f, errno, bash] of cases) {
      const e = errOf(f);
      expect(e.errno).toBe(errno);
      expect(bashError(e, 'write', 'x')).toBe(bash);
    }
    const open = errOf(() => fs.write('no_such_file', 'x\n'));
    expect(bashError(open, 'open', 'no_such_file')).toBe('-bash: no_such_file: Permission denied');
    const cat = errOf(() => fs.read('no_such_file'));
    expect(bashError(cat, 'cat', 'no_such_file')).toBe('cat: no_such_file: No such file or directory');
    expect(fs.read('set_ftrace_filter')).toBe('schedule\n');
    expect(fs.read('current_tracer')).toBe('nop\n');
    expect(fs.read('tracing_on')).toBe('1\n');
    expect(core.records.map((r) => r.flags)).toEqual(before);
    expect(core.opsList).toEqual([]);
  });

  it('enabled_functions / touched_functions across CALL_OPS, DIRECT and MODIFIED transitions', () => {
    const { core, fs } = coreFs();
    fs.write('set_ftrace_filter', 'wake_up_process\n');
    fs.write('current_tracer', 'function\n');
    // One ops on a CALL_OPS site: O, and the ops line.
    expect(fs.read('enabled_functions')).toBe(
      'wake_up_process (1)       O   \tops: global_ops+0x0/0x40 (function_trace_call+0x0/0x80)\n',
    );
    // A direct ops joins: count 2, D, no CALL_OPS (the list ops), M from now on.
    const d = new FtraceOps({ name: 'my_direct_ops', address: DIRECT_OPS });
    core.setFilter(d, 'wake_up_process', { reset: true });
    core.registerDirect(d, MY_TRAMP);
    expect(fs.read('enabled_functions')).toBe(
      'wake_up_process (2)     D   M \n\tdirect-->my_tramp+0x0/0x20 [ftrace_direct]\n',
    );
    // The function tracer leaves: the direct ops alone. This is the x86 sample of facts §6
    // (`wake_up_process (1) R   D       tramp: ftrace_regs_caller… direct-->my_tramp…`) as arm64 v6.12
    // renders it: no R (no SAVE_REGS on arm64), O and M columns, tramp is ftrace_caller, an ops line.
    fs.write('current_tracer', 'nop\n');
    expect(fs.read('enabled_functions')).toBe(
      'wake_up_process (1)     D O M \ttramp: ftrace_caller+0x0/0xb0 (call_direct_funcs+0x0/0x20)' +
        '\tops: my_direct_ops+0x0/0x40 [ftrace_direct] (call_direct_funcs+0x0/0x20)' +
        '\n\tdirect-->my_tramp+0x0/0x20 [ftrace_direct]\n',
    );
    core.unregisterDirect(d, MY_TRAMP);
    expect(fs.read('enabled_functions')).toBe('');
    // MODIFIED and TOUCHED are never cleared.
    expect(fs.read('touched_functions')).toBe('wake_up_process (0)         M \n');
    fs.write('current_tracer', 'function\n');
    expect(fs.read('enabled_functions')).toBe(
      'wake_up_process (1)       O M \tops: global_ops+0x0/0x40 (function_trace_call+0x0/0x80)\n',
    );
    // A filter change while the tracer runs moves it live.
    fs.write('set_ftrace_filter', 'schedule\n', { append: true });
    expect(fs.read('enabled_functions')).toBe(
      'schedule (1)       O   \tops: global_ops+0x0/0x40 (function_trace_call+0x0/0x80)\n' +
        'wake_up_process (1)       O M \tops: global_ops+0x0/0x40 (function_trace_call+0x0/0x80)\n',
    );
    expect(fs.read('touched_functions').split('\n').filter(Boolean).length).toBe(2);
  });
});

describe('tracefs on live ftrace', () => {
  const OBJ = readFileSync(testKernelFixture('gcc-pfe42'));

  function liveFs() {
    const tk = createTestKernel(OBJ, { layout: { kind: 'kaslr', seed: 11 } });
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const tr = new TraceArray(k);
    const fs = new Tracefs(
      liveBackend(ft, tr, {
        register: (o) => registerReturnHook(ft, o),
        unregister: (h) => unregisterReturnHook(ft, h),
      }),
    );
    return { tk, k, ft, tr, fs };
  }

  it('function tracer: filter, trace lines, enabled_functions, trace_pipe consumes', () => {
    const { tk, k, fs } = liveFs();
    fs.write('set_ftrace_filter', 'bpf_fentry_test*\n');
    fs.write('current_tracer', 'function\n');
    k.machine.call(tk.addr('bpf_fentry_test1'), [1n]);
    k.machine.call(tk.addr('workload_entry'), [2n]);
    k.machine.call(tk.addr('tramp64_trigger'), [2n]); // not in the filter
    const lines = fs.read('trace').split('\n');
    expect(lines[2]).toBe('# entries-in-buffer/entries-written: 2/2   #P:1');
    const body = lines.filter((l) => l && !l.startsWith('#'));
    expect(body).toHaveLength(2);
    expect(body[0]).toMatch(/^ {7}tramp64\/0-1000 {4}\[000\] d\.\.\.\. +\d+\.\d{6}: bpf_fentry_test1 <-\S+$/);
    expect(body[1]).toMatch(/: bpf_fentry_test1 <-workload_middle$/);
    const en = fs.read('enabled_functions').split('\n').filter(Boolean);
    const matching = fs
      .read('available_filter_functions')
      .split('\n')
      .filter((n) => n.startsWith('bpf_fentry_test'));
    expect(en.map((l) => l.split(' ')[0]).sort()).toEqual(matching.sort());
    for (const l of en)
      expect(l).toMatch(
        /^bpf_fentry_test\S* \(1\)       O   \tops: global_ops\+0x0\/0x40 \(function_trace_call\+0x0\/0x[0-9a-f]+\)$/,
      );
    expect(fs.read('trace_pipe').split('\n').filter(Boolean)).toEqual(body);
    expect(fs.read('trace_pipe')).toBe('');
    fs.write('tracing_on', '0\n');
    k.machine.call(tk.addr('bpf_fentry_test1'), [1n]);
    expect(fs.read('trace').split('\n')[2]).toBe('# entries-in-buffer/entries-written: 0/0   #P:1');
    fs.write('current_tracer', 'nop\n');
    expect(fs.read('enabled_functions')).toBe('');
    expect(k.machine.icache.reports).toEqual([]);
  });

  it('function_graph: nested entry/return with durations, leaf lines', () => {
    const { tk, k, fs } = liveFs();
    expect(fs.read('available_tracers')).toBe('function_graph function nop\n');
    fs.write('set_ftrace_filter', 'workload_* bpf_fentry_test1\n');
    fs.write('current_tracer', 'function_graph\n');
    expect(k.machine.call(tk.addr('workload_entry'), [3n])).toBe(9n);
    const out = fs.read('trace');
    const lines = out.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '# tracer: function_graph',
      '#',
      '# CPU  DURATION                  FUNCTION CALLS',
      '# |     |   |                     |   |   |   |',
    ]);
    const body = lines.slice(4).filter(Boolean);
    expect(body[0]).toBe(' 0)               |  workload_entry() {');
    expect(body[1]).toBe(' 0)               |    workload_middle() {');
    expect(body[2]).toMatch(/^ 0\) {3}\d+\.\d{3} us {4}\| {6}bpf_fentry_test1\(\);$/);
    expect(body[3]).toMatch(/^ 0\) {3}\d+\.\d{3} us {4}\| {4}}$/);
    expect(body[4]).toMatch(/^ 0\) {3}\d+\.\d{3} us {4}\| {2}}$/);
    expect(body).toHaveLength(5);
    // Durations nest: outer ≥ middle ≥ leaf.
    const us = body.slice(2).map((l) => Number(/(\d+\.\d+) us/.exec(l)![1]));
    expect(us[2]!).toBeGreaterThanOrEqual(us[1]!);
    expect(us[1]!).toBeGreaterThanOrEqual(us[0]!);
    fs.write('set_ftrace_notrace', 'workload_middle\n');
    fs.write('trace', '\n');
    k.machine.call(tk.addr('workload_entry'), [3n]);
    const b2 = fs.read('trace').split('\n').slice(4).filter(Boolean);
    expect(b2[0]).toBe(' 0)               |  workload_entry() {');
    expect(b2[1]).toMatch(/\|    bpf_fentry_test1\(\);$/);
    fs.write('current_tracer', 'nop\n');
    expect(fs.read('enabled_functions')).toBe('');
  });
});
