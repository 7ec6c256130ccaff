/**
 * The object file as the oracle of call structure, for the unwinding tests: where a caller's `bl` to a
 * callee returns to, read from the caller's R_AARCH64_CALL26 relocation against the callee (the compiler's
 * own record, independent of the linker, the loader, ftrace and the unwinder under test), and the caller's
 * ELF symbol size (the `/0xsize` of `%pS`).
 */
import { readFileSync } from 'node:fs';
import * as C from '../../src/elf/constants.js';
import { parseElf, type ElfSymbol } from '../../src/elf/index.js';
import { testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';

/** One call found in the object: the return offset in the caller and the caller's size. */
export interface ObjectCall {
  /** Offset in `caller` of the return address of the call (the relocation's offset + 4). */
  readonly ret: bigint;
  /** The caller's ELF symbol size. */
  readonly size: bigint;
}

/** `caller`'s CALL26 call to `callee` in the ELF object `bytes`, or undefined when the build has none. */
export function findCall(bytes: Uint8Array, caller: string, callee: string): ObjectCall | undefined {
  const elf = parseElf(bytes);
  const syms: readonly ElfSymbol[] = elf.symbolsOf(elf.symtab!);
  const f = syms.find((s) => s.name === caller && s.type === C.STT_FUNC);
  if (!f) throw new Error(`the object has no function ${caller}`);
  const r = elf
    .relocationsFor(elf.sections[f.shndx]!)
    .find(
      (r) =>
        r.typeName === 'R_AARCH64_CALL26' &&
        syms[r.sym]!.name === callee &&
        r.offset >= f.value &&
        r.offset < f.value + f.size,
    );
  return r && { ret: r.offset + 4n - f.value, size: f.size };
}

/** Like findCall, for a call the test relies on: its absence is a broken fixture, not a result. */
export function callOracle(bytes: Uint8Array, caller: string, callee: string): ObjectCall {
  const c = findCall(bytes, caller, callee);
  if (!c) throw new Error(`${caller} does not call ${callee}`);
  return c;
}

const fixtures = new Map<TestKernelVariant, Uint8Array>();
function fixture(variant: TestKernelVariant): Uint8Array {
  let b = fixtures.get(variant);
  if (!b) fixtures.set(variant, (b = new Uint8Array(readFileSync(testKernelFixture(variant)))));
  return b;
}

/** In the test-kernel build `variant`: the offset in `caller` its call to `callee` returns to. */
export function returnOffset(variant: TestKernelVariant, caller: string, callee: string): bigint {
  return callOracle(fixture(variant), caller, callee).ret;
}

/** Whether `caller` calls `callee` in the test-kernel build `variant` (compilers fold some calls away). */
export function hasCall(variant: TestKernelVariant, caller: string, callee: string): boolean {
  return findCall(fixture(variant), caller, callee) !== undefined;
}
