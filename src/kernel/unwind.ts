/**
 * The frame-record unwinder: from a CPU's pc / fp / lr (typically stopped at a breakpoint), the call stack
 * as `%pS` strings (`name+0xoff/0xsize [module]`), the way arm64's `arch_stack_walk` / `dump_backtrace`
 * walk it. It answers the "reliable stacktrace" question of the seed thread with data: every stop is a
 * typed `UnwindEnd`, and `reliable` says whether the walk reached a known end without guessing.
 *
 * AAPCS64 frame records (the kernel builds with -fno-omit-frame-pointer): a function's prologue stores
 * `{x29, x30}` — the caller's frame record address and its own return address — as a 16-byte record and
 * points x29 at it. Walking is therefore:
 *
 *     fp ──► [ next fp | return address ] ──► [ next fp | return address ] ──► … ──► [ 0 | … ]
 *
 * Return addresses are signed with PACIASP in a pac-ret kernel, so each is stripped (bit 55 extended over
 * the PAC field, as `ptrauth_strip_kernel_insn_pac` does) before it is symbolised.
 *
 * Table-driven knowledge: the walk itself knows nothing about ftrace or BPF. ftrace_caller's two frame
 * records (the call site's `{x29, x9}` and its own `{x29, x30}`) and a trampoline's records are ordinary
 * records, so they unwind without help. What a walker cannot know from memory alone — e.g. that
 * `return_to_handler` stands for a return address saved on the task's return stack — comes in as
 * `UnwindFixup` hooks (src/ftrace/graph provides that one), mirroring the kernel's
 * `kunwind_recover_return_address`.
 *
 * The leaf case: when the pc is in a function whose prologue has not run yet (a breakpoint on its first
 * instruction, or a leaf that never builds a record), its caller is only in lr; `leaf: true` reports lr
 * as the second frame and starts the record walk at the unchanged x29.
 */
import type { Cpu } from '../machine/cpu.js';
import { RETURN_TRAMPOLINE } from '../machine/index.js';
import { Tramp64Error } from '../util/errors.js';
import type { Kernel } from './kernel.js';

/** Where the walk starts (a CPU's registers, or values a test builds). */
export interface UnwindStart {
  readonly pc: bigint;
  /** x29: the current frame record. */
  readonly fp: bigint;
  /** x30: needed in leaf mode only. */
  readonly lr?: bigint;
  /** SP: records must lie at or above it (a record below SP is dead stack). */
  readonly sp?: bigint;
}

/** What a fixup hook sees for one return address. */
export interface UnwindFixupContext {
  readonly kernel: Kernel;
  /**
   * The frame pointer that goes with this return address: the `next fp` stored beside it in the same
   * record (or x29 itself for the lr of a leaf) — i.e. the caller's frame record, which is what arm64 keys
   * the function-graph return stack by (HAVE_FUNCTION_GRAPH_RET_ADDR_PTR).
   */
  readonly fp: bigint;
  /** Index of the frame being produced. */
  readonly depth: number;
}

/**
 * Knowledge a walker cannot derive from memory alone. `recover` is asked about every return address (after
 * PAC stripping); it returns the real address, or undefined when the address is not its concern. Throwing
 * `UnwindFixupError` ends the walk with `fixup-failed` (e.g. no return-stack entry matches).
 */
export interface UnwindFixup {
  readonly name: string;
  /** Called once at the start of every walk (reset per-walk cursors). */
  begin?(): void;
  recover(pc: bigint, ctx: UnwindFixupContext): bigint | undefined;
}

/** Thrown by a fixup hook that owns an address but cannot recover it; the walk ends with `fixup-failed`. */
export class UnwindFixupError extends Tramp64Error {
  constructor(message: string) {
    super('UNWIND_FIXUP', message);
  }
}

export interface UnwindOptions {
  /** The pc's function has not saved lr in a record (before its prologue, or a frameless leaf). */
  readonly leaf?: boolean;
  /** Stop after the first frame in one of these functions (the workload's entry). */
  readonly stopAt?: readonly string[];
  /** Hard limit on frames (default 64). */
  readonly maxDepth?: number;
  /** The stack the records must lie in, [lo, hi) (default: SP, if given, to +∞). */
  readonly stack?: { readonly lo: bigint; readonly hi: bigint };
  readonly fixups?: readonly UnwindFixup[];
}

/** How a frame's pc was found. */
export type FrameSource = 'pc' | 'lr' | 'record';

export interface UnwindFrame {
  /** The (stripped, fixed-up) address: the pc for frame 0, else a return address. */
  readonly pc: bigint;
  /** `%pS`: `name+0xoff/0xsize [module]`, or the bare hex address when no symbol covers it. */
  readonly text: string;
  readonly symbol: string | undefined;
  readonly offset: bigint | undefined;
  readonly module: string | undefined;
  readonly source: FrameSource;
  /** Address of the record the return address came from (0 for the pc and a leaf's lr). */
  readonly record: bigint;
  /** Set when a fixup replaced the address read from the stack. */
  readonly recovered?: { readonly from: bigint; readonly by: string };
}

/**
 * Why the walk stopped:
 *   final              a record whose next fp is 0 (the outermost frame; the kernel's final record)
 *   return-trampoline  a return address into the machine's host-return page (`Machine.call` set it up)
 *   stop               a frame in one of `stopAt` was reached
 *   bad-fp             a frame pointer misaligned, outside the stack, or unmapped
 *   loop               a record does not lead to a higher address (a cycle or a corrupted chain)
 *   unknown-pc         an address no symbol covers (not kernel text)
 *   fixup-failed       a fixup hook could not recover an address it owns
 *   depth              maxDepth frames were produced
 */
export type UnwindEnd =
  'final' | 'return-trampoline' | 'stop' | 'bad-fp' | 'loop' | 'unknown-pc' | 'fixup-failed' | 'depth';

export interface UnwindResult {
  readonly frames: readonly UnwindFrame[];
  readonly end: UnwindEnd;
  /** What went wrong, for the ends that are not clean. */
  readonly reason?: string;
  /** The walk reached a clean end ('final', 'return-trampoline', 'stop') and named every frame. */
  readonly reliable: boolean;
}

const MASK64 = (1n << 64n) - 1n;
/** Bits [63:48] hold the PAC field and bit 55 on a 48-bit-VA kernel with TBI off (see machine/pac.ts). */
const PAC_FIELD = 0xffff_0000_0000_0000n;
const BIT55 = 1n << 55n;

/** Strip a pointer-authentication code: extend bit 55 over the PAC field (ptrauth_strip_kernel_insn_pac). */
export function stripPac(addr: bigint): bigint {
  const a = addr & MASK64;
  return a & BIT55 ? a | PAC_FIELD : a & ~PAC_FIELD;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** Unwind from explicit register values. */
export function unwind(kernel: Kernel, start: UnwindStart, opts: UnwindOptions = {}): UnwindResult {
  const mem = kernel.machine.memory;
  const maxDepth = opts.maxDepth ?? 64;
  const stopAt = new Set(opts.stopAt ?? []);
  const lo = opts.stack?.lo ?? start.sp ?? 0n;
  const hi = opts.stack?.hi ?? MASK64 + 1n;
  const fixups = opts.fixups ?? [];
  for (const f of fixups) f.begin?.();
  const frames: UnwindFrame[] = [];

  const finish = (end: UnwindEnd, reason?: string): UnwindResult => ({
    frames,
    end,
    ...(reason === undefined ? {} : { reason }),
    reliable:
      (end === 'final' || end === 'return-trampoline' || end === 'stop') &&
      frames.every((f) => f.symbol !== undefined),
  });

  /** Symbolise and push one frame; returns an end when the walk must stop at it. */
  const push = (
    raw: bigint,
    source: FrameSource,
    record: bigint,
    fp: bigint,
  ): { end: UnwindEnd; reason?: string } | undefined => {
    let pc = source === 'pc' ? raw & MASK64 : stripPac(raw);
    let recovered: UnwindFrame['recovered'];
    for (const f of fixups) {
      // A recovered address may itself be one a hook owns (two return hooks on one function), so ask again.
      for (let guard = 0; guard < 64; guard++) {
        let r: bigint | undefined;
        try {
          r = f.recover(pc, { kernel, fp, depth: frames.length });
        } catch (e) {
          if (!(e instanceof UnwindFixupError)) throw e;
          return { end: 'fixup-failed', reason: `${f.name}: ${e.message}` };
        }
        // Not `r === pc`: a hook may map return_to_handler to return_to_handler (the next entry says more).
        if (r === undefined) break;
        recovered ??= { from: pc, by: f.name };
        pc = stripPac(r);
      }
    }
    if (source !== 'pc' && pc === RETURN_TRAMPOLINE) return { end: 'return-trampoline' };
    const hit = kernel.kallsyms.lookup(pc);
    frames.push({
      pc,
      text: kernel.kallsyms.format(pc),
      symbol: hit?.sym.name,
      offset: hit?.offset,
      module: hit?.sym.module,
      source,
      record,
      ...(recovered ? { recovered } : {}),
    });
    if (!hit) return { end: 'unknown-pc', reason: `${hex(pc)} is not in any symbol` };
    if (stopAt.has(hit.sym.name)) return { end: 'stop' };
    if (frames.length >= maxDepth) return { end: 'depth', reason: `stopped after ${maxDepth} frames` };
    return undefined;
  };

  let stop = push(start.pc, 'pc', 0n, start.fp);
  if (stop) return finish(stop.end, stop.reason);
  if (opts.leaf) {
    if (start.lr === undefined) return finish('bad-fp', 'leaf mode needs lr');
    stop = push(start.lr, 'lr', 0n, start.fp);
    if (stop) return finish(stop.end, stop.reason);
  }

  let fp = start.fp & MASK64;
  let prev = -1n;
  for (;;) {
    if (fp === 0n) return finish('final');
    if (fp & 7n) return finish('bad-fp', `frame pointer ${hex(fp)} is not 8-byte aligned`);
    if (fp < lo || fp + 16n > hi)
      return finish('bad-fp', `frame pointer ${hex(fp)} is outside the stack [${hex(lo)}, ${hex(hi)})`);
    if (fp <= prev)
      return finish('loop', `frame record ${hex(fp)} is not above the previous one at ${hex(prev)}`);
    if (!mem.isMapped(fp) || !mem.isMapped(fp + 8n))
      return finish('bad-fp', `frame record ${hex(fp)} is not mapped`);
    const next = mem.read64(fp);
    const ret = mem.read64(fp + 8n);
    if (next === 0n && ret === 0n) return finish('final');
    stop = push(ret, 'record', fp, next);
    if (stop) return finish(stop.end, stop.reason);
    prev = fp;
    fp = next;
  }
}

/** Unwind a stopped CPU: its pc, x29, x30 and SP. */
export function unwindCpu(kernel: Kernel, cpu: Cpu, opts: UnwindOptions = {}): UnwindResult {
  return unwind(kernel, { pc: cpu.pc, fp: cpu.x(29), lr: cpu.x(30), sp: cpu.sp }, opts);
}

/** The frames as the kernel prints a backtrace: one `%pS` per line. */
export function formatStack(r: UnwindResult): string[] {
  return r.frames.map((f) => f.text);
}
