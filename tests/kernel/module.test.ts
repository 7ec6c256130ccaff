/**
 * The module loader on small modules assembled here with `aarch64-linux-gnu-as`: placement in the module
 * windows, permissions (W^X), symbol resolution to image stubs, PLT veneers used exactly when a branch is
 * out of ±128 MiB, the ftrace PLT, call sites and ftrace_init_nop, and failures that leave nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { RelocationError } from '../../src/elf/reloc/aarch64.js';
import { ftraceInitNop, MOV_X9_LR, NOP } from '../../src/kernel/callsites.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import {
  loadModule,
  markLive,
  moduleSpace,
  retargetFtracePlt,
  unloadModule,
  type Module,
} from '../../src/kernel/module.js';
import { pltEntryTarget } from '../../src/kernel/plt.js';
import { kernelStubs, MissingKernelFunction } from '../../src/kernel/runtime/index.js';
import { PERM_GP, PERM_R, PERM_W, PERM_X } from '../../src/machine/index.js';
import { KernelError } from '../../src/util/errors.js';
import { gasAssemble, haveGas } from '../helpers/gas.js';

/**
 * A module shaped like the corpus's: two traceable functions with `=2` call sites (or `=4,2`), calls into
 * the kernel, a local call, data and rodata, and `.modinfo` with its name.
 */
function moduleSource(name: string, layout: '=2' | '=4,2' = '=2', extra = ''): string {
  const pre = layout === '=4,2' ? '  .balign 8\n1: nop\n  nop\n' : '';
  const rec = (fn: string): string =>
    `  .section __patchable_function_entries,"awo",@progbits,${fn}\n  .balign 8\n  .xword ${layout === '=4,2' ? '1b' : fn}\n  .text\n`;
  return `
  .text
${pre}  .globl add_one
  .type add_one, %function
add_one:
  nop
  nop
  add x0, x0, #1
  ret
  .size add_one, .-add_one
${rec('add_one')}
${pre}  .globl call_kernel
  .type call_kernel, %function
call_kernel:
  nop
  nop
  b kernel_fn_a
  .size call_kernel, .-call_kernel
${rec('call_kernel')}
  .globl many_calls
  .type many_calls, %function
many_calls:
  bl kernel_fn_a
  bl kernel_fn_b
  bl kernel_fn_a
  bl add_one
  adrp x0, table
  add x0, x0, :lo12:table
  ret
  .size many_calls, .-many_calls
${extra}
  .section .rodata
  .balign 8
table: .xword add_one, kernel_fn_b
  .data
  .balign 8
counter: .word kernel_fn_b - .
  .section .modinfo,"a"
  .asciz "name=${name}"
  .asciz "license=GPL"
`;
}

function kernel(
  opts: { kind?: 'kaslr' | 'nokaslr'; seed?: number; full?: boolean; bti?: boolean } = {},
): Kernel {
  return new Kernel({
    layout: {
      kind: opts.kind ?? 'nokaslr',
      seed: opts.seed ?? 1,
      randomizeModuleRegionFull: opts.full ?? false,
    },
    machine: { bti: opts.bti ?? true },
  });
}

/** Where each `bl`/`b` at `at` finally lands: directly, or through the PLT veneer it branches to. */
function branchTarget(k: Kernel, at: bigint): { direct: boolean; target: bigint } {
  const w = k.machine.memory.read32(at);
  const to = at + BigInt.asIntN(28, BigInt(w & 0x3ffffff) << 2n);
  if (!k.machine.memory.isMapped(to)) return { direct: true, target: to };
  const words = [0, 4, 8].map((o) => k.machine.memory.read32(to + BigInt(o)));
  const viaPlt = pltEntryTarget(to, words);
  return viaPlt === undefined ? { direct: true, target: to } : { direct: false, target: viaPlt };
}

describe.skipIf(!haveGas)('module loader', () => {
  it('places regions lowest-fit in the 128 MiB window with W^X permissions and publishes symbols', () => {
    const k = kernel();
    const m = loadModule(k, gasAssemble(moduleSource('demo')));
    expect(m.name).toBe('demo');
    expect(m.state).toBe('live');
    const w = k.layout.moduleDirect!;
    const text = m.region('text')!;
    expect(text.address).toBe(w.base); // lowest fit
    for (const r of m.regions) {
      expect(r.address >= w.base && r.address + BigInt(r.size) <= w.base + w.size).toBe(true);
      const perms = k.machine.memory.permsAt(r.address)!;
      expect(perms & PERM_W && perms & PERM_X).toBeFalsy();
    }
    expect(k.machine.memory.permsAt(text.address)).toBe(PERM_R | PERM_X | PERM_GP);
    expect(k.machine.memory.permsAt(m.region('rodata')!.address)).toBe(PERM_R);
    expect(k.machine.memory.permsAt(m.region('data')!.address)).toBe(PERM_R | PERM_W);
    expect(k.kallsyms.format(m.symbol('add_one')! + 8n)).toBe('add_one+0x8/0x10 [demo]');
    // Undefined kernel symbols resolve to stubs inside the image.
    const stub = k.kallsyms.lookupName('kernel_fn_a')!;
    expect(stub.module).toBeUndefined();
    expect(stub.address >= k.layout.imageStart && stub.address < k.layout.imageEnd).toBe(true);
    expect(m.resolution).toEqual({ kernel: 0, modules: 0, stubs: 2, weakZero: 0 });
    // Data relocations: the rodata table holds the addresses, the PREL32 the offset.
    expect(k.machine.memory.read64(m.region('rodata')!.address)).toBe(m.symbol('add_one'));
    expect(k.machine.memory.read64(m.region('rodata')!.address + 8n)).toBe(
      k.kallsyms.lookupName('kernel_fn_b')!.address,
    );
    const d = m.region('data')!.address;
    expect(BigInt.asIntN(32, BigInt(k.machine.memory.read32(d)))).toBe(
      k.kallsyms.lookupName('kernel_fn_b')!.address - d,
    );
  });

  it('runs module code that does not call the kernel; a call into a stub raises MissingKernelFunction unless modelled', () => {
    const k = kernel();
    const m = loadModule(k, gasAssemble(moduleSource('run')));
    expect(k.machine.call(m.symbol('add_one')!, [41n])).toBe(42n);
    let err: unknown;
    try {
      k.machine.call(m.symbol('call_kernel')!, []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingKernelFunction);
    expect((err as MissingKernelFunction).symbol).toBe('kernel_fn_a');
    expect((err as Error).message).toMatch(/kernel function kernel_fn_a is not modelled/);
    kernelStubs(k).model('kernel_fn_a', (cpu) => cpu.setX(0, 7n));
    expect(k.machine.call(m.symbol('call_kernel')!, [])).toBe(7n);
  });

  it('needs no PLT in the 128 MiB window, for every seed and both layouts', () => {
    for (const kind of ['kaslr', 'nokaslr'] as const) {
      for (let seed = 1; seed <= 10; seed++) {
        const k = kernel({ kind, seed });
        const m = loadModule(k, gasAssemble(moduleSource(`w${seed}`)));
        expect(m.pltsUsed).toBe(0);
        expect(m.plts.capacity).toBe(2); // kernel_fn_a (b and bl count once), kernel_fn_b; add_one is in the same section
      }
    }
  });

  it('with RANDOMIZE_MODULE_REGION_FULL, module→image calls need PLTs for some seeds, exactly when out of reach', () => {
    let withPlts = 0;
    const seeds = 20;
    for (let seed = 1; seed <= seeds; seed++) {
      const k = kernel({ kind: 'kaslr', seed, full: true });
      const m = loadModule(k, gasAssemble(moduleSource(`f${seed}`)));
      expect(k.layout.moduleDirect).toBeUndefined();
      const mc = m.symbol('many_calls')!;
      let needed = new Set<bigint>();
      for (const off of [0n, 4n, 8n, 12n]) {
        const { direct, target } = branchTarget(k, mc + off);
        const name = ['kernel_fn_a', 'kernel_fn_b', 'kernel_fn_a', 'add_one'][Number(off / 4n)]!;
        const want = name === 'add_one' ? m.symbol('add_one')! : k.kallsyms.lookupName(name)!.address;
        expect(target).toBe(want);
        expect(direct).toBe(reachableByBl(mc + off, want)); // a veneer exactly when out of reach
        if (!direct) needed.add(want);
      }
      const tail = branchTarget(k, m.symbol('call_kernel')! + 8n);
      expect(tail.direct).toBe(reachableByBl(m.symbol('call_kernel')! + 8n, tail.target));
      if (!tail.direct) needed.add(tail.target);
      expect(m.pltsUsed).toBe(needed.size); // one veneer per distinct target
      if (m.pltsUsed > 0) withPlts++;
      needed = new Set();
    }
    console.log(`RANDOMIZE_MODULE_REGION_FULL: ${withPlts}/${seeds} seeds needed module PLTs`);
    expect(withPlts).toBeGreaterThan(0);
  });

  it('uses a PLT exactly at the BL reach boundary: target at +128 MiB − 4 direct, at +128 MiB through a veneer', () => {
    // Learn where the module lands (lowest fit is deterministic), then put kernel symbols at the edges.
    const probe = kernel({ full: true });
    const p = loadModule(probe, gasAssemble(moduleSource('edge')));
    const bl0 = p.symbol('many_calls')!;
    for (const [delta, plt] of [
      [128n * 1024n * 1024n - 4n, false],
      [128n * 1024n * 1024n, true],
      [-128n * 1024n * 1024n, false],
      [-128n * 1024n * 1024n - 4n, true],
    ] as const) {
      const k = kernel({ full: true });
      k.kallsyms.add({ name: 'kernel_fn_a', address: bl0 + delta, size: 4n, type: 'T' });
      const m = loadModule(k, gasAssemble(moduleSource('edge')));
      expect(m.symbol('many_calls')).toBe(bl0);
      const t = branchTarget(k, bl0);
      expect(t.target).toBe(bl0 + delta);
      expect(t.direct).toBe(!plt);
    }
  });

  it('gives each module an ftrace PLT to ftrace_caller and retargets it through the patcher', () => {
    const k = kernel();
    const m = loadModule(k, gasAssemble(moduleSource('ft')));
    expect(m.ftracePlts).toHaveLength(1);
    const p = m.ftracePlts[0]!;
    const stub = k.kallsyms.lookupName('ftrace_caller')!.address;
    const words = () => [0, 4, 8].map((o) => k.machine.memory.read32(p.address + BigInt(o)));
    expect(pltEntryTarget(p.address, words())).toBe(stub);
    const real = k.layout.imageStart + 0x10000n;
    retargetFtracePlt(k, m, real);
    expect(pltEntryTarget(p.address, words())).toBe(real);
    expect(k.patcher.stats.words).toBeGreaterThan(0);
    // A kernel that has ftrace_caller gets veneers to it from the start.
    const k2 = kernel();
    k2.kallsyms.add({ name: 'ftrace_caller', address: real, size: 64n, type: 'T' });
    const m2 = loadModule(k2, gasAssemble(moduleSource('ft2')));
    expect(m2.ftracePlts[0]!.target).toBe(real);
  });

  for (const layout of ['=2', '=4,2'] as const) {
    it(`finds ${layout} call sites and ftrace_init_nop writes mov x9, x30 on each`, () => {
      const k = kernel();
      const m = loadModule(k, gasAssemble(moduleSource(`cs${layout.length}`, layout)));
      expect(m.callSites.map((c) => [c.func.name, c.layout])).toEqual([
        ['add_one', layout],
        ['call_kernel', layout],
      ]);
      for (const c of m.callSites) {
        expect(c.ip).toBe(c.func.address + 4n);
        if (layout === '=4,2') expect(c.literal).toBe(c.func.address - 8n);
        expect(k.machine.memory.read32(c.ip - 4n)).toBe(NOP);
        ftraceInitNop(k, c, { ops: 0x1234_5678n * 8n });
        expect(k.machine.memory.read32(c.ip - 4n)).toBe(MOV_X9_LR);
        expect(k.machine.memory.read32(c.ip)).toBe(NOP);
        if (layout === '=4,2') expect(k.machine.memory.read64(c.literal!)).toBe(0x1234_5678n * 8n);
        // Done once: a second init finds mov x9, x30, not a NOP, and writes nothing.
        expect(() => ftraceInitNop(k, c)).toThrow(
          /EINVAL: text at 0x[0-9a-f]+ is 0xaa1e03e9, expected 0xd503201f; nothing written/,
        );
      }
    });

    it(`runs a ${layout} function after ftrace_init_nop (mov x9, x30 is harmless)`, () => {
      const k = kernel();
      const m = loadModule(k, gasAssemble(moduleSource(`run${layout.length}`, layout)));
      for (const c of m.callSites) ftraceInitNop(k, c);
      expect(k.machine.call(m.symbol('add_one')!, [1n])).toBe(2n);
    });
  }

  it('refuses a call site that is not on a NOP pair at a function entry', () => {
    const bad = moduleSource('badsite').replace(
      'add_one:\n  nop\n  nop\n  add x0',
      'add_one:\n  nop\n  mov x1, x0\n  add x0',
    );
    const k = kernel();
    expect(() => loadModule(k, gasAssemble(bad))).toThrow(
      /ENOEXEC: badsite: call site 0x[0-9a-f]+ from __patchable_function_entries is not on a pair of NOPs/,
    );
  });

  it('refuses an unsupported relocation by name and leaves nothing mapped or reserved', () => {
    const k = kernel();
    const src = moduleSource('got', '=2', '  .text\ngot_user:\n  adrp x0, :got:kernel_fn_b\n  ret\n');
    let err: unknown;
    try {
      loadModule(k, gasAssemble(src));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RelocationError);
    expect((err as Error).message).toMatch(
      /^unsupported relocation R_AARCH64_ADR_GOT_PAGE at got \.text\+0x[0-9a-f]+ against kernel_fn_b/,
    );
    expect(k.machine.memory.isMapped(k.layout.moduleDirect!.base)).toBe(false);
    expect(moduleSpace(k).modules.size).toBe(0);
    expect(k.kallsyms.all().some((s) => s.module === 'got')).toBe(false);
    // The window is free again: the next module gets its lowest address.
    expect(loadModule(k, gasAssemble(moduleSource('after'))).region('text')!.address).toBe(
      k.layout.moduleDirect!.base,
    );
  });

  it('refuses a second module of the same name, resolves exports between modules, and unloads', () => {
    const k = kernel();
    const a = loadModule(
      k,
      gasAssemble(
        moduleSource('prov') + '\n  .section __ksymtab_strings,"aMS",@progbits,1\n  .asciz "add_one"\n',
      ),
    );
    expect(a.exports.get('add_one')).toBe(a.symbol('add_one'));
    expect(() => loadModule(k, gasAssemble(moduleSource('prov')))).toThrow(KernelError);
    const user = `
  .text
  .globl use
  .type use, %function
use:
  b add_one
  .size use, .-use
  .section .modinfo,"a"
  .asciz "name=user"
`;
    const u = loadModule(k, gasAssemble(user));
    expect(u.resolution.modules).toBe(1);
    expect(k.machine.call(u.symbol('use')!, [9n])).toBe(10n);
    unloadModule(k, u);
    expect(k.machine.memory.isMapped(u.region('text')!.address)).toBe(false);
    expect(k.kallsyms.lookupName('use')).toBeUndefined();
  });

  it('keeps ro_after_init writable while coming and read-only once live', () => {
    const k = kernel();
    const src =
      moduleSource('roai') + '\n  .section .data..ro_after_init,"aw"\n  .balign 8\nroai_val: .xword 5\n';
    const m: Module = loadModule(k, gasAssemble(src), { live: false });
    expect(m.state).toBe('coming');
    const r = m.region('ro_after_init')!;
    expect(k.machine.memory.permsAt(r.address)).toBe(PERM_R | PERM_W);
    markLive(k, m);
    expect(m.state).toBe('live');
    expect(k.machine.memory.permsAt(r.address)).toBe(PERM_R);
  });
});
