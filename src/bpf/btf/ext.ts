/**
 * The `.BTF.ext` reader: per-section func info, line info and CO-RE relocations, names from the `.BTF`
 * string section.
 *
 *   header   magic u16 = 0xeB9F | version u8 = 1 | flags u8 | hdr_len u32
 *            func_info_off u32 | func_info_len u32 | line_info_off u32 | line_info_len u32
 *            [core_relo_off u32 | core_relo_len u32]          (present when hdr_len >= 32)
 *   each info block:  rec_size u32, then { sec_name_off u32, num_info u32, num_info × rec_size bytes }…
 *
 *   func info   insn_off u32 (bytes) | type_id u32
 *   line info   insn_off u32 | file_name_off u32 | line_off u32 | line_col u32 (line << 10 | col)
 *   CO-RE reloc insn_off u32 | type_id u32 | access_str_off u32 | kind u32
 *
 * Records may be longer than the fields we know (rec_size larger); the extra bytes are skipped.
 */
import { BtfError } from './errors.js';
import { BTF_EXT_HEADER_MIN, BTF_MAGIC, BTF_VERSION } from './types.js';
import type { Btf } from './parse.js';

export interface BtfFuncInfo {
  /** Instruction index (insn_off / 8) within the section. */
  insn: number;
  typeId: number;
}
export interface BtfLineInfo {
  insn: number;
  file: string;
  line: string;
  lineNum: number;
  col: number;
}
export interface BtfCoreRelo {
  insn: number;
  typeId: number;
  accessStr: string;
  /** enum bpf_core_relo_kind (0 FIELD_BYTE_OFFSET … 12 ENUMVAL_VALUE …). */
  kind: number;
}
export interface BtfExtSection<T> {
  section: string;
  records: T[];
}
export interface BtfExt {
  funcInfo: BtfExtSection<BtfFuncInfo>[];
  lineInfo: BtfExtSection<BtfLineInfo>[];
  coreRelos: BtfExtSection<BtfCoreRelo>[];
}

export function parseBtfExt(bytes: Uint8Array, btf: Btf): BtfExt {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8)
    throw new BtfError(
      'BTF_TRUNCATED',
      `.BTF.ext is ${bytes.length} bytes; the header needs ${BTF_EXT_HEADER_MIN}`,
    );
  const magic = view.getUint16(0, true);
  if (magic !== BTF_MAGIC)
    throw new BtfError('BTF_BAD_MAGIC', `.BTF.ext magic is 0x${magic.toString(16)}, expected 0xeb9f`);
  if (view.getUint8(2) !== BTF_VERSION)
    throw new BtfError('BTF_BAD_VERSION', `.BTF.ext version ${view.getUint8(2)} is not supported (only 1)`);
  const hdrLen = view.getUint32(4, true);
  if (hdrLen < BTF_EXT_HEADER_MIN || hdrLen > bytes.length)
    throw new BtfError(
      'BTF_BAD_HEADER',
      `.BTF.ext hdr_len ${hdrLen} is outside [${BTF_EXT_HEADER_MIN}, ${bytes.length}]`,
    );
  const field = (o: number): number => view.getUint32(o, true);
  const blocks: [number, number][] = [
    [field(8), field(12)],
    [field(16), field(20)],
    hdrLen >= 32 ? [field(24), field(28)] : [0, 0],
  ];
  const parseBlock = <T>(
    which: string,
    [off, len]: [number, number],
    minRec: number,
    rec: (p: number) => T,
  ): BtfExtSection<T>[] => {
    if (len === 0) return [];
    const start = hdrLen + off;
    const end = start + len;
    if (end > bytes.length || start > end)
      throw new BtfError(
        'BTF_TRUNCATED',
        `.BTF.ext ${which} [${off}, +${len}) runs past the section (${bytes.length - hdrLen} bytes after the header)`,
      );
    if (len < 4)
      throw new BtfError('BTF_BAD_EXT', `.BTF.ext ${which} is ${len} bytes; it needs a record size`);
    const recSize = view.getUint32(start, true);
    if (recSize < minRec || recSize % 4 !== 0)
      throw new BtfError(
        'BTF_BAD_EXT',
        `.BTF.ext ${which} record size ${recSize} is below ${minRec} or not a multiple of 4`,
      );
    const out: BtfExtSection<T>[] = [];
    let p = start + 4;
    while (p < end) {
      if (p + 8 > end)
        throw new BtfError(
          'BTF_TRUNCATED',
          `.BTF.ext ${which}: section record header at ${p - start} runs past the block`,
        );
      const secName = btf.str(view.getUint32(p, true), `.BTF.ext ${which} section name`);
      const n = view.getUint32(p + 4, true);
      p += 8;
      if (n === 0)
        throw new BtfError('BTF_BAD_EXT', `.BTF.ext ${which}: section '${secName}' has zero records`);
      if (p + n * recSize > end)
        throw new BtfError(
          'BTF_TRUNCATED',
          `.BTF.ext ${which}: section '${secName}' claims ${n} records of ${recSize} bytes, past the block`,
        );
      const records: T[] = [];
      for (let i = 0; i < n; i++, p += recSize) records.push(rec(p));
      out.push({ section: secName, records });
    }
    return out;
  };
  const insnOf = (p: number, which: string): number => {
    const off = view.getUint32(p, true);
    if (off % 8 !== 0)
      throw new BtfError('BTF_BAD_EXT', `.BTF.ext ${which}: insn_off ${off} is not a multiple of 8`);
    return off / 8;
  };
  const funcInfo = parseBlock('func_info', blocks[0]!, 8, (p) => {
    const typeId = view.getUint32(p + 4, true);
    if (!btf.has(typeId) || btf.type(typeId)?.kind !== 'FUNC')
      throw new BtfError('BTF_BAD_EXT', `.BTF.ext func_info: type_id ${typeId} is not a FUNC`);
    return { insn: insnOf(p, 'func_info'), typeId };
  });
  const lineInfo = parseBlock('line_info', blocks[1]!, 16, (p) => {
    const lc = view.getUint32(p + 12, true);
    return {
      insn: insnOf(p, 'line_info'),
      file: btf.str(view.getUint32(p + 4, true), '.BTF.ext line_info file name'),
      line: btf.str(view.getUint32(p + 8, true), '.BTF.ext line_info line'),
      lineNum: lc >>> 10,
      col: lc & 0x3ff,
    };
  });
  const coreRelos = parseBlock('core_relo', blocks[2]!, 16, (p) => ({
    insn: insnOf(p, 'core_relo'),
    typeId: view.getUint32(p + 4, true),
    accessStr: btf.str(view.getUint32(p + 8, true), '.BTF.ext core_relo access string'),
    kind: view.getUint32(p + 12, true),
  }));
  return { funcInfo, lineInfo, coreRelos };
}
