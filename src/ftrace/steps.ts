/**
 * The steps of a live ftrace update (live.ts): each is one write or one wait, applied in order by a
 * `StepQueue` — all at once ('sync'), or one per `step()` so other CPUs run between any two writes (a control
 * CPU calling `hvc #HOSTCALL_FTRACE_STEP`). Waits model what the kernel waits for: a tasks-RCU grace period
 * (synchronize_rcu_tasks before freeing or before switching the global function), and IPIs (ftrace_sync_ipi /
 * kick_all_cpus_sync: a context synchronisation event on every other CPU).
 */
import type { Kernel } from '../kernel/kernel.js';

/** One queued write or wait. `run` returns false while it must be retried (a grace period in progress). */
export interface FtraceStep {
  readonly what: string;
  readonly run: () => boolean;
}

/** Test-only protocol breakers (each must be caught by the concurrency harness). */
export interface FtraceMutations {
  /** Write the NOP/BL before the CALL_OPS literal. */
  readonly blBeforeLiteral?: boolean;
  /** Leave out DC CVAU / IC IVAU / DSB / ISB after each text write. */
  readonly skipMaintenance?: boolean;
  /** Free dynamic ops and old hashes at once instead of after a tasks-RCU grace period. */
  readonly noGracePeriod?: boolean;
}

/** A 64-bit data store (function_trace_op, ops->direct_call, a published pointer). */
export function writeStep(kernel: Kernel, what: string, addr: bigint, value: bigint): FtraceStep {
  return {
    what,
    run: () => {
      kernel.machine.memory.write64(addr, value);
      return true;
    },
  };
}

/**
 * An IPI to every other CPU (ftrace_sync_ipi / kick_all_cpus_sync): the interrupt is a context
 * synchronisation event on each, so a text change the patching CPU completed is visible everywhere.
 */
export function ipiStep(kernel: Kernel, label: string): FtraceStep {
  return {
    what: `IPI (${label})`,
    run: () => {
      const me = kernel.patcher.cpu;
      for (const c of kernel.machine.cpus) if (c.id !== me) kernel.machine.icache.contextSync(c);
      return true;
    },
  };
}

/** Wait for a tasks-RCU grace period that starts when this step first runs (synchronize_rcu_tasks). */
export function gpStep(kernel: Kernel, mutations: FtraceMutations, label: string): FtraceStep {
  let state: 'new' | 'waiting' | 'done' = 'new';
  return {
    what: `synchronize_rcu_tasks (${label})`,
    run: () => {
      if (mutations.noGracePeriod) return true;
      if (state === 'new') {
        state = 'waiting';
        kernel.rcu.callRcuTasks(label, () => {
          state = 'done';
        });
      }
      return state === 'done';
    },
  };
}

/** call_rcu_tasks(fn): queued when the step runs, `fn` after a grace period; the queue does not wait. */
export function rcuStep(
  kernel: Kernel,
  mutations: FtraceMutations,
  label: string,
  fn: () => void,
): FtraceStep {
  return {
    what: `call_rcu_tasks (${label})`,
    run: () => {
      if (mutations.noGracePeriod) fn();
      else kernel.rcu.callRcuTasks(label, fn);
      return true;
    },
  };
}

/** Steps in order; `head` is the next one (an index, so draining a bulk update stays linear). */
export class StepQueue {
  private queue: FtraceStep[] = [];
  private head = 0;
  /** Steps applied so far. */
  applied = 0;

  constructor(private readonly kernel: Kernel) {}

  push(steps: readonly FtraceStep[]): void {
    for (const st of steps) this.queue.push(st);
  }

  get pending(): readonly FtraceStep[] {
    return this.queue.slice(this.head);
  }

  /** Number of steps not applied yet. */
  get size(): number {
    return this.queue.length - this.head;
  }

  private advance(): void {
    this.head++;
    this.applied++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** Apply one step (or retry a waiting one). Returns whether steps remain. */
  step(): boolean {
    const s = this.queue[this.head];
    if (s === undefined) return false;
    if (s.run()) this.advance();
    return this.head < this.queue.length;
  }

  /**
   * Apply steps until the queue is empty or a grace period cannot complete yet (a CPU is mid-call); returns
   * whether steps remain.
   */
  drain(): boolean {
    while (this.head < this.queue.length) {
      const s = this.queue[this.head]!;
      if (!s.run()) {
        this.kernel.rcu.poll();
        if (!s.run()) return true;
      }
      this.advance();
    }
    return false;
  }
}
