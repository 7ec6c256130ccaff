/**
 * `tramp64 run FUNC ARGS…`: call a function of the built-in test kernel on the emulated CPU and print its
 * result, the instructions executed and the modelled cycles; `--trace` prints every executed instruction
 * as `<addr> <sym+off>: <disassembly>` (kallsyms names, LLVM syntax). The call is made once, cold (no
 * warm-up call), so the trace is exactly one call and side effects happen once.
 *
 * Exit codes: 0 the call returned; 1 the call faulted (the fault and where it happened are printed);
 * 2 bad input — an unknown function (with the closest names), wrong argument count or syntax, a bad option.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { disassemble } from '../../a64/index.js';
import { functionModel, parseBtf, type FuncModel } from '../../bpf/index.js';
import {
  createTestKernel,
  TEST_KERNEL_VARIANTS,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../kernel/testkernel.js';
import { MachineFault, RETURN_TRAMPOLINE } from '../../machine/index.js';
import {
  measureTestKernelCall,
  STAGES,
  type CallMeasurement,
  type TraceEntry,
} from '../../scenario/index.js';
import { EXIT } from '../exit.js';
import {
  examples,
  layoutOption,
  packageRoot,
  parseChoice,
  parseCount,
  parseLayout,
  parseSeed,
  readBytes,
  seedOption,
  usage,
} from '../options.js';

interface RunOptions {
  kernel?: string;
  layout?: string;
  seed?: string;
  trace?: boolean;
  json?: boolean;
  maxInstructions?: string;
}

/** A 64-bit argument: decimal or 0x hex, negative numbers as two's complement. */
export function parseArg(text: string, index: number): bigint {
  if (!/^-?(0x[0-9a-f]+|[0-9]+)$/i.test(text))
    throw usage(`argument ${index + 1} '${text}' is not a number; give decimal (42, -1) or hex (0x2a)`);
  const neg = text.startsWith('-');
  const v = BigInt(neg ? text.slice(1) : text);
  if (v >= 1n << 64n || (neg && v > 1n << 63n))
    throw usage(`argument ${index + 1} '${text}' does not fit in 64 bits`);
  return BigInt.asUintN(64, neg ? -v : v);
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Up to five function names closest to `name` (substring matches first, then by edit distance). */
export function closeNames(name: string, names: readonly string[]): string[] {
  const scored = names.map((n) => ({
    n,
    d: n.includes(name) || name.includes(n) ? 0 : distance(name, n),
  }));
  return scored
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
    .slice(0, 5)
    .map((s) => s.n);
}

function testKernelFunctions(tk: TestKernel): string[] {
  return [...tk.symbols.values()]
    .filter((s) => s.type === 't' || s.type === 'T')
    .map((s) => s.name)
    .sort();
}

/** The function's BTF model, when the object has BTF for it. */
function modelOf(tk: TestKernel, name: string): FuncModel | undefined {
  if (!tk.btf) return undefined;
  const btf = parseBtf(tk.btf);
  return btf.byName(name, 'FUNC').length > 0 ? functionModel(btf, name) : undefined;
}

const hex64 = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`;

/** The return value as C sees it: truncated to the return type's size, signed when the type is. */
function cValue(x0: bigint, model: FuncModel | undefined): bigint {
  const size = model?.returnSize;
  if (size === undefined || size === 0 || size >= 8) return model?.returnSigned ? BigInt.asIntN(64, x0) : x0;
  const bits = size * 8;
  return model?.returnSigned ? BigInt.asIntN(bits, x0) : BigInt.asUintN(bits, x0);
}

function traceLine(tk: TestKernel, e: TraceEntry): string {
  const ks = tk.kernel.kallsyms;
  const sym = ks.short(e.pc) ?? (e.pc === RETURN_TRAMPOLINE ? '[return to host]' : '?');
  const text =
    disassemble(e.word, { address: e.pc, symbolize: (a) => ks.short(a) }) ??
    `.inst 0x${e.word.toString(16).padStart(8, '0')}`;
  return `${e.pc.toString(16).padStart(16, '0')} ${sym}: ${text}`;
}

function runCommand(func: string, argTexts: string[], o: RunOptions): void {
  const variant: TestKernelVariant = parseChoice('--kernel', o.kernel ?? 'gcc-pfe2', TEST_KERNEL_VARIANTS);
  const layout = parseLayout(o.layout, 'nokaslr');
  const seed = parseSeed(o.seed);
  const maxInstructions = parseCount('--max-instructions', o.maxInstructions ?? '10000000', 1);
  const object = readBytes(join(packageRoot(), testKernelFixture(variant)), 'the test kernel object');
  const tk = createTestKernel(object, {
    layout: { kind: layout, seed },
    machine: { seed },
  });
  const names = testKernelFunctions(tk);
  if (!names.includes(func)) {
    throw usage(
      `the test kernel (${variant}) has no function '${func}'; did you mean ${closeNames(func, names).join(', ')}? ` +
        `(tramp64 disasm ${testKernelFixture(variant)} lists them all)`,
    );
  }
  const args = argTexts.map(parseArg);
  const model = modelOf(tk, func);
  if (model && model.args.length !== args.length) {
    const list = model.args.map((a) => a.name).join(', ');
    throw usage(
      `${func} takes ${model.args.length} argument${model.args.length === 1 ? '' : 's'}${list ? ` (${list})` : ''}; got ${args.length}`,
    );
  }
  if (args.length > 8) throw usage(`at most 8 arguments travel in registers (x0–x7); got ${args.length}`);

  const streaming = o.trace === true && o.json !== true;
  let m: CallMeasurement;
  try {
    m = measureTestKernelCall(tk, func, args, {
      warmup: 0,
      trace: o.json === true && o.trace === true,
      maxInstructions,
      ...(streaming ? { onStep: (e: TraceEntry) => process.stdout.write(traceLine(tk, e) + '\n') } : {}),
    });
  } catch (e) {
    if (!(e instanceof MachineFault)) throw e;
    const where = e.pc !== undefined ? ` in ${tk.kernel.kallsyms.format(e.pc)}` : '';
    if (o.json === true)
      process.stdout.write(
        JSON.stringify({ function: func, fault: { kind: e.kind, message: e.message } }) + '\n',
      );
    process.stderr.write(`tramp64: ${func} faulted${where}: ${e.message}\n`);
    process.exitCode = EXIT.failed;
    return;
  }
  const value = cValue(m.result, model);
  if (o.json === true) {
    const out = {
      kernel: variant,
      layout,
      seed,
      function: func,
      address: hex64(m.address),
      args: args.map(hex64),
      result: value.toString(),
      x0: hex64(m.result),
      instructions: m.instructions,
      cycles: m.cycles,
      stages: Object.fromEntries(
        STAGES.filter((s) => m.stages.instructions[s] > 0).map((s) => [
          s,
          { instructions: m.stages.instructions[s], cycles: m.stages.cycles[s] },
        ]),
      ),
      ...(m.trace
        ? {
            trace: m.trace.map((e) => ({
              address: hex64(e.pc),
              symbol: tk.kernel.kallsyms.short(e.pc) ?? null,
              word: e.word.toString(16).padStart(8, '0'),
              text: disassemble(e.word, { address: e.pc }) ?? null,
              stage: e.stage,
              cycles: e.cycles,
            })),
          }
        : {}),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const shown = args.map((a) => (a < 0x10000n ? a.toString() : `0x${a.toString(16)}`)).join(', ');
  process.stdout.write(
    `${func}(${shown}) = ${value} (x0 = ${hex64(m.result)})\n` +
      `${m.instructions} instructions, ${m.cycles} modelled cycles, counting the hvc that returns to the host ` +
      `(${variant}, ${layout}, seed ${seed})\n`,
  );
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .summary('call a test-kernel function; result, cost')
    .description(
      'call a function of the built-in test kernel on the emulated CPU and print its result and cost',
    )
    .argument('<func>', 'test-kernel function, e.g. bpf_fentry_test3')
    .argument('[args...]', 'integer arguments (decimal or 0x hex; at most 8)')
    .option('--kernel <variant>', `test-kernel build: ${TEST_KERNEL_VARIANTS.join(', ')} (default gcc-pfe2)`);
  layoutOption(cmd, 'nokaslr');
  seedOption(cmd, 'the layout (KASLR offset, vmalloc use) and the machine');
  cmd
    .option('--trace', 'print every executed instruction as <addr> <sym+off>: <disassembly>')
    .option('--json', 'print the result, counts and (with --trace) the trace as JSON')
    .option('--max-instructions <n>', 'stop with an error after this many instructions (default 10000000)');
  examples(
    cmd,
    [
      'tramp64 run bpf_fentry_test3 4 5 6',
      'tramp64 run workload_entry 3 --trace',
      'tramp64 run fnv1a_hash 0 0 --kernel clang-bti-pfe42 --layout kaslr --seed 7 --json',
    ],
    'Exit codes: 0 returned, 1 the call faulted, 2 bad input (unknown function, argument count).',
  ).action((func: string, args: string[], o: RunOptions) => runCommand(func, args, o));
}
