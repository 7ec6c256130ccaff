/**
 * `tramp64 tracefs` spawned as a user runs it, with a script on stdin: the scripted session, bad
 * commands (bash's error lines, nothing changed, exit status 1), the function_graph tracer, the 6.1 series.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { CORPUS_FETCH_TIMEOUT, fetchCorpus } from '../helpers/corpus.js';
import { tramp64 } from '../helpers/cli.js';

const tracefs = (script: string[], ...args: string[]) =>
  tramp64(['tracefs', ...args], script.join('\n') + '\n');
const errLines = (s: string) => s.split('\n').filter((l) => l && !l.startsWith('npm warn'));

const TRACE_HEADER = [
  '# tracer: function',
  '#',
  '# entries-in-buffer/entries-written: 1/1   #P:1',
  '#',
  '#                                _-----=> irqs-off/BH-disabled',
  '#                               / _----=> need-resched',
  '#                              | / _---=> hardirq/softirq',
  '#                              || / _--=> preempt-depth',
  '#                              ||| / _-=> migrate-disable',
  '#                              |||| /     delay',
  '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION',
  '#              | |         |   |||||     |         |',
];

describe('tramp64 tracefs', () => {
  test('the scripted session of the issue gives the expected lines', () => {
    const r = tracefs([
      "echo 'bpf_fentry_test*' > set_ftrace_filter",
      'echo function > current_tracer',
      'call bpf_fentry_test1 1',
      'cat trace',
      'cat enabled_functions',
    ]);
    expect(errLines(r.stderr)).toEqual([]);
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('bpf_fentry_test1(1) = 2');
    expect(out.slice(1, 13)).toEqual(TRACE_HEADER);
    // The call came from the shell's stub in kernel text; irqs are masked in the model (`d`).
    expect(out[13]).toMatch(
      /^ {7}tramp64\/0-1000 {4}\[000\] d\.\.\.\. {2}\s*\d+\.\d{6}: bpf_fentry_test1 <-tramp64_shell$/,
    );
    const enabled = out.slice(14).filter(Boolean);
    expect(enabled.map((l) => l.replace(/0x[0-9a-f]+\)$/, 'SIZE)'))).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map(
        (i) => `bpf_fentry_test${i} (1)       O   \tops: global_ops+0x0/0x40 (function_trace_call+0x0/SIZE)`,
      ),
    );
  });

  test('bad commands print the kernel error text through bash and change nothing', () => {
    const r = tracefs([
      "echo 'bpf_fentry_test1' > set_ftrace_filter",
      'echo function > current_tracer',
      'echo no_such_function > set_ftrace_filter',
      "echo 'bpf_[' > set_ftrace_filter",
      'echo blk > current_tracer',
      'echo on > tracing_on',
      'cat no_such_file',
      'echo 1 > no_such_file',
      'frobnicate',
      'call no_such_function 1',
      'cat set_ftrace_filter current_tracer tracing_on',
    ]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([
      '-bash: echo: write error: Invalid argument',
      '-bash: echo: write error: Invalid argument',
      '-bash: echo: write error: Invalid argument',
      '-bash: echo: write error: Invalid argument',
      'cat: no_such_file: No such file or directory',
      '-bash: no_such_file: Permission denied',
      '-bash: frobnicate: command not found',
      'call: ENOENT: the test kernel has no symbol no_such_function',
    ]);
    expect(r.stdout).toBe('bpf_fentry_test1\nfunction\n1\n');
  });

  test('trace_pipe consumes, tracing_on stops recording, run-trigger drives the loop', () => {
    const r = tracefs([
      'echo tramp64_trigger > set_ftrace_filter',
      'echo function > current_tracer',
      'run-trigger 3',
      'cat trace_pipe',
      'cat trace_pipe',
      'echo 0 > tracing_on',
      'run-trigger 2',
      'cat trace',
    ]);
    expect(errLines(r.stderr)).toEqual([]);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('tramp64_trigger_loop(3) = 3');
    expect(out.slice(1, 4).map((l) => l.replace(/^.*: /, ''))).toEqual(
      Array(3).fill('tramp64_trigger <-tramp64_trigger_loop'),
    );
    expect(out[4]).toBe('tramp64_trigger_loop(2) = 1');
    expect(out[7]).toBe('# entries-in-buffer/entries-written: 0/0   #P:1');
  });

  test('function_graph nests the call chain with durations', () => {
    const r = tracefs([
      'echo "workload_*" bpf_fentry_test1 > set_ftrace_filter',
      'echo function_graph > current_tracer',
      'call workload_entry 4',
      'cat trace',
    ]);
    expect(errLines(r.stderr)).toEqual([]);
    const out = r.stdout.split('\n').filter(Boolean);
    expect(out.slice(0, 5)).toEqual([
      'workload_entry(4) = 11',
      '# tracer: function_graph',
      '#',
      '# CPU  DURATION                  FUNCTION CALLS',
      '# |     |   |                     |   |   |   |',
    ]);
    expect(out.slice(5).map((l) => l.replace(/\d+\.\d{3} us/, 'N us'))).toEqual([
      ' 0)               |  workload_entry() {',
      ' 0)               |    workload_middle() {',
      ' 0)   N us    |      bpf_fentry_test1();',
      ' 0)   N us    |    }',
      ' 0)   N us    |  }',
    ]);
  });

  test('--series 6.1: the seed-era tracefs (no O/M columns, no touched_functions)', () => {
    const r = tracefs(
      [
        'echo bpf_fentry_test2 > set_ftrace_filter',
        'echo function > current_tracer',
        'cat enabled_functions',
        'cat touched_functions',
      ],
      '--series',
      '6.1',
    );
    expect(r.stdout).toBe('bpf_fentry_test2 (1)      \n');
    expect(errLines(r.stderr)).toEqual(['cat: touched_functions: No such file or directory']);
  });

  test('--help names the strategies and the BPF commands; a bad --series is a usage error', () => {
    const h = tramp64(['tracefs', '--help']);
    expect(h.stdout).toMatch(/--strategy <name> +attach strategy \(patchsite, ops, tailcall, callops\)/);
    expect(h.stdout).toMatch(/^ {2}attach OBJ \[PROG\.\.\.\] /m);
    expect(h.stdout).not.toMatch(/not modelled yet|recorded only/);
    const bad = tracefs([], '--series', '5.15');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--series must be one of test, 6\.1, 6\.12, got '5\.15'/);
  });

  test('a small buffer overruns: the header counts every entry written, the buffer keeps the newest', () => {
    const r = tracefs([
      'echo 8 > buffer_size_kb',
      'cat buffer_size_kb',
      'echo tramp64_trigger > set_ftrace_filter',
      'echo function > current_tracer',
      'run-trigger 300',
      'cat trace',
      'echo 0 > buffer_size_kb',
    ]);
    expect(errLines(r.stderr)).toEqual(['-bash: echo: write error: Invalid argument']);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('8');
    // 8 KiB = 128 entries = 2 pages of 64: full at 128, 192 and 256 → the oldest page goes each time.
    expect(out[4]).toBe('# entries-in-buffer/entries-written: 108/300   #P:1');
    expect(out.filter((l) => l.endsWith('tramp64_trigger <-tramp64_trigger_loop'))).toHaveLength(108);
  });

  test('call -c: each CPU writes its own buffer, trace merges them', () => {
    const r = tracefs(
      [
        'echo bpf_fentry_test1 > set_ftrace_filter',
        'echo function > current_tracer',
        'call -c 1 bpf_fentry_test1 3',
        'call bpf_fentry_test1 4',
        'call -c 2 bpf_fentry_test1 5',
        'cat trace',
      ],
      '--cpus',
      '2',
    );
    expect(errLines(r.stderr)).toEqual(['call: no CPU 2 (the machine has 2; see --cpus)']);
    const lines = r.stdout.split('\n').filter((l) => l.includes('bpf_fentry_test1 <-'));
    expect(lines.map((l) => l.slice(0, 30)).sort()).toEqual([
      '       tramp64/0-1000    [000]',
      '       tramp64/1-1001    [001]',
    ]);
    expect(r.stdout).toContain('# entries-in-buffer/entries-written: 2/2   #P:2');
  });

  // The 6.12 corpus, fetched once by the first test that needs it (tests/helpers/corpus.ts).
  beforeAll(() => fetchCorpus('6.12'), CORPUS_FETCH_TIMEOUT);
  test('--series 6.12 --module: corpus module functions are traceable as name [module]', () => {
    const r = tracefs(
      ['echo :mod:vsock_diag > set_ftrace_filter', 'echo function > current_tracer', 'cat enabled_functions'],
      '--series',
      '6.12',
      '--module',
      'vsock_diag',
    );
    expect(errLines(r.stderr)).toEqual([]);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines)
      expect(l).toMatch(
        /^\S+ \[vsock_diag\] \(1\)       O   \tops: global_ops\+0x0\/0x40 \(function_trace_call\+/,
      );
  });
});
