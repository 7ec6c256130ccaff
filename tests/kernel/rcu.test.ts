import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { X } from '../../src/a64/builder.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { HOSTCALL_SCHEDULE } from '../../src/kernel/rcu.js';

/** A loop that spins `n` times, calling cond_resched() (hvc #HOSTCALL_SCHEDULE) every iteration when `resched`. */
function spinner(k: Kernel, resched: boolean): bigint {
  const a = new Asm();
  const top = a.label();
  a.bind(top);
  if (resched) a.hvc(HOSTCALL_SCHEDULE);
  a.sub(X[0]!, X[0]!, 1);
  a.cbnz(X[0]!, top);
  a.ret();
  const { bytes } = a.finish();
  const addr = k.allocExec(bytes.length, 'spinner');
  k.writeText(addr, bytes);
  return addr;
}

describe('tasks-RCU grace periods', () => {
  it('runs a callback at once when every CPU is idle', () => {
    const k = new Kernel({ machine: { cpus: 2 } });
    let ran = 0;
    k.rcu.callRcuTasks('free ops', () => ran++);
    expect(ran).toBe(1);
    expect(k.rcu.waiting()).toEqual([]);
  });

  it('waits for a busy CPU to reach a schedule point, not for an interrupt', () => {
    const k = new Kernel({ machine: { cpus: 2, timer: { period: 7 } } });
    const quiet = spinner(k, false);
    const polite = spinner(k, true);
    const [c0, c1] = k.machine.cpus;
    k.machine.prepareCall(c0!, quiet, [1000n]);
    k.machine.prepareCall(c1!, polite, [1000n]);
    c0!.run(10);
    c1!.run(10);
    let ran = 0;
    k.rcu.callRcuTasks('free image', () => ran++);
    expect(ran).toBe(0);
    // CPU 0 takes timer interrupts but never schedules: still no grace period.
    c0!.run(200);
    expect(ran).toBe(0);
    expect(() => k.rcu.synchronize()).toThrow(/CPU 0, 1 is still running/);
    // CPU 1 schedules; CPU 0 finishes its call (idle): now the callback runs.
    c1!.run(10);
    expect(ran).toBe(0);
    c0!.run(100_000);
    k.rcu.poll();
    expect(ran).toBe(1);
    expect(k.rcu.completed).toBe(1);
  });
});

describe('idle CPUs and stale code', () => {
  it('a CPU counted idle by a grace period re-enters through a context synchronisation', () => {
    const k = new Kernel({ machine: { cpus: 2, coherentIcache: false } });
    const a = new Asm();
    a.movImm(X[0]!, 1n);
    a.ret();
    const code = k.allocExec(64, 'f');
    k.writeText(code, a.finish().bytes);
    expect(k.machine.call(code, [], { cpu: 1 })).toBe(1n);
    // Patch the first word live on CPU 0 (full maintenance, but CPU 1 executes no ISB of its own).
    const b = new Asm();
    b.movImm(X[0]!, 2n);
    k.patcher.patchText(code, k.machine.memory.read32(code), b.finish().words[0]!);
    expect(k.machine.call(code, [], { cpu: 1 })).toBe(1n); // stale: CPU 1 never synchronised
    let freed = false;
    k.rcu.callRcuTasks('free', () => (freed = true));
    expect(freed).toBe(true);
    expect(k.machine.cpus[1]!.syncOnEntry).toBe(true);
    expect(k.machine.call(code, [], { cpu: 1 })).toBe(2n); // woke through an exception: new code
  });
});
