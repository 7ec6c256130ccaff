/** Assembler, disassembler, kernel-log printer and the 8-byte codec: exact outputs and exact errors. */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  assemble,
  disassemble,
  printKernelLog,
  parseDataFile,
  BpfAsmError,
  decodeProgram,
  encodeProgram,
  wordToU64,
  BpfDecodeError,
  BpfEncodeError,
} from '../../src/bpf/index.js';
import { Rng } from '../../src/util/rng.js';
import { randomProgram } from './gen.js';

const asmError = (text: string): string => {
  try {
    assemble(text);
  } catch (e) {
    expect(e).toBeInstanceOf(BpfAsmError);
    return (e as Error).message;
  }
  throw new Error('assembled without error');
};

describe('assembler', () => {
  test('encodes the bpf_conformance syntax', () => {
    const p = assemble(`
      mov32 %r0, 1          # comment
      ldxw %r0, [%r1+4]
      stdw [%r10-8], -1
      lock fetch add32 [%r10-4], %r2
      call local f
      lddw %r3, 0x1122334455667788
      jeq %r1, 0, exit
      ja32 f
    f:
      exit
    `);
    expect(p.map((i) => wordToU64(i).toString(16).padStart(16, '0'))).toEqual([
      '00000001000000b4', // mov32 r0, 1:              imm 1, regs 00, opcode b4
      '0000000000041061', // ldxw r0, [r1+4]:          off 4, src 1 dst 0, opcode 61
      'fffffffffff80a7a', // stdw [r10-8], -1:         imm -1, off -8, dst 10
      '00000001fffc2ac3', // lock fetch add32:         imm ADD|FETCH, off -4, src 2 dst 10
      '0000000400001085', // call local f:             src 1 (pseudo call), imm = 9 - 4 - 1
      '5566778800000318', // lddw r3, … (first slot)
      '1122334400000000', //            (second slot: next_imm)
      '0000000000010115', // jeq r1, 0, exit:          the first exit is slot 9, off = 9 - 7 - 1
      '0000000000000006', // ja32 f:                   imm = 0
      '0000000000000095',
    ]);
  });

  test('labels, +offsets and the default exit label', () => {
    const p = assemble('ja exit\nmov %r0, 1\nexit\nja -2\n');
    expect(p.map((i) => i.off)).toEqual([1, 0, 0, -2]);
  });

  test('errors name the line, the column and what was expected', () => {
    expect(asmError('mov %r0, 1\nfrob %r1')).toBe("line 2, column 1: unknown mnemonic 'frob'");
    expect(asmError('mov %r11, 1')).toBe("line 1, column 5: register '%r11' does not exist (r0-r10)");
    expect(asmError('  mov %r0')).toBe(
      "line 1, column 7: expected 'mov %rN, imm' or 'mov %rN, %rN', got 'mov %r0'",
    );
    expect(asmError('mov32 %r0, 0x100000000')).toBe(
      'line 1, column 12: immediate 0x100000000 does not fit 32 bits',
    );
    expect(asmError('ldxw %r0, [%r1*4]')).toBe(
      "line 1, column 11: expected a memory operand [%rN+off], got '[%r1*4]'",
    );
    expect(asmError('ldxw %r0, [%r1+40000]')).toBe(
      'line 1, column 11: offset +40000 is outside [-32768, 32767]',
    );
    expect(asmError('ja nowhere')).toBe("line 1, column 4: undefined label 'nowhere'");
    expect(asmError('a:\na:\nexit')).toBe("line 2, column 1: label 'a' is defined twice");
    expect(asmError('lddw %r0, 0x10000000000000000')).toBe(
      'line 1, column 11: immediate 0x10000000000000000 does not fit 64 bits',
    );
  });

  test('errors in a .data file carry the file line', () => {
    expect(() => assemble('exit\nbogus', { firstLine: 10 })).toThrow(
      "line 11, column 1: unknown mnemonic 'bogus'",
    );
    expect(() => parseDataFile('-- mem\n00 zz\n')).toThrow(
      "line 2, column 4: expected a hex byte such as 'a0', got 'zz'",
    );
    expect(() => parseDataFile('-- result\n0x1 0x2\n')).toThrow(
      'line 2, column 1: -- result needs exactly one number, got 2',
    );
  });
});

describe('disassembler', () => {
  test('prints labels on request and offsets otherwise', () => {
    const p = assemble('mov %r0, 0\njne %r1, 5, out\nmov %r0, 1\nout:\nexit\n');
    expect(disassemble(p)).toBe('mov %r0, 0\njne %r1, 5, +1\nmov %r0, 1\nexit\n');
    expect(disassemble(p, { labels: true })).toBe('mov %r0, 0\njne %r1, 5, L3\nmov %r0, 1\nL3:\nexit\n');
  });

  test('property: assemble(disassemble(p)) == p over random valid programs (fast-check, seeded)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x7fff_ffff }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (seed, n, labels) => {
          const p = randomProgram(new Rng(seed), n);
          const bytes = encodeProgram(p);
          expect(encodeProgram(assemble(disassemble(decodeProgram(bytes), { labels })))).toEqual(bytes);
        },
      ),
      { seed: 9669, numRuns: 300 },
    );
  });
});

describe('kernel verifier-log printer', () => {
  test('prints like the kernel log', () => {
    const p = assemble(`
      mov %r0, 1
      mov32 %r1, %r2
      add %r1, -4
      movsx1664 %r2, %r3
      be16 %r4
      jeq %r1, 0, +2
      jsgt32 %r1, %r2, -3
      ldxw %r0, [%r1+4]
      ldxsb %r0, [%r1-2]
      stxw [%r10-4], %r1
      stdw [%r10-8], 7
      lock add [%r10-8], %r1
      lock fetch or32 [%r10-4], %r2
      lock cmpxchg [%r10-8], %r3
      call 5
      call local +1
      lddw %r1, 0x1122334455667788
      lddw_map_value %r2, 3, 16
      ja32 -1
      exit
    `);
    expect(printKernelLog(p)).toBe(
      [
        '0: (b7) r0 = 1',
        '1: (bc) w1 = w2',
        '2: (07) r1 += -4',
        '3: (bf) r2 = (s16)r3',
        '4: (dc) r4 = be16 r4',
        '5: (15) if r1 == 0x0 goto pc+2',
        '6: (6e) if w1 s> w2 goto pc-3',
        '7: (61) r0 = *(u32 *)(r1 +4)',
        '8: (91) r0 = *(s8 *)(r1 -2)',
        '9: (63) *(u32 *)(r10 -4) = r1',
        '10: (7a) *(u64 *)(r10 -8) = 7',
        '11: (db) lock *(u64 *)(r10 -8) += r1',
        '12: (c3) r2 = atomic_fetch_or((u32 *)(r10 -4), r2)',
        '13: (db) r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r3)',
        '14: (85) call bpf_ktime_get_ns#5',
        '15: (85) call pc+1',
        '16: (18) r1 = 0x1122334455667788',
        '18: (18) r2 = map[fd:3][0]+16',
        '20: (06) gotol pc-1',
        '21: (95) exit',
        '',
      ].join('\n'),
    );
  });
});

describe('8-byte codec', () => {
  const decodeError = (words: bigint[]): string => {
    const b = new Uint8Array(words.length * 8);
    const dv = new DataView(b.buffer);
    words.forEach((w, i) => dv.setBigUint64(i * 8, w, true));
    try {
      decodeProgram(b);
    } catch (e) {
      expect(e).toBeInstanceOf(BpfDecodeError);
      return (e as Error).message;
    }
    throw new Error('decoded without error');
  };

  test('bad input gives typed errors naming the instruction', () => {
    expect(() => decodeProgram(new Uint8Array(12))).toThrow(
      'insn 1: program is 12 bytes, not a multiple of 8',
    );
    expect(decodeError([0x95n, 0xffn])).toBe('insn 1: opcode 0xff is not defined by RFC 9669');
    expect(decodeError([0x01_00b7n])).toBe('insn 0: ALU64_MOV_K (mov): unused field off must be 0, got 1');
    expect(decodeError([0x0bbfn])).toBe(
      'insn 0: ALU64_MOV_X (mov): dst register r11 does not exist (r0-r10)',
    );
    expect(decodeError([0x05_003cn])).toBe(
      'insn 0: opcode 0x3c with off=5 is not defined; off must be one of 0 (div32), 1 (sdiv32)',
    );
    expect(decodeError([0x18n])).toBe('insn 0: lddw needs a second slot but the program ends');
    expect(decodeError([0x18n, 0x18n])).toBe(
      'insn 1: second slot of the lddw at insn 0 must have opcode, dst, src and off 0',
    );
    expect(decodeError([0x1018n, 0x1_0000_0000n])).toBe(
      'insn 1: second slot of the lddw_map_fd at insn 0 must have imm 0, got 1',
    );
    expect(decodeError([0x11_0000_00d4n])).toBe(
      'insn 0: opcode 0xd4 with imm=17 is not defined; imm must be one of 16 (le16), 32 (le32), 64 (le64)',
    );
  });

  test('encoding rejects unencodable fields', () => {
    expect(() => encodeProgram([{ opcode: 0xb7, dst: 0, src: 0, off: 0, imm: 0x8000_0000 }])).toThrow(
      BpfEncodeError,
    );
    expect(() => encodeProgram([{ opcode: 0xb7, dst: 0, src: 0, off: 0, imm: 0x8000_0000 }])).toThrow(
      'insn 0: imm 2147483648 is outside [-2^31, 2^31 - 1] (store 32-bit values signed)',
    );
    expect(() => encodeProgram([{ opcode: 0x05, dst: 0, src: 0, off: 40000, imm: 0 }])).toThrow(
      'insn 0: off 40000 is outside [-32768, 32767]',
    );
  });
});
