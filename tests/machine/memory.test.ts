import { describe, expect, test } from 'vitest';
import { Memory, PERM_R, PERM_W, PERM_X, MachineFault } from '../../src/machine/index.js';

const BASE = 0xffff_8000_8000_0000n;

describe('memory', () => {
  test('unmapped and forbidden accesses are typed faults naming the address', () => {
    const m = new Memory();
    expect(() => m.read32(BASE)).toThrowError(MachineFault);
    expect(() => m.read32(BASE)).toThrowError(/TranslationFault|unmapped address 0xffff800080000000/);
    m.map(BASE, 4096, PERM_R | PERM_X);
    expect(() => m.write32(BASE, 1)).toThrowError(/not allowed \(page is r-x\)/);
  });

  test('W^X: a writable and executable mapping is refused', () => {
    const m = new Memory();
    expect(() => m.map(BASE, 4096, PERM_R | PERM_W | PERM_X)).toThrowError(/W\^X/);
    m.map(BASE, 4096, PERM_R | PERM_X);
    expect(() => m.protect(BASE, 4096, PERM_W | PERM_X)).toThrowError(/W\^X/);
  });

  test('a patching alias writes the frame behind read-only code', () => {
    const m = new Memory();
    m.map(BASE, 8192, PERM_R | PERM_X);
    const alias = 0xffff_fdff_fe00_0000n;
    m.mapAlias(alias, BASE, 8192, PERM_R | PERM_W);
    m.write32(alias + 4100n, 0xd503201f);
    expect(m.read32(BASE + 4100n)).toBe(0xd503201f);
  });

  test('accesses crossing a page boundary work and faults leave nothing half-written', () => {
    const m = new Memory();
    m.map(BASE, 4096, PERM_R | PERM_W);
    expect(() => m.write64(BASE + 4092n, 0x1122334455667788n)).toThrowError(MachineFault);
    expect(m.read32(BASE + 4092n)).toBe(0);
    m.map(BASE + 4096n, 4096, PERM_R | PERM_W);
    m.write64(BASE + 4092n, 0x1122334455667788n);
    expect(m.read64(BASE + 4092n)).toBe(0x1122334455667788n);
  });
});
