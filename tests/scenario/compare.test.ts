/**
 * `tramp64 compare` as measured facts about the strategies (tramp64 issue 11, acceptance): exact instruction
 * deltas read from the executed traces, not the thread's adjectives —
 *
 *   - callops in BL range executes the same instructions as patchsite in range;
 *   - callops out of range executes exactly 6 more in ftrace_caller: `bti c ; bic ; ldr ; ldr ; cbnz ; br x17`
 *     (LLVM prints `bic` with an immediate as `and` with the inverted mask, and the negative-offset `ldr` as
 *     `ldur`);
 *   - a module call site reached through its ftrace PLT adds exactly 3 (`adrp ; add ; br x16`);
 *   - ops stores the argument values twice, patchsite and callops once (by value provenance);
 *   - tailcall runs ftrace_caller's full frame save and restore on every call;
 *   - the driver is deterministic: same seed → identical result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { disassemble } from '../../src/a64/index.js';
import {
  attachFtrace,
  countingDirectTramp,
  FTRACE_OPS,
  MEM_DIRECT_HASH,
  MEM_HASH,
} from '../../src/ftrace/index.js';
import { reachableByBl } from '../../src/kernel/layout.js';
import { loadModule } from '../../src/kernel/module.js';
import { createTestKernel, testKernelFixture, type TestKernelVariant } from '../../src/kernel/testkernel.js';
import {
  COMPARE_FUNC,
  runCompare,
  runSample,
  SCENARIOS,
  scenarioByName,
  type SampleInfo,
} from '../../src/scenario/compare.js';
import {
  compareCalls,
  measureCall,
  type CallMeasurement,
  type TraceEntry,
} from '../../src/scenario/measure.js';
import { renderJson, renderTable } from '../../src/scenario/render.js';
import { ftracePltRanges, STAGES } from '../../src/scenario/stages.js';
import { strategyByName } from '../../src/trampoline/strategies/index.js';
import { Tramp64Error } from '../../src/util/errors.js';
import { gasAssemble, haveGas, pfe42Module } from '../helpers/gas.js';

const ROOT = join(import.meta.dirname, '..', '..');
const load = (v: TestKernelVariant): Uint8Array =>
  new Uint8Array(readFileSync(join(ROOT, testKernelFixture(v))));
const NOKASLR = { kind: 'nokaslr' as const, seed: 5 };
const KASLR = { kind: 'kaslr' as const, seed: 5 };

function sample(
  strategy: string,
  scenario: string,
  frame: 'regs' | 'args',
  layout: typeof NOKASLR | typeof KASLR,
) {
  return runSample(strategyByName(strategy), scenarioByName(scenario), frame, layout, { load, trace: true });
}

const mnemonic = (e: TraceEntry): string => disassemble(e.word, { address: e.pc })!.split(/\s+/)[0]!;

/** The traced call's instructions outside the function itself and the host return, as (stage, mnemonic). */
function path(m: CallMeasurement): string[] {
  return m
    .trace!.filter((e) => e.stage !== 'function' && e.stage !== 'other')
    .map((e) => `${e.stage}: ${mnemonic(e)}`);
}

function stageTrace(m: CallMeasurement, stage: string): TraceEntry[] {
  return m.trace!.filter((e) => e.stage === stage);
}

/** Multiset difference a − b of mnemonics. */
function mnemonicDiff(a: readonly TraceEntry[], b: readonly TraceEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of a) out[mnemonic(e)] = (out[mnemonic(e)] ?? 0) + 1;
  for (const e of b) out[mnemonic(e)] = (out[mnemonic(e)] ?? 0) - 1;
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n !== 0));
}

describe('callops against patchsite (fentry on bpf_fentry_test3)', () => {
  test.each(['fentry', 'fentry+fexit', 'fmod_ret', '8-fentry'])(
    '%s in BL range: callops executes the same instructions as patchsite',
    (scenario) => {
      const p = sample('patchsite', scenario, 'args', NOKASLR);
      const c = sample('callops', scenario, 'args', NOKASLR);
      expect(p.run.sample.ok && c.run.sample.ok).toBe(true);
      expect(c.tracing.tk.callSite(scenarioByName(scenario).func).layout).toBe('=4,2');
      expect(p.tracing.tk.callSite(scenarioByName(scenario).func).layout).toBe('=2');
      // Both sites branch straight to their trampolines.
      expect(c.run.delta!.stages.instructions.ftrace_caller).toBe(0);
      expect(p.run.delta!.stages.instructions.ftrace_caller).toBe(0);
      expect(path(c.run.traced!)).toEqual(path(p.run.traced!));
      expect(c.run.delta!.instructions).toBe(p.run.delta!.instructions);
    },
  );

  test('out of range, callops executes exactly 6 more in ftrace_caller: bti c, bic, ldr, ldr, cbnz, br x17', () => {
    const near = sample('callops', 'fentry', 'args', NOKASLR);
    const far = sample('callops', 'fentry', 'args', KASLR);
    const ip = (s: typeof near): bigint => s.tracing.tk.callSite(COMPARE_FUNC).ip;
    const image = (s: typeof near): bigint => {
      const bl = s.run.traced!.trace!.find((e) => e.stage === 'patch site' && mnemonic(e) === 'bl')!;
      return BigInt(disassemble(bl.word, { address: bl.pc })!.split(/\s+/)[1]!);
    };
    // nokaslr: the site's BL reaches the trampoline; kaslr: it reaches only ftrace_caller.
    const nearTramp = near.run.traced!.trace!.find((e) => e.stage === 'trampoline')!.pc;
    const farTramp = far.run.traced!.trace!.find((e) => e.stage === 'trampoline')!.pc;
    expect(reachableByBl(ip(near), nearTramp)).toBe(true);
    expect(reachableByBl(ip(far), farTramp)).toBe(false);
    expect(image(near)).toBe(nearTramp);

    const fc = stageTrace(far.run.traced!, 'ftrace_caller');
    expect(fc.map((e) => disassemble(e.word, { address: e.pc })!.replace(/\t/g, ' ').split(',')[0])).toEqual([
      'bti c',
      'and x11',
      'ldur x11',
      'ldr x17',
      'cbnz x17',
      'br x17',
    ]);
    expect(stageTrace(near.run.traced!, 'ftrace_caller')).toEqual([]);
    expect(path(far.run.traced!).filter((l) => l.startsWith('patch site'))).toEqual(
      path(near.run.traced!).filter((l) => l.startsWith('patch site')),
    );
    // The rest of the difference is not the strategy's: the far trampoline reaches __bpf_prog_enter/exit in
    // the image with `mov ; movk ; movk ; blr` instead of `bl` (+3 each), as any trampoline out there would.
    expect(
      mnemonicDiff(stageTrace(far.run.traced!, 'trampoline'), stageTrace(near.run.traced!, 'trampoline')),
    ).toEqual({
      mov: 2,
      movk: 4,
      blr: 2,
      bl: -2,
    });
    expect(far.run.delta!.instructions - near.run.delta!.instructions).toBe(6 + 6);
    for (const s of STAGES.filter((x) => x !== 'ftrace_caller' && x !== 'trampoline'))
      expect(far.run.delta!.stages.instructions[s]).toBe(near.run.delta!.stages.instructions[s]);
  });

  test('patchsite out of range: the attach fails with ENOTSUPP and nothing is left attached', () => {
    const p = sample('patchsite', 'fentry', 'args', KASLR);
    expect(p.run.sample).toEqual({ ok: false, errno: 'ENOTSUPP' });
    expect(p.run.traced).toBeUndefined();
    const t = p.tracing;
    const again = measureCall(t.kernel, t.tk.addr(COMPARE_FUNC), [4n, 5n, 6n], { trace: false });
    expect(again.instructions).toBe(p.run.baseline.instructions);
  });
});

describe('callops on a module call site', () => {
  test.skipIf(!haveGas)(
    'reached through its ftrace PLT: exactly 3 more (adrp, add, br x16), all in the patch site',
    () => {
      const obj = gasAssemble(pfe42Module('cmpmod'));
      const run = (full: boolean) => {
        const tk = createTestKernel(load('gcc-pfe42'), {
          layout: { kind: 'kaslr', seed: 5, randomizeModuleRegionFull: full },
        });
        const k = tk.kernel;
        const ft = attachFtrace(k, { frame: 'args', dispatch: 'callops', sites: tk.callSites });
        const mod = loadModule(k, obj);
        ft.addModule(mod);
        const site = mod.callSites[0]!;
        const fn = mod.symbol('mod_fn')!;
        const opts = { ip: site.ip, ranges: ftracePltRanges([mod]) };
        const base = measureCall(k, fn, [1n], opts);
        const t = countingDirectTramp(k, 'far');
        expect(reachableByBl(site.ip, t.func)).toBe(false);
        const d = ft.newOps({ name: 'd' });
        ft.setFilter(d, 'mod_fn', { reset: true });
        ft.registerDirect(d, t.func);
        const traced = measureCall(k, fn, [1n], opts);
        return {
          near: reachableByBl(site.ip, ft.callerAddress),
          traced,
          delta: compareCalls(base, traced),
        };
      };
      const near = run(false);
      const far = run(true);
      expect(near.near).toBe(true);
      expect(far.near).toBe(false);
      expect(far.delta.instructions - near.delta.instructions).toBe(3);
      expect(far.delta.stages.instructions['patch site'] - near.delta.stages.instructions['patch site']).toBe(
        3,
      );
      const plt = stageTrace(far.traced, 'patch site').slice(2);
      expect(
        plt.map((e) => disassemble(e.word, { address: e.pc })!.replace(/\t/g, ' ').split(',')[0]),
      ).toEqual(['adrp x16', 'add x16', 'br x16']);
      expect(far.delta.stages.instructions.ftrace_caller).toBe(6);
    },
  );
});

describe('code bytes of an attach', () => {
  test('callops fentry: the trampoline page, plus the direct ops, its filter hash and direct_functions in the slab', () => {
    const c = sample('callops', 'fentry', 'args', NOKASLR);
    const k = c.tracing.kernel;
    const guard = k.vmalloc.guard ? 4096 : 0;
    const tramp = k.vmalloc.used().filter((a) => a.tag.startsWith('bpf_trampoline_'));
    expect(tramp).toHaveLength(1);
    const round = (n: number): number => Math.ceil(n / 64) * 64;
    const slab =
      round(FTRACE_OPS.SIZE) +
      round(MEM_HASH.IPS + 8 * 1) +
      round(MEM_DIRECT_HASH.ENTRIES + MEM_DIRECT_HASH.ENTRY_SIZE * 1);
    expect(c.run.sample).toMatchObject({ ok: true, codeBytes: Number(tramp[0]!.size) - guard + slab });
  });
});

describe('argument saves by provenance', () => {
  test('ops and tailcall store the argument values twice, patchsite and callops once', () => {
    const samples: SampleInfo[] = [];
    const r = runCompare({
      load,
      scenarios: ['fentry'],
      layouts: 2,
      seed: 11,
      onSample: (s) => samples.push(s),
    });
    const saves = Object.fromEntries(
      r.rows
        .filter((x) => x.frame === 'args')
        .map((x) => [x.strategy, x.argSaves && [x.argSaves.min, x.argSaves.max]]),
    );
    expect(saves).toEqual({ patchsite: [1, 1], ops: [2, 2], tailcall: [2, 2], callops: [1, 1] });
    for (const s of samples.filter((x) => x.run.traced)) {
      const where = s.run.traced!.argStores.filter((a) => a.where !== 'function' && a.where !== 'program');
      const stagesOf = [...new Set(where.map((a) => a.where))].sort();
      const want =
        s.strategy === 'ops' || s.strategy === 'tailcall' ? ['ftrace_caller', 'trampoline'] : ['trampoline'];
      expect(stagesOf, `${s.strategy} ${s.frame} ${s.layout.kind}`).toEqual(want);
      // All three arguments, each the counted number of times.
      expect(s.run.delta!.argStoreCounts).toEqual([want.length, want.length, want.length]);
    }
  });
});

describe('tailcall', () => {
  test.each(['regs', 'args'] as const)(
    'runs the full %s frame save and restore in ftrace_caller on every call',
    (frame) => {
      const s = sample('tailcall', 'fentry', frame, NOKASLR);
      const t = s.tracing;
      const fn = t.tk.addr(COMPARE_FUNC);
      const site = t.tk.callSite(COMPARE_FUNC);
      const calls = [0, 1, 2].map(() => measureCall(t.kernel, fn, [4n, 5n, 6n], { ip: site.ip, warmup: 0 }));
      for (const m of [s.run.traced!, ...calls]) {
        const fc = stageTrace(m, 'ftrace_caller').map((e) => disassemble(e.word, { address: e.pc })!);
        const regs = (re: RegExp): Set<string> =>
          new Set(
            fc.filter((l) => re.test(l)).flatMap((l) => [...l.matchAll(/\bx([0-8])\b/g)].map((x) => x[1]!)),
          );
        // x0–x8 are stored on the way in and loaded back before the tail call.
        expect([...regs(/^st[rp]\s/)].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
        expect([...regs(/^ld[rp]\s/)].sort()).toEqual(
          expect.arrayContaining(['0', '1', '2', '3', '4', '5', '6', '7', '8']),
        );
        expect(fc.at(-1)).toMatch(/^br\s+x\d+/);
      }
      const counts = calls.map((m) => m.stages.instructions.ftrace_caller);
      expect(new Set(counts).size).toBe(1);
      expect(counts[0]).toBe(s.run.traced!.stages.instructions.ftrace_caller);
    },
  );
});

describe('runCompare', () => {
  const small = { load, scenarios: ['fentry', 'shared'], layouts: 2 } as const;

  test('same seed → identical result; another seed → other layouts', () => {
    const a = renderJson(runCompare({ ...small, seed: 3 }));
    const b = renderJson(runCompare({ ...small, seed: 3 }));
    expect(a).toBe(b);
    const c = runCompare({ ...small, seed: 4 });
    expect(renderJson(c)).not.toBe(a);
    expect(c.meta).toMatchObject({ seed: 4, layouts: 2 });
  });

  test('every strategy × scenario × frame has a row; failures carry the errno', () => {
    const r = runCompare({ ...small, seed: 3 });
    expect(r.rows).toHaveLength(r.strategies.length * 2 * 2);
    // Layout 1 of 2 is kaslr (out of range), layout 2 nokaslr.
    const ps = r.rows.filter((x) => x.strategy === 'patchsite');
    for (const row of ps) expect(row.attach).toMatchObject({ ok: true, rate: 0.5, errno: 'ENOTSUPP' });
    for (const row of r.rows.filter((x) => x.strategy !== 'patchsite')) expect(row.attach.rate).toBe(1);
    const table = renderTable(r);
    expect(table).toContain('== shared');
    expect(table).toMatch(/verdict: cheapest on every layout: \w+/);
    expect(table).toContain('patchsite attaches on 50% of layouts (ENOTSUPP otherwise)');
  });

  test('scenarios list the SPEC set', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual([
      'fentry',
      'fentry+fexit',
      'fmod_ret',
      'ftrace-op',
      'shared',
      'tracer-all+bpf',
      '8-fentry',
    ]);
  });

  test('bad input is a typed error that names the choices', () => {
    expect(() => runCompare({ load, strategies: ['nope'] })).toThrow(Tramp64Error);
    expect(() => runCompare({ load, strategies: ['nope'] })).toThrow(/choose one of patchsite/);
    expect(() => runCompare({ load, scenarios: ['nope'] })).toThrow(/choose from fentry/);
    expect(() => runCompare({ load, layouts: 0 })).toThrow(/--layouts must be an integer 1–1000, got 0/);
  });
});
