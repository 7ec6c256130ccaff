/**
 * The ftrace_caller family on the CPU: what each member saves (ftrace_regs / pt_regs contents and the two
 * frame records the unwinder needs, checked against the register values set before the call), the
 * callback arguments, the instructions executed on the CALL_OPS paths (facts §2.3: out of range costs exactly
 * `bti c; bic; ldr; ldr; cbnz; br x17` more than a direct BL, and a module's ftrace PLT adds `adrp; add;
 * br x16`), the late direct tail call with the §2.4 register convention, and a callback that rewrites the
 * frame's pc (ftrace_override_function_with_return) taking effect, and the list function's hash probe
 * (binary search in A64) against a JS Set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { X } from '../../src/a64/builder.js';
import { disassemble } from '../../src/a64/index.js';
import {
  attachFtrace,
  callerFrameSize,
  countingCallback,
  countingDirectTramp,
  FRAME_LAYOUTS,
  FREGS,
  PT_REGS,
  Slab,
  writeMemHash,
  type FrameKind,
  type CallerDispatch,
  type FtraceKernel,
} from '../../src/ftrace/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import { loadModule } from '../../src/kernel/module.js';
import {
  createTestKernel,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../src/kernel/testkernel.js';
import { RETURN_TRAMPOLINE } from '../../src/machine/machine.js';
import { Rng } from '../../src/util/rng.js';
import { gasAssemble, haveGas, pfe42Module } from '../helpers/gas.js';

function load(v: TestKernelVariant, kind: 'kaslr' | 'nokaslr', seed = 3): TestKernel {
  return createTestKernel(readFileSync(testKernelFixture(v)), { layout: { kind, seed } });
}

/** A callback that copies x0, x1, x2, x29 and the whole caller frame (x3 … x3 + size) into a buffer. */
function captureCallback(k: Kernel, size: number): { func: bigint; read: () => bigint[] } {
  const buf = k.imageAlloc(32 + size, 'data', 16).address;
  const at = k.imageAlloc(128, 'text', 16).address;
  const a = new Asm(at);
  const loop = a.label();
  a.bti('c');
  a.ldrLit(X[9]!, a.literal(buf));
  a.stp(X[0]!, X[1]!, X[9]!, 0);
  a.stp(X[2]!, X[29]!, X[9]!, 16);
  a.add(X[12]!, X[9]!, 32);
  a.mov(X[10]!, 0);
  a.bind(loop);
  a.ldr(X[11]!, X[3]!, X[10]!);
  a.str(X[11]!, X[12]!, X[10]!);
  a.add(X[10]!, X[10]!, 8);
  a.cmp(X[10]!, size);
  a.bCond('lo', loop);
  a.ret();
  k.writeText(at, a.finish().bytes);
  return {
    func: at,
    read: () => Array.from({ length: 4 + size / 8 }, (_, i) => k.machine.memory.read64(buf + BigInt(8 * i))),
  };
}

/** A callback that sets frame.pc = frame.lr: the traced function is skipped, x0 comes back unchanged. */
function skipCallback(k: Kernel, frame: FrameKind): bigint {
  const at = k.imageAlloc(32, 'text', 16).address;
  const a = new Asm(at);
  const L = FRAME_LAYOUTS[frame];
  a.bti('c');
  a.ldr(X[9]!, X[3]!, L.lr);
  a.str(X[9]!, X[3]!, L.pc);
  a.ret();
  k.writeText(at, a.finish().bytes);
  return at;
}

/** Call `addr` on CPU 0 with every register in `regs` set first; returns x0, SP at the call, and the pcs run. */
function callWith(
  k: Kernel,
  addr: bigint,
  regs: ReadonlyMap<number, bigint>,
  trace = false,
): { x0: bigint; sp: bigint; pcs: bigint[]; insns: number } {
  const cpu = k.machine.cpus[0]!;
  k.machine.prepareCall(cpu, addr, []);
  for (const [n, v] of regs) cpu.setX(n, v);
  const sp = cpu.sp;
  const pcs: bigint[] = [];
  if (trace) cpu.traceHook = (_c, pc) => pcs.push(pc);
  const before = cpu.insns;
  cpu.stopRequested = false;
  try {
    for (let i = 0; i < 100 && !cpu.stopRequested; i++) {
      cpu.run(100_000);
      if (cpu.fault) throw cpu.fault;
      if (cpu.stopRequested) break;
    }
  } finally {
    cpu.traceHook = undefined;
    cpu.fault = undefined;
    cpu.halted = false;
  }
  return { x0: cpu.x(0), sp, pcs, insns: cpu.insns - before };
}

const callRegs = (): Map<number, bigint> => {
  const m = new Map<number, bigint>();
  for (let n = 0; n <= 28; n++) m.set(n, 0x1000n * BigInt(n + 1) + 7n);
  m.set(0, 5n);
  m.set(29, 0xffff_0000_1234_5670n);
  return m;
};

const FAMILY: [FrameKind, CallerDispatch, TestKernelVariant][] = [
  ['args', 'callops', 'gcc-pfe42'],
  ['args', 'callops', 'clang-bti-pfe42'],
  ['args', 'global', 'gcc-pfe2'],
  ['regs', 'global', 'gcc-pfe2'],
  ['regs', 'callops', 'clang-bti-pfe42'],
  ['regs', 'global', 'gcc-pfe42'],
];

describe.each(FAMILY)('ftrace_caller frame %s, dispatch %s (%s)', (frame, dispatch, variant) => {
  it('saves the frame and two frame records and passes (ip, parent_ip, op, frame)', () => {
    const tk = load(variant, 'nokaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
    const size = callerFrameSize(frame);
    const cap = captureCallback(k, size);
    const ops = ft.newOps({ name: 'cap_ops', func: cap.func });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    const regs = callRegs();
    const r = callWith(k, tk.addr('bpf_fentry_test1'), regs);
    expect(r.x0).toBe(6n); // the function still ran, with its argument intact
    const ip = tk.callSite('bpf_fentry_test1').ip;
    const [x0, x1, x2, x29, ...f] = cap.read();
    const q = (off: number): bigint => f[off / 8]!;
    expect(x0).toBe(ip);
    expect(x1).toBe(RETURN_TRAMPOLINE);
    expect(x2).toBe(ops.address); // a single static ops: itself (the literal, or function_trace_op)
    const L = FRAME_LAYOUTS[frame];
    const frameBase = r.sp - BigInt(size);
    for (let n = 0; n <= 8; n++) expect(q(L.x0 + 8 * n)).toBe(regs.get(n));
    expect(q(L.fp)).toBe(regs.get(29));
    expect(q(L.lr)).toBe(RETURN_TRAMPOLINE);
    expect(q(L.sp)).toBe(r.sp);
    expect(q(L.pc)).toBe(ip + 4n);
    expect(q(L.direct)).toBe(0n);
    if (frame === 'args') {
      expect(size).toBe(FREGS.SIZE + 32);
      // ftrace_caller's record {callsite record, ip + 4}, then the callsite's {x29, x9} above it.
      expect(x29).toBe(frameBase + BigInt(FREGS.SIZE));
      expect([q(FREGS.SIZE), q(FREGS.SIZE + 8)]).toEqual([frameBase + BigInt(FREGS.SIZE + 16), ip + 4n]);
      expect([q(FREGS.SIZE + 16), q(FREGS.SIZE + 24)]).toEqual([regs.get(29), RETURN_TRAMPOLINE]);
    } else {
      expect(size).toBe(PT_REGS.SIZE + 16);
      for (let n = 10; n <= 28; n++) {
        // CALL_OPS loads the literal into x11 and ops->direct_call into x17 before saving.
        const want =
          dispatch === 'callops' && n === 11
            ? ops.address
            : dispatch === 'callops' && n === 17
              ? 0n
              : regs.get(n);
        expect(q(8 * n), `regs[${n}]`).toBe(want);
      }
      expect(q(8 * 9)).toBe(RETURN_TRAMPOLINE);
      expect(x29).toBe(frameBase + BigInt(PT_REGS.STACKFRAME));
      expect([q(PT_REGS.STACKFRAME), q(PT_REGS.STACKFRAME + 8)]).toEqual([
        frameBase + BigInt(PT_REGS.SIZE),
        ip + 4n,
      ]);
      expect([q(PT_REGS.SIZE), q(PT_REGS.SIZE + 8)]).toEqual([regs.get(29), RETURN_TRAMPOLINE]);
    }
    // Callee-saved registers and x29 come back as they were.
    const cpu = k.machine.cpus[0]!;
    for (let n = 19; n <= 29; n++) expect(cpu.x(n)).toBe(regs.get(n));
    expect(k.machine.icache.reports).toEqual([]);
  });

  it('honours a callback that rewrites the frame pc (the traced function is skipped)', () => {
    const tk = load(variant, 'nokaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
    const ops = ft.newOps({ name: 'skip_ops', func: skipCallback(k, frame) });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [41n])).toBe(41n);
    expect(k.machine.call(tk.addr('bpf_fentry_test2'), [41n, 1n])).toBe(42n);
  });

  it('tail-calls a direct trampoline late (shared site) with x30 = ip + 4 and x9 = the parent', () => {
    const tk = load(variant, 'kaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
    const t = countingDirectTramp(k, 'tramp');
    const d = ft.newOps({ name: 'direct_ops' });
    ft.setFilter(d, 'bpf_fentry_test1', { reset: true });
    ft.registerDirect(d, t.func);
    const c = countingCallback(k, 'cb');
    const ops = ft.newOps({ name: 'cb_ops', func: c.func });
    ft.setFilter(ops, 'bpf_fentry_test*', { reset: true });
    ft.register(ops);
    const r = callWith(k, tk.addr('bpf_fentry_test1'), callRegs(), true);
    expect(r.x0).toBe(6n);
    expect([c.read(), t.read()]).toEqual([1n, 1n]);
    // The trampoline ran, then the traced function from its first real instruction after the site.
    const ip = tk.callSite('bpf_fentry_test1').ip;
    const ti = r.pcs.indexOf(t.func);
    expect(ti).toBeGreaterThan(0);
    expect(k.kallsyms.lookup(r.pcs[ti - 1]!)!.sym.name).toBe(
      frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller',
    );
    expect(r.pcs.slice(ti).find((p) => p === ip + 4n)).toBe(ip + 4n);
    expect((disassemble(k.machine.memory.read32(r.pcs[ti - 1]!)) ?? '').replace(/\s+/g, ' ')).toBe('br x17');
    // Remove the other ops: a single direct ops again.
    ft.unregister(ops);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [5n])).toBe(6n);
    expect([c.read(), t.read()]).toEqual([1n, 2n]);
  });
});

describe('CALL_OPS paths: instructions executed', () => {
  const mnemonics = (k: Kernel, pcs: readonly bigint[]): string[] =>
    pcs.map((p) => (disassemble(k.machine.memory.read32(p)) ?? '').split(/\s+/)[0]!);

  it.each(['gcc-pfe42', 'clang-bti-pfe42'] as const)(
    '%s: out of range = direct BL + bti c, bic, ldr, ldr, cbnz, br x17',
    (variant) => {
      // KASLR: the image is in the middle of vmalloc and the trampoline comes from lowest-fit execmem.
      const tk = load(variant, 'kaslr', 7);
      const k = tk.kernel;
      const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
      const far = countingDirectTramp(k, 'far', { where: 'vmalloc' });
      const near = countingDirectTramp(k, 'near', { where: 'image' });
      const s1 = tk.callSite('bpf_fentry_test1');
      const s2 = tk.callSite('bpf_fentry_test2');
      expect(reachableByBl(s1.ip, far.func)).toBe(false);
      expect(reachableByBl(s2.ip, near.func)).toBe(true);
      const untraced1 = callWith(k, tk.addr('bpf_fentry_test1'), new Map([[0, 5n]])).insns;
      const untraced2 = callWith(
        k,
        tk.addr('bpf_fentry_test2'),
        new Map([
          [0, 5n],
          [1, 6n],
        ]),
      ).insns;
      const d1 = ft.newOps({ name: 'd1' });
      ft.setFilter(d1, 'bpf_fentry_test1', { reset: true });
      ft.registerDirect(d1, far.func);
      const d2 = ft.newOps({ name: 'd2' });
      ft.setFilter(d2, 'bpf_fentry_test2', { reset: true });
      ft.registerDirect(d2, near.func);
      expect(ft.core.site(s1.ip)).toMatchObject({ insn: 'bl', via: 'ftrace_caller' });
      expect(ft.core.site(s2.ip)).toMatchObject({ insn: 'bl', via: 'direct' });
      const r1 = callWith(k, tk.addr('bpf_fentry_test1'), new Map([[0, 5n]]), true);
      const r2 = callWith(
        k,
        tk.addr('bpf_fentry_test2'),
        new Map([
          [0, 5n],
          [1, 6n],
        ]),
        true,
      );
      expect([r1.x0, r2.x0]).toEqual([6n, 11n]);
      const tramp = 7; // bti, ldr, mov, stadd, mov, mov, ret
      expect(r2.insns - untraced2).toBe(tramp);
      expect(r1.insns - untraced1).toBe(tramp + 6);
      const i = r1.pcs.indexOf(ft.callerAddress);
      expect(mnemonics(k, r1.pcs.slice(i, i + 6))).toEqual(['bti', 'and', 'ldur', 'ldr', 'cbnz', 'br']);
      expect(r1.pcs[i + 6]).toBe(far.func);
      expect(k.machine.icache.reports).toEqual([]);
    },
  );

  it.skipIf(!haveGas)('a far module site: + adrp, add, br x16 through its ftrace PLT', () => {
    const obj = gasAssemble(pfe42Module('farmod'));
    const tk = createTestKernel(readFileSync(testKernelFixture('gcc-pfe42')), {
      layout: { kind: 'kaslr', seed: 5, randomizeModuleRegionFull: true },
    });
    const k = tk.kernel;
    const ft: FtraceKernel = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const mod = loadModule(k, obj);
    ft.addModule(mod);
    const site = mod.callSites[0]!;
    expect(reachableByBl(site.ip, ft.callerAddress)).toBe(false);
    const far = countingDirectTramp(k, 'far');
    expect(reachableByBl(site.ip, far.func)).toBe(false);
    const fn = mod.symbol('mod_fn')!;
    const untraced = callWith(k, fn, new Map([[0, 1n]])).insns;
    const d = ft.newOps({ name: 'd' });
    ft.setFilter(d, 'mod_fn', { reset: true });
    ft.registerDirect(d, far.func);
    expect(ft.core.site(site.ip)).toMatchObject({ insn: 'bl', via: 'plt' });
    const r = callWith(k, fn, new Map([[0, 1n]]), true);
    expect(r.x0).toBe(2n);
    expect(r.insns - untraced).toBe(7 + 6 + 3);
    const i = r.pcs.indexOf(site.ip) + 1;
    expect(mnemonics(k, r.pcs.slice(i, i + 9))).toEqual([
      'adrp',
      'add',
      'br',
      'bti',
      'and',
      'ldur',
      'ldr',
      'cbnz',
      'br',
    ]);
    expect(k.machine.icache.reports).toEqual([]);
  });
});

describe('ftrace_hash_contains (the list function hash probe) against a JS set', () => {
  it('answers like Set.has for random sorted hashes and probes (seeded)', () => {
    const tk = load('gcc-pfe42', 'nokaslr');
    const k = tk.kernel;
    const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
    const slab = new Slab(k, 'test hashes');
    const rng = new Rng(42);
    let probes = 0;
    for (let round = 0; round < 40; round++) {
      const n = round === 0 ? 0 : rng.int(1, 300);
      const ips = new Set<bigint>();
      while (ips.size < n) ips.add(0xffff_8000_8000_0000n + BigInt(rng.below(4096) * 4));
      const addr = writeMemHash(slab, k, [...ips]);
      const sorted = [...ips].sort((a, b) => (a < b ? -1 : 1));
      const candidates = [...sorted.slice(0, 20), 0n, 0xffff_ffff_ffff_fffcn];
      for (let i = 0; i < 40; i++) candidates.push(0xffff_8000_8000_0000n + BigInt(rng.below(4096) * 4));
      for (const ip of candidates) {
        expect(k.machine.call(ft.text.hashContains, [addr, ip]), `n=${n} ip=${ip}`).toBe(
          ips.has(ip) ? 1n : 0n,
        );
        probes++;
      }
    }
    expect(probes).toBeGreaterThan(2000);
  });
});
