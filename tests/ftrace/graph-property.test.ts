/**
 * Seeded random sequences of return-hook registrations, removals and calls on the live kernel, against a
 * reference model: each hook's exit count is the number of calls of the functions its filter selects
 * (the call trees are the test kernel's C — workload_entry → workload_middle → bpf_fentry_test1;
 * tramp64_trigger_loop(n) → n × tramp64_trigger — as each build's relocations show the compiler kept
 * them), a hook whose entry callback declines counts entries but no exits, the 17th hook is ENOSPC,
 * every call returns the value its C defines, and after each call every return stack is empty. A plain ftrace op on some functions keeps ftrace_caller on its list path
 * part of the time. The build, frame and dispatch are drawn too.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachFtrace, countingCallback } from '../../src/ftrace/index.js';
import {
  countingEntryCallback,
  countingExitCallback,
  FGRAPH_ARRAY_SIZE,
  functionGraph,
  registerReturnHook,
  unregisterReturnHook,
  type CallbackCounter,
  type ReturnHook,
} from '../../src/ftrace/graph/index.js';
import { createTestKernel, testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';
import { KernelError } from '../../src/util/errors.js';
import { hasCall } from '../helpers/elf-oracle.js';

const FUNCS = [
  'workload_entry',
  'workload_middle',
  'bpf_fentry_test1',
  'bpf_fentry_test2',
  'tramp64_trigger',
  'tramp64_trigger_loop',
] as const;
type Func = (typeof FUNCS)[number];

type Call =
  | { f: 'workload_entry'; a: number }
  | { f: 'bpf_fentry_test2'; a: number; b: number }
  | { f: 'tramp64_trigger_loop'; n: number };

/**
 * Whether `caller` calls `callee` in this build, from the object's CALL26 relocations: the C source's call
 * structure as the compiler kept it (clang folds tramp64_trigger_loop's calls, since tramp64_trigger
 * returns its argument; GCC keeps them).
 */
const callCache = new Map<string, boolean>();
function calls(variant: TestKernelVariant, caller: Func, callee: Func): boolean {
  const key = `${variant} ${caller} ${callee}`;
  let r = callCache.get(key);
  if (r === undefined) callCache.set(key, (r = hasCall(variant, caller, callee)));
  return r;
}
/** How many times each function runs in one call, in build `variant`. */
function runs(variant: TestKernelVariant, c: Call): Map<Func, number> {
  switch (c.f) {
    case 'workload_entry':
      expect(calls(variant, 'workload_entry', 'workload_middle')).toBe(true);
      expect(calls(variant, 'workload_middle', 'bpf_fentry_test1')).toBe(true);
      return new Map([
        ['workload_entry', 1],
        ['workload_middle', 1],
        ['bpf_fentry_test1', 1],
      ]);
    case 'bpf_fentry_test2':
      return new Map([['bpf_fentry_test2', 1]]);
    case 'tramp64_trigger_loop':
      return new Map([
        ['tramp64_trigger_loop', 1],
        ['tramp64_trigger', calls(variant, 'tramp64_trigger_loop', 'tramp64_trigger') ? c.n : 0],
      ]);
  }
}

/** What the C returns (int results as the u32 of x0's low half, sign-extended by the caller: w-reg values). */
function expected(c: Call): bigint {
  switch (c.f) {
    case 'workload_entry':
      return BigInt((c.a + 1) * 2 + 1);
    case 'bpf_fentry_test2':
      return BigInt(c.a + c.b);
    case 'tramp64_trigger_loop':
      return BigInt((c.n * (c.n - 1)) / 2);
  }
}

type Act =
  | { k: 'reg'; funcs: Func[]; decline: boolean }
  | { k: 'unreg'; i: number }
  | { k: 'op'; funcs: Func[] }
  | { k: 'call'; c: Call };

const funcSet = fc.uniqueArray(fc.constantFrom(...FUNCS), { minLength: 1, maxLength: 4 });
const act: fc.Arbitrary<Act> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('reg' as const), funcs: funcSet, decline: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('unreg' as const), i: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('op' as const), funcs: funcSet }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('call' as const),
      c: fc.oneof(
        fc.record({ f: fc.constant('workload_entry' as const), a: fc.integer({ min: 0, max: 1000 }) }),
        fc.record({
          f: fc.constant('bpf_fentry_test2' as const),
          a: fc.integer({ min: 0, max: 1000 }),
          b: fc.integer({ min: 0, max: 1000 }),
        }),
        fc.record({ f: fc.constant('tramp64_trigger_loop' as const), n: fc.integer({ min: 0, max: 6 }) }),
      ),
    }),
  },
);
const config = fc.constantFrom(
  ['gcc-pfe2', 'args', 'global'] as const,
  ['gcc-pfe2', 'regs', 'global'] as const,
  ['gcc-pfe42', 'args', 'callops'] as const,
  ['gcc-pfe42', 'regs', 'global'] as const,
  ['clang-bti-pfe42', 'args', 'callops'] as const,
  ['clang-bti-pfe42', 'regs', 'callops'] as const,
);

interface LiveHook {
  hook: ReturnHook;
  funcs: Set<Func>;
  decline: boolean;
  exit: CallbackCounter;
  entry: CallbackCounter | undefined;
  exits: bigint;
  entries: bigint;
}

describe('return hooks against a reference model', () => {
  it('random register / remove / call sequences', () => {
    fc.assert(
      fc.property(
        config,
        fc.array(act, { minLength: 1, maxLength: 40 }),
        ([variant, frame, dispatch], acts) => {
          const tk = createTestKernel(readFileSync(testKernelFixture(variant)), {
            layout: { kind: 'kaslr', seed: 5 },
          });
          const k = tk.kernel;
          const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
          const g = functionGraph(ft);
          const live: LiveHook[] = [];
          const gone: LiveHook[] = [];
          let opSeq = 0;
          for (const a of acts) {
            if (a.k === 'reg') {
              const exit = countingExitCallback(k, `exit_${live.length + gone.length}`);
              const entry = a.decline
                ? countingEntryCallback(k, `entry_${live.length + gone.length}`, { hook: false })
                : undefined;
              const o = {
                name: `hook_${live.length + gone.length}`,
                filter: a.funcs.join(' '),
                exit: exit.func,
                ...(entry ? { entry: entry.func } : {}),
              };
              if (live.length === FGRAPH_ARRAY_SIZE) {
                expect(() => registerReturnHook(ft, o)).toThrow(KernelError);
                continue;
              }
              const hook = registerReturnHook(ft, o);
              live.push({
                hook,
                funcs: new Set(a.funcs),
                decline: a.decline,
                exit,
                entry,
                exits: 0n,
                entries: 0n,
              });
            } else if (a.k === 'unreg') {
              if (live.length === 0) continue;
              const [h] = live.splice(a.i % live.length, 1);
              unregisterReturnHook(ft, h!.hook);
              gone.push(h!);
            } else if (a.k === 'op') {
              const c = countingCallback(k, `op_cb_${opSeq}`);
              const ops = ft.newOps({ name: `plain_${opSeq++}`, func: c.func });
              ft.setFilter(ops, a.funcs.join(' '), { reset: true });
              ft.register(ops);
            } else {
              const c = a.c;
              const args =
                c.f === 'workload_entry'
                  ? [BigInt(c.a)]
                  : c.f === 'bpf_fentry_test2'
                    ? [BigInt(c.a), BigInt(c.b)]
                    : [BigInt(c.n)];
              expect(k.machine.call(tk.addr(c.f), args) & 0xffff_ffffn).toBe(expected(c));
              for (const [f, n] of runs(variant, c))
                for (const h of live)
                  if (h.funcs.has(f)) {
                    h.entries += BigInt(n);
                    if (!h.decline) h.exits += BigInt(n);
                  }
              expect(g.retStack(0)).toEqual([]);
            }
            for (const h of [...live, ...gone]) {
              expect(h.exit.count(), h.hook.name).toBe(h.exits);
              if (h.entry) expect(h.entry.count(), h.hook.name).toBe(h.entries);
            }
          }
          expect(g.overruns(0)).toBe(0);
          expect(g.hooks.length).toBe(live.length);
          expect(k.machine.icache.reports).toEqual([]);
        },
      ),
      { seed: 0x6a4d, numRuns: 300 },
    );
  });
});
