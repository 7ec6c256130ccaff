/**
 * Freestanding C programs built with aarch64-linux-gnu-gcc -O2 (fixtures/exec, rebuilt by its build.sh)
 * produce the same output and exit code under qemu-aarch64 and on our machine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runUserProgram } from '../../src/kernel/user.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'exec');

describe.each(['hello', 'sieve', 'sort', 'arith', 'loop'])('%s', (name) => {
  test('same output and exit code as qemu-aarch64', () => {
    const path = join(dir, name);
    const q = spawnSync('qemu-aarch64', [path], { encoding: 'utf8' });
    expect(q.error).toBeUndefined();
    const ours = runUserProgram(new Uint8Array(readFileSync(path)));
    expect(ours.stdout).toBe(q.stdout);
    expect(ours.exitCode).toBe(q.status);
    expect(ours.instructions).toBeGreaterThan(10);
  });
});

describe('bad programs', () => {
  test('a truncated or non-aarch64 ELF gives a clear typed error', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'hello')));
    expect(() => runUserProgram(bytes.subarray(0, 100))).toThrowError(/exceeds file size/);
    const x86 = bytes.slice();
    x86[18] = 62;
    expect(() => runUserProgram(x86)).toThrowError(/e_machine is 62/);
  });
});
