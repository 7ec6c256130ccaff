/**
 * The global trace array of the emulated kernel: per-CPU ring buffers (ringbuf.ts), the tracer callbacks
 * in A64 (callbacks.ts), and the host's views of them — `trace` (non-consuming, with the header),
 * `trace_pipe` (consuming), reset (`echo > trace`), `tracing_on`.
 *
 * Tasks: the model runs one task per CPU (Kernel.tasks, `current` in SP_EL0). They are named
 * `tramp64/<cpu>` with pid 1000 + cpu (a model choice; the kernel would print the comm and pid of whatever
 * task made the call). An entry whose task pointer is not one of them prints as `<...>-0`.
 */
import type { Kernel } from '../../kernel/kernel.js';
import { buildTracerText, type TracerText } from './callbacks.js';
import {
  functionHeader,
  functionLines,
  graphHeader,
  graphLines,
  type RenderContext,
  type TaskInfo,
} from './output.js';
import { TraceBuffers, type RingBufferOptions, type TraceEntry } from './ringbuf.js';

export type TracerName = 'nop' | 'function' | 'function_graph';

export class TraceArray {
  readonly buffers: TraceBuffers;
  readonly text: TracerText;

  constructor(
    readonly kernel: Kernel,
    opts: RingBufferOptions = {},
  ) {
    this.buffers = new TraceBuffers(kernel, opts);
    this.text = buildTracerText(kernel, this.buffers.ta);
  }

  get nrCpus(): number {
    return this.kernel.machine.cpus.length;
  }

  get tracingOn(): boolean {
    return this.buffers.tracingOn;
  }

  set tracingOn(on: boolean) {
    this.buffers.tracingOn = on;
  }

  taskInfo(ptr: bigint): TaskInfo {
    const i = this.kernel.tasks.indexOf(ptr);
    return i < 0 ? { comm: '<...>', pid: 0 } : { comm: `tramp64/${i}`, pid: 1000 + i };
  }

  /** `%ps`: symbol name (`name [module]`) or the hex address when kallsyms does not know it. */
  ps(addr: bigint): string {
    const l = this.kernel.kallsyms.lookup(addr);
    if (!l) return `0x${addr.toString(16)}`;
    return l.sym.module ? `${l.sym.name} [${l.sym.module}]` : l.sym.name;
  }

  renderContext(): RenderContext {
    return { ps: (a) => this.ps(a), task: (p) => this.taskInfo(p), nrCpus: this.nrCpus };
  }

  /** Unread entries per CPU; `consume` moves each CPU's read position past them (trace_pipe). */
  entries(consume = false): TraceEntry[][] {
    return this.buffers.buffers.map((_, cpu) => this.buffers.entries(cpu, consume));
  }

  /** get_total_entries: entries in the buffers, and entries + overrun (entries-written). */
  totals(): { entries: number; written: number; overrun: number } {
    let entries = 0;
    let overrun = 0;
    for (let c = 0; c < this.nrCpus; c++) {
      const s = this.buffers.stats(c);
      entries += s.entries;
      overrun += s.overrun;
    }
    return { entries, written: entries + overrun, overrun };
  }

  /** The text of `trace` for the current tracer. */
  trace(tracer: TracerName): string {
    const ctx = this.renderContext();
    const per = this.entries(false);
    if (tracer === 'function_graph') return graphHeader() + graphLines(per, ctx).join('');
    const t = this.totals();
    return functionHeader(tracer, t.entries, t.written, this.nrCpus) + functionLines(per, ctx).join('');
  }

  /** The text `trace_pipe` returns now (consuming it); empty when nothing is buffered. */
  tracePipe(tracer: TracerName): string {
    const ctx = this.renderContext();
    const per = this.entries(true);
    return (tracer === 'function_graph' ? graphLines(per, ctx) : functionLines(per, ctx)).join('');
  }

  /** `echo > trace`. */
  reset(): void {
    this.buffers.reset();
  }
}
