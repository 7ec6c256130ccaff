/**
 * The frame-record unwinder on the test kernel: stopped at a breakpoint inside bpf_fentry_test1 called as
 * workload_entry → workload_middle → bpf_fentry_test1, the stack is exactly the chain the object's
 * relocations say it is (the oracle: each caller's CALL26 relocation against its callee gives the return
 * offset, the ELF symbol sizes give `/0xsize`), for every fixture build and both layouts; the PAC-signed
 * return addresses in the records are stripped; and every way a chain can be broken ends in its typed
 * `UnwindEnd` instead of a crash.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as C from '../../src/elf/constants.js';
import { parseElf, type ElfSymbol } from '../../src/elf/index.js';
import {
  createTestKernel,
  TEST_KERNEL_VARIANTS,
  testKernelFixture,
  type TestKernel,
  type TestKernelVariant,
} from '../../src/kernel/testkernel.js';
import {
  formatStack,
  stripPac,
  unwind,
  unwindCpu,
  UnwindFixupError,
  type UnwindFixup,
} from '../../src/kernel/unwind.js';
import { PERM_R, PERM_W, RETURN_TRAMPOLINE, type Cpu } from '../../src/machine/index.js';
import { returnOffset } from '../helpers/elf-oracle.js';

/** What the object file says about its functions and calls (independent of the unwinder and the linker). */
class ElfOracle {
  private readonly elf;
  private readonly syms: readonly ElfSymbol[];
  constructor(private readonly variant: TestKernelVariant) {
    this.elf = parseElf(readFileSync(testKernelFixture(variant)));
    this.syms = this.elf.symbolsOf(this.elf.symtab!);
  }
  func(name: string): ElfSymbol {
    const s = this.syms.find((x) => x.name === name && x.type === C.STT_FUNC);
    if (!s) throw new Error(`no function ${name}`);
    return s;
  }
  /** Offset in `caller` of the return address of its call to `callee` (the CALL26 relocation + 4). */
  returnOffset(caller: string, callee: string): bigint {
    return returnOffset(this.variant, caller, callee);
  }
  /** `%pS` of `name+off`. */
  pS(name: string, off: bigint): string {
    return `${name}+0x${off.toString(16)}/0x${this.func(name).size.toString(16)}`;
  }
}

const load = (v: TestKernelVariant, kind: 'kaslr' | 'nokaslr'): TestKernel =>
  createTestKernel(readFileSync(testKernelFixture(v)), { layout: { kind, seed: 11 } });

/** Call `fn(args)` on CPU 0 and stop at `bp`. */
function runTo(tk: TestKernel, fn: string, args: bigint[], bp: bigint): Cpu {
  const m = tk.kernel.machine;
  const cpu = m.cpus[0]!;
  cpu.addBreakpoint(bp);
  m.call(tk.addr(fn), args);
  cpu.removeBreakpoint(bp);
  expect(cpu.pc).toBe(bp);
  return cpu;
}

/** Run a stopped CPU on to the end of its call; its x0. */
function resume(cpu: Cpu): bigint {
  for (let i = 0; i < 100 && !cpu.halted; i++) {
    cpu.run(1_000_000);
    if (cpu.stopRequested) break;
  }
  if (cpu.fault) throw cpu.fault;
  expect(cpu.pc).toBe(RETURN_TRAMPOLINE + 4n);
  return cpu.x(0);
}

describe.each(TEST_KERNEL_VARIANTS)('unwind on %s', (variant) => {
  const o = new ElfOracle(variant);
  const middleRet = o.returnOffset('workload_middle', 'bpf_fentry_test1');
  const entryRet = o.returnOffset('workload_entry', 'workload_middle');

  for (const kind of ['nokaslr', 'kaslr'] as const) {
    it(`${kind}: inside bpf_fentry_test1 (a leaf: its caller is in lr) the stack is exact`, () => {
      const tk = load(variant, kind);
      for (const off of [0n, 8n]) {
        const cpu = runTo(tk, 'workload_entry', [5n], tk.addr('bpf_fentry_test1') + off);
        const r = unwindCpu(tk.kernel, cpu, { leaf: true });
        expect(formatStack(r)).toEqual([
          o.pS('bpf_fentry_test1', off),
          o.pS('workload_middle', middleRet),
          o.pS('workload_entry', entryRet),
        ]);
        expect(r.frames.map((f) => f.source)).toEqual(['pc', 'lr', 'record']);
        expect(r.end).toBe('return-trampoline');
        expect(r.reliable).toBe(true);
        // The record holds workload_entry's return address signed by its PACIASP; the unwinder stripped it.
        const raw = tk.kernel.machine.memory.read64(r.frames[2]!.record + 8n);
        expect(raw).not.toBe(r.frames[2]!.pc);
        expect(stripPac(raw)).toBe(r.frames[2]!.pc);
        expect(resume(cpu)).toBe(13n);
      }
    });
  }

  it('after a prologue the record walk starts at x29; stopAt ends at the named function', () => {
    const tk = load(variant, 'nokaslr');
    const callAt = tk.addr('workload_middle') + middleRet - 4n; // the BL to bpf_fentry_test1
    const cpu = runTo(tk, 'workload_entry', [1n], callAt);
    const r = unwindCpu(tk.kernel, cpu);
    expect(formatStack(r)).toEqual([
      o.pS('workload_middle', middleRet - 4n),
      o.pS('workload_entry', entryRet),
    ]);
    expect(r.end).toBe('return-trampoline');
    const s = unwindCpu(tk.kernel, cpu, { stopAt: ['workload_middle'] });
    expect(formatStack(s)).toEqual([o.pS('workload_middle', middleRet - 4n)]);
    expect([s.end, s.reliable]).toEqual(['stop', true]);
    const d = unwindCpu(tk.kernel, cpu, { maxDepth: 1 });
    expect([d.frames.length, d.end, d.reliable]).toEqual([1, 'depth', false]);
    expect(resume(cpu)).toBe(5n);
  });
});

describe('broken chains end in a typed result', () => {
  const tk = load('gcc-pfe2', 'nokaslr');
  const k = tk.kernel;
  const mem = k.machine.memory;
  const STACK = 0xffff_0000_6000_0000n;
  mem.map(STACK, 4096, PERM_R | PERM_W);
  const f1 = tk.addr('bpf_fentry_test1');
  const f2 = tk.addr('bpf_fentry_test2');
  const rec = (at: bigint, next: bigint, ret: bigint): void => {
    mem.write64(at, next);
    mem.write64(at + 8n, ret);
  };

  it('a final record {0, 0} and a record whose next fp is 0', () => {
    rec(STACK + 0x100n, STACK + 0x200n, f2 + 4n);
    rec(STACK + 0x200n, 0n, 0n);
    const r = unwind(k, { pc: f1, fp: STACK + 0x100n, sp: STACK });
    expect(r.frames.map((f) => f.pc)).toEqual([f1, f2 + 4n]);
    expect([r.end, r.reliable]).toEqual(['final', true]);
    rec(STACK + 0x200n, 0n, f1 + 8n);
    expect(unwind(k, { pc: f1, fp: STACK + 0x100n }).frames.map((f) => f.pc)).toEqual([f1, f2 + 4n, f1 + 8n]);
  });

  it('a cycle of records is a loop, not a hang', () => {
    rec(STACK + 0x100n, STACK + 0x200n, f2 + 4n);
    rec(STACK + 0x200n, STACK + 0x100n, f1 + 4n);
    const r = unwind(k, { pc: f1, fp: STACK + 0x100n });
    expect(r.end).toBe('loop');
    expect(r.reason).toMatch(/frame record 0x[0-9a-f]+ is not above the previous one/);
    expect(r.reliable).toBe(false);
    rec(STACK + 0x100n, STACK + 0x100n, f2 + 4n);
    expect(unwind(k, { pc: f1, fp: STACK + 0x100n }).end).toBe('loop');
  });

  it('misaligned, unmapped, below-SP and out-of-stack frame pointers are bad-fp', () => {
    const bad = (fp: bigint, opts = {}): string | undefined => {
      const r = unwind(k, { pc: f1, fp, sp: STACK }, opts);
      expect(r.end).toBe('bad-fp');
      expect(r.frames).toHaveLength(1);
      return r.reason;
    };
    expect(bad(STACK + 0x104n)).toMatch(/not 8-byte aligned/);
    expect(bad(STACK + 0x10000n)).toMatch(/not mapped/);
    expect(bad(STACK - 0x10n)).toMatch(/outside the stack/);
    expect(bad(STACK + 0x800n, { stack: { lo: STACK, hi: STACK + 0x400n } })).toMatch(/outside the stack/);
    expect(unwind(k, { pc: f1, fp: STACK }, { leaf: true }).reason).toBe('leaf mode needs lr');
  });

  it('an address no symbol covers is unknown-pc and unreliable', () => {
    rec(STACK + 0x100n, STACK + 0x200n, 0xffff_0000_dead_0000n);
    const r = unwind(k, { pc: f1, fp: STACK + 0x100n });
    expect(r.end).toBe('unknown-pc');
    expect(r.frames[1]!.text).toBe('0xffff0000dead0000');
    expect(r.reliable).toBe(false);
    expect(unwind(k, { pc: 0x1234n, fp: 0n }).end).toBe('unknown-pc');
  });

  it('fixups replace the addresses they own, repeatedly, and fail with a typed end', () => {
    const TAG = 0xffff_0000_7777_0000n;
    rec(STACK + 0x100n, STACK + 0x200n, TAG);
    rec(STACK + 0x200n, 0n, 0n);
    const seen: bigint[] = [];
    let begun = 0;
    const fix: UnwindFixup = {
      name: 'test',
      begin: () => begun++,
      recover: (pc, ctx) => {
        if (pc !== TAG && pc !== TAG + 4n) return undefined;
        seen.push(ctx.fp);
        return pc === TAG ? TAG + 4n : f2 + 8n; // two hops, like two return hooks on one function
      },
    };
    const r = unwind(k, { pc: f1, fp: STACK + 0x100n }, { fixups: [fix] });
    expect(r.frames[1]).toMatchObject({ pc: f2 + 8n, recovered: { from: TAG, by: 'test' } });
    expect(seen).toEqual([STACK + 0x200n, STACK + 0x200n]);
    expect([r.end, begun]).toEqual(['final', 1]);
    // A hook may map an address to itself when the next of its entries says more (two return hooks).
    let hops = 0;
    const chained: UnwindFixup = {
      name: 'chained',
      begin: () => (hops = 0),
      recover: (pc) => (pc === TAG ? (++hops < 3 ? TAG : f2 + 12n) : undefined),
    };
    const c = unwind(k, { pc: f1, fp: STACK + 0x100n }, { fixups: [chained] });
    expect([c.frames[1]!.pc, hops, c.end]).toEqual([f2 + 12n, 3, 'final']);
    const failing: UnwindFixup = {
      name: 'strict',
      recover: (pc) => {
        if (pc === TAG) throw new UnwindFixupError('nothing to recover');
        return undefined;
      },
    };
    const f = unwind(k, { pc: f1, fp: STACK + 0x100n }, { fixups: [failing] });
    expect([f.end, f.reason, f.reliable]).toEqual(['fixup-failed', 'strict: nothing to recover', false]);
  });

  it('stripPac extends bit 55 over the PAC field', () => {
    expect(stripPac(0x12b4_8000_1000_0000n)).toBe(0xffff_8000_1000_0000n); // bit 55 set: kernel half
    expect(stripPac(0x7f34_0000_1234_5678n)).toBe(0x0000_0000_1234_5678n); // bit 55 clear: user half
    expect(stripPac(0xffff_8000_0000_1000n)).toBe(0xffff_8000_0000_1000n); // already canonical
  });
});
