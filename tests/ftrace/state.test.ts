import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FL, FtraceOps, OPS_FL, type FtraceCore } from '../../src/ftrace/index.js';
import { KernelError } from '../../src/util/errors.js';
import { FTRACE_CALLER, MOD_PLT, flagNames, makeCore, reachable, snapshot } from './fixtures.js';

const NEAR_TRAMP = 0xffff800080200000n;
const FAR_TRAMP = 0xffff8000c0000000n;
const PATTERNS = ['f0', 'f1*', '*1', '*f*', 'f[0-1]', '?1', 'mod:m1', '!f1', '!*1', 'nosuch', 'g[', '*_fn'];

type Action =
  | { k: 'reg'; i: number }
  | { k: 'unreg'; i: number }
  | { k: 'filter'; i: number; p: string; reset: boolean; notrace: boolean }
  | { k: 'direct'; far: boolean }
  | { k: 'undirect' }
  | { k: 'modify'; far: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ k: fc.constant('reg' as const), i: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ k: fc.constant('unreg' as const), i: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    k: fc.constant('filter' as const),
    i: fc.integer({ min: 0, max: 3 }),
    p: fc.constantFrom(...PATTERNS),
    reset: fc.boolean(),
    notrace: fc.boolean(),
  }),
  fc.record({ k: fc.constant('direct' as const), far: fc.boolean() }),
  fc.record({ k: fc.constant('undirect' as const) }),
  fc.record({ k: fc.constant('modify' as const), far: fc.boolean() }),
);

/** Independent model: flags from the set of ops on each record, declaratively. */
function model(core: FtraceCore, last: Map<bigint, FtraceOps>, prev: Map<bigint, number>): void {
  for (const rec of core.records) {
    const ops = core.opsList.filter((o) => o.enabled && o.wantsIp(rec.ip));
    const n = ops.length;
    const old = prev.get(rec.ip) ?? 0;
    const sticky = old & (FL.TOUCHED | FL.MODIFIED);
    let want: number;
    if (n === 0) want = sticky;
    else {
      const direct = ops.some((o) => o.has(OPS_FL.DIRECT));
      const regs = ops.some((o) => o.has(OPS_FL.SAVE_REGS));
      const tramp = n === 1 && ops[0]!.trampoline !== 0n;
      const callOps = rec.callOpsSite && n === 1 && !last.get(rec.ip)!.needsAssist;
      want = n | FL.ENABLED | FL.TOUCHED | sticky;
      if (direct) want |= FL.DIRECT;
      if (regs) want |= FL.REGS | FL.REGS_EN;
      if (tramp) want |= FL.TRAMP | FL.TRAMP_EN;
      if (callOps) want |= FL.CALL_OPS;
      if (direct && n === 1) want |= FL.DIRECT_EN;
      if (callOps) want |= FL.CALL_OPS_EN;
      const EN = FL.ENABLED | FL.REGS_EN | FL.TRAMP_EN | FL.DIRECT_EN | FL.CALL_OPS_EN;
      if ((want & EN) >>> 0 !== (old & EN) >>> 0 && direct) want |= FL.MODIFIED;
    }
    want >>>= 0;
    expect(flagNames(rec.flags), rec.name).toEqual(flagNames(want));
    expect(rec.count, rec.name).toBe(n);
    prev.set(rec.ip, rec.flags);
    // The site.
    const s = core.site(rec.ip)!;
    if (n === 0) {
      expect(s.insn).toBe('nop');
      if (rec.callOpsSite) expect(s.literal).toBe(core.nopOps);
      continue;
    }
    expect(s.insn).toBe('bl');
    if (s.insn !== 'bl') continue;
    const d = core.directFunctions.get(rec.ip);
    let target = want & FL.DIRECT_EN && d !== undefined && reachable(rec.ip, d) ? d : FTRACE_CALLER;
    if (!reachable(rec.ip, target)) target = MOD_PLT;
    expect(s.target, rec.name).toBe(target);
    if (rec.callOpsSite) expect(s.literal).toBe(want & FL.CALL_OPS_EN ? ops[0] : core.listOps);
  }
}

describe('ftrace state machine against a reference model', () => {
  it('random register/unregister/filter/direct sequences', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 60 }), (acts) => {
        const core = makeCore();
        const ops = [
          new FtraceOps({ name: 'a_ops', func: 0xffff800080030000n, address: 0xffff800081000000n }),
          new FtraceOps({ name: 'b_ops', func: 0xffff800080030100n, flags: OPS_FL.RECURSION }),
          new FtraceOps({ name: 'c_ops', func: 0xffff800080030200n, flags: OPS_FL.SAVE_REGS_IF_SUPPORTED }),
        ];
        const dops = new FtraceOps({ name: 'd_ops', address: 0xffff800081000100n });
        let dAddr = 0n;
        const all = [...ops, dops];
        const last = new Map<bigint, FtraceOps>();
        const prev = new Map<bigint, number>();
        const touch = (o: FtraceOps, before: Set<bigint>): void => {
          for (const r of core.records)
            if (before.has(r.ip) || (o.enabled && o.wantsIp(r.ip))) last.set(r.ip, o);
        };
        const covered = (o: FtraceOps): Set<bigint> =>
          new Set(o.enabled ? core.records.filter((r) => o.wantsIp(r.ip)).map((r) => r.ip) : []);
        for (const a of acts) {
          const before = snapshot(core);
          try {
            switch (a.k) {
              case 'reg':
                core.register(ops[a.i]!);
                touch(ops[a.i]!, new Set());
                break;
              case 'unreg': {
                const c = covered(ops[a.i]!);
                core.unregister(ops[a.i]!);
                touch(ops[a.i]!, c);
                break;
              }
              case 'filter': {
                const o = all[a.i]!;
                const c = covered(o);
                core.setFilter(o, a.p, { reset: a.reset, notrace: a.notrace });
                if (o.enabled) touch(o, c);
                break;
              }
              case 'direct':
                core.registerDirect(dops, a.far ? FAR_TRAMP : NEAR_TRAMP);
                dAddr = a.far ? FAR_TRAMP : NEAR_TRAMP;
                touch(dops, new Set());
                break;
              case 'undirect': {
                const c = covered(dops);
                core.unregisterDirect(dops, dAddr);
                touch(dops, c);
                break;
              }
              case 'modify': {
                const c = covered(dops);
                core.modifyDirect(dops, a.far ? FAR_TRAMP : NEAR_TRAMP);
                dAddr = a.far ? FAR_TRAMP : NEAR_TRAMP;
                // the temporary stub ops is the last to leave every covered record
                if (c.size) for (const ip of c) last.set(ip, new FtraceOps({ name: 'tmp' }));
                break;
              }
            }
          } catch (e) {
            expect(e).toBeInstanceOf(KernelError);
            expect(snapshot(core)).toEqual(before);
          }
          model(core, last, prev);
        }
      }),
      { seed: 0x7a3964, numRuns: 300 },
    );
  });
});
