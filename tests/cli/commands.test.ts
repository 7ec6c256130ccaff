/**
 * The commands as a user runs them: spawned processes on real files, checked output, one bad input each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REFERENCE_MATTR, norm } from '../helpers/llvm.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tramp64 = (...args: string[]) =>
  spawnSync('npx', ['tsx', join(ROOT, 'tests/cli/run.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
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
