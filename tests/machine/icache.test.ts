/**
 * The I-cache rule and the CMODX checker: CPU 1 keeps executing the old instruction after CPU 0 patches
 * it, until CPU 0's maintenance (DC CVAU, IC IVAU, DSB ISH) plus a context-synchronisation event on CPU 1;
 * live NOP↔B/BL changes raise no CMODX report, a live change of an `add` does.
 */
import { describe, expect, test } from 'vitest';
import { assembleOne } from '../../src/a64/index.js';
import { TextPatcher } from '../../src/kernel/patch.js';
import { PERM_R, PERM_W } from '../../src/machine/index.js';
import { CODE, machineWith } from './helpers.js';

// f: a NOP patch site; patched to `b alt`, f returns 2 instead of 1.
const SRC = 'f:\n nop\n mov x0, #1\n ret\nalt:\n mov x0, #2\n ret\n';
const B_ALT = assembleOne('b #12');
const ALIAS = 0xffff_fdff_fe00_0000n;

function twoCpus(opts: { coherentIcache?: boolean } = {}) {
  const { m } = machineWith(SRC, { cpus: 2, ...opts });
  m.memory.mapAlias(ALIAS, CODE, 4096, PERM_R | PERM_W);
  const write = (word: number, at = CODE): void => m.memory.write32(ALIAS + (at - CODE), word, PERM_W, 0);
  const onCpu1 = (): bigint => m.call(CODE, [], { cpu: 1 });
  return { m, write, onCpu1, cpu0: m.cpus[0]!, cpu1: m.cpus[1]! };
}

describe('instruction cache rule', () => {
  test('the new instruction reaches CPU 1 only after maintenance and CPU 1 synchronising', () => {
    const { m, write, onCpu1, cpu0, cpu1 } = twoCpus();
    expect(onCpu1()).toBe(1n);
    write(B_ALT);
    expect(onCpu1()).toBe(1n); // stale decoded copy
    m.icache.dcCvau(CODE);
    m.icache.icIvau(cpu0, CODE);
    m.icache.dsb(cpu0);
    expect(onCpu1()).toBe(1n); // no context synchronisation on CPU 1 yet
    m.icache.contextSync(cpu1);
    expect(onCpu1()).toBe(2n);
  });

  test('without DC CVAU a refill still reads the old word from the point of unification', () => {
    const { m, write, onCpu1, cpu0, cpu1 } = twoCpus();
    expect(onCpu1()).toBe(1n);
    write(B_ALT);
    m.icache.icIvau(cpu0, CODE);
    m.icache.dsb(cpu0);
    m.icache.contextSync(cpu1);
    expect(onCpu1()).toBe(1n);
  });

  test('a coherent I-cache (DIC/IDC) sees the store at once', () => {
    const { write, onCpu1 } = twoCpus({ coherentIcache: true });
    expect(onCpu1()).toBe(1n);
    write(B_ALT);
    expect(onCpu1()).toBe(2n);
  });

  test('an ISB executed by CPU 1 is the context synchronisation', () => {
    const { m } = machineWith('f:\n nop\n mov x0, #1\n ret\nalt:\n mov x0, #2\n ret\nsync:\n isb\n ret\n', {
      cpus: 2,
    });
    const p = new TextPatcher(m);
    expect(m.call(CODE, [], { cpu: 1 })).toBe(1n);
    p.patchText(CODE, 0xd503201f, B_ALT); // maintenance on CPU 0 only
    expect(m.call(CODE, [], { cpu: 1 })).toBe(1n);
    m.call(CODE + 20n, [], { cpu: 1 }); // CPU 1 runs `isb`
    expect(m.call(CODE, [], { cpu: 1 })).toBe(2n);
    expect(m.icache.reports).toEqual([]);
  });
});

describe('CMODX checker', () => {
  test('NOP ↔ B live, with maintenance: no report', () => {
    const { m } = twoCpus();
    const p = new TextPatcher(m);
    p.patchText(CODE, 0xd503201f, B_ALT);
    p.patchText(CODE, B_ALT, 0xd503201f);
    p.patchText(CODE, 0xd503201f, assembleOne('bl #12'));
    expect(m.icache.reports).toEqual([]);
  });

  test('changing an add live is reported with both words', () => {
    const { m } = twoCpus();
    const p = new TextPatcher(m);
    const old = assembleOne('mov x0, #1');
    p.patchText(CODE + 4n, old, assembleOne('mov x0, #3'));
    expect(m.icache.reports.map((r) => r.kind)).toEqual(['unsafe-modification']);
    expect(m.icache.reports[0]!.oldWord).toBe(old);
    expect(m.icache.reports[0]!.others.map((o) => o.cpu)).toEqual([1]);
  });

  test('skipping the maintenance is reported at the writer’s next synchronisation', () => {
    const { m } = twoCpus();
    const p = new TextPatcher(m);
    p.skipMaintenance = true;
    p.patchText(CODE, 0xd503201f, B_ALT);
    m.icache.contextSync(m.cpus[0]!);
    expect(m.icache.reports.map((r) => r.kind)).toEqual(['missing-maintenance']);
  });

  test('a validation mismatch writes nothing', () => {
    const { m } = twoCpus();
    const p = new TextPatcher(m);
    expect(() => p.patchText(CODE, B_ALT, 0xd503201f)).toThrowError(/EINVAL.*nothing written/);
    expect(p.read(CODE)).toBe(0xd503201f);
  });

  test('stop_machine mode may change any instruction without a report', () => {
    const { m } = twoCpus();
    const p = new TextPatcher(m);
    p.stopMachine = true;
    p.patchText(CODE + 4n, assembleOne('mov x0, #1'), assembleOne('mov x0, #3'));
    expect(m.icache.reports).toEqual([]);
    expect(m.call(CODE, [], { cpu: 1 })).toBe(3n);
  });
});
