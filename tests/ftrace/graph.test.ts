/**
 * Return hooking (function graph) on the emulated kernel. First the A64 pieces alone with hand-built
 * frames (ftrace_graph_func rewrites the frame's lr slot and pushes an entry; return_to_handler preserves
 * x0–x7, calls the exit callback with the return value and returns to the saved address; its fatal checks
 * fault), then end to end through ftrace-live's ftrace_caller for every fixture build × frame × dispatch:
 * exit callbacks see (ip = the BL slot, retval, parent = the return address the object's relocation
 * gives, gops), in LIFO order; several hooks on one function; entry callbacks that decline; depth overflow
 * counted; recursion from exit and entry callbacks; removal with a return still pending; the fgraph array
 * limit; nothing half-applied on bad input; two CPUs at once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { disassemble } from '../../src/a64/index.js';
import { LR, SP, X } from '../../src/a64/builder.js';
import {
  attachFtrace,
  countingCallback,
  FRAME_LAYOUTS,
  workerLoop,
  type FrameKind,
  type FtraceKernel,
} from '../../src/ftrace/index.js';
import {
  countingEntryCallback,
  countingExitCallback,
  FGRAPH_ARRAY_SIZE,
  buildGraphText,
  functionGraph,
  registerReturnHook,
  unregisterReturnHook,
  type FunctionGraph,
} from '../../src/ftrace/graph/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import {
  createTestKernel,
  TEST_KERNEL_VARIANTS,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../src/kernel/testkernel.js';
import { MachineFault, PERM_R, PERM_W, RETURN_TRAMPOLINE, type Cpu } from '../../src/machine/index.js';
import { KernelError } from '../../src/util/errors.js';
import { returnOffset } from '../helpers/elf-oracle.js';

interface Setup {
  tk: TestKernel;
  k: Kernel;
  ft: FtraceKernel;
  g: FunctionGraph;
}

function setup(
  variant: TestKernelVariant,
  frame: FrameKind,
  dispatch: 'callops' | 'global',
  opts: { depth?: number; cpus?: number } = {},
): Setup {
  const tk = createTestKernel(readFileSync(testKernelFixture(variant)), {
    layout: { kind: 'kaslr', seed: 7 },
    ...(opts.cpus ? { machine: { cpus: opts.cpus } } : {}),
  });
  const ft = attachFtrace(tk.kernel, { frame, dispatch, sites: tk.callSites });
  const g = functionGraph(ft, opts.depth === undefined ? {} : { depth: opts.depth });
  return { tk, k: tk.kernel, ft, g };
}

/**
 * A callback that appends the chosen argument registers to a log in kernel data and returns x0 unchanged
 * (so as an entry callback it hooks: x0 = ip ≠ 0).
 */
function logCallback(
  k: Kernel,
  name: string,
  regs: readonly number[],
  pre?: (a: Asm) => void,
): { func: bigint; read(): bigint[][] } {
  const data = k.imageAlloc(8 + 64 * 32, 'data', 64).address;
  const at = k.imageAlloc(128, 'text', 16).address;
  const a = new Asm(at);
  a.bti('c');
  pre?.(a);
  a.movImm(X[9]!, data);
  a.ldr(X[10]!, X[9]!, 0);
  a.add(X[11]!, X[9]!, 8);
  a.add(X[11]!, X[11]!, X[10]!, { shift: 'lsl', amount: 5 });
  regs.forEach((r, i) => a.str(X[r]!, X[11]!, 8 * i));
  a.add(X[10]!, X[10]!, 1);
  a.str(X[10]!, X[9]!, 0);
  a.ret();
  k.writeText(at, a.finish().bytes);
  k.kallsyms.add({ name, address: at, size: 128n, type: 't' });
  const mem = k.machine.memory;
  mem.write64(data, 0n);
  return {
    func: at,
    read: () => {
      const n = Number(mem.read64(data));
      return Array.from({ length: n }, (_, i) =>
        regs.map((_, j) => mem.read64(data + 8n + BigInt(32 * i + 8 * j))),
      );
    },
  };
}

/** A callback with a frame record that counts, then calls `target(1)` (in BL range); returns 1. */
function callingCallback(k: Kernel, name: string, target: bigint): { func: bigint; count(): bigint } {
  const data = k.imageAlloc(8, 'data', 8).address;
  const at = k.imageAlloc(64, 'text', 16).address;
  const a = new Asm(at);
  a.bti('c');
  a.stp(X[29]!, LR, SP, -16, 'pre');
  a.mov(X[29]!, SP);
  a.movImm(X[9]!, data);
  a.ldr(X[10]!, X[9]!, 0);
  a.add(X[10]!, X[10]!, 1);
  a.str(X[10]!, X[9]!, 0);
  a.mov(X[0]!, 1);
  a.bl(target); // a direct call: GCC-built functions have no BTI landing pad
  a.mov(X[0]!, 1);
  a.ldp(X[29]!, LR, SP, 16, 'post');
  a.ret();
  k.writeText(at, a.finish().bytes);
  k.kallsyms.add({ name, address: at, size: 64n, type: 't' });
  k.machine.memory.write64(data, 0n);
  return { func: at, count: () => k.machine.memory.read64(data) };
}

function resume(cpu: Cpu): bigint {
  for (let i = 0; i < 100 && !cpu.halted; i++) {
    cpu.run(1_000_000);
    if (cpu.stopRequested) break;
  }
  if (cpu.fault) {
    const f = cpu.fault;
    cpu.fault = undefined;
    cpu.halted = false;
    throw f;
  }
  expect(cpu.pc).toBe(RETURN_TRAMPOLINE + 4n);
  return cpu.x(0);
}

describe.each(['args', 'regs'] as const)('the A64 pieces with a hand-built %s frame', (frame) => {
  const { tk, k, ft, g } = setup('gcc-pfe42', frame, 'callops');
  const L = FRAME_LAYOUTS[frame];
  const mem = k.machine.memory;
  const exit = countingExitCallback(k, 'exit_count');
  const hook = registerReturnHook(ft, { name: 'unit_hook', filter: 'bpf_fentry_test2', exit: exit.func });
  const FRAME = 0xffff_0000_5100_0000n;
  mem.map(FRAME, 4096, PERM_R | PERM_W);
  const IP = tk.callSite('bpf_fentry_test2').ip;
  const FP = 0xffff_0000_5100_0800n;
  const cpu = k.machine.cpus[0]!;

  const enter = (): void => {
    mem.write64(FRAME + BigInt(L.lr), RETURN_TRAMPOLINE);
    mem.write64(FRAME + BigInt(L.fp), FP);
    k.machine.call(g.text.graphFunc, [IP, RETURN_TRAMPOLINE, hook.ops.address, FRAME]);
  };
  /** Run return_to_handler as the traced function's `ret` would reach it. */
  const leave = (fp: bigint, regs: bigint[]): bigint => {
    k.machine.prepareCall(cpu, g.text.returnToHandler, regs);
    cpu.setX(29, fp);
    cpu.setX(30, 0xdeadn); // the traced function's own lr is spent: return_to_handler must not use it
    return resume(cpu);
  };

  it('ftrace_graph_func pushes {ret, func, fp, gops} and points the lr slot at return_to_handler', () => {
    enter();
    expect(mem.read64(FRAME + BigInt(L.lr))).toBe(g.text.returnToHandler);
    expect(g.retStack(0)).toEqual([{ ret: RETURN_TRAMPOLINE, func: IP, fp: FP, gops: hook.gops }]);
    const regs = [0x1111n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
    const sp = cpu.sp;
    expect(leave(FP, regs)).toBe(0x1111n);
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => cpu.x(r))).toEqual(regs.slice(1));
    expect([cpu.x(29), cpu.sp]).toEqual([FP, sp]);
    expect(exit.count()).toBe(1n);
    expect(exit.last()).toEqual([IP, 0x1111n, RETURN_TRAMPOLINE, hook.gops]);
    expect(g.retStack(0)).toEqual([]);
  });

  it('a return with another frame pointer is the kernel\'s "Bad frame pointer" (brk), nothing popped', () => {
    enter();
    expect(() => leave(FP + 16n, [1n])).toThrow(/Breakpoint .* brk #0x4d81/);
    expect(g.retStack(0)).toHaveLength(1);
    expect(leave(FP, [1n])).toBe(1n);
    expect(() => leave(FP, [1n])).toThrow(MachineFault);
    expect(() => leave(FP, [1n])).toThrow(/brk #0x4d80/);
  });
});

for (const variant of TEST_KERNEL_VARIANTS)
  for (const frame of ['args', 'regs'] as const)
    for (const dispatch of ['callops', 'global'] as const) {
      if (variant === 'gcc-pfe2' && dispatch === 'callops') continue; // =2 sites have no ops literal
      describe(`${variant} ${frame} ${dispatch}`, () => {
        const middleRet = returnOffset(variant, 'workload_middle', 'bpf_fentry_test1');
        const entryRet = returnOffset(variant, 'workload_entry', 'workload_middle');

        it('the exit callback sees ip, the return value and the parent; x0 reaches the caller', () => {
          const { tk, k, ft, g } = setup(variant, frame, dispatch);
          const exit = countingExitCallback(k, 'exit_a');
          const h = registerReturnHook(ft, { name: 'hook_a', filter: 'bpf_fentry_test1', exit: exit.func });
          expect(k.machine.call(tk.addr('workload_entry'), [5n])).toBe(13n);
          expect(exit.last()).toEqual([
            tk.callSite('bpf_fentry_test1').ip,
            6n,
            tk.addr('workload_middle') + middleRet,
            h.gops,
          ]);
          expect(k.machine.call(tk.addr('bpf_fentry_test1'), [41n])).toBe(42n);
          expect(exit.last().slice(1, 3)).toEqual([42n, RETURN_TRAMPOLINE]);
          expect(k.machine.call(tk.addr('bpf_fentry_test2'), [1n, 2n])).toBe(3n);
          expect(exit.count()).toBe(2n);
          expect([g.retStack(0), g.overruns(0)]).toEqual([[], 0]);
          unregisterReturnHook(ft, h);
          expect(k.machine.call(tk.addr('workload_entry'), [5n])).toBe(13n);
          expect(exit.count()).toBe(2n);
          expect(k.machine.icache.reports).toEqual([]);
        });

        it('nested hooked functions return innermost first; entry and exit logs mirror each other', () => {
          const { tk, k, ft, g } = setup(variant, frame, dispatch);
          const ent = logCallback(k, 'entry_log', [0, 2]); // ip, gops
          const ex = logCallback(k, 'exit_log', [0, 1, 2, 3]); // ip, retval, parent, gops
          const h = registerReturnHook(ft, {
            name: 'hook_all',
            filter: 'workload_entry workload_middle bpf_fentry_test1',
            entry: ent.func,
            exit: ex.func,
          });
          expect(k.machine.call(tk.addr('workload_entry'), [5n])).toBe(13n);
          const ip = (f: string): bigint => tk.callSite(f).ip;
          expect(ent.read()).toEqual([
            [ip('workload_entry'), h.gops],
            [ip('workload_middle'), h.gops],
            [ip('bpf_fentry_test1'), h.gops],
          ]);
          expect(ex.read()).toEqual([
            [ip('bpf_fentry_test1'), 6n, tk.addr('workload_middle') + middleRet, h.gops],
            [ip('workload_middle'), 12n, tk.addr('workload_entry') + entryRet, h.gops],
            [ip('workload_entry'), 13n, RETURN_TRAMPOLINE, h.gops],
          ]);
          expect(g.retStack(0)).toEqual([]);
        });

        it('two hooks on one function: one return each, newest entry first; both see the value', () => {
          const { tk, k, ft, g } = setup(variant, frame, dispatch);
          const ent = logCallback(k, 'entry_log', [2]);
          const ex = logCallback(k, 'exit_log', [1, 2, 3]);
          const a = registerReturnHook(ft, {
            name: 'a',
            filter: 'workload_middle',
            entry: ent.func,
            exit: ex.func,
          });
          const b = registerReturnHook(ft, {
            name: 'b',
            filter: 'workload_*',
            entry: ent.func,
            exit: ex.func,
          });
          expect(k.machine.call(tk.addr('workload_middle'), [20n])).toBe(42n);
          const order = ent.read().map(([gops]) => gops!);
          expect(new Set(order)).toEqual(new Set([a.gops, b.gops]));
          // Both returns go to the real caller: the inner hook's saved "parent" is return_to_handler.
          expect(ex.read()).toEqual([
            [42n, g.text.returnToHandler, order[1]],
            [42n, RETURN_TRAMPOLINE, order[0]],
          ]);
          unregisterReturnHook(ft, a);
          expect(k.machine.call(tk.addr('workload_entry'), [20n])).toBe(43n);
          expect(ex.read().slice(2)).toEqual([
            [42n, tk.addr('workload_entry') + entryRet, b.gops],
            [43n, RETURN_TRAMPOLINE, b.gops],
          ]);
          expect(g.retStack(0)).toEqual([]);
        });
      });
    }

describe.each(['args', 'regs'] as const)('per-call data (%s frame)', (frame) => {
  it('what the entry callback stores in its data area is what the exit callback of that call reads', () => {
    // GCC keeps tramp64_trigger_loop's calls (clang folds them away: tramp64_trigger returns its argument).
    const { tk, k, ft, g } = setup('gcc-pfe42', frame, 'callops');
    // entry: data[0] = the traced function's first argument (frame x0), data[1] = its BL slot; hook it.
    const at = k.imageAlloc(64, 'text', 16).address;
    const a = new Asm(at);
    a.bti('c');
    a.ldr(X[9]!, X[3]!, FRAME_LAYOUTS[frame].x0);
    a.stp(X[9]!, X[0]!, X[4]!, 0);
    a.mov(X[0]!, 1);
    a.ret();
    k.writeText(at, a.finish().bytes);
    k.kallsyms.add({ name: 'entry_save_arg', address: at, size: 64n, type: 't' });
    const ex = logCallback(k, 'exit_log', [0, 1, 5, 6], (b) => b.ldp(X[5]!, X[6]!, X[4]!, 0));
    registerReturnHook(ft, {
      name: 'args_hook',
      filter: 'tramp64_trigger tramp64_trigger_loop',
      entry: at,
      exit: ex.func,
    });
    expect(k.machine.call(tk.addr('tramp64_trigger_loop'), [4n])).toBe(6n);
    const trig = tk.callSite('tramp64_trigger').ip;
    const loop = tk.callSite('tramp64_trigger_loop').ip;
    expect(ex.read()).toEqual([
      [trig, 0n, 0n, trig],
      [trig, 1n, 1n, trig],
      [trig, 2n, 2n, trig],
      [trig, 3n, 3n, trig],
      [loop, 6n, 4n, loop],
    ]);
    expect(g.retStack(0)).toEqual([]);
  });
});

describe('entry callbacks, depth and recursion (gcc-pfe42, args, callops)', () => {
  it('an entry callback returning 0 leaves the return alone', () => {
    const { tk, k, ft, g } = setup('gcc-pfe42', 'args', 'callops');
    const no = countingEntryCallback(k, 'entry_no', { hook: false });
    const yes = countingEntryCallback(k, 'entry_yes');
    const ex1 = countingExitCallback(k, 'exit_1');
    const ex2 = countingExitCallback(k, 'exit_2');
    registerReturnHook(ft, { name: 'h1', filter: 'bpf_fentry_test1', entry: no.func, exit: ex1.func });
    registerReturnHook(ft, { name: 'h2', filter: 'bpf_fentry_test1', entry: yes.func, exit: ex2.func });
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
    expect([no.count(), yes.count(), ex1.count(), ex2.count()]).toEqual([1n, 1n, 0n, 1n]);
    expect(no.last()[0]).toBe(tk.callSite('bpf_fentry_test1').ip);
    expect(g.retStack(0)).toEqual([]);
  });

  it('a full return stack skips the hook and counts an overrun; the calls still return their values', () => {
    const { tk, k, ft, g } = setup('gcc-pfe42', 'args', 'callops', { depth: 2 });
    const ex = logCallback(k, 'exit_log', [0, 1]);
    registerReturnHook(ft, { name: 'h', filter: 'workload_* bpf_fentry_test1', exit: ex.func });
    expect(k.machine.call(tk.addr('workload_entry'), [5n])).toBe(13n);
    const ip = (f: string): bigint => tk.callSite(f).ip;
    expect(ex.read()).toEqual([
      [ip('workload_middle'), 12n],
      [ip('workload_entry'), 13n],
    ]);
    expect([g.overruns(0), g.retStack(0).length]).toEqual([1, 0]);
    expect(() => functionGraph(ft, { depth: 3 })).toThrow(KernelError);
  });

  it('a traced function called from an exit callback is hooked above the pending entry, until the stack is full', () => {
    for (const depth of [1, 5, 50]) {
      const { tk, k, ft, g } = setup('gcc-pfe42', 'args', 'callops', { depth });
      const cb = callingCallback(k, 'exit_calls_test1', tk.addr('bpf_fentry_test1'));
      registerReturnHook(ft, { name: 'h', filter: 'bpf_fentry_test1', exit: cb.func });
      expect(k.machine.call(tk.addr('workload_entry'), [5n])).toBe(13n);
      expect([cb.count(), g.overruns(0), g.retStack(0).length]).toEqual([BigInt(depth), 1, 0]);
    }
  });

  it('a traced function called from an entry callback is not hooked (the graph recursion bit)', () => {
    const { tk, k, ft, g } = setup('gcc-pfe42', 'args', 'callops');
    const cb = callingCallback(k, 'entry_calls_test1', tk.addr('bpf_fentry_test1'));
    const ex = countingExitCallback(k, 'exit_c');
    registerReturnHook(ft, { name: 'h', filter: 'bpf_fentry_test1', entry: cb.func, exit: ex.func });
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [3n])).toBe(4n);
    expect([cb.count(), ex.count()]).toEqual([1n, 1n]);
    expect(ex.last()[1]).toBe(4n);
    expect(g.retStack(0)).toEqual([]);
  });
});

describe('registration lifetime and bad input (gcc-pfe2, regs, global)', () => {
  it('removal with a return pending: the function still returns to its caller, the callback is skipped', () => {
    const { tk, k, ft, g } = setup('gcc-pfe2', 'regs', 'global');
    const ex = countingExitCallback(k, 'exit_p');
    const h = registerReturnHook(ft, { name: 'h', filter: 'bpf_fentry_test1', exit: ex.func });
    const cpu = k.machine.cpus[0]!;
    const bp = tk.callSite('bpf_fentry_test1').ip + 4n;
    cpu.addBreakpoint(bp);
    k.machine.call(tk.addr('workload_entry'), [5n]);
    cpu.removeBreakpoint(bp);
    expect(g.retStack(0).map((e) => e.gops)).toEqual([h.gops]);
    unregisterReturnHook(ft, h);
    expect(() => unregisterReturnHook(ft, h)).toThrow(
      /ENOENT: function graph: h is not a registered return hook/,
    );
    // The pending entry still refers to h's fgraph_ops, so a new hook must not get it.
    const h2 = registerReturnHook(ft, { name: 'h2', filter: 'bpf_fentry_test2', exit: ex.func });
    expect(h2.gops).not.toBe(h.gops);
    expect(resume(cpu)).toBe(13n);
    expect([ex.count(), g.retStack(0).length]).toEqual([0n, 0]);
    unregisterReturnHook(ft, h2);
    // Now nothing refers to either and a grace period passed (every CPU idle): the memory is reused.
    const h3 = registerReturnHook(ft, { name: 'h3', filter: 'bpf_fentry_test3', exit: ex.func });
    expect([h.gops, h2.gops]).toContain(h3.gops);
    expect(k.machine.call(tk.addr('bpf_fentry_test3'), [1n, 2n, 3n])).toBe(6n);
    expect(ex.last().slice(1)).toEqual([6n, RETURN_TRAMPOLINE, h3.gops]);
  });

  it(`the fgraph array holds ${FGRAPH_ARRAY_SIZE} hooks; the next is ENOSPC and changes nothing`, () => {
    const { tk, k, ft, g } = setup('gcc-pfe2', 'regs', 'global');
    const ex = countingExitCallback(k, 'exit_n');
    const hooks = Array.from({ length: FGRAPH_ARRAY_SIZE }, (_, i) =>
      registerReturnHook(ft, { name: `h${i}`, filter: 'bpf_fentry_test2', exit: ex.func }),
    );
    expect(hooks.map((h) => h.idx)).toEqual([...Array(FGRAPH_ARRAY_SIZE).keys()]);
    const ops = ft.core.opsList.length;
    expect(() => registerReturnHook(ft, { name: 'h16', filter: 'bpf_fentry_test2', exit: ex.func })).toThrow(
      /ENOSPC: function graph: 16 return hooks are registered \(FGRAPH_ARRAY_SIZE\); unregister one first/,
    );
    expect([ft.core.opsList.length, g.hooks.length]).toEqual([ops, FGRAPH_ARRAY_SIZE]);
    expect(k.machine.call(tk.addr('bpf_fentry_test2'), [1n, 2n])).toBe(3n);
    expect(ex.count()).toBe(16n);
    unregisterReturnHook(ft, hooks[3]!);
    expect(registerReturnHook(ft, { name: 'h16', filter: 'bpf_fentry_test2', exit: ex.func }).idx).toBe(3);
  });

  it('no exit callback is EINVAL; a filter matching nothing fails with nothing registered', () => {
    const { tk, k, ft, g } = setup('gcc-pfe2', 'regs', 'global');
    expect(() => registerReturnHook(ft, { name: 'z', filter: 'bpf_fentry_test1', exit: 0n })).toThrow(
      /EINVAL: function graph: z has no exit callback/,
    );
    const ex = countingExitCallback(k, 'exit_z');
    const ops = ft.core.opsList.length;
    expect(() => registerReturnHook(ft, { name: 'y', filter: 'no_such_function', exit: ex.func })).toThrow(
      KernelError,
    );
    expect([ft.core.opsList.length, g.hooks.length]).toEqual([ops, 0]);
    expect(k.machine.call(tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
    expect(ex.count()).toBe(0n);
    const h = registerReturnHook(ft, { name: 'y', filter: 'bpf_fentry_test1', exit: ex.func });
    expect(h.idx).toBe(0);
  });
});

it('two CPUs call a hooked function at once under a seeded scheduler; each task keeps its own stack', () => {
  for (const seed of [1, 2, 3]) {
    const { tk, k, ft, g } = setup('clang-bti-pfe42', 'args', 'callops', { cpus: 2 });
    const ex = countingExitCallback(k, 'exit_smp');
    const op = countingCallback(k, 'op_smp');
    const ops = ft.newOps({ name: 'plain_ops', func: op.func });
    ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
    ft.register(ops);
    registerReturnHook(ft, { name: 'h', filter: 'workload_middle bpf_fentry_test1', exit: ex.func });
    const worker = workerLoop(k, 'worker', tk.addr('workload_middle'));
    const m = k.machine;
    m.prepareCall(m.cpus[0]!, worker, [40n]);
    m.prepareCall(m.cpus[1]!, worker, [30n]);
    m.runAll({ mode: 'random', seed, quantum: 7 });
    for (const cpu of m.cpus) {
      expect(cpu.fault).toBeUndefined();
      expect(cpu.x(0)).toBe(BigInt(cpu.id === 0 ? 40 : 30));
    }
    expect([ex.count(), op.read()]).toEqual([140n, 70n]);
    expect([g.retStack(0), g.retStack(1), g.overruns(0) + g.overruns(1)]).toEqual([[], [], 0]);
  }
});

/** The graph text at base 0 as an annotated listing (the expect file of principle 9, kept inline). */
function listing(frame: FrameKind): string {
  const t = buildGraphText(0n, frame);
  const dv = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const out: string[] = [];
  for (let o = 0; o < t.bytes.length; o += 4) {
    const s = t.symbols.find((x) => x.address === BigInt(o));
    if (s) out.push(`${s.name}:`);
    const text = disassemble(dv.getUint32(o, true), { address: BigInt(o) });
    expect(text, `word at +0x${o.toString(16)}`).toBeDefined();
    out.push(`${o.toString(16).padStart(4)}  ${text!.replace(/\t/g, ' ')}`);
  }
  return out.join('\n');
}

it('the graph text, args frame (regs differs only in the lr/fp slot offsets)', () => {
  const args = listing('args');
  const regs = listing('regs');
  const diff = args
    .split('\n')
    .map((l, i) => [l, regs.split('\n')[i]!] as const)
    .filter(([a, b]) => a !== b);
  expect(diff).toEqual([
    ['  54  ldr x13, [x21, #88]', '  54  ldr x13, [x21, #240]'],
    ['  58  ldr x14, [x21, #80]', '  58  ldr x14, [x21, #232]'],
    ['  94  str x13, [x21, #88]', '  94  str x13, [x21, #240]'],
  ]);
  expect(args).toMatchInlineSnapshot(`
    "ftrace_graph_func:
       0  bti c
       4  stp x29, x30, [sp, #-64]!
       8  mov x29, sp
       c  stp x19, x20, [sp, #16]
      10  stp x21, x22, [sp, #32]
      14  stp x23, x24, [sp, #48]
      18  mrs x23, SP_EL0
      1c  ldr x9, [x23, #7936]
      20  tbnz w9, #1, 0xb0
      24  sub x24, x2, #16
      28  ldr x15, [x24, #8]
      2c  cbz x15, 0xb0
      30  ldr x20, [x23, #7688]
      34  ldr x11, [x23, #7696]
      38  cmp x20, x11
      3c  b.hs 0xa4
      40  add x11, x20, #1
      44  str x11, [x23, #7688]
      48  ldr x22, [x23, #7680]
      4c  add x22, x22, x20, lsl #7
      50  mov x21, x3
      54  ldr x13, [x21, #88]
      58  ldr x14, [x21, #80]
      5c  stp x13, x0, [x22]
      60  stp x14, x24, [x22, #16]
      64  ldr x15, [x24]
      68  cbz x15, 0x90
      6c  orr x9, x9, #0x2
      70  str x9, [x23, #7936]
      74  mov x2, x24
      78  add x4, x22, #32
      7c  blr x15
      80  ldr x9, [x23, #7936]
      84  and x9, x9, #0xfffffffffffffffd
      88  str x9, [x23, #7936]
      8c  cbz x0, 0x9c
      90  adr x13, #64
      94  str x13, [x21, #88]
      98  b 0xb0
      9c  str x20, [x23, #7688]
      a0  b 0xb0
      a4  ldr x9, [x23, #7704]
      a8  add x9, x9, #1
      ac  str x9, [x23, #7704]
      b0  ldp x23, x24, [sp, #48]
      b4  ldp x21, x22, [sp, #32]
      b8  ldp x19, x20, [sp, #16]
      bc  ldp x29, x30, [sp], #64
      c0  ret
      c4  nop
      c8  nop
      cc  nop
    return_to_handler:
      d0  sub sp, sp, #96
      d4  stp x0, x1, [sp]
      d8  stp x2, x3, [sp, #16]
      dc  stp x4, x5, [sp, #32]
      e0  stp x6, x7, [sp, #48]
      e4  str x29, [sp, #64]
      e8  adr x9, #-24
      ec  stp x29, x9, [sp, #80]
      f0  add x29, sp, #80
      f4  mov x0, sp
      f8  bl 0x120
      fc  mov x30, x0
     100  ldp x0, x1, [sp]
     104  ldp x2, x3, [sp, #16]
     108  ldp x4, x5, [sp, #32]
     10c  ldp x6, x7, [sp, #48]
     110  ldr x29, [sp, #64]
     114  add sp, sp, #96
     118  ret
     11c  nop
    ftrace_return_to_handler:
     120  bti c
     124  stp x29, x30, [sp, #-48]!
     128  mov x29, sp
     12c  stp x19, x20, [sp, #16]
     130  stp x21, x22, [sp, #32]
     134  mov x19, x0
     138  mrs x20, SP_EL0
     13c  ldr x9, [x20, #7688]
     140  cbz x9, 0x1a4
     144  sub x9, x9, #1
     148  ldr x10, [x20, #7680]
     14c  add x21, x10, x9, lsl #7
     150  ldr x10, [x21, #16]
     154  ldr x11, [x19, #64]
     158  cmp x10, x11
     15c  b.ne 0x1a8
     160  ldr x22, [x21, #24]
     164  ldr x9, [x22, #8]
     168  cbz x9, 0x184
     16c  ldr x0, [x21, #8]
     170  ldr x1, [x19]
     174  ldr x2, [x21]
     178  mov x3, x22
     17c  add x4, x21, #32
     180  blr x9
     184  ldr x0, [x21]
     188  ldr x9, [x20, #7688]
     18c  sub x9, x9, #1
     190  str x9, [x20, #7688]
     194  ldp x21, x22, [sp, #32]
     198  ldp x19, x20, [sp, #16]
     19c  ldp x29, x30, [sp], #48
     1a0  ret
     1a4  brk #0x4d80
     1a8  brk #0x4d81
     1ac  nop"
  `);
});
