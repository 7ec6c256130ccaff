/**
 * Arm ARM (DDI 0487) C4.1.93 "Branches, Exception Generating and System instructions": conditional
 * branch (immediate), exception generation, system instructions with register argument, hints, barriers,
 * PSTATE, system instructions, system register moves, unconditional branch (register and immediate),
 * compare and branch, test and branch.
 */
import { gpr, gprOptional, pcRel } from '../operands/core.js';
import type { AliasSpec, EncodingSpec, TableFile } from '../types.js';

const encodings: EncodingSpec[] = [
  {
    name: 'B_cond',
    mnemonic: 'b.{cond}',
    pattern: '0101010 0 xxxxxxxxxxxxxxxxxxx 0 xxxx',
    fields: 'imm19 cond',
    operands: [pcRel([['imm19', 19]], { scale: 4 })],
    cls: 'branch',
  },
  {
    name: 'B',
    mnemonic: 'b',
    pattern: '0 00101 xxxxxxxxxxxxxxxxxxxxxxxxxx',
    fields: 'imm26',
    operands: [pcRel([['imm26', 26]], { scale: 4 })],
    cls: 'branch',
  },
  {
    name: 'BL',
    mnemonic: 'bl',
    pattern: '1 00101 xxxxxxxxxxxxxxxxxxxxxxxxxx',
    fields: 'imm26',
    operands: [pcRel([['imm26', 26]], { scale: 4 })],
    cls: 'call',
  },
  {
    name: 'BR',
    mnemonic: 'br',
    pattern: '1101011 0 0 00 11111 0000 0 0 xxxxx 00000',
    fields: 'Rn',
    operands: [gpr('Rn', 64)],
    cls: 'branch-ind',
  },
  {
    name: 'BLR',
    mnemonic: 'blr',
    pattern: '1101011 0 0 01 11111 0000 0 0 xxxxx 00000',
    fields: 'Rn',
    operands: [gpr('Rn', 64)],
    cls: 'call-ind',
  },
  {
    name: 'RET',
    mnemonic: 'ret',
    pattern: '1101011 0 0 10 11111 0000 0 0 xxxxx 00000',
    fields: 'Rn',
    operands: [gprOptional('Rn', 64, 30)],
    cls: 'ret',
  },
  {
    name: 'CBZ',
    mnemonic: 'cbz',
    pattern: 'x 011010 0 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'sf imm19 Rt',
    operands: [gpr('Rt', 'sf'), pcRel([['imm19', 19]], { scale: 4 })],
    cls: 'branch',
  },
  {
    name: 'CBNZ',
    mnemonic: 'cbnz',
    pattern: 'x 011010 1 xxxxxxxxxxxxxxxxxxx xxxxx',
    fields: 'sf imm19 Rt',
    operands: [gpr('Rt', 'sf'), pcRel([['imm19', 19]], { scale: 4 })],
    cls: 'branch',
  },
];

const aliases: AliasSpec[] = [];

export const branchSys: TableFile = {
  file: 'branch-sys.ts',
  section: 'C4.1.93 Branches, Exception Generating and System instructions',
  encodings,
  aliases,
};
