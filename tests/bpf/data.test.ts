/**
 * tramp64's own .data programs (tests/data/bpf): bounds, frames, limits, legacy packet loads and other
 * interpreter behaviour the conformance suite does not cover. Error cases assert the full typed message.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runConformanceTest } from '../../src/bpf/conformance.js';

const DIR = join(import.meta.dirname, '../data/bpf');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.data'))
  .sort();

test('there are data files', () => {
  expect(files.length).toBeGreaterThanOrEqual(18);
});

test.each(files)('%s', (file) => {
  const o = runConformanceTest(readFileSync(join(DIR, file), 'utf8'), file);
  expect(o.reason).toBeUndefined();
  expect(o.status).toBe('pass');
});
