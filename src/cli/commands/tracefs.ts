/**
 * `tramp64 tracefs`: a small shell over the model's tracefs (src/ftrace/tracefs/tracefs.ts) on a live
 * kernel: `echo … > file`, `echo … >> file`, `cat file…`, `ls`, plus `call FUNC ARGS…` and
 * `run-trigger N` to make the kernel do work, and `attach OBJ [PROG…]` / `detach [PROG…]` / `globals` to
 * run BPF fentry / fexit / fmod_ret programs through an attach strategy. Interactive (node:readline) on a
 * terminal; otherwise it runs the script on stdin line by line, as `bash < script` would, printing bash's
 * error lines for failed commands and going on. Exit status: 0, or 1 when any command failed.
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
 * that series (their functions appear as `name [module]`).
 *
 * BPF objects stay loaded for the session once attached (a skeleton that is still open): `detach` destroys
 * links, `globals` still reads the maps, `attach OBJ` links the detached programs again. Only the programs
 * chosen at the first attach of an object are loaded (libbpf's autoload off for the others), and only one
 * object with maps fits a kernel (the model maps them at fixed addresses: src/trampoline/bpf.ts).
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
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
import type { LoadedObject } from '../../trampoline/bpf.js';
import type { TrampLink } from '../../trampoline/generator.js';
import {
  createTracingKernel,
  strategyByName,
  testKernelVariantFor,
} from '../../trampoline/strategies/index.js';
import { attachObject, readGlobals, type ProgramAttach } from '../../trampoline/strategies/testrun.js';
import { STRATEGY_NAMES, type StrategyName, type TracingKernel } from '../../trampoline/strategies/types.js';
import { KernelError, Tramp64Error } from '../../util/errors.js';
import { ensureCorpus, moduleName, readModule, repoRoot } from '../corpus.js';
import { readBpfObject } from './attach.js';

const SERIES_CHOICES = ['test', '6.1', '6.12'] as const;
type ShellSeries = (typeof SERIES_CHOICES)[number];

interface TracefsOpts {
  series: string;
  strategy?: string;
  frame?: string;
  layout: string;
  seed: string;
  cpus: string;
  module?: string[];
}

/** Everything the shell acts on. */
export interface TracefsSession {
  readonly tk: TestKernel;
  readonly ft: FtraceKernel;
  readonly fs: Tracefs;
  /** `tramp64_shell` stubs by target: the shell's calls come from kernel text, so traces name a caller. */
  readonly stubs: Map<bigint, bigint>;
  /** The strategy's kernel (`tk` and `ft` are its test kernel and ftrace). */
  readonly tracing: TracingKernel;
  /** BPF objects loaded by `attach`, in load order. */
  readonly objects: ShellObject[];
  /** Links made so far (orders `detach`). */
  linksMade: number;
}

/** A program of a loaded object, with the link `attach` / `detach` make and destroy. */
interface ShellProgram {
  /** `OBJ:PROG`, the name `detach` accepts when PROG alone is ambiguous. */
  readonly qualified: string;
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly link: TrampLink;
  attached: boolean;
  /** When it was last attached (the session's attach count), so `detach` undoes the newest first. */
  seq: number;
}

/** A BPF object loaded into the session's kernel. */
interface ShellObject {
  /** The file name without `.bpf.o` / `.o`, as bpftool gen skeleton names it. */
  readonly name: string;
  readonly file: string;
  /** Every program of the file (the loaded ones are `programs`). */
  readonly all: readonly string[];
  readonly loaded: LoadedObject;
  readonly programs: ShellProgram[];
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

/** The name of a BPF object file: its base name without `.bpf.o` / `.o`. */
function objectName(file: string): string {
  return basename(file).replace(/(\.bpf)?\.o$/, '');
}

/** `fentry   fentry_test:test1    -> bpf_fentry_test1         attached` (the layout of `tramp64 attach`). */
function progLine(kind: string, qualified: string, target: string, state: string): string {
  return `${kind.padEnd(8)} ${qualified.padEnd(20)} -> ${target.padEnd(24)} ${state}\n`;
}

/** `ENOTSUPP: why` for a program the verifier or the strategy refused. */
function refusal(p: ProgramAttach): string {
  const o = p.outcome;
  if (o.state === 'attached') return '';
  return o.message.startsWith(`${o.errno}: `) ? o.message : `${o.errno}: ${o.message}`;
}

interface Printed {
  out: string;
  /** One line per failure, without the newline. */
  errs: string[];
}

/**
 * `attach OBJ [PROG…]`. The first attach of an object loads it (the programs named, or all) and attaches
 * what it loaded; a later one links programs of that object that are not attached. Bad input (no such file,
 * program or object slot) throws before anything is loaded; a program the verifier or the strategy refuses
 * is an outcome, printed with its errno, and leaves the others attached.
 */
function attachCommand(s: TracefsSession, args: readonly string[]): Printed {
  const [file, ...wanted] = args;
  if (file === undefined) throw new Tramp64Error('EINVAL', 'usage: attach OBJ [PROG...]');
  const name = objectName(file);
  const have = s.objects.find((o) => o.name === name);
  if (have) return relink(s, have, file, wanted);
  const obj = readBpfObject(file);
  if (obj.programs.length === 0)
    throw new KernelError(
      'EINVAL',
      `'${file}' has no fentry/, fexit/ or fmod_ret/ program to attach${obj.unsupported.length ? ` (unsupported sections: ${obj.unsupported.map((u) => u.section).join(', ')})` : ''}`,
    );
  const all = obj.programs.map((p) => p.name);
  const missing = wanted.filter((w) => !all.includes(w));
  if (missing.length > 0)
    throw new KernelError(
      'ENOENT',
      `${name} has no program ${missing.join(', ')}; its programs are ${all.join(', ')}`,
    );
  const mapped = s.objects.find((o) => o.loaded.obj.maps.length > 0);
  if (obj.maps.length > 0 && mapped)
    throw new KernelError(
      'EBUSY',
      `${name} has maps and ${mapped.name} already holds the kernel's map addresses (the model maps one object's maps per kernel); start another tramp64 tracefs for ${file}`,
    );
  const chosen =
    wanted.length > 0 ? { ...obj, programs: obj.programs.filter((p) => wanted.includes(p.name)) } : obj;
  const att = attachObject(s.tracing, chosen);
  const printed: Printed = { out: '', errs: [] };
  const programs: ShellProgram[] = [];
  for (const p of att.programs) {
    const qualified = `${name}:${p.name}`;
    if (p.outcome.state === 'attached') printed.out += progLine(p.kind, qualified, p.target, 'attached');
    else printed.errs.push(`attach: ${qualified} (${p.section}): ${refusal(p)}`);
    if (p.outcome.state === 'rejected' || !att.loaded) continue;
    // A refused link changed nothing, so a new link of the loaded program is as good as the one tried.
    const lp = att.loaded.programs.find((x) => x.prog.name === p.name)!;
    const link = p.link ?? { prog: lp.tramp, kind: p.kind, cookie: 0n };
    programs.push({
      qualified,
      name: p.name,
      kind: p.kind,
      target: p.target,
      link,
      attached: p.link !== undefined,
      seq: p.link !== undefined ? ++s.linksMade : 0,
    });
  }
  if (att.loaded) s.objects.push({ name, file, all, loaded: att.loaded, programs });
  return printed;
}

/** `attach OBJ [PROG…]` for an object already loaded: link its detached programs again. */
function relink(s: TracefsSession, o: ShellObject, file: string, wanted: readonly string[]): Printed {
  if (resolve(file) !== resolve(o.file))
    throw new KernelError('EBUSY', `an object named ${o.name} is already loaded from ${o.file}`);
  for (const w of wanted) {
    if (!o.all.includes(w))
      throw new KernelError('ENOENT', `${o.name} has no program ${w}; its programs are ${o.all.join(', ')}`);
    if (!o.programs.some((p) => p.name === w))
      throw new KernelError(
        'ENOENT',
        `${o.name}:${w} is not loaded: the first attach of ${o.name} loaded ${o.programs.map((p) => p.name).join(', ') || 'nothing'}, and an object is loaded once per session`,
      );
  }
  const todo = o.programs.filter((p) => (wanted.length > 0 ? wanted.includes(p.name) : !p.attached));
  const busy = todo.filter((p) => p.attached);
  if (busy.length > 0)
    throw new KernelError('EBUSY', `${busy.map((p) => p.qualified).join(', ')} already attached`);
  if (todo.length === 0) throw new KernelError('EBUSY', `every loaded program of ${o.name} is attached`);
  const printed: Printed = { out: '', errs: [] };
  for (const p of todo) {
    try {
      s.tracing.strategy.attachment(s.tracing, p.target).link(p.link);
      p.attached = true;
      p.seq = ++s.linksMade;
      printed.out += progLine(p.kind, p.qualified, p.target, 'attached');
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      printed.errs.push(`attach: ${p.qualified} (${p.kind}/${p.target}): ${e.message}`);
    }
  }
  return printed;
}

/**
 * `detach [PROG…]`: every attached program (last attached first), or those named (`PROG` or `OBJ:PROG`).
 * Every name is resolved before any link is destroyed, so a bad one changes nothing.
 */
function detachCommand(s: TracefsSession, args: readonly string[]): Printed {
  const loaded = s.objects.flatMap((o) => o.programs);
  const attached = loaded.filter((p) => p.attached);
  const attachedText = attached.map((p) => p.qualified).join(', ') || 'none';
  let todo: ShellProgram[];
  if (args.length === 0) {
    if (attached.length === 0) throw new KernelError('ENOENT', 'no BPF program is attached');
    todo = [...attached].sort((a, b) => b.seq - a.seq);
  } else {
    todo = [];
    for (const a of args) {
      const found = loaded.filter((p) => p.qualified === a || p.name === a);
      if (found.length === 0)
        throw new KernelError('ENOENT', `no BPF program ${a} is loaded; attached: ${attachedText}`);
      if (found.length > 1)
        throw new KernelError(
          'EINVAL',
          `${a} is ambiguous: ${found.map((p) => p.qualified).join(', ')}; name one as OBJ:PROG`,
        );
      const p = found[0]!;
      if (!p.attached)
        throw new KernelError('ENOENT', `${p.qualified} is not attached; attached: ${attachedText}`);
      if (!todo.includes(p)) todo.push(p);
    }
  }
  let out = '';
  for (const p of todo) {
    s.tracing.strategy.attachment(s.tracing, p.target).unlink(p.link);
    p.attached = false;
    out += progLine(p.kind, p.qualified, p.target, 'detached');
  }
  return { out, errs: [] };
}

/** `globals [OBJ…]`: each object's globals as `tramp64 test-run` prints them. */
function globalsCommand(s: TracefsSession, args: readonly string[]): string {
  if (s.objects.length === 0)
    throw new KernelError('ENOENT', 'no BPF object is loaded; attach one first (attach OBJ)');
  const unknown = args.filter((a) => !s.objects.some((o) => o.name === a));
  if (unknown.length > 0)
    throw new KernelError(
      'ENOENT',
      `no BPF object ${unknown.join(', ')} is loaded; loaded: ${s.objects.map((o) => o.name).join(', ')}`,
    );
  let out = '';
  for (const o of s.objects) {
    if (args.length > 0 && !args.includes(o.name)) continue;
    out += `${o.name} (${o.file}):\n`;
    const gs = readGlobals(s.tracing, o.loaded);
    for (const g of gs) {
      // Addresses (bpf_get_func_ip results) read better in hex.
      const big = g.value !== undefined && g.value >= 1n << 32n;
      out += `  ${g.section.padEnd(8)} ${g.name} = ${g.text}${big ? ` (0x${g.value!.toString(16)})` : ''}\n`;
    }
    if (gs.length === 0) out += '  (none)\n';
  }
  return out;
}

/**
 * The shell's command reached the kernel through a system call: an exception entry, so a
 * context-synchronisation event on that CPU (as testrun.ts's syscallEntry). Without it a CPU that sat idle
 * through an attach or detach would still run the instructions it decoded before the cross-modification.
 */
function syscallEntry(s: TracefsSession, cpu: number): void {
  const m = s.tk.kernel.machine;
  m.icache.contextSync(m.cpus[cpu]!);
}

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
        syscallEntry(s, cpu);
        const r = s.tk.kernel.machine.call(at, argv, { cpu });
        s.ft.drain();
        out = `${fn}(${rawArgs.join(', ')}) = ${BigInt.asIntN(64, r)}\n`;
        break;
      }
      case 'run-trigger': {
        const n = parseNumber(args[0] ?? '', 'count');
        const at = shellStub(s, s.tk.addr('tramp64_trigger_loop'));
        syscallEntry(s, 0);
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
  program
    .command('tracefs')
    .description(
      "a shell over the model kernel's tracefs (echo/cat/ls on set_ftrace_filter, current_tracer, trace …) " +
        'plus `call FUNC ARGS…`, `run-trigger N` and BPF `attach OBJ` / `detach` / `globals` through an ' +
        'attach strategy; reads a script from stdin when it is not a terminal',
    )
    .option('--series <series>', `kernel series: ${SERIES_CHOICES.join(', ')}`, 'test')
    .option(
      '--strategy <name>',
      `attach strategy (${STRATEGY_NAMES.join(', ')}): the kernel's call sites, ftrace_caller dispatch and direct-call path, used by attach; default callops (patchsite with --series 6.1)`,
    )
    .option(
      '--frame <kind>',
      'frame ftrace_caller saves: regs (pt_regs) or args (ftrace_regs); default per strategy',
    )
    .option('--layout <layout>', 'address-space layout: kaslr or nokaslr', 'kaslr')
    .option('--seed <n>', 'layout seed', '1')
    .option('--cpus <n>', 'emulated CPUs', '1')
    .option(
      '--module <names...>',
      'with --series 6.1/6.12: corpus modules to load (their functions become traceable)',
    )
    .addHelpText(
      'after',
      `\n${HELP}\nExample:\n  printf '%s\\n' "echo 'bpf_fentry_test*' > set_ftrace_filter" 'echo function > current_tracer' \\\n` +
        "    'call bpf_fentry_test1 1' 'cat trace' | tramp64 tracefs\n" +
        "  printf '%s\\n' 'attach fixtures/bpf/fentry_test.bpf.o test1' 'cat enabled_functions' \\\n" +
        "    'call bpf_fentry_test1 1' globals | tramp64 tracefs --strategy callops --layout nokaslr\n" +
        '\nUnder kaslr (the default) BPF code usually lands out of BL range of the kernel image, so patchsite\n' +
        'attaches fail with ENOTSUPP; the other strategies reach it through ftrace_caller.\n',
    )
    .action(async (o: TracefsOpts) => {
      if (!(SERIES_CHOICES as readonly string[]).includes(o.series))
        throw new Tramp64Error(
          'EINVAL',
          `--series must be one of ${SERIES_CHOICES.join(', ')}, got '${o.series}'`,
        );
      if (o.layout !== 'kaslr' && o.layout !== 'nokaslr')
        throw new Tramp64Error('EINVAL', `--layout must be kaslr or nokaslr, got '${o.layout}'`);
      const seed = Number(o.seed);
      if (!Number.isSafeInteger(seed))
        throw new Tramp64Error('EINVAL', `--seed must be an integer, got '${o.seed}'`);
      if (o.strategy !== undefined && !(STRATEGY_NAMES as readonly string[]).includes(o.strategy))
        throw new Tramp64Error(
          'EINVAL',
          `--strategy must be one of ${STRATEGY_NAMES.join(', ')}, got '${o.strategy}'`,
        );
      if (o.frame !== undefined && o.frame !== 'regs' && o.frame !== 'args')
        throw new Tramp64Error(
          'EINVAL',
          `--frame must be regs (pt_regs, the seed era) or args (ftrace_regs, v6.2+), got '${o.frame}'`,
        );
      const cpus = Number(o.cpus);
      if (!Number.isInteger(cpus) || cpus < 1 || cpus > 64)
        throw new Tramp64Error('EINVAL', `--cpus must be an integer from 1 to 64, got '${o.cpus}'`);
      const session = await openSession({
        series: o.series as ShellSeries,
        layout: o.layout,
        seed,
        cpus,
        ...(o.module ? { modules: o.module } : {}),
        ...(o.strategy !== undefined ? { strategy: o.strategy as StrategyName } : {}),
        ...(o.frame !== undefined ? { frame: o.frame as FrameKind } : {}),
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
          `tramp64 tracefs (${o.series}; strategy ${t.strategy.name}, frame ${t.frame}, ${o.layout}); type help\n`,
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
