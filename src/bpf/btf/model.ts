/**
 * Questions asked of a type graph: strip modifiers, size of a type, and the *function model* of a kernel
 * function — what the trampoline generator and the verifier need to know about a traced function:
 *
 *   bpf_fentry_test3(char a, int b, u64 c)  →  args [{a,1,signed}, {b,4,signed}, {c,8,unsigned}], ret 4 signed
 *
 * Typedefs, const, volatile, restrict and type tags are looked through. Struct/union arguments passed by
 * value and more than 8 arguments are flagged (arm64's trampoline takes at most 8 register arguments and no
 * structs by value — ENOTSUPP there), not rejected here.
 */
import { BtfError } from './errors.js';
import { BTF_INT_SIGNED, type BtfType } from './types.js';
import type { Btf } from './parse.js';

/** At most this many arguments are passed in registers (x0–x7) and reach a BPF trampoline on arm64. */
export const MAX_TRAMP_REG_ARGS = 8;

export interface FuncArgModel {
  name: string;
  /** Size in bytes; undefined when the type is in a base BTF that was not given (see `unresolved`). */
  size: number | undefined;
  signed: boolean;
  isPointer: boolean;
  /** A struct or union passed by value. */
  isStruct: boolean;
  /** The kind after looking through typedefs and modifiers (INT, PTR, ENUM, STRUCT …). */
  kind: string;
  /** Why the argument could not be resolved (its type lives in a missing base BTF). */
  unresolved?: string;
}

export interface FuncModel {
  name: string;
  /** The FUNC's BTF id. */
  id: number;
  args: FuncArgModel[];
  /** 0 for void. Undefined when unresolved. */
  returnSize: number | undefined;
  returnSigned: boolean;
  returnIsPointer: boolean;
  variadic: boolean;
  /** Reasons the trampoline cannot take this function (> 8 args, struct by value, variadic). Empty when fine. */
  unsupported: string[];
  /** Every argument and the return type resolved. */
  complete: boolean;
}

/** Follow typedefs and modifiers (const, volatile, restrict, type tags) to the underlying type; undefined = void. */
export function skipModifiers(btf: Btf, id: number): BtfType | undefined {
  let t = btf.type(id);
  for (let hops = 0; t !== undefined; hops++) {
    if (hops > 64) throw new BtfError('BTF_LOOP', `type ${id}: more than 64 typedef/modifier hops (a cycle)`);
    if (
      t.kind === 'TYPEDEF' ||
      t.kind === 'CONST' ||
      t.kind === 'VOLATILE' ||
      t.kind === 'RESTRICT' ||
      t.kind === 'TYPE_TAG'
    ) {
      t = btf.type(t.type);
    } else return t;
  }
  return undefined;
}

/** sizeof(type) in bytes; void has size 0. Throws on FWD/FUNC (no size). */
export function typeSize(btf: Btf, id: number, depth = 0): number {
  if (depth > 64)
    throw new BtfError('BTF_LOOP', `type ${id}: size computation nests more than 64 levels (a cycle)`);
  const t = skipModifiers(btf, id);
  if (t === undefined) return 0;
  switch (t.kind) {
    case 'INT':
    case 'STRUCT':
    case 'UNION':
    case 'ENUM':
    case 'ENUM64':
    case 'FLOAT':
    case 'DATASEC':
      return t.size;
    case 'PTR':
      return 8;
    case 'ARRAY':
      return t.nelems * typeSize(btf, t.type, depth + 1);
    case 'VAR':
      return typeSize(btf, t.type, depth + 1);
    default:
      throw new BtfError('BTF_BAD_KIND', `type [${t.id}] ${t.kind} '${t.name}' has no size`);
  }
}

function isSigned(t: BtfType | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === 'INT') return (t.encoding & BTF_INT_SIGNED) !== 0;
  if (t.kind === 'ENUM' || t.kind === 'ENUM64') return t.signed;
  return false;
}

function describe(
  btf: Btf,
  id: number,
): {
  size: number | undefined;
  signed: boolean;
  isPointer: boolean;
  isStruct: boolean;
  kind: string;
  unresolved?: string;
} {
  try {
    const t = skipModifiers(btf, id);
    return {
      size: typeSize(btf, id),
      signed: isSigned(t),
      isPointer: t?.kind === 'PTR',
      isStruct: t?.kind === 'STRUCT' || t?.kind === 'UNION',
      kind: t?.kind ?? 'VOID',
    };
  } catch (e) {
    if (e instanceof BtfError && e.code === 'BTF_BASE_MISSING')
      return {
        size: undefined,
        signed: false,
        isPointer: false,
        isStruct: false,
        kind: 'UNKNOWN',
        unresolved: e.message,
      };
    throw e;
  }
}

/** The FUNC named `name` (own types first, then the base). Throws BTF_NOT_FOUND. */
export function findFunc(btf: Btf, name: string): Extract<BtfType, { kind: 'FUNC' }> {
  const fs = btf.byName(name, 'FUNC');
  const f = fs[fs.length - 1];
  if (f === undefined || f.kind !== 'FUNC')
    throw new BtfError('BTF_NOT_FOUND', `no FUNC '${name}' in this BTF`);
  return f;
}

/** The function model of `name` from its FUNC → FUNC_PROTO. */
export function functionModel(btf: Btf, name: string): FuncModel {
  const f = findFunc(btf, name);
  const proto = btf.type(f.type);
  if (proto?.kind !== 'FUNC_PROTO')
    throw new BtfError('BTF_BAD_KIND', `FUNC '${name}' does not point at a FUNC_PROTO`);
  const args: FuncArgModel[] = proto.params.map((p, i) => {
    const d = describe(btf, p.type);
    const a: FuncArgModel = {
      name: p.name || `arg${i}`,
      size: d.size,
      signed: d.signed,
      isPointer: d.isPointer,
      isStruct: d.isStruct,
      kind: d.kind,
    };
    if (d.unresolved !== undefined) a.unresolved = d.unresolved;
    return a;
  });
  const ret = describe(btf, proto.returnType);
  const unsupported: string[] = [];
  if (args.length > MAX_TRAMP_REG_ARGS)
    unsupported.push(`${args.length} arguments (at most ${MAX_TRAMP_REG_ARGS} in registers)`);
  for (const a of args)
    if (a.isStruct) unsupported.push(`argument '${a.name}' is a struct/union passed by value`);
  if (proto.variadic) unsupported.push('variadic');
  if (ret.isStruct) unsupported.push('returns a struct/union by value');
  return {
    name,
    id: f.id,
    args,
    returnSize: ret.size,
    returnSigned: ret.signed,
    returnIsPointer: ret.isPointer,
    variadic: proto.variadic,
    unsupported,
    complete: ret.unresolved === undefined && args.every((a) => a.unresolved === undefined),
  };
}

/** Models of every FUNC in this BTF's own types (the functions a module or object defines). */
export function functionModels(btf: Btf): FuncModel[] {
  return btf.types.filter((t) => t.kind === 'FUNC').map((t) => functionModel(btf, t.name));
}
