/**
 * SMP: the seeded scheduler reproduces an interleaving from its seed; the per-CPU timer interrupts at its
 * period, only while DAIF.I is clear, and each interrupt is a context synchronisation.
 */
import { describe, expect, test } from 'vitest';
import { machineWith, CODE } from './helpers.js';
import { PERM_R, PERM_W } from '../../src/machine/index.js';

const DATA = 0xffff_8000_9000_0000n;
// Each CPU appends its id (x1) to a shared log at [x2] via an atomic fetch-add on the cursor.
const SRC = `
loop:
  mov x3, #8
  ldadd x3, x4, [x2]
  add x4, x4, #8
  str x1, [x2, x4]
  subs x0, x0, #1
  b.ne loop
  hvc #0xffff
`;

function interleaving(seed: number): string {
  const { m } = machineWith(SRC, { cpus: 3 });
  m.memory.map(DATA, 4096 * 4, PERM_R | PERM_W);
  for (const c of m.cpus) {
    m.prepareCall(c, CODE, [100n, BigInt(c.id), DATA]);
  }
  m.runAll({ mode: 'random', seed, quantum: 7 });
  for (const c of m.cpus) expect(c.fault).toBeUndefined();
  const n = Number(m.memory.read64(DATA)) / 8;
  expect(n).toBe(300);
  let s = '';
  for (let i = 1; i <= n; i++) s += String(m.memory.read64(DATA + 8n * BigInt(i)));
  return s;
}

describe('seeded scheduler', () => {
  test('the same seed gives the same interleaving, another seed another one', () => {
    const a = interleaving(5);
    expect(interleaving(5)).toBe(a);
    expect(interleaving(6)).not.toBe(a);
    for (const id of ['0', '1', '2']) expect(a.split(id).length - 1).toBe(100);
  });
});

describe('timer interrupt', () => {
  test('fires every period while unmasked, never while masked', () => {
    const { m } = machineWith(
      'msr daifclr, #2\nloop:\n subs x0, x0, #1\n b.ne loop\n msr daifset, #2\nloop2:\n subs x1, x1, #1\n b.ne loop2\n hvc #0xffff\n',
      {
        timer: { period: 1000 },
      },
    );
    let ticks = 0;
    m.onTimer = () => ticks++;
    m.call(CODE, [50_000n, 50_000n]);
    // 100,000 instructions with IRQs unmasked, then 100,000 masked.
    expect(ticks).toBeGreaterThanOrEqual(99);
    expect(ticks).toBeLessThanOrEqual(101);
  });
});

describe('breakpoints, step and the trace hook', () => {
  test('run stops at a breakpoint, step executes one instruction, the hook sees every instruction', () => {
    const { m } = machineWith('add x0, x0, #1\nadd x0, x0, #2\nadd x0, x0, #4\nhvc #0xffff\n');
    const cpu = m.cpus[0]!;
    cpu.addBreakpoint(CODE + 8n);
    m.prepareCall(cpu, CODE, [0n]);
    const seen: bigint[] = [];
    cpu.traceHook = (_c, pc) => seen.push(pc);
    cpu.run(100);
    expect(cpu.hitBreakpoint).toBe(true);
    expect(cpu.pc).toBe(CODE + 8n);
    expect(cpu.x(0)).toBe(3n);
    expect(cpu.step()).toBe(1);
    expect(cpu.x(0)).toBe(7n);
    cpu.removeBreakpoint(CODE + 8n);
    cpu.run(100);
    expect(seen).toEqual([CODE, CODE + 4n, CODE + 8n, CODE + 12n]);
  });
});
