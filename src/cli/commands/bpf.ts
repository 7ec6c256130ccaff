/**
 * `tramp64 bpf …`: run bpf_conformance `.data` files on the eBPF interpreter, or JITed to A64 on the
 * emulated CPU (`--jit`), and print the JIT's A64 listing of an object's programs.
 *   bpf run-data FILE [--json] [--jit]     run one file; print r0 as the .data format writes it (0x…) or the error
 *   bpf conformance DIR [--json] [--jit]   run every *.data file; PASS/FAIL/SKIP per test and a summary line
 *   bpf jit OBJ [--prog NAME]              JIT the object's programs on a model kernel; A64 listing with kallsyms names
 * The runners name the helper table they run with ("helpers: bpf_conformance") and, with --jit, the engine.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import {
  conformanceHelpers,
  formatOutcome,
  parseDataFile,
  runConformanceTest,
  runData,
  summarize,
  BpfRuntimeError,
  createObjectMaps,
  jitEngine,
  jitListing,
  jitProgram,
  loadBpfObject,
  type ConformanceOptions,
  type TestOutcome,
} from '../../bpf/index.js';
import { Kernel, type LayoutOptions } from '../../kernel/index.js';
import { Tramp64Error } from '../../util/errors.js';
import { EXIT } from '../exit.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Tramp64Error('ENOENT', `cannot read ${what} '${path}': ${(e as Error).message}`);
  }
}

interface EngineOpts {
  jit?: boolean;
  atomics?: string;
}

/** The engine options: the interpreter, or the JIT on a fresh nokaslr model kernel. */
function engineOf(opts: EngineOpts): { name: string; options: Pick<ConformanceOptions, 'engine'> } {
  if (opts.atomics !== undefined && opts.atomics !== 'lse' && opts.atomics !== 'llsc')
    throw new Tramp64Error('EINVAL', `--atomics must be lse or llsc, got '${opts.atomics}'`);
  if (opts.jit !== true) {
    if (opts.atomics !== undefined)
      throw new Tramp64Error('EINVAL', '--atomics applies to the JIT; add --jit');
    return { name: 'interpreter', options: {} };
  }
  const atomics = (opts.atomics ?? 'lse') as 'lse' | 'llsc';
  return {
    name: `jit (A64 on the emulated CPU, ${atomics} atomics)`,
    options: { engine: jitEngine(new Kernel({ layout: { kind: 'nokaslr' } }), { atomics }) },
  };
}

function runDataCommand(file: string, opts: { json?: boolean } & EngineOpts): void {
  const engine = engineOf(opts);
  const data = parseDataFile(readText(file, 'the .data file'));
  const helpers = conformanceHelpers();
  let r0: bigint | undefined;
  let error: string | undefined;
  let insns = 0;
  try {
    const res = runData(data, { helpers, ...engine.options });
    r0 = res.r0;
    insns = res.insns;
  } catch (e) {
    if (!(e instanceof BpfRuntimeError)) throw e;
    error = e.message;
  }
  let ok = true;
  let mismatch: string | undefined;
  if (data.error !== undefined) {
    ok = error === data.error;
    if (!ok) mismatch = `expected error '${data.error}'`;
  } else if (data.result !== undefined) {
    ok = error === undefined && r0 === data.result;
    if (!ok) mismatch = `expected ${hex(data.result)}`;
  } else if (error !== undefined) {
    ok = false;
  }
  if (opts.json === true) {
    const out = {
      file: basename(file),
      helpers: helpers.name,
      ...(opts.jit === true ? { engine: engine.name } : {}),
      ...(r0 !== undefined ? { r0: hex(r0), insns } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(data.result !== undefined ? { expected: hex(data.result) } : {}),
      ...(data.error !== undefined ? { expectedError: data.error } : {}),
      ok,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`helpers: ${helpers.name}\n`);
    if (opts.jit === true) process.stdout.write(`engine: ${engine.name}\n`);
    process.stdout.write(error !== undefined ? `error: ${error}\n` : `${hex(r0!)}\n`);
    if (mismatch !== undefined) process.stderr.write(`tramp64: ${mismatch}\n`);
  }
  if (!ok) process.exitCode = EXIT.failed;
}

function conformanceCommand(dir: string, opts: { json?: boolean } & EngineOpts): void {
  const engine = engineOf(opts);
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.data'))
      .sort();
  } catch (e) {
    throw new Tramp64Error(
      'ENOENT',
      `cannot read the test directory '${dir}': ${(e as Error).message}; give the path of bpf_conformance's tests/ folder`,
    );
  }
  if (files.length === 0) throw new Tramp64Error('ENOENT', `no .data files in '${dir}'`);
  const helpers = conformanceHelpers();
  const outcomes: TestOutcome[] = files.map((f) =>
    runConformanceTest(readText(join(dir, f), 'the .data file'), f, { helpers, ...engine.options }),
  );
  if (opts.json === true) {
    const count = (s: string): number => outcomes.filter((o) => o.status === s).length;
    const tests = outcomes.map((o) => ({
      name: o.name,
      status: o.status,
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
      ...(o.r0 !== undefined ? { r0: hex(o.r0) } : {}),
    }));
    const out = {
      helpers: helpers.name,
      ...(opts.jit === true ? { engine: engine.name } : {}),
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      tests,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`helpers: ${helpers.name}\n`);
    if (opts.jit === true) process.stdout.write(`engine: ${engine.name}\n`);
    for (const o of outcomes) process.stdout.write(`${formatOutcome(o)}\n`);
    process.stdout.write(`${summarize(outcomes)}\n`);
  }
  if (outcomes.some((o) => o.status === 'fail')) process.exitCode = EXIT.failed;
}

function jitCommand(file: string, opts: { prog?: string; atomics?: string; kaslr?: string }): void {
  if (opts.atomics !== undefined && opts.atomics !== 'lse' && opts.atomics !== 'llsc')
    throw new Tramp64Error('EINVAL', `--atomics must be lse or llsc, got '${opts.atomics}'`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new Tramp64Error('ENOENT', `cannot read the BPF object '${file}': ${(e as Error).message}`);
  }
  const obj = loadBpfObject(bytes, { allowUnsupported: true });
  const progs = opts.prog === undefined ? obj.programs : obj.programs.filter((p) => p.name === opts.prog);
  if (progs.length === 0) {
    const names = obj.programs.map((p) => p.name).join(', ') || 'none';
    throw new Tramp64Error(
      'ENOENT',
      opts.prog === undefined
        ? `'${file}' has no fentry/fexit/fmod_ret programs to JIT`
        : `no program named '${opts.prog}' in '${file}'; it has: ${names}`,
    );
  }
  let layout: LayoutOptions = { kind: 'nokaslr' };
  if (opts.kaslr !== undefined) {
    const seed = Number(opts.kaslr);
    if (!Number.isInteger(seed) || seed < 0)
      throw new Tramp64Error('EINVAL', `--kaslr takes a non-negative integer seed, got '${opts.kaslr}'`);
    layout = { kind: 'kaslr', seed };
  }
  const kernel = new Kernel({ layout });
  const maps = createObjectMaps(obj);
  for (const p of progs) {
    const image = jitProgram(kernel, p.insns, {
      name: p.name,
      attachType: p.attachType,
      resolveLdImm64: maps.resolveLdImm64,
      ...(opts.atomics !== undefined ? { atomics: opts.atomics as 'lse' | 'llsc' } : {}),
    });
    process.stdout.write(`${p.section}  ${p.name}  at 0x${image.address.toString(16)}\n`);
    process.stdout.write(jitListing(kernel, image));
    process.stdout.write('\n');
  }
}

export function register(program: Command): void {
  const bpf = program.command('bpf').description('eBPF: run bpf_conformance .data files on the interpreter');
  bpf
    .command('run-data')
    .description(
      'run one .data file and print r0 (0x…) or the error; exit 1 if it disagrees with -- result/-- error',
    )
    .argument('<file>', 'a bpf_conformance .data file')
    .option('--json', 'print JSON')
    .option('--jit', 'run the program JITed to A64 on the emulated CPU instead of the interpreter')
    .option('--atomics <form>', 'with --jit: lse (default) or llsc atomics')
    .action((file: string, opts: { json?: boolean } & EngineOpts) => runDataCommand(file, opts));
  bpf
    .command('conformance')
    .description(
      'run every .data file of a directory: PASS/FAIL/SKIP lines, then "N passed, N failed, N skipped"; exit 1 on any failure',
    )
    .argument('<dir>', "bpf_conformance's tests/ directory")
    .option('--json', 'print JSON')
    .option('--jit', 'run the programs JITed to A64 on the emulated CPU instead of the interpreter')
    .option('--atomics <form>', 'with --jit: lse (default) or llsc atomics')
    .action((dir: string, opts: { json?: boolean } & EngineOpts) => conformanceCommand(dir, opts));
  bpf
    .command('jit')
    .description("JIT an object's programs on a model kernel and print the A64 listing (kallsyms names)")
    .argument('<obj>', 'a clang -target bpf object')
    .option('--prog <name>', 'only this program')
    .option('--atomics <form>', 'lse (default) or llsc atomics')
    .option('--kaslr <seed>', 'a KASLR layout with this seed (default nokaslr)')
    .action((obj: string, opts: { prog?: string; atomics?: string; kaslr?: string }) =>
      jitCommand(obj, opts),
    );
}
