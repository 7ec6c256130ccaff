/**
 * bpf_conformance on the interpreter: every one of the 313 files of shared/conformance is its own case.
 * Each must pass, except the exact skip list below, whose reasons must be the ones stated.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runConformanceTest, summarize, type TestOutcome } from '../../src/bpf/conformance.js';

const DIR = join(import.meta.dirname, '../../../shared/conformance/bpf_conformance/tests');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.data'))
  .sort();

/** Tests outside what the interpreter runs, with the reason the runner must give. */
const EXPECTED_SKIPS: Record<string, string> = {
  'callx.data':
    "needs group callx ('call %r2' at insn 2); callx (0x8d) is Linux-only, not in any RFC 9669 conformance group",
};

const outcomes = new Map<string, TestOutcome>();

describe('bpf_conformance on the interpreter', () => {
  test('the suite has its 313 files', () => {
    expect(files.length).toBe(313);
  });

  test.each(files)('%s', (file) => {
    const o = runConformanceTest(readFileSync(join(DIR, file), 'utf8'), file);
    outcomes.set(file, o);
    const skip = EXPECTED_SKIPS[file];
    if (skip !== undefined) {
      expect(o).toEqual({ name: file, status: 'skip', reason: skip });
    } else {
      expect(o.reason).toBeUndefined();
      expect(o.status).toBe('pass');
    }
  });

  test('summary: 312 passed, 0 failed, 1 skipped', () => {
    const all = files.map(
      (f) => outcomes.get(f) ?? runConformanceTest(readFileSync(join(DIR, f), 'utf8'), f),
    );
    expect(summarize(all)).toBe('312 passed, 0 failed, 1 skipped');
    expect(all.filter((o) => o.status === 'skip').map((o) => o.name)).toEqual(Object.keys(EXPECTED_SKIPS));
  });

  test('-- raw and -- asm of lddw.data encode the same program', async () => {
    const { parseDataFile, assemble, wordToU64 } = await import('../../src/bpf/index.js');
    const data = parseDataFile(readFileSync(join(DIR, 'lddw.data'), 'utf8'));
    expect(assemble(data.asm!.text).map(wordToU64)).toEqual(data.raw);
  });
});
