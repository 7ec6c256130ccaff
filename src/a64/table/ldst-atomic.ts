/**
 * Arm ARM (DDI 0487) C4.1.94 Loads and Stores — synchronisation:
 *
 *   Load/store exclusive register        size 001000 0 L 0 Rs o0 Rt2 Rn Rt     (STXR … LDAXR, B/H/W/X)
 *   Load/store exclusive pair            1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt     (STXP … LDAXP)
 *   Compare and swap pair                0 sz 001000 0 L 1 Rs o0 11111 Rn Rt   (CASP, CASPA, CASPL, CASPAL)
 *   Load/store ordered                   size 001000 1 L 0 Rs o0 Rt2 Rn Rt     (STLLR, STLR, LDLAR, LDAR)
 *   Compare and swap                     size 001000 1 L 1 Rs o0 11111 Rn Rt   (CAS, CASA, CASL, CASAL)
 *   LDAPR/STLR (unscaled immediate)      size 011001 opc 0 imm9 00 Rn Rt       (STLUR, LDAPUR …, FEAT_LRCPC2)
 *   Atomic memory operations             size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt (LSE LD<op>, SWP, LDAPR)
 *
 * In the exclusive and ordered groups the unused Rs/Rt2 are "should be one": other values are
 * CONSTRAINED UNPREDICTABLE and LLVM still decodes them (as "potentially undefined"), so these rows keep
 * the fields, ignore them when printing and set them to 31 when assembling (`defaults`). In CAS, CASP and
 * LDAPR the 11111 is required: LLVM rejects other values, so the bits are fixed.
 */
import { gpr } from '../operands/core.js';
import { memBase, memOffset, regPair, type RegKind } from '../operands/ldst.js';
import type { AliasSpec, EncodingSpec, Fields, TableFile } from '../types.js';

/** `[xN]` that also takes `[xN, #0]` on input (LLVM does so for exclusives, ordered and LDAPR). */
const memBase0 = memBase('Rn', { zeroOffset: true });

/** The four access sizes of the `size` field: mnemonic suffix, row-name suffix, register kind. */
const SIZES = [
  { size: '00', m: 'b', row: 'B', rt: 'w' },
  { size: '01', m: 'h', row: 'H', rt: 'w' },
  { size: '10', m: '', row: '_32', rt: 'w' },
  { size: '11', m: '', row: '_64', rt: 'x' },
] as const;

const ONES = { Rs: 31, Rt2: 31 };

/** A store-exclusive's status register must differ from its data and base registers (LLVM refuses them). */
const statusOverlap =
  (pair: boolean) =>
  (f: Fields): string | undefined =>
    f.Rs === f.Rt || (pair && f.Rs === f.Rt2) || (f.Rs === f.Rn && f.Rn !== 31)
      ? 'the status register is also a source'
      : undefined;

/** Load/store exclusive register: `stxr w0, x1, [x2]` (Rs is the status), `ldaxr x0, [x1]`. */
const exclusive = (insn: string, L: string, o0: string): EncodingSpec[] =>
  SIZES.map((s) => ({
    name: `${insn}${s.row}`,
    mnemonic: `${insn.toLowerCase()}${s.m}`,
    pattern: `${s.size} 001000 0 ${L} 0 xxxxx ${o0} xxxxx xxxxx xxxxx`,
    fields: 'Rs Rt2 Rn Rt',
    operands: [...(L === '0' ? [gpr('Rs', 32)] : []), gpr('Rt', s.rt === 'x' ? 64 : 32), memBase0],
    cls: 'exclusive',
    defaults: ONES,
    unpredictable: L === '0' ? statusOverlap(false) : undefined,
  }));

/** Load/store exclusive pair: `stlxp w0, x1, x2, [x3]`, `ldxp x0, x1, [x2]`. */
const exclusivePair = (insn: string, L: string, o0: string): EncodingSpec[] =>
  (['32', '64'] as const).map((w) => ({
    name: `${insn}_${w}`,
    mnemonic: insn.toLowerCase(),
    pattern: `1 ${w === '64' ? '1' : '0'} 001000 0 ${L} 1 xxxxx ${o0} xxxxx xxxxx xxxxx`,
    fields: 'Rs Rt2 Rn Rt',
    operands: [
      ...(L === '0' ? [gpr('Rs', 32)] : []),
      gpr('Rt', Number(w) as 32 | 64),
      gpr('Rt2', Number(w) as 32 | 64),
      memBase0,
    ],
    cls: 'exclusive',
    defaults: { Rs: 31 },
    unpredictable: L === '0' ? statusOverlap(true) : undefined,
  }));

/** Compare and swap pair: `caspal x0, x1, x2, x3, [x4]`; both pairs start at an even register. */
const casPair = (insn: string, L: string, o0: string): EncodingSpec[] =>
  (['32', '64'] as const).map((w) => {
    const kind = w === '64' ? 'x' : 'w';
    return {
      name: `${insn}_${w}`,
      mnemonic: insn.toLowerCase(),
      pattern: `0 ${w === '64' ? '1' : '0'} 001000 0 ${L} 1 xxxxx ${o0} 11111 xxxxx xxxxx`,
      fields: 'Rs Rn Rt',
      operands: [regPair('Rs', kind), regPair('Rt', kind), memBase('Rn')],
      cls: 'atomic',
      invalid: (f: Fields) => f.Rs! % 2 !== 0 || f.Rt! % 2 !== 0,
    };
  });

/** Load/store ordered: `stlr x0, [x1]`, `ldarb w0, [x1]`. */
const ordered = (insn: string, L: string, o0: string): EncodingSpec[] =>
  SIZES.map((s) => ({
    name: `${insn}${s.row}`,
    mnemonic: `${insn.toLowerCase()}${s.m}`,
    pattern: `${s.size} 001000 1 ${L} 0 xxxxx ${o0} xxxxx xxxxx xxxxx`,
    fields: 'Rs Rt2 Rn Rt',
    operands: [gpr('Rt', s.rt === 'x' ? 64 : 32), memBase0],
    cls: L === '1' ? 'load' : 'store',
    defaults: ONES,
  }));

/** Compare and swap: `casal x0, x1, [x2]` (Rs = compare value and result, Rt = new value). */
const cas = (insn: string, L: string, o0: string): EncodingSpec[] =>
  SIZES.map((s) => ({
    name: `${insn}${s.row}`,
    mnemonic: `${insn.toLowerCase()}${s.m}`,
    pattern: `${s.size} 001000 1 ${L} 1 xxxxx ${o0} 11111 xxxxx xxxxx`,
    fields: 'Rs Rn Rt',
    operands: [gpr('Rs', s.rt === 'x' ? 64 : 32), gpr('Rt', s.rt === 'x' ? 64 : 32), memBase('Rn')],
    cls: 'atomic',
  }));

/** LDAPR/STLR (unscaled immediate): the (size, opc) decode table, as in the unscaled group of ldst.ts. */
const RCPC_UNSCALED: readonly { name: string; size: string; opc: string; rt: RegKind }[] = [
  { name: 'STLURB', size: '00', opc: '00', rt: 'w' },
  { name: 'LDAPURB', size: '00', opc: '01', rt: 'w' },
  { name: 'LDAPURSB_64', size: '00', opc: '10', rt: 'x' },
  { name: 'LDAPURSB_32', size: '00', opc: '11', rt: 'w' },
  { name: 'STLURH', size: '01', opc: '00', rt: 'w' },
  { name: 'LDAPURH', size: '01', opc: '01', rt: 'w' },
  { name: 'LDAPURSH_64', size: '01', opc: '10', rt: 'x' },
  { name: 'LDAPURSH_32', size: '01', opc: '11', rt: 'w' },
  { name: 'STLUR_32', size: '10', opc: '00', rt: 'w' },
  { name: 'LDAPUR_32', size: '10', opc: '01', rt: 'w' },
  { name: 'LDAPURSW', size: '10', opc: '10', rt: 'x' },
  { name: 'STLUR_64', size: '11', opc: '00', rt: 'x' },
  { name: 'LDAPUR_64', size: '11', opc: '01', rt: 'x' },
];

const rcpcUnscaled = RCPC_UNSCALED.map((v): EncodingSpec => ({
  name: v.name,
  mnemonic: v.name.split('_')[0]!.toLowerCase(),
  pattern: `${v.size} 011001 ${v.opc} 0 xxxxxxxxx 00 xxxxx xxxxx`,
  fields: 'imm9 Rn Rt',
  operands: [
    gpr('Rt', v.rt === 'x' ? 64 : 32),
    memOffset('Rn', { parts: [['imm9', 9]], signed: true, scale: 1 }),
  ],
  cls: v.opc === '00' ? 'store' : 'load',
}));

/** Atomic memory operations with o3 = 0, by opc; SWP is o3 = 1, opc = 000. */
const LSE_OPS = ['ADD', 'CLR', 'EOR', 'SET', 'SMAX', 'SMIN', 'UMAX', 'UMIN'];
const ORDERINGS = [
  { A: '0', R: '0', m: '' },
  { A: '1', R: '0', m: 'A' },
  { A: '1', R: '1', m: 'AL' },
  { A: '0', R: '1', m: 'L' },
] as const;

/** LLVM's note on an acquiring atomic whose loaded value is discarded (Rt = zero register). */
const acquireDropped = (f: Fields): string | undefined =>
  f.Rt === 31 ? 'acquire semantics dropped since destination is zero' : undefined;

/** `ldaddal x0, x1, [x2]`: Rs is the operand, Rt receives the old value. */
const atomic = (stem: string, o3: string, opc: string): EncodingSpec[] =>
  ORDERINGS.flatMap((o) =>
    SIZES.map((s): EncodingSpec => ({
      name: `${stem}${o.m}${s.row}`,
      mnemonic: `${stem}${o.m}`.toLowerCase() + s.m,
      pattern: `${s.size} 111 0 00 ${o.A} ${o.R} 1 xxxxx ${o3} ${opc} 00 xxxxx xxxxx`,
      fields: 'Rs Rn Rt',
      operands: [gpr('Rs', s.rt === 'x' ? 64 : 32), gpr('Rt', s.rt === 'x' ? 64 : 32), memBase('Rn')],
      cls: 'atomic',
      comment: o.A === '1' ? acquireDropped : undefined,
    })),
  );

/** LDAPR (FEAT_LRCPC): in the atomic group at A = 1, R = 0, Rs = 11111, o3 = 1, opc = 100. */
const ldapr = SIZES.map((s): EncodingSpec => ({
  name: `LDAPR${s.row}`,
  mnemonic: `ldapr${s.m}`,
  pattern: `${s.size} 111 0 00 1 0 1 11111 1 100 00 xxxxx xxxxx`,
  fields: 'Rn Rt',
  operands: [gpr('Rt', s.rt === 'x' ? 64 : 32), memBase0],
  cls: 'load',
}));

const encodings: EncodingSpec[] = [
  // Load/store exclusive register
  ...exclusive('STXR', '0', '0'),
  ...exclusive('STLXR', '0', '1'),
  ...exclusive('LDXR', '1', '0'),
  ...exclusive('LDAXR', '1', '1'),
  // Load/store exclusive pair
  ...exclusivePair('STXP', '0', '0'),
  ...exclusivePair('STLXP', '0', '1'),
  ...exclusivePair('LDXP', '1', '0'),
  ...exclusivePair('LDAXP', '1', '1'),
  // Compare and swap pair
  ...casPair('CASP', '0', '0'),
  ...casPair('CASPL', '0', '1'),
  ...casPair('CASPA', '1', '0'),
  ...casPair('CASPAL', '1', '1'),
  // Load/store ordered
  ...ordered('STLLR', '0', '0'),
  ...ordered('STLR', '0', '1'),
  ...ordered('LDLAR', '1', '0'),
  ...ordered('LDAR', '1', '1'),
  // Compare and swap
  ...cas('CAS', '0', '0'),
  ...cas('CASL', '0', '1'),
  ...cas('CASA', '1', '0'),
  ...cas('CASAL', '1', '1'),
  // LDAPR/STLR (unscaled immediate)
  ...rcpcUnscaled,
  // Atomic memory operations
  ...LSE_OPS.flatMap((op, i) => atomic(`LD${op}`, '0', i.toString(2).padStart(3, '0'))),
  ...atomic('SWP', '1', '000'),
  ...ldapr,
];

/**
 * ST<op>: the preferred disassembly of a non-acquiring LD<op> that discards the loaded value (Rt = zero
 * register), e.g. `stadd w0, [x1]` for `ldadd w0, wzr, [x1]`. There is no STSWP.
 */
const aliases: AliasSpec[] = LSE_OPS.flatMap((op) =>
  ORDERINGS.filter((o) => o.A === '0').flatMap((o) =>
    SIZES.map((s): AliasSpec => ({
      name: `ST${op}${o.m}${s.row}`,
      base: `LD${op}${o.m}${s.row}`,
      mnemonic: `st${op}${o.m}`.toLowerCase() + s.m,
      when: (f) => f.Rt === 31,
      operands: [gpr('Rs', s.rt === 'x' ? 64 : 32), memBase('Rn')],
      fixed: { Rt: 31 },
    })),
  ),
);

export const ldstAtomic: TableFile = {
  file: 'ldst-atomic.ts',
  section: 'C4.1.94 Loads and Stores (exclusive, ordered, compare and swap, atomic memory operations)',
  encodings,
  aliases,
};
