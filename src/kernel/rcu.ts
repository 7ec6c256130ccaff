/**
 * Tasks-RCU grace periods, as ftrace and the BPF trampoline need them (`synchronize_rcu_tasks()`,
 * `call_rcu_tasks()`): code or data that a CPU may still be executing or reading — a dynamically allocated
 * `ftrace_ops`, an old direct-call hash, a retired trampoline image — is freed only after every CPU has
 * passed a *voluntary* context switch or is idle. A timer interrupt is not enough: the interrupted task
 * resumes where it was, possibly inside the old trampoline.
 *
 * The model: each CPU has a quiescent-state counter, bumped when its task reaches a schedule point
 * (`quiescent(cpu)`, also reachable from A64 as `hvc #HOSTCALL_SCHEDULE`, i.e. `cond_resched()`), and a CPU
 * that is not running a call at all (halted, or returned to the host) counts as idle. A callback queued with
 * `callRcuTasks` snapshots the counters and runs from `poll()` once every CPU was idle or moved past its
 * snapshot. `synchronize()` is the blocking form for a single-threaded caller: it requires every CPU to be
 * idle already (otherwise waiting would deadlock the host) and runs the ready callbacks.
 */
import type { Cpu } from '../machine/cpu.js';
import type { Machine } from '../machine/machine.js';
import { KernelError } from '../util/errors.js';

/** `hvc #0x4b02` = cond_resched(): a voluntary context switch of the calling CPU's task. */
export const HOSTCALL_SCHEDULE = 0x4b02;

interface Pending {
  readonly label: string;
  readonly snapshot: readonly number[];
  readonly fn: () => void;
}

export class RcuTasks {
  private readonly qs: number[];
  private readonly pending: Pending[] = [];
  /** Grace periods completed (callbacks run), for tests and statistics. */
  completed = 0;

  constructor(private readonly machine: Machine) {
    this.qs = machine.cpus.map(() => 0);
    machine.registerHostCall(HOSTCALL_SCHEDULE, {
      name: 'cond_resched',
      cycles: 20,
      fn: (cpu: Cpu) => this.quiescent(cpu.id),
    });
  }

  /** CPU `cpu`'s task passed a voluntary context switch; runs the callbacks that became ready. */
  quiescent(cpu: number): void {
    this.qs[cpu] = (this.qs[cpu] ?? 0) + 1;
    this.poll();
  }

  /** A CPU is idle when it is not executing a call (never given one, halted, faulted, or back at the host). */
  idle(cpu: number): boolean {
    const c = this.machine.cpus[cpu];
    return c === undefined || c.halted || c.stopRequested || c.pc === 0n;
  }

  /** Queue `fn` to run after a grace period that starts now. */
  callRcuTasks(label: string, fn: () => void): void {
    this.pending.push({ label, snapshot: [...this.qs], fn });
    this.poll();
  }

  /** Whether a grace period started at `snapshot` has elapsed. */
  private elapsed(snapshot: readonly number[]): boolean {
    return snapshot.every((q, cpu) => this.idle(cpu) || (this.qs[cpu] ?? 0) > q);
  }

  /**
   * A grace period that counted idle CPUs as quiescent relies on their leaving idle through an exception
   * (a context synchronisation): without it a CPU woken later could still run a stale decoded branch into
   * what the callback frees.
   */
  private markIdleCpus(snapshot: readonly number[]): void {
    snapshot.forEach((q, cpu) => {
      const c = this.machine.cpus[cpu];
      if (c && this.idle(cpu) && (this.qs[cpu] ?? 0) <= q) c.syncOnEntry = true;
    });
  }

  /** Run every queued callback whose grace period has elapsed (in queue order). */
  poll(): number {
    let ran = 0;
    for (let i = 0; i < this.pending.length;) {
      const p = this.pending[i]!;
      if (this.elapsed(p.snapshot)) {
        this.pending.splice(i, 1);
        this.markIdleCpus(p.snapshot);
        p.fn();
        this.completed++;
        ran++;
      } else i++;
    }
    return ran;
  }

  /** Callbacks still waiting for their grace period, by label. */
  waiting(): string[] {
    return this.pending.map((p) => p.label);
  }

  /**
   * synchronize_rcu_tasks() for a host-side caller: every CPU must be idle (a CPU mid-call could never
   * reach a schedule point while the host waits); then every pending callback runs.
   */
  synchronize(): void {
    const busy = this.machine.cpus.filter((c) => !this.idle(c.id)).map((c) => c.id);
    if (busy.length > 0) {
      throw new KernelError(
        'EBUSY',
        `synchronize_rcu_tasks: CPU ${busy.join(', ')} is still running; use callRcuTasks() and let the CPUs reach a schedule point`,
      );
    }
    this.poll();
  }
}
