/**
 * The strategy kernel factory (src/trampoline/strategies/kernel.ts) and the direct-call attachment shared by
 * patchsite, tailcall and callops (target.ts), per strategy × frame on the nokaslr layout (where every
 * strategy attaches):
 *
 * - the fixture choice (`testKernelVariantFor`) and the configuration each strategy gets (caller family
 *   member, dispatch, function models from the BTF);
 * - the real `fexit_test.bpf.o` (the kernel selftest's shape: arguments and return values checked inside the
 *   programs) attached to bpf_fentry_test1..8 through the strategy, every site word and the in-memory ftrace
 *   state equal to the state machine, the path `describe()` reports equal to the site word in memory, and a
 *   detach that leaves every site a NOP and no ops behind;
 * - the trampoline's direct ops follows each new image (modify_ftrace_direct) and goes away with the last
 *   link; bad input is refused with the kernel's errno and nothing changes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { loadBpfObject } from '../../src/bpf/object/index.js';
import { NOP } from '../../src/kernel/callsites.js';
import { BL_REACH, VMALLOC_START } from '../../src/kernel/layout.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { loadIntoKernel, type LoadedObject } from '../../src/trampoline/bpf.js';
import { allocBpfProg, trampRuntime } from '../../src/trampoline/runtime.js';
import {
  createTracingKernel,
  STRATEGIES,
  strategyByName,
  testKernelVariantFor,
  TrampolineAttachment,
  type Strategy,
  type TracingKernel,
} from '../../src/trampoline/strategies/index.js';
import { KernelError } from '../../src/util/errors.js';

const DIRECT = STRATEGIES.filter((s) => ['patchsite', 'tailcall', 'callops'].includes(s.name));
const fixture = (s: Strategy, bti = true): Uint8Array =>
  new Uint8Array(readFileSync(testKernelFixture(testKernelVariantFor(s, { bti }))));
const bpfObject = (name: string): ReturnType<typeof loadBpfObject> =>
  loadBpfObject(new Uint8Array(readFileSync(`fixtures/bpf/${name}.bpf.o`)));

/** The test run's calls (net/bpf/test_run.c) and the selftests' expected return values. */
function testCalls(t: TracingKernel): [string, bigint[], bigint][] {
  const s = t.kernel.imageAlloc(16, 'data', 16).address; // struct bpf_fentry_test_t { a = NULL }
  return [
    ['bpf_fentry_test1', [1n], 2n],
    ['bpf_fentry_test2', [2n, 3n], 5n],
    ['bpf_fentry_test3', [4n, 5n, 6n], 15n],
    ['bpf_fentry_test4', [7n, 8n, 9n, 10n], 34n],
    ['bpf_fentry_test5', [11n, 12n, 13n, 14n, 15n], 65n],
    ['bpf_fentry_test6', [16n, 17n, 18n, 19n, 20n, 21n], 111n],
    ['bpf_fentry_test7', [0n], 0n],
    ['bpf_fentry_test8', [s], 0n],
  ];
}

function linkAll(t: TracingKernel, lo: LoadedObject): void {
  for (const p of lo.programs)
    t.strategy.attachment(t, p.prog.target).link({ prog: p.tramp, kind: p.prog.attachType, cookie: 0n });
}

describe('testKernelVariantFor', () => {
  it('=2 strategies run on gcc-pfe2; callops on gcc-pfe42, or the clang BTI build when BTI is on', () => {
    const got = DIRECT.map((s) => [
      s.name,
      testKernelVariantFor(s, { bti: true }),
      testKernelVariantFor(s.name, { bti: false }),
    ]);
    expect(got).toEqual([
      ['patchsite', 'gcc-pfe2', 'gcc-pfe2'],
      ['tailcall', 'gcc-pfe2', 'gcc-pfe2'],
      ['callops', 'clang-bti-pfe42', 'gcc-pfe42'],
    ]);
  });
});

describe.each(DIRECT.flatMap((s) => (['regs', 'args'] as const).map((f) => [s.name, f, s] as const)))(
  '%s, frame %s',
  (_name, frame, strategy) => {
    it('the kernel is configured as the strategy says, and fexit_test sees every argument and return value', () => {
      const t = createTracingKernel(fixture(strategy), {
        strategy,
        frame,
        layout: { kind: 'nokaslr', seed: 2 },
      });
      const k = t.kernel;
      const ft = t.ftrace;
      expect([t.frame, ft.frame, ft.dispatch]).toEqual([frame, frame, strategy.dispatch]);
      expect(k.kallsyms.short(ft.callerAddress)).toBe(
        frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller',
      );
      expect(t.tk.callSites.every((c) => c.layout === strategy.siteLayout)).toBe(true);
      const m6 = t.tk.functionModels.get('bpf_fentry_test6')!;
      expect([m6.args.map((a) => a.size), m6.returnSize]).toEqual([[8, 8, 2, 4, 8, 8], 4]);
      expect(ft.verify()).toEqual([]);

      const lo = loadIntoKernel(k, bpfObject('fexit_test'));
      linkAll(t, lo);
      for (const [f, args, want] of testCalls(t))
        expect([f, k.machine.call(t.tk.addr(f), args)]).toEqual([f, want]);
      for (let i = 1; i <= 8; i++)
        expect([i, k.machine.memory.read64(lo.global(`test${i}_result`))]).toEqual([i, 1n]);
      expect(ft.verify()).toEqual([]);

      // The path read back from memory: the first line names the BL the site holds.
      for (const p of lo.programs) {
        const site = t.tk.callSite(p.prog.target);
        const a = t.strategy.attachment(t, p.prog.target) as TrampolineAttachment;
        const word = disassemble(k.machine.memory.read32(site.ip), { address: site.ip }) ?? '?';
        expect(word).toMatch(/^bl\t0x[0-9a-f]+$/);
        const target = BigInt(word.split('\t')[1]!);
        expect(a.describe()[0]).toContain(`bl ${k.kallsyms.short(target)!} (0x${target.toString(16)})`);
        const direct = strategy.name !== 'tailcall';
        // nokaslr: the trampoline is in BL range, so every strategy but tailcall calls it from the site.
        expect([p.prog.target, target === a.tr.image!.address]).toEqual([p.prog.target, direct]);
        expect(a.inBlRange).toBe(true);
      }

      for (const p of lo.programs) {
        const a = t.strategy.attachment(t, p.prog.target);
        a.unlink(a.links[0]!);
        expect(a.links).toEqual([]);
      }
      k.rcu.poll();
      for (const rec of ft.records) expect(k.machine.memory.read32(rec.ip)).toBe(NOP);
      expect(ft.memOpsList()).toEqual([]);
      expect(ft.verify()).toEqual([]);
      expect(k.machine.icache.reports).toEqual([]);
      expect(t.trampolines.all().every((tr) => tr.image === undefined)).toBe(true);
    });
  },
);

describe('the trampoline direct ops (tr->fops)', () => {
  it.each(DIRECT.map((s) => [s.name, s] as const))(
    '%s: registered on the first link, modified on each new image, unregistered on the last',
    (_n, strategy) => {
      const t = createTracingKernel(fixture(strategy), { strategy, layout: { kind: 'nokaslr', seed: 3 } });
      const k = t.kernel;
      const obj = bpfObject('fentry_test');
      const lo = loadIntoKernel(k, obj);
      const p1 = lo.programs.find((p) => p.prog.target === 'bpf_fentry_test1')!;
      const a = t.strategy.attachment(t, 'bpf_fentry_test1') as TrampolineAttachment;
      expect(t.strategy.attachment(t, 'bpf_fentry_test1')).toBe(a);
      const fops = (): ReturnType<typeof a.target.fops> => a.target.fops();
      expect(fops()).toBeUndefined();
      a.link({ prog: p1.tramp, kind: 'fentry', cookie: 0n });
      const ops = fops()!;
      const img1 = a.tr.image!.address;
      expect([
        ops.enabled,
        ops.directCall,
        ft(t).core.directFunctions.get(t.tk.callSite('bpf_fentry_test1').ip),
      ]).toEqual([true, img1, img1]);
      expect(ft(t).opsImage(ops)!.directCall).toBe(img1);
      // A second program (same JITed code, its own struct bpf_prog) → a new image; the ops follows it.
      const again = { ...p1.tramp, progStruct: allocBpfProg(trampRuntime(k), p1.image.address) };
      a.link({ prog: again, kind: 'fentry', cookie: 0n });
      const img2 = a.tr.image!.address;
      expect(img2).not.toBe(img1);
      expect([fops(), ops.directCall, ft(t).opsImage(ops)!.directCall]).toEqual([ops, img2, img2]);
      expect(a.tr.pokes.map((p) => p.ip)).toEqual(
        strategy.name === 'tailcall'
          ? [t.tk.callSite('bpf_fentry_test1').ip]
          : [t.tk.callSite('bpf_fentry_test1').ip, t.tk.callSite('bpf_fentry_test1').ip],
      );
      k.machine.call(t.tk.addr('bpf_fentry_test1'), [1n]);
      expect(k.machine.memory.read64(lo.global('test1_result'))).toBe(1n);
      a.unlink(a.links[0]!);
      a.unlink(a.links[0]!);
      expect([ops.enabled, ops.directCall, ft(t).core.directFunctions.size]).toEqual([false, 0n, 0]);
      expect(ft(t).memOpsList()).toEqual([]);
    },
  );
});

const ft = (t: TracingKernel): TracingKernel['ftrace'] => t.ftrace;

describe('bad input: the errno, and nothing changed', () => {
  const snapshot = (t: TracingKernel): unknown => [
    t.ftrace.records.map((r) => [r.flags, t.kernel.machine.memory.read32(r.ip)]),
    t.ftrace.memOpsList(),
    t.trampolines.all().map((tr) => tr.image?.address),
  ];

  it('a fixture with the wrong call-site layout, an unknown strategy or frame', () => {
    const callops = strategyByName('callops');
    expect(() => createTracingKernel(fixture(strategyByName('patchsite')), { strategy: callops })).toThrow(
      new KernelError(
        'EINVAL',
        `strategy callops needs '=4,2' call sites, but bpf_fentry_test1 has a '=2' one; pass the bytes of clang-bti-pfe42`,
      ),
    );
    expect(() => strategyByName('nope')).toThrow(/unknown strategy 'nope'; choose one of .*callops/);
    expect(() => createTracingKernel(fixture(callops), { strategy: callops, frame: 'pt' as 'regs' })).toThrow(
      /unknown frame 'pt'/,
    );
  });

  it.each(DIRECT.map((s) => [s.name, s] as const))(
    '%s: fmod_ret on a function that is not error-injectable (EINVAL), a duplicate link (EBUSY), an unknown function (ENOENT)',
    (_n, strategy) => {
      const t = createTracingKernel(fixture(strategy), { strategy, layout: { kind: 'nokaslr', seed: 4 } });
      const lo = loadIntoKernel(t.kernel, bpfObject('fentry_test'));
      const p1 = lo.programs.find((p) => p.prog.target === 'bpf_fentry_test1')!;
      const a = t.strategy.attachment(t, 'bpf_fentry_test1');
      const before = snapshot(t);
      expect(() => a.link({ prog: p1.tramp, kind: 'fmod_ret', cookie: 0n })).toThrow(/not error-injectable/);
      expect(snapshot(t)).toEqual(before);
      a.link({ prog: p1.tramp, kind: 'fentry', cookie: 0n });
      const linked = snapshot(t);
      expect(() => a.link({ prog: p1.tramp, kind: 'fexit', cookie: 0n })).toThrow(/already attached/);
      expect(snapshot(t)).toEqual(linked);
      expect(() => t.strategy.attachment(t, 'no_such_function')).toThrow(
        /no_such_function has no ftrace call site/,
      );
      expect(() => a.unlink({ prog: p1.tramp, kind: 'fexit', cookie: 0n })).toThrow(/is not attached/);
      expect(snapshot(t)).toEqual(linked);
    },
  );
});

describe('patchsite: a new image out of BL range is refused too (modify_ftrace_direct)', () => {
  it('the second link gets ENOTSUPP; the first image, its links and the site stay as they were', () => {
    const patchsite = strategyByName('patchsite');
    const t = createTracingKernel(fixture(patchsite), {
      strategy: patchsite,
      layout: { kind: 'nokaslr', seed: 5 },
    });
    const k = t.kernel;
    const lo = loadIntoKernel(k, bpfObject('fexit_test'));
    const p1 = lo.programs.find((p) => p.prog.target === 'bpf_fentry_test1')!;
    const a = patchsite.attachment(t, 'bpf_fentry_test1') as TrampolineAttachment;
    a.link({ prog: p1.tramp, kind: 'fexit', cookie: 0n });
    const first = a.tr.image!.address;
    const site = t.tk.callSite('bpf_fentry_test1');
    // Take every free vmalloc hole below site + 128 MiB, so the next image lands out of BL range.
    const limit = site.ip + BL_REACH;
    let cur = VMALLOC_START;
    for (const u of [...k.vmalloc.used()].sort((x, y) => (x.base < y.base ? -1 : 1))) {
      if (u.base > cur && cur < limit)
        k.vmalloc.reserve(cur, (u.base < limit ? u.base : limit) - cur, 'filler');
      if (u.base + u.size > cur) cur = u.base + u.size;
    }
    if (cur < limit) k.vmalloc.reserve(cur, limit - cur, 'filler');
    const state = (): unknown => [
      k.machine.memory.read32(site.ip),
      t.ftrace.core.record(site.ip)!.flags,
      a.target.fops()!.directCall,
      a.tr.image?.address,
      a.links,
      t.ftrace.memOpsList(),
    ];
    const before = state();
    const again = { ...p1.tramp, progStruct: allocBpfProg(trampRuntime(k), p1.image.address) };
    let err: unknown;
    try {
      a.link({ prog: again, kind: 'fentry', cookie: 0n });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).errno).toBe('ENOTSUPP');
    expect((err as KernelError).message).toMatch(/out of BL range .* no fallback through ftrace_caller/);
    expect(state()).toEqual(before);
    expect(a.tr.image!.address).toBe(first);
    expect(k.machine.call(t.tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
    expect(k.machine.memory.read64(lo.global('test1_result'))).toBe(1n);
    expect(t.ftrace.verify()).toEqual([]);
  });
});
