/**
 * Disassembler to the bpf_conformance / ubpf text syntax; `assemble(disassemble(p))` gives `p` back for
 * every valid program (a property test checks it). Printing is keyed by the table entry's operand shape.
 */
import { lookupEntry, isWide, type BpfInsn } from '../isa/insn.js';
import type { OpcodeEntry } from '../isa/table.js';
import { formatImm, formatMem, formatOffset } from './syntax.js';

export interface DisassembleOptions {
  /** Print jump targets as labels `L<slot>:` where the target starts an instruction (default: +off). */
  labels?: boolean;
}

/** Disassemble a program (slots) to text, one instruction per line. Throws BpfDecodeError on bad words. */
export function disassemble(insns: readonly BpfInsn[], options: DisassembleOptions = {}): string {
  const starts = new Set<number>();
  for (let i = 0; i < insns.length; i++) {
    starts.add(i);
    if (isWide(insns[i]!)) i++;
  }
  starts.add(insns.length);
  const labelAt = new Set<number>();
  if (options.labels === true) {
    for (let i = 0; i < insns.length; i++) {
      const t = targetOf(insns[i]!, lookupEntry(insns[i]!, i), i);
      if (t !== undefined && starts.has(t)) labelAt.add(t);
      if (isWide(insns[i]!)) i++;
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < insns.length; i++) {
    if (labelAt.has(i)) lines.push(`L${i}:`);
    const insn = insns[i]!;
    const entry = lookupEntry(insn, i);
    const t = targetOf(insn, entry, i);
    lines.push(
      formatInsn(insn, entry, insns[i + 1], t !== undefined && labelAt.has(t) ? `L${t}` : undefined),
    );
    if (isWide(insn)) i++;
  }
  if (labelAt.has(insns.length)) lines.push(`L${insns.length}:`);
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/** The absolute slot a jump, local call or code-address load refers to. */
export function targetOf(insn: BpfInsn, entry: OpcodeEntry, index: number): number | undefined {
  switch (entry.shape) {
    case 'jmp_k':
    case 'jmp_x':
    case 'ja':
      return index + 1 + insn.off;
    case 'ja32':
    case 'call_local':
      return index + 1 + insn.imm;
    case 'lddw':
      return entry.match.src === 4 ? index + 1 + insn.imm : undefined;
    default:
      return undefined;
  }
}

/** One instruction in bpf_conformance syntax; `next` is the second slot of a wide load. */
export function formatInsn(insn: BpfInsn, entry: OpcodeEntry, next?: BpfInsn, label?: string): string {
  const mn = entry.mnemonic;
  const r = (n: number): string => `%r${n}`;
  const rel = (v: number): string => label ?? formatOffset(v);
  switch (entry.shape) {
    case 'alu_k':
      return `${mn} ${r(insn.dst)}, ${formatImm(insn.imm)}`;
    case 'alu_x':
      return `${mn} ${r(insn.dst)}, ${r(insn.src)}`;
    case 'alu_unary':
      return `${mn} ${r(insn.dst)}`;
    case 'jmp_k':
      return `${mn} ${r(insn.dst)}, ${formatImm(insn.imm)}, ${rel(insn.off)}`;
    case 'jmp_x':
      return `${mn} ${r(insn.dst)}, ${r(insn.src)}, ${rel(insn.off)}`;
    case 'ja':
      return `${mn} ${rel(insn.off)}`;
    case 'ja32':
    case 'call_local':
      return `${mn} ${rel(insn.imm)}`;
    case 'call_helper':
    case 'call_kfunc':
    case 'ld_abs':
      return `${mn} ${formatImm(insn.imm)}`;
    case 'callx':
      return `${mn} ${r(insn.dst)}`;
    case 'exit':
      return mn;
    case 'ld_ind':
      return `${mn} ${r(insn.src)}, ${formatImm(insn.imm)}`;
    case 'ldx':
      return `${mn} ${r(insn.dst)}, ${formatMem(insn.src, insn.off)}`;
    case 'st':
      return `${mn} ${formatMem(insn.dst, insn.off)}, ${formatImm(insn.imm)}`;
    case 'stx':
    case 'atomic':
      return `${mn} ${formatMem(insn.dst, insn.off)}, ${r(insn.src)}`;
    case 'lddw': {
      const hi = next?.imm ?? 0;
      if (entry.match.src === 0)
        return `${mn} ${r(insn.dst)}, 0x${((BigInt(hi >>> 0) << 32n) | BigInt(insn.imm >>> 0)).toString(16)}`;
      if (entry.match.src === 4) return `${mn} ${r(insn.dst)}, ${rel(insn.imm)}`;
      const second = entry.nextImm === true ? `, ${formatImm(hi)}` : '';
      return `${mn} ${r(insn.dst)}, ${formatImm(insn.imm)}${second}`;
    }
  }
}
