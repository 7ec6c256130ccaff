/**
 * `trace` / `trace_pipe` text from ring-buffer entries, in the v6.12 formats (facts:
 * shared/facts/ftrace-arm64.md §6; format strings of kernel/trace/trace.c print_func_help_header_irq and
 * print_event_info, trace_output.c trace_print_context / trace_print_lat_fmt / trace_fn_trace, and
 * trace_functions_graph.c with its default flags CPU | OVERHEAD | DURATION):
 *
 *   function        `%16s-%-7d [%03d] %c%c%c%c%c %5lu.%06lu: func <-parent`
 *   function_graph  ` %*d) ` CPU, `%c ` overhead mark, duration `N.NNN us ` padded to 8, `|  `, two spaces
 *                   per depth, then `func();` (leaf: entry immediately followed by its return on that CPU),
 *                   `func() {` or `}` (`} /* func *\/` when the entry was lost)
 *
 * Pure functions of their inputs: symbol printing (`%ps`) and task names are the caller's.
 */
import { CNTFRQ } from '../../machine/exec/sys.js';
import { TRACE_FLAG_IRQS_OFF, TRACE_TYPE, type TraceEntry } from './ringbuf.js';

export interface TaskInfo {
  readonly comm: string;
  readonly pid: number;
}

export interface RenderContext {
  /** `%ps`: the symbol name of an address (`name [module]`), or its hex value when unknown. */
  readonly ps: (addr: bigint) => string;
  /** The task a `current` (task_struct) pointer names; `<...>` with its pid when unknown. */
  readonly task: (ptr: bigint) => TaskInfo;
  /** num_online_cpus(). */
  readonly nrCpus: number;
}

/** CNTVCT_EL0 ticks → nanoseconds (the trace clock). */
export function ticksToNs(ticks: bigint): bigint {
  return (ticks * 1_000_000_000n) / BigInt(CNTFRQ);
}

/** `%5lu.%06lu` of a nanosecond timestamp (seconds.microseconds). */
export function formatTimestamp(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const usec = (ns % 1_000_000_000n) / 1000n;
  return `${sec.toString().padStart(5)}.${usec.toString().padStart(6, '0')}`;
}

/** trace_print_lat_fmt: irqs-off, need-resched, hardirq/softirq, preempt-depth, migrate-disable. */
export function latFmt(flags: number): string {
  return `${flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.'}....`;
}

/** trace_print_context + trace_fn_trace: one function tracer line (with newline). */
export function functionLine(e: TraceEntry, ctx: RenderContext, printParent = true): string {
  const t = ctx.task(e.task);
  let s = `${t.comm.padStart(16)}-${String(t.pid).padEnd(7)} [${String(e.cpu).padStart(3, '0')}] `;
  s += `${latFmt(e.flags)} ${formatTimestamp(ticksToNs(e.ts))}: ${ctx.ps(e.ip)}`;
  if (printParent && e.parent !== 0n) s += ` <-${ctx.ps(e.parent)}`;
  return `${s}\n`;
}

/**
 * The `trace` header of the function and nop tracers (print_func_help_header_irq without TGID: each
 * `%.*s` takes the first 2 characters of its argument).
 */
export function functionHeader(tracer: string, entries: number, written: number, nrCpus: number): string {
  const lead = `#${' '.repeat(28)}  `;
  return (
    `# tracer: ${tracer}\n#\n` +
    `# entries-in-buffer/entries-written: ${entries}/${written}   #P:${nrCpus}\n#\n` +
    `${lead}  _-----=> irqs-off/BH-disabled\n` +
    `${lead} / _----=> need-resched\n` +
    `${lead}| / _---=> hardirq/softirq\n` +
    `${lead}|| / _--=> preempt-depth\n` +
    `${lead}||| / _-=> migrate-disable\n` +
    `${lead}|||| /     delay\n` +
    '#           TASK-PID  ' +
    '  ' +
    ' CPU#  |||||  TIMESTAMP  FUNCTION\n' +
    '#              | |    ' +
    '  ' +
    '   |   |||||     |         |\n'
  );
}

/** The function_graph header with the default flags (CPU, OVERHEAD, DURATION). */
export function graphHeader(): string {
  return (
    '# tracer: function_graph\n#\n' +
    '# CPU  DURATION                  FUNCTION CALLS\n' +
    '# |     |   |                     |   |   |   |\n'
  );
}

/** trace_find_mark: the overhead mark of a duration in ns. */
export function overheadMark(ns: bigint): string {
  const marks: [bigint, string][] = [
    [1_000_000_000n, '$'],
    [100_000_000n, '@'],
    [10_000_000n, '*'],
    [1_000_000n, '#'],
    [100_000n, '!'],
    [10_000n, '+'],
  ];
  for (const [limit, m] of marks) if (ns > limit) return m;
  return ' ';
}

/** trace_print_graph_duration: `usecs[.nsecs] us ` padded to the column (at most 7 digits shown). */
export function graphDuration(ns: bigint): string {
  const usecs = (ns / 1000n).toString();
  const rem = (ns % 1000n).toString().padStart(3, '0');
  let s = usecs;
  let len = usecs.length;
  if (len < 7) {
    const frac = rem.slice(0, Math.min(4, 7 - len));
    s += `.${frac}`;
    len += frac.length + 1;
  }
  s += ' us ';
  return s + ' '.repeat(Math.max(0, 8 - len));
}

function graphCpu(cpu: number, nrCpus: number): string {
  const width = String(Math.max(0, nrCpus - 1)).length;
  return ` ${String(cpu).padStart(width)}) `;
}

interface GraphItem {
  readonly ts: bigint;
  readonly cpu: number;
  readonly seq: number;
  readonly text: string;
}

/**
 * function_graph lines for the entries of each CPU (oldest first per CPU), merged by timestamp. A CPU's
 * `enter_funcs` (which function each depth opened) decides whether a closing brace names its function.
 */
export function graphLines(perCpu: readonly (readonly TraceEntry[])[], ctx: RenderContext): string[] {
  const items: GraphItem[] = [];
  perCpu.forEach((list, cpu) => {
    const enter = new Map<number, bigint>();
    let seq = 0;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      const head = graphCpu(cpu, ctx.nrCpus);
      const indent = ' '.repeat(e.depth * 2);
      if (e.type === TRACE_TYPE.GRAPH_ENT) {
        const next = list[i + 1];
        if (next && next.type === TRACE_TYPE.GRAPH_RET && next.ip === e.ip && next.task === e.task) {
          const d = ticksToNs(next.ts - next.calltime);
          enter.delete(e.depth);
          items.push({
            ts: e.ts,
            cpu,
            seq: seq++,
            text: `${head}${overheadMark(d)} ${graphDuration(d)}|  ${indent}${ctx.ps(e.ip)}();\n`,
          });
          i++;
          continue;
        }
        enter.set(e.depth, e.ip);
        items.push({
          ts: e.ts,
          cpu,
          seq: seq++,
          text: `${head}              |  ${indent}${ctx.ps(e.ip)}() {\n`,
        });
      } else if (e.type === TRACE_TYPE.GRAPH_RET) {
        const d = ticksToNs(e.ts - e.calltime);
        const match = enter.get(e.depth) === e.ip;
        enter.delete(e.depth);
        const close = match ? '}' : `} /* ${ctx.ps(e.ip)} */`;
        items.push({
          ts: e.ts,
          cpu,
          seq: seq++,
          text: `${head}${overheadMark(d)} ${graphDuration(d)}|  ${indent}${close}\n`,
        });
      }
    }
  });
  return mergeByTime(items).map((i) => i.text);
}

/** The trace iterator's order: smallest timestamp first, CPU order on ties, buffer order within a CPU. */
export function mergeByTime<T extends { ts: bigint; cpu: number; seq: number }>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    a.ts !== b.ts ? (a.ts < b.ts ? -1 : 1) : a.cpu !== b.cpu ? a.cpu - b.cpu : a.seq - b.seq,
  );
}

/** Function tracer lines for the entries of each CPU, merged by timestamp. Non-FN entries are skipped. */
export function functionLines(perCpu: readonly (readonly TraceEntry[])[], ctx: RenderContext): string[] {
  const items = perCpu.flatMap((list, cpu) =>
    list.map((e, seq) => ({ ts: e.ts, cpu, seq, e })).filter((x) => x.e.type === TRACE_TYPE.FN),
  );
  return mergeByTime(items).map((x) => functionLine(x.e, ctx));
}
