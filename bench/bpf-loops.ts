/**
 * The BPF loop programs the interpreter and JIT benchmarks run, in the style of the conformance suite: an
 * ALU loop, a stack load/store loop, a JMP32-heavy loop, a loop of local calls and a div/mod loop. Each
 * takes its iteration count, since the interpreter bench runs longer loops (it times each run on its own)
 * than the JIT bench (which runs every loop on the emulated CPU as well).
 */

export type BpfLoop = 'alu64' | 'stack' | 'jmp32' | 'calls' | 'divmod';

const SOURCES: Record<BpfLoop, (n: number) => string> = {
  alu64: (n) => `
    mov %r0, 0
    mov %r1, ${n}
  loop:
    add %r0, %r1
    xor %r0, 0x5a5a
    lsh %r0, 1
    rsh %r0, 1
    sub %r1, 1
    jne %r1, 0, loop
    exit`,
  stack: (n) => `
    mov %r1, ${n}
    stdw [%r10-8], 0
  loop:
    ldxdw %r0, [%r10-8]
    add %r0, 3
    stxdw [%r10-8], %r0
    sub %r1, 1
    jgt %r1, 0, loop
    exit`,
  // Half the iterations take each side of the branch.
  jmp32: (n) => `
    mov32 %r0, 0
    mov32 %r1, ${n}
  loop:
    jslt32 %r1, ${n / 2}, small
    add32 %r0, 2
    ja next
  small:
    add32 %r0, 1
  next:
    sub32 %r1, 1
    jne32 %r1, 0, loop
    exit`,
  calls: (n) => `
    mov %r6, ${n}
    mov %r0, 0
  loop:
    call local f
    sub %r6, 1
    jne %r6, 0, loop
    exit
  f:
    add %r0, 1
    exit`,
  divmod: (n) => `
    mov %r0, 7
    mov %r1, ${n}
  loop:
    mov %r2, %r1
    mod %r2, 7
    add %r2, 1
    div %r0, %r2
    add %r0, %r1
    sub %r1, 1
    jne %r1, 0, loop
    exit`,
};

/** The named loops with their iteration counts, as assembler text by name (in the order given). */
export function bpfLoops(counts: Partial<Record<BpfLoop, number>>): Record<string, string> {
  return Object.fromEntries(
    (Object.entries(counts) as [BpfLoop, number][]).map(([name, n]) => [name, SOURCES[name](n)]),
  );
}
