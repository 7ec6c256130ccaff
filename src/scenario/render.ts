/**
 * Renderers of a CompareResult (result.ts): an aligned terminal table with a one-line verdict per scenario,
 * JSON for scripts, and Markdown for the README. All three are pure functions of the result, so a fixed
 * synthetic result has fixed output (tests/scenario/render.test.ts keeps snapshots of each).
 *
 * Cell formats, shared by the table and Markdown: a statistic prints as its mean, with the range after it
 * when the layouts disagree (`+41.5 (38–45)`); an attach as its success rate and, if some layout failed,
 * the errno (`50% ENOTSUPP`); stages as the shares of the cycle delta in stage order.
 */
import {
  stageShares,
  verdict,
  type CompareResult,
  type CompareRow,
  type ScenarioInfo,
  type Stat,
} from './result.js';

const num = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r)
    ? r.toLocaleString('en-US')
    : r.toLocaleString('en-US', { minimumFractionDigits: 1 });
};
const signed = (n: number): string => (n > 0 ? `+${num(n)}` : num(n));

/** `+41.5 (38–45)`, or `+40` when every layout agrees; `—` for no data. */
export function formatStat(s: Stat | undefined, opts: { sign?: boolean } = {}): string {
  if (!s) return '—';
  const f = opts.sign === false ? num : signed;
  return s.min === s.max ? f(s.mean) : `${f(s.mean)} (${f(s.min)}–${f(s.max)})`;
}

export function formatAttach(r: CompareRow): string {
  const pct = `${Math.round(r.attach.rate * 100)}%`;
  return r.attach.errno !== undefined ? `${pct} ${r.attach.errno}` : pct;
}

export function formatStages(r: CompareRow): string {
  const shares = stageShares(r);
  if (shares.length === 0) return '—';
  return shares.map(([s, v]) => `${s} ${Math.round(v * 100)}%`).join(', ');
}

const HEADERS = [
  'strategy',
  'frame',
  'attach',
  'Δ insns',
  'Δ cycles',
  'arg saves',
  'code bytes',
  'stages (Δ cycles)',
];

function cells(r: CompareRow): string[] {
  return [
    r.strategy,
    r.frame === 'none' ? '-' : r.frame,
    formatAttach(r),
    formatStat(r.insns),
    formatStat(r.cycles),
    formatStat(r.argSaves, { sign: false }),
    formatStat(r.codeBytes, { sign: false }),
    formatStages(r) + (r.note !== undefined ? ` [${r.note}]` : ''),
  ];
}

/** Columns that hold numbers are right-aligned. */
const RIGHT = [false, false, false, true, true, true, true, false];

function scenarioVerdict(result: CompareResult, s: ScenarioInfo): string {
  return s.verdict ?? verdict(result, s.name);
}

function metaLine(result: CompareResult): string | undefined {
  if (!result.meta) return undefined;
  const kv = Object.entries(result.meta);
  return kv.length === 0 ? undefined : kv.map(([k, v]) => `${k}=${String(v)}`).join(' ');
}

/** The terminal table. */
export function renderTable(result: CompareResult): string {
  const out: string[] = [];
  const meta = metaLine(result);
  if (meta !== undefined) out.push(meta, '');
  for (const s of result.scenarios) {
    const rows = result.rows.filter((r) => r.scenario === s.name);
    out.push(`== ${s.name}${s.description !== undefined ? ` — ${s.description}` : ''}`);
    const grid = [HEADERS, ...rows.map(cells)];
    const widths = HEADERS.map((_, c) => Math.max(...grid.map((row) => [...row[c]!].length)));
    for (const row of grid) {
      const line = row
        .map((cell, c) => {
          const pad = ' '.repeat(widths[c]! - [...cell].length);
          return RIGHT[c] ? pad + cell : cell + pad;
        })
        .join('  ');
      out.push(line.trimEnd());
    }
    out.push(`verdict: ${scenarioVerdict(result, s)}`, '');
  }
  return out.join('\n');
}

/** `--json`: the result with every scenario's verdict filled in. */
export function renderJson(result: CompareResult): string {
  const full: CompareResult = {
    ...result,
    scenarios: result.scenarios.map((s) => ({ ...s, verdict: scenarioVerdict(result, s) })),
  };
  return JSON.stringify(full, null, 2) + '\n';
}

const mdEscape = (s: string): string => s.replace(/\|/g, '\\|');

/** `--md`: one section per scenario with a GitHub table and the verdict. */
export function renderMarkdown(result: CompareResult): string {
  const out: string[] = [];
  const meta = metaLine(result);
  if (meta !== undefined) out.push(`<sub>${mdEscape(meta)}</sub>`, '');
  for (const s of result.scenarios) {
    const rows = result.rows.filter((r) => r.scenario === s.name);
    out.push(`### ${mdEscape(s.name)}`, '');
    if (s.description !== undefined) out.push(mdEscape(s.description), '');
    out.push(`| ${HEADERS.join(' | ')} |`);
    out.push(`|${RIGHT.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`);
    for (const r of rows) out.push(`| ${cells(r).map(mdEscape).join(' | ')} |`);
    out.push('', `**Verdict:** ${mdEscape(scenarioVerdict(result, s))}`, '');
  }
  return out.join('\n');
}
