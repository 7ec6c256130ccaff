/**
 * The BPF object loader (libbpf conventions): programs by section, bpf-to-bpf calls linked, BTF-defined and
 * legacy maps, global data as array maps, map and global relocations. Bad input raises BpfObjectError.
 */
export {
  loadBpfObject,
  BPF_PSEUDO_CALL,
  type BpfObject,
  type BpfProgram,
  type BpfMapSpec,
  type BpfGlobal,
  type BpfLineRecord,
  type UnsupportedSection,
  type LoadOptions,
} from './load.js';
export { classifySection, type AttachType, type SectionKind, type SectionClass } from './sections.js';
export { BpfObjectError, type BpfObjectErrorCode } from './errors.js';
export {
  runTracingProgram,
  createObjectMaps,
  tracingHelpers,
  ctxBytes,
  CTX_ADDRESS,
  RUN_CTX_ADDRESS,
  runCtxBytes,
  type TracingRun,
  type TracingResult,
} from './run.js';
