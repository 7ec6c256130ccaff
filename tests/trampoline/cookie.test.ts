/**
 * bpf_get_attach_cookie (issue 9) with a clang-built program (fixtures/bpf/attach_cookie.bpf.c) on the JIT:
 * the helper is the kernel's bpf_get_attach_cookie_tracing — current->bpf_ctx->bpf_cookie — in A64, and the
 * run context it reads is the one __bpf_prog_enter installed for the link being run.
 *
 *  - interpreter ≡ JIT: runTracingProgram answers with the run's cookie; runTracingProgramJit puts the same
 *    cookie in a run context current->bpf_ctx points at, and restores the old pointer afterwards;
 *  - through each strategy's trampoline path: the fentry program loaded twice (the kernel refuses one
 *    program linked twice to a trampoline, EBUSY) and linked with two different cookies, the fexit program
 *    with a third; each run sees its own link's cookie — sums, run counts and the last cookie are checked
 *    against the cookies chosen here and against the interpreter running the same links in turn; detaching
 *    one link leaves only the other's cookie; current->bpf_ctx is back to NULL after every call.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jitProgram } from '../../src/bpf/jit/index.js';
import { runTracingProgramJit } from '../../src/bpf/jit/run.js';
import { loadBpfObject, type BpfObject } from '../../src/bpf/object/load.js';
import { createObjectMaps, runTracingProgram } from '../../src/bpf/object/run.js';
import { TASK_BPF_CTX } from '../../src/bpf/helpers/runctx.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { KernelError } from '../../src/util/errors.js';
import { loadIntoKernel, trampProgOf, type TrampLink } from '../../src/trampoline/index.js';
import {
  createTracingKernel,
  STRATEGIES,
  testKernelVariantFor,
} from '../../src/trampoline/strategies/index.js';

const OBJ: BpfObject = loadBpfObject(
  new Uint8Array(readFileSync(new URL('../../fixtures/bpf/attach_cookie.bpf.o', import.meta.url))),
);
const prog = (name: string) => OBJ.programs.find((p) => p.name === name)!;
const GLOBALS = ['fentry_sum', 'fentry_last', 'fentry_runs', 'fexit_sum', 'fexit_last', 'fexit_mix'] as const;
type Globals = Record<(typeof GLOBALS)[number], bigint>;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** The globals as the interpreter leaves them after running `runs` (program, cookie, args, ret) in order. */
function interpreterGlobals(runs: { name: string; cookie: bigint; a: bigint; ret?: bigint }[]): Globals {
  const maps = createObjectMaps(OBJ);
  for (const r of runs)
    runTracingProgram(prog(r.name), maps, {
      args: [r.a],
      cookie: r.cookie,
      ...(r.ret !== undefined ? { ret: r.ret } : {}),
    });
  return readGlobals((n) => {
    const g = OBJ.globals.find((x) => x.name === n)!;
    return new DataView(maps.byFd(g.fd)!.region().bytes.buffer).getBigUint64(g.offset, true);
  });
}

function readGlobals(read: (name: string) => bigint): Globals {
  return Object.fromEntries(GLOBALS.map((n) => [n, read(n)])) as Globals;
}

const COOKIES = [0n, 1n, 0x1234n, 0xfedc_ba98_7654_3210n, (1n << 64n) - 1n];

describe('bpf_get_attach_cookie: interpreter ≡ JIT', () => {
  it.each(COOKIES.map((c) => [c]))('cookie %s', (cookie) => {
    const kernel = new Kernel({ layout: { kind: 'nokaslr' }, machine: { bti: true, pac: true } });
    const task = kernel.tasks[0]!;
    const mem = kernel.machine.memory;
    for (const name of ['fentry_cookie', 'fexit_cookie']) {
      const run = { args: [41n], ret: 42n, cookie };
      const mi = createObjectMaps(OBJ);
      const mj = createObjectMaps(OBJ);
      const want = runTracingProgram(prog(name), mi, run);
      const got = runTracingProgramJit(kernel, prog(name), mj, run);
      expect(got.r0).toBe(want.r0);
      mi.maps.forEach((m, i) => expect(mj.maps[i]!.region().bytes, m.name).toEqual(m.region().bytes));
      expect(mem.read64(task + BigInt(TASK_BPF_CTX)), 'current->bpf_ctx restored').toBe(0n);
    }
    // The cookie itself, not only agreement: the last value each program stored.
    const want = interpreterGlobals([
      { name: 'fentry_cookie', cookie, a: 41n },
      { name: 'fexit_cookie', cookie, a: 41n, ret: 42n },
    ]);
    expect([want.fentry_last, want.fexit_last, want.fexit_mix]).toEqual([cookie, cookie, cookie ^ 42n]);
  });
});

describe.each(STRATEGIES.map((s) => [s.name, s] as const))(
  'through the %s trampoline path',
  (_n, strategy) => {
    it('two links of the fentry program with two cookies, fexit with a third; detach one', () => {
      const variant = testKernelVariantFor(strategy);
      const tk = createTracingKernel(readFileSync(testKernelFixture(variant)), { strategy, seed: 3 });
      const k = tk.kernel;
      const mem = k.machine.memory;
      const loaded = loadIntoKernel(k, OBJ);
      const lp = (n: string) => loaded.programs.find((p) => p.prog.name === n)!;
      // A second instance of the fentry program (its own struct bpf_prog), sharing the object's globals.
      const again = jitProgram(k, prog('fentry_cookie').insns, {
        name: 'fentry_cookie',
        attachType: 'fentry',
        resolveLdImm64: loaded.maps.resolveLdImm64,
      });
      const A = 0x1111_2222_3333_4444n;
      const B = 0xfedc_ba98_7654_3210n;
      const C = 7n;
      const la: TrampLink = { prog: lp('fentry_cookie').tramp, kind: 'fentry', cookie: A };
      const lb: TrampLink = { prog: trampProgOf(k, again, prog('fentry_cookie')), kind: 'fentry', cookie: B };
      const lc: TrampLink = { prog: lp('fexit_cookie').tramp, kind: 'fexit', cookie: C };
      const att = strategy.attachment(tk, 'bpf_fentry_test1');
      att.link(la);
      // One program, one link per trampoline (as the kernel: EBUSY), hence the second instance.
      expect(() => att.link({ ...la, cookie: B })).toThrow(KernelError);
      att.link(lb);
      att.link(lc);

      const g = (): Globals => readGlobals((n) => mem.read64(loaded.global(n)));
      const call = (a: bigint): void => {
        expect(k.machine.call(tk.tk.addr('bpf_fentry_test1'), [a])).toBe(a + 1n);
        expect(mem.read64(k.tasks[0]! + BigInt(TASK_BPF_CTX)), 'current->bpf_ctx back to NULL').toBe(0n);
      };
      const n = 5n;
      for (let i = 0n; i < n; i++) call(10n + i);
      const both = g();
      expect(both.fentry_runs).toBe(2n * n);
      expect(both.fentry_sum).toBe(u64(n * (A + B)));
      expect([A, B]).toContain(both.fentry_last);
      expect(both.fexit_sum).toBe(u64(n * C));
      expect(both.fexit_last).toBe(C);
      expect(both.fexit_mix).toBe(C ^ (10n + n - 1n + 1n));
      // The interpreter running the same links, in the order the trampoline ran them (the last fentry cookie
      // tells which ran second), gives the same globals.
      const order = both.fentry_last === B ? [A, B] : [B, A];
      const runs = [];
      for (let i = 0n; i < n; i++) {
        for (const cookie of order) runs.push({ name: 'fentry_cookie', cookie, a: 10n + i });
        runs.push({ name: 'fexit_cookie', cookie: C, a: 10n + i, ret: 11n + i });
      }
      expect(both).toEqual(interpreterGlobals(runs));

      // Detach the link with cookie B: only A is seen from now on.
      att.unlink(lb);
      call(100n);
      const after = g();
      expect(after.fentry_runs).toBe(2n * n + 1n);
      expect(after.fentry_last).toBe(A);
      expect(after.fentry_sum).toBe(u64(n * (A + B) + A));
      expect(after.fexit_mix).toBe(C ^ 101n);
      expect(k.machine.icache.reports).toEqual([]);
    });
  },
);
