/**
 * The unwinder (src/kernel/unwind.ts) from inside an fentry and an fexit program on bpf_fentry_test1, called
 * as workload_entry → workload_middle → bpf_fentry_test1, for every strategy × frame and three situations:
 * BPF alone (nokaslr), BPF sharing the function with the function tracer, and a KASLR layout whose
 * trampoline is out of BL range of the site. Stopped at a breakpoint on the program's first instruction
 * after its prologue, the stack must be exactly:
 *
 *   trampoline strategies (patchsite, tailcall, callops) — every path ends in the trampoline being entered
 *   with x9/x30 as at the patch site (a BL from the site, the CALL_OPS literal fast path's `br`, or
 *   ftrace_caller's late tail call after it popped its own frame), so no ftrace frame is left:
 *     fentry, fexit   program, bpf_trampoline_* (after its BL of the program), bpf_fentry_test1 (site + 4,
 *                     the trampoline's {fp, lr} record), workload_middle, workload_entry
 *     In fexit the function has already returned into the trampoline; its frame is the trampoline's record
 *     of the self ip, which the kernel's unwinder reports the same way.
 *
 *   ops — BPF is an ftrace op:
 *     fentry          program, bpf_fprobe_entry_bpf_fentry_test1, ftrace_ops_list_func, ftrace_caller (or
 *                     ftrace_regs_caller), bpf_fentry_test1, workload_middle, workload_entry
 *     fexit           program, bpf_fprobe_exit_bpf_fentry_test1, ftrace_return_to_handler, return_to_handler,
 *                     workload_middle (recovered from the return stack), workload_entry
 *     FINDING: from fexit under ops the traced function's frame is gone — bpf_fentry_test1 has returned
 *     (into return_to_handler) before the program runs, so a stack taken in fexit does not name the
 *     function it traces; and without the function-graph fixup (kunwind_recover_return_address) the walk
 *     reports return_to_handler where workload_middle should be.
 *
 * Expected addresses come from the code, not from the unwinder: return offsets of the test kernel from the
 * object's CALL26 relocations, and the instruction after the one call of each routine (found by
 * disassembly; in generated code, the `bl` whose target is the program).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import { loadBpfObject, type BpfObject } from '../../src/bpf/index.js';
import type { FrameKind } from '../../src/ftrace/arch/abi.js';
import { functionGraph } from '../../src/ftrace/graph/graph.js';
import { TraceArray } from '../../src/ftrace/tracers/trace.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import { testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';
import { unwindCpu, type UnwindResult } from '../../src/kernel/unwind.js';
import {
  createTracingKernel,
  STRATEGIES,
  testKernelVariantFor,
  type Strategy,
  type StrategyName,
  type TracingKernel,
} from '../../src/trampoline/strategies/index.js';
import { attachObject, type AttachedObject } from '../../src/trampoline/strategies/testrun.js';
import { returnOffset } from '../helpers/elf-oracle.js';

const FUNC = 'bpf_fentry_test1';

/** How BPF programs are reached: through a BPF trampoline, or as an ftrace op (one line per strategy). */
const SHAPE: Record<StrategyName, 'trampoline' | 'op'> = {
  patchsite: 'trampoline',
  tailcall: 'trampoline',
  callops: 'trampoline',
  ops: 'op',
};

/** get_func_ip_test.bpf.o's programs on bpf_fentry_test1: test1 (fentry) and test2 (fexit). */
function object(): BpfObject {
  const o = loadBpfObject(new Uint8Array(readFileSync('fixtures/bpf/get_func_ip_test.bpf.o')));
  return { ...o, programs: o.programs.filter((p) => p.target === FUNC) };
}

/** The instructions of kallsyms symbol `name` as text. */
function code(tk: TracingKernel, name: string): { at: bigint; text: string }[] {
  const s = tk.kernel.kallsyms.lookupName(name);
  if (!s) throw new Error(`no symbol ${name}`);
  const out: { at: bigint; text: string }[] = [];
  for (let a = s.address; a < s.address + s.size; a += 4n)
    out.push({ at: a, text: disassemble(tk.kernel.machine.memory.read32(a), { address: a }) ?? '' });
  return out;
}

/** The return address of the one `bl`/`blr` in routine `name`. */
function afterOnlyCall(tk: TracingKernel, name: string, mnemonic: 'bl' | 'blr'): bigint {
  const hits = code(tk, name).filter((i) => i.text.split(/\s+/)[0] === mnemonic);
  expect(hits, `${mnemonic} in ${name}`).toHaveLength(1);
  return hits[0]!.at + 4n;
}

/** The return address of the `bl <target>` in routine `name` (generated code calling a program). */
function afterBlTo(tk: TracingKernel, name: string, target: bigint): bigint {
  const hits = code(tk, name).filter((i) => i.text === `bl\t0x${target.toString(16)}`);
  expect(hits, `bl 0x${target.toString(16)} in ${name}`).toHaveLength(1);
  return hits[0]!.at + 4n;
}

type Situation = 'alone' | 'shared' | 'kaslr-out-of-range';

interface Setup {
  readonly tk: TracingKernel;
  readonly att: AttachedObject;
  readonly variant: TestKernelVariant;
}

function setup(strategy: Strategy, frame: FrameKind, situation: Situation): Setup | { refused: string } {
  const variant = testKernelVariantFor(strategy);
  const bytes = new Uint8Array(readFileSync(testKernelFixture(variant)));
  const make = (layout: { kind: 'kaslr' | 'nokaslr'; seed: number }): Setup => {
    const tk = createTracingKernel(bytes, { strategy, frame, layout });
    if (situation === 'shared') {
      const tr = new TraceArray(tk.kernel);
      const ops = tk.ftrace.newOps({ name: 'global_ops', func: tr.text.functionTraceCall });
      tk.ftrace.setFilter(ops, FUNC, { reset: true });
      tk.ftrace.register(ops);
    }
    return { tk, att: attachObject(tk, object()), variant };
  };
  if (situation !== 'kaslr-out-of-range') return make({ kind: 'nokaslr', seed: 1 });
  // The first KASLR seed whose trampoline lands out of BL range of the site (patchsite: whose attach is
  // refused for it); ops has no trampoline, so any KASLR layout will do.
  for (let seed = 1; seed <= 40; seed++) {
    const s = make({ kind: 'kaslr', seed });
    const failed = s.att.programs.find((p) => p.outcome.state !== 'attached');
    if (failed) {
      expect(strategy.name).toBe('patchsite');
      expect(failed.outcome).toMatchObject({ state: 'failed', errno: 'ENOTSUPP' });
      return { refused: `seed ${seed}: ${(failed.outcome as { message: string }).message}` };
    }
    if (SHAPE[strategy.name] === 'op') return s;
    const img = s.tk.trampolines.all().find((t) => t.target.name === FUNC)!.image!;
    if (!reachableByBl(s.tk.tk.callSite(FUNC).ip, img.address)) return s;
  }
  throw new Error('no KASLR seed in 1..40 puts the trampoline out of BL range');
}

/** Call workload_entry(3) on CPU 0 and stop at `bp`. */
function stopAt(s: Setup, bp: bigint): void {
  const cpu = s.tk.kernel.machine.cpus[0]!;
  cpu.addBreakpoint(bp);
  s.tk.kernel.machine.call(s.tk.tk.addr('workload_entry'), [3n]);
  cpu.removeBreakpoint(bp);
  expect(cpu.fault).toBeUndefined();
  expect(cpu.pc).toBe(bp);
}

function clean(r: UnwindResult): void {
  expect([r.end, r.reliable]).toEqual(['return-trampoline', true]);
}

describe.each(
  STRATEGIES.flatMap((s) =>
    (['regs', 'args'] as const).flatMap((f) =>
      (['alone', 'shared', 'kaslr-out-of-range'] as const).map(
        (sit) => [`${s.name} frame=${f} ${sit}`, s, f, sit] as const,
      ),
    ),
  ),
)('%s', (_name, strategy, frame, situation) => {
  for (const kind of ['fentry', 'fexit'] as const) {
    test(`from inside the ${kind} program: the exact stack`, () => {
      const s = setup(strategy, frame, situation);
      if ('refused' in s) {
        // patchsite has no way to reach an out-of-range trampoline: nothing to unwind, and why.
        expect(s.refused).toMatch(/ENOTSUPP: .*out of BL range/);
        return;
      }
      const { tk, att, variant } = s;
      expect(att.programs.map((p) => p.outcome.state)).toEqual(['attached', 'attached']);
      const lp = att.loaded!.programs.find((p) => p.prog.attachType === kind)!;
      const bp = lp.image.address + BigInt(lp.image.insnOffsets[0]!);
      stopAt(s, bp);
      const cpu = tk.kernel.machine.cpus[0]!;
      const g = functionGraph(tk.ftrace);
      const u = unwindCpu(tk.kernel, cpu, { fixups: [g.unwindFixup(0)] });
      clean(u);
      const middle = tk.tk.addr('workload_middle') + returnOffset(variant, 'workload_middle', FUNC);
      const entry = tk.tk.addr('workload_entry') + returnOffset(variant, 'workload_entry', 'workload_middle');
      const self = tk.tk.callSite(FUNC).ip + 4n;
      const ks = tk.kernel.kallsyms;
      let expected: bigint[];
      if (SHAPE[strategy.name] === 'trampoline') {
        const tramp = tk.trampolines.all().find((t) => t.target.name === FUNC)!.image!;
        expected = [bp, afterBlTo(tk, tramp.symbol, lp.image.address), self, middle, entry];
      } else if (kind === 'fentry') {
        const caller = frame === 'args' ? 'ftrace_caller' : 'ftrace_regs_caller';
        expected = [
          bp,
          afterBlTo(tk, `bpf_fprobe_entry_${FUNC}`, lp.image.address),
          afterOnlyCall(tk, 'ftrace_ops_list_func', 'blr'),
          afterOnlyCall(tk, caller, 'bl'),
          self,
          middle,
          entry,
        ];
      } else {
        expected = [
          bp,
          afterBlTo(tk, `bpf_fprobe_exit_${FUNC}`, lp.image.address),
          afterOnlyCall(tk, 'ftrace_return_to_handler', 'blr'),
          afterOnlyCall(tk, 'return_to_handler', 'bl'),
          middle,
          entry,
        ];
        // The finding: bpf_fentry_test1 is not on the stack, and without the fixup workload_middle is lost too.
        expect(u.frames.some((f) => f.symbol === FUNC)).toBe(false);
        expect(u.frames[4]!.recovered?.from).toBe(g.text.returnToHandler);
        const raw = unwindCpu(tk.kernel, cpu, {});
        expect(raw.frames.map((f) => f.symbol)[4]).toBe('return_to_handler');
        expect(raw.frames.some((f) => f.symbol === 'workload_middle')).toBe(false);
      }
      const show = (pcs: readonly bigint[]): string[] => pcs.map((pc) => ks.format(pc));
      expect(show(u.frames.map((f) => f.pc))).toEqual(show(expected));
      expect(u.frames[0]!.symbol).toBe(lp.image.name);
    });
  }
});
