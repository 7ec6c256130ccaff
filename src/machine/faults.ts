/**
 * Typed faults. A fault stops the CPU that raised it and is reported with the PC, the instruction word and
 * its disassembly; it never crashes the host process.
 */
import { Tramp64Error } from '../util/errors.js';

export type FaultKind =
  | 'TranslationFault'
  | 'PermissionFault'
  | 'UndefinedInstruction'
  | 'BtiFault'
  | 'PacFault'
  | 'Breakpoint'
  | 'AlignmentFault'
  | 'Unimplemented'
  | 'HostCallError';

export class MachineFault extends Tramp64Error {
  constructor(
    readonly kind: FaultKind,
    readonly detail: string,
    /** Faulting PC; filled in by the CPU when the fault leaves an instruction. */
    public pc?: bigint,
    public word?: number,
    public disassembly?: string,
    /** The data address for memory faults. */
    readonly address?: bigint,
    readonly cpu?: number,
  ) {
    super(kind, detail);
  }

  /** Re-render the message once the CPU has attached the PC and instruction. */
  locate(cpu: number, pc: bigint, word: number | undefined, disassembly: string | undefined): this {
    this.pc = pc;
    this.word = word;
    this.disassembly = disassembly;
    (this as { cpu?: number }).cpu = cpu;
    const insn =
      word === undefined
        ? ''
        : ` (${word.toString(16).padStart(8, '0')}${disassembly ? ` ${disassembly}` : ''})`;
    this.message = `${this.kind} on CPU ${cpu} at pc 0x${pc.toString(16)}${insn}: ${this.detail}`;
    return this;
  }
}

export const TranslationFault = (addr: bigint, access: string): MachineFault =>
  new MachineFault(
    'TranslationFault',
    `${access} of unmapped address 0x${addr.toString(16)}`,
    undefined,
    undefined,
    undefined,
    addr,
  );

export const PermissionFault = (addr: bigint, access: string, perms: string): MachineFault =>
  new MachineFault(
    'PermissionFault',
    `${access} of 0x${addr.toString(16)} not allowed (page is ${perms || 'no-access'})`,
    undefined,
    undefined,
    undefined,
    addr,
  );
