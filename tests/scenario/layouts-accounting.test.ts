/**
 * Layout samples (deterministic per seed, every combination covered, usable by the kernel) and code/data
 * accounting against allocations made here with known sizes.
 */
import { describe, expect, test } from 'vitest';
import { Kernel } from '../../src/kernel/kernel.js';
import { makeLayout, reachableByBl } from '../../src/kernel/layout.js';
import { allocSnapshot, codeBytes } from '../../src/scenario/accounting.js';
import { layoutLabel, layouts } from '../../src/scenario/layouts.js';

describe('layouts', () => {
  test('deterministic per seed, a longer list extends a shorter one, seeds differ between seeds', () => {
    expect(layouts(8, 42)).toEqual(layouts(8, 42));
    expect(layouts(12, 42).slice(0, 8)).toEqual(layouts(8, 42));
    expect(layouts(8, 43)).not.toEqual(layouts(8, 42));
  });

  test('any four consecutive samples cover kaslr / nokaslr × 128 MiB / 2 GiB module region', () => {
    const l = layouts(4, 7);
    const combos = new Set(l.map((x) => `${x.kind}:${String(x.randomizeModuleRegionFull)}`));
    expect(combos.size).toBe(4);
    expect(layouts(3, 7, { kinds: ['kaslr'] }).every((x) => x.kind === 'kaslr')).toBe(true);
    expect(
      layouts(3, 7, { moduleRegionFull: [false] }).every((x) => x.randomizeModuleRegionFull === false),
    ).toBe(true);
  });

  test('each sample builds a kernel; kaslr samples put the first execmem allocation out of BL reach', () => {
    for (const opts of layouts(6, 1)) {
      const lay = makeLayout(opts);
      expect(lay.randomizeModuleRegionFull).toBe(opts.randomizeModuleRegionFull);
      expect(lay.moduleDirect === undefined).toBe(opts.randomizeModuleRegionFull === true);
      const k = new Kernel({ layout: opts });
      const tramp = k.allocExec(4096, 'probe');
      // Facts (layout.ts): kaslr image in the middle of vmalloc, execmem lowest fit → far away.
      if (opts.kind === 'kaslr') expect(reachableByBl(lay.imageStart, tramp)).toBe(false);
    }
    expect(layoutLabel({ kind: 'nokaslr', seed: 5, randomizeModuleRegionFull: true })).toBe('nokaslr+2G/5');
  });

  test('bad counts and seeds are typed errors that say what is allowed', () => {
    expect(() => layouts(0, 1)).toThrow(/integer 1-100000, got 0/);
    expect(() => layouts(2, 1.5)).toThrow(/seed must be an integer/);
    expect(() => layouts(2, 1, { kinds: [] })).toThrow(/at least one choice/);
  });
});

describe('codeBytes', () => {
  test('counts vmalloc code (pages, without the guard), vmalloc data and image regions made since', () => {
    const k = new Kernel({ layout: { kind: 'nokaslr', seed: 1 } });
    k.allocExec(100, 'before'); // not counted
    const snap = allocSnapshot(k);
    k.allocExec(5000, 'bpf_trampoline_1'); // two pages of code
    k.vmalloc.alloc(300n, 'ftrace hash'); // one page, unmapped data
    k.imageAlloc(200, 'data', 64); // an ftrace_ops
    k.imageAlloc(48, 'text', 16); // runtime text
    const c = codeBytes(k, snap);
    expect(c.code).toBe(8192 + 48);
    expect(c.data).toBe(4096 + 200);
    expect(c.total).toBe(c.code + c.data);
    expect(c.areas.map((a) => [a.tag, a.kind, a.bytes])).toEqual([
      ['bpf_trampoline_1', 'code', 8192],
      ['ftrace hash', 'data', 4096],
      ['image data', 'data', 200],
      ['image text', 'code', 48],
    ]);
  });

  test('freed areas are no longer counted', () => {
    const k = new Kernel({ layout: { kind: 'nokaslr', seed: 1 } });
    const snap = allocSnapshot(k);
    const a = k.allocExec(4096, 'tramp');
    expect(codeBytes(k, snap).total).toBe(4096);
    k.freeExec(a, 4096);
    expect(codeBytes(k, snap).total).toBe(0);
  });
});
