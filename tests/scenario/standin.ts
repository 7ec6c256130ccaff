/**
 * A hand-written stand-in for a patch-site fentry trampoline, used by the scenario tests while the real
 * strategies are built elsewhere. Its instruction counts per stage are known from what it emits.
 */
import { Asm } from '../../src/a64/asm.js';
import { FP, LR, SP, X } from '../../src/a64/builder.js';
import { MOV_X9_LR, NOP } from '../../src/kernel/callsites.js';
import type { TestKernel } from '../../src/kernel/testkernel.js';

export interface StandIn {
  /** Instructions of each part, as emitted (all straight-line). */
  readonly counts: { trampoline: number; enter: number; exit: number; program: number };
  readonly tramp: bigint;
  readonly trampSize: number;
}

/**
 * A stand-in for a patch-site fentry trampoline on `name` with `nargs` arguments, in the shape of the
 * arm64 one: two frame records, the args saved as a ctx once, __bpf_prog_enter, the program, the original
 * function called with `ret x10` (no BTI landing pad needed), __bpf_prog_exit, return to the parent.
 */
export function attachStandIn(tk: TestKernel, name: string, nargs: number): StandIn {
  const k = tk.kernel;
  const site = tk.callSite(name);
  const place = (sym: string, body: (a: Asm) => void): { addr: bigint; n: number; size: number } => {
    const addr = k.allocExec(4096, sym);
    const a = new Asm(addr);
    body(a);
    const bytes = a.finish().bytes;
    const size = bytes.length;
    k.writeText(addr, bytes);
    k.kallsyms.add({ name: sym, address: addr, size: BigInt(size), type: 't' });
    return { addr, n: size / 4, size };
  };
  const enter = place('__bpf_prog_enter_standin', (a) => {
    a.movImm(X[0]!, 1n);
    a.ret();
  });
  const exit = place('__bpf_prog_exit_standin', (a) => {
    a.ret();
  });
  // The program reads ctx[0] and returns it + 1 (its result is ignored, as fentry's is).
  const prog = place('bpf_prog_standin_fentry', (a) => {
    a.ldr(X[1]!, X[0]!, 0);
    a.add(X[0]!, X[1]!, 1);
    a.ret();
  });
  const ctx = 8 * 8 + 16; // arg slots, then the return value, 16-byte aligned
  const tramp = place('bpf_trampoline_standin', (a) => {
    a.stp(FP, X[9]!, SP, -16, 'pre'); // the parent's frame record (x9 = the parent's LR)
    a.mov(FP, SP);
    a.stp(FP, LR, SP, -16, 'pre'); // the traced function's (LR = ip + 4)
    a.mov(FP, SP);
    a.sub(SP, SP, ctx);
    for (let i = 0; i < nargs; i += 2) {
      if (i + 1 < nargs) a.stp(X[i]!, X[i + 1]!, SP, i * 8);
      else a.str(X[i]!, SP, i * 8);
    }
    a.bl(enter.addr);
    a.mov(X[0]!, SP);
    a.bl(prog.addr);
    for (let i = 0; i < nargs; i += 2) {
      if (i + 1 < nargs) a.ldp(X[i]!, X[i + 1]!, SP, i * 8);
      else a.ldr(X[i]!, SP, i * 8);
    }
    a.ldr(X[10]!, FP, 8);
    const back = a.label();
    a.adr(LR, back);
    a.ret(X[10]!); // call the original after its patch site
    a.bind(back);
    a.str(X[0]!, SP, 64);
    a.bl(exit.addr);
    a.ldr(X[0]!, SP, 64);
    a.add(SP, SP, ctx);
    a.ldp(FP, X[9]!, SP, 16); // x9 = the parent's LR
    a.add(SP, SP, 32);
    a.mov(LR, X[9]!);
    a.ret();
  });
  k.patcher.patchText(site.ip - 4n, NOP, MOV_X9_LR);
  const bl = new Asm(site.ip);
  bl.bl(tramp.addr);
  k.patcher.patchText(site.ip, NOP, bl.finish().words[0]!);
  return {
    counts: { trampoline: tramp.n, enter: enter.n, exit: exit.n, program: prog.n },
    tramp: tramp.addr,
    trampSize: tramp.size,
  };
}
