/**
 * Arm ARM (DDI 0487) C4.1.94 Loads and Stores — register pairs:
 *
 *   Load/store no-allocate pair (offset)           opc 101 V 000 L imm7 Rt2 Rn Rt
 *   Load/store register pair (post-indexed)        opc 101 V 001 L imm7 Rt2 Rn Rt
 *   Load/store register pair (offset)              opc 101 V 010 L imm7 Rt2 Rn Rt
 *   Load/store register pair (pre-indexed)         opc 101 V 011 L imm7 Rt2 Rn Rt
 *
 * imm7 is signed and scaled by the register size. opc 11 is unallocated everywhere; opc 01 with V = 0 is
 * LDPSW for loads and STGP (memory tagging, not in the reference flags: undecoded) for stores, and
 * unallocated in the no-allocate group. LDP with Rt = Rt2 and writeback with Rn = Rt are CONSTRAINED
 * UNPREDICTABLE; LLVM still decodes them, so do we.
 */
import {
  memBase,
  memOffset,
  memPreIndex,
  postOffset,
  reg,
  REG_BYTES,
  type OffsetSpec,
  type RegKind,
} from '../operands/ldst.js';
import type { EncodingSpec, TableFile } from '../types.js';

interface PairVariant {
  readonly insn: string;
  readonly suffix: string;
  readonly opc: string;
  readonly V: string;
  readonly L: string;
  readonly kind: RegKind;
  /** Bytes per register in memory (the imm7 scale): 4 for LDPSW's x registers. */
  readonly bytes?: number;
}

const PAIRS: readonly PairVariant[] = [
  { insn: 'STP', suffix: '_32', opc: '00', V: '0', L: '0', kind: 'w' },
  { insn: 'LDP', suffix: '_32', opc: '00', V: '0', L: '1', kind: 'w' },
  { insn: 'LDPSW', suffix: '', opc: '01', V: '0', L: '1', kind: 'x', bytes: 4 },
  { insn: 'STP', suffix: '_64', opc: '10', V: '0', L: '0', kind: 'x' },
  { insn: 'LDP', suffix: '_64', opc: '10', V: '0', L: '1', kind: 'x' },
  { insn: 'STP', suffix: '_s', opc: '00', V: '1', L: '0', kind: 's' },
  { insn: 'LDP', suffix: '_s', opc: '00', V: '1', L: '1', kind: 's' },
  { insn: 'STP', suffix: '_d', opc: '01', V: '1', L: '0', kind: 'd' },
  { insn: 'LDP', suffix: '_d', opc: '01', V: '1', L: '1', kind: 'd' },
  { insn: 'STP', suffix: '_q', opc: '10', V: '1', L: '0', kind: 'q' },
  { insn: 'LDP', suffix: '_q', opc: '10', V: '1', L: '1', kind: 'q' },
];

type Form = 'post' | 'off' | 'pre' | 'nap';
const FORM_BITS: Record<Form, string> = { nap: '000', post: '001', off: '010', pre: '011' };

/*
 * CONSTRAINED UNPREDICTABLE pairs decode (LLVM disassembles them) but LLVM 14's assembler refuses some of
 * them, and not uniformly; we refuse exactly the same ones (tests/a64/ldst.test.ts checks this against it):
 *   LDP with Rt = Rt2: every load in the offset form; pre-indexed only SIMD&FP; post-indexed SIMD&FP and LDPSW.
 *   writeback to a base that is a transfer register (general-purpose only; Rn = 31 is SP): every
 *   pre-indexed pair, and the post-indexed ones except LDPSW. No-allocate pairs are never refused.
 */
const checksRt2 = (v: PairVariant, form: Form): boolean =>
  v.L === '1' &&
  (form === 'off' ||
    (form === 'pre' && v.V === '1') ||
    (form === 'post' && (v.V === '1' || v.insn === 'LDPSW')));
const checksWriteback = (v: PairVariant, form: Form): boolean =>
  v.V === '0' && (form === 'pre' || (form === 'post' && v.insn !== 'LDPSW'));

const pair = (v: PairVariant, form: Form): EncodingSpec => {
  const off: OffsetSpec = { parts: [['imm7', 7]], signed: true, scale: v.bytes ?? REG_BYTES[v.kind] };
  const insn = form === 'nap' ? v.insn.replace('P', 'NP') : v.insn;
  const mem =
    form === 'post'
      ? [memBase('Rn'), postOffset(off)]
      : form === 'pre'
        ? [memPreIndex('Rn', off)]
        : [memOffset('Rn', off)];
  return {
    name: form === 'nap' ? `${insn}${v.suffix}` : `${insn}_${form}${v.suffix}`,
    mnemonic: insn.toLowerCase(),
    pattern: `${v.opc} 101 ${v.V} ${FORM_BITS[form]} ${v.L} xxxxxxx xxxxx xxxxx xxxxx`,
    fields: 'imm7 Rt2 Rn Rt',
    operands: [reg('Rt', v.kind), reg('Rt2', v.kind), ...mem],
    cls: v.L === '1' ? 'loadpair' : 'storepair',
    unpredictable: (f) => {
      if (checksRt2(v, form) && f.Rt === f.Rt2) return 'Rt2 is the same register as Rt';
      if (checksWriteback(v, form) && f.Rn !== 31 && (f.Rn === f.Rt || f.Rn === f.Rt2)) {
        return 'the writeback base is also a transfer register';
      }
      return undefined;
    },
  };
};

const encodings: EncodingSpec[] = [
  // Offset first: `ldp x0, x1, [sp]` is the plain form (LDNP has its own mnemonic, so order is for reading).
  ...PAIRS.map((v) => pair(v, 'off')),
  ...PAIRS.map((v) => pair(v, 'pre')),
  ...PAIRS.map((v) => pair(v, 'post')),
  ...PAIRS.filter((v) => v.insn !== 'LDPSW').map((v) => pair(v, 'nap')),
];

export const ldstPair: TableFile = {
  file: 'ldst-pair.ts',
  section: 'C4.1.94 Loads and Stores (register pairs)',
  encodings,
  aliases: [],
};
