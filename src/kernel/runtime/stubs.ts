/**
 * Kernel-image stubs: the address a module's undefined kernel symbol resolves to when the model has no A64
 * body for it. One 16-byte stub per symbol, in the image's text (so module→kernel calls have the distances
 * of the real layout, and PLTs are needed exactly when they would be):
 *
 *   stub+0   bti c              landing pad for `br x16` from a module PLT and for `blr` via pointers
 *   stub+4   hvc #KERNEL_STUB   the host looks the stub up by address
 *   stub+8   ret
 *   stub+12  brk #KERNEL_STUB   never reached
 *
 * If a *function model* is registered for the symbol (`stubs.model(name, fn)`), the host runs it (it reads
 * x0–x7 and sets x0) and the stub returns; otherwise executing the stub raises `MissingKernelFunction`
 * naming the symbol. Module code that does not call the kernel never gets here. Data symbols resolve to stubs
 * too: loads read the stub's code bytes and stores fault (text is read-only), which is the honest answer for
 * kernel data the model does not have.
 */
import { Builder } from '../../a64/builder.js';
import { MachineFault } from '../../machine/faults.js';
import type { Cpu } from '../../machine/cpu.js';
import type { Kernel } from '../kernel.js';
import { HOSTCALL_KERNEL_STUB } from './hostcalls.js';

export const STUB_SIZE = 16;
const CHUNK = 4096;

/** A kernel function the model does not implement was called. */
export class MissingKernelFunction extends MachineFault {
  constructor(
    readonly symbol: string,
    stub: bigint,
  ) {
    super(
      'HostCallError',
      `kernel function ${symbol} is not modelled (stub at 0x${stub.toString(16)}); register a function model for it with kernelStubs(kernel).model('${symbol}', fn)`,
    );
  }
}

/** A host-side model of a kernel function: reads arguments from the CPU and sets x0. */
export type KernelFunctionModel = (cpu: Cpu, kernel: Kernel) => void;

export class KernelStubs {
  private readonly byName = new Map<string, bigint>();
  /** hvc address → symbol. */
  private readonly byHvc = new Map<bigint, string>();
  private readonly models = new Map<string, KernelFunctionModel>();
  private chunk: bigint | undefined;
  private used = CHUNK;

  constructor(private readonly kernel: Kernel) {
    kernel.machine.registerHostCall(HOSTCALL_KERNEL_STUB, {
      name: 'kernel stub',
      cycles: 20,
      fn: (cpu) => this.trap(cpu),
    });
  }

  /** The stub of `name`, created on first use. */
  stubFor(name: string): bigint {
    const have = this.byName.get(name);
    if (have !== undefined) return have;
    if (this.used + STUB_SIZE > CHUNK) {
      this.chunk = this.kernel.imageAlloc(CHUNK, 'text', 4096).address;
      this.used = 0;
    }
    const addr = this.chunk! + BigInt(this.used);
    this.used += STUB_SIZE;
    const b = new Builder(addr);
    b.row('HINT', { CRm: 0b0100, op2: 0b010 }); // bti c
    b.row('HVC', { imm16: HOSTCALL_KERNEL_STUB });
    b.row('RET', { Rn: 30 });
    b.row('BRK', { imm16: HOSTCALL_KERNEL_STUB });
    this.kernel.writeText(addr, b.finish().bytes);
    this.byName.set(name, addr);
    this.byHvc.set(addr + 4n, name);
    this.kernel.kallsyms.add({ name, address: addr, size: BigInt(STUB_SIZE), type: 'T' });
    return addr;
  }

  /** Whether `addr` is the start of a stub, and of which symbol. */
  symbolAt(addr: bigint): string | undefined {
    return this.byHvc.get(addr + 4n);
  }

  get count(): number {
    return this.byName.size;
  }

  /** Register (or replace) the host model of kernel function `name`. */
  model(name: string, fn: KernelFunctionModel): void {
    this.models.set(name, fn);
  }

  private trap(cpu: Cpu): void {
    // The handler runs after PC has moved past the HVC.
    const hvc = cpu.pc - 4n;
    const name = this.byHvc.get(hvc);
    if (name === undefined)
      throw new MachineFault(
        'HostCallError',
        `hvc #0x${HOSTCALL_KERNEL_STUB.toString(16)} at 0x${hvc.toString(16)} is not a kernel stub`,
      );
    const m = this.models.get(name);
    if (!m) throw new MissingKernelFunction(name, hvc - 4n);
    m(cpu, this.kernel);
  }
}

const registry = new WeakMap<Kernel, KernelStubs>();

/** The stub table of `kernel` (created on first use; it registers its host call then). */
export function kernelStubs(kernel: Kernel): KernelStubs {
  let s = registry.get(kernel);
  if (!s) registry.set(kernel, (s = new KernelStubs(kernel)));
  return s;
}
