/**
 * Small modules assembled by GNU as (`aarch64-linux-gnu-as`) for the tests that load one: the assembler is
 * the oracle of the object format (relocations, `__patchable_function_entries`, `.modinfo`), so the loader
 * under test never sees bytes we wrote ourselves. Tests that need it skip with `skipIf(!haveGas)`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GAS = 'aarch64-linux-gnu-as';
export const haveGas = spawnSync(GAS, ['--version']).status === 0;

/** Assemble `src` into an ELF relocatable object (in a temporary directory, removed again). */
export function gasAssemble(src: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tramp64-gas-'));
  try {
    writeFileSync(join(dir, 'm.s'), src);
    execFileSync(GAS, [join(dir, 'm.s'), '-o', join(dir, 'm.o')]);
    return new Uint8Array(readFileSync(join(dir, 'm.o')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Source of a module `name` with one global function `func` compiled as -fpatchable-function-entry=4,2
 * would: two NOPs before the symbol, two at its entry (the '=4,2' call site), the
 * `__patchable_function_entries` record pointing at the first, then `body` (default: return x0 + 1).
 */
export function pfe42Module(
  name: string,
  func = 'mod_fn',
  body: readonly string[] = ['add x0, x0, #1', 'ret'],
): string {
  return [
    '  .text',
    '  .balign 8',
    '1: nop',
    '  nop',
    `  .globl ${func}`,
    `  .type ${func}, %function`,
    `${func}:`,
    '  nop',
    '  nop',
    ...body.map((l) => `  ${l}`),
    `  .size ${func}, .-${func}`,
    `  .section __patchable_function_entries,"awo",@progbits,${func}`,
    '  .balign 8',
    '  .xword 1b',
    '  .section .modinfo,"a"',
    `  .asciz "name=${name}"`,
    '  .asciz "license=GPL"',
    '',
  ].join('\n');
}
