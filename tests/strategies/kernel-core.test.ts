/**
 * The ftrace core option the direct-call strategies configure (`DirectSitePolicy`, src/ftrace/update.ts),
 * on the pure state machine, against an independent model of what a site must hold:
 *
 *   no ops                          → nop
 *   only the direct ops             → 'bl-or-caller': bl <tramp> if in BL range, else bl ftrace_caller
 *                                     'bl-or-refuse': bl <tramp> (an out-of-range tramp never gets in)
 *                                     'caller':       bl ftrace_caller, always
 *   the direct ops and others       → bl ftrace_caller (the list, then the tail call)
 *
 * and under 'bl-or-refuse', registerDirect / modifyDirect to a trampoline out of BL range of any of the
 * ops' functions is ENOTSUPP with the core exactly as before. Random action sequences (fast-check, seeded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FtraceOps, type DirectSitePolicy, type SiteState } from '../../src/ftrace/index.js';
import { KernelError } from '../../src/util/errors.js';
import { FTRACE_CALLER, makeCore, reachable, snapshot } from '../ftrace/fixtures.js';

const NEAR = 0xffff800080200000n;
const FAR = 0xffff8000c0000000n;
const FUNCS = ['f0', 'f1', 'f2', 'g1'] as const;

type Action =
  | { k: 'op'; on: boolean; funcs: string[] }
  | { k: 'direct'; far: boolean; funcs: string[] }
  | { k: 'modify'; far: boolean }
  | { k: 'undirect' };

const funcs = fc.subarray([...FUNCS], { minLength: 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ k: fc.constant('op' as const), on: fc.boolean(), funcs }),
  fc.record({ k: fc.constant('direct' as const), far: fc.boolean(), funcs }),
  fc.record({ k: fc.constant('modify' as const), far: fc.boolean() }),
  fc.record({ k: fc.constant('undirect' as const) }),
);

const POLICIES: DirectSitePolicy[] = ['bl-or-caller', 'bl-or-refuse', 'caller'];

describe.each(POLICIES)('directSites %s', (policy) => {
  it('every site holds what the model says; refusals change nothing', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 14 }), (actions) => {
        const core = makeCore({ directSites: policy });
        const other = new FtraceOps({ name: 'other', func: 0xffff800080030000n });
        const direct = new FtraceOps({ name: 'direct' });
        let tramp = 0n;
        for (const a of actions) {
          const before = snapshot(core);
          let refused = false;
          const want = (addr: bigint, ips: bigint[]): boolean =>
            policy === 'bl-or-refuse' && ips.some((ip) => !reachable(ip, addr));
          try {
            if (a.k === 'op') {
              if (other.enabled) core.unregister(other);
              if (a.on) {
                core.setFilter(other, a.funcs.join(' '), { reset: true });
                core.register(other);
              }
            } else if (a.k === 'direct') {
              if (direct.enabled) continue;
              core.setFilter(direct, a.funcs.join(' '), { reset: true });
              const addr = a.far ? FAR : NEAR;
              refused = want(addr, direct.filterHash.values());
              core.registerDirect(direct, addr);
              tramp = addr;
            } else if (a.k === 'modify') {
              if (!direct.enabled) continue;
              const addr = a.far ? FAR : NEAR;
              refused = want(addr, direct.filterHash.values());
              core.modifyDirect(direct, addr);
              tramp = addr;
            } else if (direct.enabled) {
              core.unregisterDirect(direct, tramp);
            }
            expect(refused).toBe(false);
          } catch (e) {
            expect(refused).toBe(true);
            expect(e).toBeInstanceOf(KernelError);
            expect((e as KernelError).errno).toBe('ENOTSUPP');
            expect(snapshot(core)).toEqual(before);
          }
          for (const rec of core.records) {
            if (rec.module !== undefined) continue;
            const mine = direct.enabled && direct.wantsIp(rec.ip);
            const n = (mine ? 1 : 0) + (other.enabled && other.wantsIp(rec.ip) ? 1 : 0);
            let target: bigint | undefined;
            if (n === 1 && mine) {
              const bl = policy !== 'caller' && reachable(rec.ip, tramp);
              if (policy === 'bl-or-refuse') expect(reachable(rec.ip, tramp)).toBe(true);
              target = bl ? tramp : FTRACE_CALLER;
            } else if (n > 0) target = FTRACE_CALLER;
            const s = core.site(rec.ip) as SiteState;
            expect([rec.name, s.insn === 'bl' ? s.target : undefined]).toEqual([rec.name, target]);
          }
        }
      }),
      { seed: 10, numRuns: 150 },
    );
  });
});
