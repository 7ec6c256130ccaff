/**
 * The exclusive monitor across CPUs and the alignment faults of the exclusives and atomics (the qemu
 * differential test runs one CPU and aligned addresses only).
 */
import { describe, expect, test } from 'vitest';
import { PERM_R, PERM_W } from '../../src/machine/index.js';
import { machineWith } from './helpers.js';

const DATA = 0xffff_8000_9000_0000n;

const SRC = `
ldx:
  ldxr x2, [x0]
  ret
str:
  str x1, [x0]
  ret
strb_other:
  strb w1, [x0, #7]
  ret
stx:
  stxr w0, x1, [x2]
  ret
ldaddal:
  ldaddal x1, x0, [x0]
  ret
`;

function setup() {
  const { m, labels } = machineWith(SRC, { cpus: 2 });
  m.memory.map(DATA, 4096, PERM_R | PERM_W);
  const at = (l: string): bigint => labels.get(l)!;
  return { m, at };
}

describe('exclusive monitor', () => {
  test('LDXR then STXR on one CPU succeeds once; a second STXR fails', () => {
    const { m, at } = setup();
    m.call(at('ldx'), [DATA]);
    expect(m.call(at('stx'), [0n, 5n, DATA])).toBe(0n);
    expect(m.memory.read64(DATA)).toBe(5n);
    expect(m.call(at('stx'), [0n, 6n, DATA])).toBe(1n);
    expect(m.memory.read64(DATA)).toBe(5n);
  });

  test('a store by another CPU to the armed location clears the monitor', () => {
    const { m, at } = setup();
    m.call(at('ldx'), [DATA], { cpu: 0 });
    m.call(at('strb_other'), [DATA, 0xffn], { cpu: 1 });
    expect(m.call(at('stx'), [0n, 7n, DATA], { cpu: 0 })).toBe(1n);
    expect(m.memory.read64(DATA)).toBe(0xff00_0000_0000_0000n);
  });

  test('a store by another CPU elsewhere leaves the monitor armed', () => {
    const { m, at } = setup();
    m.call(at('ldx'), [DATA], { cpu: 0 });
    m.call(at('str'), [DATA + 8n, 1n], { cpu: 1 });
    expect(m.call(at('stx'), [0n, 7n, DATA], { cpu: 0 })).toBe(0n);
    expect(m.memory.read64(DATA)).toBe(7n);
  });

  test('STXR to another address than the armed one fails', () => {
    const { m, at } = setup();
    m.call(at('ldx'), [DATA]);
    expect(m.call(at('stx'), [0n, 7n, DATA + 8n])).toBe(1n);
  });

  test('misaligned exclusives and atomics fault', () => {
    const { m, at } = setup();
    expect(() => m.call(at('ldx'), [DATA + 4n])).toThrowError(/AlignmentFault/);
    expect(() => m.call(at('ldaddal'), [DATA + 1n, 1n])).toThrowError(/AlignmentFault/);
    m.memory.write64(DATA, 40n);
    expect(m.call(at('ldaddal'), [DATA, 2n])).toBe(40n);
    expect(m.memory.read64(DATA)).toBe(42n);
  });
});

describe('LDRAA/LDRAB', () => {
  const src = `
sign:
  pacdza x0
  ret
signb:
  pacdzb x0
  ret
ldraa:
  ldraa x0, [x0, #8]
  ret
ldrab_pre:
  ldrab x1, [x0, #-8]!
  ret
`;
  test('authenticate with the data key and load; a pointer signed with the other key faults', () => {
    const { m, labels } = machineWith(src, { pac: true });
    m.memory.map(DATA, 4096, PERM_R | PERM_W);
    m.memory.write64(DATA + 8n, 0x1234n);
    const at = (l: string): bigint => labels.get(l)!;
    const pa = m.call(at('sign'), [DATA]);
    expect(pa).not.toBe(DATA);
    expect(m.call(at('ldraa'), [pa])).toBe(0x1234n);
    const pb = m.call(at('signb'), [DATA + 16n]);
    expect(m.call(at('ldrab_pre'), [pb])).toBe(DATA + 8n);
    expect(m.cpus[0]!.x(1)).toBe(0x1234n);
    expect(() => m.call(at('ldraa'), [pb])).toThrowError(/PacFault.*ldraa/);
  });
});
