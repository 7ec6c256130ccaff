/**
 * The commands as a user runs them: spawned processes on real files, checked output, one bad input each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REFERENCE_MATTR, norm } from '../helpers/llvm.js';
import { ROOT, tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command();
const OBJ = join(ROOT, 'fixtures/kernel/testkernel-gcc-pfe42.o');

describe('tramp64 disasm', () => {
  test('prints the object as llvm-objdump -d -r --no-show-raw-insn does', () => {
    const ours = tramp64('disasm', OBJ, '-r');
    expect(ours.status).toBe(0);
    const llvm = spawnSync(
      'llvm-objdump',
      ['-d', '-r', '--no-show-raw-insn', `--mattr=${REFERENCE_MATTR}`, OBJ],
      { encoding: 'utf8' },
    );
    const lines = (s: string) =>
      s
        .split('\n')
        .map(norm)
        .filter((l) => /^[0-9a-f]+:|^[0-9a-f]{16}/.test(l));
    expect(lines(ours.stdout)).toEqual(lines(llvm.stdout));
  });

  test('--func selects one function; an unknown one is an error that says so', () => {
    const r = tramp64('disasm', OBJ, '--func', 'bpf_fentry_test1');
    expect(r.stdout).toContain('<bpf_fentry_test1>:');
    expect(r.stdout).not.toContain('<bpf_fentry_test2>:');
    const bad = tramp64('disasm', OBJ, '--func', 'no_such_function');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no function symbol named 'no_such_function'/);
  });
});

describe('tramp64 asm', () => {
  test('assembles to the bytes llvm-mc produces, and names line and column on bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-asm-'));
    writeFileSync(join(dir, 'a.s'), 'start:\n  mov x9, x30\n  bl start\n  ret\n');
    const r = tramp64('asm', join(dir, 'a.s'), '-o', join(dir, 'a.bin'));
    expect(r.status).toBe(0);
    expect([...readFileSync(join(dir, 'a.bin'))]).toEqual([
      0xe9, 0x03, 0x1e, 0xaa, 0xff, 0xff, 0xff, 0x97, 0xc0, 0x03, 0x5f, 0xd6,
    ]);
    writeFileSync(join(dir, 'b.s'), 'nop\n  add x0, x1, #5000\n');
    const bad = tramp64('asm', join(dir, 'b.s'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/b\.s:2:\d+: expected/);
  });
});

describe('tramp64 exec', () => {
  test('runs a program and reports statistics; a non-executable is refused', () => {
    const r = tramp64('exec', join(ROOT, 'fixtures/exec/sieve'), '--stats');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('9592\n0x00001b1fa70561ab\n');
    expect(r.stderr).toMatch(/instructions \d+, modelled cycles \d+/);
    const bad = tramp64('exec', OBJ);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a static executable/);
  });
});

const stderrOf = (r: { stderr: string }): string => r.stderr.replace(/^npm warn .*\n/gm, '');

describe('tramp64 exec: exit codes scripts can rely on', () => {
  test("the program's own status passes through; a bad budget is exit 2, running out of it exit 1", () => {
    const hello = tramp64('exec', join(ROOT, 'fixtures/exec/hello'), '--json');
    const out = JSON.parse(hello.stdout) as { exitCode: number; stdout: string; instructions: number };
    expect(hello.status).toBe(out.exitCode);
    expect(out.instructions).toBeGreaterThan(0);
    const bad = tramp64('exec', join(ROOT, 'fixtures/exec/sieve'), '--max-instructions', 'lots');
    expect(bad.status).toBe(2);
    expect(stderrOf(bad)).toBe("tramp64: --max-instructions must be a positive integer, got 'lots'\n");
    const short = tramp64('exec', join(ROOT, 'fixtures/exec/sieve'), '--max-instructions', '1000');
    expect(short.status).toBe(1);
    expect(stderrOf(short)).toBe(
      'tramp64: the program did not exit within 1000 instructions; raise --max-instructions if it needs longer\n',
    );
  });
});

describe('tramp64 asm --base', () => {
  test('a negative or non-numeric base is refused with the accepted forms', () => {
    for (const base of ['-5', 'x10']) {
      const r = tramp64('asm', '-', '--base', base);
      expect(r.status).toBe(2);
      expect(stderrOf(r)).toBe(
        `tramp64: --base must be a 64-bit address, decimal or 0x hex (e.g. 0x1000), got '${base}'\n`,
      );
    }
  });
});

describe('tramp64 bpf jit: --layout/--seed like the other commands, --json', () => {
  const HASHMAP = 'fixtures/bpf/hashmap.bpf.o';
  interface JitJson {
    layout: string;
    seed: number;
    programs: { name: string; address: string; size: number; listing: string[] }[];
  }
  test('--json parses; --kaslr N is --layout kaslr --seed N; the layout moves the image', () => {
    const k = tramp64('bpf', 'jit', HASHMAP, '--layout', 'kaslr', '--seed', '3', '--json');
    expect(k.status).toBe(0);
    const kj = JSON.parse(k.stdout) as JitJson;
    expect(kj).toMatchObject({ layout: 'kaslr', seed: 3 });
    const old = JSON.parse(tramp64('bpf', 'jit', HASHMAP, '--kaslr', '3', '--json').stdout) as JitJson;
    expect(old).toEqual(kj);
    const n = JSON.parse(tramp64('bpf', 'jit', HASHMAP, '--json').stdout) as JitJson;
    expect(n).toMatchObject({ layout: 'nokaslr', seed: 1 });
    expect(n.programs.map((p) => p.name)).toEqual(kj.programs.map((p) => p.name));
    expect(n.programs[0]!.address).not.toBe(kj.programs[0]!.address);
    // The JSON listing is the text listing, line for line.
    const text = tramp64('bpf', 'jit', HASHMAP, '--prog', n.programs[0]!.name).stdout;
    for (const l of n.programs[0]!.listing.slice(1)) expect(text).toContain(l);
    const both = tramp64('bpf', 'jit', HASHMAP, '--kaslr', '3', '--layout', 'nokaslr');
    expect(both.status).toBe(2);
    expect(stderrOf(both)).toBe(
      'tramp64: --kaslr SEED is short for --layout kaslr --seed SEED; give one or the other\n',
    );
  });
});

describe('tramp64 bpf load --kernel', () => {
  test('takes a test-kernel build name as tramp64 run does; anything else must be a file', () => {
    const r = tramp64('bpf', 'load', 'fixtures/bpf/hashmap.bpf.o', '--kernel', 'clang-bti-pfe42', '--json');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { kernel: string }).kernel).toMatch(
      /fixtures\/kernel\/testkernel-clang-bti-pfe42\.o$/,
    );
    const bad = tramp64('bpf', 'load', 'fixtures/bpf/hashmap.bpf.o', '--kernel', 'gcc');
    expect(bad.status).toBe(2);
    expect(stderrOf(bad)).toBe(
      "tramp64: --kernel must be a test-kernel build (gcc-pfe2, gcc-pfe42, clang-bti-pfe42) or a kernel object file, got 'gcc'\n",
    );
  });
});
