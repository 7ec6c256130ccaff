/**
 * The disassembler's printer: LLVM's syntax (the text `llvm-objdump -d --no-show-raw-insn` prints with the
 * reference flags). A decoded row prints through its first alias whose predicate holds, else as itself.
 * Operands are printed by their shapes; absent optional operands are dropped with their comma.
 */
import { COND_NAMES } from './names.js';
import type { CompiledAlias, Decoded, Fields, Operand, PrintContext } from './types.js';

export function preferredAlias(d: Decoded): CompiledAlias | undefined {
  for (const a of d.entry.aliases) {
    if (a.only === 'assemble') continue;
    if (a.when(d.f)) return a;
  }
  return undefined;
}

export function expandMnemonic(m: string, f: Fields): string {
  return m.includes('{cond}') ? m.replace('{cond}', COND_NAMES[f.cond!]!) : m;
}

export function printOperands(ops: readonly Operand[], f: Fields, ctx: PrintContext): string {
  const parts: string[] = [];
  for (const op of ops) {
    const s = op.print(f, ctx);
    if (s !== undefined) parts.push(s);
  }
  return parts.join(', ');
}

/** `mnemonic\toperands` (a tab, as LLVM separates them), without a trailing tab when there are no operands. */
export function printDecoded(d: Decoded, ctx: PrintContext = {}): string {
  const alias = preferredAlias(d);
  const mnemonic = expandMnemonic(alias ? alias.mnemonic : d.entry.mnemonic, d.f);
  const ops = printOperands(alias ? alias.operands : d.entry.operands, d.f, ctx);
  const comment = (alias ?? d.entry).comment?.(d.f);
  const text = ops === '' ? mnemonic : `${mnemonic}\t${ops}`;
  return comment === undefined ? text : `${text} // ${comment}`;
}
