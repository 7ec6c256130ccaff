/** The model kernel: address-space layout, kallsyms, module loader with PLTs, live text patching, test kernels. */
export { Kernel, type KernelOptions } from './kernel.js';
export { makeLayout, reachableByBl, type Layout, type LayoutKind, type LayoutOptions } from './layout.js';
export { Kallsyms, type KSym } from './kallsyms.js';
export { TextPatcher } from './patch.js';
export { VmallocAllocator } from './vmalloc.js';
export { loadModule, loadModules, moduleTotals } from './module.js';
export { createTestKernel, linkTestKernel } from './testkernel.js';
export { runUserProgram, ExecError, type UserRunResult } from './user.js';
export { RcuTasks, HOSTCALL_SCHEDULE } from './rcu.js';
export {
  unwind,
  unwindCpu,
  stripPac,
  formatStack,
  UnwindFixupError,
  type UnwindStart,
  type UnwindOptions,
  type UnwindFixup,
  type UnwindFixupContext,
  type UnwindFrame,
  type UnwindEnd,
  type UnwindResult,
  type FrameSource,
} from './unwind.js';
