/**
 * The verifier for tracing programs (fentry/fexit/fmod_ret): control flow, register and stack state,
 * pointer rules, helper prototypes, ctx access by the traced function's argument count, and program-type
 * rules; a rejection carries a kernel-style log, the failing instruction and a defect class.
 */
export {
  verify,
  BPF_COMPLEXITY_LIMIT_INSNS,
  BPF_MAX_VAR_OFF,
  MAX_BPF_FUNC_ARGS,
  MAX_CALL_FRAMES as VERIFIER_MAX_CALL_FRAMES,
  type VerifyOptions,
  type VerifyResult,
  type VerifyError,
  type VerifierMap,
  type TracingAttach,
} from './verify.js';
export { verifyProgram, type KernelInfo } from './program.js';
export { checkCfg, type CfgInfo, type CfgError } from './cfg.js';
export { HELPER_PROTOS, type HelperProto, type ArgType, type RetType } from './protos.js';
export { DEFECT_CLASSES, type DefectClass } from './defects.js';
