/**
 * freplace (BPF_MOD_JUMP at a program's entry): the target's poke site becomes `b <extension>` — or `b <PLT>`
 * with the PLT target set when the extension is out of reach — so calls run the extension, which returns
 * straight to the target's caller. Exclusive with tracing links (EBUSY both ways), BPF programs only.
 */
import { describe, expect, it } from 'vitest';
import { X } from '../../src/a64/builder.js';
import { disassemble } from '../../src/a64/index.js';
import { VMALLOC_START } from '../../src/kernel/layout.js';
import { KernelError } from '../../src/util/errors.js';
import { allocBpfProg, progTarget, trampolines, type TrampProg } from '../../src/trampoline/index.js';
import { jitShaped, newKernel, seqCounter, targetProg, tracer } from './helpers.js';

const NOP = 0xd503201f;

for (const far of [false, true]) {
  describe(`freplace${far ? ' through the PLT' : ''}`, () => {
    it('the entry jumps to the extension; detach restores the program', () => {
      const k = newKernel({ machine: { bti: true, pac: true } });
      const tgt = targetProg(k, 'target_prog', far ? { lo: VMALLOC_START + (4n << 30n) } : {});
      const tr = trampolines(k).get(
        progTarget({
          kernel: k,
          image: tgt.image,
          model: { name: 'target_prog', argSizes: [8], returnSize: 8 },
          progId: 2,
          btfId: 3,
        }),
      );
      const extImg = jitShaped(k, 'ext_prog', (a) => a.add(X[0]!, X[0]!, 1000));
      const rt = trampolines(k).rt;
      const ext: TrampProg = {
        name: 'ext_prog',
        bpfFunc: extImg.address,
        progStruct: allocBpfProg(rt, extImg.address),
        usesFuncIp: false,
      };
      tr.replaceWith(ext);
      const w = disassemble(k.patcher.read(tgt.image.pokeSite), { address: tgt.image.pokeSite });
      expect(w).toBe(`b\t0x${(far ? tgt.image.plt.entry : extImg.address).toString(16)}`);
      if (far) expect(k.machine.memory.read64(tgt.image.plt.target)).toBe(extImg.address);
      expect(k.machine.call(tgt.image.address, [5n])).toBe(1005n);
      expect(tgt.runs()).toBe(0n);
      const fe = tracer(k, 'fe', seqCounter(k));
      expect(() => tr.link({ prog: fe.prog, kind: 'fentry', cookie: 0n })).toThrow(
        /EBUSY: .* is replaced by ext_prog/,
      );
      expect(() => tr.replaceWith(ext)).toThrow(KernelError);
      tr.unreplace();
      expect(k.patcher.read(tgt.image.pokeSite)).toBe(NOP);
      expect(k.machine.memory.read64(tgt.image.plt.target)).toBe(rt.dummyTramp);
      expect(k.machine.call(tgt.image.address, [5n])).toBe(16n);
      tr.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
      expect(() => tr.replaceWith(ext)).toThrow(/EBUSY: .* already has 1 tracing programs attached/);
      expect(k.machine.icache.reports).toEqual([]);
    });
  });
}
