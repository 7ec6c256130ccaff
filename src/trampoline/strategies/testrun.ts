/**
 * `BPF_PROG_TEST_RUN` for tracing programs, on a strategy's kernel (net/bpf/test_run.c's
 * bpf_prog_test_run_tracing, as the BPF selftests use it): load a BPF object, verify each program against
 * the test kernel's BTF function models, JIT it, attach every fentry / fexit / fmod_ret program to its target
 * through the strategy's `FunctionAttachment`, then make the calls the kernel's test run makes —
 *
 *   bpf_fentry_test1(1) … test6(16, 17, 18, 19, 20, 21), test7(NULL), test8(&{a: NULL})
 *   bpf_modify_return_test(1, &b) with b = 2   (only when the object has an fmod_ret program)
 *
 * — as real A64 calls on the emulated CPUs, and read back every global of the object (`.bss`, `.data`,
 * `.rodata`) by name. The modify_return call is reported as the kernel reports it:
 * `retval = (side_effect << 16) | ret` (u32), where side_effect says whether `*b` changed, i.e. whether the
 * original ran.
 *
 * Nothing here knows how a strategy reaches the programs: the same code runs on all four, which is what
 * lets the behaviour suite compare them. Attach failures are outcomes (an errno per program), not
 * exceptions, since "patchsite cannot attach under this layout" is a result the CLI reports.
 */
import { parseBtf, type Btf } from '../../bpf/btf/parse.js';
import { functionModel, skipModifiers, type FuncModel } from '../../bpf/btf/model.js';
import { BTF_INT_SIGNED } from '../../bpf/btf/types.js';
import type { BpfGlobal, BpfObject, BpfProgram } from '../../bpf/object/load.js';
import type { HelperFn, HelperTable } from '../../bpf/helpers/types.js';
import { bindJitHelpers } from '../../bpf/jit/run.js';
import { tracingHelpers } from '../../bpf/object/run.js';
import { verifyProgram } from '../../bpf/verifier/program.js';
import type { TestKernel } from '../../kernel/testkernel.js';
import { KernelError, Tramp64Error, type Errno } from '../../util/errors.js';
import { loadIntoKernel, type LoadedObject, type LoadedProgram } from '../bpf.js';
import type { TrampLink } from '../generator.js';
import { ERROR_INJECTABLE } from './target.js';
import type { FunctionAttachment, TracingKernel } from './types.js';

/** One call the test run makes. */
export interface TestRunCallSpec {
  readonly func: string;
  /** The C call as text, e.g. `bpf_fentry_test2(2, 3)`. */
  readonly text: string;
  /** Arguments; 'struct' is the address of a zeroed `struct bpf_fentry_test_t` in kernel memory. */
  readonly args: readonly (bigint | 'struct')[];
  /** The return value of the untraced function (the selftests' expectations). */
  readonly expect: bigint;
}

/** The calls of bpf_prog_test_run_tracing for fentry/fexit, in order. */
export const FENTRY_TEST_CALLS: readonly TestRunCallSpec[] = [
  { func: 'bpf_fentry_test1', text: 'bpf_fentry_test1(1)', args: [1n], expect: 2n },
  { func: 'bpf_fentry_test2', text: 'bpf_fentry_test2(2, 3)', args: [2n, 3n], expect: 5n },
  { func: 'bpf_fentry_test3', text: 'bpf_fentry_test3(4, 5, 6)', args: [4n, 5n, 6n], expect: 15n },
  {
    func: 'bpf_fentry_test4',
    text: 'bpf_fentry_test4(7, 8, 9, 10)',
    args: [7n, 8n, 9n, 10n],
    expect: 34n,
  },
  {
    func: 'bpf_fentry_test5',
    text: 'bpf_fentry_test5(11, 12, 13, 14, 15)',
    args: [11n, 12n, 13n, 14n, 15n],
    expect: 65n,
  },
  {
    func: 'bpf_fentry_test6',
    text: 'bpf_fentry_test6(16, 17, 18, 19, 20, 21)',
    args: [16n, 17n, 18n, 19n, 20n, 21n],
    expect: 111n,
  },
  { func: 'bpf_fentry_test7', text: 'bpf_fentry_test7(NULL)', args: [0n], expect: 0n },
  { func: 'bpf_fentry_test8', text: 'bpf_fentry_test8(&{a: NULL})', args: ['struct'], expect: 0n },
];

export type ProgramOutcome =
  | { readonly state: 'attached' }
  | { readonly state: 'rejected'; readonly errno: Errno; readonly message: string; readonly log?: string }
  | { readonly state: 'failed'; readonly errno: Errno; readonly message: string };

export interface ProgramAttach {
  readonly name: string;
  readonly section: string;
  readonly kind: BpfProgram['attachType'];
  readonly target: string;
  readonly outcome: ProgramOutcome;
  /** The link, when attached (to detach it again). */
  readonly link?: TrampLink;
}

export interface CallResult {
  readonly func: string;
  readonly text: string;
  readonly cpu: number;
  /** The int the function returned (sign-extended from 32 bits). */
  readonly ret: bigint;
  /** What the untraced function returns. */
  readonly expect: bigint;
}

export interface ModifyReturnResult {
  readonly cpu: number;
  /** The int bpf_modify_return_test returned (fmod_ret may have overridden it). */
  readonly ret: number;
  /** 1 when `*b` changed (the original ran), else 0. */
  readonly sideEffect: number;
  /** `(side_effect << 16) | ret` as the u32 BPF_PROG_TEST_RUN reports. */
  readonly retval: number;
}

export interface GlobalValue {
  readonly name: string;
  readonly section: string;
  readonly size: number;
  readonly signed: boolean;
  /** The value (signed when the BTF type is), or undefined for sizes other than 1, 2, 4, 8. */
  readonly value: bigint | undefined;
  /** The value as printed: decimal, or hex bytes for other sizes. */
  readonly text: string;
}

export interface TestRunResult {
  readonly strategy: string;
  readonly frame: string;
  readonly layout: { readonly kind: string; readonly seed: number };
  readonly programs: readonly ProgramAttach[];
  readonly printk: readonly string[];
  readonly calls: readonly CallResult[];
  readonly modifyReturn: ModifyReturnResult | undefined;
  readonly globals: readonly GlobalValue[];
  /** The loaded object (undefined when every program was rejected), to read globals again. */
  readonly loaded: LoadedObject | undefined;
  /** Detach every program attached and release its helper binding. */
  detach(): void;
}

export interface TestRunOptions {
  /** CPUs the calls run on, round robin (default [0]). */
  readonly cpus?: readonly number[];
  /** Globals to set after load and before any call (as a skeleton sets `.rodata` before load). */
  readonly set?: ReadonlyMap<string, bigint>;
  /** Functions fmod_ret may attach to (default ERROR_INJECTABLE). */
  readonly errorInjectable?: readonly string[];
}

const btfCache = new WeakMap<TestKernel, Btf>();

/** The test kernel's parsed `.BTF`. */
export function testKernelBtf(tk: TestKernel): Btf {
  let b = btfCache.get(tk);
  if (b === undefined) {
    if (tk.btf === undefined)
      throw new KernelError(
        'EINVAL',
        'the test kernel object has no .BTF section; rebuild it with fixtures/kernel/build.sh (pahole -J)',
      );
    b = parseBtf(tk.btf);
    btfCache.set(tk, b);
  }
  return b;
}

/** The function model of `name` in the test kernel's BTF, or undefined when there is no such function. */
export function testKernelFuncModel(tk: TestKernel, name: string): FuncModel | undefined {
  const btf = testKernelBtf(tk);
  return btf.byName(name, 'FUNC').length > 0 ? functionModel(btf, name) : undefined;
}

/** A loaded object attached to a strategy's kernel: its JITed programs and the per-program outcome. */
export interface AttachedObject {
  readonly loaded: LoadedObject | undefined;
  readonly programs: readonly ProgramAttach[];
  /** What bpf_trace_printk wrote, in order. */
  readonly printk: readonly string[];
  /** Detach every link made (last first). */
  detach(): void;
}

/**
 * Load, verify, JIT and attach every program of `obj` through the strategy of `tk`. A program the verifier
 * rejects is not loaded (EACCES, as BPF_PROG_LOAD returns); a link the strategy refuses is reported with
 * its errno and leaves the other programs attached.
 */
export function attachObject(
  tk: TracingKernel,
  obj: BpfObject,
  opts: Pick<TestRunOptions, 'set' | 'errorInjectable'> = {},
): AttachedObject {
  const errorInjectable = opts.errorInjectable ?? ERROR_INJECTABLE;
  const funcModel = (n: string): FuncModel | undefined => testKernelFuncModel(tk.tk, n);
  const verdicts = obj.programs.map((p) => {
    if (funcModel(p.target) === undefined)
      return {
        errno: 'ENOENT' as const,
        message: `${p.section}: the test kernel has no function ${p.target} (see \`tramp64 attach --help\` for its functions)`,
      };
    const v = verifyProgram(obj, p, { funcModel, errorInjectable });
    return v.ok
      ? undefined
      : {
          errno: 'EACCES' as const,
          message: `the verifier rejected ${p.name} at insn ${v.error!.insn}: ${v.error!.message}`,
          log: v.log,
        };
  });
  // Check the globals to set before anything is loaded, so bad input leaves the kernel as it was.
  for (const name of opts.set?.keys() ?? []) globalToSet(obj, name);
  const accepted = obj.programs.filter((_, i) => verdicts[i] === undefined).map((p) => p.name);
  const loaded = accepted.length > 0 ? loadIntoKernel(tk.kernel, obj, accepted) : undefined;
  if (loaded && opts.set) {
    for (const [name, value] of opts.set) writeGlobal(tk, loaded, name, value);
  }
  const printk: string[] = [];
  const bindings = loaded ? bindHelpers(tk, loaded, printk) : [];
  const made: { att: FunctionAttachment; link: TrampLink }[] = [];
  const programs: ProgramAttach[] = obj.programs.map((p, i) => {
    const base = { name: p.name, section: p.section, kind: p.attachType, target: p.target };
    const rej = verdicts[i];
    if (rej !== undefined) return { ...base, outcome: { state: 'rejected', ...rej } };
    const lp: LoadedProgram = loaded!.programs.find((x) => x.prog === p)!;
    const link: TrampLink = { prog: lp.tramp, kind: p.attachType, cookie: 0n };
    try {
      const att = tk.strategy.attachment(tk, p.target);
      att.link(link);
      made.push({ att, link });
      return { ...base, outcome: { state: 'attached' }, link };
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      return { ...base, outcome: { state: 'failed', errno: e.errno, message: e.message } };
    }
  });
  return {
    loaded,
    programs,
    printk,
    detach() {
      for (const { att, link } of made.reverse()) att.unlink(link);
      made.length = 0;
      for (const b of bindings.splice(0)) b.unbind();
    },
  };
}

/**
 * Serve the helper calls of the loaded programs (those the JIT does not inline: bpf_probe_read_kernel, map
 * helpers, bpf_trace_printk …). The maps already live in emulated memory (loadIntoKernel mapped them), so
 * each map helper copies memory into the map's arrays before it runs and back after, as bindJitHelpers does
 * for regions it maps itself.
 */
function bindHelpers(tk: TracingKernel, loaded: LoadedObject, printk: string[]): { unbind(): void }[] {
  const mem = tk.kernel.machine.memory;
  const regions = loaded.maps.regions().filter((r) => r.bytes.length > 0);
  const pull = (): void => {
    for (const r of regions) r.bytes.set(mem.readBytes(r.base, r.bytes.length, 0));
  };
  const push = (): void => {
    for (const r of regions) if (r.writable) mem.writeBytes(r.base, r.bytes, 0);
  };
  const synced =
    (fn: HelperFn): HelperFn =>
    (args, vm) => {
      pull();
      try {
        return fn(args, vm);
      } finally {
        push();
      }
    };
  const mapHelpers: HelperTable = new Map([...loaded.maps.helpers()].map(([id, fn]) => [id, synced(fn)]));
  const out: { unbind(): void }[] = [];
  try {
    for (const lp of loaded.programs) {
      // The ctx-reading helpers of tracingHelpers read the trampoline's ctx (args, nargs at ctx − 8); the
      // run object only supplies defaults the trampoline path does not use.
      const table: HelperTable = new Map([...mapHelpers, ...tracingHelpers(lp.prog, { args: [] }, printk)]);
      out.push(bindJitHelpers(tk.kernel, lp.image, table, []));
    }
  } catch (e) {
    for (const b of out) b.unbind();
    throw e;
  }
  return out;
}

function globalToSet(obj: BpfObject, name: string): BpfGlobal {
  const g = obj.globals.find((x) => x.name === name);
  if (!g)
    throw new Tramp64Error(
      'ENOENT',
      `the object has no global ${name}; it has ${obj.globals.map((x) => x.name).join(', ') || 'none'}`,
    );
  if (![1, 2, 4, 8].includes(g.size))
    throw new Tramp64Error('EINVAL', `global ${name} is ${g.size} bytes; only 1, 2, 4 or 8 can be set`);
  return g;
}

function writeGlobal(tk: TracingKernel, loaded: LoadedObject, name: string, value: bigint): void {
  const g = globalToSet(loaded.obj, name);
  const mem = tk.kernel.machine.memory;
  const addr = loaded.global(name);
  const v = BigInt.asUintN(g.size * 8, value);
  const bytes = Uint8Array.from({ length: g.size }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
  // perm 0: a host write, like libbpf filling `.rodata` before the map is frozen.
  mem.writeBytes(addr, bytes, 0);
}

/** Whether the BTF type of global `g` is a signed integer (or signed enum). */
function isSigned(obj: BpfObject, g: BpfGlobal): boolean {
  const btf = obj.btf;
  if (!btf) return false;
  const v = btf.byName(g.name, 'VAR')[0];
  if (!v || v.kind !== 'VAR') return false;
  const t = skipModifiers(btf, v.type);
  if (t?.kind === 'INT') return (t.encoding & BTF_INT_SIGNED) !== 0;
  if (t?.kind === 'ENUM' || t?.kind === 'ENUM64') return t.signed;
  return false;
}

/** Every global of the loaded object with its current value in emulated memory, in section/offset order. */
export function readGlobals(tk: TracingKernel, loaded: LoadedObject): GlobalValue[] {
  const mem = tk.kernel.machine.memory;
  const order = (g: BpfGlobal): string => `${g.section}\u0000${String(g.offset).padStart(10, '0')}`;
  return [...loaded.obj.globals]
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map((g) => {
      const addr = loaded.global(g.name);
      const bytes = [...mem.readBytes(addr, g.size, 0)];
      const signed = isSigned(loaded.obj, g);
      if (![1, 2, 4, 8].includes(g.size)) {
        const text = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
        return { name: g.name, section: g.section, size: g.size, signed, value: undefined, text };
      }
      let u = 0n;
      bytes.forEach((b, i) => (u |= BigInt(b) << BigInt(8 * i)));
      const value = signed ? BigInt.asIntN(g.size * 8, u) : u;
      return { name: g.name, section: g.section, size: g.size, signed, value, text: value.toString() };
    });
}

/** A zeroed `struct bpf_fentry_test_t` (one pointer) in kernel data, for bpf_fentry_test8. */
function testStruct(tk: TracingKernel): bigint {
  return tk.kernel.imageAlloc(16, 'data', 16).address;
}

/** The calls of the test run (fentry/fexit functions), each on the next CPU of `cpus`. */
export function runFentryCalls(tk: TracingKernel, cpus: readonly number[] = [0]): CallResult[] {
  checkCpus(tk, cpus);
  const st = testStruct(tk);
  return FENTRY_TEST_CALLS.map((c, i) => {
    const cpu = cpus[i % cpus.length]!;
    const args = c.args.map((a) => (a === 'struct' ? st : a));
    // The test calls run inside the bpf(BPF_PROG_TEST_RUN) syscall.
    tk.kernel.syscallEntry(cpu);
    const r = tk.kernel.machine.call(tk.tk.addr(c.func), args, { cpu });
    return { func: c.func, text: c.text, cpu, ret: BigInt.asIntN(32, r), expect: c.expect };
  });
}

/** bpf_modify_return_test(1, &b) with b = 2, reported as BPF_PROG_TEST_RUN reports it. */
export function runModifyReturn(tk: TracingKernel, cpu = 0): ModifyReturnResult {
  checkCpus(tk, [cpu]);
  const mem = tk.kernel.machine.memory;
  const b = tk.kernel.imageAlloc(16, 'data', 16).address;
  mem.write32(b, 2, 0);
  tk.kernel.syscallEntry(cpu); // inside bpf(BPF_PROG_TEST_RUN)
  const r = tk.kernel.machine.call(tk.tk.addr('bpf_modify_return_test'), [1n, b], { cpu });
  const ret = Number(BigInt.asIntN(32, r));
  const sideEffect = mem.read32(b) !== 2 ? 1 : 0;
  // `retval = ((u32)side_effect << 16) | ret` in test_run.c: an int OR'd into a u32.
  const retval = ((sideEffect << 16) | ret) >>> 0;
  return { cpu, ret, sideEffect, retval };
}

function checkCpus(tk: TracingKernel, cpus: readonly number[]): void {
  const n = tk.kernel.machine.cpus.length;
  if (cpus.length === 0) throw new Tramp64Error('EINVAL', 'no CPU to run the test calls on');
  for (const c of cpus)
    if (!Number.isInteger(c) || c < 0 || c >= n)
      throw new Tramp64Error('EINVAL', `CPU ${c} does not exist; the kernel has CPUs 0..${n - 1}`);
}

/**
 * The whole test run: attach every program of `obj`, make the calls (the modify_return call only when the
 * object has an fmod_ret program), read the globals. The programs stay attached (the kernel is the caller's).
 */
export function testRun(tk: TracingKernel, obj: BpfObject, opts: TestRunOptions = {}): TestRunResult {
  const cpus = opts.cpus ?? [0];
  checkCpus(tk, cpus);
  const att = attachObject(tk, obj, opts);
  const calls = runFentryCalls(tk, cpus);
  const modifyReturn = obj.programs.some((p) => p.attachType === 'fmod_ret')
    ? runModifyReturn(tk, cpus[calls.length % cpus.length]!)
    : undefined;
  const layout = tk.kernel.layout;
  return {
    strategy: tk.strategy.name,
    frame: tk.frame,
    layout: { kind: layout.kind, seed: layout.seed },
    programs: att.programs,
    printk: att.printk,
    calls,
    modifyReturn,
    globals: att.loaded ? readGlobals(tk, att.loaded) : [],
    loaded: att.loaded,
    detach: () => att.detach(),
  };
}
