/**
 * Lexing primitives for operand parsers. Each consumes from a Cursor or throws OperandMismatch at the
 * cursor's position naming what was expected, so the assembler can report "line 3, column 14: expected
 * an immediate like #16".
 */
import { OperandMismatch, type Cursor } from '../types.js';

export function skipWs(c: Cursor): void {
  while (c.pos < c.text.length && (c.text[c.pos] === ' ' || c.text[c.pos] === '\t')) c.pos++;
}

export function atEnd(c: Cursor): boolean {
  skipWs(c);
  return c.pos >= c.text.length;
}

export function peek(c: Cursor): string {
  skipWs(c);
  return c.text[c.pos] ?? '';
}

/** Consume `s` (case-insensitive) if it is next; returns whether it was. */
export function tryLit(c: Cursor, s: string): boolean {
  skipWs(c);
  if (c.text.slice(c.pos, c.pos + s.length).toLowerCase() === s) {
    c.pos += s.length;
    return true;
  }
  return false;
}

export function lit(c: Cursor, s: string): void {
  if (!tryLit(c, s)) throw new OperandMismatch(c.pos, `'${s}'`);
}

/** A word (letters, digits, `_`, `.`), lower-cased, or throws. */
export function word(c: Cursor, expected: string): string {
  skipWs(c);
  const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(c.text.slice(c.pos));
  if (!m) throw new OperandMismatch(c.pos, expected);
  c.pos += m[0].length;
  return m[0].toLowerCase();
}

/** Look at the next word without consuming it. */
export function peekWord(c: Cursor): string | undefined {
  skipWs(c);
  const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(c.text.slice(c.pos));
  return m ? m[0].toLowerCase() : undefined;
}

/** An integer literal: decimal or 0x hex, optionally negative. Returned as bigint to keep 64-bit values exact. */
export function integer(c: Cursor, expected = 'a number'): bigint {
  skipWs(c);
  const m = /^(-)?(0x[0-9a-fA-F]+|0b[01]+|[0-9]+)/.exec(c.text.slice(c.pos));
  if (!m) throw new OperandMismatch(c.pos, expected);
  c.pos += m[0].length;
  const v = BigInt(m[2]!);
  return m[1] ? -v : v;
}

/** `#imm` (the `#` is optional, as LLVM accepts). */
export function immediate(c: Cursor, expected = 'an immediate like #16'): bigint {
  const start = c.pos;
  tryLit(c, '#');
  try {
    return integer(c, expected);
  } catch (e) {
    c.pos = start;
    throw e;
  }
}

export function mismatch(c: Cursor, expected: string, at = c.pos): never {
  throw new OperandMismatch(at, expected);
}
