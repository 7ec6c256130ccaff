/**
 * Live ftrace over each whole Debian corpus (issue 6's scale acceptance, as a test; bench/ftrace.ts times
 * it): with KASLR and RANDOMIZE_MODULE_REGION_FULL, so module call sites far from the image reach
 * ftrace_caller through their module's ftrace PLT. One ops on every call site, a direct ops on every
 * function of a few modules (out of BL range: through ftrace_caller's early direct path), then everything
 * removed — after each phase every site's word and literal equals the state machine, nothing failed
 * validation and the CMODX checker is silent.
 */
import { describe, expect, it } from 'vitest';
import { ensureCorpus, moduleName, readModule, SERIES } from '../../src/cli/corpus.js';
import { attachFtrace, countingCallback, countingDirectTramp } from '../../src/ftrace/index.js';
import { NOP } from '../../src/kernel/callsites.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { loadModules } from '../../src/kernel/module.js';

describe.each(SERIES)('corpus %s', (series) => {
  it('enables an ops on every call site, adds direct calls, and removes everything', async () => {
    const corpus = await ensureCorpus(series, { progress: false, log: () => {} });
    const files = corpus.modules.map((p) => ({ name: moduleName(p), bytes: readModule(p) }));
    const k = new Kernel({ layout: { kind: 'kaslr', seed: 11, randomizeModuleRegionFull: true } });
    const { modules, failures } = loadModules(k, files, { onError: 'skip' });
    expect(failures).toEqual([]);
    const callOps = modules.every((m) => m.callSites.every((s) => s.layout === '=4,2'));
    expect(callOps).toBe(series === '6.12');
    const ft = attachFtrace(k, {
      frame: callOps ? 'args' : 'regs',
      dispatch: callOps ? 'callops' : 'global',
      modules,
    });
    const total = modules.reduce((n, m) => n + m.callSites.length, 0);
    expect(ft.records).toHaveLength(total);
    expect(ft.verify()).toEqual([]);

    const ops = ft.newOps({ name: 'all_ops', func: countingCallback(k, 'all_cb').func });
    ft.register(ops);
    const via = new Map<string, number>();
    for (const r of ft.records) {
      const s = ft.core.site(r.ip)!;
      expect(s.insn).toBe('bl');
      if (s.insn === 'bl') via.set(s.via, (via.get(s.via) ?? 0) + 1);
    }
    expect((via.get('ftrace_caller') ?? 0) + (via.get('plt') ?? 0)).toBe(total);
    expect(via.get('plt') ?? 0).toBeGreaterThan(0); // far modules go through their ftrace PLT
    expect(ft.verify()).toEqual([]);

    const some = modules.filter((m) => m.callSites.length > 0).slice(0, 3);
    const d = ft.newOps({ name: 'corpus_direct' });
    ft.setFilter(d, some.map((m) => `mod:${m.name}`).join(' '), { reset: true });
    const tramp = countingDirectTramp(k, 'corpus_tramp');
    ft.registerDirect(d, tramp.func);
    expect(ft.core.directFunctions.size).toBe(d.filterHash.size);
    expect(ft.verify()).toEqual([]);

    ft.unregister(ops);
    if (callOps)
      for (const m of some)
        for (const c of m.callSites) expect(k.machine.memory.read64(c.literal!)).toBe(d.address);
    ft.unregisterDirect(d, tramp.func);
    for (const r of ft.records) expect(k.machine.memory.read32(r.ip)).toBe(NOP);
    expect(ft.verify()).toEqual([]);
    expect(k.patcher.stats.validationFailures).toBe(0);
    expect(k.machine.icache.reports).toEqual([]);
  }, 300_000);
});
