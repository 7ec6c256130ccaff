/**
 * `tramp64 test-run` as a user runs it: the BPF selftests' tracing objects attached to the built-in test
 * kernel through a strategy, the test run's calls made, and the globals printed — which must be what the
 * kernel selftests expect (fentry_test / fexit_test: every test*_result = 1; modify_return: the three
 * *_result = 1, side_effect and ret as selftests/bpf/prog_tests/modify_return.c checks them;
 * get_func_ip_test: every result = 1 with the expected addresses given by --set). Bad input exits 2 with a
 * message that says what to do; a refused attach exits 1 with its errno.
 */
import { describe, expect, test } from 'vitest';
import { tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command('test-run');

/** The `globals:` section of the text output as name → printed value. */
function globals(stdout: string): Record<string, string> {
  const section = stdout.slice(stdout.indexOf('\nglobals:\n') + '\nglobals:\n'.length);
  return Object.fromEntries(
    section
      .split('\n')
      .map((l) => /^ {2}\.\S+\s+(\w+) = (-?\d+)/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

const ALL_ONE = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`test${i}_result`, '1']));

describe('tramp64 test-run', () => {
  test('fentry_test (default strategy callops, default layout nokaslr): every test*_result is 1', () => {
    const r = tramp64('fixtures/bpf/fentry_test.bpf.o');
    expect(r.stderr).not.toMatch(/tramp64:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('strategy: callops');
    expect(r.stdout).toContain('layout used: nokaslr (the default: every strategy can attach under it)');
    expect(r.stdout).toMatch(/^ {2}bpf_fentry_test6\(16, 17, 18, 19, 20, 21\) = 111 /m);
    expect(r.stdout).toMatch(/^ {2}bpf_fentry_test8\(&\{a: NULL\}\) = 0 /m);
    expect(globals(r.stdout)).toEqual(ALL_ONE);
  });

  test('fexit_test under ops with the pt_regs frame on 2 CPUs: every test*_result is 1', () => {
    const r = tramp64('fixtures/bpf/fexit_test.bpf.o', '--strategy', 'ops', '--frame', 'regs', '--cpus', '2');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/strategy: ops .*; frame regs;/);
    expect(r.stdout).toMatch(/^ {2}bpf_fentry_test2\(2, 3\) = 5 +\(cpu 1\)$/m);
    expect(globals(r.stdout)).toEqual(ALL_ONE);
  });

  test('modify_return: fmod_ret 0 lets the original run (side_effect 1, ret 4); -EINVAL skips it', () => {
    const ok = tramp64('fixtures/bpf/modify_return.bpf.o', '--strategy', 'tailcall');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(
      'bpf_modify_return_test(1, &b) = 4; retval = 0x10004 = side_effect 1 << 16 | ret',
    );
    expect(globals(ok.stdout)).toEqual({
      input_retval: '0',
      fentry_result: '1',
      fmod_ret_result: '1',
      fexit_result: '1',
      sequence: '3',
    });
    const r = tramp64(
      'fixtures/bpf/modify_return.bpf.o',
      '--strategy',
      'patchsite',
      '--set',
      'input_retval=-22',
      '--json',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      strategy: string;
      layout: string;
      layoutDefaulted: boolean;
      modifyReturn: { sideEffect: number; ret: number; retval: number };
      globals: Record<string, string>;
    };
    expect([out.strategy, out.layout, out.layoutDefaulted]).toEqual(['patchsite', 'nokaslr', true]);
    // The selftest: UPPER(retval) = side_effect 0, LOWER(retval) = (u16)-EINVAL.
    expect(out.modifyReturn).toEqual({
      call: 'bpf_modify_return_test(1, &b)',
      cpu: 0,
      sideEffect: 0,
      ret: -22,
      retval: 0xffffffea,
    });
    expect(out.globals).toEqual({
      input_retval: '-22',
      fentry_result: '1',
      fmod_ret_result: '1',
      fexit_result: '1',
      sequence: '3',
    });
  });

  test('get_func_ip_test with the expected addresses set: bpf_get_func_ip is the function address', () => {
    const r = tramp64(
      'fixtures/bpf/get_func_ip_test.bpf.o',
      '--set',
      'expected_test1=&bpf_fentry_test1',
      '--set',
      'expected_modify=&bpf_modify_return_test',
    );
    expect(r.status).toBe(0);
    const g = globals(r.stdout);
    expect([g.test1_result, g.test2_result, g.test3_result]).toEqual(['1', '1', '1']);
    expect(g.test1_ip).toBe(g.expected_test1);
    expect(BigInt(g.test1_ip!)).toBeGreaterThan(0xffff_8000_0000_0000n);
  });

  test('ringbuf: map helpers and bpf_trace_printk served for attached programs; printk lines printed', () => {
    const r = tramp64('fixtures/bpf/ringbuf.bpf.o', '--strategy', 'ops', '--cpus', '2');
    expect(r.status).toBe(0);
    // bpf_fentry_test2 is the second call, so it runs on CPU 1.
    expect(r.stdout).toMatch(/^ {2}bpf_fentry_test2\(2, 3\) = 5 +\(cpu 1\)$/m);
    expect(r.stdout).toContain('bpf_trace_printk:\n  entry a=2\n  fexit a=2 ret=5\n');
    const g = globals(r.stdout);
    expect([g.submitted, g.dropped]).toEqual(['2', '0']);
  });

  test('patchsite under KASLR: the attach is refused with ENOTSUPP (exit 1), and the output says so', () => {
    const r = tramp64(
      'fixtures/bpf/fentry_test.bpf.o',
      '--strategy',
      'patchsite',
      '--layout',
      'kaslr',
      '--seed',
      '3',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('layout used: kaslr (seed 3)\n');
    expect(r.stdout).toMatch(/test1 +-> bpf_fentry_test1 +FAILED: ENOTSUPP: .*out of BL range/);
    // Nothing attached, so the results stay 0.
    expect(globals(r.stdout)).toEqual(Object.fromEntries(Object.keys(ALL_ONE).map((k) => [k, '0'])));
  });

  test('bad input exits 2 with a message saying what to do', () => {
    const missing = tramp64('fixtures/bpf/no-such.bpf.o');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/tramp64: cannot read the BPF object 'fixtures\/bpf\/no-such\.bpf\.o'/);
    const strat = tramp64('fixtures/bpf/fentry_test.bpf.o', '--strategy', 'ftrace');
    expect(strat.status).toBe(2);
    expect(strat.stderr).toContain(
      "--strategy must be one of patchsite, ops, tailcall, callops, got 'ftrace'",
    );
    const set = tramp64('fixtures/bpf/modify_return.bpf.o', '--set', 'input_retval');
    expect(set.status).toBe(2);
    expect(set.stderr).toContain("--set 'input_retval': write NAME=VALUE");
    const nog = tramp64('fixtures/bpf/modify_return.bpf.o', '--set', 'nope=1');
    expect(nog.status).toBe(2);
    expect(nog.stderr).toMatch(/the object has no global nope; it has .*input_retval/);
    const big = tramp64('fixtures/bpf/modify_return.bpf.o', '--set', 'input_retval=0x10000000000000000');
    expect(big.status).toBe(2);
    expect(big.stderr).toContain(
      "--set input_retval must be a 64-bit integer (decimal or 0x hex), got '0x10000000000000000'",
    );
  });
});
