/**
 * `tramp64 test-run OBJ [--strategy S] [--frame F] [--layout L] [--seed N] [--cpus N] [--set G=V] [--json]`:
 * the kernel's BPF_PROG_TEST_RUN for tracing programs on the model (src/trampoline/strategies/testrun.ts):
 * attach every fentry / fexit / fmod_ret program of OBJ to the built-in test kernel through a strategy, call
 * bpf_fentry_test1(1) … bpf_fentry_test8(&{a: NULL}) — and bpf_modify_return_test(1, &b) with b = 2 when
 * OBJ has an fmod_ret program, reported as `side_effect << 16 | ret` — then print every global of OBJ by
 * name with its value.
 *
 * The default layout is `nokaslr`, where every strategy can attach (under KASLR `patchsite` fails with
 * ENOTSUPP whenever the trampoline lands out of BL range); the output names the layout used.
 *
 * Exit codes: 0 every program attached and the calls ran; 1 a program was rejected or refused (printed
 * with its errno); 2 bad input.
 */
import type { Command } from 'commander';
import { testRun } from '../../trampoline/strategies/testrun.js';
import { EXIT } from '../exit.js';
import { examples, layoutOption, parseCpus, parseInt64, usage } from '../options.js';
import {
  kernelLine,
  kernelOptions,
  makeTracingKernel,
  parseKernelOptions,
  programLine,
  readBpfObject,
  type KernelCliOptions,
} from './attach.js';

interface TestRunOptions extends KernelCliOptions {
  cpus?: string;
  set?: string[];
}

function parseSet(items: readonly string[], addr: (sym: string) => bigint): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const it of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(it);
    if (!m) throw usage(`--set '${it}': write NAME=VALUE (VALUE: decimal, 0x hex, or &function)`);
    const v = m[2]!;
    let value: bigint;
    if (v.startsWith('&')) value = addr(v.slice(1));
    else if (/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) value = parseInt64(`--set ${m[1]}`, v);
    else throw usage(`--set ${m[1]}: '${v}' is not a number or &function`);
    out.set(m[1]!, value);
  }
  return out;
}

function testRunCommand(file: string, opts: TestRunOptions): void {
  const choice = parseKernelOptions(opts, 'nokaslr');
  const ncpus = parseCpus(opts.cpus, 4);
  const obj = readBpfObject(file);
  if (obj.programs.length === 0)
    throw usage(`'${file}' has no fentry/, fexit/ or fmod_ret/ program; test-run runs tracing programs`);
  const tk = makeTracingKernel(choice, ncpus);
  const set = parseSet(opts.set ?? [], (s) => tk.tk.addr(s));
  const r = testRun(tk, obj, { cpus: Array.from({ length: ncpus }, (_, i) => i), set });
  const failed = r.programs.filter((p) => p.outcome.state !== 'attached').length;
  const layoutNote = opts.layout === undefined ? ' (the default: every strategy can attach under it)' : '';

  if (opts.json === true) {
    const out = {
      object: file,
      strategy: r.strategy,
      frame: r.frame,
      layout: r.layout.kind,
      seed: r.layout.seed,
      layoutDefaulted: opts.layout === undefined,
      testKernel: choice.variant,
      bti: choice.bti,
      pac: choice.pac,
      cpus: ncpus,
      programs: r.programs.map((p) => ({
        name: p.name,
        section: p.section,
        kind: p.kind,
        target: p.target,
        attached: p.outcome.state === 'attached',
        ...(p.outcome.state !== 'attached' ? { errno: p.outcome.errno, message: p.outcome.message } : {}),
      })),
      calls: r.calls.map((c) => ({ call: c.text, cpu: c.cpu, ret: Number(c.ret) })),
      ...(r.modifyReturn
        ? {
            modifyReturn: {
              call: 'bpf_modify_return_test(1, &b)',
              cpu: r.modifyReturn.cpu,
              retval: r.modifyReturn.retval,
              sideEffect: r.modifyReturn.sideEffect,
              ret: r.modifyReturn.ret,
            },
          }
        : {}),
      printk: r.printk,
      // As text: a 64-bit value (an address) does not fit a JSON number.
      globals: Object.fromEntries(r.globals.map((g) => [g.name, g.text])),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const w = (s: string): void => void process.stdout.write(s + '\n');
    w(kernelLine(tk, choice));
    w(
      `layout used: ${r.layout.kind}${r.layout.kind === 'kaslr' ? ` (seed ${r.layout.seed})` : ''}${layoutNote}`,
    );
    w('programs:');
    for (const p of r.programs) w(programLine(p));
    w('calls:');
    for (const c of r.calls) w(`  ${`${c.text} = ${c.ret}`.padEnd(48)} (cpu ${c.cpu})`);
    if (r.modifyReturn) {
      const m = r.modifyReturn;
      w(
        `  bpf_modify_return_test(1, &b) = ${m.ret}; retval = 0x${m.retval.toString(16)} = side_effect ${m.sideEffect} << 16 | ret (cpu ${m.cpu})`,
      );
    }
    if (r.printk.length > 0) {
      w('bpf_trace_printk:');
      for (const l of r.printk) w(`  ${l}`);
    }
    w('globals:');
    for (const g of r.globals) {
      // Addresses (bpf_get_func_ip results, &function settings) read better in hex.
      const big = g.value !== undefined && g.value >= 1n << 32n;
      w(`  ${g.section.padEnd(8)} ${g.name} = ${g.text}${big ? ` (0x${g.value!.toString(16)})` : ''}`);
    }
    if (r.globals.length === 0) w('  (none)');
  }
  if (failed > 0) process.exitCode = EXIT.failed;
}

export function register(program: Command): void {
  const cmd = program
    .command('test-run')
    .summary('BPF_PROG_TEST_RUN for tracing programs')
    .description(
      "BPF_PROG_TEST_RUN for tracing programs: attach OBJ's fentry/fexit/fmod_ret programs to the test kernel, call bpf_fentry_test1..8 (and bpf_modify_return_test), print the object's globals",
    )
    .argument('<obj>', 'the BPF object (.o)');
  layoutOption(cmd, 'nokaslr', 'every strategy can attach under it');
  kernelOptions(cmd)
    .option('--cpus <n>', 'CPUs (1 to 4, default 1); the calls go round robin over them')
    .option(
      '--set <name=value...>',
      'set a global before the calls, as a skeleton sets .rodata before load (value: number or &function)',
    );
  examples(
    cmd,
    [
      'tramp64 test-run fixtures/bpf/fentry_test.bpf.o',
      'tramp64 test-run fixtures/bpf/modify_return.bpf.o --strategy ops --set input_retval=-22',
      "tramp64 test-run fixtures/bpf/get_func_ip_test.bpf.o --set 'expected_test1=&bpf_fentry_test1' \\",
      "    --set 'expected_modify=&bpf_modify_return_test' --json",
      'tramp64 test-run fixtures/bpf/fexit_test.bpf.o --strategy patchsite --layout kaslr --seed 3',
    ],
    'Exit codes: 0 every program attached, 1 one was rejected or refused (with its errno), 2 bad input.',
  ).action((obj: string, opts: TestRunOptions) => testRunCommand(obj, opts));
}
