/**
 * `tramp64 bench`: the kernel-style trigger benchmarks (bench trig-base / fentry / fexit / fmodret and the
 * function tracer) per attach strategy, as calls per emulated second at the model's nominal clock and as
 * ratios to base; the CALL_OPS experiment of Mark Rutland's series (one relevant op plus N irrelevant ops);
 * and every figure that can be put beside a published one, with "agrees" or "DISAGREES" and why. Host-side
 * figures (emulated instructions per host second, attach latency, sites patched per second) come last; they
 * depend on the machine running tramp64, so `--no-host` leaves them out for reproducible output.
 *
 * Not `npm run bench` (bench/run.ts), which measures tramp64's own speed.
 *
 * Exit codes: 0 printed; 2 bad input.
 */
import type { Command } from 'commander';
import { NOMINAL_CLOCK_HZ } from '../../scenario/bench.js';
import {
  DEFAULT_TRIGGER_CONFIGS,
  MARK_RUTLAND_CALL_OPS,
  runCallOpsExperiment,
  runStrategyTriggerBench,
  TRIGGER_BENCHES,
  type CallOpsExperiment,
  type Comparison,
  type TriggerBenchName,
  type TriggerBenchResult,
} from '../../scenario/benches.js';
import { STRATEGY_NAMES } from '../../trampoline/strategies/types.js';
import {
  examples,
  layoutOption,
  listOption,
  parseCount,
  parseLayout,
  parseList,
  parseSeed,
  seedOption,
  usage,
} from '../options.js';
import { fixtureLoader, typedCommandLine, withProgress } from '../progress.js';

interface BenchCliOptions {
  strategies?: string;
  benches?: string;
  calls?: string;
  layout?: string;
  seed?: string;
  json?: boolean;
  trigger: boolean;
  callops: boolean;
  host: boolean;
}

/** Calls per measured trigger loop when --calls is not given. */
const DEFAULT_CALLS = 2000;

const n1 = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);
const n2 = (n: number): string => n.toFixed(2);
const n3 = (n: number): string => n.toFixed(3);

/** Left-aligned text columns, right-aligned numbers (cells starting with a digit, sign or dash). */
function grid(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r, i) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - [...cell].length);
        return i > 0 && /^[-+0-9—]/.test(cell) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

function comparisonLines(cs: readonly Comparison[]): string[] {
  const out: string[] = [];
  for (const c of cs) {
    out.push(`${c.agrees ? 'agrees    ' : 'DISAGREES '} ${c.what}`);
    out.push(`           ours: ${c.ours}`);
    out.push(`           published: ${c.published}`);
    out.push(`           ${c.note}`);
  }
  return out;
}

function triggerText(t: TriggerBenchResult): string[] {
  const clock = `${t.clockHz / 1e9} GHz`;
  const out = [
    `== trigger benchmarks (${t.calls.toLocaleString('en-US')} calls per run, ${t.layout.kind} seed ${t.layout.seed ?? 1}, modelled cycles at a nominal ${clock})`,
  ];
  const rows: string[][] = [
    ['strategy', 'frame', 'bench', 'M calls/s', 'base M/s', 'ratio', 'Δ cycles/call', 'Δ ns/call'],
  ];
  for (const r of t.rows) {
    const base = r.base.callsPerSecond / 1e6;
    if (r.run === undefined)
      rows.push([r.strategy, r.frame, r.bench, '—', n1(base), '—', '—', `failed: ${r.error ?? '?'}`]);
    else
      rows.push([
        r.strategy,
        r.frame,
        r.bench,
        n1(r.run.callsPerSecond / 1e6),
        n1(base),
        n3(r.ratio!),
        `+${n1(r.overheadCycles!)}`,
        `+${n1(r.overheadNs!)}`,
      ]);
  }
  out.push(...grid(rows));
  out.push(
    '',
    'bases: tramp64_trigger(i) in a loop (fmodret: bpf_modify_return_test(1, &b), the error-injectable target)',
  );
  out.push('', '== beside the published trigger figures', ...comparisonLines(t.comparisons));
  return out;
}

function callOpsText(e: CallOpsExperiment): string[] {
  const src = MARK_RUTLAND_CALL_OPS;
  const out = [
    `== CALL_OPS: one relevant op + N irrelevant ops (${src.who}, ${src.when}; ${src.hardware})`,
    `   ours: ${e.calls} calls per point, ftrace_regs frame, DYNAMIC counting ops, overhead = traced − untraced per call at ${e.clockHz / 1e9} GHz`,
  ];
  const rows: string[][] = [
    [
      'relevant',
      'irrelevant',
      'before insns',
      'before ns',
      'after insns',
      'after ns',
      'published before ns',
      'published after ns',
    ],
  ];
  for (const r of e.rows)
    rows.push([
      String(r.relevant),
      String(r.irrelevant),
      `+${r.before.overheadInsns.toFixed(0)}`,
      `+${n1(r.before.overheadNs)}`,
      `+${r.after.overheadInsns.toFixed(0)}`,
      `+${n1(r.after.overheadNs)}`,
      r.published?.before.overheadNs !== undefined ? String(r.published.before.overheadNs) : '—',
      r.published?.after.overheadNs !== undefined ? String(r.published.after.overheadNs) : '—',
    ]);
  out.push(...grid(rows));
  const s = e.shape.ours;
  out.push(
    '',
    `shape (1 relevant op): before ${n2(s.before.slope)} ns per irrelevant op (r² ${n3(s.before.r2)}), after ${n2(s.after.slope)} ns per op, instruction spread ${s.afterInsnSpread}`,
    '',
    '== beside the published CALL_OPS figures',
    ...comparisonLines(e.comparisons),
  );
  return out;
}

async function benchCommand(o: BenchCliOptions): Promise<void> {
  const kind = parseLayout(o.layout, 'nokaslr');
  if (!o.trigger && !o.callops && !o.host)
    throw usage('--no-trigger, --no-callops and --no-host leave nothing to run; drop one of them');
  const calls = o.calls === undefined ? DEFAULT_CALLS : parseCount('--calls', o.calls, 1, 1_000_000);
  const seed = parseSeed(o.seed);
  const strategies =
    o.strategies !== undefined ? parseList('--strategies', o.strategies, STRATEGY_NAMES) : undefined;
  const benches: TriggerBenchName[] | undefined =
    o.benches !== undefined ? parseList('--benches', o.benches, TRIGGER_BENCHES) : undefined;
  const configs = strategies
    ? DEFAULT_TRIGGER_CONFIGS.filter((c) => (strategies as readonly string[]).includes(c.strategy))
    : DEFAULT_TRIGGER_CONFIGS;
  const layout = { kind, seed };
  const load = fixtureLoader();
  const clock = (): number => performance.now();
  const { trigger, callops } = withProgress('bench', (bar) => ({
    trigger:
      o.trigger || o.host
        ? runStrategyTriggerBench({
            load,
            configs,
            ...(benches ? { benches } : {}),
            calls,
            layout,
            ...(o.host ? { clock } : {}),
            onProgress: bar.update,
          })
        : undefined,
    callops: o.callops ? runCallOpsExperiment({ load, layout, onProgress: bar.update }) : undefined,
  }));
  if (o.json === true) {
    const out = {
      command: typedCommandLine('bench'),
      clockHz: NOMINAL_CLOCK_HZ,
      ...(o.trigger && trigger ? { trigger: { ...trigger, host: undefined } } : {}),
      ...(callops ? { callops } : {}),
      ...(o.host && trigger?.host ? { host: trigger.host } : {}),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const out: string[] = [];
  if (o.trigger && trigger) out.push(...triggerText(trigger), '');
  if (callops) out.push(...callOpsText(callops), '');
  if (o.host && trigger?.host) {
    const h = trigger.host;
    out.push(
      '== host (this machine running tramp64; varies run to run, --no-host leaves it out)',
      `emulated instructions per host second: ${(h.instructionsPerSecond / 1e6).toFixed(1)} M`,
      `attach latency (one fentry program, mean): ${n2(h.attachMs)} ms`,
      `call sites patched per second (function tracer on all ${h.sites} sites): ${Math.round(h.sitesPerSecond).toLocaleString('en-US')}`,
      '',
    );
  }
  const text = out.join('\n');
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function register(program: Command): void {
  const cmd = program
    .command('bench')
    .summary('trigger benchmarks and the CALL_OPS experiment')
    .description(
      'trigger benchmarks per strategy (calls per emulated second, ratios to base), the CALL_OPS ' +
        'experiment, and both beside the published figures (agreements and disagreements stated)',
    );
  listOption(cmd, '--strategies', 'strategies', STRATEGY_NAMES);
  listOption(cmd, '--benches', 'trigger benches', TRIGGER_BENCHES);
  cmd.option('--calls <n>', `calls per measured trigger loop (1 to 1000000, default ${DEFAULT_CALLS})`);
  layoutOption(cmd, 'nokaslr', 'trampolines in BL range');
  seedOption(cmd, 'the layout and PAC keys');
  cmd
    .option('--no-trigger', 'leave out the trigger benchmarks')
    .option('--no-callops', 'leave out the CALL_OPS experiment')
    .option('--no-host', 'leave out the host-side figures (they vary run to run)')
    .option('--json', 'print everything as JSON (for scripts)')
    .addHelpText(
      'after',
      `\nEmulated time is modelled cycles at a nominal ${NOMINAL_CLOCK_HZ / 1e9} GHz; ratios do not depend on it.`,
    );
  examples(
    cmd,
    [
      'tramp64 bench',
      'tramp64 bench --strategies patchsite,callops --benches fentry,fexit --no-callops',
      'tramp64 bench --no-trigger --no-host          # the CALL_OPS experiment alone',
      'tramp64 bench --no-host --json > bench.json',
    ],
    'Without the host figures the output is a function of the options. A progress bar is drawn on stderr\n' +
      'when it is a terminal. Exit codes: 0 printed, 2 bad input (unknown strategy or bench, a bad number,\n' +
      'nothing left to run).',
  ).action((o: BenchCliOptions) => benchCommand(o));
}
