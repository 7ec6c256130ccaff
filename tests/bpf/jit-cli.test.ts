/** `tramp64 bpf … --jit` and `tramp64 bpf jit` as a user runs them (the real CLI entry spawned under tsx). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TESTS = join(ROOT, '../shared/conformance/bpf_conformance/tests');
const FIXTURES = join(ROOT, 'fixtures/bpf');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(['node', 'tramp64', ...process.argv.slice(1)]); })`;

function tramp64(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, ['-e', ENTRY, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tramp64 bpf --jit', () => {
  test('conformance DIR --jit: the interpreter’s lines, the same skip, the same summary', () => {
    const interp = tramp64('bpf', 'conformance', TESTS);
    const r = tramp64('bpf', 'conformance', '--jit', TESTS);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('helpers: bpf_conformance');
    expect(lines[1]).toBe('engine: jit (A64 on the emulated CPU, lse atomics)');
    // Every PASS/SKIP line equals the interpreter's.
    expect(lines.slice(2)).toEqual(interp.stdout.trimEnd().split('\n').slice(1));
    expect(lines.at(-1)).toBe('312 passed, 0 failed, 1 skipped');
  });

  test('run-data FILE --jit --atomics llsc prints the result; --json names the engine', () => {
    const r = tramp64('bpf', 'run-data', '--jit', '--atomics', 'llsc', join(TESTS, 'lock_cmpxchg.data'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'helpers: bpf_conformance\nengine: jit (A64 on the emulated CPU, llsc atomics)\n0x0\n',
    );
    const j = tramp64('bpf', 'run-data', '--jit', '--json', join(TESTS, 'div64-by-zero-reg.data'));
    const out = JSON.parse(j.stdout) as { engine: string; r0: string; expected: string; ok: boolean };
    expect(out.engine).toBe('jit (A64 on the emulated CPU, lse atomics)');
    expect(out.ok).toBe(true);
    expect(out.r0).toBe(out.expected);
  });

  test('bad input: --atomics without --jit, and an unknown atomics form', () => {
    const a = tramp64('bpf', 'run-data', '--atomics', 'llsc', join(TESTS, 'add.data'));
    expect(a.status).not.toBe(0);
    expect(a.stderr).toContain('--atomics applies to the JIT; add --jit');
    const b = tramp64('bpf', 'conformance', '--jit', '--atomics', 'cas', TESTS);
    expect(b.status).not.toBe(0);
    expect(b.stderr).toContain("--atomics must be lse or llsc, got 'cas'");
  });
});

describe('tramp64 bpf jit', () => {
  test('OBJ --prog NAME: the listing of one program with kallsyms names', () => {
    const r = tramp64('bpf', 'jit', join(FIXTURES, 'hashmap.bpf.o'), '--prog', 'count_entry');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^fentry\/\S+ {2}count_entry {2}at 0xffff[0-9a-f]+$/);
    expect(lines[1]).toMatch(/^bpf_prog_[0-9a-f]{16}_count_entry: {2}\(\d+ bytes, \d+ BPF slots\)$/);
    expect(r.stdout).toMatch(/\bbl\s+0x[0-9a-f]+ <bpf_map_lookup_elem>/);
    expect(r.stdout).toContain('; PLT');
    expect(r.stdout).toContain('<dummy_tramp>');
  });

  test('--kaslr SEED: helpers out of BL reach are called through movn/movk/movk + blr', () => {
    const r = tramp64('bpf', 'jit', join(FIXTURES, 'hashmap.bpf.o'), '--prog', 'count_entry', '--kaslr', '3');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/blr\s+x10/);
    expect(r.stdout).not.toMatch(/\bbl\s+0x[0-9a-f]+ <bpf_map_lookup_elem>/);
  });

  test('bad input: an unknown program names the ones the object has', () => {
    const r = tramp64('bpf', 'jit', join(FIXTURES, 'hashmap.bpf.o'), '--prog', 'nope');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("no program named 'nope'");
    expect(r.stderr).toContain('count_entry');
  });
});
