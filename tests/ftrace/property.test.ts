/**
 * Property test of live ftrace, per ftrace_caller family member (fast-check, seeded): random sequences of
 * register / unregister / set filter (names and globs, `>` and `>>`, filter and notrace) / add, modify and
 * remove a direct trampoline / register and remove a return hook (graph/: an exit callback, optionally an
 * entry callback that hooks the return or declines), interleaved with calls of traced functions on the CPU.
 * After every step each ops' callback count, each direct trampoline's hit count and each return hook's exit
 * (and entry) count must equal what an independent reference model predicts, exactly; every site's word
 * and literal must equal the state machine (`verify`); errors must be the ones the model expects and change
 * nothing; the patcher must never see a validation failure; after every call the return stack is empty and
 * the last exit a hook saw is the outermost function of the call it selects (its call site, its fgraph_ops,
 * and the call's result when that function is the one called).
 *
 * The reference model knows only names: which function a call runs (including the nested chain
 * workload_entry → workload_middle → bpf_fentry_test1), each ops' filter and notrace sets, which trampoline
 * each function's direct ops points at, which functions each return hook selects and whether its entry
 * callback declines. It shares no code with src/ftrace.
 *
 * Step kinds are a table (`step` below): one arbitrary and one `case` of `runSteps` per kind.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attachFtrace,
  countingCallback,
  countingDirectTramp,
  OPS_FL,
  type CallerDispatch,
  type Counter,
  type FrameKind,
  type FtraceKernel,
  type FtraceOps,
} from '../../src/ftrace/index.js';
import {
  countingEntryCallback,
  countingExitCallback,
  FGRAPH_ARRAY_SIZE,
  functionGraph,
  registerReturnHook,
  unregisterReturnHook,
  type CallbackCounter,
  type FunctionGraph,
  type ReturnHook,
} from '../../src/ftrace/graph/index.js';
import { createTestKernel, testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';
import { KernelError } from '../../src/util/errors.js';

/** Functions the steps call: arguments and the traced functions one call runs, in order. */
const CALLS: Record<string, { args: bigint[]; runs: string[] }> = {
  bpf_fentry_test1: { args: [5n], runs: ['bpf_fentry_test1'] },
  bpf_fentry_test2: { args: [5n, 7n], runs: ['bpf_fentry_test2'] },
  bpf_fentry_test3: { args: [1n, 2n, 3n], runs: ['bpf_fentry_test3'] },
  bpf_fentry_test7: { args: [0n], runs: ['bpf_fentry_test7'] },
  tramp64_trigger: { args: [9n], runs: ['tramp64_trigger'] },
  workload_entry: { args: [3n], runs: ['workload_entry', 'workload_middle', 'bpf_fentry_test1'] },
};
const NAMES = Object.keys(CALLS);
/** Every traced function a filter may name (a superset of what is called). */
const FILTERABLE = [...NAMES, 'workload_middle', 'bpf_fentry_test4', 'bpf_fentry_test5'];

/** A filter token and the names it stands for, computed here without the ftrace glob code. */
const TOKENS: { text: string; names: (all: readonly string[]) => string[] }[] = [
  ...FILTERABLE.map((n) => ({ text: n, names: () => [n] })),
  { text: 'bpf_fentry_test*', names: (all) => all.filter((n) => n.startsWith('bpf_fentry_test')) },
  { text: '*_entry', names: (all) => all.filter((n) => n.endsWith('_entry')) },
  { text: '*load*', names: (all) => all.filter((n) => n.includes('load')) },
  {
    text: 'bpf_fentry_test[1-3]',
    names: (all) => all.filter((n) => /^bpf_fentry_test[1-3]$/.test(n)),
  },
];

const N_OPS = 3;
const N_DIRECT = 2;
const N_TRAMPS = 3;

type Step =
  | { k: 'call'; fn: string }
  | { k: 'reg'; i: number }
  | { k: 'unreg'; i: number }
  | { k: 'filter'; i: number; toks: number[]; reset: boolean; notrace: boolean; bogus: boolean }
  | { k: 'dreg'; j: number; toks: number[]; t: number }
  | { k: 'dmod'; j: number; t: number }
  | { k: 'dunreg'; j: number }
  | { k: 'hreg'; toks: number[]; entry: HookEntry; bogus: boolean }
  | { k: 'hunreg'; i: number; stale: boolean };

/** A return hook's entry callback: none, one that hooks every return, one that declines (no exit). */
type HookEntry = 'none' | 'hook' | 'decline';

const toks = fc.array(fc.nat(TOKENS.length - 1), { minLength: 1, maxLength: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES).map((fn) => ({ k: 'call' as const, fn })) },
  { weight: 2, arbitrary: fc.nat(N_OPS - 1).map((i) => ({ k: 'reg' as const, i })) },
  { weight: 2, arbitrary: fc.nat(N_OPS - 1).map((i) => ({ k: 'unreg' as const, i })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ i: fc.nat(N_OPS - 1), toks, reset: fc.boolean(), notrace: fc.boolean(), bogus: fc.nat(9) })
      .map((r) => ({ k: 'filter' as const, ...r, bogus: r.bogus === 0 })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ j: fc.nat(N_DIRECT - 1), toks, t: fc.nat(N_TRAMPS - 1) })
      .map((r) => ({ k: 'dreg' as const, ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ j: fc.nat(N_DIRECT - 1), t: fc.nat(N_TRAMPS - 1) })
      .map((r) => ({ k: 'dmod' as const, ...r })),
  },
  { weight: 1, arbitrary: fc.nat(N_DIRECT - 1).map((j) => ({ k: 'dunreg' as const, j })) },
  // Return hooks are registered more often than removed, so some runs fill the fgraph array (ENOSPC).
  {
    weight: 3,
    arbitrary: fc
      .record({
        toks,
        entry: fc.constantFrom<HookEntry>('none', 'none', 'hook', 'decline'),
        bogus: fc.nat(9),
      })
      .map((r) => ({ k: 'hreg' as const, ...r, bogus: r.bogus === 0 })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ i: fc.nat(31), stale: fc.nat(4) })
      .map((r) => ({ k: 'hunreg' as const, i: r.i, stale: r.stale === 0 })),
  },
);

/** The reference model. */
interface ModelOps {
  registered: boolean;
  filter: Set<string>;
  notrace: Set<string>;
}
interface ModelDirect {
  registered: boolean;
  filter: Set<string>;
  tramp: number;
}
/** A return hook and the counts the model predicts for it. */
interface ModelHook {
  hook: ReturnHook;
  funcs: Set<string>;
  entryKind: HookEntry;
  exit: CallbackCounter;
  entry: CallbackCounter | undefined;
  exits: bigint;
  entries: bigint;
}

/** The kernel under test with its ops, their callbacks, the direct ops and the direct trampolines. */
interface Harness {
  ft: FtraceKernel;
  tk: ReturnType<typeof createTestKernel>;
  ops: FtraceOps[];
  cbs: Counter[];
  dops: FtraceOps[];
  tramps: Counter[];
  expected: Map<string, number>;
}

function setup(
  variant: TestKernelVariant,
  frame: FrameKind,
  dispatch: CallerDispatch,
  seed: number,
): Harness {
  const tk = createTestKernel(readFileSync(testKernelFixture(variant)), { layout: { kind: 'kaslr', seed } });
  const k = tk.kernel;
  const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
  const cbs = Array.from({ length: N_OPS }, (_, i) => countingCallback(k, `cb${i}`));
  // ops 0 static, 1 DYNAMIC, 2 RECURSION (never called through a CALL_OPS literal).
  const flags = [0, OPS_FL.DYNAMIC, OPS_FL.RECURSION];
  const ops = cbs.map((c, i) => ft.newOps({ name: `ops${i}`, func: c.func, flags: flags[i]! }));
  const dops = Array.from({ length: N_DIRECT }, (_, j) => ft.newOps({ name: `direct${j}` }));
  const tramps = Array.from({ length: N_TRAMPS }, (_, t) =>
    countingDirectTramp(k, `tramp${t}`, { where: t === 1 ? 'image' : 'vmalloc' }),
  );
  return { ft, tk, ops, cbs, dops, tramps, expected: new Map() };
}

/** What a run exercised (the test asserts every kind of interaction happened somewhere). */
interface Coverage {
  /** Exit callbacks run. */
  exits: bigint;
  /** Entry callbacks that declined. */
  declined: bigint;
  /** Calls of a function with a return hook and a direct trampoline on it. */
  hookAndDirect: number;
  /** Calls of a function with a return hook and a counting op on it. */
  hookAndOps: number;
  /** Failed return-hook steps by errno. */
  errors: Record<string, number>;
}

function runSteps(h: Harness, steps: readonly Step[], cov: Coverage): void {
  const { ft, tk } = h;
  const k = tk.kernel;
  const mops: ModelOps[] = h.ops.map(() => ({ registered: false, filter: new Set(), notrace: new Set() }));
  const mdir: ModelDirect[] = h.dops.map(() => ({ registered: false, filter: new Set(), tramp: 0 }));
  const cbCount = h.cbs.map(() => 0n);
  const trCount = h.tramps.map(() => 0n);
  // Return hooks: registered (live), removed (gone), and callbacks whose registration failed (never called).
  const live: ModelHook[] = [];
  const gone: ModelHook[] = [];
  const unused: CallbackCounter[] = [];
  let hookSeq = 0;
  // Set up on the first return-hook registration (text installed, return stacks allocated) while other
  // ops may already be live, as the kernel's first register_ftrace_graph.
  let graph: FunctionGraph | undefined;
  const allNames = tk.callSites.map((s) => s.func.name);
  const namesOf = (ts: readonly number[]): Set<string> =>
    new Set(ts.flatMap((t) => TOKENS[t]!.names(allNames)));
  const textOf = (ts: readonly number[]): string => ts.map((t) => TOKENS[t]!.text).join(' ');
  const directOf = (fn: string): number | undefined => {
    const d = mdir.find((m) => m.registered && m.filter.has(fn));
    return d?.tramp;
  };
  const expectError = (errno: string, act: () => void): void => {
    let err: unknown;
    try {
      act();
    } catch (e) {
      err = e;
    }
    expect(err, `expected ${errno}`).toBeInstanceOf(KernelError);
    expect((err as KernelError).errno).toBe(errno);
  };

  for (const s of steps) {
    switch (s.k) {
      case 'call': {
        const c = CALLS[s.fn]!;
        const want = h.expected.get(s.fn)!;
        expect(k.machine.call(tk.addr(s.fn), c.args)).toBe(BigInt(want));
        for (const fn of c.runs) {
          mops.forEach((m, i) => {
            if (!m.registered || m.notrace.has(fn)) return;
            if (m.filter.size === 0 || m.filter.has(fn)) cbCount[i]!++;
          });
          const t = directOf(fn);
          if (t !== undefined) trCount[t]!++;
          const hooked = live.filter((mh) => mh.funcs.has(fn));
          for (const mh of hooked) {
            if (mh.entry) mh.entries++;
            if (mh.entryKind !== 'decline') mh.exits++;
            else cov.declined++;
            if (mh.entryKind !== 'decline') cov.exits++;
          }
          if (hooked.length > 0 && t !== undefined) cov.hookAndDirect++;
          if (
            hooked.length > 0 &&
            mops.some((m) => m.registered && !m.notrace.has(fn) && (m.filter.size === 0 || m.filter.has(fn)))
          )
            cov.hookAndOps++;
        }
        // The last exit a hook saw is the call's outermost function it selects (exits run innermost first):
        // ip = that function's call site, its own fgraph_ops, and the result when it is the function called.
        for (const mh of live) {
          const outer = c.runs.find((fn) => mh.funcs.has(fn));
          if (outer === undefined || mh.entryKind === 'decline') continue;
          const [ip, ret, , gops] = mh.exit.last();
          expect(ip, mh.hook.name).toBe(tk.callSite(outer).ip);
          expect(gops, mh.hook.name).toBe(mh.hook.gops);
          if (outer === s.fn) expect(ret, mh.hook.name).toBe(BigInt(want));
        }
        if (graph) expect(graph.retStack(0)).toEqual([]);
        break;
      }
      case 'reg': {
        const m = mops[s.i]!;
        if (m.registered) expectError('EBUSY', () => ft.register(h.ops[s.i]!));
        else {
          ft.register(h.ops[s.i]!);
          m.registered = true;
        }
        break;
      }
      case 'unreg': {
        const m = mops[s.i]!;
        if (!m.registered) expectError('EBUSY', () => ft.unregister(h.ops[s.i]!));
        else {
          ft.unregister(h.ops[s.i]!);
          m.registered = false;
        }
        break;
      }
      case 'filter': {
        const m = mops[s.i]!;
        const text = s.bogus ? `${textOf(s.toks)} no_such_function` : textOf(s.toks);
        const opts = { reset: s.reset, notrace: s.notrace };
        if (s.bogus) expectError('EINVAL', () => ft.setFilter(h.ops[s.i]!, text, opts));
        else {
          ft.setFilter(h.ops[s.i]!, text, opts);
          const set = s.notrace ? m.notrace : m.filter;
          if (s.reset) set.clear();
          for (const n of namesOf(s.toks)) set.add(n);
        }
        break;
      }
      case 'dreg': {
        const d = mdir[s.j]!;
        const ops = h.dops[s.j]!;
        const addr = h.tramps[s.t]!.func;
        if (d.registered) {
          expectError('EINVAL', () => ft.registerDirect(ops, addr));
          break;
        }
        ft.setFilter(ops, textOf(s.toks), { reset: true });
        d.filter = namesOf(s.toks);
        const clash = [...d.filter].some((n) => directOf(n) !== undefined);
        if (clash) expectError('EBUSY', () => ft.registerDirect(ops, addr));
        else {
          ft.registerDirect(ops, addr);
          d.registered = true;
          d.tramp = s.t;
        }
        break;
      }
      case 'dmod': {
        const d = mdir[s.j]!;
        const addr = h.tramps[s.t]!.func;
        if (!d.registered) expectError('EINVAL', () => ft.modifyDirect(h.dops[s.j]!, addr));
        else {
          ft.modifyDirect(h.dops[s.j]!, addr);
          d.tramp = s.t;
        }
        break;
      }
      case 'dunreg': {
        const d = mdir[s.j]!;
        const addr = h.tramps[d.tramp]!.func;
        if (!d.registered) expectError('EINVAL', () => ft.unregisterDirect(h.dops[s.j]!, addr));
        else {
          ft.unregisterDirect(h.dops[s.j]!, addr);
          d.registered = false;
        }
        break;
      }
      case 'hreg': {
        const n = hookSeq++;
        const exit = countingExitCallback(k, `exit${n}`);
        const entry =
          s.entry === 'none'
            ? undefined
            : countingEntryCallback(k, `entry${n}`, { hook: s.entry === 'hook' });
        const o = {
          name: `hook${n}`,
          filter: s.bogus ? `${textOf(s.toks)} no_such_function` : textOf(s.toks),
          exit: exit.func,
          ...(entry ? { entry: entry.func } : {}),
        };
        // The fgraph array is checked before the filter (a full array is ENOSPC whatever the filter says).
        const errno = live.length === FGRAPH_ARRAY_SIZE ? 'ENOSPC' : s.bogus ? 'EINVAL' : undefined;
        if (errno !== undefined) {
          expectError(errno, () => registerReturnHook(ft, o));
          cov.errors[errno] = (cov.errors[errno] ?? 0) + 1;
          unused.push(exit, ...(entry ? [entry] : []));
        } else {
          const hook = registerReturnHook(ft, o);
          live.push({
            hook,
            funcs: namesOf(s.toks),
            entryKind: s.entry,
            exit,
            entry,
            exits: 0n,
            entries: 0n,
          });
        }
        graph ??= functionGraph(ft);
        break;
      }
      case 'hunreg': {
        if (s.stale && gone.length > 0) {
          const mh = gone[s.i % gone.length]!;
          expectError('ENOENT', () => unregisterReturnHook(ft, mh.hook));
          cov.errors.ENOENT = (cov.errors.ENOENT ?? 0) + 1;
        } else if (live.length > 0) {
          const [mh] = live.splice(s.i % live.length, 1);
          unregisterReturnHook(ft, mh!.hook);
          gone.push(mh!);
        }
        break;
      }
    }
    expect(h.cbs.map((c) => c.read())).toEqual(cbCount);
    expect(h.tramps.map((t) => t.read())).toEqual(trCount);
    for (const mh of [...live, ...gone]) {
      expect(mh.exit.count(), `${mh.hook.name} exits`).toBe(mh.exits);
      if (mh.entry) expect(mh.entry.count(), `${mh.hook.name} entries`).toBe(mh.entries);
    }
    for (const u of unused) expect(u.count()).toBe(0n);
    if (graph) expect(graph.hooks.map((x) => x.name).sort()).toEqual(live.map((m) => m.hook.name).sort());
    expect(ft.pending).toHaveLength(0);
    expect(ft.verify()).toEqual([]);
  }
  if (graph) expect(graph.overruns(0)).toBe(0);
  expect(k.patcher.stats.validationFailures).toBe(0);
  expect(k.machine.icache.reports).toEqual([]);
  expect(ft.reports).toEqual([]);
}

const FAMILY: [TestKernelVariant, FrameKind, CallerDispatch][] = [
  ['gcc-pfe42', 'args', 'callops'],
  ['clang-bti-pfe42', 'args', 'callops'],
  ['gcc-pfe42', 'regs', 'callops'],
  ['gcc-pfe2', 'args', 'global'],
  ['gcc-pfe2', 'regs', 'global'],
  ['clang-bti-pfe42', 'regs', 'global'],
];

describe.each(FAMILY.map((f, i) => [...f, i] as const))(
  '%s, frame %s, dispatch %s',
  (variant, frame, dispatch, i) => {
    it('counts, sites and errors match the reference model over random step sequences', () => {
      let total = 0;
      let run = 0;
      const cov: Coverage = { exits: 0n, declined: 0n, hookAndDirect: 0, hookAndOps: 0, errors: {} };
      fc.assert(
        fc.property(fc.array(step, { minLength: 50, maxLength: 150 }), (steps) => {
          const h = setup(variant, frame, dispatch, 1 + (run++ % 5));
          // Untraced results are the oracle for return values.
          for (const [fn, c] of Object.entries(CALLS))
            h.expected.set(fn, Number(h.tk.kernel.machine.call(h.tk.addr(fn), c.args)));
          runSteps(h, steps, cov);
          total += steps.length;
        }),
        { seed: 0x5eed + i, numRuns: 40 },
      );
      expect(total).toBeGreaterThan(2000);
      // Every return-hook interaction happened (ENOSPC, a full fgraph array, only in some runs: not required).
      expect(cov.exits).toBeGreaterThan(500n);
      expect(cov.declined).toBeGreaterThan(100n);
      expect(cov.hookAndDirect).toBeGreaterThan(50);
      expect(cov.hookAndOps).toBeGreaterThan(50);
      expect(cov.errors.EINVAL).toBeGreaterThan(0);
      expect(cov.errors.ENOENT).toBeGreaterThan(0);
    });
  },
);
