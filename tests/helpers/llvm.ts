/**
 * The LLVM oracle: batches of words through `llvm-mc --disassemble` and batches of lines through
 * `llvm-mc --show-encoding`, with the reference feature flags of SPEC.md. One process per batch, so a test
 * can check thousands of cases in a second.
 */
import { spawnSync } from 'node:child_process';

import { REFERENCE_MATTR } from '../../src/cli/corpus-disasm.js';

export { REFERENCE_MATTR };

function llvmMc(args: string[], input: string): { stdout: string; stderr: string } {
  const r = spawnSync('llvm-mc', ['--triple=aarch64', `-mattr=${REFERENCE_MATTR}`, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Normalise LLVM text for comparison: tabs and runs of spaces become one space. */
export function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** LLVM's disassembly of each word (llvm-mc style: PC-relative targets as `#offset`), undefined if invalid. */
export function llvmDisassemble(words: readonly number[]): (string | undefined)[] {
  const input = words
    .map((w) => [0, 8, 16, 24].map((s) => `0x${((w >>> s) & 0xff).toString(16).padStart(2, '0')}`).join(' '))
    .join('\n');
  const { stdout, stderr } = llvmMc(['--disassemble'], input + '\n');
  const invalid = new Set<number>();
  for (const m of stderr.matchAll(
    /<stdin>:(\d+):\d+: warning: (invalid instruction encoding|potentially undefined instruction encoding)/g,
  )) {
    if (m[2] === 'invalid instruction encoding') invalid.add(Number(m[1]) - 1);
  }
  const lines = stdout.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('.text'));
  const out: (string | undefined)[] = [];
  let k = 0;
  for (let i = 0; i < words.length; i++) {
    if (invalid.has(i)) out.push(undefined);
    else out.push(norm(lines[k++] ?? ''));
  }
  if (k !== lines.length)
    throw new Error(`llvm-mc output misaligned: ${lines.length} lines for ${k} valid words`);
  return out;
}

/** LLVM's encoding of each line, or an error message. */
export function llvmAssemble(lines: readonly string[]): ({ word: number } | { error: string })[] {
  const { stdout, stderr } = llvmMc(['--show-encoding'], lines.join('\n') + '\n');
  const errors = new Map<number, string>();
  for (const m of stderr.matchAll(/<stdin>:(\d+):\d+: error: (.*)/g)) errors.set(Number(m[1]) - 1, m[2]!);
  const encs = [...stdout.matchAll(/encoding: \[([^\]]*)\]/g)].map((m) =>
    m[1]!.split(',').reduce((w, b, i) => (w | (parseInt(b, 16) << (8 * i))) >>> 0, 0),
  );
  const out: ({ word: number } | { error: string })[] = [];
  let k = 0;
  for (let i = 0; i < lines.length; i++) {
    const e = errors.get(i);
    if (e !== undefined) out.push({ error: e });
    else out.push({ word: encs[k++]! });
  }
  return out;
}
