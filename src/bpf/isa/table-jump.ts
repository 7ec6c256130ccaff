/** Opcode table, RFC 9669 §4.3 jumps, calls and exit (JMP, JMP32). See table.ts. */
import {
  BPF_CALL,
  BPF_EXIT,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JLE,
  BPF_JLT,
  BPF_JMP,
  BPF_JMP32,
  BPF_JNE,
  BPF_JSET,
  BPF_JSGE,
  BPF_JSGT,
  BPF_JSLE,
  BPF_JSLT,
  BPF_K,
  BPF_X,
} from './opcodes.js';
import { entry, type Draft, type OpcodeEntry } from './table-types.js';

const entries: OpcodeEntry[] = [];
const add = (d: Draft): void => {
  entries.push(entry(d));
};

// ---- §4.3 Jumps: JMP compares 64 bits, JMP32 the low 32 bits. -----------------------------------------
const JMP_ROWS: readonly [string, number, string, string, 1 | 2][] = [
  ['JEQ', BPF_JEQ, 'jeq', '==', 1],
  ['JGT', BPF_JGT, 'jgt', '>', 1],
  ['JGE', BPF_JGE, 'jge', '>=', 1],
  ['JSET', BPF_JSET, 'jset', '&', 1],
  ['JNE', BPF_JNE, 'jne', '!=', 1],
  ['JSGT', BPF_JSGT, 'jsgt', 's>', 1],
  ['JSGE', BPF_JSGE, 'jsge', 's>=', 1],
  ['JLT', BPF_JLT, 'jlt', '<', 2],
  ['JLE', BPF_JLE, 'jle', '<=', 2],
  ['JSLT', BPF_JSLT, 'jslt', 's<', 2],
  ['JSLE', BPF_JSLE, 'jsle', 's<=', 2],
];
for (const [cls, w, sfx, grp] of [
  [BPF_JMP, 64, '', 'base64'],
  [BPF_JMP32, 32, '32', 'base32'],
] as const) {
  const clsName = cls === BPF_JMP ? 'JMP' : 'JMP32';
  for (const [op, code, mn, rel, version] of JMP_ROWS) {
    for (const [source, bit] of [
      ['K', BPF_K],
      ['X', BPF_X],
    ] as const) {
      add({
        name: `${clsName}_${op}_${source}`,
        opcode: cls | code | bit,
        cls,
        kind: 'jmp',
        op,
        width: w,
        source,
        mnemonic: mn + sfx,
        shape: source === 'K' ? 'jmp_k' : 'jmp_x',
        group: grp,
        version: w === 32 ? 3 : version,
        sem: `if (${w === 32 ? 'u32/s32' : 'u64/s64'}) dst ${rel} src: pc += off`,
      });
    }
  }
}
// "All CALL and JA instructions belong to the base32 conformance group" (RFC 9669 §4.3). EXIT too: a base32
// program must be able to return.
add({
  name: 'JMP_JA',
  opcode: BPF_JMP | BPF_JA | BPF_K,
  cls: BPF_JMP,
  kind: 'ja',
  op: 'JA',
  width: 64,
  source: 'K',
  mnemonic: 'ja',
  shape: 'ja',
  group: 'base32',
  version: 1,
  sem: 'pc += off',
});
add({
  name: 'JMP32_JA',
  opcode: BPF_JMP32 | BPF_JA | BPF_K,
  cls: BPF_JMP32,
  kind: 'ja',
  op: 'JA',
  width: 32,
  source: 'K',
  mnemonic: 'ja32',
  aliases: ['gotol'],
  shape: 'ja32',
  group: 'base32',
  version: 4,
  sem: 'pc += imm (gotol)',
});
add({
  name: 'JMP_CALL',
  opcode: BPF_JMP | BPF_CALL | BPF_K,
  cls: BPF_JMP,
  kind: 'call',
  op: 'CALL',
  width: 64,
  source: 'K',
  match: { src: 0 },
  mnemonic: 'call',
  shape: 'call_helper',
  group: 'base32',
  version: 1,
  sem: 'r0 = helper[imm](r1..r5); r1-r5 clobbered',
});
add({
  name: 'JMP_CALL_LOCAL',
  opcode: BPF_JMP | BPF_CALL | BPF_K,
  cls: BPF_JMP,
  kind: 'call',
  op: 'CALL',
  width: 64,
  source: 'K',
  match: { src: 1 },
  mnemonic: 'call local',
  shape: 'call_local',
  group: 'base32',
  version: 1,
  sem: 'push frame (r6-r9, r10 saved; new 512-byte stack); pc += imm',
});
add({
  name: 'JMP_CALL_KFUNC',
  opcode: BPF_JMP | BPF_CALL | BPF_K,
  cls: BPF_JMP,
  kind: 'call',
  op: 'CALL',
  width: 64,
  source: 'K',
  match: { src: 2 },
  mnemonic: 'call runtime',
  shape: 'call_kfunc',
  group: 'base32',
  version: 1,
  sem: 'r0 = function with BTF id imm (kfunc)(r1..r5)',
});
add({
  name: 'JMP_CALLX',
  opcode: BPF_JMP | BPF_CALL | BPF_X,
  cls: BPF_JMP,
  kind: 'call',
  op: 'CALLX',
  width: 64,
  source: 'X',
  mnemonic: 'call',
  shape: 'callx',
  group: 'callx',
  version: 1,
  sem: 'indirect call of the function whose address is in dst (Linux only)',
});
add({
  name: 'JMP_EXIT',
  opcode: BPF_JMP | BPF_EXIT | BPF_K,
  cls: BPF_JMP,
  kind: 'exit',
  op: 'EXIT',
  width: 64,
  source: 'K',
  mnemonic: 'exit',
  shape: 'exit',
  group: 'base32',
  version: 1,
  sem: 'return r0 to the caller frame, or end the program',
});

export const JUMP_ENTRIES: readonly OpcodeEntry[] = entries;
