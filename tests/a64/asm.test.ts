/**
 * The mnemonic layer: every Asm method against LLVM (our disassembly equals the expected text, and
 * llvm-mc assembles that text to the same word); the 64-bit mov sequences executed on the machine for
 * seeded random values; fix-up reach and unbound-label errors.
 */
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { SP, W, WZR, X, XZR, LR } from '../../src/a64/builder.js';
import { disassemble, EncodingError } from '../../src/a64/index.js';
import { HVC_RETURN_TO_HOST, Machine, PERM_R, PERM_X } from '../../src/machine/index.js';
import { Rng } from '../../src/util/rng.js';
import { llvmAssemble, norm } from '../helpers/llvm.js';

const [x0, x1, x2, x3, x9, x10, x29] = [X[0]!, X[1]!, X[2]!, X[3]!, X[9]!, X[10]!, X[29]!];
const [w0, w1, w2, w3] = [W[0]!, W[1]!, W[2]!, W[3]!];

type Case = readonly [string, (a: Asm) => void, readonly string[]];

const CASES: Case[] = [
  [
    'add',
    (a) => (a.add(x0, x1, 16), a.add(x0, x1, 0x5000), a.add(w0, w1, -8)),
    ['add x0, x1, #16', 'add x0, x1, #5, lsl #12', 'sub w0, w1, #8'],
  ],
  [
    'add',
    (a) => (a.add(x0, x1, x2, { shift: 'lsl', amount: 3 }), a.add(x0, x1, w2, { extend: 'uxtw', amount: 2 })),
    ['add x0, x1, x2, lsl #3', 'add x0, x1, w2, uxtw #2'],
  ],
  [
    'add',
    (a) => (a.add(SP, SP, 32), a.add(x0, SP, x1), a.add(SP, x1, x2)),
    ['add sp, sp, #32', 'add x0, sp, x1', 'add sp, x1, x2'],
  ],
  [
    'adds',
    (a) => (a.adds(x0, x1, 1), a.adds(w0, w1, w2, { shift: 'asr', amount: 4 })),
    ['adds x0, x1, #1', 'adds w0, w1, w2, asr #4'],
  ],
  [
    'sub',
    (a) => (
      a.sub(SP, SP, 0x10),
      a.sub(x0, x1, x2, { shift: 'lsr', amount: 63 }),
      a.sub(x0, x1, w2, { extend: 'sxtw' })
    ),
    ['sub sp, sp, #16', 'sub x0, x1, x2, lsr #63', 'sub x0, x1, w2, sxtw'],
  ],
  ['subs', (a) => (a.subs(x0, x1, 4095), a.subs(x0, x1, x2)), ['subs x0, x1, #4095', 'subs x0, x1, x2']],
  [
    'cmp',
    (a) => (a.cmp(x0, 7), a.cmp(w1, w2), a.cmp(SP, x1), a.cmp(x1, -1)),
    ['cmp x0, #7', 'cmp w1, w2', 'cmp sp, x1', 'cmn x1, #1'],
  ],
  [
    'cmn',
    (a) => (a.cmn(x0, 7), a.cmn(x1, x2, { shift: 'lsl', amount: 1 })),
    ['cmn x0, #7', 'cmn x1, x2, lsl #1'],
  ],
  ['tst', (a) => (a.tst(x0, 0xff), a.tst(w1, w2)), ['tst x0, #0xff', 'tst w1, w2']],
  [
    'neg',
    (a) => (a.neg(x0, x1), a.negs(w0, w1, { shift: 'lsl', amount: 2 })),
    ['neg x0, x1', 'negs w0, w1, lsl #2'],
  ],
  [
    'mov reg',
    (a) => (a.mov(x0, x1), a.mov(w0, w1), a.mov(x29, SP), a.mov(SP, x9)),
    ['mov x0, x1', 'mov w0, w1', 'mov x29, sp', 'mov sp, x9'],
  ],
  [
    'mov imm',
    (a) => (a.mov(x0, 0), a.mov(x0, 0x1234), a.mov(x0, -1n), a.mov(w0, 0x12345678)),
    ['mov w0, #0', 'mov w0, #4660', 'mov x0, #-1', 'mov w0, #22136', 'movk w0, #4660, lsl #16'],
  ],
  [
    'mov imm',
    (a) => a.mov(x0, 0xffff_8000_1234_5678n),
    ['mov x0, #-140733193388033', 'movk x0, #4660, lsl #16', 'movk x0, #22136'],
  ],
  [
    'movAddr48',
    (a) => a.movAddr48(x10, 0xffff_8000_8000_1234n),
    ['mov x10, #-60876', 'movk x10, #32768, lsl #16', 'movk x10, #32768, lsl #32'],
  ],
  [
    'movz/movn/movk',
    (a) => (a.movz(x0, 1, 48), a.movn(w1, 5), a.movk(x2, 0xbeef, 32)),
    ['mov x0, #281474976710656', 'mov w1, #-6', 'movk x2, #48879, lsl #32'],
  ],
  [
    'and',
    (a) => (
      a.and(x0, x1, 0xffn),
      a.and(w0, w1, w2, { shift: 'ror', amount: 3 }),
      a.and(SP, x1, 0xfffffffffffffff0n)
    ),
    ['and x0, x1, #0xff', 'and w0, w1, w2, ror #3', 'and sp, x1, #0xfffffffffffffff0'],
  ],
  ['ands', (a) => a.ands(x0, x1, x2), ['ands x0, x1, x2']],
  [
    'orr',
    (a) => (a.orr(x0, x1, 0x5555555555555555n), a.orr(x0, x1, x2, { shift: 'lsl', amount: 8 })),
    ['orr x0, x1, #0x5555555555555555', 'orr x0, x1, x2, lsl #8'],
  ],
  [
    'eor',
    (a) => (a.eor(w0, w1, 0x80000000), a.eor(x0, x1, x2)),
    ['eor w0, w1, #0x80000000', 'eor x0, x1, x2'],
  ],
  [
    'bic',
    (a) => (a.bic(x0, x1, x2), a.bic(x0, x1, 0xfn)),
    ['bic x0, x1, x2', 'and x0, x1, #0xfffffffffffffff0'],
  ],
  ['orn/mvn', (a) => (a.orn(x0, x1, x2), a.mvn(w0, w1)), ['orn x0, x1, x2', 'mvn w0, w1']],
  [
    'lsl',
    (a) => (a.lsl(x0, x1, 3), a.lsl(w0, w1, 31), a.lsl(x0, x1, x2)),
    ['lsl x0, x1, #3', 'lsl w0, w1, #31', 'lsl x0, x1, x2'],
  ],
  ['lsr', (a) => (a.lsr(x0, x1, 63), a.lsr(w0, w1, w2)), ['lsr x0, x1, #63', 'lsr w0, w1, w2']],
  ['asr', (a) => (a.asr(x0, x1, 1), a.asr(x0, x1, x2)), ['asr x0, x1, #1', 'asr x0, x1, x2']],
  ['ror', (a) => (a.ror(x0, x1, 8), a.ror(w0, w1, w2)), ['ror x0, x1, #8', 'ror w0, w1, w2']],
  [
    'ubfx/sbfx',
    (a) => (a.ubfx(x0, x1, 8, 8), a.sbfx(w0, w1, 4, 28)),
    ['ubfx x0, x1, #8, #8', 'asr w0, w1, #4'],
  ],
  ['ubfx/sbfx', (a) => a.sbfx(x0, x1, 3, 5), ['sbfx x0, x1, #3, #5']],
  [
    'extends',
    (a) => (a.uxtb(w0, w1), a.uxth(w0, w1), a.uxtw(x0, w1)),
    ['uxtb w0, w1', 'uxth w0, w1', 'mov w0, w1'],
  ],
  [
    'extends',
    (a) => (a.sxtb(x0, w1), a.sxth(w0, w1), a.sxtw(x0, w1)),
    ['sxtb x0, w1', 'sxth w0, w1', 'sxtw x0, w1'],
  ],
  [
    'mul',
    (a) => (a.mul(x0, x1, x2), a.madd(w0, w1, w2, w3), a.msub(x0, x1, x2, x3), a.mneg(x0, x1, x2)),
    ['mul x0, x1, x2', 'madd w0, w1, w2, w3', 'msub x0, x1, x2, x3', 'mneg x0, x1, x2'],
  ],
  [
    'div',
    (a) => (a.udiv(x0, x1, x2), a.sdiv(w0, w1, w2), a.umulh(x0, x1, x2), a.smulh(x0, x1, x2)),
    ['udiv x0, x1, x2', 'sdiv w0, w1, w2', 'umulh x0, x1, x2', 'smulh x0, x1, x2'],
  ],
  [
    'csel',
    (a) => (
      a.csel(x0, x1, x2, 'eq'),
      a.csinc(w0, w1, w2, 'lt'),
      a.csinv(x0, x1, x2, 'hi'),
      a.csneg(x0, x1, x2, 'cs')
    ),
    ['csel x0, x1, x2, eq', 'csinc w0, w1, w2, lt', 'csinv x0, x1, x2, hi', 'csneg x0, x1, x2, hs'],
  ],
  [
    'cset',
    (a) => (a.cset(x0, 'ne'), a.csetm(w0, 'lo'), a.cinc(x0, x1, 'gt'), a.cneg(x0, x1, 'mi')),
    ['cset x0, ne', 'csetm w0, lo', 'cinc x0, x1, gt', 'cneg x0, x1, mi'],
  ],
  [
    'rev',
    (a) => (a.rev(x0, x1), a.rev(w0, w1), a.rev16(w0, w1), a.rev16(x0, x1), a.rev32(x0, x1)),
    ['rev x0, x1', 'rev w0, w1', 'rev16 w0, w1', 'rev16 x0, x1', 'rev32 x0, x1'],
  ],
  [
    'ldr',
    (a) => (a.ldr(x0, x1, 8), a.ldr(x0, x1, 4), a.ldr(w0, SP, -4), a.ldr(x0, x1, 32760)),
    ['ldr x0, [x1, #8]', 'ldur x0, [x1, #4]', 'ldur w0, [sp, #-4]', 'ldr x0, [x1, #32760]'],
  ],
  [
    'ldr',
    (a) => (
      a.ldr(x0, x1, 16, 'pre'),
      a.ldr(x0, x1, -16, 'post'),
      a.ldr(x0, x1, x2),
      a.ldr(x0, x1, w2, { extend: 'uxtw', shifted: true }),
      a.ldr(w0, x1, x2, { shifted: true })
    ),
    [
      'ldr x0, [x1, #16]!',
      'ldr x0, [x1], #-16',
      'ldr x0, [x1, x2]',
      'ldr x0, [x1, w2, uxtw #3]',
      'ldr w0, [x1, x2, lsl #2]',
    ],
  ],
  [
    'str',
    (a) => (
      a.str(x0, SP, 0),
      a.str(w1, x2, 4),
      a.str(x0, SP, -8, 'pre'),
      a.str(x0, x1, x2, { extend: 'sxtx' })
    ),
    ['str x0, [sp]', 'str w1, [x2, #4]', 'str x0, [sp, #-8]!', 'str x0, [x1, x2, sxtx]'],
  ],
  [
    'ldrb/strb',
    (a) => (a.ldrb(w0, x1, 4095), a.strb(w0, x1, -1), a.ldrb(w0, x1, x2), a.strb(w0, x1, 1, 'post')),
    ['ldrb w0, [x1, #4095]', 'sturb w0, [x1, #-1]', 'ldrb w0, [x1, x2]', 'strb w0, [x1], #1'],
  ],
  [
    'ldrh/strh',
    (a) => (a.ldrh(w0, x1, 2), a.strh(w0, x1, 3), a.ldrh(w0, x1, x2, { shifted: true })),
    ['ldrh w0, [x1, #2]', 'sturh w0, [x1, #3]', 'ldrh w0, [x1, x2, lsl #1]'],
  ],
  [
    'ldrs*',
    (a) => (
      a.ldrsb(x0, x1, 1),
      a.ldrsb(w0, x1),
      a.ldrsh(x0, x1, -2),
      a.ldrsw(x0, x1, 8),
      a.ldrsw(x0, x1, w2, { extend: 'sxtw', shifted: true })
    ),
    [
      'ldrsb x0, [x1, #1]',
      'ldrsb w0, [x1]',
      'ldursh x0, [x1, #-2]',
      'ldrsw x0, [x1, #8]',
      'ldrsw x0, [x1, w2, sxtw #2]',
    ],
  ],
  [
    'ldp/stp',
    (a) => (
      a.ldp(x0, x1, SP, 16),
      a.stp(w0, w1, x2, -8),
      a.stp(x29, LR, SP, -32, 'pre'),
      a.ldp(x29, LR, SP, 32, 'post')
    ),
    [
      'ldp x0, x1, [sp, #16]',
      'stp w0, w1, [x2, #-8]',
      'stp x29, x30, [sp, #-32]!',
      'ldp x29, x30, [sp], #32',
    ],
  ],
  [
    'push/pop',
    (a) => (a.push(x29, LR), a.pop(x29, LR)),
    ['stp x29, x30, [sp, #-16]!', 'ldp x29, x30, [sp], #16'],
  ],
  [
    'exclusive',
    (a) => (
      a.ldxr(x0, x1),
      a.stxr(w2, x0, x1),
      a.ldaxr(w0, SP),
      a.stlxr(w3, w0, x1),
      a.ldar(x0, x1),
      a.stlr(w0, x1)
    ),
    [
      'ldxr x0, [x1]',
      'stxr w2, x0, [x1]',
      'ldaxr w0, [sp]',
      'stlxr w3, w0, [x1]',
      'ldar x0, [x1]',
      'stlr w0, [x1]',
    ],
  ],
  [
    'lse',
    (a) => (
      a.ldadd(x0, x1, x2),
      a.ldaddal(w0, w1, x2),
      a.stadd(x0, x1),
      a.staddl(w0, x1),
      a.swpal(x0, x1, x2),
      a.casal(x0, x1, x2),
      a.cas(w0, w1, x2)
    ),
    [
      'ldadd x0, x1, [x2]',
      'ldaddal w0, w1, [x2]',
      'stadd x0, [x1]',
      'staddl w0, [x1]',
      'swpal x0, x1, [x2]',
      'casal x0, x1, [x2]',
      'cas w0, w1, [x2]',
    ],
  ],
  [
    'lse',
    (a) => (
      a.ldclral(x0, x1, x2),
      a.ldsetal(x0, x1, x2),
      a.ldeoral(x0, x1, x2),
      a.atomic('ldaddab', w0, w1, x2),
      a.atomic('swph', w0, w1, x2),
      a.atomicStore('stsetb', w0, x1)
    ),
    [
      'ldclral x0, x1, [x2]',
      'ldsetal x0, x1, [x2]',
      'ldeoral x0, x1, [x2]',
      'ldaddab w0, w1, [x2]',
      'swph w0, w1, [x2]',
      'stsetb w0, [x1]',
    ],
  ],
  [
    'branches',
    (a) => {
      const l = a.label('l');
      a.b(l);
      a.bl(l);
      a.bCond('eq', l);
      a.bind(l);
      a.cbz(x0, l);
      a.cbnz(w1, l);
      a.tbz(x0, 40, l);
      a.tbnz(w0, 3, l);
    },
    ['b #12', 'bl #8', 'b.eq #4', 'cbz x0, #0', 'cbnz w1, #-4', 'tbz x0, #40, #-8', 'tbnz w0, #3, #-12'],
  ],
  ['branches abs', (a) => (a.b(0x1000n), a.bl(0n)), ['b #4096', 'bl #-4']],
  ['br/blr/ret', (a) => (a.br(x9), a.blr(x10), a.ret(), a.ret(x1)), ['br x9', 'blr x10', 'ret', 'ret x1']],
  [
    'adr',
    (a) => {
      const l = a.label();
      a.adr(x0, l);
      a.nop();
      a.bind(l);
      a.adrp(x1, 0x5000n);
    },
    ['adr x0, #8', 'nop', 'adrp x1, #20480'],
  ],
  [
    'ldrLit',
    (a) => {
      const l = a.literal(0x1122334455667788n);
      a.ldrLit(x0, l);
      a.ldrLit(w1, l);
      a.nop();
    },
    ['ldr x0, #16', 'ldr w1, #12', 'nop'],
  ],
  [
    'hints',
    (a) => (a.nop(), a.bti(), a.bti('c'), a.bti('j'), a.bti('jc'), a.paciasp(), a.autiasp(), a.hint(127)),
    ['nop', 'bti', 'bti c', 'bti j', 'bti jc', 'paciasp', 'autiasp', 'hint #127'],
  ],
  ['exceptions', (a) => (a.brk(0x3e8), a.hvc(0xffff), a.svc(0)), ['brk #0x3e8', 'hvc #0xffff', 'svc #0']],
  [
    'barriers',
    (a) => (a.isb(), a.dsb(), a.dsb('ish'), a.dmb('ishld'), a.dmb('oshst')),
    ['isb', 'dsb sy', 'dsb ish', 'dmb ishld', 'dmb oshst'],
  ],
  [
    'sysregs',
    (a) => (a.mrs(x0, 'sp_el0'), a.msr('tpidr_el1', x1), a.mrs(x2, 'CNTVCT_EL0')),
    ['mrs x0, SP_EL0', 'msr TPIDR_EL1, x1', 'mrs x2, CNTVCT_EL0'],
  ],
  [
    'cache ops',
    (a) => (a.dc('civac', x0), a.dc('cvau', x1), a.ic('ivau', x2), a.ic('iallu'), a.ic('ialluis')),
    ['dc civac, x0', 'dc cvau, x1', 'ic ivau, x2', 'ic iallu', 'ic ialluis'],
  ],
];

describe('Asm against LLVM', () => {
  const built = CASES.map(([, f, text]) => {
    const a = new Asm();
    f(a);
    const code = a.finish();
    return { words: code.words.slice(0, text.length), text };
  });
  const lines = built.flatMap((b) => b.text);
  const llvm = llvmAssemble(lines);
  let k = 0;
  const ref = built.map((b) => b.text.map(() => llvm[k++]!));

  CASES.forEach(([name, , text], i) => {
    it(`${name}: ${text.join('; ')}`, () => {
      const { words } = built[i]!;
      expect(words.map((w) => norm((disassemble(w) ?? '<unknown>').replace(/\s*\/\/.*$/, '')))).toEqual(
        text.map(norm),
      );
      expect(ref[i]!.map((r) => ('word' in r ? r.word : r.error))).toEqual(words);
    });
  });
});

describe('64-bit mov sequences on the machine', () => {
  const BASE = 0xffff_8000_8000_0000n;
  const run = (emit: (a: Asm) => void): { value: bigint; n: number } => {
    const a = new Asm(BASE);
    emit(a);
    const n = a.size / 4;
    a.hvc(HVC_RETURN_TO_HOST);
    const { bytes } = a.finish();
    const m = new Machine();
    m.memory.map(BASE, 4096, PERM_R | PERM_X);
    m.memory.writeBytes(BASE, bytes, 0);
    return { value: m.call(BASE, [0xdeadn]), n };
  };
  const rng = new Rng(0x7a3964);
  const values: bigint[] = [
    0n,
    1n,
    0xffffn,
    0x10000n,
    0xffffffffn,
    0x80000000n,
    0x1_0000_0000n,
    (1n << 64n) - 1n,
    0xffff_0000_ffff_0000n,
    0x0000_ffff_0000_ffffn,
    0x8000_0000_0000_0000n,
  ];
  for (let i = 0; i < 300; i++) {
    // mix in values with 0x0000 and 0xffff halfwords, which the sequence skips
    let v = rng.u64();
    for (let h = 0n; h < 64n; h += 16n) {
      const r = rng.below(4);
      if (r === 0) v &= ~(0xffffn << h);
      if (r === 1) v |= 0xffffn << h;
    }
    values.push(v);
  }

  it('movImm: x0 = value for 311 values (kernel emit_a64_mov_i64 shape, at most 4 instructions)', () => {
    for (const v of values) {
      const { value, n } = run((a) => a.mov(X[0]!, v));
      expect(value, `0x${v.toString(16)}`).toBe(v);
      expect(n).toBeLessThanOrEqual(4);
    }
  });

  it('movAddr48: exactly three instructions for kernel addresses', () => {
    for (let i = 0; i < 100; i++) {
      const v = 0xffff_0000_0000_0000n | (rng.u64() & 0xffff_ffff_ffffn);
      const { value, n } = run((a) => a.movAddr48(X[0]!, v));
      expect(value).toBe(v);
      expect(n).toBe(3);
    }
    expect(() => new Asm().movAddr48(X[0]!, 0x1234n)).toThrow(/bits 63:48 must be all ones/);
  });
});

describe('errors', () => {
  it('branch fix-ups out of range state the reach', () => {
    const a = new Asm(0xffff_8000_8000_0000n);
    a.bl(0xffff_8000_8000_0000n + 130n * 1024n * 1024n);
    expect(() => a.finish()).toThrow(/130\.0 MiB away; reach is \[-128 MiB, \+128 MiB\)/);
    const b = new Asm();
    b.cbz(x0, 0x100000n);
    expect(() => b.finish()).toThrow(/reach is \[-1 MiB, \+1 MiB\)/);
    const c = new Asm();
    c.tbz(x0, 1, 0x8000n);
    expect(() => c.finish()).toThrow(/reach is \[-32768, \+32768\) bytes/);
  });

  it('labels used but never bound throw', () => {
    const a = new Asm();
    a.b(a.label('nowhere'));
    expect(() => a.finish()).toThrow(/label 'nowhere' is used but never bound/);
  });

  it('unencodable operands throw EncodingError naming the rule and emit nothing', () => {
    const a = new Asm();
    const bad: [() => unknown, RegExp][] = [
      [() => a.add(x0, x1, 4097), /ADD|add immediate 4097 is not encodable/],
      [() => a.and(x0, x1, 0x1234n), /not a 64-bit bitmask immediate/],
      [() => a.ldr(x0, x1, 32768), /multiple of 8 in \[0, 32760\].*\[-256, 255\]/],
      [() => a.ldr(x0, x1, 256, 'pre'), /must be in \[-256, 255\]/],
      [() => a.stp(x0, x1, SP, 12), /multiple of 8 in \[-512, 504\]/],
      [() => a.lsl(x0, x1, 64), /shift amount 64 is out of range/],
      [() => a.movz(x0, 1, 8), /shift 8 is not encodable/],
      [() => a.add(x0, x1, XZR, { shift: 'ror', amount: 1 }), /ROR is not an ADD\/SUB shift/],
      [() => a.orr(x0, SP, x1), /sp is not allowed here/],
      [() => a.add(x0, XZR, 1), /xzr is not allowed here; register 31 means SP/],
      [() => a.add(x0, w1, x2), /mix 32- and 64-bit/],
      [() => a.ldrb(x0, x1), /must be a W register/],
      [() => a.cset(x0, 'al'), /must not be al/],
      [() => a.mrs(x0, 'no_such_reg'), /not a readable system register/],
      [() => a.dc('ivau', x0), /unknown operation/],
      [() => a.ic('iallu', x0), /takes no register/],
      [() => a.brk(0x10000), /brk immediate 65536 is out of range/],
      [() => a.tbz(w0, 32, 0n), /tbz bit number 32 is out of range/],
      [() => a.mov(WZR, 1n << 40n), /does not fit in 32 bits/],
    ];
    for (const [f, re] of bad) {
      expect(f).toThrow(EncodingError);
      expect(f).toThrow(re);
    }
    expect(a.size).toBe(0);
  });
});
