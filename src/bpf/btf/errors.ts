/** The typed error of the BTF reader: every malformed `.BTF` / `.BTF.ext` ends here, never in a RangeError. */
import { Tramp64Error } from '../../util/errors.js';

/**
 * - `BTF_TRUNCATED`     a header or record runs past the end of its section
 * - `BTF_BAD_MAGIC`     not 0xeB9F
 * - `BTF_BAD_VERSION`   version other than 1
 * - `BTF_BAD_HEADER`    hdr_len too small, sections overlapping or outside the data
 * - `BTF_BAD_STRING`    a name offset outside the string section, or a string without its NUL
 * - `BTF_BAD_KIND`      an unknown kind, or a record whose fields contradict its kind
 * - `BTF_BAD_TYPE_ID`   a reference to a type id that does not exist
 * - `BTF_BAD_EXT`       a malformed `.BTF.ext` (record sizes, section records)
 * - `BTF_BASE_MISSING`  split BTF whose base types are needed but were not given
 * - `BTF_NOT_FOUND`     a lookup by name found nothing (no FUNC of that name)
 * - `BTF_LOOP`          a reference cycle through modifiers/typedefs (never valid)
 */
export type BtfErrorCode =
  | 'BTF_TRUNCATED'
  | 'BTF_BAD_MAGIC'
  | 'BTF_BAD_VERSION'
  | 'BTF_BAD_HEADER'
  | 'BTF_BAD_STRING'
  | 'BTF_BAD_KIND'
  | 'BTF_BAD_TYPE_ID'
  | 'BTF_BAD_EXT'
  | 'BTF_BASE_MISSING'
  | 'BTF_NOT_FOUND'
  | 'BTF_LOOP';

export class BtfError extends Tramp64Error {
  declare readonly code: BtfErrorCode;

  constructor(code: BtfErrorCode, message: string) {
    super(code, message);
  }
}
