/** Helper tables: bpf_conformance's and the kernel's numbered list. */
export { type HelperArgs, type HelperFn, type HelperTable, type HelperVm, type HelperSet } from './types.js';
export { conformanceHelpers, CONFORMANCE_HELPER_UNWIND } from './conformance.js';
export { BPF_FUNC_NAMES, BPF_FUNC, kernelHelperName, kernelHelperId } from './kernel.js';
export { TASK_BPF_CTX, BPF_RUN_CTX, BPF_FUNC_GET_ATTACH_COOKIE, emitGetAttachCookie } from './runctx.js';
