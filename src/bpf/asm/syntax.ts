/**
 * Operand syntax of the bpf_conformance / ubpf assembly language, shared by the assembler and the
 * disassembler: one template per operand shape of the opcode table.
 *
 *   %rN          register r0–r10
 *   imm          decimal or 0x hex, optionally negative; 32-bit values may be given signed or unsigned
 *   [%rN+off]    memory operand; also [%rN-off] and [%rN]
 *   target       a label, or a signed slot offset relative to the next instruction: +3, -2
 */
import { Tramp64Error } from '../../util/errors.js';
import type { Shape } from '../isa/table.js';

export type OperandKind = 'reg' | 'imm' | 'imm64' | 'mem' | 'target';

/** Operand kinds per shape, in source order. */
export const SHAPE_SYNTAX: Readonly<Record<Shape, readonly OperandKind[]>> = {
  alu_k: ['reg', 'imm'],
  alu_x: ['reg', 'reg'],
  alu_unary: ['reg'],
  jmp_k: ['reg', 'imm', 'target'],
  jmp_x: ['reg', 'reg', 'target'],
  ja: ['target'],
  ja32: ['target'],
  call_helper: ['imm'],
  call_local: ['target'],
  call_kfunc: ['imm'],
  callx: ['reg'],
  exit: [],
  lddw: ['reg', 'imm64'], // pseudo sources: %rD, imm [, next_imm] (code address: %rD, target)
  ldx: ['reg', 'mem'],
  st: ['mem', 'imm'],
  stx: ['mem', 'reg'],
  atomic: ['mem', 'reg'],
  ld_abs: ['imm'],
  ld_ind: ['reg', 'imm'],
};

const KIND_TEXT: Record<OperandKind, string> = {
  reg: '%rN',
  imm: 'imm',
  imm64: 'imm64',
  mem: '[%rN+off]',
  target: 'label|+off',
};

export function describeSyntax(mnemonic: string, kinds: readonly OperandKind[]): string {
  return kinds.length === 0 ? mnemonic : `${mnemonic} ${kinds.map((k) => KIND_TEXT[k]).join(', ')}`;
}

/** A syntax error in assembly text or a .data file; names the line and column (1-based). */
export class BpfAsmError extends Tramp64Error {
  readonly line: number;
  readonly column: number;

  constructor(line: number, column: number, message: string) {
    super('BPF_ASM', `line ${line}, column ${column}: ${message}`);
    this.line = line;
    this.column = column;
  }
}

const NUMBER_RE = /^[+-]?(0x[0-9a-f]+|[0-9]+)$/i;

/** Parse an integer literal; undefined when the text is not one. */
export function parseInteger(text: string): bigint | undefined {
  if (!NUMBER_RE.test(text)) return undefined;
  const neg = text.startsWith('-');
  const body = text.replace(/^[+-]/, '');
  const v = BigInt(body);
  return neg ? -v : v;
}

/** A 32-bit immediate, accepted signed or unsigned and stored signed. */
export function toImm32(v: bigint): number | undefined {
  if (v < -(1n << 31n) || v > (1n << 32n) - 1n) return undefined;
  return Number(BigInt.asIntN(32, v));
}

export function formatImm(imm: number): string {
  return imm > -1024 && imm < 1024 ? String(imm) : `0x${(imm >>> 0).toString(16)}`;
}

export function formatOffset(off: number): string {
  return off < 0 ? `-${-off}` : `+${off}`;
}

export function formatMem(reg: number, off: number): string {
  return off === 0 ? `[%r${reg}]` : `[%r${reg}${formatOffset(off)}]`;
}
