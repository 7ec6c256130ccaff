/** `tramp64 disasm` and `tramp64 asm`: the A64 table's disassembler and assembler on files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { assemble } from '../../a64/index.js';
import { parseElf } from '../../elf/index.js';
import { objdump } from '../../elf/disasm.js';
import { badValue, examples, readBytes } from '../options.js';

/** An input file's bytes (`what` says what it should be, for the error message). */
export function readInput(path: string, what = 'the ELF file'): Uint8Array {
  return readBytes(path, what);
}

export function register(program: Command): void {
  const disasm = program
    .command('disasm')
    .summary('disassemble an ELF as llvm-objdump -d does')
    .description(
      'disassemble an AArch64 ELF object (.o, .ko) the way llvm-objdump -d --no-show-raw-insn does',
    )
    .argument('<file>', 'ELF file (.o, .ko, executable)')
    .option('--section <name>', 'only this section')
    .option('--func <name>', 'only this function')
    .option('-r, --reloc', 'show relocations under the instructions they patch');
  examples(
    disasm,
    [
      'tramp64 disasm fixtures/kernel/testkernel-gcc-pfe2.o --func bpf_fentry_test1',
      'tramp64 disasm crc32.ko -r',
    ],
    'The output is a listing for reading and diffing against llvm-objdump, not a report: no --json.\n' +
      'Exit codes: 0 printed, 2 bad input (unreadable or malformed ELF, unknown section or function).',
  ).action((file: string, o: { section?: string; func?: string; reloc?: boolean }) => {
    const elf = parseElf(readInput(file));
    process.stdout.write(
      objdump(elf, { section: o.section, func: o.func, relocs: o.reloc, fileName: basename(file) }) + '\n',
    );
  });

  const asm = program
    .command('asm')
    .summary('assemble A64 source (LLVM syntax) to bytes')
    .description('assemble A64 source in LLVM syntax (labels, .word/.quad/.p2align) to raw bytes')
    .argument('<file>', 'assembly source, - for standard input')
    .option('-o, --output <file>', 'write the bytes to this file (default: hex words on standard output)')
    .option('--base <address>', 'address of the first instruction, for PC-relative operands (default 0)');
  examples(
    asm,
    ['tramp64 asm tramp.s -o tramp.bin', 'echo "bl #8" | tramp64 asm - --base 0x1000'],
    'Exit codes: 0 assembled, 2 bad input (the message names the line and column).',
  ).action((file: string, o: { output?: string; base?: string }) => {
    const baseText = o.base ?? '0';
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(baseText) || BigInt(baseText) >= 1n << 64n)
      throw badValue('--base', 'a 64-bit address, decimal or 0x hex (e.g. 0x1000)', baseText);
    const base = BigInt(baseText);
    const src =
      file === '-'
        ? readFileSync(0, 'utf8')
        : new TextDecoder().decode(readInput(file, 'the assembly source'));
    const r = assemble(src, { address: base, name: file === '-' ? '<stdin>' : file });
    if (o.output) {
      writeFileSync(o.output, r.bytes);
      return;
    }
    const dv = new DataView(r.bytes.buffer);
    const lines: string[] = [];
    for (let i = 0; i + 4 <= r.bytes.length; i += 4) {
      lines.push(
        `${(base + BigInt(i)).toString(16).padStart(16, '0')}: ${dv.getUint32(i, true).toString(16).padStart(8, '0')}`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  });
}
