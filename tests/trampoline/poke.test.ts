/**
 * bpf_arch_text_poke on BPF-program targets: short BL, long jumps through the program's PLT (target
 * written first, reset to dummy_tramp on detach), validation of the old word, and no CMODX reports.
 */
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { VMALLOC_START } from '../../src/kernel/layout.js';
import { KernelError } from '../../src/util/errors.js';
import {
  bpfArchTextPoke,
  branchWord,
  isLongJump,
  progEntrySite,
  progTarget,
  trampolines,
} from '../../src/trampoline/index.js';
import { newKernel, seqCounter, targetProg, tracer } from './helpers.js';

const NOP = 0xd503201f;
const GiB = 1n << 30n;

function far() {
  const k = newKernel();
  // A target program 4 GiB up in vmalloc; the trampoline comes from the lowest free area.
  const tgt = targetProg(k, 'far_prog', { lo: VMALLOC_START + 4n * GiB });
  const target = progTarget({
    kernel: k,
    image: tgt.image,
    model: { name: 'far_prog', argSizes: [8], returnSize: 8 },
    progId: 3,
    btfId: 9,
    errorInjectable: true,
  });
  const reg = trampolines(k);
  return { k, tgt, target, reg, tr: reg.get(target), seq: seqCounter(k) };
}

describe('bpf_arch_text_poke', () => {
  it('a target more than 128 MiB from its trampoline attaches through its PLT; detach resets the PLT to the stub', () => {
    const { k, tgt, reg, tr, seq } = far();
    const mem = k.machine.memory;
    expect(mem.read64(tgt.image.plt.target)).toBe(reg.rt.dummyTramp);
    const fe = tracer(k, 'fe', seq);
    const link = { prog: fe.prog, kind: 'fentry' as const, cookie: 0n };
    tr.link(link);
    const img = tr.image!;
    expect(isLongJump(tgt.image.pokeSite, img.address)).toBe(true);
    const word = k.patcher.read(tgt.image.pokeSite);
    expect(disassemble(word, { address: tgt.image.pokeSite })).toBe(
      `bl\t0x${tgt.image.plt.entry.toString(16)}`,
    );
    expect(mem.read64(tgt.image.plt.target)).toBe(img.address);
    expect(tr.pokes[0]).toMatchObject({ pltTarget: img.address, oldWord: NOP });
    expect(k.machine.call(tgt.image.address, [4n])).toBe(13n);
    expect(fe.read('ARG0')).toBe(4n);

    // A second program: a new image; long → long changes only the PLT target, not the instruction.
    const fx = tracer(k, 'fx', seq);
    tr.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
    const img2 = tr.image!;
    expect(img2.address).not.toBe(img.address);
    expect(tr.pokes[1]!.oldWord).toBe(tr.pokes[1]!.newWord);
    expect(mem.read64(tgt.image.plt.target)).toBe(img2.address);
    expect(k.machine.call(tgt.image.address, [5n])).toBe(16n);
    expect(fx.read('CTX1')).toBe(16n);

    tr.unlink(tr.links.fexit[0]!);
    tr.unlink(link);
    expect(k.patcher.read(tgt.image.pokeSite)).toBe(NOP);
    expect(mem.read64(tgt.image.plt.target)).toBe(reg.rt.dummyTramp);
    expect(k.machine.call(tgt.image.address, [6n])).toBe(19n);
    expect(fe.read('HITS')).toBe(2n);
    expect(k.machine.icache.reports).toEqual([]);
  });

  it('a CPU that reaches the PLT while it still points at dummy_tramp just runs the program', () => {
    const { k, tgt, reg } = far();
    const site = progEntrySite(tgt.image, reg.rt.dummyTramp);
    // The instruction already branches to the PLT but the target is the stub (a stale reader's view).
    k.patcher.patchText(site.ip, NOP, branchWord('call', site.ip, tgt.image.plt.entry));
    expect(k.machine.call(tgt.image.address, [2n])).toBe(7n);
    expect(tgt.runs()).toBe(1n);
  });

  it('validates the old word: a mismatch is EFAULT and nothing is written', () => {
    const { k, tgt, reg } = far();
    const near = targetProg(k, 'near_prog');
    const site = progEntrySite(near.image, reg.rt.dummyTramp);
    const tramp = near.image.address + 0x1000n;
    // Claims a BL is there, but the site holds a NOP.
    let err: unknown;
    try {
      bpfArchTextPoke(k, site, 'call', tramp, null);
    } catch (e) {
      err = e;
    }
    expect((err as KernelError).errno).toBe('EFAULT');
    expect(k.patcher.read(site.ip)).toBe(NOP);
    // A long jump away from a program's entry (no PLT) is EINVAL.
    expect(() =>
      bpfArchTextPoke(k, { ip: near.image.pokeSite, name: 'inside' }, 'jump', null, tgt.image.address),
    ).toThrow(/EINVAL: inside: .* out of BL reach/);
    expect(k.patcher.read(site.ip)).toBe(NOP);
    // Short call: NOP → BL → NOP.
    const r = bpfArchTextPoke(k, site, 'call', null, tramp);
    expect(disassemble(r.newWord, { address: site.ip })).toBe(`bl\t0x${tramp.toString(16)}`);
    expect(r.pltTarget).toBeUndefined();
    bpfArchTextPoke(k, site, 'call', tramp, null);
    expect(k.patcher.read(site.ip)).toBe(NOP);
  });
});

describe('calls out of BL reach from the trampoline', () => {
  it('under KASLR the image is far from kernel text: enter/exit are MOVN/MOVK/MOVK + blr x10, and run under BTI', () => {
    for (const seed of [1, 2, 3]) {
      const k = newKernel({ layout: { kind: 'kaslr', seed }, machine: { bti: true, pac: true } });
      const tgt = targetProg(k);
      const tr = trampolines(k).get(
        progTarget({
          kernel: k,
          image: tgt.image,
          model: { name: 'target_prog', argSizes: [8], returnSize: 8 },
          progId: 1,
          btfId: 1,
        }),
      );
      const seq = seqCounter(k);
      const fe = tracer(k, 'fe', seq);
      const fx = tracer(k, 'fx', seq);
      tr.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
      tr.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
      const img = tr.image!;
      const rt = trampolines(k).rt;
      expect(isLongJump(img.address, rt.enter)).toBe(true);
      const text = img.gen.words.map((w) => disassemble(w) ?? '?');
      expect(text.filter((t) => t === 'blr\tx10').length).toBe(2 * 2 + 2); // enter + exit per program, tramp enter + exit
      expect(text.some((t) => t.startsWith('bl\t'))).toBe(true); // the programs themselves are near
      expect(k.machine.call(tgt.image.address, [3n])).toBe(10n);
      expect([fe.read('ARG0'), fx.read('CTX1')]).toEqual([3n, 10n]);
    }
  });
});
