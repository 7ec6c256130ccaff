/**
 * The default stage table on the names the model's own code registers, and sampleAttach end to end with
 * the stand-in trampoline (success: delta and bytes allocated; failure: the errno; a bug: thrown).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { buildRow } from '../../src/scenario/result.js';
import { sampleAttach } from '../../src/scenario/sample.js';
import { SymbolClassifier } from '../../src/scenario/stages.js';
import { KernelError } from '../../src/util/errors.js';
import { attachStandIn } from './standin.js';

describe('default stage table', () => {
  test('names of ftrace, trampolines, enter/exit and JITed programs', () => {
    const c = new SymbolClassifier();
    const cases: [string, string | undefined][] = [
      ['ftrace_caller', 'ftrace_caller'],
      ['ftrace_caller_direct_late', 'ftrace_caller'],
      ['ftrace_regs_caller', 'ftrace_caller'],
      ['ftrace_stub', 'ftrace_caller'],
      ['ftrace_stub_direct_tramp', 'trampoline'],
      ['ftrace_ops_list_func', 'op iteration'],
      ['arch_ftrace_ops_list_func', 'op iteration'],
      ['ftrace_hash_contains', 'op iteration'],
      ['bpf_trampoline_6442450945', 'trampoline'],
      ['__bpf_prog_enter_recur', 'enter/exit'],
      ['__bpf_prog_exit_recur', 'enter/exit'],
      ['__bpf_tramp_enter', 'enter/exit'],
      ['bpf_prog_3b185187f1855c4c_fentry1', 'program'],
      ['bpf_fentry_test1', undefined],
      ['xbpf_prog_', undefined],
    ];
    expect(cases.map(([n]) => [n, c.classify(n)])).toEqual(cases);
    expect(new SymbolClassifier([{ pattern: 'my_*_cb', stage: 'program' }]).classify('my_tracer_cb')).toBe(
      'program',
    );
  });
});

describe('sampleAttach', () => {
  const make = () =>
    createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), { layout: { kind: 'nokaslr', seed: 4 } });

  test('success: the delta and the bytes the attach allocated (four pages of the stand-in)', () => {
    const tk = make();
    let counts = { trampoline: 0, enter: 0, exit: 0, program: 0 };
    const r = sampleAttach(tk.kernel, tk.addr('bpf_fentry_test2'), [2n, 3n], () => {
      counts = attachStandIn(tk, 'bpf_fentry_test2', 2).counts;
    });
    expect(r.sample.ok).toBe(true);
    if (!r.sample.ok) return;
    expect(r.sample.codeBytes).toBe(4 * 4096);
    expect(r.sample.delta.instructions).toBe(counts.trampoline + counts.enter + counts.exit + counts.program);
    expect(r.traced!.result).toBe(5n);
    expect(r.baseline.trace).toBeUndefined();
  });

  test("a KernelError is the sample's outcome; any other error propagates", () => {
    const tk = make();
    const f = tk.addr('bpf_fentry_test1');
    const failed = sampleAttach(tk.kernel, f, [1n], () => {
      throw new KernelError('ENOTSUPP', 'trampoline out of BL range');
    });
    expect(failed.sample).toEqual({ ok: false, errno: 'ENOTSUPP' });
    expect(buildRow('patchsite', 'fentry', 'none', [failed.sample]).attach.errno).toBe('ENOTSUPP');
    expect(() =>
      sampleAttach(tk.kernel, f, [1n], () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
});
