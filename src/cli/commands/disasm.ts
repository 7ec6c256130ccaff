/** `tramp64 disasm` and `tramp64 asm`: the A64 table's disassembler and assembler on files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { assemble } from '../../a64/index.js';
import { parseElf } from '../../elf/index.js';
import { objdump } from '../../elf/disasm.js';
import { Tramp64Error } from '../../util/errors.js';

export function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new Tramp64Error(
      'ENOENT',
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
}

export function register(program: Command): void {
  program
    .command('disasm')
    .description(
      'disassemble an AArch64 ELF object (.o, .ko) the way llvm-objdump -d --no-show-raw-insn does',
    )
    .argument('<file>', 'ELF file (.o, .ko, executable)')
    .option('--section <name>', 'only this section')
    .option('--func <name>', 'only this function')
    .option('-r, --reloc', 'show relocations under the instructions they patch')
    .addHelpText(
      'after',
      '\nExamples:\n  tramp64 disasm fixtures/kernel/testkernel-gcc-pfe2.o --func bpf_fentry_test1\n  tramp64 disasm crc32.ko -r',
    )
    .action((file: string, o: { section?: string; func?: string; reloc?: boolean }) => {
      const elf = parseElf(readInput(file));
      process.stdout.write(
        objdump(elf, { section: o.section, func: o.func, relocs: o.reloc, fileName: basename(file) }) + '\n',
      );
    });

  program
    .command('asm')
    .description('assemble A64 source in LLVM syntax (labels, .word/.quad/.p2align) to raw bytes')
    .argument('<file>', 'assembly source, - for standard input')
    .option('-o, --output <file>', 'write the bytes to this file (default: hex words on standard output)')
    .option('--base <address>', 'address of the first instruction (for PC-relative operands)', '0')
    .addHelpText('after', '\nExamples:\n  tramp64 asm tramp.s -o tramp.bin\n  echo "bl #8" | tramp64 asm -')
    .action((file: string, o: { output?: string; base: string }) => {
      const src = file === '-' ? readFileSync(0, 'utf8') : new TextDecoder().decode(readInput(file));
      let base: bigint;
      try {
        base = BigInt(o.base);
      } catch {
        throw new Tramp64Error('EINVAL', `--base must be a number like 0x1000, got '${o.base}'`);
      }
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
