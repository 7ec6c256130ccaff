/**
 * The JIT's kernel-facing contract: entry layout and poke site, the PLT and dummy_tramp (executed), BL vs
 * MOVN/MOVK/MOVK + BLR by distance, callee-saved pushes of only the registers used, the unwinding helper
 * from a subprogram, the kallsyms name and tag, freeing, and typed errors that leave nothing allocated.
 */
import { describe, expect, test } from 'vitest';
import { assemble } from '../../src/bpf/asm/assemble.js';
import { BpfInterpreter } from '../../src/bpf/interp/vm.js';
import { conformanceHelpers } from '../../src/bpf/helpers/conformance.js';
import {
  freeJitImage,
  jitProgram,
  JitError,
  runJit,
  runTracingProgramJit,
  sha1,
  jitListing,
  bpfFrameLayout,
  bindJitHelpers,
} from '../../src/bpf/jit/index.js';
import { createObjectMaps, ctxBytes, runTracingProgram, tracingHelpers } from '../../src/bpf/object/run.js';
import { loadBpfObject } from '../../src/bpf/object/load.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { disassemble } from '../../src/a64/index.js';
import { Asm } from '../../src/a64/asm.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const text = (w: number): string => (disassemble(w) ?? '<undefined>').replace(/\t/g, ' ');
const helpers = conformanceHelpers();

function interp(src: string): bigint {
  return new BpfInterpreter(assemble(src), { helpers }).run().r0;
}

describe('JIT image', () => {
  test('sha1 (the program tag) matches FIPS 180 test vectors', () => {
    const hex = (s: string): string =>
      [...sha1(new TextEncoder().encode(s))].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
  });

  test('without BTI and PAC the entry is `mov x9, x30 ; nop ; stp x29, x30` and the poke site is +4', () => {
    const kernel = new Kernel({ machine: { bti: false, pac: false } });
    const image = jitProgram(kernel, assemble('mov %r0, 3\nexit'), { name: 'plain', inlineHelpers: false });
    expect(image.words.slice(0, 3).map(text)).toEqual(['mov x9, x30', 'nop', 'stp x29, x30, [sp, #-16]!']);
    expect(image.pokeSite).toBe(image.address + 4n);
    expect(runJit(kernel, image, { args: [] }).r0).toBe(3n);
  });

  test('a poke site patched to `bl plt` runs through the PLT and dummy_tramp and returns the same result', () => {
    const kernel = new Kernel();
    const src = 'mov %r0, 5\nlsh %r0, 3\nexit';
    const image = jitProgram(kernel, assemble(src), { name: 'poked', inlineHelpers: false });
    expect(kernel.kallsyms.short(image.plt.entry)).toBe(
      `${image.name}+0x${(image.plt.entry - image.address).toString(16)}`,
    );
    const before = runJit(kernel, image, { args: [] });
    const bl = new Asm(image.pokeSite);
    bl.bl(image.plt.entry);
    kernel.patcher.patchText(image.pokeSite, 0xd503201f, bl.finish().words[0]!);
    const after = runJit(kernel, image, { args: [] });
    expect(after.r0).toBe(40n);
    expect(after.r0).toBe(before.r0);
    // bl plt ; ldr x10 ; br x10 ; bti j ; mov x10, x30 ; mov x30, x9 ; ret x10 — five more, minus the nop.
    expect(after.a64Insns - before.a64Insns).toBe(6);
    freeJitImage(kernel, image);
  });

  test('helpers: BL when in ±128 MiB (nokaslr), MOVN/MOVK/MOVK + BLR otherwise (kaslr), same results', () => {
    const file = join(import.meta.dirname, '../../fixtures/bpf/hashmap.bpf.o');
    const obj = loadBpfObject(new Uint8Array(readFileSync(file)));
    const p = obj.programs.find((x) => x.name === 'count_entry')!;
    const run = { args: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n] };
    const mi = createObjectMaps(obj);
    const want = runTracingProgram(p, mi, run);
    const forms: string[] = [];
    for (const layout of [{ kind: 'nokaslr' as const }, { kind: 'kaslr' as const, seed: 3 }]) {
      const kernel = new Kernel({ layout });
      const maps = createObjectMaps(obj);
      const got = runTracingProgramJit(kernel, p, maps, run);
      expect(got.r0).toBe(want.r0);
      const words = got.image.words.map(text);
      forms.push(words.some((w) => w === 'blr x10') ? 'blr' : 'bl');
      expect(maps.maps.map((m) => m.region().bytes)).toEqual(mi.maps.map((m) => m.region().bytes));
    }
    expect(forms).toEqual(['bl', 'blr']);
  });

  test('only the callee-saved registers a function uses are pushed, padded with xzr', () => {
    const kernel = new Kernel();
    const image = jitProgram(kernel, assemble('mov %r6, 2\nmov %r0, %r6\nexit'), { inlineHelpers: false });
    const words = image.words.map(text);
    expect(words).toContain('stp x19, xzr, [sp, #-16]!');
    expect(words).toContain('ldp x19, xzr, [sp], #16');
    expect(words.some((w) => /x2[0-2]|x25/.test(w))).toBe(false);
  });

  test('an unwinding helper inside a subprogram ends the whole program, as on the interpreter', () => {
    const src = `
      mov %r6, 7
      call local f
      mov %r0, %r6
      exit
    f:
      mov %r1, 0
      call 5
      mov %r0, 99
      exit`;
    const kernel = new Kernel();
    const image = jitProgram(kernel, assemble(src), { inlineHelpers: false });
    expect(image.functions.length).toBe(2);
    expect(runJit(kernel, image, { args: [], helpers: helpers.table }).r0).toBe(interp(src));
    expect(interp(src)).toBe(0n);
    // And when the helper does not unwind, the subprogram's r6 is the caller's again after the call.
    const src2 = src.replace('mov %r1, 0', 'mov %r1, 1');
    expect(
      runJit(kernel, jitProgram(kernel, assemble(src2), { inlineHelpers: false }), {
        args: [],
        helpers: helpers.table,
      }).r0,
    ).toBe(7n);
    expect(interp(src2)).toBe(7n);
  });

  test('kallsyms: bpf_prog_<16 hex tag>_<name, 15 chars> [bpf]; freeing removes it and the pages', () => {
    const kernel = new Kernel();
    const before = kernel.vmalloc.used().length;
    const image = jitProgram(kernel, assemble('mov %r0, 1\nexit'), {
      name: 'a_very_long_program_name',
      inlineHelpers: false,
    });
    expect(image.name).toMatch(/^bpf_prog_[0-9a-f]{16}_a_very_long_pro$/);
    expect(kernel.kallsyms.format(image.address + 4n)).toBe(
      `${image.name}+0x4/0x${image.size.toString(16)} [bpf]`,
    );
    // The same instructions give the same tag (it is a hash of the program).
    const again = jitProgram(kernel, assemble('mov %r0, 1\nexit'), { name: 'x', inlineHelpers: false });
    expect(again.tag).toBe(image.tag);
    freeJitImage(kernel, again);
    freeJitImage(kernel, image);
    expect(kernel.kallsyms.lookupName(image.name)).toBeUndefined();
    expect(kernel.machine.memory.isMapped(image.address)).toBe(false);
    expect(kernel.vmalloc.used().length).toBe(before);
  });

  test('bad programs are typed errors and leave nothing allocated', () => {
    const kernel = new Kernel();
    const before = kernel.vmalloc.used().length;
    expect(() => jitProgram(kernel, [])).toThrow(new JitError('EINVAL', 'empty program: nothing to JIT'));
    expect(() => jitProgram(kernel, assemble('ldabsw 12\nexit'))).toThrow(
      /ENOTSUPP: insn 0: legacy packet access/,
    );
    expect(() => jitProgram(kernel, assemble('ja +5\nexit'))).toThrow(
      /EINVAL: insn 0: jump to insn 6 is outside the program/,
    );
    expect(() =>
      jitProgram(
        kernel,
        assemble('lddw %r1, 0x1\nexit').map((i, k) => (k === 0 ? { ...i, src: 1 } : i)),
      ),
    ).toThrow(/needs a resolver for pseudo source 1/);
    expect(kernel.vmalloc.used().length).toBe(before);
  });

  test('probe loads: a faulting load in the exception table reads 0 and the program goes on', () => {
    const kernel = new Kernel();
    const src = 'ldxdw %r0, [%r1+8]\nadd %r0, 5\nexit';
    const bad = 0xffff_7000_dead_0000n; // unmapped
    const image = jitProgram(kernel, assemble(src), { inlineHelpers: false, probeMem: [0] });
    expect(image.extable.entries).toHaveLength(1);
    const e = image.extable.entries[0]!;
    expect(text(kernel.machine.memory.read32(e.insn))).toBe('ldr x7, [x0, #8]');
    expect(e.fixup).toBe(e.insn + 4n);
    expect(e.reg).toBe(7);
    expect(jitListing(kernel, image)).toContain(`load +0x${(e.insn - image.address).toString(16)}`);
    expect(runJit(kernel, image, { args: [bad] }).r0).toBe(5n);
    // A mapped address reads normally through the same code.
    const ok = { name: 'buf', base: 0x1_0000_0000n, bytes: new Uint8Array(16).fill(1), writable: true };
    expect(runJit(kernel, image, { args: [ok.base], regions: [ok] }).r0).toBe(0x0101_0101_0101_0101n + 5n);
    // Without the entry the same fault is the CPU's typed fault.
    const plain = jitProgram(kernel, assemble(src), { inlineHelpers: false });
    expect(() => runJit(kernel, plain, { args: [bad] })).toThrow(
      /TranslationFault .*read of unmapped address 0xffff7000dead0008/,
    );
  });

  test('bindJitHelpers: an attached program called straight from A64 gets its maps and helpers until unbound', () => {
    const file = join(import.meta.dirname, '../../fixtures/bpf/hashmap.bpf.o');
    const obj = loadBpfObject(new Uint8Array(readFileSync(file)));
    const p = obj.programs.find((x) => x.name === 'count_entry')!;
    const run = { args: [5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n] };
    // Reference: the interpreter, twice on one map set.
    const mi = createObjectMaps(obj);
    runTracingProgram(p, mi, run);
    runTracingProgram(p, mi, run);
    const kernel = new Kernel();
    const mj = createObjectMaps(obj);
    const image = jitProgram(kernel, p.insns, {
      name: p.name,
      attachType: p.attachType,
      resolveLdImm64: mj.resolveLdImm64,
    });
    const helpersTable = new Map([...mj.helpers(), ...tracingHelpers(p, run, [])]);
    const ctx = { name: 'ctx', base: 0xffff_0000_3000_0000n, bytes: ctxBytes(run), writable: false };
    const bound = bindJitHelpers(kernel, image, helpersTable, [...mj.regions(), ctx]);
    kernel.machine.call(image.address, [ctx.base + 16n]);
    kernel.machine.call(image.address, [ctx.base + 16n]);
    bound.sync();
    // counts and calls agree; last_ns holds timestamps of a clock the two runs do not share.
    for (const name of ['counts', 'calls', '.data'])
      expect(mj.byName(name)!.region().bytes, name).toEqual(mi.byName(name)!.region().bytes);
    expect(
      mj
        .byName('last_ns')!
        .region()
        .bytes.some((b) => b !== 0),
    ).toBe(true);
    bound.unbind();
    expect(kernel.machine.memory.isMapped(ctx.base)).toBe(false);
    expect(() => kernel.machine.call(image.address, [ctx.base + 16n])).toThrow();
    const rebound = bindJitHelpers(kernel, image, helpersTable, [ctx]);
    expect(() => bindJitHelpers(kernel, image, helpersTable)).toThrow(/EBUSY: helpers are already bound/);
    rebound.unbind();
    freeJitImage(kernel, image);
  });

  test('bpfFrameLayout names where the frame lives: values the program stored are found there after it ran', () => {
    const kernel = new Kernel();
    const src = 'mov %r6, 0x66\nmov %r1, 0x1234\nstxdw [%r10-8], %r1\nstxdw [%r10-16], %r6\nmov %r0, 0\nexit';
    const image = jitProgram(kernel, assemble(src), { inlineHelpers: false });
    const f = image.functions[0]!;
    const l = bpfFrameLayout(f);
    expect(l.stackSize).toBe(16);
    expect(l.calleeSaved.map((c) => c.reg)).toEqual([19, 25]);
    expect(l.sp).toBe(-f.frameBytes);
    kernel.machine.cpus[0]!.setX(19, 0x1919n);
    runJit(kernel, image, { args: [] });
    const top = kernel.machine.defaultStack(0); // the SP runJit calls with
    const at = (off: number): bigint => kernel.machine.memory.read64(top + BigInt(off));
    expect(at(l.bpfFp - 8)).toBe(0x1234n);
    expect(at(l.bpfFp - 16)).toBe(0x66n);
    expect(at(l.calleeSaved[0]!.offset)).toBe(0x1919n); // the caller's x19, saved by the prologue
    // The lr slot holds the return address signed by paciasp: same low 48 bits, a PAC in the top bits.
    const ret = kernel.machine.cpus[0]!.x(30);
    const mask = (1n << 48n) - 1n;
    expect(at(l.fpLr + 8) & mask).toBe(ret & mask);
    expect(at(l.fpLr + 8)).not.toBe(ret);
  });
});
