/**
 * The attach interface (`FentryTarget`) used the way a strategy will use it: a test-local target that points
 * a kernel function's call site (`mov x9, lr ; bl <tramp>`) at the trampoline, on the built-in test kernel
 * (gcc `-fpatchable-function-entry=2`, BTI-guarded text). fentry/fexit on bpf_fentry_test1 see its argument
 * and return value; the strategy is told of every new image; and the v6.0 `blr x10` call of the original
 * faults under BTI on `add w0, w0, #1`, the instruction after the patch site, while the `ret x10` call runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { createTestKernel, testKernelFixture } from '../../src/kernel/testkernel.js';
import { MachineFault } from '../../src/machine/index.js';
import { trampolines } from '../../src/trampoline/index.js';
import { kernelSiteTarget, seqCounter, tracer } from './helpers.js';

const NOP = 0xd503201f;

function setup(origCall: 'ret' | 'blr' = 'ret') {
  const tk = createTestKernel(new Uint8Array(readFileSync(testKernelFixture('gcc-pfe2'))), {
    layout: { kind: 'nokaslr', seed: 1 },
    machine: { bti: true, pac: true },
  });
  const target = kernelSiteTarget(tk, 'bpf_fentry_test1');
  const tr = trampolines(tk.kernel).get(target, { origCall });
  return { tk, k: tk.kernel, tr, seq: seqCounter(tk.kernel), f: tk.addr('bpf_fentry_test1') };
}

describe('a kernel call site through the attach interface', () => {
  it('fentry and fexit on bpf_fentry_test1: argument, return value, func ip; the site follows every image', () => {
    const { k, tr, seq, f, tk } = setup();
    const seen: (bigint | undefined)[] = [];
    tr.onImage((img) => seen.push(img?.address));
    const fe = tracer(k, 'fe', seq, { usesFuncIp: true });
    const fx = tracer(k, 'fx', seq);
    tr.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
    const first = tr.image!.address;
    tr.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
    const ip = tk.callSite('bpf_fentry_test1').ip;
    expect(disassemble(k.patcher.read(ip), { address: ip })).toBe(`bl\t0x${tr.image!.address.toString(16)}`);
    expect(k.machine.call(f, [1n])).toBe(2n);
    expect(fe.read('ARG0')).toBe(1n);
    expect(fe.read('IP')).toBe(f);
    expect(fx.read('CTX1')).toBe(2n);
    expect(seen).toEqual([first, tr.image!.address]);
    tr.unlink(tr.links.fexit[0]!);
    tr.unlink(tr.links.fentry[0]!);
    expect(seen.at(-1)).toBeUndefined();
    expect(k.patcher.read(ip)).toBe(NOP);
    expect(k.machine.call(f, [5n])).toBe(6n);
    expect(fe.read('HITS')).toBe(1n);
    expect(k.machine.icache.reports).toEqual([]);
  });

  it('the v6.0 `blr x10` call of the original raises a BTI fault on `add w0, w0, #1`; `ret x10` does not', () => {
    const bad = setup('blr');
    const fx = tracer(bad.k, 'fx', bad.seq);
    bad.tr.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
    const ip = bad.tk.callSite('bpf_fentry_test1').ip;
    expect(disassemble(bad.k.patcher.read(ip + 4n))).toBe('add\tw0, w0, #1');
    let fault: unknown;
    try {
      bad.k.machine.call(bad.f, [1n]);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(MachineFault);
    expect((fault as MachineFault).message).toMatch(/BTYPE 10 landed on an incompatible instruction/);
    expect(bad.k.machine.cpus[0]!.pc).toBe(ip + 4n);

    const good = setup('ret');
    const fx2 = tracer(good.k, 'fx', good.seq);
    good.tr.link({ prog: fx2.prog, kind: 'fexit', cookie: 0n });
    expect(good.k.machine.call(good.f, [1n])).toBe(2n);
    expect(fx2.read('CTX1')).toBe(2n);
  });
});
