/**
 * `npm run bench`: tramp64's benchmarks, each printed beside a reference measured in the same run
 * (qemu-aarch64 for the machine, llvm-objdump for the disassembler), as a ratio. Wall-clock figures on a
 * shared machine are noisy: compare ratios, and rerun before drawing conclusions.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runUserProgram } from '../src/kernel/user.js';
import { objdump } from '../src/elf/disasm.js';
import { parseElf } from '../src/elf/index.js';
import { ensureCorpus, readModule } from '../src/cli/corpus.js';
import { benchBpfInterp } from './bpf-interp.js';
import { benchModulesLoad } from './modules-load.js';
import { benchJit } from './jit.js';
import { benchFtrace } from './ftrace.js';

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);
const want = (name: string): boolean => only.length === 0 || only.includes(name);

function time<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

function row(name: string, value: string, ref = '', ratio = ''): void {
  console.log(`${name.padEnd(44)} ${value.padStart(18)} ${ref.padStart(22)} ${ratio.padStart(10)}`);
}

console.log(
  `${'benchmark'.padEnd(44)} ${'tramp64'.padStart(18)} ${'reference'.padStart(22)} ${'ratio'.padStart(10)}`,
);

if (want('exec')) {
  // The machine: the same compiled loop under qemu-aarch64 and under the emulator.
  const prog = join(root, 'fixtures/exec/loop');
  const q = time(() => spawnSync('qemu-aarch64', [prog], { encoding: 'utf8' }));
  try {
    const ours = time(() => runUserProgram(new Uint8Array(readFileSync(prog))));
    const mips = ours.value.instructions / ours.ms / 1000;
    const qmips = ours.value.instructions / q.ms / 1000;
    row(
      'exec fixtures/exec/loop (MIPS)',
      mips.toFixed(1),
      `qemu-aarch64 ${qmips.toFixed(0)}`,
      `${(mips / qmips).toFixed(3)}x`,
    );
  } catch (e) {
    row('exec fixtures/exec/loop', `failed: ${(e as Error).message.slice(0, 60)}`);
  }
}

if (want('disasm')) {
  // The disassembler: instructions per second over corpus modules, beside llvm-objdump on the same files.
  const corpus = await ensureCorpus('6.1');
  const files = corpus.modules.slice(0, 200);
  const bytes = files.map((f) => readModule(f));
  const ours = time(() => bytes.reduce((n, b) => n + objdump(parseElf(b)).split('\n').length, 0));
  const llvm = time(() =>
    spawnSync('llvm-objdump', ['-d', '--no-show-raw-insn', ...files.filter((f) => f.endsWith('.ko'))], {
      maxBuffer: 1 << 30,
    }),
  );
  row(
    'disasm 200 corpus modules (lines/s)',
    `${((ours.value / ours.ms) * 1000).toFixed(0)}`,
    `llvm-objdump ${llvm.ms.toFixed(0)} ms`,
    `${(llvm.ms / ours.ms).toFixed(2)}x`,
  );
}

if (want('bpf')) {
  for (const r of await benchBpfInterp())
    row(`bpf interpreter: ${r.name}`, `${r.value.toFixed(1)} ${r.unit}`);
}

if (want('jit')) for (const r of benchJit()) row(`bpf jit: ${r.name}`, r.value, r.ref ?? '', r.ratio ?? '');

if (want('modules')) {
  for (const r of await benchModulesLoad()) row(`modules: ${r.name}`, `${r.value.toFixed(1)} ${r.unit}`);
}

if (want('ftrace'))
  for (const r of await benchFtrace()) row(`ftrace: ${r.name}`, `${r.value} ${r.unit}`.trim());
