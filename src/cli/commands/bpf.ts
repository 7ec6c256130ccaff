/**
 * `tramp64 bpf …`: run bpf_conformance `.data` files on the eBPF interpreter, or JITed to A64 on the
 * emulated CPU (`--jit`), and print the JIT's A64 listing of an object's programs.
 *   bpf run-data FILE [--json] [--jit]     run one file; print r0 as the .data format writes it (0x…) or the error
 *   bpf conformance DIR [--json] [--jit]   run every *.data file; PASS/FAIL/SKIP per test and a summary line
 *   bpf jit OBJ [--prog NAME] [--layout L --seed N] [--json]
 *                                          JIT the object's programs on a model kernel; A64 listing with kallsyms names
 * (`bpf load` and `bpf attach-prog` register themselves on the same `bpf` command from their own files.)
 * The runners name the helper table they run with ("helpers: bpf_conformance") and, with --jit, the engine.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
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
import { Kernel } from '../../kernel/index.js';
import { Tramp64Error } from '../../util/errors.js';
import { EXIT } from '../exit.js';
import {
  examples,
  layoutOption,
  parseChoice,
  parseLayout,
  parseSeed,
  readBytes,
  seedOption,
  usage,
} from '../options.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Tramp64Error('ENOENT', `cannot read ${what} '${path}': ${(e as Error).message}`);
  }
}

const ATOMICS = ['lse', 'llsc'] as const;

interface EngineOpts {
  jit?: boolean;
  atomics?: string;
}

/** The engine options: the interpreter, or the JIT on a fresh nokaslr model kernel. */
function engineOf(opts: EngineOpts): { name: string; options: Pick<ConformanceOptions, 'engine'> } {
  if (opts.atomics !== undefined) parseChoice('--atomics', opts.atomics, ATOMICS);
  if (opts.jit !== true) {
    if (opts.atomics !== undefined) throw usage('--atomics applies to the JIT; add --jit');
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

interface JitOpts {
  prog?: string;
  atomics?: string;
  layout?: string;
  seed?: string;
  kaslr?: string;
  json?: boolean;
}

function jitCommand(file: string, opts: JitOpts): void {
  const atomics = opts.atomics === undefined ? undefined : parseChoice('--atomics', opts.atomics, ATOMICS);
  // --kaslr SEED is the older spelling of --layout kaslr --seed SEED, kept (hidden) for scripts.
  if (opts.kaslr !== undefined && (opts.layout !== undefined || opts.seed !== undefined))
    throw usage('--kaslr SEED is short for --layout kaslr --seed SEED; give one or the other');
  const layout = opts.kaslr !== undefined ? 'kaslr' : parseLayout(opts.layout, 'nokaslr');
  const seed = parseSeed(opts.kaslr ?? opts.seed);
  const obj = loadBpfObject(readBytes(file, 'the BPF object'), { allowUnsupported: true });
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
  const kernel = new Kernel({ layout: { kind: layout, seed } });
  const maps = createObjectMaps(obj);
  const images = progs.map((p) => ({
    prog: p,
    image: jitProgram(kernel, p.insns, {
      name: p.name,
      attachType: p.attachType,
      resolveLdImm64: maps.resolveLdImm64,
      ...(atomics !== undefined ? { atomics } : {}),
    }),
  }));
  if (opts.json === true) {
    const out = {
      object: file,
      layout,
      seed,
      atomics: atomics ?? 'lse',
      programs: images.map(({ prog, image }) => ({
        name: prog.name,
        section: prog.section,
        symbol: image.name,
        address: hex(image.address),
        size: image.size,
        bpfInsns: image.insns.length,
        listing: jitListing(kernel, image)
          .split('\n')
          .filter((l) => l !== ''),
      })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  for (const { prog, image } of images) {
    process.stdout.write(`${prog.section}  ${prog.name}  at 0x${image.address.toString(16)}\n`);
    process.stdout.write(jitListing(kernel, image));
    process.stdout.write('\n');
  }
}

export function register(program: Command): void {
  const bpf = program
    .command('bpf')
    .summary('conformance, JIT, object load, attach-prog')
    .description(
      'eBPF on the model: run bpf_conformance .data files on the interpreter or the A64 JIT, print JIT ' +
        "listings, load and verify clang -target bpf objects, attach programs to programs (see each subcommand's --help)",
    );
  examples(bpf, [
    'tramp64 bpf conformance path/to/bpf_conformance/tests --jit',
    'tramp64 bpf load fixtures/bpf/hashmap.bpf.o',
    'tramp64 bpf jit fixtures/bpf/hashmap.bpf.o --prog count_entry',
  ]);
  const runData = bpf
    .command('run-data')
    .summary('run one bpf_conformance .data file; print r0')
    .description(
      'run one .data file and print r0 (0x…) or the error; exit 1 if it disagrees with -- result/-- error',
    )
    .argument('<file>', 'a bpf_conformance .data file')
    .option('--json', 'print JSON')
    .option('--jit', 'run the program JITed to A64 on the emulated CPU instead of the interpreter')
    .option('--atomics <form>', 'with --jit: lse or llsc atomics (default lse)');
  examples(
    runData,
    [
      'tramp64 bpf run-data tests/data/bpf/lddw.data',
      'tramp64 bpf run-data FILE.data --jit --atomics llsc --json',
    ],
    'Exit codes: 0 the result is the expected one, 1 it is not, 2 bad input (unreadable or malformed file).',
  ).action((file: string, opts: { json?: boolean } & EngineOpts) => runDataCommand(file, opts));
  const conformance = bpf
    .command('conformance')
    .summary('run every .data file of a directory')
    .description(
      'run every .data file of a directory: PASS/FAIL/SKIP lines, then "N passed, N failed, N skipped"; exit 1 on any failure',
    )
    .argument('<dir>', "bpf_conformance's tests/ directory")
    .option('--json', 'print JSON')
    .option('--jit', 'run the programs JITed to A64 on the emulated CPU instead of the interpreter')
    .option('--atomics <form>', 'with --jit: lse or llsc atomics (default lse)');
  examples(
    conformance,
    ['tramp64 bpf conformance path/to/bpf_conformance/tests', 'tramp64 bpf conformance DIR --jit --json'],
    'Exit codes: 0 no test failed, 1 one did, 2 bad input (no such directory, no .data files).',
  ).action((dir: string, opts: { json?: boolean } & EngineOpts) => conformanceCommand(dir, opts));
  const jit = bpf
    .command('jit')
    .summary("A64 JIT listing of an object's programs")
    .description("JIT an object's programs on a model kernel and print the A64 listing (kallsyms names)")
    .argument('<obj>', 'a clang -target bpf object')
    .option('--prog <name>', 'only this program')
    .option('--atomics <form>', 'lse or llsc atomics (default lse)');
  layoutOption(jit, 'nokaslr');
  seedOption(jit, 'the layout (KASLR offset, vmalloc use: where the images land)');
  jit
    .addOption(new Option('--kaslr <seed>', 'same as --layout kaslr --seed SEED').hideHelp())
    .option('--json', "print each program's address, size and listing lines as JSON");
  examples(
    jit,
    [
      'tramp64 bpf jit fixtures/bpf/hashmap.bpf.o --prog count_entry',
      'tramp64 bpf jit fixtures/bpf/hashmap.bpf.o --layout kaslr --seed 3   # helpers out of BL reach',
      'tramp64 bpf jit fixtures/bpf/ringbuf.bpf.o --atomics llsc --json',
    ],
    'Exit codes: 0 listed, 2 bad input (unreadable object, unknown program).',
  ).action((obj: string, opts: JitOpts) => jitCommand(obj, opts));
}
