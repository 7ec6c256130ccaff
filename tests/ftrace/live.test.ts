import { readFileSync } from 'node:fs';
import { it, expect } from 'vitest';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { attachFtrace, countingCallback, countingDirectTramp, OPS_FL } from '../../src/ftrace/index.js';

for (const variant of ['gcc-pfe42', 'clang-bti-pfe42', 'gcc-pfe2'] as const)
  for (const frame of ['args', 'regs'] as const)
    for (const dispatch of ['callops', 'global'] as const) {
      if (variant === 'gcc-pfe2' && dispatch === 'callops') continue;
      it(`${variant} ${frame} ${dispatch}`, () => {
        const tk = createTestKernel(readFileSync(testKernelFixture(variant)), {
          layout: { kind: 'kaslr', seed: 3 },
        });
        const k = tk.kernel;
        const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
        const f1 = tk.addr('bpf_fentry_test1');
        expect(k.machine.call(f1, [5n])).toBe(6n);
        const c = countingCallback(k, 'cb_a');
        const ops = ft.newOps({ name: 'a_ops', func: c.func });
        ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
        ft.register(ops);
        expect(k.machine.call(f1, [5n])).toBe(6n);
        expect(c.read()).toBe(1n);
        const d = countingCallback(k, 'cb_b');
        const ops2 = ft.newOps({ name: 'b_ops', func: d.func, flags: OPS_FL.DYNAMIC });
        ft.register(ops2);
        expect(k.machine.call(f1, [5n])).toBe(6n);
        expect(k.machine.call(tk.addr('bpf_fentry_test2'), [5n, 7n])).toBe(12n);
        expect([c.read(), d.read()]).toEqual([2n, 2n]);
        const t = countingDirectTramp(k, 'tr');
        const dops = ft.newOps({ name: 'd_ops' });
        ft.setFilter(dops, 'bpf_fentry_test3', { reset: true });
        ft.registerDirect(dops, t.func);
        expect(k.machine.call(tk.addr('bpf_fentry_test3'), [1n, 2n, 3n])).toBe(6n);
        expect([c.read(), d.read(), t.read()]).toEqual([2n, 3n, 1n]);
        ft.unregister(ops2);
        expect(k.machine.call(tk.addr('bpf_fentry_test3'), [1n, 2n, 3n])).toBe(6n);
        expect([c.read(), d.read(), t.read()]).toEqual([2n, 3n, 2n]);
        const t2 = countingDirectTramp(k, 'tr2', { where: 'image' });
        ft.modifyDirect(dops, t2.func);
        expect(k.machine.call(tk.addr('bpf_fentry_test3'), [1n, 2n, 3n])).toBe(6n);
        expect([t.read(), t2.read()]).toEqual([2n, 1n]);
        ft.unregisterDirect(dops, t2.func);
        ft.unregister(ops);
        expect(k.machine.call(f1, [5n])).toBe(6n);
        expect(k.machine.call(tk.addr('bpf_fentry_test3'), [1n, 2n, 3n])).toBe(6n);
        expect([c.read(), d.read(), t.read(), t2.read()]).toEqual([2n, 3n, 2n, 1n]);
        expect(k.machine.icache.reports).toEqual([]);
      });
    }
