/**
 * Live ftrace on the emulated kernel: ops, filters and direct calls applied to real call sites of each
 * test-kernel build, checked three ways — callback and trampoline counts from calls run on the CPU, the
 * site words and literals against the state machine (`verify`, and explicit expectations for the textbook
 * states of facts §3/§5.3), and the A64-visible ops list and hashes. Also: the global function switch
 * (update_ftrace_function), module records disabled until the module is live, recursion protection in the
 * list function, dynamic ops freed only after a grace period (a late reader faults without it), and bad
 * input rejected with the kernel's errno and nothing changed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { LR, SP, X } from '../../src/a64/builder.js';
import {
  attachFtrace,
  countingCallback,
  countingDirectTramp,
  FTRACE_POISON,
  OPS_FL,
  type CallerDispatch,
  type FrameKind,
  type FtraceKernel,
} from '../../src/ftrace/index.js';
import { NOP } from '../../src/kernel/callsites.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { loadModule, markLive } from '../../src/kernel/module.js';
import {
  createTestKernel,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../src/kernel/testkernel.js';
import { KernelError } from '../../src/util/errors.js';
import { gasAssemble, haveGas, pfe42Module } from '../helpers/gas.js';

function load(v: TestKernelVariant, kind: 'kaslr' | 'nokaslr' = 'kaslr', seed = 3): TestKernel {
  return createTestKernel(readFileSync(testKernelFixture(v)), { layout: { kind, seed } });
}

const VARIANTS: [TestKernelVariant, FrameKind, CallerDispatch][] = [
  ['gcc-pfe42', 'args', 'callops'],
  ['clang-bti-pfe42', 'args', 'callops'],
  ['gcc-pfe42', 'regs', 'callops'],
  ['gcc-pfe42', 'args', 'global'],
  ['gcc-pfe2', 'args', 'global'],
  ['gcc-pfe2', 'regs', 'global'],
  ['clang-bti-pfe42', 'regs', 'global'],
];

describe.each(VARIANTS)('%s, frame %s, dispatch %s', (variant, frame, dispatch) => {
  it('counts callbacks and trampolines exactly while ops, filters and direct calls come and go', () => {
    const tk = load(variant);
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
    const call1 = (): bigint => k.machine.call(tk.addr('bpf_fentry_test1'), [5n]);
    const call2 = (): bigint => k.machine.call(tk.addr('bpf_fentry_test2'), [5n, 7n]);
    const call3 = (): bigint => k.machine.call(tk.addr('bpf_fentry_test3'), [1n, 2n, 3n]);
    const calls = (): void => {
      expect([call1(), call2(), call3()]).toEqual([6n, 12n, 6n]);
      expect(ft.verify()).toEqual([]);
    };
    calls();
    const a = countingCallback(k, 'cb_a');
    const b = countingCallback(k, 'cb_b');
    const t = countingDirectTramp(k, 'tr');
    const t2 = countingDirectTramp(k, 'tr2', { where: 'image' });
    const counts = (): bigint[] => [a.read(), b.read(), t.read(), t2.read()];
    const opsA = ft.newOps({ name: 'a_ops', func: a.func });
    ft.setFilter(opsA, 'bpf_fentry_test1', { reset: true });
    ft.register(opsA);
    calls();
    expect(counts()).toEqual([1n, 0n, 0n, 0n]);
    const opsB = ft.newOps({ name: 'b_ops', func: b.func, flags: OPS_FL.DYNAMIC });
    ft.setFilter(opsB, 'bpf_fentry_test[12]', { reset: true });
    ft.register(opsB);
    calls();
    expect(counts()).toEqual([2n, 2n, 0n, 0n]);
    ft.setFilter(opsA, 'bpf_fentry_test3', { reset: false }); // >> appends
    calls();
    expect(counts()).toEqual([4n, 4n, 0n, 0n]);
    ft.setFilter(opsB, 'bpf_fentry_test2', { reset: true, notrace: true });
    calls();
    expect(counts()).toEqual([6n, 5n, 0n, 0n]);
    const d = ft.newOps({ name: 'd_ops' });
    ft.setFilter(d, 'bpf_fentry_test3 bpf_fentry_test2', { reset: true });
    ft.registerDirect(d, t.func);
    calls();
    expect(counts()).toEqual([8n, 6n, 2n, 0n]);
    ft.modifyDirect(d, t2.func);
    calls();
    expect(counts()).toEqual([10n, 7n, 2n, 2n]);
    ft.unregister(opsB);
    ft.unregister(opsA);
    calls();
    expect(counts()).toEqual([10n, 7n, 2n, 4n]);
    ft.unregisterDirect(d, t2.func);
    calls();
    expect(counts()).toEqual([10n, 7n, 2n, 4n]);
    for (const rec of ft.records) expect(k.machine.memory.read32(rec.ip)).toBe(NOP);
    expect(ft.memOpsList()).toEqual([]);
    expect(k.machine.icache.reports).toEqual([]);
    expect(k.patcher.stats.validationFailures).toBe(0);
  });
});

describe('site states (facts §3, §5.3)', () => {
  it('CALL_OPS: unique ops in the literal, list ops when shared, nop ops when off; direct BL when in range', () => {
    const tk = load('gcc-pfe42', 'nokaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const s = tk.callSite('bpf_fentry_test1');
    const lit = (): bigint => k.machine.memory.read64(s.literal!);
    const word = (): number => k.machine.memory.read32(s.ip);
    const bl = (to: bigint): number => {
      const a = new Asm(s.ip);
      a.bl(to);
      return a.finish().words[0]!;
    };
    expect([lit(), word()]).toEqual([ft.nopOps.address, NOP]);
    const a = ft.newOps({ name: 'a', func: countingCallback(k, 'a').func });
    ft.setFilter(a, 'bpf_fentry_test1', { reset: true });
    ft.register(a);
    expect([lit(), word()]).toEqual([a.address, bl(ft.callerAddress)]);
    const t = countingDirectTramp(k, 't', { where: 'image' });
    const d = ft.newOps({ name: 'd' });
    ft.setFilter(d, 'bpf_fentry_test1', { reset: true });
    ft.registerDirect(d, t.func);
    expect([lit(), word()]).toEqual([ft.listOps.address, bl(ft.callerAddress)]);
    expect(ft.opsImage(d)!.directCall).toBe(t.func);
    expect(ft.memDirectFunctions()).toEqual(new Map([[s.ip, t.func]]));
    const hashAddr = k.machine.memory.read64(ft.directFunctionsPtr);
    ft.unregister(a);
    expect([lit(), word()]).toEqual([d.address, bl(t.func)]);
    ft.unregisterDirect(d, t.func);
    expect([lit(), word()]).toEqual([ft.nopOps.address, NOP]);
    // direct_functions republished (empty); the old copy freed after the grace period, poisoned.
    expect(ft.memDirectFunctions()).toEqual(new Map());
    expect(k.machine.memory.read64(hashAddr)).toBe(FTRACE_POISON);
    // A RECURSION ops needs the assist wrapper: never called through the literal.
    const r = ft.newOps({ name: 'r', func: countingCallback(k, 'r').func, flags: OPS_FL.RECURSION });
    ft.setFilter(r, 'bpf_fentry_test1', { reset: true });
    ft.register(r);
    expect([lit(), word()]).toEqual([ft.listOps.address, bl(ft.callerAddress)]);
    expect(ft.verify()).toEqual([]);
  });

  it('global dispatch: ftrace_call goes stub → the single op → the list function → stub', () => {
    const tk = load('gcc-pfe2', 'nokaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'regs', dispatch: 'global', sites: tk.callSites });
    const target = (): bigint => {
      const at = ft.text.ftraceCall!;
      const w = k.machine.memory.read32(at);
      return at + BigInt.asIntN(28, BigInt(w & 0x3ffffff) << 2n);
    };
    const op = (): bigint => k.machine.memory.read64(ft.functionTraceOp);
    expect(target()).toBe(ft.text.stub);
    const a = ft.newOps({ name: 'a', func: countingCallback(k, 'a').func });
    ft.register(a);
    expect([target(), op()]).toEqual([a.func, a.address]);
    const b = ft.newOps({ name: 'b', func: countingCallback(k, 'b').func });
    ft.register(b);
    expect([target(), op()]).toEqual([ft.text.listFunc, ft.listOps.address]);
    ft.unregister(a);
    expect([target(), op()]).toEqual([b.func, b.address]);
    ft.unregister(b);
    expect(target()).toBe(ft.text.stub);
    // A DYNAMIC ops alone still goes through the list function (ftrace_ops_get_list_func).
    const dyn = ft.newOps({ name: 'dyn', func: countingCallback(k, 'dyn').func, flags: OPS_FL.DYNAMIC });
    ft.register(dyn);
    expect(target()).toBe(ft.text.listFunc);
    expect(ft.verify()).toEqual([]);
    for (const n of ['ftrace_regs_caller', 'ftrace_stub', 'ftrace_ops_list_func', 'call_direct_funcs'])
      expect(k.kallsyms.lookupName(n)?.address).toBeDefined();
    expect(k.kallsyms.format(ft.text.ftraceCall!)).toMatch(/^ftrace_regs_caller\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
  });
});

/** An ops->func that counts, then calls `inner(1)` (a traced function): recursion for the list function. */
function recursingCallback(k: Kernel, inner: bigint): { func: bigint; read: () => bigint } {
  const counter = k.imageAlloc(8, 'data', 8).address;
  const at = k.imageAlloc(64, 'text', 16).address;
  const a = new Asm(at);
  a.bti('c');
  a.stp(X[29]!, LR, SP, -16, 'pre');
  a.mov(X[29]!, SP);
  a.ldrLit(X[9]!, a.literal(counter));
  a.mov(X[10]!, 1);
  a.stadd(X[10]!, X[9]!);
  a.mov(X[0]!, 1);
  a.bl(inner); // gcc builds have no BTI landing pads: a direct call
  a.ldp(X[29]!, LR, SP, 16, 'post');
  a.ret();
  k.writeText(at, a.finish().bytes);
  return { func: at, read: () => k.machine.memory.read64(counter) };
}

describe('step mode', () => {
  it('queues every write; back-to-back updates apply in order and end where the state machine says', () => {
    const tk = load('gcc-pfe42');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites, mode: 'step' });
    const c = countingCallback(k, 'c');
    const dyn = ft.newOps({ name: 'dyn', func: c.func, flags: OPS_FL.DYNAMIC });
    ft.setFilter(dyn, 'bpf_fentry_test[1-3]', { reset: true });
    ft.register(dyn);
    const s1 = tk.callSite('bpf_fentry_test1');
    // Nothing is written until a step runs.
    expect(k.machine.memory.read32(s1.ip)).toBe(NOP);
    const queued = ft.pending.map((p) => p.what);
    expect(queued[0]).toMatch(/write ops/);
    expect(queued).toContain('dyn: link into ftrace_ops_list');
    const lit = queued.findIndex((w) => w.startsWith('bpf_fentry_test1: literal'));
    const bl = queued.findIndex((w) => w.startsWith('bpf_fentry_test1: make_call'));
    expect(lit).toBeGreaterThan(0);
    expect(bl).toBe(lit + 1); // literal first, then the BL
    ft.unregister(dyn); // queued behind the registration
    ft.setFilter(dyn, 'bpf_fentry_test2', { reset: true });
    ft.register(dyn);
    while (ft.step());
    expect(ft.pending).toHaveLength(0);
    expect(ft.verify()).toEqual([]);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
    expect(k.machine.call(tk.addr('bpf_fentry_test2'), [1n, 2n])).toBe(3n);
    expect(c.read()).toBe(1n);
    expect(ft.reports).toEqual([]);
  });
});

describe('the list function', () => {
  it('does not recurse: a callback calling a traced function is not traced again', () => {
    const tk = load('gcc-pfe42');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const rc = recursingCallback(k, tk.addr('bpf_fentry_test1'));
    const c = countingCallback(k, 'plain');
    const r = ft.newOps({ name: 'r', func: rc.func, flags: OPS_FL.RECURSION });
    ft.setFilter(r, 'bpf_fentry_test1', { reset: true });
    ft.register(r);
    const p = ft.newOps({ name: 'p', func: c.func });
    ft.setFilter(p, 'bpf_fentry_test1', { reset: true });
    ft.register(p);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [5n])).toBe(6n);
    // Outer call: both ops once. The nested bpf_fentry_test1(1) inside r's callback enters the list
    // function again, finds the recursion bit set, and calls nobody.
    expect([rc.read(), c.read()]).toEqual([1n, 1n]);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [5n])).toBe(6n);
    expect([rc.read(), c.read()]).toEqual([2n, 2n]);
  });
});

describe('grace periods', () => {
  /** CPU 1 stops right after ftrace_caller loaded the literal (x11 = ops), as a preempted reader would. */
  function stopInCaller(k: Kernel, ft: FtraceKernel, fn: bigint): void {
    const cpu = k.machine.cpus[1]!;
    k.machine.prepareCall(cpu, fn, [5n]);
    const bp = ft.callerAddress + 12n; // after bti c; bic; ldr x11
    cpu.addBreakpoint(bp);
    cpu.run(10_000);
    expect(cpu.pc).toBe(bp);
    cpu.removeBreakpoint(bp);
    cpu.stopRequested = false; // mid-call, not idle
  }

  function finish(k: Kernel): void {
    const cpu = k.machine.cpus[1]!;
    for (let i = 0; i < 10 && !cpu.stopRequested && !cpu.halted; i++) cpu.run(100_000);
  }

  it('frees a dynamic ops only after every CPU passed a schedule point or went idle', () => {
    const tk = createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), {
      layout: { kind: 'kaslr', seed: 3 },
      machine: { cpus: 2 },
    });
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const c = countingCallback(k, 'c');
    const ops = ft.newOps({ name: 'dyn', func: c.func, flags: OPS_FL.DYNAMIC });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    const addr = ops.address;
    stopInCaller(k, ft, tk.addr('bpf_fentry_test1'));
    ft.unregister(ops);
    expect(k.rcu.waiting()).toEqual(['free dyn']);
    expect(k.machine.memory.read64(addr)).toBe(c.func); // still intact
    finish(k);
    expect(k.machine.cpus[1]!.fault).toBeUndefined();
    expect(k.machine.cpus[1]!.x(0)).toBe(6n);
    expect(c.read()).toBe(1n);
    k.rcu.poll();
    expect(k.rcu.waiting()).toEqual([]);
    expect(k.machine.memory.read64(addr)).toBe(FTRACE_POISON);
  });

  it('mutation control: freeing without the grace period makes the late reader fault', () => {
    const tk = createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), {
      layout: { kind: 'kaslr', seed: 3 },
      machine: { cpus: 2 },
    });
    const k = tk.kernel;
    const ft = attachFtrace(k, {
      frame: 'args',
      dispatch: 'callops',
      sites: tk.callSites,
      mutations: { noGracePeriod: true },
    });
    const c = countingCallback(k, 'c');
    const ops = ft.newOps({ name: 'dyn', func: c.func, flags: OPS_FL.DYNAMIC });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    stopInCaller(k, ft, tk.addr('bpf_fentry_test1'));
    ft.unregister(ops);
    finish(k);
    expect(k.machine.cpus[1]!.fault?.message).toMatch(/0xdead000000000100|translation/i);
  });
});

describe('bad input: the kernel errno, a message, nothing changed', () => {
  function setup(): { tk: TestKernel; ft: FtraceKernel; snap: () => unknown } {
    const tk = load('gcc-pfe42');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const snap = (): unknown => ({
      words: ft.records.map((r) => k.machine.memory.read32(r.ip)),
      lits: ft.records.map((r) => k.machine.memory.read64(r.site.literal!)),
      flags: ft.records.map((r) => r.flags),
      list: ft.memOpsList(),
      ops: ft.core.opsList.map((o) => [o.name, o.flags, o.filterHash.values(), o.directCall]),
      direct: [...ft.core.directFunctions],
      pending: ft.pending.length,
    });
    return { tk, ft, snap };
  }

  const cases: [string, string, (t: ReturnType<typeof setup>) => void][] = [
    [
      'unknown function in a filter',
      'EINVAL',
      ({ ft, tk }) =>
        ft.setFilter(ft.newOps({ name: 'x', func: tk.addr('bpf_fentry_test1') }), 'no_such_fn', {
          reset: true,
        }),
    ],
    [
      'a second direct trampoline on one function',
      'EBUSY',
      ({ ft, tk }) => {
        const d = ft.newOps({ name: 'd2' });
        ft.setFilter(d, 'bpf_fentry_test1', { reset: true });
        ft.registerDirect(d, countingDirectTramp(tk.kernel, 't2').func);
      },
    ],
    [
      'a direct ops with an empty filter',
      'EINVAL',
      ({ ft, tk }) => ft.registerDirect(ft.newOps({ name: 'd3' }), countingDirectTramp(tk.kernel, 't3').func),
    ],
    ['an ops without a callback', 'EINVAL', ({ ft }) => ft.register(ft.newOps({ name: 'nofunc' }))],
    [
      'SAVE_REGS without SAVE_REGS_IF_SUPPORTED',
      'EINVAL',
      ({ ft, tk }) =>
        ft.register(ft.newOps({ name: 'sr', func: tk.addr('bpf_fentry_test1'), flags: OPS_FL.SAVE_REGS })),
    ],
    ['registering an ops twice', 'EBUSY', ({ ft }) => ft.register(ft.core.opsList[0]!)],
    [
      'unregistering an ops that is not registered',
      'EBUSY',
      ({ ft }) => ft.unregister(ft.newOps({ name: 'never', func: 1n })),
    ],
    [
      'modifying a non-direct ops',
      'EINVAL',
      ({ ft, tk }) => ft.modifyDirect(ft.core.opsList[0]!, tk.addr('bpf_fentry_test1')),
    ],
  ];

  it.each(cases)('%s → %s', (_name, errno, act) => {
    const t = setup();
    const { ft, tk } = t;
    const c = countingCallback(tk.kernel, 'c');
    const a = ft.newOps({ name: 'a', func: c.func });
    ft.setFilter(a, 'bpf_fentry_test[12]', { reset: true });
    ft.register(a);
    const d = ft.newOps({ name: 'd' });
    ft.setFilter(d, 'bpf_fentry_test1', { reset: true });
    ft.registerDirect(d, countingDirectTramp(tk.kernel, 't').func);
    const before = t.snap();
    let err: unknown;
    try {
      act(t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).errno).toBe(errno);
    expect((err as KernelError).message.length).toBeGreaterThan(20);
    expect(t.snap()).toEqual(before);
    expect(ft.verify()).toEqual([]);
  });

  it('the regs family is WITH_REGS: SAVE_REGS is accepted and direct ops carry it (MULTI_FLAGS)', () => {
    const tk = load('gcc-pfe2');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'regs', dispatch: 'global', sites: tk.callSites });
    const c = countingCallback(k, 'c');
    const ops = ft.newOps({ name: 'sr', func: c.func, flags: OPS_FL.SAVE_REGS });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    expect(ft.core.record(tk.callSite('bpf_fentry_test1').ip)!.flagNames()).toContain('REGS');
    const d = ft.newOps({ name: 'd' });
    ft.setFilter(d, 'bpf_fentry_test2', { reset: true });
    ft.registerDirect(d, countingDirectTramp(k, 't').func);
    expect(d.has(OPS_FL.SAVE_REGS)).toBe(true);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
    expect(c.read()).toBe(1n);
  });

  it('CALL_OPS dispatch refuses =2 call sites', () => {
    const tk = load('gcc-pfe2');
    expect(() =>
      attachFtrace(tk.kernel, { frame: 'args', dispatch: 'callops', sites: tk.callSites }),
    ).toThrow(/EINVAL: .*'=2' call site; CALL_OPS dispatch needs '=4,2' sites/);
  });
});

describe.skipIf(!haveGas)('module records', () => {
  it('stay DISABLED (NOP) while the module is coming and are traced once it is live', () => {
    const obj = gasAssemble(pfe42Module('livemod'));
    const tk = load('gcc-pfe42', 'nokaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const c = countingCallback(k, 'c');
    const ops = ft.newOps({ name: 'all', func: c.func });
    ft.register(ops); // empty filter: every function
    const mod = loadModule(k, obj, { live: false });
    ft.addModule(mod);
    const rec = ft.records.find((r) => r.module === 'livemod')!;
    expect(rec.flagNames()).toEqual(['DISABLED']);
    expect(k.machine.memory.read32(rec.ip)).toBe(NOP);
    const fn = mod.symbol('mod_fn')!;
    expect(k.machine.call(fn, [1n])).toBe(2n);
    expect(c.read()).toBe(0n);
    markLive(k, mod);
    ft.enableModule('livemod');
    expect(rec.flagNames()).toContain('ENABLED');
    expect(k.machine.call(fn, [1n])).toBe(2n);
    expect(c.read()).toBe(1n);
    expect(ft.verify()).toEqual([]);
  });
});
