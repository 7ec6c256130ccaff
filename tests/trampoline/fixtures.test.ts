/**
 * The committed bpf2bpf fixture pair (fixtures/bpf/bpf2bpf/) is what fixtures/bpf/build.sh produces: rebuild
 * into a temporary folder with clang-14 and compare the sections that matter (code, relocations, data, BTF)
 * byte for byte, as tests/bpf/object-fixtures.test.ts does for the top-level fixtures.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/elf/index.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures/bpf');

describe('fixtures/bpf/bpf2bpf', () => {
  it('rebuilds the committed objects', () => {
    const out = mkdtempSync(join(tmpdir(), 'tramp64-bpf2bpf-'));
    const r = spawnSync('bash', [join(dir, 'build.sh'), out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const objects = readdirSync(join(dir, 'bpf2bpf')).filter((f) => f.endsWith('.o'));
    expect(objects.sort()).toEqual(['target.bpf.o', 'tracer.bpf.o']);
    const keep = (n: string): boolean => n !== '' && !n.startsWith('.debug') && !n.startsWith('.rel.debug');
    for (const f of objects) {
      const a = parseElf(new Uint8Array(readFileSync(join(dir, 'bpf2bpf', f))));
      const b = parseElf(new Uint8Array(readFileSync(join(out, 'bpf2bpf', f))));
      expect(b.sections.map((s) => s.name).filter(keep), f).toEqual(
        a.sections.map((s) => s.name).filter(keep),
      );
      for (const s of a.sections.filter((x) => keep(x.name))) {
        const t = b.sectionByName(s.name)!;
        expect(Buffer.from(b.sectionData(t)).equals(Buffer.from(a.sectionData(s))), `${f} ${s.name}`).toBe(
          true,
        );
      }
    }
  });
});
