/** The typed error of the ELF layer: every malformed input ends here, never in a JS RangeError or TypeError. */
import { Tramp64Error } from '../util/errors.js';

/**
 * What is wrong, as a stable code:
 * - `ELF_TRUNCATED`   the file ends before a structure the header promises (file header, header tables)
 * - `ELF_BAD_MAGIC`   not an ELF file
 * - `ELF_BAD_CLASS`   not ELFCLASS64
 * - `ELF_BAD_DATA`    not little-endian
 * - `ELF_BAD_VERSION` EI_VERSION / e_version is not EV_CURRENT
 * - `ELF_BAD_MACHINE` neither EM_AARCH64 nor EM_BPF
 * - `ELF_BAD_TYPE`    not ET_REL, ET_EXEC or ET_DYN
 * - `ELF_BAD_HEADER`  a file-header field is inconsistent (entry sizes, table offsets, e_shstrndx)
 * - `ELF_BAD_SECTION` a section header points outside the file or has an impossible size or entry size
 * - `ELF_BAD_SEGMENT` a program header points outside the file
 * - `ELF_BAD_STRING`  a name offset lies outside its string table or the string is not NUL-terminated
 * - `ELF_BAD_LINK`    sh_link / sh_info names a section that does not exist or has the wrong type
 * - `ELF_BAD_SYMBOL`  a symbol's section index is out of range
 * - `ELF_BAD_RELOCATION` a relocation's symbol index is out of range
 * - `ELF_NOT_FOUND`   a lookup by name found nothing (sectionByName with `required`)
 */
export type ElfErrorCode =
  | 'ELF_TRUNCATED'
  | 'ELF_BAD_MAGIC'
  | 'ELF_BAD_CLASS'
  | 'ELF_BAD_DATA'
  | 'ELF_BAD_VERSION'
  | 'ELF_BAD_MACHINE'
  | 'ELF_BAD_TYPE'
  | 'ELF_BAD_HEADER'
  | 'ELF_BAD_SECTION'
  | 'ELF_BAD_SEGMENT'
  | 'ELF_BAD_STRING'
  | 'ELF_BAD_LINK'
  | 'ELF_BAD_SYMBOL'
  | 'ELF_BAD_RELOCATION'
  | 'ELF_NOT_FOUND';

/** A malformed or unsupported ELF file. The message names the field, its value and the limit it breaks. */
export class ElfError extends Tramp64Error {
  declare readonly code: ElfErrorCode;

  constructor(code: ElfErrorCode, message: string) {
    super(code, message);
  }
}
