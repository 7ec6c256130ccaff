/**
 * eBPF opcode fields, RFC 9669 §3 (instruction encoding) and §4–5 (classes, codes, modes, sizes).
 * Names are the kernel's (`BPF_ALU64`, `BPF_JSGT`, `BPF_MEMSX` …) so one grep finds both.
 *
 *   arithmetic / jump:   opcode = code[7:4] | source[3] | class[2:0]
 *   load / store:        opcode = mode[7:5] | size[4:3] | class[2:0]
 */

// Instruction classes, opcode bits [2:0] (RFC 9669 §3.3).
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_JMP32 = 0x06;
export const BPF_ALU64 = 0x07;

// Source operand, opcode bit [3] (RFC 9669 §4). For END under ALU: TO_LE = K, TO_BE = X.
export const BPF_K = 0x00;
export const BPF_X = 0x08;
export const BPF_TO_LE = 0x00;
export const BPF_TO_BE = 0x08;

// Arithmetic codes, opcode bits [7:4] (RFC 9669 §4.1).
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_MOV = 0xb0;
export const BPF_ARSH = 0xc0;
export const BPF_END = 0xd0;

// Jump codes, opcode bits [7:4] (RFC 9669 §4.3).
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;
export const BPF_JNE = 0x50;
export const BPF_JSGT = 0x60;
export const BPF_JSGE = 0x70;
export const BPF_CALL = 0x80;
export const BPF_EXIT = 0x90;
export const BPF_JLT = 0xa0;
export const BPF_JLE = 0xb0;
export const BPF_JSLT = 0xc0;
export const BPF_JSLE = 0xd0;

// Load/store sizes, opcode bits [4:3] (RFC 9669 §5).
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_DW = 0x18;

// Load/store modes, opcode bits [7:5] (RFC 9669 §5).
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_MEMSX = 0x80;
export const BPF_ATOMIC = 0xc0;

// Atomic operations in 'imm' (RFC 9669 §5.3).
export const BPF_FETCH = 0x01;
export const BPF_XCHG = 0xe0 | BPF_FETCH;
export const BPF_CMPXCHG = 0xf0 | BPF_FETCH;

// src_reg of the 64-bit immediate load (RFC 9669 §5.4; kernel BPF_PSEUDO_*).
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
export const BPF_PSEUDO_BTF_ID = 3; // RFC: var_addr(imm)
export const BPF_PSEUDO_FUNC = 4; // RFC: code_addr(imm)
export const BPF_PSEUDO_MAP_IDX = 5;
export const BPF_PSEUDO_MAP_IDX_VALUE = 6;

// src_reg of CALL (RFC 9669 §4.3.1–4.3.2; kernel BPF_PSEUDO_CALL, BPF_PSEUDO_KFUNC_CALL).
export const BPF_PSEUDO_CALL = 1;
export const BPF_PSEUDO_KFUNC_CALL = 2;

export const BPF_CLASS = (opcode: number): number => opcode & 0x07;
export const BPF_OP = (opcode: number): number => opcode & 0xf0;
export const BPF_SRC = (opcode: number): number => opcode & 0x08;
export const BPF_SIZE = (opcode: number): number => opcode & 0x18;
export const BPF_MODE = (opcode: number): number => opcode & 0xe0;

/** Registers: R0 return value, R1–R5 arguments, R6–R9 callee-saved, R10 read-only frame pointer. */
export const BPF_REG_FP = 10;
export const MAX_BPF_REG = 11;

/** Bytes per size code. */
export const SIZE_BYTES: Readonly<Record<number, 1 | 2 | 4 | 8>> = {
  [BPF_B]: 1,
  [BPF_H]: 2,
  [BPF_W]: 4,
  [BPF_DW]: 8,
};
