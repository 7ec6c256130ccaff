/**
 * Fuzzing: random bytes, mutated conformance programs and mutated assembly text must produce results or
 * typed Tramp64Errors only — never a JS exception (TypeError, RangeError …) and never a hang (the
 * instruction bound stops loops; the frame limit stops recursion). Seeded; the seed is in the test name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  assemble,
  decodeProgram,
  disassemble,
  encodeProgram,
  parseDataFile,
  printKernelLog,
  BpfInterpreter,
  conformanceHelpers,
} from '../../src/bpf/index.js';
import { programOf } from '../../src/bpf/conformance.js';
import { Tramp64Error } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';
import { randomProgram } from './gen.js';

const DIR = join(import.meta.dirname, '../../../shared/conformance/bpf_conformance/tests');
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.data'))
  .sort()
  .map((f) => readFileSync(join(DIR, f), 'utf8'));

/** Decode, print and run `bytes`; returns what happened; rethrows anything that is not a typed error. */
function exercise(bytes: Uint8Array, mem: Uint8Array): 'ran' | 'typed-error' {
  try {
    const p = decodeProgram(bytes);
    disassemble(p);
    printKernelLog(p);
    new BpfInterpreter(p, { helpers: conformanceHelpers(), insnLimit: 5_000 }).run({ mem: mem.slice() });
    return 'ran';
  } catch (e) {
    if (e instanceof Tramp64Error) return 'typed-error';
    throw e;
  }
}

describe('fuzz', () => {
  const SEED = 20240901;
  test(`random bytes (seed ${SEED})`, () => {
    const rng = new Rng(SEED);
    const seen = { ran: 0, 'typed-error': 0 };
    for (let k = 0; k < 3000; k++) {
      const bytes = Uint8Array.from({ length: 8 * rng.int(0, 12) }, () => rng.below(256));
      seen[
        exercise(
          bytes,
          Uint8Array.from({ length: rng.below(32) }, () => rng.below(256)),
        )
      ]++;
    }
    expect(seen['typed-error']).toBeGreaterThan(0);
  });

  test(`mutated conformance programs (seed ${SEED + 1})`, () => {
    const rng = new Rng(SEED + 1);
    const programs = corpus.map((t) => {
      const d = parseDataFile(t);
      return { bytes: encodeProgram(programOf(d)), mem: d.mem ?? new Uint8Array(0) };
    });
    const seen = { ran: 0, 'typed-error': 0 };
    for (let k = 0; k < 4000; k++) {
      const { bytes, mem } = rng.pick(programs);
      const m = bytes.slice();
      for (let j = rng.int(1, 3); j > 0; j--)
        m[rng.below(m.length)] = rng.bool() ? rng.below(256) : m[rng.below(m.length)]!;
      seen[exercise(m, mem)]++;
    }
    // Both outcomes must occur, or the mutations are not reaching the interpreter.
    expect(seen.ran).toBeGreaterThan(100);
    expect(seen['typed-error']).toBeGreaterThan(100);
  });

  test(`random valid programs from the opcode table run to a result or a typed error (seed ${SEED + 3})`, () => {
    const rng = new Rng(SEED + 3);
    const seen = { ran: 0, 'typed-error': 0 };
    for (let k = 0; k < 3000; k++) {
      const p = randomProgram(rng, rng.int(1, 16));
      // Keep jumps short so that some programs loop and branch inside themselves.
      for (const insn of p)
        if (insn.opcode !== 0x18 && insn.opcode !== 0 && (insn.opcode & 7) >= 5 && (insn.opcode & 7) <= 6)
          insn.off %= 4;
      seen[
        exercise(
          encodeProgram(p),
          Uint8Array.from({ length: 16 }, () => rng.below(256)),
        )
      ]++;
    }
    expect(seen.ran).toBeGreaterThan(0);
    expect(seen['typed-error']).toBeGreaterThan(0);
  });

  test(`mutated assembly text (seed ${SEED + 2})`, () => {
    const rng = new Rng(SEED + 2);
    const alphabet = ' %r0123456789[]+-,#:xabcdefl\n';
    let typed = 0;
    for (let k = 0; k < 3000; k++) {
      const text = parseDataFile(rng.pick(corpus)).asm!.text;
      const chars = [...text];
      for (let j = rng.int(1, 4); j > 0; j--)
        chars[rng.below(chars.length)] = alphabet[rng.below(alphabet.length)]!;
      try {
        assemble(chars.join(''));
      } catch (e) {
        if (!(e instanceof Tramp64Error)) throw e;
        typed++;
      }
    }
    expect(typed).toBeGreaterThan(0);
  });
});
