/**
 * Interpreter throughput in BPF instructions per second (wall clock; benchmarks live in bench/, never in src/).
 * Loops in the style of the conformance suite: an ALU loop, a stack load/store loop, a JMP32-heavy loop and a
 * loop of local calls. Each is run until at least MIN_MS of wall time has passed; the best rate is reported.
 */
import { assemble, BpfInterpreter, conformanceHelpers } from '../src/bpf/index.js';
import { bpfLoops } from './bpf-loops.js';

const MIN_MS = 300;

const LOOPS = bpfLoops({ alu64: 100_000, stack: 50_000, jmp32: 100_000, calls: 20_000 });

export async function benchBpfInterp(): Promise<{ name: string; value: number; unit: string }[]> {
  const out: { name: string; value: number; unit: string }[] = [];
  for (const [name, text] of Object.entries(LOOPS)) {
    const vm = new BpfInterpreter(assemble(text), { helpers: conformanceHelpers(), insnLimit: 10_000_000 });
    vm.run(); // warm up
    let best = 0;
    const start = performance.now();
    do {
      const t0 = performance.now();
      const { insns } = vm.run();
      const dt = (performance.now() - t0) / 1000;
      best = Math.max(best, insns / dt);
    } while (performance.now() - start < MIN_MS);
    out.push({ name: `bpf-interp/${name}`, value: Math.round(best), unit: 'insn/s' });
  }
  return out;
}
