/**
 * Verifying a loaded object's program: the attach target's argument count comes from the kernel's BTF
 * function models, the maps from the object, the source lines from its .BTF.ext.
 */
import type { FuncModel } from '../btf/model.js';
import type { BpfObject, BpfProgram } from '../object/load.js';
import { verify, type VerifyOptions, type VerifyResult } from './verify.js';

export interface KernelInfo {
  /** The function model of a kernel function, or undefined when the kernel has no such function. */
  funcModel(name: string): FuncModel | undefined;
  /** Functions marked ALLOW_ERROR_INJECTION (fmod_ret and sleepable targets). */
  errorInjectable: readonly string[];
}

export function verifyProgram(
  obj: BpfObject,
  prog: BpfProgram,
  kernel: KernelInfo,
  extra: Partial<VerifyOptions> = {},
): VerifyResult {
  const model = kernel.funcModel(prog.target);
  return verify(prog.insns, {
    attachType: prog.attachType,
    target: model ? { name: prog.target, nargs: model.args.length } : undefined,
    sleepable: prog.sleepable,
    maps: obj.maps.map((m) => ({ def: m.def, readonly: m.readonly })),
    errorInjectable: kernel.errorInjectable,
    lines: prog.lines,
    ...extra,
  });
}
