/**
 * The unwinder through the live ftrace paths, for every fixture build × frame × dispatch — the "reliable
 * stacktrace" question answered by exact stacks. Stopped at a breakpoint:
 *
 *   inside an op callback     the traced function appears once, between ftrace_caller (its own frame
 *                             record {x29, x30}) and its parent (the call site's record {x29, x9}); with
 *                             two ops the list function sits in between
 *   inside an entry callback  the same, with ftrace_graph_func above ftrace_caller
 *   inside an exit callback   ftrace_return_to_handler, return_to_handler, then the parent recovered from
 *                             the task's return stack — the traced function's frame is gone; without the
 *                             fixup the parent is lost, which the test also shows
 *   below hooked callers      every return_to_handler in the chain (two hooks on one function, a hook on
 *                             the outermost function) is recovered in order
 *   in a nested exit callback an exit callback calling a hooked function: both return_to_handler levels
 *
 * Expected frames come from the code itself, not from the unwinder: return offsets of the test kernel from
 * the object's CALL26 relocations, and in the ftrace text the address after the one call instruction of
 * each routine (found by disassembly), formatted from the kallsyms record of the named symbol.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { attachFtrace, countingCallback, type FrameKind, type FtraceKernel } from '../../src/ftrace/index.js';
import {
  countingEntryCallback,
  countingExitCallback,
  functionGraph,
  registerReturnHook,
  type FunctionGraph,
} from '../../src/ftrace/graph/index.js';
import { Asm } from '../../src/a64/asm.js';
import { LR, SP, X } from '../../src/a64/builder.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import {
  createTestKernel,
  TEST_KERNEL_VARIANTS,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../src/kernel/testkernel.js';
import { formatStack, unwindCpu, type UnwindResult } from '../../src/kernel/unwind.js';
import { RETURN_TRAMPOLINE, type Cpu } from '../../src/machine/index.js';
import { returnOffset } from '../helpers/elf-oracle.js';

/** `%pS` of `pc` built from the kallsyms record of `name` (which must cover it). */
function pS(k: Kernel, name: string, pc: bigint): string {
  const s = k.kallsyms.lookupName(name);
  if (!s) throw new Error(`no symbol ${name}`);
  expect(pc >= s.address && pc < s.address + s.size).toBe(true);
  return `${name}+0x${(pc - s.address).toString(16)}/0x${s.size.toString(16)}`;
}

/** The return address of the one `bl`/`blr` in routine `name`. */
function afterCall(k: Kernel, name: string, mnemonic: 'bl' | 'blr'): bigint {
  const s = k.kallsyms.lookupName(name)!;
  const hits: bigint[] = [];
  for (let a = s.address; a < s.address + s.size; a += 4n) {
    const text = disassemble(k.machine.memory.read32(a), { address: a }) ?? '';
    if (text.split(/\s+/)[0] === mnemonic) hits.push(a);
  }
  expect(hits, `${mnemonic} in ${name}`).toHaveLength(1);
  return hits[0]! + 4n;
}

/** Where a BL at `at` goes. */
function blTarget(k: Kernel, at: bigint): bigint {
  let imm = k.machine.memory.read32(at) & 0x3ffffff;
  if (imm & 0x2000000) imm -= 0x4000000;
  return at + BigInt(imm * 4);
}

interface Setup {
  tk: TestKernel;
  k: Kernel;
  ft: FtraceKernel;
  g: FunctionGraph;
  cpu: Cpu;
  /** The three frames below the traced bpf_fentry_test1: itself (at its BL slot + 4), middle, entry. */
  below: string[];
  middle: string;
  entry: string;
}

function setup(variant: TestKernelVariant, frame: FrameKind, dispatch: 'callops' | 'global'): Setup {
  const tk = createTestKernel(readFileSync(testKernelFixture(variant)), { layout: { kind: 'nokaslr' } });
  const k = tk.kernel;
  const ft = attachFtrace(k, { frame, dispatch, sites: tk.callSites });
  const middle = pS(
    k,
    'workload_middle',
    tk.addr('workload_middle') + returnOffset(variant, 'workload_middle', 'bpf_fentry_test1'),
  );
  const entry = pS(
    k,
    'workload_entry',
    tk.addr('workload_entry') + returnOffset(variant, 'workload_entry', 'workload_middle'),
  );
  const below = [pS(k, 'bpf_fentry_test1', tk.callSite('bpf_fentry_test1').ip + 4n), middle, entry];
  return { tk, k, ft, g: functionGraph(ft), cpu: k.machine.cpus[0]!, below, middle, entry };
}

/** Call workload_entry(5) and stop at the `hit`-th arrival at `bp`. */
function stopAt(s: Setup, bp: bigint, hit = 1): void {
  s.cpu.addBreakpoint(bp);
  s.k.machine.call(s.tk.addr('workload_entry'), [5n]);
  for (let i = 1; i < hit; i++) {
    expect(s.cpu.pc).toBe(bp);
    s.cpu.run(1_000_000);
  }
  s.cpu.removeBreakpoint(bp);
  expect(s.cpu.pc).toBe(bp);
}

function finish(s: Setup): void {
  for (let i = 0; i < 100 && !s.cpu.halted && !(s.cpu.pc === RETURN_TRAMPOLINE + 4n); i++)
    s.cpu.run(1_000_000);
  if (s.cpu.fault) throw s.cpu.fault;
  expect(s.cpu.x(0)).toBe(13n);
  expect(s.g.retStack(0)).toEqual([]);
}

function clean(r: UnwindResult): void {
  expect([r.end, r.reliable]).toEqual(['return-trampoline', true]);
}

for (const variant of TEST_KERNEL_VARIANTS)
  for (const frame of ['args', 'regs'] as const)
    for (const dispatch of ['callops', 'global'] as const) {
      if (variant === 'gcc-pfe2' && dispatch === 'callops') continue;
      describe(`${variant} ${frame} ${dispatch}`, () => {
        const callerName = frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';
        const callInsn = dispatch === 'callops' ? 'blr' : 'bl';
        /** The frames ftrace_caller adds: the list function when it dispatched through it, then itself. */
        const callerFrames = (s: Setup, viaList: boolean): string[] => [
          ...(viaList
            ? [pS(s.k, 'ftrace_ops_list_func', afterCall(s.k, 'ftrace_ops_list_func', 'blr'))]
            : []),
          pS(s.k, callerName, afterCall(s.k, callerName, callInsn)),
        ];
        const viaList = (s: Setup, nOps: number): boolean =>
          nOps > 1 || (dispatch === 'global' && blTarget(s.k, s.ft.text.ftraceCall!) === s.ft.text.listFunc);

        it('inside an op callback: callback, [list func], ftrace_caller, the traced function, its callers', () => {
          for (const nOps of [1, 2]) {
            const s = setup(variant, frame, dispatch);
            const cbs = [countingCallback(s.k, 'op_cb_a'), countingCallback(s.k, 'op_cb_b')].slice(0, nOps);
            for (const [i, cb] of cbs.entries()) {
              const ops = s.ft.newOps({ name: `ops_${i}`, func: cb.func });
              s.ft.setFilter(ops, 'bpf_fentry_test1', { reset: true });
              s.ft.register(ops);
            }
            stopAt(s, cbs[0]!.func);
            const r = unwindCpu(s.k, s.cpu, { leaf: true });
            expect(formatStack(r)).toEqual([
              pS(s.k, 'op_cb_a', cbs[0]!.func),
              ...callerFrames(s, viaList(s, nOps)),
              ...s.below,
            ]);
            clean(r);
            finish(s);
          }
        });

        it('inside an entry callback: ftrace_graph_func above ftrace_caller', () => {
          const s = setup(variant, frame, dispatch);
          const ent = countingEntryCallback(s.k, 'entry_cb');
          registerReturnHook(s.ft, {
            name: 'h',
            filter: 'bpf_fentry_test1',
            entry: ent.func,
            exit: countingExitCallback(s.k, 'exit_cb').func,
          });
          stopAt(s, ent.func);
          const r = unwindCpu(s.k, s.cpu, { leaf: true, fixups: [s.g.unwindFixup(0)] });
          expect(formatStack(r)).toEqual([
            pS(s.k, 'entry_cb', ent.func),
            pS(s.k, 'ftrace_graph_func', afterCall(s.k, 'ftrace_graph_func', 'blr')),
            ...callerFrames(s, viaList(s, 1)),
            ...s.below,
          ]);
          clean(r);
          finish(s);
        });

        it('inside an exit callback: return_to_handler, then the parent recovered; the traced frame is gone', () => {
          const s = setup(variant, frame, dispatch);
          const ex = countingExitCallback(s.k, 'exit_cb');
          registerReturnHook(s.ft, { name: 'h', filter: 'bpf_fentry_test1', exit: ex.func });
          stopAt(s, ex.func);
          const top = [
            pS(s.k, 'exit_cb', ex.func),
            pS(s.k, 'ftrace_return_to_handler', afterCall(s.k, 'ftrace_return_to_handler', 'blr')),
            pS(s.k, 'return_to_handler', afterCall(s.k, 'return_to_handler', 'bl')),
          ];
          const r = unwindCpu(s.k, s.cpu, { leaf: true, fixups: [s.g.unwindFixup(0)] });
          expect(formatStack(r)).toEqual([...top, s.middle, s.entry]);
          expect(r.frames[3]!.recovered).toEqual({ from: s.g.text.returnToHandler, by: 'function_graph' });
          clean(r);
          // Without the return-stack knowledge the parent is lost behind a bare return_to_handler.
          const blind = unwindCpu(s.k, s.cpu, { leaf: true });
          expect(formatStack(blind)).toEqual([
            ...top,
            pS(s.k, 'return_to_handler', s.g.text.returnToHandler),
            s.entry,
          ]);
          finish(s);
        });

        it('below hooked callers: two hooks on workload_middle and one on workload_entry are all recovered', () => {
          const s = setup(variant, frame, dispatch);
          const ex = countingExitCallback(s.k, 'exit_cb');
          registerReturnHook(s.ft, { name: 'm1', filter: 'workload_middle', exit: ex.func });
          registerReturnHook(s.ft, { name: 'm2', filter: 'workload_middle', exit: ex.func });
          registerReturnHook(s.ft, { name: 'e', filter: 'workload_entry', exit: ex.func });
          const bp = s.tk.callSite('bpf_fentry_test1').ip + 4n;
          stopAt(s, bp);
          expect(s.g.retStack(0)).toHaveLength(3);
          const r = unwindCpu(s.k, s.cpu, { leaf: true, fixups: [s.g.unwindFixup(0)] });
          expect(formatStack(r)).toEqual(s.below);
          expect(r.frames.map((f) => f.recovered?.from)).toEqual([
            undefined,
            undefined,
            s.g.text.returnToHandler,
          ]);
          clean(r);
          // Blind, both hooked records read as return_to_handler: workload_entry and the host return are lost.
          const blind = unwindCpu(s.k, s.cpu, { leaf: true });
          const rth = pS(s.k, 'return_to_handler', s.g.text.returnToHandler);
          expect(formatStack(blind)).toEqual([...s.below.slice(0, 2), rth, rth]);
          expect(blind.end).toBe('final');
          finish(s);
          expect(ex.count()).toBe(3n);
        });

        it('in an exit callback nested in another (it called a hooked function): both levels recovered', () => {
          const s = setup(variant, frame, dispatch);
          // An exit callback with a frame record that calls bpf_fentry_test1 once (a flag stops the recursion).
          const data = s.k.imageAlloc(8, 'data', 8).address;
          const at = s.k.imageAlloc(64, 'text', 16).address;
          const a = new Asm(at);
          const skip = a.label();
          a.bti('c');
          a.stp(X[29]!, LR, SP, -16, 'pre');
          a.mov(X[29]!, SP);
          a.movImm(X[9]!, data);
          a.ldr(X[10]!, X[9]!, 0);
          a.cbnz(X[10]!, skip);
          a.mov(X[10]!, 1);
          a.str(X[10]!, X[9]!, 0);
          a.mov(X[0]!, 7);
          a.bl(s.tk.addr('bpf_fentry_test1'));
          const callRet = a.pc;
          a.bind(skip);
          a.ldp(X[29]!, LR, SP, 16, 'post');
          a.ret();
          s.k.writeText(at, a.finish().bytes);
          s.k.kallsyms.add({ name: 'exit_calls', address: at, size: 64n, type: 't' });
          registerReturnHook(s.ft, { name: 'h', filter: 'bpf_fentry_test1', exit: at });
          stopAt(s, at, 2);
          expect(s.g.retStack(0)).toHaveLength(2);
          const handler = [
            pS(s.k, 'ftrace_return_to_handler', afterCall(s.k, 'ftrace_return_to_handler', 'blr')),
            pS(s.k, 'return_to_handler', afterCall(s.k, 'return_to_handler', 'bl')),
          ];
          const r = unwindCpu(s.k, s.cpu, { leaf: true, fixups: [s.g.unwindFixup(0)] });
          expect(formatStack(r)).toEqual([
            pS(s.k, 'exit_calls', at),
            ...handler,
            pS(s.k, 'exit_calls', callRet),
            ...handler,
            s.middle,
            s.entry,
          ]);
          clean(r);
          finish(s);
        });
      });
    }
