/**
 * bpf_conformance on the JIT: every file of shared/conformance runs JITed to A64 on the emulated CPU, with
 * LSE atomics and again with the LL/SC forms. The outcome of every test must equal the interpreter's —
 * the same passes and the same skips with the same reasons.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runConformanceTest, summarize, type TestOutcome } from '../../src/bpf/conformance.js';
import { jitEngine } from '../../src/bpf/jit/index.js';
import { Kernel } from '../../src/kernel/kernel.js';

const DIR = join(import.meta.dirname, '../../../shared/conformance/bpf_conformance/tests');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.data'))
  .sort();

for (const atomics of ['lse', 'llsc'] as const) {
  describe(`bpf_conformance on the JIT (${atomics} atomics)`, () => {
    const kernel = new Kernel({ layout: { kind: 'nokaslr' } });
    const engine = jitEngine(kernel, { atomics });
    const outcomes = new Map<string, TestOutcome>();

    test.each(files)('%s', (file) => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const interp = runConformanceTest(text, file);
      const jit = runConformanceTest(text, file, { engine });
      outcomes.set(file, jit);
      expect(jit).toEqual(interp);
    });

    test('summary equals the interpreter: 312 passed, 0 failed, 1 skipped', () => {
      expect(outcomes.size).toBe(files.length);
      expect(summarize([...outcomes.values()])).toBe('312 passed, 0 failed, 1 skipped');
      // Every image was freed again: only the kernel's own vmalloc areas remain.
      expect(kernel.vmalloc.used().filter((u) => u.tag.startsWith('bpf_prog_'))).toEqual([]);
    });
  });
}
