/**
 * `tramp64 bpf …`: run bpf_conformance `.data` files on the eBPF interpreter.
 *   bpf run-data FILE [--json]     run one file; print r0 as the .data format writes it (0x…) or the error
 *   bpf conformance DIR [--json]   run every *.data file; PASS/FAIL/SKIP per test and a summary line
 * Both name the helper table they run with ("helpers: bpf_conformance").
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
  type TestOutcome,
} from '../../bpf/index.js';
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

function runDataCommand(file: string, opts: { json?: boolean }): void {
  const data = parseDataFile(readText(file, 'the .data file'));
  const helpers = conformanceHelpers();
  let r0: bigint | undefined;
  let error: string | undefined;
  let insns = 0;
  try {
    const res = runData(data, { helpers });
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
      ...(r0 !== undefined ? { r0: hex(r0), insns } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(data.result !== undefined ? { expected: hex(data.result) } : {}),
      ...(data.error !== undefined ? { expectedError: data.error } : {}),
      ok,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`helpers: ${helpers.name}\n`);
    process.stdout.write(error !== undefined ? `error: ${error}\n` : `${hex(r0!)}\n`);
    if (mismatch !== undefined) process.stderr.write(`tramp64: ${mismatch}\n`);
  }
  if (!ok) process.exitCode = EXIT.failed;
}

function conformanceCommand(dir: string, opts: { json?: boolean }): void {
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
    runConformanceTest(readText(join(dir, f), 'the .data file'), f, { helpers }),
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
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      tests,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`helpers: ${helpers.name}\n`);
    for (const o of outcomes) process.stdout.write(`${formatOutcome(o)}\n`);
    process.stdout.write(`${summarize(outcomes)}\n`);
  }
  if (outcomes.some((o) => o.status === 'fail')) process.exitCode = EXIT.failed;
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
    .action((file: string, opts: { json?: boolean }) => runDataCommand(file, opts));
  bpf
    .command('conformance')
    .description(
      'run every .data file of a directory: PASS/FAIL/SKIP lines, then "N passed, N failed, N skipped"; exit 1 on any failure',
    )
    .argument('<dir>', "bpf_conformance's tests/ directory")
    .option('--json', 'print JSON')
    .action((dir: string, opts: { json?: boolean }) => conformanceCommand(dir, opts));
}
