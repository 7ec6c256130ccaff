/**
 * The `.data` test-file format of bpf_conformance (and ubpf). Line-oriented; `#` starts a comment; a line
 * `-- name` starts a section:
 *   asm                 the program in assembly (see assemble.ts)
 *   raw                 the program as 64-bit words (hex or decimal), one or more per line; overrides asm
 *   mem                 the input buffer: hex bytes; a hexdump prefix up to `:` is ignored
 *   result              the expected r0 (64 bits; hex when it contains 0x)
 *   error               the expected error message
 *   c, no register offset, description   documentation for other tools; ignored
 * Any other section is recorded in `unknown` (bpf_conformance skips such files).
 */
import { BpfAsmError, parseInteger } from './syntax.js';

export interface DataFile {
  asm?: { text: string; firstLine: number };
  raw?: bigint[];
  mem?: Uint8Array;
  result?: bigint;
  error?: string;
  /** Sections present but ignored by design (documentation for other tools). */
  ignored: string[];
  /** Sections this parser does not know. */
  unknown: string[];
}

const IGNORED = ['c', 'no register offset', 'description', 'no jit'];

/** Parse a .data file. Throws BpfAsmError (line, column, what was expected) on malformed sections. */
export function parseDataFile(text: string): DataFile {
  const lines = text.split(/\r?\n/);
  const sections = new Map<string, { start: number; lines: string[] }>();
  let current: { start: number; lines: string[] } | undefined;
  const out: DataFile = { ignored: [], unknown: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^\s*--\s*(.*?)\s*$/.exec(line);
    if (m !== null) {
      const name = m[1]!.toLowerCase();
      if (sections.has(name)) throw new BpfAsmError(i + 1, 1, `section '-- ${name}' appears twice`);
      current = { start: i + 2, lines: [] };
      sections.set(name, current);
      if (IGNORED.includes(name)) out.ignored.push(name);
      else if (!['asm', 'raw', 'mem', 'result', 'error'].includes(name)) out.unknown.push(name);
      continue;
    }
    current?.lines.push(line);
  }
  const asm = sections.get('asm');
  if (asm !== undefined) out.asm = { text: asm.lines.join('\n'), firstLine: asm.start };
  const raw = sections.get('raw');
  if (raw !== undefined) out.raw = numbers(raw, 'a 64-bit instruction word');
  const mem = sections.get('mem');
  if (mem !== undefined) out.mem = memBytes(mem);
  const result = sections.get('result');
  if (result !== undefined) {
    const values = numbers(result, 'the expected r0');
    if (values.length !== 1)
      throw new BpfAsmError(result.start, 1, `-- result needs exactly one number, got ${values.length}`);
    out.result = BigInt.asUintN(64, values[0]!);
  }
  const error = sections.get('error');
  if (error !== undefined) out.error = stripComments(error.lines).join('\n').trim();
  return out;
}

function stripComments(lines: readonly string[]): string[] {
  return lines.map((l) => (l.includes('#') ? l.slice(0, l.indexOf('#')) : l));
}

function numbers(section: { start: number; lines: string[] }, what: string): bigint[] {
  const out: bigint[] = [];
  stripComments(section.lines).forEach((line, i) => {
    for (const m of line.matchAll(/\S+/g)) {
      const v = parseInteger(m[0]);
      if (v === undefined || v < -(1n << 63n) || v >= 1n << 64n) {
        throw new BpfAsmError(
          section.start + i,
          m.index + 1,
          `expected ${what} (decimal or 0x hex), got '${m[0]}'`,
        );
      }
      out.push(BigInt.asUintN(64, v));
    }
  });
  return out;
}

function memBytes(section: { start: number; lines: string[] }): Uint8Array {
  const out: number[] = [];
  stripComments(section.lines).forEach((line, i) => {
    const colon = line.indexOf(':');
    const body = colon >= 0 ? line.slice(colon + 1) : line;
    const base = colon >= 0 ? colon + 1 : 0;
    for (const m of body.matchAll(/\S+/g)) {
      if (!/^[0-9a-f]{2}$/i.test(m[0])) {
        throw new BpfAsmError(
          section.start + i,
          base + m.index + 1,
          `expected a hex byte such as 'a0', got '${m[0]}'`,
        );
      }
      out.push(parseInt(m[0], 16));
    }
  });
  return Uint8Array.from(out);
}
