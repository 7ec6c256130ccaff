/**
 * The result model of `tramp64 compare`: one row per strategy × scenario × frame kind, aggregated over the
 * seeded layout samples. The renderers (render.ts) print it as a terminal table, JSON and Markdown; the
 * comparison driver fills it with `buildRow` from per-layout samples, so the aggregation rules live here:
 *
 *   - attach: the share of layouts on which the attach succeeded, and the most frequent errno otherwise;
 *   - insns, cycles, argSaves, codeBytes: mean / min / max over the layouts where it succeeded;
 *   - stages: the mean per-stage delta (instructions and cycles), from which a renderer shows shares.
 * Numbers only (no bigint), so JSON.stringify gives the `--json` output directly.
 */
import type { CallDelta } from './measure.js';
import { emptyStageCounts, STAGES, type Stage, type StageCounts } from './stages.js';

/** Frame kinds of SPEC: seed-era pt_regs, v6.2+ ftrace_regs, or none (the strategy saves no ftrace frame). */
export type FrameKind = 'regs' | 'args' | 'none';

export interface Stat {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Samples aggregated. */
  readonly n: number;
}

export interface AttachSummary {
  /** Attached on at least one layout. */
  readonly ok: boolean;
  /** Successful layouts / layouts tried (0–1). */
  readonly rate: number;
  readonly attempts: number;
  /** The most frequent failure (errno name, e.g. ENOTSUPP), when any layout failed. */
  readonly errno?: string;
}

export interface CompareRow {
  readonly strategy: string;
  readonly scenario: string;
  readonly frame: FrameKind;
  readonly attach: AttachSummary;
  /** Traced − untraced instructions per call; undefined when the attach never succeeded. */
  readonly insns?: Stat;
  readonly cycles?: Stat;
  /** Mean traced − untraced instructions and cycles per stage. */
  readonly stages?: { readonly insns: StageCounts; readonly cycles: StageCounts };
  /** Saves of the whole argument set on the way (min over arguments of the stores by provenance). */
  readonly argSaves?: Stat;
  /** Bytes of generated code and data per attached function. */
  readonly codeBytes?: Stat;
  /** Free text (e.g. "fexit skipped: 2 of 8 layouts"). */
  readonly note?: string;
}

export interface ScenarioInfo {
  readonly name: string;
  readonly description?: string;
  /** One line; renderers compute one with `verdict` when absent. */
  readonly verdict?: string;
}

export interface CompareResult {
  readonly strategies: readonly string[];
  readonly scenarios: readonly ScenarioInfo[];
  readonly rows: readonly CompareRow[];
  /** How the numbers were obtained (seed, layout count, kernel variant …), echoed by every renderer. */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

/** One layout's outcome, as the comparison driver observes it. */
export type Sample =
  | { readonly ok: true; readonly delta: CallDelta; readonly codeBytes: number }
  | { readonly ok: false; readonly errno: string };

export function summarize(values: readonly number[]): Stat | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { mean: sum / values.length, min, max, n: values.length };
}

/** Aggregate one strategy × scenario × frame over its layout samples. */
export function buildRow(
  strategy: string,
  scenario: string,
  frame: FrameKind,
  samples: readonly Sample[],
  note?: string,
): CompareRow {
  const ok = samples.filter((s): s is Extract<Sample, { ok: true }> => s.ok);
  const errnos = new Map<string, number>();
  for (const s of samples) if (!s.ok) errnos.set(s.errno, (errnos.get(s.errno) ?? 0) + 1);
  // The most frequent errno; ties go to the name first in sort order, so the pick is deterministic.
  const errno = [...errnos].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const attach: AttachSummary = {
    ok: ok.length > 0,
    rate: samples.length === 0 ? 0 : ok.length / samples.length,
    attempts: samples.length,
    ...(errno !== undefined ? { errno } : {}),
  };
  const row: CompareRow = { strategy, scenario, frame, attach, ...(note !== undefined ? { note } : {}) };
  if (ok.length === 0) return row;
  const mean = (pick: (d: CallDelta) => StageCounts): StageCounts => {
    const out = emptyStageCounts();
    for (const s of STAGES) out[s] = ok.reduce((n, x) => n + pick(x.delta)[s], 0) / ok.length;
    return out;
  };
  return {
    ...row,
    insns: summarize(ok.map((s) => s.delta.instructions)),
    cycles: summarize(ok.map((s) => s.delta.cycles)),
    stages: { insns: mean((d) => d.stages.instructions), cycles: mean((d) => d.stages.cycles) },
    argSaves: summarize(ok.map((s) => s.delta.argSaves)),
    codeBytes: summarize(ok.map((s) => s.codeBytes)),
  };
}

/** Share (0–1) of each stage in a row's mean cycle delta; stages with no share are left out. */
export function stageShares(row: CompareRow, by: 'insns' | 'cycles' = 'cycles'): [Stage, number][] {
  if (!row.stages) return [];
  const counts = row.stages[by];
  const total = STAGES.reduce((n, s) => n + Math.max(0, counts[s]), 0);
  if (total <= 0) return [];
  return STAGES.filter((s) => counts[s] > 0).map((s) => [s, counts[s] / total] as [Stage, number]);
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * A one-line verdict for a scenario: the cheapest strategy that attached on every layout (by mean cycles,
 * then instructions), and who failed where.
 */
export function verdict(result: CompareResult, scenario: string): string {
  const rows = result.rows.filter((r) => r.scenario === scenario);
  if (rows.length === 0) return 'no strategy ran this scenario';
  const always = rows.filter((r) => r.attach.rate === 1 && r.cycles !== undefined);
  const failing = rows.filter((r) => r.attach.rate < 1);
  const parts: string[] = [];
  const cost = (r: CompareRow): string => `+${fmt(r.insns!.mean)} insns / +${fmt(r.cycles!.mean)} cycles`;
  const sameCost = (a: CompareRow, b: CompareRow): boolean =>
    a.cycles!.mean === b.cycles!.mean && a.insns!.mean === b.insns!.mean;
  let best: CompareRow | undefined;
  if (always.length > 0) {
    best = [...always].sort((a, b) => a.cycles!.mean - b.cycles!.mean || a.insns!.mean - b.insns!.mean)[0]!;
    // Ties (typically the same path under both frame kinds) are named together, not by sort order.
    const tied = always.filter((r) => r.strategy === best!.strategy && sameCost(r, best!));
    const frames = tied.map((r) => r.frame).filter((f) => f !== 'none');
    const frame = frames.length > 0 ? ` (${frames.join(', ')})` : '';
    const others = always.filter((r) => r.strategy !== best!.strategy && sameCost(r, best!));
    const also = [...new Set(others.map((r) => r.strategy))];
    parts.push(
      `cheapest on every layout: ${best.strategy}${frame}${also.length > 0 ? ` = ${also.join(' = ')}` : ''} at ${cost(best)}`,
    );
  } else parts.push('no strategy attached on every layout');
  const seen = new Set<string>();
  for (const r of failing) {
    const key = `${r.strategy}:${r.attach.errno ?? ''}:${r.attach.rate}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pct = Math.round(r.attach.rate * 100);
    const where = r.cycles !== undefined && r.insns !== undefined ? `, ${cost(r)} where it does` : '';
    parts.push(
      r.attach.ok
        ? `${r.strategy} attaches on ${pct}% of layouts (${r.attach.errno ?? 'error'} otherwise)${where}`
        : `${r.strategy} cannot attach (${r.attach.errno ?? 'error'})`,
    );
  }
  return parts.join('; ');
}
