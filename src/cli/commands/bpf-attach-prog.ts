/**
 * `tramp64 bpf attach-prog OBJ --target-obj OBJ2 --target-prog NAME [--layout nokaslr|kaslr] [--seed N]
 *  [--fmod-ret] [--run A] [--listing] [--json]`: JIT program NAME of OBJ2 into a model kernel, JIT the programs of OBJ
 * whose sections name it (fentry/NAME, fexit/NAME, fmod_ret/NAME), attach them through one BPF trampoline
 * (the fexit_bpf2bpf shape, bpf_arch_text_poke at the target's entry), and print what was patched where:
 * the poke site and its old and new instruction, the PLT target when the trampoline is out of BL reach, and
 * the trampoline image. `--run A` then calls the target once with a ctx whose first slot is A and prints
 * the result. Exit 0 on success, 2 on bad input (unknown program, unreadable object, attach refused).
 */
import type { Command } from 'commander';
import { disassemble } from '../../a64/index.js';
import { loadBpfObject } from '../../bpf/index.js';
import { Kernel } from '../../kernel/index.js';
import { attachProgToProg, trampFlagNames, trampListing } from '../../trampoline/index.js';
import {
  examples,
  layoutOption,
  parseInt64,
  parseLayout,
  parseSeed,
  readBytes,
  seedOption,
} from '../options.js';

interface AttachOptions {
  targetObj: string;
  targetProg: string;
  layout?: string;
  seed?: string;
  fmodRet?: boolean;
  run?: string;
  json?: boolean;
  listing?: boolean;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

function attachProgCommand(file: string, opts: AttachOptions): void {
  const layout = parseLayout(opts.layout, 'nokaslr');
  const seed = parseSeed(opts.seed);
  const runArg = opts.run === undefined ? undefined : parseInt64('--run', opts.run);
  const tracerObj = loadBpfObject(readBytes(file, 'the tracing object'), { allowUnsupported: true });
  const targetObj = loadBpfObject(readBytes(opts.targetObj, 'the target object'), { allowUnsupported: true });
  const kernel = new Kernel({ layout: { kind: layout, seed } });
  const r = attachProgToProg(kernel, targetObj, opts.targetProg, tracerObj, {
    allowFmodRet: opts.fmodRet === true,
  });
  const ks = kernel.kallsyms;
  const img = r.trampoline.image!;
  const pokes = r.pokes.map((p) => ({
    site: p.site,
    ip: hex(p.ip),
    symbol: ks.format(p.ip),
    old: disassemble(p.oldWord, { address: p.ip })?.replace(/\t/g, ' '),
    new: disassemble(p.newWord, { address: p.ip })?.replace(/\t/g, ' '),
    pltTarget: p.pltTarget === undefined ? undefined : hex(p.pltTarget),
    pltTargetSymbol: p.pltTarget === undefined ? undefined : ks.format(p.pltTarget),
  }));
  let ret: bigint | undefined;
  if (runArg !== undefined) {
    const ctx = kernel.imageAlloc(16, 'data', 16).address;
    kernel.machine.memory.write64(ctx, BigInt.asUintN(64, runArg), 0);
    ret = kernel.machine.call(r.target.image.address, [ctx]);
  }
  if (opts.json === true) {
    const out = {
      layout,
      seed,
      target: {
        name: r.target.image.name,
        address: hex(r.target.image.address),
        pokeSite: hex(r.target.image.pokeSite),
      },
      trampoline: {
        name: r.trampoline.name,
        address: hex(img.address),
        size: img.size,
        flags: trampFlagNames(img.flags),
      },
      links: r.links.map((l) => ({ prog: l.prog.name, kind: l.kind, address: hex(l.prog.bpfFunc) })),
      pokes,
      skipped: r.skipped.map((s) => ({ prog: s.name, section: s.section })),
      ...(ret !== undefined ? { run: { arg: String(runArg), ret: String(BigInt.asIntN(64, ret)) } } : {}),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const w = (s: string): void => void process.stdout.write(s + '\n');
  w(`kernel: ${layout} (seed ${seed})`);
  w(
    `target: ${r.target.image.name} at ${hex(r.target.image.address)}, poke site ${hex(r.target.image.pokeSite)}`,
  );
  w(
    `trampoline: ${r.trampoline.name} at ${hex(img.address)}, ${img.size} bytes, flags ${trampFlagNames(img.flags).join('|')}`,
  );
  w('links:');
  for (const l of r.links) w(`  ${l.kind.padEnd(8)} ${l.prog.name} (${ks.format(l.prog.bpfFunc)})`);
  for (const s of r.skipped)
    w(
      `  skipped  ${s.name} (${s.section}): the target is not error-injectable; --fmod-ret treats it as if it were`,
    );
  w('patched:');
  for (const p of pokes) {
    if (p.pltTarget !== undefined)
      w(`  ${p.ip} PLT target := ${p.pltTarget} <${p.pltTargetSymbol}> (written first)`);
    w(`  ${p.ip} <${p.symbol}>: ${p.old} -> ${p.new}`);
  }
  if (opts.listing === true) process.stdout.write(trampListing(kernel, img));
  if (ret !== undefined) w(`run: ${opts.targetProg}(ctx[0] = ${runArg}) = ${BigInt.asIntN(32, ret)}`);
}

export function register(program: Command): void {
  let bpf = program.commands.find((c) => c.name() === 'bpf');
  if (bpf === undefined) bpf = program.command('bpf').description('eBPF programs');
  const cmd = bpf
    .command('attach-prog')
    .summary('attach programs to another BPF program')
    .description(
      'attach the fentry/fexit programs of OBJ to a program of another object through a BPF trampoline; print what was patched where',
    )
    .argument('<obj>', 'the tracing object (sections fentry/NAME, fexit/NAME, fmod_ret/NAME)')
    .requiredOption('--target-obj <file>', 'the object holding the target program')
    .requiredOption('--target-prog <name>', 'the target program');
  layoutOption(cmd, 'nokaslr');
  seedOption(cmd, 'the layout (KASLR offset, vmalloc use)');
  cmd
    .option('--fmod-ret', 'treat the target as error-injectable so fmod_ret programs may attach')
    .option('--run <a>', 'call the target once with ctx[0] = a and print its return value')
    .option('--listing', 'print the trampoline image as an annotated A64 listing')
    .option('--json', 'machine-readable output');
  examples(
    cmd,
    [
      'tramp64 bpf attach-prog fixtures/bpf/bpf2bpf/tracer.bpf.o --target-obj fixtures/bpf/bpf2bpf/target.bpf.o \\',
      '    --target-prog target_prog --run 5 --listing',
      'tramp64 bpf attach-prog TRACER.o --target-obj TARGET.o --target-prog NAME --layout kaslr --seed 2 --json',
    ],
    'Exit codes: 0 attached (and ran), 2 bad input (unknown program, unreadable object, attach refused).',
  ).action((obj: string, opts: AttachOptions) => attachProgCommand(obj, opts));
}
