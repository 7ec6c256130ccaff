/**
 * The `.BTF` reader. Layout (all little-endian, offsets in the header count from the end of the header):
 *
 *   header   magic u16 = 0xeB9F | version u8 = 1 | flags u8 | hdr_len u32
 *            type_off u32 | type_len u32 | str_off u32 | str_len u32
 *   types    btf_type records, each followed by its kind's tail (see types.ts)
 *   strings  NUL-terminated names; in base BTF offset 0 is the empty string
 *
 * Split BTF (a module's BTF on top of vmlinux): its type ids continue after the base's last id and its name
 * offsets after the base's string section. Given `base`, everything resolves; without it, the reader says
 * so (`split.baseMissing`) and resolves only the object's own types. When only the base's sizes are known
 * (`baseHint`), own types and strings resolve and references into the base are reported as unresolved —
 * never guessed.
 */
import { BtfError } from './errors.js';
import {
  BTF_HEADER_MIN,
  BTF_KIND_NAMES,
  BTF_MAGIC,
  BTF_VERSION,
  type BtfKindName,
  type BtfType,
} from './types.js';

export interface BtfHeader {
  version: number;
  flags: number;
  hdrLen: number;
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
}

export interface ParseBtfOptions {
  /** The base BTF of split BTF (vmlinux's for a module). */
  base?: Btf;
  /** Without the base: its number of ids (last id + 1) and string-section length, so own types resolve. */
  baseHint?: { typeCount: number; strLen: number };
}

/** How the BTF relates to a base. */
export interface BtfSplitInfo {
  /** The first id of this BTF's own types (1 for base BTF). */
  startId: number;
  /** Offset of this BTF's string section in the combined string space (0 for base BTF). */
  strStart: number;
  /** The BTF is split (its strings do not start with the empty string, or a base was given). */
  isSplit: boolean;
  /** Split BTF whose base types were not given: references below `startId` cannot be resolved. */
  baseMissing: boolean;
  /** Without base and hint, ids and names of own types are unknown too (the split offsets are unknown). */
  offsetsKnown: boolean;
}

export class Btf {
  readonly header: BtfHeader;
  /** Own types in id order: `types[i]` has id `split.startId + i`. */
  readonly types: readonly BtfType[];
  readonly split: BtfSplitInfo;
  readonly base: Btf | undefined;
  private readonly strings: Uint8Array;
  private byNameCache: Map<string, BtfType[]> | undefined;

  constructor(header: BtfHeader, types: BtfType[], strings: Uint8Array, split: BtfSplitInfo, base?: Btf) {
    this.header = header;
    this.types = types;
    this.strings = strings;
    this.split = split;
    this.base = base;
  }

  /** One past the last id (base ids included). */
  get typeCount(): number {
    return this.split.startId + this.types.length;
  }

  /**
   * The type with this id; undefined for 0 (void). Throws BTF_BAD_TYPE_ID for an id that does not exist and
   * BTF_BASE_MISSING for a base id when the base was not given.
   */
  type(id: number): BtfType | undefined {
    if (id === 0) return undefined;
    if (!this.split.offsetsKnown)
      throw new BtfError(
        'BTF_BASE_MISSING',
        `type id ${id}: this is split BTF and neither its base nor the base's size was given, so its ids cannot be placed`,
      );
    if (id >= this.split.startId) {
      const t = this.types[id - this.split.startId];
      if (t === undefined)
        throw new BtfError('BTF_BAD_TYPE_ID', `type id ${id} does not exist (last id ${this.typeCount - 1})`);
      return t;
    }
    if (this.base !== undefined) return this.base.type(id);
    throw new BtfError(
      'BTF_BASE_MISSING',
      `type id ${id} is in the base BTF (ids below ${this.split.startId}), which was not given`,
    );
  }

  /** Is `id` resolvable here (own type, void, or base available)? */
  has(id: number): boolean {
    return id === 0 || (id < this.typeCount && (id >= this.split.startId || this.base !== undefined));
  }

  /** The string at `offset` in the combined string space (base strings below `split.strStart`). */
  str(offset: number, what = 'name'): string {
    if (offset < this.split.strStart) {
      if (this.base !== undefined) return this.base.str(offset, what);
      throw new BtfError(
        'BTF_BASE_MISSING',
        `${what} at string offset ${offset} is in the base BTF's strings, which were not given`,
      );
    }
    return readString(this.strings, offset - this.split.strStart, what);
  }

  /** All types of this name (own and base), optionally of one kind. */
  byName(name: string, kind?: BtfKindName): BtfType[] {
    if (this.byNameCache === undefined) {
      this.byNameCache = new Map();
      for (const t of this.types) {
        if (t.name === '') continue;
        const l = this.byNameCache.get(t.name);
        if (l) l.push(t);
        else this.byNameCache.set(t.name, [t]);
      }
    }
    const own = this.byNameCache.get(name) ?? [];
    const all = this.base !== undefined ? [...this.base.byName(name), ...own] : own;
    return kind === undefined ? all : all.filter((t) => t.kind === kind);
  }
}

function readString(strings: Uint8Array, off: number, what: string): string {
  if (!Number.isInteger(off) || off < 0 || off >= strings.length) {
    throw new BtfError(
      'BTF_BAD_STRING',
      `${what}: string offset ${off} is outside the string section (${strings.length} bytes)`,
    );
  }
  const end = strings.indexOf(0, off);
  if (end < 0)
    throw new BtfError('BTF_BAD_STRING', `${what}: string at offset ${off} has no terminating NUL`);
  let s = '';
  for (let i = off; i < end; i++) s += String.fromCharCode(strings[i]!);
  return s;
}

export function parseBtf(bytes: Uint8Array, options: ParseBtfOptions = {}): Btf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8)
    throw new BtfError('BTF_TRUNCATED', `.BTF is ${bytes.length} bytes; the header needs ${BTF_HEADER_MIN}`);
  const magic = view.getUint16(0, true);
  if (magic !== BTF_MAGIC) {
    throw new BtfError(
      'BTF_BAD_MAGIC',
      `.BTF magic is 0x${magic.toString(16)}, expected 0xeb9f (little-endian BTF)`,
    );
  }
  const version = view.getUint8(2);
  if (version !== BTF_VERSION)
    throw new BtfError('BTF_BAD_VERSION', `.BTF version ${version} is not supported (only 1)`);
  const hdrLen = view.getUint32(4, true);
  if (hdrLen < BTF_HEADER_MIN)
    throw new BtfError('BTF_BAD_HEADER', `.BTF hdr_len ${hdrLen} is below ${BTF_HEADER_MIN}`);
  if (hdrLen > bytes.length)
    throw new BtfError('BTF_TRUNCATED', `.BTF hdr_len ${hdrLen} exceeds the section (${bytes.length} bytes)`);
  // A longer header is allowed only if the extra bytes are zero (as the kernel requires).
  for (let i = BTF_HEADER_MIN; i < hdrLen; i++) {
    if (bytes[i] !== 0)
      throw new BtfError('BTF_BAD_HEADER', `.BTF header byte ${i} beyond the known fields is not zero`);
  }
  const header: BtfHeader = {
    version,
    flags: view.getUint8(3),
    hdrLen,
    typeOff: view.getUint32(8, true),
    typeLen: view.getUint32(12, true),
    strOff: view.getUint32(16, true),
    strLen: view.getUint32(20, true),
  };
  const dataLen = bytes.length - hdrLen;
  const within = (off: number, len: number, what: string): void => {
    if (off % 4 !== 0 && what === 'type section')
      throw new BtfError('BTF_BAD_HEADER', `.BTF ${what} offset ${off} is not 4-byte aligned`);
    if (off + len > dataLen)
      throw new BtfError(
        'BTF_TRUNCATED',
        `.BTF ${what} [${off}, +${len}) runs past the data (${dataLen} bytes after the header)`,
      );
  };
  within(header.typeOff, header.typeLen, 'type section');
  within(header.strOff, header.strLen, 'string section');
  if (
    header.typeOff < header.strOff + header.strLen &&
    header.strOff < header.typeOff + header.typeLen &&
    header.typeLen > 0 &&
    header.strLen > 0
  )
    throw new BtfError('BTF_BAD_HEADER', '.BTF type and string sections overlap');
  const strings = bytes.subarray(hdrLen + header.strOff, hdrLen + header.strOff + header.strLen);
  if (strings.length > 0 && strings[strings.length - 1] !== 0)
    throw new BtfError('BTF_BAD_STRING', '.BTF string section does not end with a NUL');

  const base = options.base;
  const looksSplit = strings.length === 0 || strings[0] !== 0;
  let split: BtfSplitInfo;
  if (base !== undefined) {
    split = {
      startId: base.typeCount,
      strStart: base.split.strStart + base.header.strLen,
      isSplit: true,
      baseMissing: false,
      offsetsKnown: true,
    };
  } else if (looksSplit) {
    const hint = options.baseHint;
    split = hint
      ? {
          startId: hint.typeCount,
          strStart: hint.strLen,
          isSplit: true,
          baseMissing: true,
          offsetsKnown: true,
        }
      : { startId: 1, strStart: 0, isSplit: true, baseMissing: true, offsetsKnown: false };
  } else {
    split = { startId: 1, strStart: 0, isSplit: false, baseMissing: false, offsetsKnown: true };
  }
  if (base === undefined && !looksSplit && options.baseHint !== undefined) {
    throw new BtfError(
      'BTF_BAD_HEADER',
      '.BTF is base BTF (its strings start with the empty string) but a base hint was given',
    );
  }

  const types: BtfType[] = [];
  const btf = new Btf(header, types, strings, split, base);
  const name = (off: number, id: number): string => {
    if (!split.offsetsKnown) {
      // Without the base's string length the own names cannot be located; say so in the name.
      return off === 0 ? '' : `<base-relative string ${off}>`;
    }
    if (off < split.strStart && base === undefined) return `<base string ${off}>`;
    return btf.str(off, `type [${id}] name`);
  };

  const start = hdrLen + header.typeOff;
  const end = start + header.typeLen;
  let p = start;
  const need = (n: number, id: number, what: string): void => {
    if (p + n > end)
      throw new BtfError(
        'BTF_TRUNCATED',
        `type [${id}] ${what} runs past the end of the type section (offset ${p - start}, needs ${n} bytes)`,
      );
  };
  const u32 = (): number => {
    const v = view.getUint32(p, true);
    p += 4;
    return v;
  };
  const i32 = (): number => {
    const v = view.getInt32(p, true);
    p += 4;
    return v;
  };
  while (p < end) {
    const id = split.startId + types.length;
    need(12, id, 'header');
    const nameOffset = u32();
    const info = u32();
    const sizeOrType = u32();
    const kindNo = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    if ((info & 0x60ff_0000) !== 0)
      throw new BtfError(
        'BTF_BAD_KIND',
        `type [${id}] info 0x${(info >>> 0).toString(16)} sets reserved bits`,
      );
    const kind = BTF_KIND_NAMES[kindNo];
    if (kind === undefined) throw new BtfError('BTF_BAD_KIND', `type [${id}] has unknown kind ${kindNo}`);
    const nm = name(nameOffset, id);
    const b = { id, name: nm, nameOffset, kindFlag };
    const noVlen = (): void => {
      if (vlen !== 0) throw new BtfError('BTF_BAD_KIND', `type [${id}] ${kind} has vlen ${vlen}, must be 0`);
    };
    switch (kind) {
      case 'INT': {
        noVlen();
        need(4, id, 'INT tail');
        const t = u32();
        const nrBits = t & 0xff;
        const bitsOffset = (t >>> 16) & 0xff;
        const encoding = (t >>> 24) & 0x0f;
        if (![1, 2, 4, 8, 16].includes(sizeOrType))
          throw new BtfError(
            'BTF_BAD_KIND',
            `type [${id}] INT '${nm}' has size ${sizeOrType} (1, 2, 4, 8 or 16)`,
          );
        if (nrBits + bitsOffset > sizeOrType * 8 || nrBits === 0)
          throw new BtfError(
            'BTF_BAD_KIND',
            `type [${id}] INT '${nm}' nr_bits ${nrBits} + bits_offset ${bitsOffset} does not fit ${sizeOrType} bytes`,
          );
        types.push({ ...b, kind, size: sizeOrType, encoding, bitsOffset, nrBits });
        break;
      }
      case 'PTR':
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
        noVlen();
        types.push({ ...b, kind, type: sizeOrType });
        break;
      case 'ARRAY': {
        noVlen();
        need(12, id, 'ARRAY tail');
        const type = u32();
        const indexType = u32();
        const nelems = u32();
        types.push({ ...b, kind, type, indexType, nelems });
        break;
      }
      case 'STRUCT':
      case 'UNION': {
        need(12 * vlen, id, `${kind} members`);
        const members = [];
        for (let i = 0; i < vlen; i++) {
          const mName = u32();
          const type = u32();
          const off = u32();
          members.push({
            name: name(mName, id),
            type,
            bitOffset: kindFlag ? off & 0xff_ffff : off,
            bitfieldSize: kindFlag ? off >>> 24 : 0,
          });
        }
        types.push({ ...b, kind, size: sizeOrType, members });
        break;
      }
      case 'ENUM':
      case 'ENUM64': {
        const rec = kind === 'ENUM' ? 8 : 12;
        need(rec * vlen, id, `${kind} values`);
        const values = [];
        for (let i = 0; i < vlen; i++) {
          const vName = name(u32(), id);
          let value: bigint;
          if (kind === 'ENUM') {
            const raw = u32();
            value = kindFlag ? BigInt(raw | 0) : BigInt(raw >>> 0);
          } else {
            const lo = BigInt(u32());
            const hi = BigInt(u32());
            const u = (hi << 32n) | lo;
            value = kindFlag ? BigInt.asIntN(64, u) : u;
          }
          values.push({ name: vName, value });
        }
        types.push({ ...b, kind, size: sizeOrType, signed: kindFlag, values });
        break;
      }
      case 'FWD':
        noVlen();
        types.push({ ...b, kind, union: kindFlag });
        break;
      case 'FUNC':
        if (vlen > 2)
          throw new BtfError(
            'BTF_BAD_KIND',
            `type [${id}] FUNC '${nm}' has linkage ${vlen} (0 static, 1 global, 2 extern)`,
          );
        types.push({ ...b, kind, type: sizeOrType, linkage: vlen });
        break;
      case 'FUNC_PROTO': {
        need(8 * vlen, id, 'FUNC_PROTO params');
        const params = [];
        let variadic = false;
        for (let i = 0; i < vlen; i++) {
          const pName = u32();
          const type = u32();
          if (i === vlen - 1 && pName === 0 && type === 0) variadic = true;
          else params.push({ name: name(pName, id), type });
        }
        types.push({ ...b, kind, returnType: sizeOrType, params, variadic });
        break;
      }
      case 'VAR': {
        noVlen();
        need(4, id, 'VAR tail');
        const linkage = u32();
        types.push({ ...b, kind, type: sizeOrType, linkage });
        break;
      }
      case 'DATASEC': {
        need(12 * vlen, id, 'DATASEC entries');
        const vars = [];
        for (let i = 0; i < vlen; i++) vars.push({ type: u32(), offset: u32(), size: u32() });
        types.push({ ...b, kind, size: sizeOrType, vars });
        break;
      }
      case 'FLOAT':
        noVlen();
        if (![2, 4, 8, 12, 16].includes(sizeOrType))
          throw new BtfError(
            'BTF_BAD_KIND',
            `type [${id}] FLOAT '${nm}' has size ${sizeOrType} (2, 4, 8, 12 or 16)`,
          );
        types.push({ ...b, kind, size: sizeOrType });
        break;
      case 'DECL_TAG': {
        noVlen();
        need(4, id, 'DECL_TAG tail');
        const componentIdx = i32();
        types.push({ ...b, kind, type: sizeOrType, componentIdx });
        break;
      }
    }
  }
  checkReferences(btf);
  return btf;
}

/** Every referenced id must exist (own ids checked exactly; base ids only against the base's range). */
function checkReferences(btf: Btf): void {
  if (!btf.split.offsetsKnown) return;
  const last = btf.typeCount;
  const ok = (ref: number, from: BtfType, what: string): void => {
    const inRange = ref < last && (ref === 0 || ref >= 1);
    if (!inRange)
      throw new BtfError(
        'BTF_BAD_TYPE_ID',
        `type [${from.id}] ${from.kind} '${from.name}' ${what} refers to type ${ref}, beyond the last id ${last - 1}`,
      );
  };
  for (const t of btf.types) {
    switch (t.kind) {
      case 'PTR':
      case 'TYPEDEF':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
      case 'FUNC':
      case 'VAR':
      case 'DECL_TAG':
        ok(t.type, t, 'type');
        break;
      case 'ARRAY':
        ok(t.type, t, 'element type');
        ok(t.indexType, t, 'index type');
        break;
      case 'STRUCT':
      case 'UNION':
        t.members.forEach((m) => ok(m.type, t, `member '${m.name}'`));
        break;
      case 'FUNC_PROTO':
        ok(t.returnType, t, 'return type');
        t.params.forEach((m) => ok(m.type, t, `param '${m.name}'`));
        break;
      case 'DATASEC':
        t.vars.forEach((v) => ok(v.type, t, 'var'));
        break;
      default:
        break;
    }
  }
  // FUNC must point at a FUNC_PROTO (when it is an own type we can check).
  for (const t of btf.types) {
    if (t.kind === 'FUNC' && btf.has(t.type) && t.type !== 0) {
      const p = btf.type(t.type);
      if (p?.kind !== 'FUNC_PROTO')
        throw new BtfError(
          'BTF_BAD_KIND',
          `type [${t.id}] FUNC '${t.name}' points at type ${t.type} (${p?.kind ?? 'void'}), not a FUNC_PROTO`,
        );
    }
  }
}
