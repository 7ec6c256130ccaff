/**
 * BTF records (include/uapi/linux/btf.h). Every type is `struct btf_type` (name_off, info, size|type) plus a
 * kind-specific tail; ids count from 1 in file order (0 is void), and in split BTF they continue after the
 * base's last id.
 *
 *   info:  bit 31 kind_flag | bits 28:24 kind | bits 15:0 vlen
 */
export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
export const BTF_HEADER_MIN = 24;
export const BTF_EXT_HEADER_MIN = 24;

export const BTF_KIND = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;
export type BtfKindName = Exclude<keyof typeof BTF_KIND, 'UNKN'>;
export const BTF_KIND_NAMES: readonly (BtfKindName | undefined)[] = (() => {
  const a: (BtfKindName | undefined)[] = [];
  for (const [k, v] of Object.entries(BTF_KIND)) if (k !== 'UNKN') a[v] = k as BtfKindName;
  return a;
})();

/** BTF_INT_* encoding bits (bits 27:24 of the INT tail). */
export const BTF_INT_SIGNED = 1;
export const BTF_INT_CHAR = 2;
export const BTF_INT_BOOL = 4;

/** FUNC linkage (in vlen) and VAR linkage. */
export const BTF_FUNC_LINKAGE = ['static', 'global', 'extern'] as const;
export const BTF_VAR_LINKAGE = ['static', 'global', 'extern'] as const;

export interface BtfMember {
  name: string;
  type: number;
  /** Bit offset of the member (with kind_flag, the low 24 bits of `offset`). */
  bitOffset: number;
  /** Bitfield size when the struct's kind_flag is set and the member is a bitfield; else 0. */
  bitfieldSize: number;
}
export interface BtfParam {
  name: string;
  type: number;
}
export interface BtfEnumValue {
  name: string;
  value: bigint;
}
export interface BtfVarSecinfo {
  type: number;
  offset: number;
  size: number;
}

interface Base {
  id: number;
  name: string;
  nameOffset: number;
  kindFlag: boolean;
}

export type BtfType =
  | (Base & { kind: 'INT'; size: number; encoding: number; bitsOffset: number; nrBits: number })
  | (Base & { kind: 'PTR' | 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG'; type: number })
  | (Base & { kind: 'ARRAY'; type: number; indexType: number; nelems: number })
  | (Base & { kind: 'STRUCT' | 'UNION'; size: number; members: BtfMember[] })
  | (Base & { kind: 'ENUM' | 'ENUM64'; size: number; signed: boolean; values: BtfEnumValue[] })
  | (Base & { kind: 'FWD'; union: boolean })
  | (Base & { kind: 'FUNC'; type: number; linkage: number })
  | (Base & { kind: 'FUNC_PROTO'; returnType: number; params: BtfParam[]; variadic: boolean })
  | (Base & { kind: 'VAR'; type: number; linkage: number })
  | (Base & { kind: 'DATASEC'; size: number; vars: BtfVarSecinfo[] })
  | (Base & { kind: 'FLOAT'; size: number })
  | (Base & { kind: 'DECL_TAG'; type: number; componentIdx: number });

export type BtfTypeOf<K extends BtfType['kind']> = Extract<BtfType, { kind: K }>;
