/**
 * The committed BPF fixture objects are what fixtures/bpf/build.sh produces: rebuild into a temporary folder
 * with clang-14 (installed by tools/install-oracles.sh, so this never skips) and compare every section that
 * matters — code, relocations, maps, data, BTF — byte for byte.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/elf/index.js';

const root = join(__dirname, '..', '..');
const dir = join(root, 'fixtures/bpf');

describe('fixtures/bpf/build.sh', () => {
  it('rebuilds the committed objects', () => {
    const out = mkdtempSync(join(tmpdir(), 'tramp64-bpf-fixtures-'));
    const r = spawnSync('bash', [join(dir, 'build.sh'), out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const objects = readdirSync(dir).filter((f) => f.endsWith('.o'));
    expect(objects.length).toBeGreaterThanOrEqual(8);
    for (const f of objects) {
      const a = parseElf(new Uint8Array(readFileSync(join(dir, f))));
      const b = parseElf(new Uint8Array(readFileSync(join(out, f))));
      const keep = (n: string): boolean => !n.startsWith('.debug') && !n.startsWith('.rel.debug');
      expect(b.sections.map((s) => s.name).filter(keep), f).toEqual(
        a.sections.map((s) => s.name).filter(keep),
      );
      for (const s of a.sections) {
        if (!keep(s.name) || s.name === '') continue;
        const t = b.sectionByName(s.name)!;
        expect(t.size, `${f} ${s.name}`).toBe(s.size);
        expect(
          Buffer.from(b.sectionData(t)).equals(Buffer.from(a.sectionData(s))),
          `${f} ${s.name} bytes`,
        ).toBe(true);
      }
    }
  });
});
