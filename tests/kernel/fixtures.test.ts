/**
 * The committed test-kernel and program objects are what their build scripts produce: rebuild into a
 * temporary folder with the installed cross compilers and compare the code and call-site sections.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseElf } from '../../src/elf/index.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures');
const out = mkdtempSync(join(tmpdir(), 'tramp64-fixtures-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function sections(path: string, names: readonly string[]): Record<string, string> {
  const elf = parseElf(new Uint8Array(readFileSync(path)));
  const r: Record<string, string> = {};
  for (const n of names) {
    const s = elf.sectionByName(n);
    r[n] = s ? Buffer.from(elf.sectionData(s)).toString('hex') : '<absent>';
  }
  return r;
}

describe('test kernel objects', () => {
  const built = spawnSync('bash', [join(root, 'kernel', 'build.sh'), out], { encoding: 'utf8' });
  test.each(['testkernel-gcc-pfe2.o', 'testkernel-gcc-pfe42.o', 'testkernel-clang-bti-pfe42.o'])(
    '%s rebuilds identically',
    (name) => {
      expect(built.status, built.stderr).toBe(0);
      const secs = ['.text', '__patchable_function_entries', '.rodata.str1.8'];
      expect(sections(join(out, name), secs)).toEqual(sections(join(root, 'kernel', name), secs));
    },
  );
});

describe('freestanding programs', () => {
  const dir = join(out, 'exec');
  const built = spawnSync('bash', [join(root, 'exec', 'build.sh'), dir], { encoding: 'utf8' });
  test.each(['hello', 'sieve', 'sort', 'arith', 'loop'])('%s rebuilds identically', (name) => {
    expect(built.status, built.stderr).toBe(0);
    expect(readFileSync(join(dir, name)).equals(readFileSync(join(root, 'exec', name)))).toBe(true);
  });
});
