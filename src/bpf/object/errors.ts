/** Typed errors of the BPF object loader. ELF and BTF problems keep their own types (ElfError, BtfError). */
import { Tramp64Error } from '../../util/errors.js';

/**
 * - `OBJ_NOT_BPF`              not a relocatable EM_BPF ELF file
 * - `OBJ_UNSUPPORTED_SECTION`  a program section of a type tramp64 does not run (kprobe/, xdp …)
 * - `OBJ_UNKNOWN_SECTION`      an executable section whose name follows no libbpf convention
 * - `OBJ_BAD_PROGRAM`          program bytes that do not decode, or a function symbol outside its section
 * - `OBJ_BAD_CALL`             a bpf-to-bpf call to something that is not a function entry
 * - `OBJ_BAD_RELOCATION`       a relocation of an unexpected type, on the wrong instruction, or to an unknown symbol
 * - `OBJ_BAD_MAP`              a malformed map definition (BTF-defined or legacy)
 * - `OBJ_NO_PROGRAMS`          no program section at all
 */
export type BpfObjectErrorCode =
  | 'OBJ_NOT_BPF'
  | 'OBJ_UNSUPPORTED_SECTION'
  | 'OBJ_UNKNOWN_SECTION'
  | 'OBJ_BAD_PROGRAM'
  | 'OBJ_BAD_CALL'
  | 'OBJ_BAD_RELOCATION'
  | 'OBJ_BAD_MAP'
  | 'OBJ_NO_PROGRAMS';

export class BpfObjectError extends Tramp64Error {
  declare readonly code: BpfObjectErrorCode;

  constructor(code: BpfObjectErrorCode, message: string) {
    super(code, message);
  }
}
