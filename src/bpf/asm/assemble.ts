/**
 * Assembler for the bpf_conformance / ubpf text syntax. One instruction per line; `#` starts a comment;
 * `name:` defines a label (alone or before an instruction). Jump and local-call targets are labels or
 * signed slot offsets (`+2`, `-1`). As in bpf_conformance, the label `exit` — unless defined explicitly —
 * names the first `exit` instruction. Atomics read `lock [fetch] op[32] [%rD+off], %rS`; calls read
 * `call N`, `call helper N`, `call local target`, `call runtime N` (kfunc) and `call %rN` (callx).
 *
 * Mnemonics, operand shapes and encodings all come from the opcode table (src/bpf/isa/table.ts).
 */
import { ENTRIES_BY_MNEMONIC, type OpcodeEntry } from '../isa/table.js';
import { isWide, joinImm64, wideSlots, type BpfInsn } from '../isa/insn.js';
import {
  BpfAsmError,
  SHAPE_SYNTAX,
  describeSyntax,
  parseInteger,
  toImm32,
  type OperandKind,
} from './syntax.js';

export interface AssembleOptions {
  /** Line number of the first line of `text` in its file (for error messages), default 1. */
  firstLine?: number;
}

interface Token {
  text: string;
  column: number;
}

interface Fixup {
  slot: number;
  field: 'off' | 'imm';
  label: string;
  line: number;
  column: number;
}

const LABEL_RE = /^[A-Za-z_.][A-Za-z0-9_.]*$/;
const CALL_MODES: Record<string, string> = { helper: 'call', local: 'call local', runtime: 'call runtime' };

/** Assemble text into slots (see BpfInsn). Throws BpfAsmError naming the line and column. */
export function assemble(text: string, options: AssembleOptions = {}): BpfInsn[] {
  const firstLine = options.firstLine ?? 1;
  const out: BpfInsn[] = [];
  const labels = new Map<string, number>();
  const fixups: Fixup[] = [];
  let firstExit: number | undefined;

  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const lineNo = firstLine + li;
    const raw = lines[li]!;
    const hash = raw.indexOf('#');
    let body = hash >= 0 ? raw.slice(0, hash) : raw;
    let offset = 0;
    // Labels: `name:` at the start of the line, possibly followed by an instruction.
    for (;;) {
      const m = /^(\s*)([A-Za-z_.][A-Za-z0-9_.]*):/.exec(body);
      if (m === null) break;
      const name = m[2]!;
      const col = offset + m[1]!.length + 1;
      if (labels.has(name)) throw new BpfAsmError(lineNo, col, `label '${name}' is defined twice`);
      labels.set(name, out.length);
      offset += m[0].length;
      body = body.slice(m[0].length);
    }
    const tokens = tokenize(body, offset);
    if (tokens.length === 0) continue;
    const slot = out.length;
    const { entry, operands } = chooseEntry(tokens, lineNo);
    if (entry.kind === 'exit' && firstExit === undefined) firstExit = slot;
    out.push(...encodeOperands(entry, operands, slot, lineNo, fixups));
  }

  for (const fx of fixups) {
    let target = labels.get(fx.label);
    if (target === undefined && fx.label === 'exit') target = firstExit;
    if (target === undefined) throw new BpfAsmError(fx.line, fx.column, `undefined label '${fx.label}'`);
    const rel = target - fx.slot - 1;
    if (fx.field === 'off' && (rel < -0x8000 || rel > 0x7fff)) {
      throw new BpfAsmError(
        fx.line,
        fx.column,
        `label '${fx.label}' is ${rel} slots away; off reaches [-32768, 32767] (use ja32)`,
      );
    }
    const insn = out[fx.slot]!;
    insn[fx.field] = rel;
    if (isWide(insn)) insn.imm64 = joinImm64(insn.imm, out[fx.slot + 1]!.imm);
  }
  return out;
}

/** Split `mnemonic op1, op2, …` into tokens with their columns; multi-word mnemonics are joined later. */
function tokenize(body: string, offset: number): Token[] {
  const tokens: Token[] = [];
  const re = /\[[^\]]*\]?|[^\s,[]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) tokens.push({ text: m[0], column: offset + m.index + 1 });
  return tokens;
}

function chooseEntry(tokens: Token[], line: number): { entry: OpcodeEntry; operands: Token[] } {
  let mnemonic = tokens[0]!.text.toLowerCase();
  const rest = tokens.slice(1);
  if (mnemonic === 'lock') {
    // lock [fetch] op [%rD+off], %rS
    const words: string[] = [];
    while (rest.length > 0 && !rest[0]!.text.startsWith('[')) words.push(rest.shift()!.text.toLowerCase());
    mnemonic = ['lock', ...words].join(' ');
  } else if (
    mnemonic === 'call' &&
    rest.length > 0 &&
    CALL_MODES[rest[0]!.text.toLowerCase()] !== undefined
  ) {
    mnemonic = CALL_MODES[rest.shift()!.text.toLowerCase()]!;
  }
  const candidates = ENTRIES_BY_MNEMONIC.get(mnemonic);
  if (candidates === undefined) {
    throw new BpfAsmError(line, tokens[0]!.column, `unknown mnemonic '${mnemonic}'`);
  }
  const kinds = rest.map((t) => classify(t.text));
  for (const e of candidates) {
    const want = syntaxOf(e);
    if (want.length === kinds.length && want.every((k, i) => compatible(k, kinds[i]!)))
      return { entry: e, operands: rest };
  }
  const expected = candidates.map((e) => `'${describeSyntax(mnemonic, syntaxOf(e))}'`).join(' or ');
  // Point at the first operand that no same-arity form accepts (the best partial match wins).
  let bad = 0;
  for (const e of candidates) {
    const want = syntaxOf(e);
    if (want.length !== kinds.length) continue;
    bad = Math.max(
      bad,
      want.findIndex((k, i) => !compatible(k, kinds[i]!)),
    );
  }
  const last = tokens.at(-1)!;
  const col = rest[bad]?.column ?? last.column + last.text.length;
  throw new BpfAsmError(
    line,
    col,
    `expected ${expected}, got '${[mnemonic, rest.map((t) => t.text).join(', ')].join(' ').trim()}'`,
  );
}

function syntaxOf(e: OpcodeEntry): readonly OperandKind[] {
  const base = SHAPE_SYNTAX[e.shape];
  if (e.kind === 'lddw' && e.match.src === 4) return ['reg', 'target'];
  if (e.kind === 'lddw' && e.match.src !== 0)
    return e.nextImm === true ? ['reg', 'imm', 'imm'] : ['reg', 'imm'];
  return base;
}

type Lexical = 'reg' | 'mem' | 'value';
function classify(text: string): Lexical {
  if (text.startsWith('[')) return 'mem';
  if (/^%?r\d+$/i.test(text)) return 'reg';
  return 'value';
}

function compatible(want: OperandKind, got: Lexical): boolean {
  if (want === 'reg' || want === 'mem') return want === got;
  return got === 'value';
}

function encodeOperands(
  e: OpcodeEntry,
  ops: Token[],
  slot: number,
  line: number,
  fixups: Fixup[],
): BpfInsn[] {
  const insn: BpfInsn = {
    opcode: e.opcode,
    dst: 0,
    src: e.match.src ?? 0,
    off: e.match.off ?? 0,
    imm: e.match.imm ?? 0,
  };
  const reg = (t: Token): number => {
    const n = Number(/\d+/.exec(t.text)![0]);
    if (n > 10) throw new BpfAsmError(line, t.column, `register '${t.text}' does not exist (r0-r10)`);
    return n;
  };
  const imm32 = (t: Token): number => {
    const v = parseInteger(t.text);
    if (v === undefined) throw new BpfAsmError(line, t.column, `expected an immediate, got '${t.text}'`);
    const imm = toImm32(v);
    if (imm === undefined) throw new BpfAsmError(line, t.column, `immediate ${t.text} does not fit 32 bits`);
    return imm;
  };
  const off16 = (t: Token, text: string): number => {
    const v = parseInteger(text);
    if (v === undefined) throw new BpfAsmError(line, t.column, `expected an offset, got '${text}'`);
    if (v < -0x8000n || v > 0x7fffn)
      throw new BpfAsmError(line, t.column, `offset ${text} is outside [-32768, 32767]`);
    return Number(v);
  };
  const mem = (t: Token): { reg: number; off: number } => {
    const m = /^\[\s*(%?r\d+)\s*(?:([+-])\s*(0x[0-9a-f]+|\d+)\s*)?\]$/i.exec(t.text);
    if (m === null)
      throw new BpfAsmError(line, t.column, `expected a memory operand [%rN+off], got '${t.text}'`);
    const r = reg({ text: m[1]!, column: t.column + 1 });
    return { reg: r, off: m[2] === undefined ? 0 : off16(t, `${m[2]}${m[3]}`) };
  };
  const target = (t: Token, field: 'off' | 'imm'): number => {
    if (/^[+-]/.test(t.text)) return field === 'off' ? off16(t, t.text) : imm32(t);
    if (!LABEL_RE.test(t.text))
      throw new BpfAsmError(line, t.column, `expected a label or +offset, got '${t.text}'`);
    fixups.push({ slot, field, label: t.text, line, column: t.column });
    return 0;
  };

  switch (e.shape) {
    case 'alu_k':
      insn.dst = reg(ops[0]!);
      insn.imm = imm32(ops[1]!);
      break;
    case 'alu_x':
      insn.dst = reg(ops[0]!);
      insn.src = reg(ops[1]!);
      break;
    case 'alu_unary':
      insn.dst = reg(ops[0]!);
      break;
    case 'jmp_k':
      insn.dst = reg(ops[0]!);
      insn.imm = imm32(ops[1]!);
      insn.off = target(ops[2]!, 'off');
      break;
    case 'jmp_x':
      insn.dst = reg(ops[0]!);
      insn.src = reg(ops[1]!);
      insn.off = target(ops[2]!, 'off');
      break;
    case 'ja':
      insn.off = target(ops[0]!, 'off');
      break;
    case 'ja32':
      insn.imm = target(ops[0]!, 'imm');
      break;
    case 'call_local':
      insn.imm = target(ops[0]!, 'imm');
      break;
    case 'call_helper':
    case 'call_kfunc':
    case 'ld_abs':
      insn.imm = imm32(ops[0]!);
      break;
    case 'callx':
      insn.dst = reg(ops[0]!);
      break;
    case 'exit':
      break;
    case 'ld_ind':
      insn.src = reg(ops[0]!);
      insn.imm = imm32(ops[1]!);
      break;
    case 'ldx': {
      insn.dst = reg(ops[0]!);
      const m = mem(ops[1]!);
      insn.src = m.reg;
      insn.off = m.off;
      break;
    }
    case 'st': {
      const m = mem(ops[0]!);
      insn.dst = m.reg;
      insn.off = m.off;
      insn.imm = imm32(ops[1]!);
      break;
    }
    case 'stx':
    case 'atomic': {
      const m = mem(ops[0]!);
      insn.dst = m.reg;
      insn.off = m.off;
      insn.src = reg(ops[1]!);
      break;
    }
    case 'lddw':
      return encodeWide(e, insn, ops, line, reg, imm32, target);
  }
  return [insn];
}

function encodeWide(
  e: OpcodeEntry,
  insn: BpfInsn,
  ops: Token[],
  line: number,
  reg: (t: Token) => number,
  imm32: (t: Token) => number,
  target: (t: Token, f: 'off' | 'imm') => number,
): BpfInsn[] {
  const dst = reg(ops[0]!);
  const fields = { opcode: insn.opcode, dst, src: insn.src, off: 0 };
  if (e.match.src === 0) {
    const t = ops[1]!;
    const v = parseInteger(t.text);
    if (v === undefined)
      throw new BpfAsmError(line, t.column, `expected a 64-bit immediate, got '${t.text}'`);
    if (v < -(1n << 63n) || v > (1n << 64n) - 1n)
      throw new BpfAsmError(line, t.column, `immediate ${t.text} does not fit 64 bits`);
    return wideSlots(fields, v);
  }
  const lo = e.match.src === 4 ? target(ops[1]!, 'imm') : imm32(ops[1]!);
  const hi = ops[2] !== undefined ? imm32(ops[2]) : 0;
  return wideSlots(fields, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}
