/** The eBPF interpreter: memory regions, frames, helpers injected as a table. */
export {
  BpfInterpreter,
  MAX_BPF_STACK,
  MAX_CALL_FRAMES,
  DEFAULT_INSN_LIMIT,
  ADDRESS_MAP,
  INTERPRETER_GROUPS,
  type VmOptions,
  type RunInput,
  type RunResult,
} from './vm.js';
export { BpfMemory, type MemRegion } from './memory.js';
export { BpfRuntimeError, type BpfRuntimeCode } from './errors.js';
export {
  ALU32_OPS,
  ALU64_OPS,
  JMP32_CONDS,
  JMP64_CONDS,
  ATOMIC_OPS,
  bswap,
  byteswapOp,
  movsx,
} from './semantics.js';
