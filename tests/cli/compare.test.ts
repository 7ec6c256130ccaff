/**
 * `tramp64 compare` as a user runs it: spawned processes, the table with a verdict per scenario, `--json`
 * that parses and matches the table, `--md` for the README, identical output for the same seed, and the exit
 * codes scripts rely on (2 for bad input, with a message that says what to do).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CORPUS_FETCH_TIMEOUT, fetchCorpus } from '../helpers/corpus.js';
import { ROOT, tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command('compare');
const SMALL = ['--scenarios', 'fentry,shared', '--layouts', '2', '--seed', '7'];

beforeAll(async () => {
  await fetchCorpus('6.1');
  await fetchCorpus('6.12');
}, CORPUS_FETCH_TIMEOUT);

describe('tramp64 compare', () => {
  test('prints the command and seed, one table per scenario and a verdict line each', () => {
    const r = tramp64(...SMALL);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'command=tramp64 compare --scenarios fentry,shared --layouts 2 --seed 7 seed=7 layouts=2 frames=regs,args cpus=1 kernel=built-in test kernel',
    );
    expect(lines.filter((l) => l.startsWith('== '))).toEqual([
      '== fentry — one BPF fentry program on bpf_fentry_test3',
      '== shared — the function tracer and a BPF fentry program on the same function (bpf_fentry_test3)',
    ]);
    expect(lines.filter((l) => l.startsWith('verdict: '))).toHaveLength(2);
    const header = lines.find((l) => l.startsWith('strategy'))!;
    expect(header).toMatch(
      /^strategy\s+frame\s+attach\s+Δ insns\s+Δ cycles\s+arg saves\s+code bytes\s+stages/,
    );
    // 4 strategies × 2 frames per scenario.
    const rows = lines.filter((l) => /^(patchsite|ops|tailcall|callops)\s/.test(l));
    expect(rows).toHaveLength(16);
    expect(rows.find((l) => l.startsWith('patchsite  regs'))).toMatch(/50% ENOTSUPP/);
    // No progress bar on a pipe.
    expect(r.stderr.replace(/npm warn.*\n/g, '')).toBe('');
  });

  test('--json parses, carries the verdicts, and agrees with the table; same seed → identical output', () => {
    const r = tramp64(...SMALL, '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      meta: Record<string, unknown>;
      scenarios: { name: string; verdict: string }[];
      rows: { strategy: string; scenario: string; frame: string; argSaves?: { mean: number } }[];
    };
    expect(j.meta).toMatchObject({ seed: 7, layouts: 2 });
    expect(j.scenarios.map((s) => s.name)).toEqual(['fentry', 'shared']);
    const table = tramp64(...SMALL);
    for (const s of j.scenarios) expect(table.stdout).toContain(`verdict: ${s.verdict}`);
    const ops = j.rows.find((x) => x.strategy === 'ops' && x.scenario === 'fentry' && x.frame === 'args')!;
    expect(ops.argSaves!.mean).toBe(2);
    expect(tramp64(...SMALL, '--json').stdout).toBe(r.stdout);
  });

  test('--md writes GitHub tables for the README', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-compare-cli-'));
    try {
      const out = join(dir, 'compare.md');
      const r = spawnSync('sh', ['-c', `npx tsx tests/cli/run.ts compare ${SMALL.join(' ')} --md > ${out}`], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      const md = readFileSync(out, 'utf8');
      expect(md).toContain('### fentry');
      expect(md).toContain(
        '| strategy | frame | attach | Δ insns | Δ cycles | arg saves | code bytes | stages (Δ cycles) |',
      );
      expect(md).toMatch(/\*\*Verdict:\*\* cheapest on every layout: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the README's first command, no options: every scenario, 8 layouts, seed 1", () => {
    const r = tramp64();
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'command=tramp64 compare seed=1 layouts=8 frames=regs,args cpus=1 kernel=built-in test kernel',
    );
    const heads = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('== '))
      .map((l) => l.slice(3).split(' — ')[0]);
    expect(heads).toEqual([
      'fentry',
      'fentry+fexit',
      'fmod_ret',
      'ftrace-op',
      'shared',
      'tracer-all+bpf',
      '8-fentry',
    ]);
    expect(r.stdout.match(/^verdict: /gm)).toHaveLength(7);
  });

  test('--series 6.12: a module function, the PLT and CALL_OPS reach effects, reproducible', () => {
    const args = ['--series', '6.12', '--layouts', '4', '--frames', 'args', '--seed', '3'];
    const r = tramp64(...args, '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      meta: { kernel: string };
      scenarios: { name: string; description: string }[];
      rows: {
        strategy: string;
        scenario: string;
        attach: { rate: number; errno?: string };
        insns?: { min: number; max: number };
        argSaves?: { mean: number };
      }[];
    };
    expect(j.meta.kernel).toBe('built-in test kernel + 4 modules of the 6.12 corpus');
    expect(j.scenarios.map((s) => s.name)).toEqual(['ftrace-op', 'direct']);
    expect(j.scenarios[0]!.description).toMatch(/^the function tracer on one module function: \S+ \[\S+\]$/);
    const row = (st: string, sc: string) => j.rows.find((x) => x.strategy === st && x.scenario === sc)!;
    // Layouts 3 and 4 put the modules in the 2 GiB window: their ftrace PLT adds exactly 3 instructions.
    expect(row('tailcall', 'ftrace-op').insns!.max - row('tailcall', 'ftrace-op').insns!.min).toBe(3);
    // The direct trampoline in vmalloc is out of BL range of module sites: patchsite refuses, callops goes
    // through ftrace_caller's literal fast path and saves no argument, tailcall saves them in its frame.
    expect(row('patchsite', 'direct').attach).toMatchObject({ rate: 0, errno: 'ENOTSUPP' });
    expect(row('callops', 'direct').attach.rate).toBe(1);
    expect(row('callops', 'direct').argSaves!.mean).toBe(0);
    expect(row('tailcall', 'direct').argSaves!.mean).toBe(1);
    expect(tramp64(...args, '--json').stdout).toBe(r.stdout);
  });

  test("--series 6.1: '=2' module sites, so callops says it needs 6.12", () => {
    const r = tramp64(
      '--series',
      '6.1',
      '--layouts',
      '1',
      '--frames',
      'args',
      '--strategies',
      'tailcall,callops',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^tailcall\s+args\s+100%/m);
    expect(r.stdout).toMatch(
      /^callops\s+args\s+0% EINVAL .*\[needs CALL_OPS \('=4,2'\) call sites: use --series 6\.12\]$/m,
    );
  });

  test('bad input: exit 2 and a message naming the choices', () => {
    const r = tramp64('--strategies', 'patchsite,nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "tramp64: --strategies must be a comma-separated list of patchsite, ops, tailcall, callops (unknown: nope), got 'patchsite,nope'",
    );
    expect(r.stdout).toBe('');
    const both = tramp64('--json', '--md');
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--json and --md exclude each other');
    const layouts = tramp64('--layouts', 'many');
    expect(layouts.status).toBe(2);
    expect(layouts.stderr).toContain("--layouts must be an integer from 1 to 1000, got 'many'");
    const series = tramp64('--series', '5.10');
    expect(series.status).toBe(2);
    expect(series.stderr).toContain("--series must be 6.1 or 6.12, got '5.10'");
  });

  test('--help shows the scenarios and examples', () => {
    const r = tramp64('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tramp64 compare --strategies patchsite,callops');
    expect(r.stdout).toMatch(/tracer-all\+bpf\s+the function tracer on every function/);
  });
});
