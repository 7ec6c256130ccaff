/**
 * The text assembler, driven by the same rows and operand shapes as the printer. For a mnemonic it tries
 * every row and alias spelled that way, in table order; the first whose operands parse and whose fields
 * encode wins. When none fits, the error names the line, the column where the best candidate stopped, and
 * what it expected there.
 */
import { Tramp64Error } from '../util/errors.js';
import { COND_INPUT } from './names.js';
import { encodeEntry, EncodingError } from './encode.js';
import { atEnd, lit, skipWs } from './operands/lex.js';
import type { CompiledTable } from './compile.js';
import {
  OperandMismatch,
  type Cursor,
  type Entry,
  type Fields,
  type Operand,
  type ParseContext,
} from './types.js';

export class AssemblyError extends Tramp64Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
    source?: string,
  ) {
    super('ASM', `${source ? `${source}:` : ''}${line}:${column}: ${detail}`);
  }
}

interface Candidate {
  readonly entry: Entry;
  readonly operands: readonly Operand[];
  readonly fixed?: Fields;
  readonly when?: (f: Fields) => boolean;
  /** Template mnemonic with a `{cond}` part, as a regex; undefined for plain mnemonics. */
  readonly condRe?: RegExp;
}

interface MnemonicIndex {
  readonly plain: Map<string, Candidate[]>;
  readonly templated: Candidate[];
}

const indexes = new WeakMap<CompiledTable, MnemonicIndex>();

function indexOf(table: CompiledTable): MnemonicIndex {
  let idx = indexes.get(table);
  if (idx) return idx;
  const plain = new Map<string, Candidate[]>();
  const templated: Candidate[] = [];
  const add = (mnemonic: string, cand: Candidate): void => {
    if (mnemonic.includes('{cond}')) {
      const re = new RegExp(`^${mnemonic.replace('.', '\\.').replace('{cond}', '([a-z]{2})')}$`);
      templated.push({ ...cand, condRe: re });
      return;
    }
    let list = plain.get(mnemonic);
    if (!list) plain.set(mnemonic, (list = []));
    list.push(cand);
  };
  for (const entry of table.entries) {
    // Aliases first: LLVM reads `mov x0, x1` as the ORR alias, not as an error of some other `mov` row.
    for (const a of entry.aliases) {
      if (a.only === 'print') continue;
      add(a.mnemonic, { entry, operands: a.operands, fixed: a.fixed, when: a.when });
    }
    if (!entry.printOnly) add(entry.mnemonic, { entry, operands: entry.operands });
  }
  idx = { plain, templated };
  indexes.set(table, idx);
  return idx;
}

interface Attempt {
  readonly pos: number;
  readonly expected: string;
}

function tryCandidate(cand: Candidate, c: Cursor, f: Fields, ctx: ParseContext): number | Attempt {
  try {
    for (let i = 0; i < cand.operands.length; i++) {
      const op = cand.operands[i]!;
      if (i > 0) {
        if (op.absent && atEnd(c)) {
          op.absent(f);
          continue;
        }
        lit(c, ',');
      } else if (op.absent && atEnd(c)) {
        op.absent(f);
        continue;
      }
      op.parse(c, f, ctx);
    }
    if (!atEnd(c)) return { pos: c.pos, expected: 'end of line' };
    if (cand.fixed) {
      for (const [k, v] of Object.entries(cand.fixed)) {
        if (f[k] !== undefined && f[k] !== v) return { pos: c.pos, expected: `${k} = ${v}` };
        f[k] = v;
      }
    }
    for (const [k, v] of Object.entries(cand.entry.defaults ?? {})) if (f[k] === undefined) f[k] = v;
    if (cand.when && !cand.when(f))
      return { pos: c.pos, expected: `operands that ${cand.entry.name} accepts` };
    const why = cand.entry.unpredictable?.(f);
    if (why !== undefined) return { pos: c.pos, expected: `a predictable ${cand.entry.mnemonic} (${why})` };
    return encodeEntry(cand.entry, f);
  } catch (e) {
    if (e instanceof OperandMismatch) return { pos: e.pos, expected: e.expected };
    if (e instanceof EncodingError) return { pos: c.pos, expected: `an encodable operand (${e.message})` };
    throw e;
  }
}

/**
 * Assemble one instruction (no label, no comment). `line` is used for error messages; columns are 1-based
 * and count from the start of `text`.
 */
export function assembleInsn(table: CompiledTable, text: string, ctx: ParseContext = {}, line = 1): number {
  const c: Cursor = { text, pos: 0 };
  skipWs(c);
  const m = /^[A-Za-z][A-Za-z0-9.]*/.exec(text.slice(c.pos));
  if (!m) throw new AssemblyError(line, c.pos + 1, 'expected a mnemonic');
  const mnemonic = m[0].toLowerCase();
  const start = c.pos + m[0].length;
  const idx = indexOf(table);
  const cands: { cand: Candidate; cond?: number }[] = (idx.plain.get(mnemonic) ?? []).map((cand) => ({
    cand,
  }));
  for (const cand of idx.templated) {
    const mm = cand.condRe!.exec(mnemonic);
    const cond = mm ? COND_INPUT[mm[1]!] : undefined;
    if (cond !== undefined) cands.push({ cand, cond });
  }
  if (cands.length === 0) throw new AssemblyError(line, c.pos + 1, `unknown mnemonic '${m[0]}'`);
  let best: Attempt | undefined;
  for (const { cand, cond } of cands) {
    const f: Fields = cond === undefined ? {} : { cond };
    const r = tryCandidate(cand, { text, pos: start }, f, ctx);
    if (typeof r === 'number') return r;
    if (!best || r.pos > best.pos) best = r;
  }
  const col = best!.pos + 1;
  throw new AssemblyError(line, col, `expected ${best!.expected}`);
}

export interface AssembleResult {
  readonly bytes: Uint8Array;
  /** Labels defined in the source, as addresses. */
  readonly labels: ReadonlyMap<string, bigint>;
}

const LABEL_RE = /^\s*([A-Za-z_.$][A-Za-z0-9_.$]*):/;

function stripComment(s: string): string {
  const i = s.indexOf('//');
  return i >= 0 ? s.slice(0, i) : s;
}

interface Item {
  readonly line: number;
  readonly text: string;
  readonly col: number;
  readonly address: bigint;
  readonly kind: 'insn' | 'directive';
}

/**
 * Assemble a source text: one instruction per line, `label:` definitions, `//` comments, and the
 * directives `.text`, `.globl`/`.global`, `.type`, `.size`, `.p2align n`, `.align n`, `.word`/`.inst`,
 * `.quad`/`.xword`. Two passes: label addresses first, then encoding.
 */
export function assemble(
  table: CompiledTable,
  source: string,
  opts: { address?: bigint; name?: string; symbols?: (name: string) => bigint | undefined } = {},
): AssembleResult {
  const base = opts.address ?? 0n;
  const labels = new Map<string, bigint>();
  const items: Item[] = [];
  let pc = base;
  const lines = source.split(/\r?\n/);
  const fail = (line: number, col: number, msg: string): never => {
    throw new AssemblyError(line, col, msg, opts.name);
  };
  lines.forEach((raw, i) => {
    const line = i + 1;
    let text = stripComment(raw);
    let col = 0;
    for (;;) {
      const m = LABEL_RE.exec(text);
      if (!m) break;
      if (labels.has(m[1]!)) fail(line, col + text.indexOf(m[1]!) + 1, `label '${m[1]}' defined twice`);
      labels.set(m[1]!, pc);
      col += m[0].length;
      text = text.slice(m[0].length);
    }
    const t = text.trim();
    if (t === '') return;
    col += text.indexOf(t);
    if (t.startsWith('.')) {
      const [dir, ...rest] = t.split(/\s+/);
      const arg = rest.join(' ');
      switch (dir) {
        case '.text':
        case '.globl':
        case '.global':
        case '.type':
        case '.size':
        case '.section':
          return;
        case '.p2align':
        case '.align': {
          const n = Number(arg.split(',')[0]);
          if (!Number.isInteger(n) || n < 0 || n > 16)
            fail(line, col + 1, `${dir} needs a power of two exponent 0-16`);
          const a = 1n << BigInt(n);
          while (pc % a !== 0n) {
            items.push({ line, text: 'nop', col, address: pc, kind: 'insn' });
            pc += 4n;
          }
          return;
        }
        case '.word':
        case '.inst':
          items.push({ line, text: t, col, address: pc, kind: 'directive' });
          pc += 4n * BigInt(arg.split(',').length);
          return;
        case '.quad':
        case '.xword':
          items.push({ line, text: t, col, address: pc, kind: 'directive' });
          pc += 8n * BigInt(arg.split(',').length);
          return;
        default:
          fail(line, col + 1, `unknown directive '${dir}'`);
      }
    }
    items.push({ line, text: t, col, address: pc, kind: 'insn' });
    pc += 4n;
  });
  const out = new Uint8Array(Number(pc - base));
  const view = new DataView(out.buffer);
  const resolve = (name: string): bigint | undefined => labels.get(name) ?? opts.symbols?.(name);
  for (const it of items) {
    const off = Number(it.address - base);
    if (it.kind === 'directive') {
      const [dir, ...rest] = it.text.split(/\s+/);
      const values = rest
        .join(' ')
        .split(',')
        .map((s) => s.trim());
      values.forEach((v, k) => {
        let n: bigint;
        try {
          n = BigInt(v.startsWith('-') ? `-${v.slice(1)}` : v);
        } catch {
          const r = resolve(v);
          if (r === undefined)
            return fail(it.line, it.col + 1, `expected a number or a known label, got '${v}'`);
          n = r;
        }
        if (dir === '.quad' || dir === '.xword') view.setBigUint64(off + 8 * k, BigInt.asUintN(64, n), true);
        else {
          if (n < -(2n ** 31n) || n >= 2n ** 32n) fail(it.line, it.col + 1, `${v} does not fit in 32 bits`);
          view.setUint32(off + 4 * k, Number(BigInt.asUintN(32, n)), true);
        }
      });
      continue;
    }
    try {
      const w = assembleInsn(table, it.text, { address: it.address, resolve }, it.line);
      view.setUint32(off, w, true);
    } catch (e) {
      if (e instanceof AssemblyError) fail(it.line, it.col + e.column, e.detail);
      throw e;
    }
  }
  return { bytes: out, labels };
}
