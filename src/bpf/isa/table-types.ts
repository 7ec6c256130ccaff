/** Types of the eBPF opcode table (see table.ts): groups, operand shapes, entries. */
/** RFC 9669 §2.4 conformance groups, plus 'callx' for the Linux-only indirect call. */
export type ConformanceGroup =
  'base32' | 'base64' | 'atomic32' | 'atomic64' | 'divmul32' | 'divmul64' | 'packet' | 'callx';
export const CONFORMANCE_GROUPS: readonly ConformanceGroup[] = [
  'base32',
  'base64',
  'atomic32',
  'atomic64',
  'divmul32',
  'divmul64',
  'packet',
  'callx',
];

export type Field = 'dst' | 'src' | 'off' | 'imm';

/** Operand shapes: which fields carry operands. Printers and the assembler are keyed by shape. */
export type Shape =
  | 'alu_k' //      dst, imm          mov %r0, 1
  | 'alu_x' //      dst, src          mov %r0, %r1
  | 'alu_unary' //  dst               neg %r0 / be16 %r0
  | 'jmp_k' //      dst, imm, off     jeq %r1, 0, +2
  | 'jmp_x' //      dst, src, off     jeq %r1, %r2, +2
  | 'ja' //         off               ja +2
  | 'ja32' //       imm               ja32 +2
  | 'call_helper' // imm              call 5
  | 'call_local' // imm               call local +2
  | 'call_kfunc' // imm               call runtime 7
  | 'callx' //      dst               call %r2
  | 'exit' //                         exit
  | 'lddw' //       dst, imm (+next)  lddw %r0, 0x1122334455667788
  | 'ldx' //        dst, src, off     ldxw %r0, [%r1+4]
  | 'st' //         dst, off, imm     stw [%r10-4], 1
  | 'stx' //        dst, src, off     stxw [%r10-4], %r1
  | 'atomic' //     dst, src, off     lock add [%r10-8], %r1
  | 'ld_abs' //     imm               ldabsw 12
  | 'ld_ind'; //    src, imm          ldindw %r1, 12

export const SHAPE_FIELDS: Readonly<Record<Shape, readonly Field[]>> = {
  alu_k: ['dst', 'imm'],
  alu_x: ['dst', 'src'],
  alu_unary: ['dst'],
  jmp_k: ['dst', 'imm', 'off'],
  jmp_x: ['dst', 'src', 'off'],
  ja: ['off'],
  ja32: ['imm'],
  call_helper: ['imm'],
  call_local: ['imm'],
  call_kfunc: ['imm'],
  callx: ['dst'],
  exit: [],
  lddw: ['dst', 'imm'],
  ldx: ['dst', 'src', 'off'],
  st: ['dst', 'off', 'imm'],
  stx: ['dst', 'src', 'off'],
  atomic: ['dst', 'src', 'off'],
  ld_abs: ['imm'],
  ld_ind: ['src', 'imm'],
};

/** What the interpreter, verifier and JIT switch on. */
export type Kind =
  'alu' | 'end' | 'jmp' | 'ja' | 'call' | 'exit' | 'lddw' | 'ldx' | 'st' | 'stx' | 'atomic' | 'packet';

export interface OpcodeEntry {
  /** Kernel-style name: class_op_source, e.g. ALU64_ADD_K, JMP32_JSGE_X, LDX_MEMSX_H, STX_ATOMIC_DW_FETCH_ADD. */
  readonly name: string;
  readonly opcode: number;
  readonly cls: number;
  readonly kind: Kind;
  /** The RFC's code name: ADD … END, JEQ … JSLE, JA, CALL, EXIT, MEM, MEMSX, ATOMIC op (ADD/OR/AND/XOR/XCHG/CMPXCHG), ABS, IND, IMM. */
  readonly op: string;
  /** Operand width in bits: 32 for ALU/JMP32 (and 32-bit atomics), 64 otherwise; for END the swap width. */
  readonly width: 16 | 32 | 64;
  /** Memory access size in bytes, for loads, stores, atomics and packet loads. */
  readonly size?: 1 | 2 | 4 | 8;
  /** Source operand (K immediate / X register) for ALU and JMP. */
  readonly source?: 'K' | 'X';
  /** A field fixed to a value besides the opcode (SDIV off=1, END imm=16 …). */
  readonly match: Readonly<Partial<Record<Field, number>>>;
  /** Atomic with BPF_FETCH (XCHG and CMPXCHG always fetch). */
  readonly fetch?: boolean;
  /** Wide load whose second slot's imm is an operand (the value's high half, a map value offset, a BTF object fd). */
  readonly nextImm?: boolean;
  /** Signed variant (SDIV, SMOD, MOVSX, MEMSX). */
  readonly signed?: boolean;
  /** Assembler mnemonic in bpf_conformance / ubpf syntax; `aliases` are accepted on input only. */
  readonly mnemonic: string;
  readonly aliases: readonly string[];
  readonly shape: Shape;
  readonly group: ConformanceGroup;
  /** The ISA version (-mcpu=v1..v4) that introduced the instruction. */
  readonly version: 1 | 2 | 3 | 4;
  /** One-line semantics. */
  readonly sem: string;
}

export type Draft = Omit<OpcodeEntry, 'aliases' | 'match'> & {
  aliases?: readonly string[];
  match?: OpcodeEntry['match'];
};

/** An entry from its draft: no aliases and no matched field unless given. */
export function entry(d: Draft): OpcodeEntry {
  return { ...d, aliases: d.aliases ?? [], match: d.match ?? {} };
}
