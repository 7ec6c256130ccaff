import { describe, expect, it } from 'vitest';
import {
  FtraceOps,
  OPS_FL,
  availableFilterFunctions,
  enabledFunctions,
  formatPS,
  globMatch,
  parseGlob,
} from '../../src/ftrace/index.js';
import { KernelError } from '../../src/util/errors.js';
import { FTRACE_CALLER, makeCore, snapshot } from './fixtures.js';

const expandTabs = (s: string): string =>
  s
    .split('\n')
    .map((l) => {
      let o = '';
      for (const c of l) o += c === '\t' ? ' '.repeat(8 - (o.length % 8)) : c;
      return o;
    })
    .join('\n');

describe('globs', () => {
  it('classifies and matches', () => {
    expect(parseGlob('foo').type).toBe('full');
    expect(parseGlob('foo*').type).toBe('front');
    expect(parseGlob('*foo').type).toBe('end');
    expect(parseGlob('*foo*').type).toBe('middle');
    expect(parseGlob('f?o').type).toBe('glob');
    expect(globMatch('f[a-c]o', 'fbo')).toBe(true);
    expect(globMatch('f[!a-c]o', 'fbo')).toBe(false);
    expect(globMatch('*_fn', 'm1_fn')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyy')).toBe(false);
  });
  it('rejects bad globs and unknown functions with EINVAL, state unchanged', () => {
    const core = makeCore();
    const o = new FtraceOps({ name: 'x', func: 1n });
    core.register(o);
    const before = snapshot(core);
    for (const bad of ['f[0', 'f[]', 'nosuch', 'f0 nosuch', '!', 'f0:bogus:x']) {
      let err: unknown;
      try {
        core.setFilter(o, bad, { reset: true });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).errno).toBe('EINVAL');
      expect(snapshot(core)).toEqual(before);
    }
    core.setFilter(o, 'f* mod:m1 !f2', { reset: true });
    expect(o.filterHash.size).toBe(3);
  });
});

describe('errors', () => {
  it('second direct on one function is EBUSY; empty filter EINVAL; SAVE_REGS EINVAL', () => {
    const core = makeCore();
    const d1 = new FtraceOps({ name: 'd1' });
    core.setFilter(d1, 'f1', { reset: true });
    core.registerDirect(d1, 0xffff800080200000n);
    const before = snapshot(core);
    const d2 = new FtraceOps({ name: 'd2' });
    core.setFilter(d2, 'f*', { reset: true });
    expect(() => core.registerDirect(d2, 0xffff800080300000n)).toThrow(/EBUSY/);
    expect(snapshot(core)).toEqual(before);
    expect(d2.func).toBe(0n);
    expect(() => core.registerDirect(new FtraceOps({ name: 'd3' }), 1n)).toThrow(/EINVAL.*empty filter/);
    expect(() => core.register(new FtraceOps({ name: 'r', func: 1n, flags: OPS_FL.SAVE_REGS }))).toThrow(
      /EINVAL/,
    );
    expect(() => core.register(d1)).toThrow(/EBUSY/);
    expect(snapshot(core)).toEqual(before);
  });
});

describe('tracefs text', () => {
  const syms = new Map<bigint, string>([
    [FTRACE_CALLER, formatPS('ftrace_caller', 0n, 0xb0n)],
    [0xffff800080020000n, formatPS('call_direct_funcs', 0n, 0x20n)],
    [0xffff800081000000n, formatPS('direct', 0n, 0x100n, 'ftrace_direct')],
    [0xffff800080200000n, formatPS('my_tramp', 0n, 0x20n, 'ftrace_direct')],
  ]);
  const symbolize = (a: bigint): string => syms.get(a) ?? `0x${a.toString(16)}`;

  it('enabled_functions for a lone direct ops (arm64 v6.12 shape) and with a second ops', () => {
    const core = makeCore();
    const d = new FtraceOps({ name: 'direct', address: 0xffff800081000000n });
    core.setFilter(d, 'f1', { reset: true });
    core.registerDirect(d, 0xffff800080200000n);
    expect(enabledFunctions(core, { symbolize })).toBe(
      'f1 (1)     D O M \ttramp: ftrace_caller+0x0/0xb0 (call_direct_funcs+0x0/0x20)' +
        '\tops: direct+0x0/0x100 [ftrace_direct] (call_direct_funcs+0x0/0x20)' +
        '\n\tdirect-->my_tramp+0x0/0x20 [ftrace_direct]\n',
    );
    const s = core.site(core.records[1]!.ip)!;
    expect(s.insn === 'bl' && s.via).toBe('direct');
    const o = new FtraceOps({ name: 'fn', func: 0xffff800080030000n });
    core.setFilter(o, 'f1', { reset: true });
    core.register(o);
    expect(enabledFunctions(core, { symbolize })).toBe(
      'f1 (2)     D   M \n\tdirect-->my_tramp+0x0/0x20 [ftrace_direct]\n',
    );
    const s2 = core.site(core.records[1]!.ip)!;
    expect(s2.insn === 'bl' && s2.via).toBe('ftrace_caller');
    expect(s2.literal).toBe(core.listOps);
  });

  it('re-renders the x86 sample line in the pre-CALL_OPS column layout', () => {
    const core = makeCore();
    const d = new FtraceOps({ name: 'direct', address: 0xffff800081000000n });
    core.setFilter(d, 'f0', { reset: true });
    core.registerDirect(d, 0xffff800080200000n);
    const x86 = new Map(syms);
    x86.set(FTRACE_CALLER, 'ftrace_regs_caller+0x0/0x66');
    const rec = core.records[0]!;
    rec.flags |= 1 << 30; // x86 direct ops carry SAVE_REGS → R
    const text = enabledFunctions(core, { symbolize: (a) => x86.get(a)!, columns: 'RID' }).replace(
      'f0',
      'wake_up_process',
    );
    expect(expandTabs(text)).toBe(
      'wake_up_process (1) R   D       tramp: ftrace_regs_caller+0x0/0x66 (call_direct_funcs+0x0/0x20)\n' +
        '        direct-->my_tramp+0x0/0x20 [ftrace_direct]\n',
    );
  });

  it('available_filter_functions skips disabled records and names modules', () => {
    const core = makeCore();
    expect(availableFilterFunctions(core.records)).toBe('f0\nf1\nf2\ng1\nm1_fn [m1]\n');
  });
});
