/**
 * Running a loaded program on the interpreter, the way a BPF trampoline calls it: maps created from the
 * object (globals with their initial contents), the tracing ctx laid out as the arm64 trampoline lays it
 * out, and the tracing helpers answering from that ctx.
 *
 *   ctx region:   ip (u64) | nargs (u64) | arg0 … arg{n-1} (u64 each) | return value (u64)
 *                                         ^ r1 = ctx          (nargs at ctx - 8, ip at ctx - 16)
 *
 * The tracing helpers here (get_func_ip/arg/ret/arg_cnt, get_attach_cookie, ktime_get_ns,
 * get_smp_processor_id, trace_printk, probe_read_kernel) are the semantics the selftests check;
 * bpf_ktime_get_ns is a deterministic counter. bpf_get_attach_cookie answers with the run's cookie: the
 * interpreter has no `current`, and the JIT's runner (jit/run.ts) puts the same cookie in the run context
 * current->bpf_ctx points at, where the JIT's A64 helper reads it (helpers/runctx.ts).
 */
import { BpfInterpreter, type RunResult } from '../interp/vm.js';
import type { HelperFn, HelperTable } from '../helpers/types.js';
import { MapSet, type MapSetOptions } from '../maps/registry.js';
import { BPF_RUN_CTX } from '../helpers/runctx.js';
import type { BpfObject, BpfProgram } from './load.js';

/** Where the ctx region lives (below the map area, away from the interpreter's stack and input). */
export const CTX_ADDRESS = 0xffff_0000_2000_0000n;

const EINVAL = 22n;
const EOPNOTSUPP = 95n;
const EFAULT = 14n;
const neg = (e: bigint): bigint => BigInt.asUintN(64, -e);

/** Maps for an object: one per spec, globals initialised from their sections. */
export function createObjectMaps(obj: BpfObject, options: MapSetOptions = {}): MapSet {
  const set = new MapSet(options);
  for (const spec of obj.maps) {
    const m = set.create(spec.def);
    if (spec.initial !== undefined) m.update(new Uint8Array(4), spec.initial);
  }
  return set;
}

export interface TracingRun {
  /** Argument values of the traced call (as the registers held them). */
  args: readonly bigint[];
  /** The traced function's return value (fexit/fmod_ret), default 0. */
  ret?: bigint;
  /** The traced function's address (bpf_get_func_ip), default 0. */
  ip?: bigint;
  /** The link's cookie (bpf_get_attach_cookie), default 0. */
  cookie?: bigint;
  cpu?: number;
  insnLimit?: number;
}

export interface TracingResult extends RunResult {
  /** Lines bpf_trace_printk wrote. */
  printk: string[];
}

/** The tracing helpers over one ctx. */
export function tracingHelpers(
  prog: Pick<BpfProgram, 'attachType'>,
  run: TracingRun,
  out: string[],
): HelperTable {
  let now = 1_000_000n;
  const n = BigInt(run.args.length);
  const ctx = CTX_ADDRESS + 16n;
  const t = new Map<number, HelperFn>();
  t.set(5, () => (now += 1000n));
  t.set(125, () => (now += 1000n));
  t.set(8, () => BigInt(run.cpu ?? 0));
  t.set(14, () => (1000n << 32n) | 1000n);
  t.set(173, () => run.ip ?? 0n);
  t.set(174, () => BigInt.asUintN(64, run.cookie ?? 0n));
  t.set(185, ([c], vm) => vm.memory.load(c - 8n, 8, vm.pc));
  t.set(183, ([c, idx, dst], vm) => {
    const cnt = vm.memory.load(c - 8n, 8, vm.pc);
    const i = BigInt.asUintN(32, idx);
    if (i >= cnt) {
      vm.memory.store(dst, 8, 0n, vm.pc);
      return neg(EINVAL);
    }
    vm.memory.store(dst, 8, vm.memory.load(c + 8n * i, 8, vm.pc), vm.pc);
    return 0n;
  });
  t.set(184, ([c, dst], vm) => {
    if (prog.attachType === 'fentry') return neg(EOPNOTSUPP);
    const cnt = vm.memory.load(c - 8n, 8, vm.pc);
    vm.memory.store(dst, 8, vm.memory.load(c + 8n * cnt, 8, vm.pc), vm.pc);
    return 0n;
  });
  const probeRead: HelperFn = ([dst, size, src], vm) => {
    const len = Number(BigInt.asUintN(32, size));
    let data: Uint8Array;
    try {
      data = vm.memory.read(src, len, vm.pc);
    } catch {
      vm.memory.write(dst, new Uint8Array(len), vm.pc);
      return neg(EFAULT);
    }
    vm.memory.write(dst, data, vm.pc);
    return 0n;
  };
  t.set(4, probeRead);
  t.set(113, probeRead);
  t.set(6, ([fmt, size, a, b, c], vm) => {
    const bytes = vm.memory.read(fmt, Number(BigInt.asUintN(32, size)), vm.pc);
    const end = bytes.indexOf(0);
    const vals = [a, b, c];
    let k = 0;
    const text = String.fromCharCode(...bytes.subarray(0, end < 0 ? bytes.length : end)).replace(
      /%(l{0,2})([dux])/g,
      (_m, l: string, conv: string) => {
        const v = vals[k++] ?? 0n;
        const bits = l.length === 0 ? 32 : 64;
        if (conv === 'd') return BigInt.asIntN(bits, v).toString();
        return conv === 'x' ? BigInt.asUintN(bits, v).toString(16) : BigInt.asUintN(bits, v).toString();
      },
    );
    out.push(text.replace(/\n$/, ''));
    return BigInt(text.length);
  });
  void ctx;
  void n;
  return t;
}

/** Where the JIT's tracing runner maps the run context (struct bpf_tramp_run_ctx) current->bpf_ctx points at. */
export const RUN_CTX_ADDRESS = CTX_ADDRESS - 0x1_0000n;

/** The run context's bytes for a run: bpf_cookie, then saved_run_ctx (0). */
export function runCtxBytes(run: Pick<TracingRun, 'cookie'>): Uint8Array {
  const b = new Uint8Array(16);
  new DataView(b.buffer).setBigUint64(BPF_RUN_CTX.COOKIE, BigInt.asUintN(64, run.cookie ?? 0n), true);
  return b;
}

/** The ctx region's bytes for a run. */
export function ctxBytes(run: TracingRun): Uint8Array {
  const n = run.args.length;
  const b = new Uint8Array(8 * (n + 3));
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, BigInt.asUintN(64, run.ip ?? 0n), true);
  dv.setBigUint64(8, BigInt(n), true);
  run.args.forEach((v, i) => dv.setBigUint64(16 + 8 * i, BigInt.asUintN(64, v), true));
  dv.setBigUint64(16 + 8 * n, BigInt.asUintN(64, run.ret ?? 0n), true);
  return b;
}

/** Run one program of `obj` with its maps in `maps` (see createObjectMaps). */
export function runTracingProgram(prog: BpfProgram, maps: MapSet, run: TracingRun): TracingResult {
  const printk: string[] = [];
  const table: HelperTable = new Map([...maps.helpers(), ...tracingHelpers(prog, run, printk)]);
  const vm = new BpfInterpreter(prog.insns, {
    helpers: { name: 'kernel (tracing)', table },
    resolveLdImm64: maps.resolveLdImm64,
    ...(run.insnLimit !== undefined ? { insnLimit: run.insnLimit } : {}),
  });
  const res = vm.run({
    args: [CTX_ADDRESS + 16n],
    regions: [...maps.regions(), { name: 'ctx', base: CTX_ADDRESS, bytes: ctxBytes(run), writable: false }],
  });
  return { ...res, printk };
}
