/**
 * Acceptance on the JIT: clang-built programs (fixtures/bpf/bpf2bpf/{target,tracer}.bpf.c) JITed into the
 * model kernel; fentry / fmod_ret / fexit on the target program see its ctx argument and return value,
 * bpf_get_func_ip / _arg_cnt / _arg / _ret answer from the trampoline's frame, fmod_ret orders and skips,
 * 38 links attach and the 39th is E2BIG — with BTI and PAC on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jitProgram } from '../../src/bpf/jit/index.js';
import { loadBpfObject, type BpfObject, type BpfProgram } from '../../src/bpf/object/load.js';
import type { MapSet } from '../../src/bpf/maps/registry.js';
import { functionModel } from '../../src/bpf/btf/model.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { KernelError } from '../../src/util/errors.js';
import {
  attachProgToProg,
  BPF_MAX_TRAMP_LINKS,
  loadIntoKernel,
  progTarget,
  trampModel,
  trampolines,
  trampProgOf,
  type TrampKind,
  type TrampProg,
} from '../../src/trampoline/index.js';
import { newKernel } from './helpers.js';

const load = (name: string): BpfObject =>
  loadBpfObject(new Uint8Array(readFileSync(new URL(`../../fixtures/bpf/${name}`, import.meta.url))));
const TARGET = load('bpf2bpf/target.bpf.o');
const TRACER = load('bpf2bpf/tracer.bpf.o');

/** The target's ctx: one u64 slot holding `a`. */
function ctxFor(k: Kernel, a: bigint): bigint {
  const p = k.imageAlloc(16, 'data', 16).address;
  k.machine.memory.write64(p, a, 0);
  return p;
}

describe('fentry / fexit / fmod_ret on a JITed BPF program', () => {
  it('the target JITs and runs: a*3+1', () => {
    const k = newKernel();
    const img = jitProgram(k, TARGET.programs[0]!.insns, { name: 'target_prog' });
    expect(k.machine.call(img.address, [ctxFor(k, 5n)])).toBe(16n);
  });

  it('fentry and fexit see the ctx argument, the return value, func ip, arg count, arg and ret helpers', () => {
    const k = newKernel({ machine: { bti: true, pac: true } });
    const r = attachProgToProg(k, TARGET, 'target_prog', {
      ...TRACER,
      programs: TRACER.programs.filter((p) => p.attachType !== 'fmod_ret'),
    });
    const g = (n: string) => k.machine.memory.read64(r.tracers.global(n));
    const ctx = ctxFor(k, 7n);
    expect(r.trampoline.image!.flags & 0b1111).toBe(0b1110); // CALL_ORIG | SKIP_FRAME | IP_ARG
    expect(k.machine.call(r.target.image.address, [ctx])).toBe(22n);
    expect(g('fentry_arg')).toBe(ctx);
    expect(g('fentry_ip')).toBe(r.target.image.address);
    expect(g('fentry_cnt')).toBe(1n);
    expect(g('fexit_arg')).toBe(ctx);
    expect(g('fexit_ret')).toBe(22n);
    expect(g('fexit_ret_helper')).toBe(22n);
    expect(g('fexit_arg_helper')).toBe(ctx);
    expect(g('fexit_ip')).toBe(r.target.image.address);
    expect([g('fentry_seq'), g('fexit_seq')]).toEqual([1n, 2n]);
    expect(k.machine.icache.reports).toEqual([]);
  });

  it('fmod_ret: EINVAL on a BPF program unless declared error-injectable; then ordering and skipping hold', () => {
    const k0 = newKernel();
    const r0 = attachProgToProg(k0, TARGET, 'target_prog', TRACER);
    expect(r0.skipped.map((p) => p.name)).toEqual(['on_modify']);
    const mod = loadIntoKernel(newKernel(), TRACER, ['on_modify']).programs[0]!;
    expect(() => r0.trampoline.link({ prog: mod.tramp, kind: 'fmod_ret', cookie: 0n })).toThrow(
      /EINVAL: fmod_ret on bpf_prog_/,
    );
    const k = newKernel();
    const r = attachProgToProg(k, TARGET, 'target_prog', TRACER, { allowFmodRet: true });
    const mem = k.machine.memory;
    const g = (n: string) => mem.read64(r.tracers.global(n));
    expect(k.machine.call(r.target.image.address, [ctxFor(k, 2n)])).toBe(7n);
    expect([g('fentry_seq'), g('fmod_ret_seq'), g('fexit_seq')]).toEqual([1n, 2n, 3n]);
    expect(g('fmod_ret_seen')).toBe(0n);
    expect(g('fexit_ret')).toBe(7n);
    // fmod_ret returns -EINVAL: the target is skipped, the caller and fexit see -EINVAL.
    mem.write64(r.tracers.global('fmod_ret_value'), BigInt.asUintN(64, -22n), 0);
    const ret = k.machine.call(r.target.image.address, [ctxFor(k, 2n)]);
    expect(BigInt.asIntN(32, ret)).toBe(-22n);
    expect(BigInt.asIntN(32, g('fexit_ret'))).toBe(-22n);
    expect([g('fentry_seq'), g('fmod_ret_seq'), g('fexit_seq')]).toEqual([4n, 5n, 6n]);
  });

  it('38 JITed programs attach, the 39th is E2BIG, and all 38 run', () => {
    const k = newKernel();
    const tp = TARGET.programs[0]!;
    const timg = jitProgram(k, tp.insns, { name: tp.name });
    const target = progTarget({
      kernel: k,
      image: timg,
      model: trampModel(functionModel(TARGET.btf!, 'target_prog')),
      progId: 1,
      btfId: 1,
      errorInjectable: true,
    });
    const tr = trampolines(k).get(target);
    const loaded = loadIntoKernel(k, TRACER);
    const byKind = (kind: TrampKind) => loaded.programs.find((p) => p.prog.attachType === kind)!;
    const kinds: TrampKind[] = ['fentry', 'fmod_ret', 'fexit'];
    // Fresh JIT images of the same three programs, as trampoline_count attaches them.
    const copies = Array.from({ length: BPF_MAX_TRAMP_LINKS + 1 }, (_, i) => {
      const src = byKind(kinds[i % 3]!);
      const again = loadIntoKernelCopy(k, src.prog, loaded.maps.resolveLdImm64);
      return { kind: kinds[i % 3]!, prog: again };
    });
    for (const c of copies.slice(0, BPF_MAX_TRAMP_LINKS)) tr.link({ prog: c.prog, kind: c.kind, cookie: 0n });
    const last = copies[BPF_MAX_TRAMP_LINKS]!;
    let err: unknown;
    try {
      tr.link({ prog: last.prog, kind: last.kind, cookie: 0n });
    } catch (e) {
      err = e;
    }
    expect((err as KernelError).errno).toBe('E2BIG');
    expect(k.machine.call(timg.address, [ctxFor(k, 1n)])).toBe(4n);
    const g = (n: string) => k.machine.memory.read64(loaded.global(n));
    // 13 fentry, 13 fmod_ret and 12 fexit programs ran, each bumping the shared sequence number once.
    expect(g('seq')).toBe(38n);
    expect(g('fentry_hits')).toBe(13n);
  });
});

/** JIT another copy of `prog` (a new struct bpf_prog), sharing the already-mapped globals. */
function loadIntoKernelCopy(
  k: Kernel,
  prog: BpfProgram,
  resolveLdImm64: MapSet['resolveLdImm64'],
): TrampProg {
  const image = jitProgram(k, prog.insns, { name: prog.name, attachType: prog.attachType, resolveLdImm64 });
  return trampProgOf(k, image, prog);
}
