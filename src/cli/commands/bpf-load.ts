/**
 * `tramp64 bpf load OBJ [--json] [--kernel VARIANT|FILE] [--error-injectable LIST]`: load a clang `-target bpf`
 * object as libbpf would, list its programs (section, attach type and target, instruction count), maps and
 * globals, and verify each program against the kernel's BTF function models. A rejection prints the
 * verifier log. Exit 0 when every program is accepted, 1 when one is rejected, 2 on bad input.
 *
 * The kernel defaults to the built-in test kernel (fixtures/kernel/testkernel-gcc-pfe2.o), whose only
 * error-injectable function is bpf_modify_return_test. `--kernel` takes a test-kernel build name, as
 * `tramp64 run --kernel` does, or the path of any kernel object with a .BTF section.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  functionModel,
  loadBpfObject,
  mapTypeName,
  parseBtf,
  verifyProgram,
  type BpfObject,
  type FuncModel,
  type VerifyResult,
} from '../../bpf/index.js';
import { parseElf } from '../../elf/index.js';
import { TEST_KERNEL_VARIANTS, testKernelFixture, type TestKernelVariant } from '../../kernel/testkernel.js';
import { Tramp64Error } from '../../util/errors.js';
import { EXIT } from '../exit.js';
import { badValue, examples, packageRoot, readBytes } from '../options.js';

const DEFAULT_KERNEL: TestKernelVariant = 'gcc-pfe2';
const DEFAULT_INJECTABLE = 'bpf_modify_return_test';

/** A test-kernel build name (the fixture under the package root) or a path. */
function kernelPath(v: string | undefined): string {
  const name = v ?? DEFAULT_KERNEL;
  if ((TEST_KERNEL_VARIANTS as readonly string[]).includes(name))
    return join(packageRoot(), testKernelFixture(name as TestKernelVariant));
  if (!existsSync(name))
    throw badValue(
      '--kernel',
      `a test-kernel build (${TEST_KERNEL_VARIANTS.join(', ')}) or a kernel object file`,
      name,
    );
  return name;
}

interface LoadOptions {
  json?: boolean;
  kernel?: string;
  errorInjectable?: string;
}

function loadCommand(file: string, opts: LoadOptions): void {
  const obj: BpfObject = loadBpfObject(readBytes(file, 'the BPF object'), { allowUnsupported: true });
  const kernelFile = kernelPath(opts.kernel);
  const kelf = parseElf(readBytes(kernelFile, 'the kernel object'));
  const kbtfSec = kelf.sectionByName('.BTF');
  if (kbtfSec === undefined)
    throw new Tramp64Error(
      'EINVAL',
      `kernel object '${kernelFile}' has no .BTF section (build it with pahole -J)`,
    );
  const kbtf = parseBtf(kelf.sectionData(kbtfSec));
  const models = new Map<string, FuncModel | undefined>();
  const funcModel = (n: string): FuncModel | undefined => {
    if (!models.has(n)) models.set(n, kbtf.byName(n, 'FUNC').length > 0 ? functionModel(kbtf, n) : undefined);
    return models.get(n);
  };
  const errorInjectable = (opts.errorInjectable ?? DEFAULT_INJECTABLE).split(',').filter((s) => s !== '');
  const verdicts: VerifyResult[] = obj.programs.map((p) =>
    verifyProgram(obj, p, { funcModel, errorInjectable }),
  );
  const rejected = verdicts.filter((v) => !v.ok).length;

  if (opts.json === true) {
    const out = {
      object: file,
      license: obj.license,
      kernel: kernelFile,
      programs: obj.programs.map((p, i) => {
        const v = verdicts[i]!;
        const m = funcModel(p.target);
        return {
          name: p.name,
          section: p.section,
          attachType: p.attachType,
          target: p.target,
          sleepable: p.sleepable,
          insns: p.insns.length,
          subprograms: p.subprograms,
          targetModel: m
            ? {
                args: m.args.map((a) => ({
                  name: a.name,
                  size: a.size,
                  signed: a.signed,
                  isPointer: a.isPointer,
                })),
                returnSize: m.returnSize,
                unsupported: m.unsupported,
              }
            : null,
          verifier: v.ok
            ? { verdict: 'accepted', processed: v.processed }
            : {
                verdict: 'rejected',
                processed: v.processed,
                insn: v.error!.insn,
                defect: v.error!.defect,
                message: v.error!.message,
                log: v.log,
              },
        };
      }),
      unsupported: obj.unsupported,
      maps: obj.maps.map((m) => ({
        fd: m.fd,
        name: m.def.name,
        type: mapTypeName(m.def.type),
        keySize: m.def.keySize,
        valueSize: m.def.valueSize,
        maxEntries: m.def.maxEntries,
        flags: m.def.flags,
        origin: m.origin,
        readonly: m.readonly,
      })),
      globals: obj.globals,
      verdict: rejected === 0 ? 'accepted' : 'rejected',
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const w = (s: string): void => void process.stdout.write(s + '\n');
    w(`object: ${file}  (license: ${obj.license || 'none'})`);
    w(`kernel: ${kernelFile}  (error-injectable: ${errorInjectable.join(', ') || 'none'})`);
    w('programs:');
    obj.programs.forEach((p, i) => {
      const v = verdicts[i]!;
      const subs = p.subprograms.length
        ? `, ${p.subprograms.length} subprogram${p.subprograms.length > 1 ? 's' : ''}`
        : '';
      const verdict = v.ok
        ? `accepted (${v.processed} insns processed)`
        : `REJECTED at insn ${v.error!.insn}: ${v.error!.message} [${v.error!.defect}]`;
      w(
        `  ${p.name.padEnd(16)} ${p.section.padEnd(36)} ${p.attachType.padEnd(8)} ${p.target.padEnd(24)} ${String(p.insns.length).padStart(4)} insns${subs}  ${verdict}`,
      );
    });
    for (const u of obj.unsupported) w(`  (unsupported) ${u.section}: ${u.reason}`);
    w('maps:');
    for (const m of obj.maps)
      w(
        `  fd ${m.fd}  ${m.def.name.padEnd(16)} ${mapTypeName(m.def.type).padEnd(12)} key ${m.def.keySize}  value ${m.def.valueSize}  max_entries ${m.def.maxEntries}${m.origin === 'global' ? `  (global data${m.readonly ? ', read-only' : ''})` : ''}`,
      );
    if (obj.maps.length === 0) w('  (none)');
    w('globals:');
    for (const g of obj.globals) w(`  ${g.section}+${g.offset}  ${g.name} (${g.size} bytes)`);
    if (obj.globals.length === 0) w('  (none)');
    obj.programs.forEach((p, i) => {
      const v = verdicts[i]!;
      if (v.ok) return;
      w(`\nverifier log of ${p.name} (${p.section}):`);
      process.stdout.write(v.log);
    });
    w(
      `verdict: ${rejected === 0 ? `all ${obj.programs.length} programs accepted` : `${rejected} of ${obj.programs.length} programs rejected`}`,
    );
  }
  if (rejected > 0) process.exitCode = EXIT.failed;
}

export function register(program: Command): void {
  let bpf = program.commands.find((c) => c.name() === 'bpf');
  if (bpf === undefined) bpf = program.command('bpf').description('eBPF programs');
  const cmd = bpf
    .command('load')
    .summary('load and verify a BPF object')
    .description(
      'load a clang -target bpf object (libbpf conventions): programs, maps, globals and the verifier verdict',
    )
    .argument('<obj>', 'the BPF object file (.o)')
    .option('--json', 'machine-readable output')
    .option(
      '--kernel <variant|file>',
      `test-kernel build (${TEST_KERNEL_VARIANTS.join(', ')}) or a kernel object whose .BTF gives the traced functions (default ${DEFAULT_KERNEL})`,
    )
    .option(
      '--error-injectable <list>',
      `comma-separated functions fmod_ret may attach to (default ${DEFAULT_INJECTABLE})`,
    );
  examples(
    cmd,
    [
      'tramp64 bpf load fixtures/bpf/hashmap.bpf.o',
      'tramp64 bpf load fixtures/bpf/ringbuf.bpf.o --kernel clang-bti-pfe42 --json',
      'tramp64 bpf load fixtures/bpf/modify_return.bpf.o --error-injectable bpf_modify_return_test,bpf_fentry_test1',
    ],
    'Exit codes: 0 every program accepted, 1 one was rejected (its verifier log is printed), 2 bad input.',
  ).action((obj: string, opts: LoadOptions) => loadCommand(obj, opts));
}
