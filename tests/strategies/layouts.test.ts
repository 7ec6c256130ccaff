/**
 * Layouts (issue 10 acceptance): over seeded `kaslr` samples (the image in the middle of vmalloc, BPF code
 * from the bottom — trampolines out of BL range) and `nokaslr` samples (in range):
 *
 * - `patchsite` fails with ENOTSUPP exactly when the trampoline is out of BL range of the site — compared with
 *   `reachableByBl` on the actual addresses: the address the image gets (the lowest-fit vmalloc hole,
 *   probed just before) and the site's BL slot — and then nothing changed (site word, flags, ops list, no
 *   image, the vmalloc hole free again); every other strategy attaches and the program runs.
 * - `callops` takes the direct BL in range and the literal fast path out of range, read from the executed
 *   instruction trace (the PCs the CPU visited): in range the instruction after the site's BL is the
 *   trampoline's first; out of range it is ftrace_caller's `bti c ; bic ; ldr ; ldr ; cbnz ; br x17` (as LLVM
 *   prints them: bti, and, ldur, ldr, cbnz, br), then
 *   the trampoline, and nothing else of ftrace runs. Counting every instruction outside BPF code (trampoline
 *   and JITed program, whose materialised addresses differ by layout), the out-of-range call executes
 *   exactly those 6 more.
 * - `patchsite` (attached) enters the trampoline straight from the site; `tailcall` always through
 *   ftrace_caller, the list function, call_direct_funcs and the late `br x17`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { loadBpfObject } from '../../src/bpf/object/index.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import type { LayoutOptions } from '../../src/kernel/layout.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { loadIntoKernel } from '../../src/trampoline/bpf.js';
import { TRAMP_IMAGE_SIZE } from '../../src/trampoline/core.js';
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

const FUNC = 'bpf_fentry_test1';
const SAMPLES: LayoutOptions[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ kind: 'kaslr' as const, seed })),
  ...[1, 2, 3].map((seed) => ({ kind: 'nokaslr' as const, seed })),
];
const label = (l: LayoutOptions): string => `${l.kind} seed ${l.seed}`;

const objBytes = new Uint8Array(readFileSync('fixtures/bpf/fentry_test.bpf.o'));
const fixtures = new Map<string, Uint8Array>();
function kernelFor(s: Strategy, layout: LayoutOptions): TracingKernel {
  const v = testKernelVariantFor(s, { bti: true });
  if (!fixtures.has(v)) fixtures.set(v, new Uint8Array(readFileSync(testKernelFixture(v))));
  return createTracingKernel(fixtures.get(v)!, { strategy: s, layout });
}

interface Attempt {
  t: TracingKernel;
  /** Where the trampoline image goes (the lowest free vmalloc hole of its size, probed before the attach). */
  probe: bigint;
  siteIp: bigint;
  error: unknown;
  result: bigint;
  /** What an attach may change, before and after the attempt. */
  before: unknown;
  after: unknown;
}

function snapshot(t: TracingKernel): unknown {
  return {
    sites: t.ftrace.records.map((r) => [r.name, r.flags, t.kernel.machine.memory.read32(r.ip)]),
    opsList: t.ftrace.memOpsList(),
    direct: [...t.ftrace.core.directFunctions],
    images: t.trampolines.all().flatMap((tr) => (tr.image ? [tr.image.address] : [])),
    trampSyms: t.kernel.kallsyms.all().filter((x) => x.name.startsWith('bpf_trampoline_')).length,
  };
}

function attach(s: Strategy, layout: LayoutOptions): Attempt {
  const t = kernelFor(s, layout);
  const k = t.kernel;
  const lo = loadIntoKernel(k, loadBpfObject(objBytes));
  const p = lo.programs.find((x) => x.prog.target === FUNC)!;
  const probe = k.allocExec(TRAMP_IMAGE_SIZE, 'probe');
  k.freeExec(probe, TRAMP_IMAGE_SIZE);
  let error: unknown;
  const before = snapshot(t);
  try {
    s.attachment(t, FUNC).link({ prog: p.tramp, kind: 'fentry', cookie: 0n });
  } catch (e) {
    error = e;
  }
  const after = snapshot(t);
  k.machine.call(t.tk.addr(FUNC), [1n]);
  const result = k.machine.memory.read64(lo.global('test1_result'));
  return { t, probe, siteIp: t.tk.callSite(FUNC).ip, error, result, before, after };
}

/** The PCs CPU 0 executes during one call. */
function traceCall(t: TracingKernel, func: string, args: bigint[]): { pcs: bigint[]; ret: bigint } {
  const pcs: bigint[] = [];
  const cpu = t.kernel.machine.cpus[0]!;
  cpu.traceHook = (_c, pc) => pcs.push(pc);
  try {
    return { ret: t.kernel.machine.call(t.tk.addr(func), args), pcs };
  } finally {
    cpu.traceHook = undefined;
  }
}

const symOf = (t: TracingKernel, pc: bigint): string => t.kernel.kallsyms.lookup(pc)?.sym.name ?? '?';
const inBpf = (t: TracingKernel, pc: bigint): boolean => t.kernel.kallsyms.lookup(pc)?.sym.module === 'bpf';
const mnemonic = (t: TracingKernel, pc: bigint): string =>
  (disassemble(t.kernel.machine.memory.read32(pc), { address: pc }) ?? '?').replace(/\t/, ' ');

describe('patchsite: ENOTSUPP exactly when the trampoline is out of BL range; the others attach', () => {
  const outcomes: boolean[] = [];
  it.each(SAMPLES.map((l) => [label(l), l] as const))('%s', (_l, layout) => {
    const patchsite = strategyByName('patchsite');
    // The same layout without an attach: the state to compare with when patchsite refuses.
    const ref = attach(patchsite, layout);
    const inRange = reachableByBl(ref.siteIp, ref.probe);
    outcomes.push(inRange);
    if (inRange) {
      expect(ref.error).toBeUndefined();
      const a = patchsite.attachment(ref.t, FUNC) as TrampolineAttachment;
      expect(a.tr.image!.address).toBe(ref.probe);
      expect(ref.result).toBe(1n);
    } else {
      expect(ref.error).toBeInstanceOf(KernelError);
      expect((ref.error as KernelError).errno).toBe('ENOTSUPP');
      expect((ref.error as KernelError).message).toContain(`out of BL range`);
      const t = ref.t;
      expect(ref.after).toEqual(ref.before);
      expect(t.kernel.machine.memory.read32(ref.siteIp)).toBe(0xd503201f);
      expect(t.ftrace.verify()).toEqual([]);
      const again = t.kernel.allocExec(TRAMP_IMAGE_SIZE, 'probe again');
      expect(again).toBe(ref.probe);
      expect(ref.result).toBe(0n); // the function ran untraced
    }
    for (const s of STRATEGIES.filter((x) => x.name !== 'patchsite')) {
      const r = attach(s, layout);
      expect([s.name, r.error, r.result]).toEqual([s.name, undefined, 1n]);
    }
  });

  it('the samples cover both outcomes (kaslr out of range, nokaslr in range)', () => {
    expect(outcomes).toEqual(SAMPLES.map((l) => l.kind === 'nokaslr'));
  });
});

describe('the path each direct-call strategy takes, from the executed instruction trace', () => {
  it.each(SAMPLES.map((l) => [label(l), l] as const))(
    'callops, %s: direct BL in range, literal fast path out of range',
    (_l, layout) => {
      const r = attach(strategyByName('callops'), layout);
      expect(r.error).toBeUndefined();
      const t = r.t;
      const img = (strategyByName('callops').attachment(t, FUNC) as TrampolineAttachment).tr.image!.address;
      const { pcs, ret } = traceCall(t, FUNC, [1n]);
      expect(ret).toBe(2n);
      const i = pcs.indexOf(r.siteIp);
      expect(mnemonic(t, r.siteIp)).toBe(
        `bl 0x${(reachableByBl(r.siteIp, img) ? img : t.ftrace.callerAddress).toString(16)}`,
      );
      const ftraceRan = pcs.filter((pc) => /^ftrace_|^call_direct_funcs/.test(symOf(t, pc)));
      if (reachableByBl(r.siteIp, img)) {
        expect(pcs[i + 1]).toBe(img);
        expect(ftraceRan).toEqual([]);
      } else {
        const between = pcs.slice(i + 1, i + 7);
        expect(between.map((pc) => symOf(t, pc))).toEqual(Array(6).fill('ftrace_caller'));
        expect(between.map((pc) => mnemonic(t, pc).split(' ')[0])).toEqual([
          'bti', // bti c
          'and', // bic x11, x30, #7 (LLVM prints the AND-immediate it is)
          'ldur', // ldr x11, [x11, #-16]: the literal
          'ldr', // ldr x17, [x11, #direct_call]
          'cbnz',
          'br',
        ]);
        expect(mnemonic(t, between[5]!)).toBe('br x17');
        expect(pcs[i + 7]).toBe(img);
        expect(ftraceRan).toEqual(between);
      }
    },
  );

  it('callops: out of range executes exactly 6 more instructions outside BPF code than in range', () => {
    const count = (layout: LayoutOptions): { n: number; inRange: boolean } => {
      const r = attach(strategyByName('callops'), layout);
      const img = (strategyByName('callops').attachment(r.t, FUNC) as TrampolineAttachment).tr.image!.address;
      const { pcs } = traceCall(r.t, FUNC, [1n]);
      return { n: pcs.filter((pc) => !inBpf(r.t, pc)).length, inRange: reachableByBl(r.siteIp, img) };
    };
    const near = count({ kind: 'nokaslr', seed: 1 });
    for (const seed of [1, 2, 3]) {
      const far = count({ kind: 'kaslr', seed });
      expect([near.inRange, far.inRange]).toEqual([true, false]);
      expect(far.n - near.n).toBe(6);
    }
  });

  it.each(SAMPLES.filter((l) => l.kind === 'nokaslr').map((l) => [label(l), l] as const))(
    'patchsite enters the trampoline from the site; tailcall through ftrace_caller, the list and the late br x17 (%s)',
    (_l, layout) => {
      for (const name of ['patchsite', 'tailcall']) {
        const r = attach(strategyByName(name), layout);
        const t = r.t;
        const img = (strategyByName(name).attachment(t, FUNC) as TrampolineAttachment).tr.image!.address;
        const { pcs } = traceCall(t, FUNC, [1n]);
        const i = pcs.indexOf(r.siteIp);
        const j = pcs.indexOf(img);
        if (name === 'patchsite') expect(j).toBe(i + 1);
        else {
          const path = [...new Set(pcs.slice(i + 1, j).map((pc) => symOf(t, pc)))];
          expect(path).toEqual([
            'ftrace_caller',
            'ftrace_ops_list_func',
            'ftrace_hash_contains',
            'call_direct_funcs',
          ]);
          expect(mnemonic(t, pcs[j - 1]!)).toBe('br x17');
        }
      }
    },
  );
});
