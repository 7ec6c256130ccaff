/** `tramp64 bpf …` as a user runs it: the real CLI entry (src/cli/main.ts) spawned under tsx. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TESTS = join(ROOT, '../shared/conformance/bpf_conformance/tests');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(['node', 'tramp64', ...process.argv.slice(1)]); })`;

function tramp64(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, ['-e', ENTRY, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tramp64 bpf', () => {
  test('conformance DIR: one line per test and the summary; exit 0', () => {
    const r = tramp64('bpf', 'conformance', TESTS);
    const lines = r.stdout.trimEnd().split('\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lines[0]).toBe('helpers: bpf_conformance');
    expect(lines).toContain('PASS add.data');
    expect(lines).toContain(
      "SKIP callx.data (needs group callx ('call %r2' at insn 2); callx (0x8d) is Linux-only, not in any RFC 9669 conformance group)",
    );
    expect(lines.length).toBe(1 + 313 + 1);
    expect(lines.at(-1)).toBe('312 passed, 0 failed, 1 skipped');
  });

  test('conformance --json', () => {
    const r = tramp64('bpf', 'conformance', '--json', TESTS);
    const out = JSON.parse(r.stdout) as {
      helpers: string;
      passed: number;
      failed: number;
      skipped: number;
      tests: unknown[];
    };
    expect([out.helpers, out.passed, out.failed, out.skipped, out.tests.length]).toEqual([
      'bpf_conformance',
      312,
      0,
      1,
      313,
    ]);
  });

  test('conformance exits 1 when a test fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-bpf-'));
    writeFileSync(join(dir, 'wrong.data'), '-- asm\nmov %r0, 2\nexit\n-- result\n0x3\n');
    const r = tramp64('bpf', 'conformance', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'helpers: bpf_conformance\nFAIL wrong.data (expected 0x3, got 0x2)\n0 passed, 1 failed, 0 skipped\n',
    );
  });

  test('run-data prints r0 as the .data format does', () => {
    const r = tramp64('bpf', 'run-data', join(TESTS, 'lddw.data'));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('helpers: bpf_conformance\n0x1122334455667788\n');
  });

  test('run-data on a malformed file: exit 2 and the line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-bpf-'));
    const file = join(dir, 'bad.data');
    writeFileSync(file, '-- asm\nmov %r0, 1\nldxw %r0, %r1+4\nexit\n-- result\n0x1\n');
    const r = tramp64('bpf', 'run-data', file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "tramp64: line 3, column 11: expected 'ldxw %rN, [%rN+off]', got 'ldxw %r0, %r1+4'\n",
    );
  });

  test('run-data on a program that faults prints the typed error; exit 1 when not expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-bpf-'));
    const file = join(dir, 'oob.data');
    writeFileSync(file, '-- asm\nldxw %r0, [%r1+4]\nexit\n-- result\n0x1\n');
    const r = tramp64('bpf', 'run-data', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'helpers: bpf_conformance\nerror: pc 0: read of 4 bytes at 0x100000004 is outside every region (mem [0x100000000, +0), stack0 [0x7fff00000000, +512)) (ldxw %r0, [%r1+4])\n',
    );
    expect(r.stderr).toBe('tramp64: expected 0x1\n');
  });
});
