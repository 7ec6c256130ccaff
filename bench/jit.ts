/**
 * The JIT: compile time per program and per BPF instruction (wall clock), and what the JITed code costs on
 * the emulated CPU — A64 instructions and modelled cycles per BPF instruction executed — beside the
 * interpreter running the same program in the same run (its wall time is the in-run reference: the ratio is
 * JIT-on-emulator wall time / interpreter wall time). Programs: every fixture object's programs (compile),
 * and conformance-style loops (run).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  assemble,
  BpfInterpreter,
  conformanceHelpers,
  createObjectMaps,
  freeJitImage,
  jitProgram,
  loadBpfObject,
  runJit,
} from '../src/bpf/index.js';
import { Kernel } from '../src/kernel/index.js';
import { bpfLoops } from './bpf-loops.js';

export interface JitBenchRow {
  name: string;
  value: string;
  ref?: string;
  ratio?: string;
}

const LOOPS = bpfLoops({ alu64: 20_000, stack: 20_000, calls: 5_000, divmod: 20_000 });

function time<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

export function benchJit(): JitBenchRow[] {
  const rows: JitBenchRow[] = [];
  const kernel = new Kernel({ layout: { kind: 'nokaslr' } });
  // Compile: every fixture program, 20 rounds.
  const dir = join(import.meta.dirname, '../fixtures/bpf');
  const progs = readdirSync(dir)
    .filter((f) => f.endsWith('.bpf.o'))
    .flatMap((f) => {
      const obj = loadBpfObject(new Uint8Array(readFileSync(join(dir, f))));
      const maps = createObjectMaps(obj);
      return obj.programs.map((p) => ({ p, maps }));
    });
  const rounds = 20;
  let insns = 0;
  const c = time(() => {
    for (let r = 0; r < rounds; r++)
      for (const { p, maps } of progs) {
        const image = jitProgram(kernel, p.insns, {
          name: p.name,
          attachType: p.attachType,
          resolveLdImm64: maps.resolveLdImm64,
        });
        insns += p.insns.length;
        freeJitImage(kernel, image);
      }
  });
  const n = rounds * progs.length;
  rows.push({
    name: `compile ${progs.length} fixture programs (µs/prog)`,
    value: ((c.ms * 1000) / n).toFixed(1),
  });
  rows.push({ name: 'compile (µs per BPF insn)', value: ((c.ms * 1000) / insns).toFixed(2) });

  // Run: A64 instructions per BPF instruction, and wall time against the interpreter.
  const helpers = conformanceHelpers();
  for (const [name, text] of Object.entries(LOOPS)) {
    const prog = assemble(text);
    const vm = new BpfInterpreter(prog, { helpers });
    const i = time(() => vm.run());
    const image = jitProgram(kernel, prog, { name, inlineHelpers: false });
    const j = time(() => runJit(kernel, image, { args: [0n, 0n], helpers: helpers.table }));
    freeJitImage(kernel, image);
    if (j.value.r0 !== i.value.r0)
      throw new Error(`bench ${name}: JIT r0 ${j.value.r0} ≠ interpreter ${i.value.r0}`);
    rows.push({
      name: `run ${name}: A64 insns / BPF insn`,
      value: (j.value.a64Insns / i.value.insns).toFixed(2),
      ref: `${(j.value.cycles / i.value.insns).toFixed(2)} cyc/BPF insn`,
    });
    rows.push({
      name: `run ${name}: JIT on emulator vs interpreter`,
      value: `${j.ms.toFixed(1)} ms`,
      ref: `interpreter ${i.ms.toFixed(1)} ms`,
      ratio: `${(j.ms / i.ms).toFixed(2)}x`,
    });
  }
  return rows;
}
