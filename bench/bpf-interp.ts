/**
 * Interpreter throughput in BPF instructions per second (wall clock; benchmarks live in bench/, never in src/).
 * Loops in the style of the conformance suite: an ALU loop, a stack load/store loop, a JMP32-heavy loop and a
 * loop of local calls. Each is run until at least MIN_MS of wall time has passed; the best rate is reported.
 */
import { assemble, BpfInterpreter, conformanceHelpers } from '../src/bpf/index.js';

const MIN_MS = 300;

const LOOPS: Record<string, string> = {
  alu64: `
    mov %r0, 0
    mov %r1, 100000
  loop:
    add %r0, %r1
    xor %r0, 0x5a5a
    lsh %r0, 1
    rsh %r0, 1
    sub %r1, 1
    jne %r1, 0, loop
    exit`,
  stack: `
    mov %r1, 50000
    stdw [%r10-8], 0
  loop:
    ldxdw %r0, [%r10-8]
    add %r0, 3
    stxdw [%r10-8], %r0
    sub %r1, 1
    jgt %r1, 0, loop
    exit`,
  jmp32: `
    mov32 %r0, 0
    mov32 %r1, 100000
  loop:
    jslt32 %r1, 50000, small
    add32 %r0, 2
    ja next
  small:
    add32 %r0, 1
  next:
    sub32 %r1, 1
    jne32 %r1, 0, loop
    exit`,
  calls: `
    mov %r6, 20000
    mov %r0, 0
  loop:
    call local f
    sub %r6, 1
    jne %r6, 0, loop
    exit
  f:
    add %r0, 1
    exit`,
};

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
