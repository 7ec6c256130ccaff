/**
 * `tramp64 bench` as a user runs it: spawned processes; the trigger table with ratios to base, the
 * comparison lines beside the published figures (agrees / DISAGREES), the CALL_OPS table beside Mark
 * Rutland's; `--json`; reproducible output without host figures; exit 2 on bad input.
 */
import { describe, expect, test } from 'vitest';
import { tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command('bench');

describe('tramp64 bench', () => {
  const r = tramp64('--calls', '200', '--no-host');

  test('trigger table with ratios to base, and the published figures beside ours', () => {
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^== trigger benchmarks \(200 calls per run, nokaslr seed 1, modelled cycles at a nominal 2 GHz\)$/,
    );
    expect(lines[1]).toMatch(
      /^strategy\s+frame\s+bench\s+M calls\/s\s+base M\/s\s+ratio\s+Δ cycles\/call\s+Δ ns\/call$/,
    );
    const fentry = lines.filter((l) => /^\w+\s+\w+\s+fentry\s/.test(l));
    expect(fentry.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'patchsite regs',
      'ops args',
      'ops regs',
      'tailcall args',
      'callops args',
    ]);
    for (const l of fentry) expect(l).toMatch(/\s0\.\d{3}\s/);
    expect(r.stdout).toContain('== beside the published trigger figures');
    expect(r.stdout).toMatch(
      /^(agrees|DISAGREES) +trig-fentry overhead per call, fprobe path ÷ direct call \(Xu Kuohai/m,
    );
    expect(r.stdout).toMatch(/^DISAGREES {2}trig-fentry ÷ trig-base, direct call$/m);
    expect(r.stdout).toContain('published: 0.76 (Xu Kuohai, RPi 4)');
  });

  test("the CALL_OPS table beside Mark Rutland's, flat after, linear before", () => {
    expect(r.stdout).toContain('== CALL_OPS: one relevant op + N irrelevant ops (Mark Rutland');
    const row = (rel: number, irr: number) =>
      r.stdout
        .split('\n')
        .find((l) => new RegExp(`^\\s+${rel}\\s+${irr}\\s+\\+`).test(l))!
        .trim()
        .split(/\s+/);
    expect(row(1, 100).slice(-2)).toEqual(['1063.38', '1.87']);
    expect(row(1, 0).slice(-2)).toEqual(['13.37', '1.86']);
    // after insns equal for every N; before insns grow.
    expect(new Set([0, 1, 2, 10, 100].map((n) => row(1, n)[4])).size).toBe(1);
    expect(Number(row(1, 100)[2])).toBeGreaterThan(Number(row(1, 10)[2]));
    expect(r.stdout).toMatch(/^agrees {5}with CALL_OPS, 1 relevant \+ N irrelevant ops: flat in N$/m);
    expect(r.stdout).toMatch(/^agrees {5}without CALL_OPS, 1 relevant \+ N irrelevant ops: linear in N$/m);
    expect(r.stdout).not.toContain('== host');
  });

  test('without host figures the output is reproducible; --json parses', () => {
    expect(tramp64('--calls', '200', '--no-host').stdout).toBe(r.stdout);
    const j = tramp64('--calls', '100', '--no-host', '--no-callops', '--strategies', 'callops', '--json');
    expect(j.status).toBe(0);
    const o = JSON.parse(j.stdout) as {
      clockHz: number;
      trigger: { rows: { strategy: string; bench: string; ratio: number }[] };
    };
    expect(o.clockHz).toBe(2e9);
    expect(o.trigger.rows.map((x) => x.bench)).toEqual(['fentry', 'fexit', 'fmodret', 'ftrace-op']);
    expect(o.trigger.rows.every((x) => x.strategy === 'callops' && x.ratio > 0 && x.ratio < 1)).toBe(true);
  });

  test('host figures are printed when asked for', () => {
    const h = tramp64('--calls', '50', '--no-callops', '--strategies', 'callops', '--benches', 'fentry');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^emulated instructions per host second: [\d.]+ M$/m);
    expect(h.stdout).toMatch(/^call sites patched per second \(function tracer on all \d+ sites\): [\d,]+$/m);
  });

  test('bad input: exit 2 with what to do', () => {
    const a = tramp64('--layout', 'random');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("--layout must be kaslr or nokaslr, got 'random'");
    const b = tramp64('--benches', 'trig-fentry');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(
      "--benches must be a comma-separated list of fentry, fexit, fmodret, ftrace-op (unknown: trig-fentry), got 'trig-fentry'",
    );
    const c = tramp64('--no-trigger', '--no-callops', '--no-host');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('leave nothing to run');
  });
});
