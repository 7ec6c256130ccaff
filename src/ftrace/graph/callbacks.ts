/**
 * A64 callbacks for return hooks, for tests, the ftrace property test and benchmarks:
 *
 *   countingExitCallback   retfunc(ip, retval, parent_ip, gops): count += 1 (STADD, several CPUs may run
 *                          it at once), then records the last call's four arguments (plain stores: only
 *                          meaningful when one CPU calls it)
 *   countingEntryCallback  entryfunc(ip, parent_ip, gops, frame): count += 1, returns `hook` (1 = hook this
 *                          call's return, 0 = leave it alone)
 *
 * Both are leaves without a frame record (an unwinder stopped at their first instruction uses leaf mode)
 * and begin with `bti c` (reached by `blr` on guarded pages).
 */
import { Asm } from '../../a64/asm.js';
import { X } from '../../a64/builder.js';
import type { Kernel } from '../../kernel/kernel.js';

/** Data of a counting callback: count, then the last call's x0–x3. */
export const COUNTER_DATA = {
  COUNT: 0,
  ARGS: 8,
  SIZE: 40,
} as const;

export interface CallbackCounter {
  /** Address of the code. */
  readonly func: bigint;
  /** Address of the data (COUNTER_DATA). */
  readonly data: bigint;
  count(): bigint;
  /** The last call's x0–x3 (exit: ip, retval, parent_ip, gops; entry: ip, parent_ip, gops, frame). */
  last(): readonly [bigint, bigint, bigint, bigint];
  reset(): void;
}

function build(kernel: Kernel, name: string, emitTail: (a: Asm) => void): CallbackCounter {
  const mem = kernel.machine.memory;
  const data = kernel.imageAlloc(COUNTER_DATA.SIZE, 'data', 64).address;
  kernel.kallsyms.add({ name: `${name}_data`, address: data, size: BigInt(COUNTER_DATA.SIZE), type: 'd' });
  const at = kernel.imageAlloc(64, 'text', 16).address;
  const a = new Asm(at);
  a.bti('c');
  a.movImm(X[9]!, data);
  a.mov(X[10]!, 1);
  a.stadd(X[10]!, X[9]!);
  a.stp(X[0]!, X[1]!, X[9]!, COUNTER_DATA.ARGS);
  a.stp(X[2]!, X[3]!, X[9]!, COUNTER_DATA.ARGS + 16);
  emitTail(a);
  const built = a.finish();
  kernel.writeText(at, built.bytes);
  kernel.kallsyms.add({ name, address: at, size: BigInt(built.bytes.length), type: 't' });
  const reset = (): void => {
    for (let o = 0; o < COUNTER_DATA.SIZE; o += 8) mem.write64(data + BigInt(o), 0n);
  };
  reset();
  return {
    func: at,
    data,
    count: () => mem.read64(data + BigInt(COUNTER_DATA.COUNT)),
    last: () => {
      const q = (i: number): bigint => mem.read64(data + BigInt(COUNTER_DATA.ARGS + 8 * i));
      return [q(0), q(1), q(2), q(3)] as const;
    },
    reset,
  };
}

/** An exit callback that counts its calls and keeps the last (ip, retval, parent_ip, gops). */
export function countingExitCallback(kernel: Kernel, name: string): CallbackCounter {
  return build(kernel, name, (a) => a.ret());
}

/** An entry callback that counts its calls and returns `hook` (default 1: hook every call's return). */
export function countingEntryCallback(
  kernel: Kernel,
  name: string,
  opts: { hook?: boolean } = {},
): CallbackCounter {
  const hook = opts.hook ?? true;
  return build(kernel, name, (a) => {
    a.mov(X[0]!, hook ? 1 : 0);
    a.ret();
  });
}
