/**
 * The kernel runtime: the few kernel services code in the image and in modules may call, installed once
 * per Kernel into the image's text — A64 routines (`memcpy`, `memset`, `strlen`, routines.ts) and host-call
 * entries (`printk`, printk.ts) — plus the stubs every other undefined kernel symbol resolves to (stubs.ts).
 * Each is a kallsyms symbol of the image, so module loading resolves to it like to any kernel function.
 */
import type { Kernel } from '../kernel.js';
import { HOSTCALL_PRINTK } from './hostcalls.js';
import { formatPrintk, readCString, splitLevel, type LogEntry } from './printk.js';
import { buildHostCallEntry, buildRoutine, ROUTINES, type RoutineName } from './routines.js';

export {
  kernelStubs,
  KernelStubs,
  MissingKernelFunction,
  STUB_SIZE,
  type KernelFunctionModel,
} from './stubs.js';
export { HOSTCALL_KERNEL_STUB, HOSTCALL_PRINTK } from './hostcalls.js';
export type { LogEntry } from './printk.js';

export interface Runtime {
  /** Address of each runtime symbol (memcpy, memset, strlen, printk). */
  readonly symbols: ReadonlyMap<string, bigint>;
  /** What printk wrote, one entry per call. */
  readonly log: LogEntry[];
}

const installed = new WeakMap<Kernel, Runtime>();

/** Install the runtime into `kernel`'s image (once; later calls return the same one). */
export function installRuntime(kernel: Kernel): Runtime {
  const have = installed.get(kernel);
  if (have) return have;
  const symbols = new Map<string, bigint>();
  const log: LogEntry[] = [];
  const place = (name: string, build: (base: bigint) => Uint8Array): void => {
    const size = build(0n).length;
    const r = kernel.imageAlloc(size, 'text', 16);
    kernel.writeText(r.address, build(r.address));
    kernel.kallsyms.add({ name, address: r.address, size: BigInt(size), type: 'T' });
    symbols.set(name, r.address);
  };
  for (const name of ROUTINES) place(name, (base) => buildRoutine(name as RoutineName, base, kernel.bti));
  kernel.machine.registerHostCall(HOSTCALL_PRINTK, {
    name: 'printk',
    cycles: 500,
    fn: (cpu) => {
      const { level, body } = splitLevel(readCString(cpu, cpu.x(0)));
      const text = formatPrintk(cpu, body, 1);
      log.push({ level, text });
      cpu.setX(0, BigInt(text.length));
    },
  });
  place('printk', (base) => buildHostCallEntry(HOSTCALL_PRINTK, base, kernel.bti));
  const rt: Runtime = { symbols, log };
  installed.set(kernel, rt);
  return rt;
}
