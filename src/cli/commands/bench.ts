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
import type { LayoutKind } from '../../kernel/layout.js';
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
import { STRATEGIES } from '../../trampoline/strategies/index.js';
import { Tramp64Error } from '../../util/errors.js';
import { fixtureLoader, intOption, listOption, progressBar } from './compare.js';

interface BenchCliOptions {
  strategies?: string;
  benches?: string;
  calls: string;
  layout: string;
  seed: string;
  json?: boolean;
  trigger: boolean;
  callops: boolean;
  host: boolean;
}

const usage = (msg: string): Tramp64Error => new Tramp64Error('EINVAL', msg);

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
  if (o.layout !== 'kaslr' && o.layout !== 'nokaslr')
    throw usage(`--layout must be kaslr or nokaslr, got '${o.layout}'`);
  if (!o.trigger && !o.callops && !o.host)
    throw usage('--no-trigger, --no-callops and --no-host leave nothing to run; drop one of them');
  const calls = intOption('--calls', o.calls, 1, 1_000_000);
  const seed = intOption('--seed', o.seed, 0, 0xffff_ffff);
  const strategies =
    o.strategies !== undefined
      ? listOption(
          '--strategies',
          o.strategies,
          STRATEGIES.map((s) => s.name),
        )
      : undefined;
  const benches =
    o.benches !== undefined
      ? (listOption('--benches', o.benches, TRIGGER_BENCHES) as TriggerBenchName[])
      : undefined;
  const configs = strategies
    ? DEFAULT_TRIGGER_CONFIGS.filter((c) => strategies.includes(c.strategy))
    : DEFAULT_TRIGGER_CONFIGS;
  const layout = { kind: o.layout as LayoutKind, seed };
  const load = fixtureLoader();
  const clock = (): number => performance.now();
  const bar = progressBar('bench');
  let trigger: TriggerBenchResult | undefined;
  let callops: CallOpsExperiment | undefined;
  try {
    if (o.trigger || o.host)
      trigger = runStrategyTriggerBench({
        load,
        configs,
        ...(benches ? { benches } : {}),
        calls,
        layout,
        ...(o.host ? { clock } : {}),
        onProgress: (d, t, w) => bar.update(d, t, w),
      });
    if (o.callops)
      callops = runCallOpsExperiment({
        load,
        layout,
        onProgress: (d, t, w) => bar.update(d, t, w),
      });
  } finally {
    bar.stop();
  }
  if (o.json === true) {
    const out = {
      command: ['tramp64', 'bench', ...process.argv.slice(process.argv.indexOf('bench') + 1)].join(' '),
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
  program
    .command('bench')
    .description(
      'trigger benchmarks per strategy (calls per emulated second, ratios to base), the CALL_OPS\n' +
        'experiment, and both beside the published figures (agreements and disagreements stated)',
    )
    .option(
      '--strategies <list>',
      `comma-separated strategies (default all: ${STRATEGIES.map((s) => s.name).join(', ')})`,
    )
    .option(
      '--benches <list>',
      `comma-separated trigger benches (default all: ${TRIGGER_BENCHES.join(', ')})`,
    )
    .option('--calls <n>', 'calls per measured trigger loop', '2000')
    .option('--layout <kind>', 'address layout: nokaslr (trampolines in BL range) or kaslr', 'nokaslr')
    .option('--seed <n>', 'seed of the layout and PAC keys', '1')
    .option('--no-trigger', 'leave out the trigger benchmarks')
    .option('--no-callops', 'leave out the CALL_OPS experiment')
    .option('--no-host', 'leave out the host-side figures (they vary run to run)')
    .option('--json', 'print everything as JSON (for scripts)')
    .addHelpText(
      'after',
      `\nEmulated time is modelled cycles at a nominal ${NOMINAL_CLOCK_HZ / 1e9} GHz; ratios do not depend on it.\n` +
        '\nExamples:\n' +
        '  tramp64 bench\n' +
        '  tramp64 bench --strategies patchsite,callops --benches fentry,fexit --no-callops\n' +
        '  tramp64 bench --no-trigger --no-host          # the CALL_OPS experiment alone\n' +
        '  tramp64 bench --no-host --json > bench.json\n' +
        '\nWithout --host figures the output is a function of the options. Exit codes: 0 printed, 2 bad input.',
    )
    .action((o: BenchCliOptions) => benchCommand(o));
}
