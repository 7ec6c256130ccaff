/**
 * Printer in the style of the kernel verifier log (`0: (b7) r0 = 1`, `if r1 == 0x0 goto pc+2`,
 * `*(u32 *)(r10 -4) = r1`), for verifier logs and listings. Written from the log's observable format;
 * 32-bit operations print `w` registers, offsets print signed with a space before them.
 */
import { lookupEntry, isWide, type BpfInsn } from '../isa/insn.js';
import type { OpcodeEntry } from '../isa/table.js';
import { kernelHelperName } from '../helpers/kernel.js';

export interface KernelPrintOptions {
  /** Helper name for `call name#id`; default: the kernel's UAPI names. */
  helperName?: (id: number) => string | undefined;
}

/** The kernel log's operator text of each ALU op (`r1 += r2`); the verifier's messages use it too. */
export const ALU_SIGN: Readonly<Record<string, string>> = {
  ADD: '+=',
  SUB: '-=',
  MUL: '*=',
  DIV: '/=',
  SDIV: 's/=',
  OR: '|=',
  AND: '&=',
  LSH: '<<=',
  RSH: '>>=',
  MOD: '%=',
  SMOD: 's%=',
  XOR: '^=',
  ARSH: 's>>=',
};
const JMP_SIGN: Readonly<Record<string, string>> = {
  JEQ: '==',
  JGT: '>',
  JGE: '>=',
  JSET: '&',
  JNE: '!=',
  JSGT: 's>',
  JSGE: 's>=',
  JLT: '<',
  JLE: '<=',
  JSLT: 's<',
  JSLE: 's<=',
};
const ATOMIC_SIGN: Readonly<Record<string, string>> = { ADD: '+=', OR: '|=', AND: '&=', XOR: '^=' };

const signed = (n: number): string => (n < 0 ? `${n}` : `+${n}`);
const hex32 = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** One instruction in kernel-log syntax (without the `N: (op)` prefix). `next` is a wide load's second slot. */
export function printKernelInsn(
  insn: BpfInsn,
  entry: OpcodeEntry,
  next?: BpfInsn,
  opts: KernelPrintOptions = {},
): string {
  const { dst, src, off, imm } = insn;
  const w = entry.width === 32 ? 'w' : 'r';
  const mem = (base: number): string => `(r${base} ${signed(off)})`;
  const ty = (sign: 'u' | 's'): string => `${sign}${entry.size! * 8}`;
  switch (entry.kind) {
    case 'alu': {
      const rhs = entry.source === 'X' ? `${w}${src}` : String(imm);
      if (entry.op === 'MOV') return `${w}${dst} = ${rhs}`;
      if (entry.op === 'MOVSX') return `${w}${dst} = (s${entry.match.off})${w}${src}`;
      if (entry.op === 'NEG') return `${w}${dst} = -${w}${dst}`;
      return `${w}${dst} ${ALU_SIGN[entry.op]} ${rhs}`;
    }
    case 'end':
      return `r${dst} = ${entry.op.toLowerCase()}${entry.width} r${dst}`;
    case 'jmp': {
      const rhs = entry.source === 'X' ? `${w}${src}` : hex32(imm);
      return `if ${w}${dst} ${JMP_SIGN[entry.op]} ${rhs} goto pc${signed(off)}`;
    }
    case 'ja':
      return entry.width === 32 ? `gotol pc${signed(imm)}` : `goto pc${signed(off)}`;
    case 'call':
      if (entry.shape === 'call_local') return `call pc${signed(imm)}`;
      if (entry.shape === 'call_kfunc') return `call kfunc#${imm}`;
      if (entry.shape === 'callx') return `callx r${dst}`;
      return `call ${(opts.helperName ?? kernelHelperName)(imm) ?? 'unknown'}#${imm}`;
    case 'exit':
      return 'exit';
    case 'lddw': {
      const hi = next?.imm ?? 0;
      switch (entry.match.src) {
        case 0:
          return `r${dst} = 0x${((BigInt(hi >>> 0) << 32n) | BigInt(imm >>> 0)).toString(16)}`;
        case 1:
          return `r${dst} = map[fd:${imm}]`;
        case 2:
          return `r${dst} = map[fd:${imm}][0]+${hi}`;
        case 3:
          return `r${dst} = var[btf_id:${imm}]`;
        case 4:
          return `r${dst} = func pc${signed(imm)}`;
        case 5:
          return `r${dst} = map[idx:${imm}]`;
        default:
          return `r${dst} = map[idx:${imm}][0]+${hi}`;
      }
    }
    case 'ldx':
      return `r${dst} = *(${ty(entry.op === 'MEMSX' ? 's' : 'u')} *)${mem(src)}`;
    case 'st':
      return `*(${ty('u')} *)${mem(dst)} = ${imm}`;
    case 'stx':
      return `*(${ty('u')} *)${mem(dst)} = r${src}`;
    case 'atomic': {
      const p = `(${ty('u')} *)${mem(dst)}`;
      // The kernel log prints r registers for atomics of both widths.
      const a = entry.width === 64 ? 'atomic64' : 'atomic';
      if (entry.op === 'CMPXCHG') return `r0 = ${a}_cmpxchg(${p}, r0, r${src})`;
      if (entry.op === 'XCHG') return `r${src} = ${a}_xchg(${p}, r${src})`;
      if (entry.fetch === true) return `r${src} = ${a}_fetch_${entry.op.toLowerCase()}(${p}, r${src})`;
      return `lock *${p} ${ATOMIC_SIGN[entry.op]} r${src}`;
    }
    case 'packet':
      return entry.op === 'ABS'
        ? `r0 = *(u${entry.size! * 8} *)skb[${imm}]`
        : `r0 = *(u${entry.size! * 8} *)skb[r${src} + ${imm}]`;
  }
}

/** A whole program as verifier-log lines: `N: (op) text`, slot-numbered (a wide load advances by 2). */
export function printKernelLog(insns: readonly BpfInsn[], opts: KernelPrintOptions = {}): string {
  const lines: string[] = [];
  for (let i = 0; i < insns.length; i++) {
    const insn = insns[i]!;
    const entry = lookupEntry(insn, i);
    lines.push(
      `${i}: (${insn.opcode.toString(16).padStart(2, '0')}) ${printKernelInsn(insn, entry, insns[i + 1], opts)}`,
    );
    if (isWide(insn)) i++;
  }
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}
