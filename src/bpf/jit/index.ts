/**
 * The eBPF JIT to A64 (issue 8): code generation with the arm64 kernel JIT's register map, frame and entry
 * layout (codegen.ts), images in lowest-fit vmalloc with a PLT and kallsyms names (image.ts), helper stubs
 * and dummy_tramp in kernel text (runtime.ts), and runs on the emulated CPU (run.ts).
 */
export { bpfFrameLayout, type BpfFrameLayout } from './frame.js';
export {
  BPF2A64,
  INLINED_HELPERS,
  JitError,
  generate,
  splitFunctions,
  inBlRange,
  type CodegenOptions,
  type FunctionInfo,
} from './codegen.js';
export {
  jitProgram,
  freeJitImage,
  jitListing,
  bpfPcAt,
  searchExtable,
  EX_TYPE_BPF,
  type ExtableEntry,
  progTag,
  sha1,
  type JitImage,
  type JitOptions,
} from './image.js';
export {
  JitRuntime,
  jitRuntime,
  HOSTCALL_BPF_HELPER,
  MachineBpfMemory,
  type HelperContext,
} from './runtime.js';
export {
  runJit,
  runConformanceJit,
  jitEngine,
  bindJitHelpers,
  runTracingProgramJit,
  type JitRunInput,
  type JitRunResult,
} from './run.js';
