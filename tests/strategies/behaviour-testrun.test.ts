/**
 * The test-run library's own contract (src/trampoline/strategies/testrun.ts), on one strategy kernel: the
 * outcomes it reports when a program cannot run — rejected by the verifier (EACCES, with the log), a target
 * the kernel does not have (ENOENT), fmod_ret on a function that is not error-injectable (EINVAL from the
 * strategy) — leave the other programs attached and working; bad input (`set` naming no global, a CPU that
 * does not exist) is refused before anything is loaded.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { assemble } from '../../src/bpf/asm/assemble.js';
import { loadBpfObject, type BpfObject } from '../../src/bpf/index.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import {
  createTracingKernel,
  testKernelVariantFor,
  type TracingKernel,
} from '../../src/trampoline/strategies/index.js';
import { testRun } from '../../src/trampoline/strategies/testrun.js';
import { Tramp64Error } from '../../src/util/errors.js';

const fentry = loadBpfObject(new Uint8Array(readFileSync('fixtures/bpf/fentry_test.bpf.o')));
const modify = loadBpfObject(new Uint8Array(readFileSync('fixtures/bpf/modify_return.bpf.o')));

function kernel(cpus = 1): TracingKernel {
  const bytes = new Uint8Array(readFileSync(testKernelFixture(testKernelVariantFor('callops'))));
  return createTracingKernel(bytes, { strategy: 'callops', cpus });
}

test('a rejected program, an unknown target and a refused fmod_ret are outcomes; the rest still run', () => {
  const [t1, t2, t3, ...rest] = fentry.programs;
  const fmod = modify.programs.find((p) => p.attachType === 'fmod_ret')!;
  const obj: BpfObject = {
    ...fentry,
    programs: [
      // Reads ctx slot 100 of a one-argument function: out of the ctx the trampoline builds.
      { ...t1!, insns: assemble('ldxdw %r0, [%r1+800]\nexit') },
      { ...t2!, target: 'no_such_function' },
      // fmod_ret on bpf_fentry_test3, which is not ALLOW_ERROR_INJECTION: the verifier refuses it too.
      { ...fmod, name: 'fmod_test3', target: 'bpf_fentry_test3', insns: assemble('mov %r0, 0\nexit') },
      t3!,
      ...rest,
    ],
  };
  const tk = kernel();
  const r = testRun(tk, obj);
  const o = Object.fromEntries(r.programs.map((p) => [p.name, p.outcome]));
  expect(o.test1).toMatchObject({ state: 'rejected', errno: 'EACCES' });
  expect((o.test1 as { message: string }).message).toMatch(/^the verifier rejected test1 at insn 0: /);
  expect(o.test2).toMatchObject({ state: 'rejected', errno: 'ENOENT' });
  expect((o.test2 as { message: string }).message).toContain(
    'the test kernel has no function no_such_function',
  );
  expect(o.fmod_test3).toMatchObject({ state: 'rejected', errno: 'EACCES' });
  for (const n of ['test3', 'test4', 'test5', 'test6', 'test7', 'test8'])
    expect(o[n], n).toEqual({ state: 'attached' });
  const g = Object.fromEntries(r.globals.map((x) => [x.name, x.value]));
  expect([g.test1_result, g.test2_result]).toEqual([0n, 0n]);
  for (const i of [3, 4, 5, 6, 7, 8]) expect(g[`test${i}_result`]).toBe(1n);
  // No fmod_ret program attached, yet the object has one: bpf_modify_return_test was called.
  expect(r.modifyReturn).toMatchObject({ ret: 4, sideEffect: 1 });
});

test('the strategy refuses fmod_ret on a function that is not error-injectable when the verifier is told it is', () => {
  const fmod = modify.programs.find((p) => p.attachType === 'fmod_ret')!;
  const obj: BpfObject = {
    ...modify,
    programs: [{ ...fmod, target: 'bpf_fentry_test3', insns: assemble('mov %r0, 0\nexit') }],
  };
  const tk = kernel();
  const r = testRun(tk, obj, { errorInjectable: ['bpf_fentry_test3'] });
  expect(r.programs[0]!.outcome).toMatchObject({ state: 'failed', errno: 'EINVAL' });
  expect(tk.strategy.attachment(tk, 'bpf_fentry_test3').links).toEqual([]);
});

test('bad input is refused before anything is loaded', () => {
  const tk = kernel(2);
  const before = tk.kernel.kallsyms.all().length;
  expect(() => testRun(tk, modify, { set: new Map([['nope', 1n]]) })).toThrow(
    /the object has no global nope; it has .*input_retval/,
  );
  expect(() => testRun(tk, modify, { cpus: [2] })).toThrow(Tramp64Error);
  expect(() => testRun(tk, modify, { cpus: [2] })).toThrow('CPU 2 does not exist; the kernel has CPUs 0..1');
  // No program was JITed (no bpf_prog_* symbol), nothing attached.
  expect(tk.kernel.kallsyms.all().length).toBe(before);
  expect(tk.strategy.attachment(tk, 'bpf_modify_return_test').links).toEqual([]);
  // And the kernel is still good for a real run.
  const r = testRun(tk, modify, { cpus: [1], set: new Map([['input_retval', 0n]]) });
  expect(r.modifyReturn).toMatchObject({ cpu: 1, ret: 4, sideEffect: 1 });
});
