/**
 * `tramp64 run` as a user runs it: spawned processes, checked output, the exit codes scripts rely on, and
 * the trace compared with llvm-objdump's disassembly of the same function in the fixture object.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseElf } from '../../src/elf/index.js';
import { REFERENCE_MATTR, norm } from '../helpers/llvm.js';
import { ROOT, tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command('run');
const OBJ = join(ROOT, 'fixtures/kernel/testkernel-gcc-pfe2.o');

/** The size of a function symbol in the fixture object, from its symbol table. */
function funcSize(name: string): number {
  const elf = parseElf(new Uint8Array(readFileSync(OBJ)));
  const sym = elf.symbolsOf(elf.symtab!).find((s) => s.name === name)!;
  return Number(sym.size);
}

interface RunJson {
  function: string;
  result: string;
  x0: string;
  address: string;
  instructions: number;
  cycles: number;
  stages: Record<string, { instructions: number; cycles: number }>;
  trace?: { address: string; symbol: string | null; text: string | null; stage: string }[];
}

describe('tramp64 run', () => {
  test('calls a function and prints result, instructions and cycles', () => {
    const r = tramp64('bpf_fentry_test3', '4', '5', '6');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^bpf_fentry_test3\(4, 5, 6\) = 15 \(x0 = 0x000000000000000f\)\n/);
    // Straight-line function: every word once, plus the hvc that returns to the host.
    const n = funcSize('bpf_fentry_test3') / 4 + 1;
    expect(r.stdout).toContain(`\n${n} instructions, `);
  });

  test('--trace prints each instruction as <addr> <sym+off>: <disassembly>, as llvm-objdump reads them', () => {
    const r = tramp64('bpf_fentry_test3', '4', '5', '6', '--trace');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^[0-9a-f]{16} /.test(l));
    for (const l of lines)
      expect(l).toMatch(/^[0-9a-f]{16} (bpf_fentry_test3(\+0x[0-9a-f]+)?|\[return to host\]): \S/);
    expect(lines[0]).toMatch(/ bpf_fentry_test3: nop$/);
    expect(lines.at(-1)).toMatch(/\[return to host\]: hvc\s+#0xffff$/);
    const dump = spawnSync(
      'llvm-objdump',
      [
        '-d',
        '--no-show-raw-insn',
        `--mattr=${REFERENCE_MATTR}`,
        '--disassemble-symbols=bpf_fentry_test3',
        OBJ,
      ],
      { encoding: 'utf8' },
    );
    const want = dump.stdout
      .split('\n')
      .filter((l) => /^\s+[0-9a-f]+:/.test(l))
      .map((l) => norm(l.replace(/^\s+[0-9a-f]+:\s*/, '')))
      .slice(0, funcSize('bpf_fentry_test3') / 4); // objdump goes on into the alignment padding
    expect(want.length).toBeGreaterThan(3);
    expect(lines.slice(0, -1).map((l) => norm(l.replace(/^\S+ \S+: /, '')))).toEqual(want);
  });

  test('--json (with --trace) for scripts; kaslr moves the function, not the result', () => {
    const a = tramp64('workload_entry', '3', '--json', '--trace');
    expect(a.status).toBe(0);
    const j = JSON.parse(a.stdout) as RunJson;
    expect(j.result).toBe('9'); // (3 + 1) * 2 + 1
    expect(j.trace).toHaveLength(j.instructions);
    expect(j.stages.function!.instructions + j.stages['patch site']!.instructions + 1).toBe(j.instructions);
    expect(j.trace!.filter((t) => t.symbol === 'bpf_fentry_test1')).toHaveLength(1);
    const b = JSON.parse(
      tramp64('workload_entry', '3', '--json', '--layout', 'kaslr', '--seed', '5').stdout,
    ) as RunJson;
    expect(b.result).toBe('9');
    expect(b.instructions).toBe(j.instructions);
    expect(b.address).not.toBe(j.address);
    expect(b.trace).toBeUndefined();
  });

  test('negative and hex arguments; the return value printed as the C type', () => {
    const r = tramp64('bpf_fentry_test1', '-5', '--kernel', 'clang-bti-pfe42');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/= -4 \(x0 = 0x00000000fffffffc\)/);
    const h = tramp64('bpf_fentry_test2', '0x10', '0x20');
    expect(h.stdout).toMatch(/^bpf_fentry_test2\(16, 32\) = 48 /);
  });

  test('an unknown function exits 2 and lists close names', () => {
    const r = tramp64('bpf_fentry_tset3', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no function 'bpf_fentry_tset3'; did you mean bpf_fentry_test3, /);
  });

  test('bad arguments and options exit 2 with what to do', () => {
    const count = tramp64('bpf_fentry_test3', '1');
    expect(count.status).toBe(2);
    expect(count.stderr).toContain('bpf_fentry_test3 takes 3 arguments (a, b, c); got 1');
    const num = tramp64('bpf_fentry_test1', 'ten');
    expect(num.status).toBe(2);
    expect(num.stderr).toContain("argument 1 'ten' is not a number; give decimal (42, -1) or hex (0x2a)");
    const kern = tramp64('bpf_fentry_test1', '1', '--kernel', 'gcc');
    expect(kern.status).toBe(2);
    expect(kern.stderr).toContain('--kernel must be one of gcc-pfe2, gcc-pfe42, clang-bti-pfe42');
  });

  test('a call that faults exits 1 and says where', () => {
    const r = tramp64('bpf_fentry_test8', '0');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /bpf_fentry_test8 faulted in bpf_fentry_test8\+0x[0-9a-f]+\/0x[0-9a-f]+: TranslationFault .*read of unmapped address 0x0/,
    );
  });
});
