/**
 * BTF (BPF Type Format): the `.BTF` type graph and `.BTF.ext` records, and the function models of traced
 * kernel functions. Bad input raises BtfError.
 *
 *   const btf = parseBtf(elf.sectionData(elf.sectionByName('.BTF')!));
 *   functionModel(btf, 'bpf_fentry_test3')   // args sizes 1, 4, 8; returns 4 bytes, signed
 */
export { parseBtf, Btf, type BtfHeader, type BtfSplitInfo, type ParseBtfOptions } from './parse.js';
export {
  parseBtfExt,
  type BtfExt,
  type BtfExtSection,
  type BtfFuncInfo,
  type BtfLineInfo,
  type BtfCoreRelo,
} from './ext.js';
export {
  functionModel,
  functionModels,
  findFunc,
  skipModifiers,
  typeSize,
  MAX_TRAMP_REG_ARGS,
  type FuncModel,
  type FuncArgModel,
} from './model.js';
export { dumpBtf, dumpType } from './dump.js';
export { BtfError, type BtfErrorCode } from './errors.js';
export * from './types.js';
