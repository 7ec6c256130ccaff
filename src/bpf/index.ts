/**
 * eBPF (RFC 9669): the opcode table and codec, the bpf_conformance-syntax assembler/disassembler and the
 * kernel-log printer, the interpreter with injected helper tables, and the conformance runner.
 * Layers: isa → asm → helpers/interp → conformance. Verifier, object loader, maps and JIT come later.
 */
export {
  OPCODE_TABLE,
  ENTRY_BY_NAME,
  CONFORMANCE_GROUPS,
  decodeProgram,
  encodeProgram,
  lookupEntry,
  wordToU64,
  u64ToWord,
  BpfDecodeError,
  BpfEncodeError,
  type BpfInsn,
  type OpcodeEntry,
  type ConformanceGroup,
  type Shape,
  type Kind,
} from './isa/index.js';
export {
  assemble,
  disassemble,
  formatInsn,
  printKernelInsn,
  printKernelLog,
  parseDataFile,
  BpfAsmError,
  type DataFile,
  type DisassembleOptions,
  type KernelPrintOptions,
} from './asm/index.js';
export {
  BpfInterpreter,
  BpfMemory,
  BpfRuntimeError,
  MAX_BPF_STACK,
  MAX_CALL_FRAMES,
  DEFAULT_INSN_LIMIT,
  ADDRESS_MAP,
  INTERPRETER_GROUPS,
  type VmOptions,
  type RunInput,
  type RunResult,
  type MemRegion,
  type BpfRuntimeCode,
} from './interp/index.js';
export {
  conformanceHelpers,
  BPF_FUNC,
  BPF_FUNC_NAMES,
  kernelHelperName,
  kernelHelperId,
  type HelperArgs,
  type HelperFn,
  type HelperTable,
  type HelperVm,
  type HelperSet,
} from './helpers/index.js';
export {
  runConformanceTest,
  runData,
  programOf,
  groupsUsed,
  summarize,
  formatOutcome,
  type TestOutcome,
  type TestStatus,
  type ConformanceOptions,
} from './conformance.js';
/** BTF, maps, the object loader and the verifier. */
export * from './btf/index.js';
export * from './maps/index.js';
export * from './object/index.js';
export * from './verifier/index.js';
export { genSafeProgram, genDefectiveProgram, genVerifyOptions, INJECTABLE_DEFECTS } from './verifier/gen.js';
/** The JIT to A64: images in kernel memory, listings, runs on the emulated CPU. */
export {
  jitProgram,
  freeJitImage,
  jitListing,
  jitRuntime,
  runJit,
  runConformanceJit,
  runTracingProgramJit,
  jitEngine,
  JitError,
  BPF2A64,
  HOSTCALL_BPF_HELPER,
  type JitImage,
  type JitOptions,
  type JitRunInput,
  type JitRunResult,
} from './jit/index.js';
