/**
 * The trampoline on BPF-program targets (the v6.0 shape), with hand-assembled programs of the JIT's shape:
 * what fentry / fexit / fmod_ret programs see, ordering and skipping, recursion protection, cookies, the
 * limits, BTI + PAC, and the v6.0 `blr` call of the original faulting under BTI.
 */
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { X } from '../../src/a64/builder.js';
import { disassemble } from '../../src/a64/index.js';
import { MachineFault } from '../../src/machine/index.js';
import { KernelError } from '../../src/util/errors.js';
import {
  BPF_MAX_TRAMP_LINKS,
  BPF_TRAMP_F,
  progMisses,
  progTarget,
  trampolineKey,
  trampolines,
  trampFrame,
  type TrampFuncModel,
  type TrampKind,
} from '../../src/trampoline/index.js';
import { newKernel, seqCounter, targetProg, tracer, type Tracer } from './helpers.js';

const MODEL: TrampFuncModel = { name: 'target_prog', argSizes: [8], returnSize: 8 };

function setup(opts: { bti?: boolean; pac?: boolean; errorInjectable?: boolean; cpus?: number } = {}) {
  const k = newKernel({
    machine: { bti: opts.bti ?? true, pac: opts.pac ?? true, cpus: opts.cpus ?? 1 },
  });
  const tgt = targetProg(k);
  const target = progTarget({
    kernel: k,
    image: tgt.image,
    model: MODEL,
    progId: 7,
    btfId: 42,
    errorInjectable: opts.errorInjectable ?? true,
  });
  const reg = trampolines(k);
  const tr = reg.get(target);
  const seq = seqCounter(k);
  const attach = (t: Tracer, kind: TrampKind, cookie = 0n) => {
    const link = { prog: t.prog, kind, cookie };
    tr.link(link);
    return link;
  };
  const call = (arg: bigint, cpu = 0) => k.machine.call(tgt.image.address, [arg], { cpu });
  return { k, tgt, target, reg, tr, seq, attach, call };
}

describe('trampoline frame', () => {
  it('lays out run ctx, ip, nargs, args, retval and x19/x20 bottom-up, 16-byte aligned', () => {
    const f = trampFrame(3, BPF_TRAMP_F.CALL_ORIG | BPF_TRAMP_F.IP_ARG);
    expect(f).toMatchObject({
      runCtxOff: 0,
      ipOff: 16,
      nargsOff: 24,
      bargsOff: 32,
      retvalOff: 56,
      regsOff: 64,
    });
    expect(f.stackSize).toBe(80);
    expect(f.retaddrOff).toBe(88);
    expect(f.nargsOff).toBe(f.bargsOff - 8);
    expect(f.ipOff).toBe(f.bargsOff - 16);
    expect(f.retvalOff).toBe(f.bargsOff + 8 * 3);
    const g = trampFrame(1, BPF_TRAMP_F.RESTORE_REGS);
    expect(g.ipOff).toBeUndefined();
    expect(g.retvalOff).toBeUndefined();
    expect(g.stackSize % 16).toBe(0);
  });
});

describe('fentry / fexit / fmod_ret on a BPF program (hand-assembled JIT shape)', () => {
  it('untraced target returns ctx*3+1', () => {
    const { call } = setup();
    expect(call(5n)).toBe(16n);
  });

  it('fentry sees the ctx argument, nargs at ctx-8, and the function still runs with its argument', () => {
    const s = setup();
    const fe = tracer(s.k, 'fe', s.seq);
    s.attach(fe, 'fentry', 0xc0ffeen);
    const img = s.tr.image!;
    expect(img.flags).toBe(BPF_TRAMP_F.RESTORE_REGS);
    // The poke site now holds `bl <trampoline>` (nokaslr: program and trampoline are close).
    const w = s.k.patcher.read(s.tgt.image.pokeSite);
    expect(disassemble(w, { address: s.tgt.image.pokeSite })).toBe(`bl\t0x${img.address.toString(16)}`);
    expect(s.call(5n)).toBe(16n);
    expect(s.tgt.runs()).toBe(1n);
    expect(fe.read('ARG0')).toBe(5n);
    expect(fe.read('NARGS')).toBe(1n);
    expect(fe.read('COOKIE')).toBe(0xc0ffeen);
    expect(fe.read('HITS')).toBe(1n);
  });

  it('fexit sees the argument and the return value; bpf_get_func_ip gives the target address', () => {
    const s = setup();
    const fx = tracer(s.k, 'fx', s.seq, { usesFuncIp: true });
    s.attach(fx, 'fexit');
    expect(s.tr.image!.flags).toBe(BPF_TRAMP_F.CALL_ORIG | BPF_TRAMP_F.SKIP_FRAME | BPF_TRAMP_F.IP_ARG);
    expect(s.call(9n)).toBe(28n);
    expect(fx.read('ARG0')).toBe(9n);
    expect(fx.read('CTX1')).toBe(28n);
    expect(fx.read('NARGS')).toBe(1n);
    expect(fx.read('IP')).toBe(s.tgt.image.address);
    expect(s.tgt.runs()).toBe(1n);
  });

  it('runs fentry → fmod_ret → original → fexit; the first fmod_ret sees 0; newest link of a kind first', () => {
    const s = setup();
    const fe = tracer(s.k, 'fe', s.seq);
    const fm1 = tracer(s.k, 'fm1', s.seq, { ret: 0n });
    const fm2 = tracer(s.k, 'fm2', s.seq, { ret: 0n });
    const fx = tracer(s.k, 'fx', s.seq);
    s.attach(fx, 'fexit');
    s.attach(fm1, 'fmod_ret');
    s.attach(fe, 'fentry');
    s.attach(fm2, 'fmod_ret');
    expect(s.call(2n)).toBe(7n);
    expect([fe, fm2, fm1, fx].map((t) => t.read('SEQ'))).toEqual([1n, 2n, 3n, 4n]);
    expect(fm2.read('CTX1')).toBe(0n);
    expect(fx.read('CTX1')).toBe(7n);
    expect(s.tgt.runs()).toBe(1n);
  });

  it('a non-zero fmod_ret skips the original and becomes the return value fexit and the caller see', () => {
    const s = setup();
    const fm = tracer(s.k, 'fm', s.seq, { ret: -22n });
    const fm2 = tracer(s.k, 'fm_later', s.seq, { ret: 5n });
    const fx = tracer(s.k, 'fx', s.seq);
    s.attach(fx, 'fexit');
    s.attach(fm2, 'fmod_ret'); // runs second
    s.attach(fm, 'fmod_ret'); // runs first, returns -EINVAL
    expect(s.call(2n)).toBe(BigInt.asUintN(64, -22n));
    expect(s.tgt.runs()).toBe(0n);
    expect(fm2.read('HITS')).toBe(0n); // the first non-zero skips the rest of the fmod_ret programs
    expect(fx.read('CTX1')).toBe(BigInt.asUintN(64, -22n));
  });

  it('fmod_ret on a target that is not error-injectable is EINVAL, with nothing changed', () => {
    const s = setup({ errorInjectable: false });
    const fm = tracer(s.k, 'fm', s.seq);
    const before = s.k.patcher.read(s.tgt.image.pokeSite);
    expect(() => s.attach(fm, 'fmod_ret')).toThrow(/EINVAL: fmod_ret on target_prog/);
    expect(s.k.patcher.read(s.tgt.image.pokeSite)).toBe(before);
    expect(s.tr.image).toBeUndefined();
  });

  it('38 links attach, the 39th is E2BIG; a duplicate is EBUSY; all still run', () => {
    const s = setup();
    const kinds: TrampKind[] = ['fentry', 'fmod_ret', 'fexit'];
    const ts: Tracer[] = [];
    for (let i = 0; i < BPF_MAX_TRAMP_LINKS; i++) {
      const t = tracer(s.k, `p${i}`, s.seq);
      s.attach(t, kinds[i % 3]!);
      ts.push(t);
    }
    expect(() => s.attach(ts[0]!, 'fentry')).toThrow(KernelError);
    const extra = tracer(s.k, 'p38', s.seq);
    let err: unknown;
    try {
      s.attach(extra, 'fmod_ret');
    } catch (e) {
      err = e;
    }
    expect((err as KernelError).errno).toBe('E2BIG');
    expect(s.tr.count).toBe(BPF_MAX_TRAMP_LINKS);
    // A duplicate below the limit is EBUSY.
    s.tr.unlink(s.tr.links.fentry[0]!);
    let dup: unknown;
    try {
      s.attach(ts[3]!, 'fexit');
    } catch (e) {
      dup = e;
    }
    expect((dup as KernelError).errno).toBe('EBUSY');
    expect(s.call(1n)).toBe(4n);
    const ran = ts.filter((t) => t.read('HITS') === 1n).length;
    expect(ran).toBe(BPF_MAX_TRAMP_LINKS - 1);
  });

  it('a recursive hit counts a miss and skips the program', () => {
    const s = setup();
    // The fentry program calls the traced program again, through a pointer in memory.
    const slot = s.k.imageAlloc(8, 'data', 8).address;
    s.k.machine.memory.write64(slot, s.tgt.image.address, 0);
    const fe = tracer(s.k, 'fe', s.seq, {
      extra: (a: Asm) => {
        a.movz(X[0]!, 1);
        a.movAddr48(X[10]!, slot);
        a.ldr(X[10]!, X[10]!, 0);
        a.blr(X[10]!);
      },
    });
    s.attach(fe, 'fentry');
    expect(s.call(3n)).toBe(10n);
    expect(fe.read('HITS')).toBe(1n);
    expect(s.tgt.runs()).toBe(2n);
    expect(progMisses(s.reg.rt, fe.prog.progStruct)).toBe(1n);
    // The per-CPU active counter is back to 0 after the calls.
    const active = s.k.machine.memory.read64(fe.prog.progStruct + 8n);
    expect(s.reg.rt.percpu32(active, 0)).toBe(0);
  });

  it('more than 8 arguments is ENOTSUPP', () => {
    const k = newKernel();
    const tgt = targetProg(k);
    const target = progTarget({
      kernel: k,
      image: tgt.image,
      model: { name: 'many', argSizes: new Array<number>(9).fill(8), returnSize: 8 },
      progId: 1,
      btfId: 1,
    });
    expect(() => trampolines(k).get(target)).toThrow(/ENOTSUPP: many has 9 arguments/);
  });
});

describe('BTI and PAC', () => {
  for (const pac of [true, false]) {
    it(`every path runs without a fault with BTI on and PAC ${pac ? 'on' : 'off'}`, () => {
      const s = setup({ bti: true, pac });
      const fe = tracer(s.k, 'fe', s.seq);
      s.attach(fe, 'fentry');
      expect(s.call(1n)).toBe(4n);
      const fm = tracer(s.k, 'fm', s.seq);
      s.attach(fm, 'fmod_ret');
      const fx = tracer(s.k, 'fx', s.seq);
      s.attach(fx, 'fexit');
      expect(s.call(2n)).toBe(7n);
      s.tr.unlink(s.tr.links.fmod_ret[0]!);
      s.tr.unlink(s.tr.links.fexit[0]!);
      expect(s.call(3n)).toBe(10n);
      expect(fe.read('HITS')).toBe(3n);
    });
  }

  it('the v6.0 `blr x10` call of the original faults under BTI (the instruction after the patch site is no landing pad)', () => {
    // PAC off: the instruction after the poke site is `stp x29, x30` (with PAC it is PACIASP, a landing pad
    // for BLR). Kernel functions such as bpf_fentry_test1 have `add w0, w0, #1` there.
    const k = newKernel({ machine: { bti: true, pac: false } });
    const tgt = targetProg(k);
    const target = progTarget({ kernel: k, image: tgt.image, model: MODEL, progId: 1, btfId: 2 });
    const trBlr = trampolines(k).get(target, { origCall: 'blr' });
    const fx = tracer(k, 'fx', seqCounter(k));
    trBlr.link({ prog: fx.prog, kind: 'fexit', cookie: 0n });
    let fault: unknown;
    try {
      k.machine.call(tgt.image.address, [1n]);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(MachineFault);
    expect(String((fault as Error).message)).toMatch(/BTI|branch target/i);
    expect(k.machine.cpus[0]!.pc).toBe(tgt.image.pokeSite + 4n);
  });
});

describe('trampoline keys', () => {
  it('follow bpf_trampoline_compute_key: the observed arm64 name bpf_trampoline_6442573892 is vmlinux BTF id 0x1e044 (0x1_8001_e044, not the fact sheet 0x19d44)', () => {
    expect(trampolineKey(0x1e044, { btfObjId: 1 })).toBe(6442573892n);
    expect(trampolineKey(5, { progId: 1 })).toBe(4294967301n);
  });
});
