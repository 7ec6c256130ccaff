/**
 * Real BPF programs on trampolines: a loaded, JITed program as a `TrampProg` (its struct bpf_prog in kernel
 * memory), a BTF function model as the generator's `TrampFuncModel`, and `attachProgToProg` — fentry/fexit
 * (and fmod_ret) programs of one object attached to a program of another (the fexit_bpf2bpf shape), which
 * `tramp64 bpf attach-prog` runs.
 */
import type { FuncModel } from '../bpf/btf/model.js';
import { functionModel } from '../bpf/btf/model.js';
import { jitProgram, type JitImage } from '../bpf/jit/index.js';
import { ArrayMap } from '../bpf/maps/map.js';
import type { MapSet } from '../bpf/maps/registry.js';
import { mapRegions } from '../bpf/jit/runtime.js';
import type { BpfObject, BpfProgram } from '../bpf/object/load.js';
import { createObjectMaps } from '../bpf/object/run.js';
import type { BpfInsn } from '../bpf/isa/insn.js';
import type { Kernel } from '../kernel/kernel.js';
import { KernelError } from '../util/errors.js';
import { progTarget, trampolines, type BpfTrampoline } from './core.js';
import type { TrampFuncModel, TrampLink } from './generator.js';
import type { PokeRecord } from './poke.js';
import { allocBpfProg, BPF_PROG, trampRuntime, type TrampProg } from './runtime.js';

/** BPF_FUNC_get_func_ip. */
const BPF_FUNC_GET_FUNC_IP = 173;
const BPF_CALL = 0x85;

/** Whether a program calls bpf_get_func_ip (the trampoline then sets IP_ARG). */
export function callsGetFuncIp(insns: readonly BpfInsn[]): boolean {
  return insns.some((i) => i.opcode === BPF_CALL && i.src === 0 && i.imm === BPF_FUNC_GET_FUNC_IP);
}

/** The generator's view of a BTF function model (sizes of unresolved types taken as 8, flagged unsupported). */
export function trampModel(m: FuncModel): TrampFuncModel {
  const unsupported = [...m.unsupported];
  for (const a of m.args) if (a.unresolved) unsupported.push(`argument ${a.name}: ${a.unresolved}`);
  return {
    name: m.name,
    argSizes: m.args.map((a) => a.size ?? 8),
    returnSize: m.returnSize ?? 8,
    unsupported,
  };
}

/** A JITed program as the trampoline sees it (a new struct bpf_prog). */
export function trampProgOf(kernel: Kernel, image: JitImage, prog: BpfProgram): TrampProg {
  return {
    name: prog.name,
    bpfFunc: image.address,
    progStruct: allocBpfProg(trampRuntime(kernel), image.address),
    usesFuncIp: callsGetFuncIp(prog.insns),
  };
}

/** A program of a loaded object, JITed into `kernel`, with its maps mapped at their addresses. */
export interface LoadedProgram {
  readonly prog: BpfProgram;
  readonly image: JitImage;
  readonly tramp: TrampProg;
}

export interface LoadedObject {
  readonly obj: BpfObject;
  readonly maps: MapSet;
  readonly programs: LoadedProgram[];
  /** Address of a global variable (in its section's array map). */
  global(name: string): bigint;
}

/**
 * JIT every program of `obj` (or those named) into `kernel`, with the object's maps and globals mapped into
 * emulated memory for as long as the kernel lives. Only one object per kernel may have maps (they share the
 * interpreter's fixed map addresses).
 */
export function loadIntoKernel(kernel: Kernel, obj: BpfObject, names?: readonly string[]): LoadedObject {
  const maps = createObjectMaps(obj);
  mapRegions(kernel, maps.regions());
  const programs = obj.programs
    .filter((p) => names === undefined || names.includes(p.name))
    .map((prog) => {
      const image = jitProgram(kernel, prog.insns, {
        name: prog.name,
        attachType: prog.attachType,
        resolveLdImm64: maps.resolveLdImm64,
      });
      return { prog, image, tramp: trampProgOf(kernel, image, prog) };
    });
  return {
    obj,
    maps,
    programs,
    global(name) {
      const g = obj.globals.find((x) => x.name === name);
      if (!g) throw new KernelError('ENOENT', `the object has no global ${name}`);
      const m = maps.byFd(g.fd);
      if (!(m instanceof ArrayMap)) throw new KernelError('EINVAL', `global ${name} is not in an array map`);
      return m.valuesBase + BigInt(g.offset);
    },
  };
}

export interface AttachProgResult {
  readonly trampoline: BpfTrampoline;
  readonly target: LoadedProgram;
  readonly tracers: LoadedObject;
  readonly links: TrampLink[];
  readonly pokes: readonly PokeRecord[];
  /** fmod_ret programs left out because the target was not declared error-injectable. */
  readonly skipped: readonly BpfProgram[];
}

/**
 * Attach every fentry/fexit (and, with `allowFmodRet`, fmod_ret) program of `tracerObj` whose section names
 * `targetName` to program `targetName` of `targetObj` (which must use no maps). The target's function model
 * comes from its BTF. All or nothing: if one link fails, the ones made are detached again. fmod_ret is
 * refused on BPF programs by the kernel (not error-injectable); `allowFmodRet` declares the target
 * error-injectable, a model liberty to exercise fmod_ret on the v6.0 shape.
 */
export function attachProgToProg(
  kernel: Kernel,
  targetObj: BpfObject,
  targetName: string,
  tracerObj: BpfObject,
  opts: { allowFmodRet?: boolean } = {},
): AttachProgResult {
  const tp = targetObj.programs.find((p) => p.name === targetName);
  if (!tp)
    throw new KernelError(
      'ENOENT',
      `the target object has no program ${targetName}; it has ${targetObj.programs.map((p) => p.name).join(', ') || 'none'}`,
    );
  if (!targetObj.btf)
    throw new KernelError('EINVAL', `the target object has no .BTF; build it with clang -g`);
  const named = tracerObj.programs.filter((p) => p.target === targetName);
  // fmod_ret needs an error-injectable target; without allowFmodRet those programs are left out and reported.
  const skipped = opts.allowFmodRet === true ? [] : named.filter((p) => p.attachType === 'fmod_ret');
  const tracing = named.filter((p) => !skipped.includes(p));
  if (tracing.length === 0)
    throw new KernelError(
      'ENOENT',
      `no program of the tracer object is attached to ${targetName} (sections: ${tracerObj.programs.map((p) => p.section).join(', ')})`,
    );
  const model = trampModel(functionModel(targetObj.btf, targetName));
  const timage = jitProgram(kernel, tp.insns, { name: tp.name, attachType: tp.attachType });
  const target: LoadedProgram = { prog: tp, image: timage, tramp: trampProgOf(kernel, timage, tp) };
  const tracers = loadIntoKernel(
    kernel,
    tracerObj,
    tracing.map((p) => p.name),
  );
  const fentryTarget = progTarget({
    kernel,
    image: timage,
    model,
    progId: Number(kernel.machine.memory.read32(target.tramp.progStruct + BigInt(BPF_PROG.ID))),
    btfId: functionModel(targetObj.btf, targetName).id,
    errorInjectable: opts.allowFmodRet ?? false,
  });
  const tr = trampolines(kernel).get(fentryTarget);
  const links: TrampLink[] = [];
  try {
    for (const lp of tracers.programs) {
      const link: TrampLink = { prog: lp.tramp, kind: lp.prog.attachType, cookie: 0n };
      tr.link(link);
      links.push(link);
    }
  } catch (e) {
    // All or nothing: detach what this call attached.
    for (const l of links.reverse()) tr.unlink(l);
    throw e;
  }
  return { trampoline: tr, target, tracers, links, pokes: tr.pokes, skipped };
}
