/**
 * BTI as a matrix (Arm ARM, PSTATE.BTYPE): {BR via x16/x17, BR via another register, BLR, RET} ×
 * {bti c, bti j, bti jc, paciasp, another instruction} on a guarded page. And PAC: a corrupted LR or a
 * different SP fails autiasp.
 */
import { describe, expect, test } from 'vitest';
import { MachineFault } from '../../src/machine/index.js';
import { machineWith } from './helpers.js';

const branches = {
  'br x16': 'br x16',
  'br x5': 'br x5',
  'blr x5': 'blr x5',
  'ret x5': 'ret x5',
} as const;
const landings = ['bti c', 'bti j', 'bti jc', 'paciasp', 'add x0, x0, #1'] as const;

// The Arm ARM's answer: may the branch land there? (SCTLR_EL1.BT1 = 1 for PACIASP, as Linux sets it.)
const allowed: Record<keyof typeof branches, Record<(typeof landings)[number], boolean>> = {
  'br x16': { 'bti c': true, 'bti j': true, 'bti jc': true, paciasp: true, 'add x0, x0, #1': false },
  'br x5': { 'bti c': false, 'bti j': true, 'bti jc': true, paciasp: false, 'add x0, x0, #1': false },
  'blr x5': { 'bti c': true, 'bti j': false, 'bti jc': true, paciasp: true, 'add x0, x0, #1': false },
  'ret x5': { 'bti c': true, 'bti j': true, 'bti jc': true, paciasp: true, 'add x0, x0, #1': true },
};

describe('BTI landing matrix on a guarded page', () => {
  for (const [bname, branch] of Object.entries(branches) as [keyof typeof branches, string][]) {
    for (const landing of landings) {
      const ok = allowed[bname][landing];
      test(`${branch} → ${landing}: ${ok ? 'lands' : 'BtiFault'}`, () => {
        const { m, labels } = machineWith(
          `caller:\n ${branch}\n.p2align 8\ntarget:\n ${landing}\n hvc #0xffff\n`,
          { guarded: true },
        );
        const cpu = m.cpus[0]!;
        cpu.setX(5, labels.get('target')!);
        cpu.setX(16, labels.get('target')!);
        const run = (): bigint => m.call(labels.get('caller')!, [41n]);
        if (ok) expect(run()).toBe(landing.startsWith('add') ? 42n : 41n);
        else {
          const e = (() => {
            try {
              run();
            } catch (err) {
              return err;
            }
          })();
          expect(e).toBeInstanceOf(MachineFault);
          expect((e as MachineFault).kind).toBe('BtiFault');
          expect((e as MachineFault).pc).toBe(labels.get('target'));
        }
      });
    }
  }

  test('with BTI off the same landings never fault', () => {
    const { m, labels } = machineWith(`caller:\n br x5\ntarget:\n add x0, x0, #1\n hvc #0xffff\n`, {
      guarded: true,
      bti: false,
    });
    m.cpus[0]!.setX(5, labels.get('target')!);
    expect(m.call(labels.get('caller')!, [1n])).toBe(2n);
  });
});

describe('pointer authentication', () => {
  test('paciasp/autiasp round trip returns normally', () => {
    const { m } = machineWith('paciasp\nautiasp\nret\n');
    expect(m.call(0xffff_8000_8000_0000n, [7n])).toBe(7n);
  });

  test('a corrupted LR fails autiasp', () => {
    const { m } = machineWith('paciasp\nadd x30, x30, #4\nautiasp\nret\n');
    expect(() => m.call(0xffff_8000_8000_0000n)).toThrowError(/PacFault.*autiasp/);
  });

  test('a different SP fails autiasp', () => {
    const { m } = machineWith('paciasp\nsub sp, sp, #16\nautiasp\nret\n');
    expect(() => m.call(0xffff_8000_8000_0000n)).toThrowError(/PacFault/);
  });

  test('the signed LR differs from the plain one, and with PAC off nothing changes', () => {
    const { m } = machineWith('paciasp\nmov x0, x30\nautiasp\nret\n');
    const signed = m.call(0xffff_8000_8000_0000n);
    expect(signed).not.toBe(0xffff_ffff_fffe_0000n);
    const off = machineWith('paciasp\nmov x0, x30\nautiasp\nret\n', { pac: false }).m;
    expect(off.call(0xffff_8000_8000_0000n)).toBe(0xffff_ffff_fffe_0000n);
  });
});
