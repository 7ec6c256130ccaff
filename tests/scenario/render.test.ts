/**
 * The comparison result model and its renderers, on a fixed synthetic result: aggregation checked by hand
 * (means, ranges, rates, errno choice, verdicts), the three renderings kept as file snapshots
 * (tests/scenario/__snapshots__/compare-{table,json,md}.txt, .txt so formatters leave them alone; review a diff before `vitest -u`).
 */
import { describe, expect, test } from 'vitest';
import type { CallDelta } from '../../src/scenario/measure.js';
import { renderJson, renderMarkdown, renderTable } from '../../src/scenario/render.js';
import {
  buildRow,
  stageShares,
  summarize,
  verdict,
  type CompareResult,
  type Sample,
} from '../../src/scenario/result.js';
import { emptyStageCounts, type Stage } from '../../src/scenario/stages.js';

function delta(parts: Partial<Record<Stage, [number, number]>>, argSaves: number): CallDelta {
  const insns = emptyStageCounts();
  const cycles = emptyStageCounts();
  for (const [s, [i, c]] of Object.entries(parts) as [Stage, [number, number]][]) {
    insns[s] = i;
    cycles[s] = c;
  }
  const sum = (r: Record<Stage, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    instructions: sum(insns),
    cycles: sum(cycles),
    stages: { instructions: insns, cycles },
    argSaves,
    argStoreCounts: [argSaves],
    sameResult: true,
  };
}
const ok = (d: CallDelta, codeBytes: number): Sample => ({ ok: true, delta: d, codeBytes });
const fail = (errno: string): Sample => ({ ok: false, errno });

/** Four layouts; patchsite fails on the two kaslr ones. Numbers chosen so every aggregate is easy by hand. */
function syntheticResult(): CompareResult {
  const ps = delta(
    { 'patch site': [2, 2], trampoline: [30, 40], 'enter/exit': [20, 30], program: [8, 8] },
    1,
  );
  const co = (far: boolean) =>
    delta(
      {
        'patch site': [2, 2],
        ftrace_caller: [far ? 6 : 0, far ? 18 : 0],
        trampoline: [30, 40],
        'enter/exit': [20, 30],
        program: [8, 8],
      },
      1,
    );
  const ops = delta(
    {
      'patch site': [2, 2],
      ftrace_caller: [40, 60],
      'op iteration': [10, 22],
      trampoline: [36, 50],
      'enter/exit': [20, 30],
      program: [8, 8],
    },
    2,
  );
  const rows = [
    buildRow('patchsite', 'fentry', 'none', [fail('ENOTSUPP'), ok(ps, 4096), fail('ENOTSUPP'), ok(ps, 4096)]),
    buildRow('callops', 'fentry', 'args', [
      ok(co(true), 4096),
      ok(co(false), 4096),
      ok(co(true), 4096),
      ok(co(false), 4096),
    ]),
    buildRow('ops', 'fentry', 'args', [ok(ops, 4256), ok(ops, 4256), ok(ops, 4256), ok(ops, 4256)]),
    buildRow(
      'ops',
      'shared',
      'regs',
      [ok(ops, 4256), ok(ops, 4256), ok(ops, 4256), ok(ops, 4256)],
      'ftrace op + BPF',
    ),
    buildRow('patchsite', 'shared', 'regs', [
      fail('EBUSY'),
      fail('ENOTSUPP'),
      fail('EBUSY'),
      fail('ENOTSUPP'),
    ]),
  ];
  return {
    strategies: ['patchsite', 'ops', 'callops'],
    scenarios: [
      { name: 'fentry', description: 'one fentry program on bpf_fentry_test1' },
      { name: 'shared', description: 'function tracer and fentry on one function' },
    ],
    rows,
    meta: { seed: 1, layouts: 4, kernel: 'gcc-pfe42' },
  };
}

describe('result model', () => {
  test('summarize and buildRow aggregate by hand-checkable rules', () => {
    expect(summarize([])).toBeUndefined();
    expect(summarize([3, 1, 2])).toEqual({ mean: 2, min: 1, max: 3, n: 3 });
    const r = syntheticResult();
    const ps = r.rows[0]!;
    expect(ps.attach).toEqual({ ok: true, rate: 0.5, attempts: 4, errno: 'ENOTSUPP' });
    expect(ps.insns).toEqual({ mean: 60, min: 60, max: 60, n: 2 });
    const co = r.rows[1]!;
    expect(co.attach).toEqual({ ok: true, rate: 1, attempts: 4 });
    expect(co.insns).toEqual({ mean: 63, min: 60, max: 66, n: 4 });
    expect(co.cycles).toEqual({ mean: 89, min: 80, max: 98, n: 4 });
    expect(co.stages!.insns.ftrace_caller).toBe(3);
    expect(r.rows[2]!.argSaves).toEqual({ mean: 2, min: 2, max: 2, n: 4 });
    // Two EBUSY and two ENOTSUPP: the tie goes to the first name in sort order.
    expect(r.rows[4]!.attach).toEqual({ ok: false, rate: 0, attempts: 4, errno: 'EBUSY' });
    expect(r.rows[4]!.insns).toBeUndefined();
    expect(stageShares(r.rows[0]!).map(([s, v]) => [s, Math.round(v * 100)])).toEqual([
      ['patch site', 3],
      ['trampoline', 50],
      ['enter/exit', 38],
      ['program', 10],
    ]);
  });

  test('verdicts name the cheapest strategy that always attaches (ties together), and who fails', () => {
    const r = syntheticResult();
    expect(verdict(r, 'fentry')).toBe(
      'cheapest on every layout: callops (args) at +63 insns / +89 cycles; patchsite attaches on 50% of layouts (ENOTSUPP otherwise), +60 insns / +80 cycles where it does',
    );
    expect(verdict(r, 'shared')).toBe(
      'cheapest on every layout: ops (regs) at +116 insns / +172 cycles; patchsite cannot attach (EBUSY)',
    );
    const tie = {
      ...r,
      rows: [
        ...r.rows.filter((x) => x.scenario === 'fentry'),
        ...r.rows
          .filter((x) => x.scenario === 'fentry' && x.strategy === 'callops')
          .map((x) => ({ ...x, frame: 'regs' as const })),
      ],
    };
    expect(verdict(tie, 'fentry')).toMatch(/^cheapest on every layout: callops \(args, regs\) at /);
    expect(verdict(r, 'nothing')).toBe('no strategy ran this scenario');
  });
});

describe('renderers', () => {
  test('terminal table', async () => {
    const t = renderTable(syntheticResult());
    // Columns line up: text columns start under their header, number columns end under theirs.
    const lines = t.split('\n');
    const header = lines.find((l) => l.startsWith('strategy'))!;
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 4);
    const attachAt = header.indexOf('attach');
    expect(rows.map((l) => /^\d+%/.test(l.slice(attachAt)))).toEqual([true, true, true]);
    const insnsEnd = header.indexOf('Δ insns') + 'Δ insns'.length;
    expect(rows.map((l) => l[insnsEnd - 1] !== ' ' && l[insnsEnd] === ' ')).toEqual([true, true, true]);
    await expect(t).toMatchFileSnapshot('__snapshots__/compare-table.txt');
  });

  test('JSON parses back to the result with verdicts filled in', async () => {
    const r = syntheticResult();
    const j = renderJson(r);
    const back = JSON.parse(j) as CompareResult;
    expect(back.rows).toEqual(JSON.parse(JSON.stringify(r.rows)));
    expect(back.scenarios.map((s) => s.verdict)).toEqual([verdict(r, 'fentry'), verdict(r, 'shared')]);
    await expect(j).toMatchFileSnapshot('__snapshots__/compare-json.txt');
  });

  test('Markdown', async () => {
    const md = renderMarkdown(syntheticResult());
    const table = md.split('\n').filter((l) => l.startsWith('|'));
    // Every table row has as many cells as the header.
    const cellsOf = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    expect(new Set(table.map(cellsOf)).size).toBe(1);
    await expect(md).toMatchFileSnapshot('__snapshots__/compare-md.txt');
  });
});
