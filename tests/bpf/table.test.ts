/**
 * The opcode table is checked like code (STYLE principle 3) and every entry survives
 * encode → decode → print → assemble (principles 1 and 13). Seeded: the seed is in the test name.
 */
import { describe, expect, test } from 'vitest';
import {
  OPCODE_TABLE,
  ENTRY_BY_NAME,
  checkTable,
  decodeProgram,
  encodeProgram,
  lookupEntry,
  type OpcodeEntry,
} from '../../src/bpf/isa/index.js';
import { randomInsn } from './gen.js';
import { assemble, disassemble, printKernelLog } from '../../src/bpf/asm/index.js';
import { Rng } from '../../src/util/rng.js';

describe('opcode table', () => {
  test('is consistent (no overlaps, no field both matched and operand, mnemonic shapes distinct)', () => {
    expect(checkTable(OPCODE_TABLE)).toEqual([]);
  });

  test('negative fixture: a duplicated entry is reported as an overlap and a duplicate name', () => {
    const add = ENTRY_BY_NAME.get('ALU64_ADD_K')!;
    expect(checkTable([...OPCODE_TABLE, add])).toEqual([
      'ALU64_ADD_K: duplicate entry name',
      'opcode 0x7: ALU64_ADD_K overlaps ALU64_ADD_K ()',
      "mnemonic 'add': ALU64_ADD_K, ALU64_ADD_X, ALU64_ADD_K share a shape",
    ]);
  });

  test('negative fixture: a matched field that is also an operand is rejected', () => {
    const bad: OpcodeEntry = {
      ...ENTRY_BY_NAME.get('ALU64_SDIV_K')!,
      name: 'BAD',
      mnemonic: 'bad',
      match: { imm: 1 },
    };
    expect(checkTable([bad])).toEqual(['BAD: field imm is both matched and an operand']);
  });

  test('negative fixture: two entries of one opcode fixing the same value overlap', () => {
    const div = ENTRY_BY_NAME.get('ALU_DIV_X')!;
    const sdiv = { ...ENTRY_BY_NAME.get('ALU_SDIV_X')!, match: { off: 0 } };
    expect(checkTable([div, sdiv])).toContain('opcode 0x3c: ALU_SDIV_X overlaps ALU_DIV_X (off=0)');
  });

  test('covers RFC 9669: 171 entries over the seven groups and callx', () => {
    const byGroup: Record<string, number> = {};
    for (const e of OPCODE_TABLE) byGroup[e.group] = (byGroup[e.group] ?? 0) + 1;
    expect(byGroup).toEqual({
      base32: 67,
      base64: 57,
      divmul32: 10,
      divmul64: 10,
      atomic32: 10,
      atomic64: 10,
      packet: 6,
      callx: 1,
    });
    expect(OPCODE_TABLE.every((e) => e.sem.length > 0)).toBe(true);
  });

  const SEED = 0x5eed_b9f;
  test.each(OPCODE_TABLE.map((e) => [e.name, e] as const))(
    `%s: encode/decode/print/assemble round trip (seed ${SEED})`,
    (_name, e) => {
      const rng = new Rng(SEED ^ e.opcode);
      for (let k = 0; k < 40; k++) {
        const prog = randomInsn(e, rng);
        const bytes = encodeProgram(prog);
        const back = decodeProgram(bytes);
        expect(back).toEqual(prog);
        expect(lookupEntry(back[0]!, 0)).toBe(e);
        const text = disassemble(back);
        expect(encodeProgram(assemble(text))).toEqual(bytes);
        const log = printKernelLog(back);
        expect(log).toMatch(/^0: \([0-9a-f]{2}\) \S/);
        expect(log).not.toContain('undefined');
      }
    },
  );
});
