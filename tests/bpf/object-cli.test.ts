/** `tramp64 bpf load` as a user runs it: the real CLI entry (src/cli/main.ts) spawned under tsx. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(['node', 'tramp64', ...process.argv.slice(1)]); })`;

function tramp64(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, ['-e', ENTRY, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tramp64 bpf load', () => {
  test('lists programs, maps, globals and the verdict; exit 0', () => {
    const r = tramp64('bpf', 'load', 'fixtures/bpf/hashmap.bpf.o');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('object: fixtures/bpf/hashmap.bpf.o  (license: GPL)');
    expect(lines.find((l) => l.includes('count_entry'))).toMatch(
      /fentry\/bpf_fentry_test1\s+fentry\s+bpf_fentry_test1\s+42 insns\s+accepted/,
    );
    expect(lines).toContain('  fd 0  counts           hash         key 4  value 8  max_entries 64');
    expect(lines).toContain('  .data+0  limit (8 bytes)');
    expect(lines.at(-2)).toBe('verdict: all 2 programs accepted');
  });

  test('--json', () => {
    const r = tramp64('bpf', 'load', '--json', 'fixtures/bpf/ringbuf.bpf.o');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('accepted');
    expect(
      out.programs.map((p: { name: string; attachType: string; target: string; insns: number }) => [
        p.name,
        p.attachType,
        p.target,
        p.insns,
      ]),
    ).toEqual([
      ['on_entry', 'fentry', 'bpf_fentry_test2', 45],
      ['on_exit', 'fexit', 'bpf_fentry_test2', 41],
    ]);
    expect(out.programs[0].targetModel.args.map((a: { size: number }) => a.size)).toEqual([4, 8]);
    expect(out.maps[0]).toMatchObject({
      fd: 0,
      name: 'events',
      type: 'ringbuf',
      maxEntries: 4096,
      origin: 'btf',
    });
  });

  test('a rejected program prints the verifier log and exits 1', () => {
    const r = tramp64(
      'bpf',
      'load',
      '--error-injectable',
      'some_other_function',
      'fixtures/bpf/modify_return.bpf.o',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('REJECTED at insn -1: bpf_modify_return_test() is not modifiable [prog_type]');
    expect(r.stdout).toContain(
      'verifier log of fmod_ret_test (fmod_ret/bpf_modify_return_test):\nbpf_modify_return_test() is not modifiable\n',
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: 1 of 3 programs rejected');
  });

  test('a corrupt file is a typed error: one line on stderr, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-bpf-load-'));
    const bad = readFileSync(join(ROOT, 'fixtures/bpf/fentry_test.bpf.o')).subarray(0, 100);
    writeFileSync(join(dir, 'bad.o'), bad);
    const r = tramp64('bpf', 'load', join(dir, 'bad.o'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^tramp64: .+\n$/);
    const k = tramp64('bpf', 'load', 'fixtures/kernel/testkernel-gcc-pfe2.o');
    expect([k.status, k.stderr]).toEqual([
      2,
      'tramp64: e_machine is 183, not EM_BPF (247): build with clang -target bpf\n',
    ]);
  });

  test('the existing bpf subcommands stay', () => {
    const r = tramp64('bpf', '--help');
    expect(r.stdout).toMatch(/run-data/);
    expect(r.stdout).toMatch(/conformance/);
    expect(r.stdout).toMatch(/load/);
  });
});
