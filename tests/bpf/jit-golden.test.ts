/**
 * Expect files for the JIT: every program of every fixture object (fixtures/bpf/*.bpf.o) JITed on a nokaslr
 * model kernel, as the program → A64 listing of `jitListing`, in tests/golden/jit/<fixture>-<prog>.txt.
 * A change in the JIT shows as a diff of these files; regenerate with `npm run golden:jit` and review it.
 * Each listing must also disassemble completely (no undefined word) and keep the kernel's entry layout.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadBpfObject } from '../../src/bpf/object/load.js';
import { createObjectMaps } from '../../src/bpf/object/run.js';
import { jitProgram, jitListing, freeJitImage } from '../../src/bpf/jit/index.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { disassemble } from '../../src/a64/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/bpf');
const GOLDEN = join(import.meta.dirname, '../golden/jit');
const UPDATE = process.env['JIT_GOLDEN_UPDATE'] === '1';
const HEADER = '# regenerate: npm run golden:jit (nokaslr model kernel, BTI and PAC on, LSE atomics)\n';

const objects = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.bpf.o'))
  .sort();

const cases = objects.flatMap((file) => {
  const obj = loadBpfObject(new Uint8Array(readFileSync(join(FIXTURES, file))));
  return obj.programs.map((p) => ({
    file,
    obj,
    prog: p,
    golden: `${file.replace(/\.bpf\.o$/, '')}-${p.name}.txt`,
  }));
});

describe('JIT expect files', () => {
  test('every fixture has programs', () => {
    expect(objects.length).toBeGreaterThanOrEqual(6);
    expect(cases.length).toBeGreaterThanOrEqual(objects.length);
  });

  test.each(cases.map((c) => [c.golden, c] as const))('%s', (_name, c) => {
    const kernel = new Kernel({ layout: { kind: 'nokaslr' } });
    const maps = createObjectMaps(c.obj);
    const image = jitProgram(kernel, c.prog.insns, {
      name: c.prog.name,
      attachType: c.prog.attachType,
      resolveLdImm64: maps.resolveLdImm64,
    });
    const text = HEADER + jitListing(kernel, image);
    // Complete disassembly: every code word (all but the PLT's .quad) decodes.
    const codeWords = (Number(image.plt.target - image.address) / 4) | 0;
    for (let i = 0; i < codeWords; i++) expect(disassemble(image.words[i]!)).toBeDefined();
    expect(text).not.toContain('<undefined>');
    // The entry layout trampolines rely on: bti jc ; mov x9, x30 ; nop(poke) ; paciasp.
    expect(image.words.slice(0, 4).map((w) => disassemble(w)?.replace(/\t/g, ' '))).toEqual([
      'bti jc',
      'mov x9, x30',
      'nop',
      'paciasp',
    ]);
    expect(image.pokeSite).toBe(image.address + 8n);
    expect(kernel.kallsyms.short(image.plt.target + 0n)).toMatch(/^bpf_prog_[0-9a-f]{16}_/);
    const path = join(GOLDEN, c.golden);
    if (UPDATE || !existsSync(path)) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    freeJitImage(kernel, image);
    expect(kernel.kallsyms.lookupName(image.name)).toBeUndefined();
  });
});
