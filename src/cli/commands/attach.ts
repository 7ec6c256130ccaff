/**
 * `tramp64 attach OBJ [--strategy S] [--frame regs|args] [--layout kaslr|nokaslr] [--seed N] [--func F]
 *  [--bti on|off] [--pac on|off] [--json]`: load a clang `-target bpf` object, verify its fentry / fexit /
 * fmod_ret programs against the built-in test kernel's BTF, JIT them, attach them through one of the four
 * strategies (src/trampoline/strategies), and print what was patched where — every call-site word and
 * CALL_OPS literal that changed, old → new, and the `ftrace_call` branch when it moved — and which path a
 * call of each attached function now takes (the strategy's own description, hop by hop).
 *
 * An attach the strategy refuses (e.g. `patchsite` with the trampoline out of BL range under KASLR) is
 * printed with its errno; the command still exits 0 when at least one program attached, 1 when none did,
 * and 2 on bad input (unreadable object, unknown strategy/function, bad option).
 *
 * The shared pieces of `tramp64 test-run` (kernel options, object reading) live here too.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { disassemble } from '../../a64/index.js';
import { loadBpfObject, type BpfObject } from '../../bpf/index.js';
import type { FrameKind } from '../../ftrace/arch/abi.js';
import type { CallSite } from '../../kernel/callsites.js';
import { testKernelFixture, type TestKernelVariant } from '../../kernel/testkernel.js';
import {
  createTracingKernel,
  strategyByName,
  testKernelVariantFor,
} from '../../trampoline/strategies/index.js';
import { attachObject, type ProgramAttach } from '../../trampoline/strategies/testrun.js';
import { STRATEGY_NAMES, type StrategyName, type TracingKernel } from '../../trampoline/strategies/types.js';
import { EXIT } from '../exit.js';
import {
  badValue,
  examples,
  layoutOption,
  packageRoot,
  parseChoice,
  parseLayout,
  parseOnOff,
  parseFrame,
  parseSeed,
  readBytes,
  seedOption,
  usage,
} from '../options.js';

/** Options shared by `attach` and `test-run`. */
export interface KernelCliOptions {
  strategy?: string;
  frame?: string;
  layout?: string;
  seed?: string;
  bti?: string;
  pac?: string;
  json?: boolean;
}

export { readBytes };
export const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** A BPF object from a file, with a message that says what to do when it is not one. */
export function readBpfObject(path: string): BpfObject {
  return loadBpfObject(readBytes(path, 'the BPF object'), { allowUnsupported: true });
}

/** The resolved kernel options of a command line. */
export interface KernelChoice {
  readonly strategy: StrategyName;
  readonly frame: FrameKind | undefined;
  readonly layout: 'kaslr' | 'nokaslr';
  readonly seed: number;
  readonly bti: boolean;
  readonly pac: boolean;
  readonly variant: TestKernelVariant;
}

export function parseKernelOptions(o: KernelCliOptions, dfltLayout: 'kaslr' | 'nokaslr'): KernelChoice {
  const strategy = parseChoice('--strategy', o.strategy ?? 'callops', STRATEGY_NAMES);
  const frame = parseFrame(o.frame);
  const layout = parseLayout(o.layout, dfltLayout);
  const seed = parseSeed(o.seed);
  const bti = parseOnOff('--bti', o.bti, true);
  const pac = parseOnOff('--pac', o.pac, true);
  return {
    strategy,
    frame,
    layout,
    seed,
    bti,
    pac,
    variant: testKernelVariantFor(strategyByName(strategy), { bti }),
  };
}

/** A tracing kernel for the command line's choice, the test kernel read from fixtures/kernel. */
export function makeTracingKernel(c: KernelChoice, cpus = 1): TracingKernel {
  const object = readBytes(join(packageRoot(), testKernelFixture(c.variant)), 'the test kernel object');
  return createTracingKernel(object, {
    strategy: c.strategy,
    ...(c.frame !== undefined ? { frame: c.frame } : {}),
    layout: { kind: c.layout, seed: c.seed },
    seed: c.seed,
    bti: c.bti,
    pac: c.pac,
    cpus,
  });
}

export function kernelLine(tk: TracingKernel, c: KernelChoice): string {
  return (
    `kernel: ${c.layout}${c.layout === 'kaslr' ? ` (seed ${c.seed})` : ''}, test kernel ${c.variant}, ` +
    `BTI ${c.bti ? 'on' : 'off'}, PAC ${c.pac ? 'on' : 'off'}\n` +
    `strategy: ${tk.strategy.name} — ${tk.strategy.origin}; frame ${tk.frame}; call sites ${tk.strategy.siteLayout}`
  );
}

function outcomeText(p: ProgramAttach): string {
  const o = p.outcome;
  return o.state === 'attached'
    ? 'attached'
    : `${o.state === 'rejected' ? 'rejected' : 'FAILED'}: ${o.message}`;
}

/** One line of the `programs:` section (attach and test-run): kind, name, target, outcome in columns. */
export function programLine(p: ProgramAttach): string {
  return `  ${p.kind.padEnd(8)} ${p.name.padEnd(16)} -> ${p.target.padEnd(24)} ${outcomeText(p)}`;
}

/**
 * The words of a call site that an attach may change: `first` is the slot before the BL (`mov x9, x30`
 * once initialised; rec->ip − 4 in both layouts, since the '=4,2' record address is the literal's), `bl` the
 * BL slot, `literal` the CALL_OPS literal.
 */
interface SiteWords {
  readonly site: CallSite;
  readonly first: number;
  readonly bl: number;
  readonly literal: bigint | undefined;
}

function siteWords(tk: TracingKernel, site: CallSite): SiteWords {
  const mem = tk.kernel.machine.memory;
  return {
    site,
    first: mem.read32(site.ip - 4n),
    bl: mem.read32(site.ip),
    literal: site.literal === undefined ? undefined : mem.read64(site.literal),
  };
}

interface PatchLine {
  readonly address: string;
  readonly symbol: string;
  readonly what: 'insn' | 'literal';
  readonly old: string;
  readonly new: string;
}

function insnText(word: number, address: bigint, tk: TracingKernel): string {
  const t = (disassemble(word, { address }) ?? `.word ${hex(BigInt(word))}`).replace(/\t/g, ' ');
  const m = /^(bl?) (0x[0-9a-f]+)$/.exec(t);
  return m ? `${t} <${tk.kernel.kallsyms.format(BigInt(m[2]!))}>` : t;
}

function dataText(v: bigint, tk: TracingKernel): string {
  return tk.kernel.kallsyms.lookup(v) ? `${hex(v)} <${tk.kernel.kallsyms.format(v)}>` : hex(v);
}

function symText(tk: TracingKernel, a: bigint): string {
  return tk.kernel.kallsyms.lookup(a) ? tk.kernel.kallsyms.format(a) : '?';
}

function diff(tk: TracingKernel, before: SiteWords, after: SiteWords): PatchLine[] {
  const out: PatchLine[] = [];
  const s = before.site;
  if (s.literal !== undefined && before.literal !== after.literal)
    out.push({
      address: hex(s.literal),
      symbol: `${s.func.name} ops literal`,
      what: 'literal',
      old: dataText(before.literal!, tk),
      new: dataText(after.literal!, tk),
    });
  if (before.first !== after.first)
    out.push({
      address: hex(s.ip - 4n),
      symbol: symText(tk, s.ip - 4n),
      what: 'insn',
      old: insnText(before.first, s.ip - 4n, tk),
      new: insnText(after.first, s.ip - 4n, tk),
    });
  if (before.bl !== after.bl)
    out.push({
      address: hex(s.ip),
      symbol: symText(tk, s.ip),
      what: 'insn',
      old: insnText(before.bl, s.ip, tk),
      new: insnText(after.bl, s.ip, tk),
    });
  return out;
}

interface AttachOptions extends KernelCliOptions {
  func?: string;
}

function attachCommand(file: string, opts: AttachOptions): void {
  const choice = parseKernelOptions(opts, 'nokaslr');
  const obj = readBpfObject(file);
  if (obj.programs.length === 0)
    throw usage(
      `'${file}' has no fentry/, fexit/ or fmod_ret/ program to attach${obj.unsupported.length ? ` (unsupported sections: ${obj.unsupported.map((u) => u.section).join(', ')})` : ''}`,
    );
  let chosen = obj;
  if (opts.func !== undefined) {
    const funcs = opts.func.split(',').filter((f) => f !== '');
    if (funcs.length === 0) throw badValue('--func', 'a comma-separated list of function names', opts.func);
    const missing = funcs.filter((f) => !obj.programs.some((p) => p.target === f));
    if (missing.length > 0)
      throw usage(
        `--func ${missing.join(',')}: no program of '${file}' targets it; its targets are ${[...new Set(obj.programs.map((p) => p.target))].join(', ')}`,
      );
    chosen = { ...obj, programs: obj.programs.filter((p) => funcs.includes(p.target)) };
  }
  const tk = makeTracingKernel(choice);
  const targets = [...new Set(chosen.programs.map((p) => p.target))];
  const sites = new Map<string, CallSite | undefined>();
  for (const f of targets)
    sites.set(
      f,
      tk.tk.callSites.find((s) => s.func.name === f),
    );
  const mem = tk.kernel.machine.memory;
  const ftraceCall = tk.ftrace.text.ftraceCall;
  const before = [...sites.values()].filter((s) => s !== undefined).map((s) => siteWords(tk, s));
  const callBefore = ftraceCall === undefined ? undefined : mem.read32(ftraceCall);

  const att = attachObject(tk, chosen);

  const patched: PatchLine[] = before.flatMap((b) => diff(tk, b, siteWords(tk, b.site)));
  if (ftraceCall !== undefined && mem.read32(ftraceCall) !== callBefore)
    patched.push({
      address: hex(ftraceCall),
      symbol: symText(tk, ftraceCall),
      what: 'insn',
      old: insnText(callBefore!, ftraceCall, tk),
      new: insnText(mem.read32(ftraceCall), ftraceCall, tk),
    });
  const attachedFuncs = targets.filter((f) =>
    att.programs.some((p) => p.target === f && p.outcome.state === 'attached'),
  );
  const paths = attachedFuncs.map((f) => ({
    func: f,
    address: hex(tk.tk.addr(f)),
    path: tk.strategy.attachment(tk, f).describe(),
  }));
  const trampolines = tk.trampolines
    .all()
    .filter((t) => t.image !== undefined)
    .map((t) => ({ name: t.name, address: hex(t.image!.address), size: t.image!.size, func: t.target.name }));
  const attached = att.programs.filter((p) => p.outcome.state === 'attached').length;

  if (opts.json === true) {
    const out = {
      strategy: tk.strategy.name,
      origin: tk.strategy.origin,
      frame: tk.frame,
      siteLayout: tk.strategy.siteLayout,
      layout: choice.layout,
      seed: choice.seed,
      testKernel: choice.variant,
      bti: choice.bti,
      pac: choice.pac,
      programs: att.programs.map((p) => ({
        name: p.name,
        section: p.section,
        kind: p.kind,
        target: p.target,
        attached: p.outcome.state === 'attached',
        ...(p.outcome.state !== 'attached' ? { errno: p.outcome.errno, message: p.outcome.message } : {}),
      })),
      patched,
      trampolines,
      paths,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const w = (s: string): void => void process.stdout.write(s + '\n');
    w(kernelLine(tk, choice));
    w('programs:');
    for (const p of att.programs) w(programLine(p));
    w('patched:');
    for (const p of patched) w(`  ${p.address} <${p.symbol}>: ${p.old} -> ${p.new}`);
    if (patched.length === 0) w('  (nothing)');
    if (trampolines.length > 0) w('trampolines:');
    for (const t of trampolines) w(`  ${t.name} at ${t.address}, ${t.size} bytes (for ${t.func})`);
    for (const p of paths) {
      w(`path of a call to ${p.func} (${p.address}):`);
      for (const l of p.path) w(`  ${l}`);
    }
  }
  if (attached === 0) process.exitCode = EXIT.failed;
}

/** The options `attach` and `test-run` share (besides --layout, whose default note differs). */
export function kernelOptions(cmd: Command): Command {
  cmd
    .option('--strategy <name>', `attach strategy: ${STRATEGY_NAMES.join(', ')} (default callops)`)
    .option(
      '--frame <kind>',
      'frame ftrace_caller saves: regs (pt_regs) or args (ftrace_regs); the default depends on the strategy',
    );
  seedOption(cmd, 'the layout (KASLR offset, vmalloc use) and the PAC keys');
  return cmd
    .option(
      '--bti <on|off>',
      'branch target identification, with the clang-bti test kernel for =4,2 strategies (default on)',
    )
    .option('--pac <on|off>', 'pointer authentication of return addresses (default on)')
    .option('--json', 'machine-readable output');
}

export function register(program: Command): void {
  const cmd = program
    .command('attach')
    .summary('attach BPF programs; show what was patched')
    .description(
      'load, verify, JIT and attach the fentry/fexit/fmod_ret programs of OBJ to the test kernel through a strategy; print what was patched where and which path a call takes',
    )
    .argument('<obj>', 'the BPF object (.o; sections fentry/FUNC, fexit/FUNC, fmod_ret/FUNC)');
  layoutOption(cmd, 'nokaslr', 'every strategy can attach under it');
  kernelOptions(cmd).option(
    '--func <names>',
    'attach only the programs targeting these functions (comma-separated)',
  );
  examples(
    cmd,
    [
      'tramp64 attach fixtures/bpf/fentry_test.bpf.o --func bpf_fentry_test1',
      'tramp64 attach fixtures/bpf/modify_return.bpf.o --strategy ops --frame args',
      'tramp64 attach fixtures/bpf/fexit_test.bpf.o --strategy patchsite --layout kaslr --seed 3 --json',
    ],
    'Exit codes: 0 at least one program attached, 1 none did (each failure is printed with its errno),\n' +
      '2 bad input (unreadable object, unknown strategy or function, bad option).',
  ).action((obj: string, opts: AttachOptions) => attachCommand(obj, opts));
}
