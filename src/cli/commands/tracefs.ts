/**
 * `tramp64 tracefs`: a small shell over the model's tracefs (src/ftrace/tracefs/tracefs.ts) on a live
 * kernel: `echo … > file`, `echo … >> file`, `cat file…`, `ls`, plus `call FUNC ARGS…` and
 * `run-trigger N` to make the kernel do work, and `attach OBJ [PROG…]` / `detach [PROG…]` / `globals` to
 * run BPF fentry / fexit / fmod_ret programs through an attach strategy. Interactive (node:readline) on a
 * terminal; otherwise it runs the script on stdin line by line, as `bash < script` would, printing bash's
 * error lines for failed commands and going on. Exit status: 0, or 1 when any command failed; 2 for a bad
 * option (parsed by src/cli/options.ts, with the message every command gives) before the shell starts.
 *
 * The kernel is the strategy factory's (src/trampoline/strategies/kernel.ts createTracingKernel): the
 * strategy decides the call-site layout ('=2' or CALL_OPS '=4,2'), how ftrace_caller finds the ops, the
 * default frame and how a direct trampoline is reached, so the ftrace files show that configuration.
 * The test kernel is always a GCC build (testKernelVariantFor with bti off picks gcc-pfe2 / gcc-pfe42), as
 * the Debian kernels of the series are; BTI and PAC are enforced by the machine as before.
 *
 * Series: `test` (default) and `6.12` run the built-in test kernel as a v6.12 kernel — without
 * `--strategy` that is the callops configuration (GCC `=4,2` call sites, ftrace_regs frame, CALL_OPS);
 * `6.1` as the seed era — without `--strategy` that is the patchsite configuration (`=2` sites, pt_regs
 * frame, the global ftrace_call: Xu Kuohai's v5 was written against it) with the v6.1 tracefs (no O/M
 * columns, no touched_functions or available_filter_functions_addrs). Either way this is the kernel the
 * shell built before strategies existed, now routed through the factory. `callops` is refused with 6.1
 * (CALL_OPS came with v6.4). With 6.1 / 6.12, `--module NAME…` also loads modules of the Debian corpus of
 * that series (their functions appear as `name [module]`); their call sites must have the strategy's layout
 * (6.1: '=2' for patchsite/ops/tailcall, 6.12: '=4,2' for callops), as a real build would give them.
 *
 * The BPF commands (objects stay loaded for the session; detach destroys links) are in tracefs-bpf.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Asm } from '../../a64/asm.js';
import { LR, SP, X } from '../../a64/builder.js';
import {
  Tracefs,
  TraceArray,
  bashError,
  liveBackend,
  registerReturnHook,
  unregisterReturnHook,
  type FrameKind,
  type FtraceKernel,
} from '../../ftrace/index.js';
import { loadModules, type ModuleFile } from '../../kernel/module.js';
import { testKernelFixture, type TestKernel } from '../../kernel/testkernel.js';
import {
  createTracingKernel,
  strategyByName,
  testKernelVariantFor,
} from '../../trampoline/strategies/index.js';
import { STRATEGY_NAMES, type StrategyName } from '../../trampoline/strategies/types.js';
import { KernelError, Tramp64Error } from '../../util/errors.js';
import { ensureCorpus, moduleName, readModule, repoRoot } from '../corpus.js';
import {
  cpusOption,
  examples,
  layoutOption,
  parseChoice,
  parseCpus,
  parseFrame,
  parseLayout,
  parseSeed,
  seedOption,
} from '../options.js';
import { attachCommand, detachCommand, globalsCommand, type BpfShell } from './tracefs-bpf.js';

const SERIES_CHOICES = ['test', '6.1', '6.12'] as const;
type ShellSeries = (typeof SERIES_CHOICES)[number];

interface TracefsOpts {
  series?: string;
  strategy?: string;
  frame?: string;
  layout?: string;
  seed?: string;
  cpus?: string;
  module?: string[];
}

/** Most CPUs of the shell's machine. */
const MAX_CPUS = 64;

/** Everything the shell acts on (`tk` and `ft` are the test kernel and ftrace of `tracing`). */
export interface TracefsSession extends BpfShell {
  readonly tk: TestKernel;
  readonly ft: FtraceKernel;
  readonly fs: Tracefs;
  /** `tramp64_shell` stubs by target: the shell's calls come from kernel text, so traces name a caller. */
  readonly stubs: Map<bigint, bigint>;
}

/**
 * The caller of a shell `call`: `bti c; stp x29, x30, [sp, #-16]!; mov x29, sp; bl target;
 * ldp x29, x30, [sp], #16; ret` in kernel text, named tramp64_shell (the function tracer's parent_ip and a
 * frame record for the unwinder, as a real kernel caller would give).
 */
function shellStub(s: TracefsSession, target: bigint): bigint {
  const have = s.stubs.get(target);
  if (have !== undefined) return have;
  const k = s.tk.kernel;
  const at = k.imageAlloc(48, 'text', 16).address;
  const a = new Asm(at);
  a.bti('c');
  a.stp(X[29]!, LR, SP, -16, 'pre');
  a.mov(X[29]!, SP);
  a.bl(target); // a direct call: no BTI landing pad needed in the callee (the gcc variants have none)
  a.ldp(X[29]!, LR, SP, 16, 'post');
  a.ret();
  const b = a.finish();
  k.writeText(at, b.bytes);
  k.kallsyms.add({ name: 'tramp64_shell', address: at, size: BigInt(b.bytes.length), type: 't' });
  s.stubs.set(target, at);
  return at;
}

/** Split a command line into words with sh quoting ('…', "…", \x) and the redirections > and >>. */
export function shellWords(line: string): { words: string[]; redirect?: { file: string; append: boolean } } {
  const words: string[] = [];
  let redirect: { file: string; append: boolean } | undefined;
  let cur = '';
  let has = false;
  let pendingRedirect: boolean | undefined; // append flag while waiting for the file word
  const flush = (): void => {
    if (!has) return;
    if (pendingRedirect !== undefined) {
      redirect = { file: cur, append: pendingRedirect };
      pendingRedirect = undefined;
    } else words.push(cur);
    cur = '';
    has = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Tramp64Error('EINVAL', "unexpected EOF while looking for matching `''");
      cur += line.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        cur += line[j];
      }
      if (j >= line.length)
        throw new Tramp64Error('EINVAL', 'unexpected EOF while looking for matching `"\'');
      has = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (c === ' ' || c === '\t') {
      flush();
    } else if (c === '>') {
      flush();
      if (pendingRedirect !== undefined)
        throw new Tramp64Error('EINVAL', "syntax error near unexpected token `>'");
      const append = line[i + 1] === '>';
      if (append) i++;
      pendingRedirect = append;
    } else if (c === '#' && !has) {
      break;
    } else {
      cur += c;
      has = true;
    }
  }
  flush();
  if (pendingRedirect !== undefined)
    throw new Tramp64Error('EINVAL', "syntax error near unexpected token `newline'");
  return redirect ? { words, redirect } : { words };
}

/** A tracefs path as given (`trace`, `./trace`, `/sys/kernel/tracing/trace`, the debugfs path) → file name. */
function fileName(path: string): string {
  return path.replace(/^(\/sys\/kernel\/(debug\/)?tracing\/|\.\/)/, '');
}

function parseNumber(s: string, what: string): bigint {
  if (!/^-?(0x[0-9a-f]+|[0-9]+)$/i.test(s))
    throw new Tramp64Error('EINVAL', `${what} '${s}' is not a number (decimal or 0x hex)`);
  const neg = s.startsWith('-');
  const v = BigInt(neg ? s.slice(1) : s);
  return BigInt.asUintN(64, neg ? -v : v);
}

const HELP = `commands (as in a shell in /sys/kernel/tracing):
  ls                          list the files
  cat FILE...                 print files (trace_pipe consumes what it prints)
  echo [-n] WORDS > FILE      write (replace); >> appends
  call [-c CPU] FUNC [ARGS...]  call a kernel function (on CPU 0, or CPU) with up to 8 integer arguments
  run-trigger N               tramp64_trigger_loop(N): N calls of tramp64_trigger
  attach OBJ [PROG...]        load, verify, JIT and attach the fentry/fexit/fmod_ret programs of a BPF
                              object (all, or those named) through the session's strategy; prints each
                              program attached, or its errno; again after detach: links them again
  detach [PROG...]            destroy the links of all programs, or of PROG / OBJ:PROG (the object stays
                              loaded: globals still reads it)
  globals [OBJ...]            print the globals (.bss, .data, .rodata) of the loaded BPF objects
  help, exit
`;

/**
 * Run one command line; returns the text for stdout and stderr and whether it failed. Errors of the model
 * (a KernelError from tracefs) become bash's lines.
 */
export function runLine(s: TracefsSession, line: string): { out: string; err: string; failed: boolean } {
  let parsed;
  try {
    parsed = shellWords(line);
  } catch (e) {
    if (e instanceof Tramp64Error) return { out: '', err: `-bash: ${e.message}\n`, failed: true };
    throw e;
  }
  const { words, redirect } = parsed;
  if (words.length === 0 && !redirect) return { out: '', err: '', failed: false };
  const [cmd, ...args] = words;
  let out = '';
  let err = '';
  let failed = false;
  const fail = (msg: string): void => {
    err += `${msg}\n`;
    failed = true;
  };
  try {
    switch (cmd) {
      case 'ls':
        out = s.fs.ls().join('\n') + '\n';
        break;
      case 'cat':
        for (const a of args) {
          const f = fileName(a);
          try {
            out += s.fs.read(f);
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
            fail(bashError(e, 'cat', a));
          }
        }
        break;
      case 'echo': {
        let rest = args;
        let newline = true;
        if (rest[0] === '-n') {
          newline = false;
          rest = rest.slice(1);
        }
        const text = rest.join(' ') + (newline ? '\n' : '');
        if (!redirect) {
          out = text;
          break;
        }
        const f = fileName(redirect.file);
        try {
          s.fs.write(f, text, { append: redirect.append });
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          const opening = e.errno === 'EACCES' || e.errno === 'ENOENT';
          fail(bashError(e, opening ? 'open' : 'write', redirect.file));
        }
        break;
      }
      case 'call': {
        let rest = args;
        let cpu = 0;
        if (rest[0] === '-c') {
          cpu = Number(parseNumber(rest[1] ?? '', 'CPU'));
          rest = rest.slice(2);
          if (cpu >= s.tk.kernel.machine.cpus.length) {
            fail(`call: no CPU ${cpu} (the machine has ${s.tk.kernel.machine.cpus.length}; see --cpus)`);
            break;
          }
        }
        const [fn, ...rawArgs] = rest;
        if (!fn) {
          fail('call: usage: call [-c CPU] FUNC [ARGS...]');
          break;
        }
        if (rawArgs.length > 8) {
          fail(`call: at most 8 register arguments, got ${rawArgs.length}`);
          break;
        }
        const argv = rawArgs.map((a) => parseNumber(a, 'argument'));
        const at = shellStub(s, s.tk.addr(fn));
        s.tk.kernel.syscallEntry(cpu); // the command reached the kernel through a system call
        const r = s.tk.kernel.machine.call(at, argv, { cpu });
        s.ft.drain();
        out = `${fn}(${rawArgs.join(', ')}) = ${BigInt.asIntN(64, r)}\n`;
        break;
      }
      case 'run-trigger': {
        const n = parseNumber(args[0] ?? '', 'count');
        const at = shellStub(s, s.tk.addr('tramp64_trigger_loop'));
        s.tk.kernel.syscallEntry(0);
        const r = s.tk.kernel.machine.call(at, [n]);
        out = `tramp64_trigger_loop(${n}) = ${BigInt.asIntN(64, r)}\n`;
        break;
      }
      case 'attach':
      case 'detach': {
        const r = cmd === 'attach' ? attachCommand(s, args) : detachCommand(s, args);
        out = r.out;
        for (const l of r.errs) fail(l);
        break;
      }
      case 'globals':
        out = globalsCommand(s, args);
        break;
      case 'help':
        out = HELP;
        break;
      default:
        fail(`-bash: ${cmd}: command not found`);
    }
  } catch (e) {
    if (e instanceof Tramp64Error) fail(`${cmd}: ${e.message}`);
    else throw e;
  }
  return { out, err, failed };
}

/**
 * Build the strategy's kernel (ftrace attached as it configures it), load the corpus modules, the ring
 * buffers, return hooking and tracefs for `series`. No strategy: callops for test / 6.12, patchsite (with
 * its pt_regs frame) for 6.1 — the configurations the shell had before strategies existed.
 */
export async function openSession(o: {
  series: ShellSeries;
  layout: 'kaslr' | 'nokaslr';
  seed: number;
  cpus: number;
  modules?: readonly string[];
  strategy?: StrategyName;
  frame?: FrameKind;
}): Promise<TracefsSession> {
  const era61 = o.series === '6.1';
  let strategy;
  try {
    strategy = strategyByName(o.strategy ?? (era61 ? 'patchsite' : 'callops'));
  } catch (e) {
    // Bad input of the command line: a usage error (exit 2), with the registry's text.
    if (e instanceof KernelError) throw new Tramp64Error('EINVAL', e.message);
    throw e;
  }
  if (era61 && strategy.dispatch === 'callops')
    throw new Tramp64Error(
      'EINVAL',
      `--strategy ${strategy.name} needs CALL_OPS call sites ('=4,2', v6.4+), which the 6.1 series does not have; use --series test or 6.12`,
    );
  if (o.modules && o.modules.length > 0 && o.series === 'test')
    throw new Tramp64Error('EINVAL', '--module needs --series 6.1 or 6.12 (the corpus to load from)');
  // GCC builds (bti off selects them), as Debian builds its kernels; the machine still enforces BTI.
  const variant = testKernelVariantFor(strategy, { bti: false });
  const tracing = createTracingKernel(readFileSync(join(repoRoot(), testKernelFixture(variant))), {
    strategy,
    ...(o.frame !== undefined ? { frame: o.frame } : {}),
    layout: { kind: o.layout, seed: o.seed },
    seed: o.seed,
    cpus: o.cpus,
  });
  const k = tracing.kernel;
  const ft = tracing.ftrace;
  if (o.modules && o.modules.length > 0 && o.series !== 'test') {
    const corpus = await ensureCorpus(o.series, { progress: false });
    const wanted = new Set(o.modules.map((n) => n.replace(/\.ko(\.xz)?$/, '')));
    const paths = corpus.modules.filter((p) => wanted.has(moduleName(p)));
    const missing = [...wanted].filter((n) => !paths.some((p) => moduleName(p) === n));
    if (missing.length > 0)
      throw new Tramp64Error(
        'EINVAL',
        `no module ${missing.join(', ')} in the ${o.series} corpus; see tramp64 modules list`,
      );
    const files: ModuleFile[] = paths.map((p) => ({ name: moduleName(p), bytes: readModule(p) }));
    const loaded = loadModules(k, files);
    if (loaded.failures.length > 0)
      throw new Tramp64Error(
        'EINVAL',
        `module ${loaded.failures[0]!.name} does not load: ${loaded.failures[0]!.error.message}`,
      );
    // A kernel whose ftrace_caller ignores the literal (global dispatch) would not build its modules with
    // '=4,2' sites, nor a CALL_OPS kernel with '=2' ones: the corpus must match the strategy's site layout.
    for (const m of loaded.modules) {
      const site = m.callSites.find((c) => c.layout !== strategy.siteLayout);
      if (site)
        throw new Tramp64Error(
          'EINVAL',
          `the ${o.series} corpus module ${m.name} has '${site.layout}' call sites (${site.func.name}); strategy ${strategy.name} runs on '${strategy.siteLayout}' ones: ${strategy.siteLayout === '=2' ? 'use --series 6.1 for its modules, or --strategy callops' : 'use --series 6.12'}`,
        );
    }
    // Live modules: their call sites become records and ops covering them start tracing them at once.
    for (const m of loaded.modules) ft.addModule(m);
  }
  const tr = new TraceArray(k);
  const fs = new Tracefs(
    liveBackend(ft, tr, {
      register: (h) => registerReturnHook(ft, h),
      unregister: (h) => unregisterReturnHook(ft, h),
    }),
    { version: era61 ? '6.1' : '6.12' },
  );
  return { tk: tracing.tk, ft, fs, stubs: new Map(), tracing, objects: [], linksMade: 0 };
}

export function register(program: Command): void {
  const cmd = program
    .command('tracefs')
    .summary("a shell over the model kernel's tracefs")
    .description(
      "a shell over the model kernel's tracefs (echo/cat/ls on set_ftrace_filter, current_tracer, trace …) " +
        'plus `call FUNC ARGS…`, `run-trigger N` and BPF `attach OBJ` / `detach` / `globals` through an ' +
        'attach strategy; reads a script from stdin when it is not a terminal',
    )
    .option('--series <series>', `kernel series: ${SERIES_CHOICES.join(', ')} (default test)`)
    .option(
      '--strategy <name>',
      `attach strategy (${STRATEGY_NAMES.join(', ')}): the kernel's call sites, ftrace_caller dispatch and direct-call path, used by attach (default callops; patchsite with --series 6.1)`,
    )
    .option(
      '--frame <kind>',
      'frame ftrace_caller saves: regs (pt_regs) or args (ftrace_regs) (default per strategy)',
    );
  layoutOption(cmd, 'kaslr', 'as a distribution kernel boots');
  seedOption(cmd, 'the layout (KASLR offset, vmalloc use) and the machine');
  cpusOption(cmd, MAX_CPUS, 'emulated CPUs; `call -c CPU` picks one')
    .option(
      '--module <names...>',
      'with --series 6.1/6.12: corpus modules to load (their functions become traceable)',
    )
    .addHelpText('after', `\n${HELP.trimEnd()}`);
  examples(
    cmd,
    [
      `printf '%s\\n' "echo 'bpf_fentry_test*' > set_ftrace_filter" 'echo function > current_tracer' \\`,
      "  'call bpf_fentry_test1 1' 'cat trace' | tramp64 tracefs",
      "printf '%s\\n' 'attach fixtures/bpf/fentry_test.bpf.o test1' 'cat enabled_functions' \\",
      "  'call bpf_fentry_test1 1' globals | tramp64 tracefs --strategy callops --layout nokaslr",
    ],
    'Under kaslr (the default) BPF code usually lands out of BL range of the kernel image, so patchsite\n' +
      'attaches fail with ENOTSUPP; the other strategies reach it through ftrace_caller.\n' +
      'Exit codes: 0 every command of the script succeeded, 1 one failed (its error is printed as bash would\n' +
      'and the script goes on), 2 bad input (a bad option, an unknown or mismatched --module).',
  ).action(async (o: TracefsOpts) => {
    // The shared parsers (src/cli/options.ts): the same rule and message as every other command.
    const series = parseChoice('--series', o.series ?? 'test', SERIES_CHOICES);
    const layout = parseLayout(o.layout, 'kaslr');
    const seed = parseSeed(o.seed);
    const cpus = parseCpus(o.cpus, MAX_CPUS);
    const strategy =
      o.strategy === undefined ? undefined : parseChoice('--strategy', o.strategy, STRATEGY_NAMES);
    const frame = parseFrame(o.frame);
    const session = await openSession({
      series,
      layout,
      seed,
      cpus,
      ...(o.module ? { modules: o.module } : {}),
      ...(strategy !== undefined ? { strategy } : {}),
      ...(frame !== undefined ? { frame } : {}),
    });
    const tty = process.stdin.isTTY === true;
    const rl = createInterface({
      input: process.stdin,
      ...(tty ? { output: process.stdout, prompt: 'tracefs# ' } : {}),
    });
    let anyFailed = false;
    if (tty) {
      const t = session.tracing;
      process.stdout.write(
        `tramp64 tracefs (${series}; strategy ${t.strategy.name}, frame ${t.frame}, ${layout}); type help\n`,
      );
      rl.prompt();
    }
    for await (const line of rl) {
      const t = line.trim();
      if (t === 'exit' || t === 'quit') break;
      const r = runLine(session, line);
      process.stdout.write(r.out);
      process.stderr.write(r.err);
      anyFailed ||= r.failed;
      if (tty) rl.prompt();
    }
    rl.close();
    process.exitCode = anyFailed ? 1 : 0;
  });
}
