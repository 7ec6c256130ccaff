/**
 * tracefs as a library object: the files of /sys/kernel/tracing that tramp64 models, with the kernel's
 * read and write semantics (facts: shared/facts/ftrace-arm64.md §6). A write that fails throws a
 * KernelError with the errno the kernel's write() returns (EINVAL for no match, a bad glob, an unknown
 * tracer, a bad number or a file without a write method; EACCES for a file that does not exist, which
 * tracefs cannot create) and changes nothing. `bashError` turns one into the line bash prints.
 *
 * The files are parameterised over a `TracefsBackend`: FtraceCore alone (format golden tests: no
 * machine, so `trace` stays empty) or the live FtraceKernel with a TraceArray (real tracing).
 *
 *   set_ftrace_filter / set_ftrace_notrace   the hashes of `global_ops`, the function tracers' ops
 *                                            (`>` replaces, `>>` appends; globs, `!`, `mod:`, line numbers)
 *   current_tracer / available_tracers       nop, function, function_graph (when return hooks exist)
 *   tracing_on                               the A64-visible flag the tracer callbacks test first
 *   buffer_size_kb                           per-CPU ring-buffer size (live backend only)
 *   trace / trace_pipe                       ring-buffer text; `> trace` clears, trace_pipe consumes
 *   enabled_functions / touched_functions    t_show lines (format.ts)
 *   available_filter_functions(_addrs)
 *
 * Model choices: reading trace_pipe returns what is buffered instead of blocking; `echo bad >
 * set_ftrace_filter` leaves the old filter (the kernel's O_TRUNC open may already have emptied it);
 * function_graph's hook gets its own hash of what global_ops selects (filter minus notrace) instead of
 * sharing global_ops' hashes.
 */
import { KernelError, type Errno } from '../../util/errors.js';
import type { ReturnHook, ReturnHookOptions } from '../graph/graph.js';
import { FtraceHash, filterableRecords } from '../hash.js';
import { FtraceOps } from '../ops.js';
import type { DynFtrace } from '../records.js';
import { functionHeader, graphHeader } from '../tracers/output.js';
import { ENTRY } from '../tracers/ringbuf.js';
import type { TraceArray, TracerName } from '../tracers/trace.js';
import type { FtraceCore } from '../update.js';
import { availableFilterFunctions, availableFilterFunctionsAddrs, enabledFunctions } from './format.js';

export interface TracefsBackend {
  /** Records, ops list and direct_functions (what format.ts reads). */
  readonly core: FtraceCore;
  register(ops: FtraceOps): void;
  unregister(ops: FtraceOps): void;
  setFilter(ops: FtraceOps, text: string, opts: { reset: boolean; notrace?: boolean }): void;
  /** An ops with callback `func` (live: its memory copy exists for the A64 side). */
  newOps(name: string, func: bigint, funcName: string): FtraceOps;
  /** `%pS` of an address (`name+0xoff/0xsize [module]`). */
  readonly symbolize: (addr: bigint) => string;
  /** Address of function_trace_call when there is no TraceArray (format tests); default 1. */
  readonly functionTraceCall?: bigint;
  /** The ring buffers and tracer callbacks; without them `trace` is always empty. */
  readonly trace?: TraceArray;
  /** Return hooking; without it function_graph is not an available tracer. */
  readonly graph?: {
    register(o: ReturnHookOptions): ReturnHook;
    unregister(h: ReturnHook): void;
  };
}

/** Files, as `ls` lists them. */
export const TRACEFS_FILES = [
  'available_filter_functions',
  'available_filter_functions_addrs',
  'available_tracers',
  'buffer_size_kb',
  'current_tracer',
  'enabled_functions',
  'set_ftrace_filter',
  'set_ftrace_notrace',
  'touched_functions',
  'trace',
  'trace_pipe',
  'tracing_on',
] as const;

export type TracefsFile = (typeof TRACEFS_FILES)[number];

const WRITABLE = new Set<string>([
  'buffer_size_kb',
  'current_tracer',
  'set_ftrace_filter',
  'set_ftrace_notrace',
  'trace',
  'tracing_on',
]);

/** strerror() of the errnos tracefs returns, as bash prints them. */
const STRERROR: Partial<Record<Errno, string>> = {
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOMEM: 'Cannot allocate memory',
  ENOSPC: 'No space left on device',
  ENODEV: 'No such device',
  EPERM: 'Operation not permitted',
};

export function strerror(errno: Errno): string {
  return STRERROR[errno] ?? errno;
}

/**
 * The line bash prints for a failed `echo … > file` (`-bash: echo: write error: …`, or for an open that
 * failed `-bash: file: …`) or `cat file` (`cat: file: …`).
 */
export function bashError(e: KernelError, op: 'write' | 'open' | 'cat', file: string): string {
  const msg = strerror(e.errno);
  if (op === 'cat') return `cat: ${file}: ${msg}`;
  if (op === 'open') return `-bash: ${file}: ${msg}`;
  return `-bash: echo: write error: ${msg}`;
}

/** Raised when a file cannot be opened (unknown name); `op` tells the shell which bash line to print. */
export class TracefsOpenError extends KernelError {
  constructor(errno: Errno, file: string) {
    super(errno, `tracefs: no file '${file}' (ls lists the files)`);
  }
}

/** A hash as set_ftrace_filter text that selects exactly its records: their available_filter_functions line numbers. */
function hashAsLineNumbers(hash: FtraceHash, records: readonly DynFtrace[]): string {
  const out: string[] = [];
  filterableRecords(records).forEach((r, i) => {
    if (hash.has(r.ip)) out.push(String(i + 1));
  });
  return out.join(' ');
}

export class Tracefs {
  /** global_ops: owner of the set_ftrace_filter / set_ftrace_notrace hashes and the function tracer's ops. */
  readonly globalOps: FtraceOps;
  private tracer: TracerName = 'nop';
  private hook: ReturnHook | undefined;

  /** The kernel whose tracefs this is: v6.12 (default) or v6.1 (no O/M columns, no touched_functions,
   * no available_filter_functions_addrs — both came in v6.4/v6.5). */
  readonly version: '6.1' | '6.12';

  constructor(
    readonly backend: TracefsBackend,
    opts: { version?: '6.1' | '6.12' } = {},
  ) {
    this.version = opts.version ?? '6.12';
    const func = backend.trace?.text.functionTraceCall ?? backend.functionTraceCall ?? 1n;
    this.globalOps = backend.newOps('global_ops', func, 'function_trace_call');
  }

  get currentTracer(): TracerName {
    return this.tracer;
  }

  get availableTracers(): TracerName[] {
    return this.backend.graph && this.backend.trace
      ? ['function_graph', 'function', 'nop']
      : ['function', 'nop'];
  }

  ls(): string[] {
    return TRACEFS_FILES.filter((f) => this.known(f));
  }

  private known(file: string): file is TracefsFile {
    if (file === 'buffer_size_kb' && !this.backend.trace) return false;
    if (
      this.version === '6.1' &&
      (file === 'touched_functions' || file === 'available_filter_functions_addrs')
    )
      return false;
    return (TRACEFS_FILES as readonly string[]).includes(file);
  }

  /** The text `cat file` prints. Unknown file: ENOENT. */
  read(file: string): string {
    if (!this.known(file)) throw new TracefsOpenError('ENOENT', file);
    const core = this.backend.core;
    const sym = {
      symbolize: this.backend.symbolize,
      columns: this.version === '6.1' ? ('RID' as const) : ('RIDOM' as const),
    };
    switch (file) {
      case 'available_filter_functions':
        return availableFilterFunctions(core.records);
      case 'available_filter_functions_addrs':
        return availableFilterFunctionsAddrs(core.records);
      case 'available_tracers':
        return `${this.availableTracers.join(' ')}\n`;
      case 'current_tracer':
        return `${this.tracer}\n`;
      case 'buffer_size_kb':
        return `${this.backend.trace!.buffers.sizeKb}\n`;
      case 'enabled_functions':
        return enabledFunctions(core, sym);
      case 'touched_functions':
        return enabledFunctions(core, { ...sym, touched: true });
      case 'set_ftrace_filter':
        return this.globalOps.filterHash.empty
          ? '#### all functions enabled ####\n'
          : this.hashNames(this.globalOps.filterHash);
      case 'set_ftrace_notrace':
        return this.hashNames(this.globalOps.notraceHash);
      case 'tracing_on':
        return `${this.backend.trace?.tracingOn === false ? 0 : 1}\n`;
      case 'trace':
        return this.backend.trace ? this.backend.trace.trace(this.tracer) : emptyTrace(this.tracer);
      case 'trace_pipe':
        return this.backend.trace ? this.backend.trace.tracePipe(this.tracer) : '';
    }
  }

  private hashNames(hash: FtraceHash): string {
    return this.backend.core.records
      .filter((r) => hash.has(r.ip))
      .map((r) => (r.module ? `${r.name} [${r.module}]\n` : `${r.name}\n`))
      .join('');
  }

  /**
   * `echo text > file` (append false) or `echo text >> file` (append true). `text` is what echo writes,
   * newline included. Throws KernelError (nothing changed) as the kernel's write would fail.
   */
  write(file: string, text: string, opts: { append?: boolean } = {}): void {
    if (!this.known(file)) throw new TracefsOpenError('EACCES', file);
    if (!WRITABLE.has(file))
      throw new KernelError('EINVAL', `tracefs: ${file} is read-only (it has no write method)`);
    const append = opts.append ?? false;
    switch (file) {
      case 'set_ftrace_filter':
      case 'set_ftrace_notrace':
        return this.writeFilter(text, append, file === 'set_ftrace_notrace');
      case 'current_tracer':
        return this.setTracer(text.trim());
      case 'tracing_on': {
        const t = text.trim();
        // kstrtoul(…, 10): decimal digits only.
        if (!/^[0-9]+$/.test(t))
          throw new KernelError('EINVAL', `tracing_on: '${t}' is not a decimal number (write 0 or 1)`);
        const on = BigInt(t) !== 0n;
        if (this.backend.trace) this.backend.trace.tracingOn = on;
        return;
      }
      case 'buffer_size_kb':
        return this.resize(text.trim());
      case 'trace':
        // Opening with O_TRUNC (`>`) clears the buffers; the written bytes are ignored.
        if (!append) this.backend.trace?.reset();
        return;
    }
  }

  /**
   * buffer_size_kb: KiB per CPU (kstrtoul base 10, 0 is EINVAL). Model: rounded up to a power-of-two
   * number of pages (at least 2), at most 65536 KiB (ENOMEM beyond).
   */
  private resize(t: string): void {
    if (!/^[0-9]+$/.test(t) || BigInt(t) === 0n)
      throw new KernelError('EINVAL', `buffer_size_kb: '${t}' is not a positive decimal number of KiB`);
    const kb = Number(t);
    if (kb > 65536)
      throw new KernelError('ENOMEM', `buffer_size_kb: ${kb} KiB per CPU is more than the model's 65536`);
    const b = this.backend.trace!.buffers;
    const entries = Math.ceil((kb * 1024) / ENTRY.SIZE);
    let pages = 2;
    while (pages * b.slotsPerPage < entries) pages *= 2;
    b.resize(pages);
  }

  private writeFilter(text: string, append: boolean, notrace: boolean): void {
    // Validate and apply on global_ops; an error here leaves everything as it was.
    this.backend.setFilter(this.globalOps, text, { reset: !append, notrace });
    if (this.hook) this.syncHook(this.hook);
  }

  /**
   * The functions global_ops selects (filter minus notrace), as line numbers; undefined when that set is
   * empty (an empty filter text would mean every function).
   */
  private effectiveLines(): string | undefined {
    const g = this.globalOps;
    const lines: string[] = [];
    filterableRecords(this.backend.core.records).forEach((r, i) => {
      if (g.wantsIp(r.ip)) lines.push(String(i + 1));
    });
    return lines.length > 0 ? lines.join(' ') : undefined;
  }

  /**
   * Point the graph hook's ops at exactly what global_ops selects, narrowing before widening so no
   * function outside the selection is hooked (and touched) on the way.
   */
  private syncHook(hook: ReturnHook): void {
    const b = this.backend;
    const eff = this.effectiveLines();
    if (eff !== undefined) {
      b.setFilter(hook.ops, eff, { reset: true });
      if (!hook.ops.notraceHash.empty) b.setFilter(hook.ops, '', { reset: true, notrace: true });
    } else {
      const all = filterableRecords(b.core.records).map((_, i) => String(i + 1));
      b.setFilter(hook.ops, all.join(' '), { reset: true, notrace: true });
    }
  }

  private setTracer(name: string): void {
    if (!(this.availableTracers as string[]).includes(name))
      throw new KernelError(
        'EINVAL',
        `current_tracer: no tracer '${name}' (available_tracers: ${this.availableTracers.join(' ')})`,
      );
    const next = name as TracerName;
    if (next === this.tracer) return;
    // Nothing half-applied: if the new tracer cannot start, the old one is started again and
    // current_tracer still names it.
    this.stop();
    try {
      this.start(next);
    } catch (e) {
      this.start(this.tracer);
      throw e;
    }
    this.tracer = next;
  }

  private stop(): void {
    if (this.tracer === 'function') this.backend.unregister(this.globalOps);
    if (this.tracer === 'function_graph' && this.hook) {
      this.backend.graph!.unregister(this.hook);
      this.hook = undefined;
    }
  }

  private start(t: TracerName): void {
    const b = this.backend;
    if (t === 'nop') return;
    // function_trace_init / graph_trace_init start from empty buffers.
    b.trace?.reset();
    if (t === 'function') {
      b.register(this.globalOps);
      return;
    }
    const tr = b.trace!;
    tr.buffers.resetGraphDepth();
    // The hook starts on exactly the selected functions (filter minus notrace) when there are any.
    const eff = this.effectiveLines();
    const hook = b.graph!.register({
      name: 'graph_ops',
      filter: eff ?? hashAsLineNumbers(this.globalOps.filterHash, b.core.records),
      entry: tr.text.graphEntry,
      exit: tr.text.graphReturn,
    });
    if (eff === undefined) {
      try {
        this.syncHook(hook);
      } catch (e) {
        b.graph!.unregister(hook);
        throw e;
      }
    }
    this.hook = hook;
  }
}

/** `trace` of a backend without ring buffers: the header of an empty buffer. */
function emptyTrace(tracer: TracerName): string {
  return tracer === 'function_graph' ? graphHeader() : functionHeader(tracer, 0, 0, 1);
}

/** A backend on the pure core: formats only (no machine runs, so nothing is ever traced). */
export function coreBackend(
  core: FtraceCore,
  symbolize: (addr: bigint) => string,
  opts: { opsAddress?: (name: string) => bigint; functionTraceCall?: bigint } = {},
): TracefsBackend {
  return {
    ...(opts.functionTraceCall !== undefined ? { functionTraceCall: opts.functionTraceCall } : {}),
    core,
    register: (o) => core.register(o),
    unregister: (o) => core.unregister(o),
    setFilter: (o, t, f) => core.setFilter(o, t, f),
    newOps: (name, func, funcName) =>
      new FtraceOps({ name, func, funcName, address: opts.opsAddress?.(name) ?? 0n }),
    symbolize,
  };
}

/** The live FtraceKernel's surface tracefs needs (structural, so tests can pass a wrapper). */
export interface LiveFtrace {
  readonly core: FtraceCore;
  register(ops: FtraceOps): void;
  unregister(ops: FtraceOps): void;
  setFilter(ops: FtraceOps, text: string, opts: { reset: boolean; notrace?: boolean }): void;
  newOps(o: { name: string; func?: bigint; funcName?: string }): FtraceOps;
  readonly kernel: { readonly kallsyms: { format(addr: bigint): string } };
}

/** A backend on live ftrace with ring buffers and (optionally) return hooking. */
export function liveBackend(
  ft: LiveFtrace,
  trace: TraceArray,
  graph?: TracefsBackend['graph'],
): TracefsBackend {
  return {
    core: ft.core,
    register: (o) => ft.register(o),
    unregister: (o) => ft.unregister(o),
    setFilter: (o, t, f) => ft.setFilter(o, t, f),
    newOps: (name, func, funcName) => ft.newOps({ name, func, funcName }),
    symbolize: (a) => ft.kernel.kallsyms.format(a),
    trace,
    ...(graph ? { graph } : {}),
  };
}
