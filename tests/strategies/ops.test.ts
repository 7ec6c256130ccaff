/**
 * The `ops` strategy (src/trampoline/strategies/ops.ts) on the gcc-pfe2 test kernel: the kernel selftests'
 * BPF objects (fixtures/bpf/*.bpf.o) run through BPF_PROG_TEST_RUN's calls on every frame × {BTI+PAC on,
 * off} × {1, 2 CPUs}; the oracle is the selftests' own expectations (the untraced return values 2, 5, 15,
 * 34, 65, 111, 0, 0; modify_return's side effect and return) and each program's own checks of what it saw
 * (its `*_result` globals). Then the link rules (38 then E2BIG, EBUSY, EINVAL, all or nothing), the path
 * read from the executed instructions, the second save of the arguments counted by the scenario layer's
 * provenance tracker, and the lifetime of generated code across link changes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBpfObject } from '../../src/bpf/object/load.js';
import type { FrameKind } from '../../src/ftrace/arch/abi.js';
import { countingExitCallback } from '../../src/ftrace/graph/callbacks.js';
import { functionGraph, registerReturnHook, unregisterReturnHook } from '../../src/ftrace/graph/graph.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import { testKernelFixture } from '../../src/kernel/testkernel.js';
import { measureCall } from '../../src/scenario/measure.js';
import type { TrampLink } from '../../src/trampoline/generator.js';
import { createTracingKernel } from '../../src/trampoline/strategies/kernel.js';
import { OpsAttachment, opsOf, opsParkedFrees, opsStrategy } from '../../src/trampoline/strategies/ops.js';
import { runModifyReturn, testRun } from '../../src/trampoline/strategies/testrun.js';
import type { TracingKernel } from '../../src/trampoline/strategies/types.js';
import { KernelError } from '../../src/util/errors.js';
import { seqCounter, tracer, type Tracer } from '../trampoline/helpers.js';

const root = new URL('../../', import.meta.url);
const bytes = (rel: string): Uint8Array => new Uint8Array(readFileSync(new URL(rel, root)));
const KERNEL = bytes(testKernelFixture('gcc-pfe2'));
const obj = (name: string) => loadBpfObject(bytes(`fixtures/bpf/${name}.bpf.o`));

interface Config {
  readonly frame: FrameKind;
  readonly secure: boolean;
  readonly cpus: number;
}

const CONFIGS: Config[] = (['args', 'regs'] as const).flatMap((frame) =>
  [true, false].flatMap((secure) => [1, 2].map((cpus) => ({ frame, secure, cpus }))),
);
const label = (c: Config): string =>
  `frame ${c.frame}, BTI+PAC ${c.secure ? 'on' : 'off'}, ${c.cpus} CPU${c.cpus > 1 ? 's' : ''}`;

function kernel(c: Partial<Config> = {}): TracingKernel {
  return createTracingKernel(KERNEL, {
    strategy: opsStrategy,
    frame: c.frame ?? 'args',
    bti: c.secure ?? true,
    pac: c.secure ?? true,
    cpus: c.cpus ?? 1,
  });
}

const cpuList = (c: Config): number[] => Array.from({ length: c.cpus }, (_, i) => i);
const globals = (r: ReturnType<typeof testRun>): Record<string, bigint | undefined> =>
  Object.fromEntries(r.globals.map((g) => [g.name, g.value]));
const EINVAL = -22n;

describe.each(CONFIGS)('ops strategy, $frame', (c) => {
  const name = label(c);

  it(`${name}: fentry sees the arguments of bpf_fentry_test1..8`, () => {
    const tk = kernel(c);
    const r = testRun(tk, obj('fentry_test'), { cpus: cpuList(c) });
    expect(r.programs.map((p) => p.outcome.state)).toEqual(Array(8).fill('attached'));
    expect(r.calls.map((x) => x.ret)).toEqual(r.calls.map((x) => x.expect));
    expect(r.calls.map((x) => x.ret)).toEqual([2n, 5n, 15n, 34n, 65n, 111n, 0n, 0n]);
    const g = globals(r);
    for (let i = 1; i <= 8; i++) expect(g[`test${i}_result`], `test${i}`).toBe(1n);
    expect(tk.ftrace.verify()).toEqual([]);
    expect(tk.kernel.machine.icache.reports).toEqual([]);
  });

  it(`${name}: fexit sees the arguments and the return values 2, 5, 15, 34, 65, 111, 0, 0`, () => {
    const tk = kernel(c);
    const r = testRun(tk, obj('fexit_test'), { cpus: cpuList(c) });
    expect(r.calls.map((x) => x.ret)).toEqual([2n, 5n, 15n, 34n, 65n, 111n, 0n, 0n]);
    const g = globals(r);
    for (let i = 1; i <= 8; i++) expect(g[`test${i}_result`], `test${i}`).toBe(1n);
    // Every hooked return came back through return_to_handler: the return stacks are empty again.
    const graph = functionGraph(tk.ftrace);
    for (const cpu of cpuList(c)) expect(graph.retStack(cpu)).toEqual([]);
  });

  it(`${name}: modify_return — fentry → fmod_ret → fexit; 0 lets the original run, −EINVAL skips it`, () => {
    const run = (input: bigint) => {
      const tk = kernel(c);
      const r = testRun(tk, obj('modify_return'), {
        cpus: cpuList(c),
        set: new Map([['input_retval', input]]),
      });
      for (const cpu of cpuList(c)) expect(functionGraph(tk.ftrace).retStack(cpu)).toEqual([]);
      return r;
    };
    const ok = run(0n);
    expect(ok.modifyReturn).toMatchObject({ sideEffect: 1, ret: 4 });
    expect(globals(ok)).toMatchObject({
      fentry_result: 1n,
      fmod_ret_result: 1n,
      fexit_result: 1n,
      sequence: 3n,
    });
    const skip = run(EINVAL);
    expect(skip.modifyReturn).toMatchObject({ sideEffect: 0, ret: Number(EINVAL) });
    expect(skip.modifyReturn!.retval).toBe(((0 << 16) | -22) >>> 0);
    expect(globals(skip)).toMatchObject({
      fentry_result: 1n,
      fmod_ret_result: 1n,
      fexit_result: 1n,
      sequence: 3n,
    });
  });

  it(`${name}: bpf_get_func_ip is the function's address in fentry, fexit and fmod_ret`, () => {
    const tk = kernel(c);
    const f1 = tk.tk.addr('bpf_fentry_test1');
    const fm = tk.tk.addr('bpf_modify_return_test');
    const r = testRun(tk, obj('get_func_ip_test'), {
      cpus: cpuList(c),
      set: new Map([
        ['expected_test1', f1],
        ['expected_modify', fm],
      ]),
    });
    expect(globals(r)).toMatchObject({ test1_ip: f1, test1_result: 1n, test2_result: 1n, test3_result: 1n });
    // The callback's ip is the BL slot, not the function.
    expect(tk.tk.callSite('bpf_fentry_test1').ip).not.toBe(f1);
  });

  it(`${name}: bpf_get_func_arg_cnt / _arg / _ret read the ctx the callback built`, () => {
    const r = testRun(kernel(c), obj('get_func_args_test'), { cpus: cpuList(c) });
    expect(globals(r)).toMatchObject({ test1_result: 1n, test2_result: 1n, test3_result: 1n });
  });
});

describe('ops strategy under KASLR', () => {
  it('attaches on every layout sample (no range limit): calls out of BL reach go through MOVN/MOVK + BLR', () => {
    let farCalls = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const tk = createTracingKernel(KERNEL, {
        strategy: opsStrategy,
        layout: { kind: 'kaslr', seed },
        seed,
      });
      const r = testRun(tk, obj('modify_return'), { set: new Map([['input_retval', EINVAL]]) });
      expect(
        r.programs.map((p) => p.outcome.state),
        `seed ${seed}`,
      ).toEqual(['attached', 'attached', 'attached']);
      expect(r.modifyReturn, `seed ${seed}`).toMatchObject({ sideEffect: 0, ret: -22 });
      expect(globals(r), `seed ${seed}`).toMatchObject({
        fentry_result: 1n,
        fmod_ret_result: 1n,
        fexit_result: 1n,
      });
      const code = (opsStrategy.attachment(tk, 'bpf_modify_return_test') as OpsAttachment).code!;
      const enter = tk.kernel.kallsyms.lookupName('__bpf_prog_enter_recur')!.address;
      if (!reachableByBl(code.code.entry, enter)) farCalls++;
    }
    // Not vacuous: some samples put the generated code out of BL reach of the runtime.
    expect(farCalls).toBeGreaterThan(0);
  });
});

/** `n` recording tracers (tests/trampoline/helpers.ts) on one kernel with a shared sequence counter. */
function tracers(tk: TracingKernel, n: number, ret = 0n): { seq: bigint; t: Tracer[] } {
  const seq = seqCounter(tk.kernel);
  return { seq, t: Array.from({ length: n }, (_, i) => tracer(tk.kernel, `t${i}`, seq, { ret })) };
}

function modifyArgs(tk: TracingKernel): { b: bigint; call: () => bigint } {
  const mem = tk.kernel.machine.memory;
  const b = tk.kernel.imageAlloc(16, 'data', 16).address;
  return {
    b,
    call: () => {
      mem.write32(b, 2, 0);
      return tk.kernel.machine.call(tk.tk.addr('bpf_modify_return_test'), [1n, b]);
    },
  };
}

describe('ops strategy: link rules (as the trampoline core)', () => {
  it('trampoline_count: 38 links of mixed kinds run in order; the 39th is E2BIG and changes nothing', () => {
    const tk = kernel();
    const att = opsStrategy.attachment(tk, 'bpf_modify_return_test') as OpsAttachment;
    const { t } = tracers(tk, 39);
    const kinds = ['fentry', 'fmod_ret', 'fexit'] as const;
    const links: TrampLink[] = t.map((x, i) => ({ prog: x.prog, kind: kinds[i % 3]!, cookie: BigInt(i) }));
    for (const l of links.slice(0, 38)) att.link(l);
    const before = att.code!;
    let err: unknown;
    try {
      att.link(links[38]!);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).errno).toBe('E2BIG');
    expect((err as KernelError).message).toMatch(
      /already has 38 programs attached; BPF_MAX_TRAMP_LINKS is 38/,
    );
    expect(att.links).toHaveLength(38);
    expect(att.code).toBe(before);

    const { b, call } = modifyArgs(tk);
    expect(call()).toBe(4n);
    expect(tk.kernel.machine.memory.read32(b)).toBe(3);
    // Each linked program ran once, with its cookie; the 39th never.
    t.slice(0, 38).forEach((x, i) => {
      expect(x.read('HITS'), x.prog.name).toBe(1n);
      expect(x.read('COOKIE'), x.prog.name).toBe(BigInt(i));
      expect(x.read('ARG0')).toBe(1n);
      expect(x.read('NARGS')).toBe(2n);
    });
    expect(t[38]!.read('HITS')).toBe(0n);
    // Order: every fentry, then every fmod_ret, then every fexit (each kind most recent first).
    const seqOf = (k: (typeof kinds)[number]) =>
      t
        .slice(0, 38)
        .filter((_, i) => kinds[i % 3] === k)
        .map((x) => x.read('SEQ'));
    const [fe, fm, fx] = [seqOf('fentry'), seqOf('fmod_ret'), seqOf('fexit')];
    expect(Math.max(...fe.map(Number))).toBeLessThan(Math.min(...fm.map(Number)));
    expect(Math.max(...fm.map(Number))).toBeLessThan(Math.min(...fx.map(Number)));
    expect(fe).toEqual([...fe].sort((p, q) => Number(q - p)));
    expect(tk.ftrace.verify()).toEqual([]);
  });

  it('a duplicate is EBUSY, fmod_ret on a function that is not error-injectable is EINVAL, unknown unlink ENOENT', () => {
    const tk = kernel();
    const { t } = tracers(tk, 2);
    const att = opsStrategy.attachment(tk, 'bpf_fentry_test1');
    const l: TrampLink = { prog: t[0]!.prog, kind: 'fentry', cookie: 0n };
    att.link(l);
    const code = (att as OpsAttachment).code;
    const errno = (fn: () => void): string => {
      try {
        fn();
      } catch (e) {
        if (e instanceof KernelError) return e.message;
        throw e;
      }
      return 'ok';
    };
    expect(errno(() => att.link({ prog: t[0]!.prog, kind: 'fexit', cookie: 0n }))).toBe(
      'EBUSY: t0 is already attached to bpf_fentry_test1 (as fentry)',
    );
    expect(errno(() => att.link({ prog: t[1]!.prog, kind: 'fmod_ret', cookie: 0n }))).toMatch(
      /^EINVAL: fmod_ret on bpf_fentry_test1: the target is not error-injectable/,
    );
    expect(errno(() => att.unlink({ prog: t[1]!.prog, kind: 'fentry', cookie: 0n }))).toBe(
      'ENOENT: t1 is not attached to bpf_fentry_test1 as fentry',
    );
    expect(att.links).toEqual([l]);
    expect((att as OpsAttachment).code).toBe(code);
    expect(tk.kernel.machine.call(tk.tk.addr('bpf_fentry_test1'), [7n])).toBe(8n);
    expect(t[0]!.read('ARG0')).toBe(7n);
    expect(t[1]!.read('HITS')).toBe(0n);
  });

  it('the attachment is one per function and kernel; a function without a call site is ENOENT', () => {
    const tk = kernel();
    expect(opsStrategy.attachment(tk, 'bpf_fentry_test2')).toBe(
      opsStrategy.attachment(tk, 'bpf_fentry_test2'),
    );
    expect(opsStrategy.attachment(kernel(), 'bpf_fentry_test2')).not.toBe(
      opsStrategy.attachment(tk, 'bpf_fentry_test2'),
    );
    expect(() => opsStrategy.attachment(tk, 'no_such_function')).toThrow(KernelError);
  });
});

/** The kallsyms names of the instructions CPU 0 executes during `fn`, consecutive repeats folded. */
function symbolPath(tk: TracingKernel, fn: () => void): string[] {
  const cpu = tk.kernel.machine.cpus[0]!;
  const ks = tk.kernel.kallsyms;
  const out: string[] = [];
  cpu.traceHook = (_c, pc) => {
    const name = ks.lookup(pc)?.sym.name ?? '?';
    if (out.at(-1) !== name) out.push(name);
  };
  try {
    fn();
  } finally {
    cpu.traceHook = undefined;
  }
  return out;
}

describe('ops strategy: the path, read from the executed instructions', () => {
  it.each(['args', 'regs'] as const)(
    'frame %s: fentry + fexit go ftrace_caller → list function → handler → entry; return_to_handler → exit',
    (frame) => {
      const tk = kernel({ frame });
      const { t } = tracers(tk, 2);
      const att = opsStrategy.attachment(tk, 'bpf_fentry_test2');
      att.link({ prog: t[0]!.prog, kind: 'fentry', cookie: 0n });
      att.link({ prog: t[1]!.prog, kind: 'fexit', cookie: 0n });
      const f = tk.tk.addr('bpf_fentry_test2');
      const path = symbolPath(tk, () => expect(tk.kernel.machine.call(f, [2n, 3n])).toBe(5n));
      const caller = frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';
      const want = [
        'bpf_fentry_test2',
        caller,
        'ftrace_ops_list_func',
        'bpf_fprobe_handler',
        'bpf_fprobe_entry_bpf_fentry_test2',
        '__bpf_prog_enter_recur',
        'bpf_fprobe_entry_bpf_fentry_test2',
        't0',
        'bpf_fprobe_entry_bpf_fentry_test2',
        '__bpf_prog_exit_recur',
        'bpf_fprobe_entry_bpf_fentry_test2',
        'ftrace_ops_list_func',
        caller,
        'bpf_fentry_test2',
        'return_to_handler',
        'ftrace_return_to_handler',
        'bpf_fprobe_exit_bpf_fentry_test2',
        '__bpf_prog_enter_recur',
        'bpf_fprobe_exit_bpf_fentry_test2',
        't1',
        'bpf_fprobe_exit_bpf_fentry_test2',
        '__bpf_prog_exit_recur',
        'bpf_fprobe_exit_bpf_fentry_test2',
        'ftrace_return_to_handler',
        'return_to_handler',
      ];
      // The list function probes the op's hashes (ftrace_hash_contains) before it calls the handler.
      const folded = path
        .filter((s) => s !== 'ftrace_hash_contains' && s !== '?')
        .filter((s, i, all) => i === 0 || all[i - 1] !== s);
      expect(folded).toEqual(want);
      expect(t[1]!.read('CTX1')).toBe(3n);
      expect(att.describe().join('\n')).toMatch(/bl\t0x[0-9a-f]+ <(ftrace_caller|ftrace_regs_caller)>/);
    },
  );

  it('fentry only: no return hook (the function returns straight to its caller)', () => {
    const tk = kernel();
    const { t } = tracers(tk, 1);
    opsStrategy.attachment(tk, 'bpf_fentry_test1').link({ prog: t[0]!.prog, kind: 'fentry', cookie: 0n });
    const path = symbolPath(tk, () => tk.kernel.machine.call(tk.tk.addr('bpf_fentry_test1'), [1n]));
    expect(path).not.toContain('return_to_handler');
    expect(path.filter((s) => s.startsWith('bpf_fprobe_exit'))).toEqual([]);
    expect(path.filter((s) => s !== '?').at(-1)).toBe('bpf_fentry_test1');
  });

  it('fmod_ret override: the function body never runs; fexit still runs from return_to_handler', () => {
    const tk = kernel();
    const { t } = tracers(tk, 2, 0n);
    const skipper = tracers(tk, 1, EINVAL).t[0]!;
    const att = opsStrategy.attachment(tk, 'bpf_modify_return_test');
    att.link({ prog: skipper.prog, kind: 'fmod_ret', cookie: 0n });
    att.link({ prog: t[1]!.prog, kind: 'fexit', cookie: 0n });
    const { b, call } = modifyArgs(tk);
    const f = tk.tk.addr('bpf_modify_return_test');
    const body = tk.tk.callSite('bpf_modify_return_test').ip + 4n;
    const pcs: bigint[] = [];
    const cpu = tk.kernel.machine.cpus[0]!;
    cpu.traceHook = (_c, pc) => pcs.push(pc);
    expect(BigInt.asIntN(64, call())).toBe(EINVAL);
    cpu.traceHook = undefined;
    expect(tk.kernel.machine.memory.read32(b)).toBe(2);
    expect(pcs).not.toContain(body);
    expect(pcs.filter((p) => p === f)).toHaveLength(1);
    // fexit's ctx: a, b, then the overriding return value.
    expect(t[1]!.read('ARG0')).toBe(1n);
    expect(t[1]!.read('CTX1')).toBe(b);
    expect(functionGraph(tk.ftrace).retStack(0)).toEqual([]);
    expect(runModifyReturn(tk)).toMatchObject({ sideEffect: 0, ret: -22 });
  });
});

describe('ops strategy: a full return stack', () => {
  it('a call that cannot hook its return runs none of its programs and counts trace_overrun (fprobe: nmissed)', () => {
    const tk = kernel();
    const graph = functionGraph(tk.ftrace, { depth: 1 });
    const { t } = tracers(tk, 6);
    const funcs = ['workload_entry', 'workload_middle', 'bpf_fentry_test1'];
    funcs.forEach((f, i) => {
      const att = opsStrategy.attachment(tk, f);
      att.link({ prog: t[2 * i]!.prog, kind: 'fentry', cookie: 0n });
      att.link({ prog: t[2 * i + 1]!.prog, kind: 'fexit', cookie: 0n });
    });
    expect(tk.kernel.machine.call(tk.tk.addr('workload_entry'), [5n])).toBe(13n);
    // workload_entry took the only slot; the two nested calls found the stack full.
    expect(t.map((x) => x.read('HITS'))).toEqual([1n, 1n, 0n, 0n, 0n, 0n]);
    expect(t[1]!.read('CTX1')).toBe(13n);
    expect(graph.overruns(0)).toBe(2);
    expect(graph.retStack(0)).toEqual([]);
    // A call that starts with an empty stack is hooked again.
    expect(tk.kernel.machine.call(tk.tk.addr('bpf_fentry_test1'), [5n])).toBe(6n);
    expect([t[4]!.read('HITS'), t[5]!.read('HITS')]).toEqual([1n, 1n]);
  });
});

describe('ops strategy: fmod_ret override next to a return hook that runs after it', () => {
  it.each(['args', 'regs'] as const)(
    'frame %s: the hook (registered first, so called after the BPF op) still sees the overriding return',
    (frame) => {
      const tk = kernel({ frame });
      const k = tk.kernel;
      // A return hook registered before the BPF op sits behind it on ftrace_ops_list (ops are added at the
      // head), so it replaces frame->lr after the fmod_ret program already decided to skip the function.
      const exit = countingExitCallback(k, 'late_hook_exit');
      const hook = registerReturnHook(tk.ftrace, {
        name: 'late_hook',
        filter: 'bpf_modify_return_test',
        exit: exit.func,
      });
      const skipper = tracers(tk, 1, EINVAL).t[0]!;
      opsStrategy
        .attachment(tk, 'bpf_modify_return_test')
        .link({ prog: skipper.prog, kind: 'fmod_ret', cookie: 0n });
      expect(tk.ftrace.memOpsList()[0]).toBe(opsOf(tk, 'bpf_modify_return_test')!.address);
      for (let i = 0; i < 3; i++) expect(runModifyReturn(tk)).toMatchObject({ sideEffect: 0, ret: -22 });
      expect(exit.count()).toBe(3n);
      expect(BigInt.asIntN(64, exit.last()[1])).toBe(EINVAL);
      expect(functionGraph(tk.ftrace).retStack(0)).toEqual([]);
      unregisterReturnHook(tk.ftrace, hook);
      expect(runModifyReturn(tk)).toMatchObject({ sideEffect: 0, ret: -22 });
    },
  );
});

describe('ops strategy: the arguments are saved twice', () => {
  it.each([
    ['args', 'fentry'],
    ['regs', 'fentry'],
    ['args', 'fexit'],
    ['regs', 'fexit'],
  ] as const)(
    'frame %s, %s: once by ftrace_caller, once into the BPF ctx by the entry code',
    (frame, kind) => {
      const tk = kernel({ frame });
      const { t } = tracers(tk, 1);
      opsStrategy.attachment(tk, 'bpf_fentry_test6').link({ prog: t[0]!.prog, kind, cookie: 0n });
      const args = [16n, 17n, 18n, 19n, 20n, 21n];
      const ip = tk.tk.callSite('bpf_fentry_test6').ip;
      const m = measureCall(tk.kernel, tk.tk.addr('bpf_fentry_test6'), args, { ip, trace: false });
      expect(m.result).toBe(111n);
      // Stores on the way in: those of the stand-in program (t0, not named bpf_prog_*) and of
      // return_to_handler (which saves x0–x7 after the function returned, some still holding argument
      // values) are not part of the entry path.
      const where = (pc: bigint): string => tk.kernel.kallsyms.lookup(pc)?.sym.name ?? '?';
      const entry = m.argStores.filter((s) => !['t0', 'return_to_handler'].includes(where(s.pc)));
      const counts = args.map((_, i) => entry.filter((s) => s.args.includes(i)).length);
      expect(counts).toEqual([2, 2, 2, 2, 2, 2]);
      const caller = frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';
      expect([...new Set(entry.map((s) => where(s.pc)))].sort()).toEqual(
        [caller, 'bpf_fprobe_entry_bpf_fentry_test6'].sort(),
      );
      // Each save stores every argument exactly once, as 8-byte slots.
      for (const sym of [caller, 'bpf_fprobe_entry_bpf_fentry_test6']) {
        const saves = entry.filter((s) => where(s.pc) === sym);
        expect(saves.flatMap((s) => s.args).sort()).toEqual([0, 1, 2, 3, 4, 5]);
        expect(saves.every((s) => s.size === 8)).toBe(true);
      }
    },
  );
});

describe('ops strategy: changes and lifetime', () => {
  it('detach: the site is a NOP again, the op unregistered, the code freed after a grace period; re-attach works', () => {
    const tk = kernel();
    const { t } = tracers(tk, 2);
    const att = opsStrategy.attachment(tk, 'bpf_fentry_test3') as OpsAttachment;
    const l0: TrampLink = { prog: t[0]!.prog, kind: 'fentry', cookie: 0n };
    const l1: TrampLink = { prog: t[1]!.prog, kind: 'fexit', cookie: 0n };
    att.link(l0);
    att.link(l1);
    const f = tk.tk.addr('bpf_fentry_test3');
    expect(tk.kernel.machine.call(f, [4n, 5n, 6n])).toBe(15n);
    expect(opsOf(tk, 'bpf_fentry_test3')).toBeDefined();
    att.unlink(l1);
    att.unlink(l0);
    expect(opsOf(tk, 'bpf_fentry_test3')).toBeUndefined();
    const ip = tk.tk.callSite('bpf_fentry_test3').ip;
    expect(tk.kernel.machine.memory.read32(ip)).toBe(0xd503201f);
    expect(tk.kernel.kallsyms.lookupName('bpf_fprobe_entry_bpf_fentry_test3')).toBeUndefined();
    expect(tk.kernel.kallsyms.lookupName('bpf_fprobe_exit_bpf_fentry_test3')).toBeUndefined();
    expect(tk.kernel.machine.call(f, [4n, 5n, 6n])).toBe(15n);
    expect([t[0]!.read('HITS'), t[1]!.read('HITS')]).toEqual([1n, 1n]);
    expect(tk.ftrace.verify()).toEqual([]);
    att.link(l1);
    expect(tk.kernel.machine.call(f, [4n, 5n, 6n])).toBe(15n);
    expect([t[0]!.read('HITS'), t[1]!.read('HITS')]).toEqual([1n, 2n]);
    expect(t[1]!.read('CTX1')).toBe(5n);
    expect(tk.kernel.machine.icache.reports).toEqual([]);
  });

  it('step mode: the code of an unregistered op is freed only after ftrace applied the unlink (and a grace period)', () => {
    const tk = createTracingKernel(KERNEL, { strategy: opsStrategy, mode: 'step' });
    const { t } = tracers(tk, 1);
    const att = opsStrategy.attachment(tk, 'bpf_fentry_test4') as OpsAttachment;
    const l: TrampLink = { prog: t[0]!.prog, kind: 'fentry', cookie: 0n };
    att.link(l);
    expect(tk.ftrace.drain()).toBe(false);
    const entry = att.code!.code.entry;
    att.unlink(l);
    // Every CPU is idle, so a grace period would end at once; but the op is still on ftrace_ops_list.
    expect(tk.ftrace.pending.length).toBeGreaterThan(0);
    expect(opsParkedFrees(tk)).toBe(1);
    expect(tk.kernel.kallsyms.lookup(entry)?.sym.name).toBe('bpf_fprobe_entry_bpf_fentry_test4');
    const f = tk.tk.addr('bpf_fentry_test4');
    expect(tk.kernel.machine.call(f, [7n, 8n, 9n, 10n])).toBe(34n);
    expect(t[0]!.read('HITS')).toBe(1n);
    expect(tk.ftrace.drain()).toBe(false);
    expect(opsParkedFrees(tk)).toBe(0);
    expect(tk.kernel.kallsyms.lookupName('bpf_fprobe_entry_bpf_fentry_test4')).toBeUndefined();
    expect(tk.kernel.machine.call(f, [7n, 8n, 9n, 10n])).toBe(34n);
    expect(t[0]!.read('HITS')).toBe(1n);
    expect(tk.ftrace.verify()).toEqual([]);
  });

  it('a link change while a call is inside the function: the old code lives until the call left; the call skips fexit', () => {
    const tk = kernel();
    const { t } = tracers(tk, 2);
    const att = opsStrategy.attachment(tk, 'bpf_fentry_test1') as OpsAttachment;
    att.link({ prog: t[0]!.prog, kind: 'fexit', cookie: 0n });
    const old = att.code!;
    const k = tk.kernel;
    const cpu = k.machine.cpus[0]!;
    const body = tk.tk.callSite('bpf_fentry_test1').ip + 4n;
    k.machine.prepareCall(cpu, tk.tk.addr('bpf_fentry_test1'), [1n]);
    let steps = 0;
    while (cpu.pc !== body && steps++ < 10_000) cpu.step();
    expect(cpu.pc).toBe(body);
    expect(functionGraph(tk.ftrace).retStack(0)).toHaveLength(1);

    att.link({ prog: t[1]!.prog, kind: 'fentry', cookie: 0n });
    expect(att.code!.generation).toBe(old.generation + 1n);
    k.rcu.poll();
    // CPU 0 is mid-call: no grace period, the old code is still there.
    expect(k.kallsyms.lookup(old.code.entry)?.sym.name).toBe('bpf_fprobe_entry_bpf_fentry_test1');
    do cpu.run(1000);
    while (!cpu.stopRequested && !cpu.halted);
    expect(cpu.fault).toBeUndefined();
    expect(cpu.x(0)).toBe(2n);
    // The call entered the old generation: its return skipped fexit (as a call inside a retired image does).
    expect(t[0]!.read('HITS')).toBe(0n);
    k.rcu.poll();
    expect(k.kallsyms.lookup(old.code.entry)?.sym.name).not.toBe('bpf_fprobe_entry_bpf_fentry_test1');
    expect(k.machine.call(tk.tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
    expect([t[0]!.read('HITS'), t[1]!.read('HITS')]).toEqual([1n, 1n]);
    expect(t[0]!.read('CTX1')).toBe(2n);
  });
});
