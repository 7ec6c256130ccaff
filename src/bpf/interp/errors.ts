/** Typed run-time errors of the eBPF interpreter; each names the pc (slot index) where it happened. */
import { Tramp64Error } from '../../util/errors.js';

export type BpfRuntimeCode =
  | 'BPF_MEM' // access outside every region, or a write to a read-only region
  | 'BPF_INSN_LIMIT' // the instruction bound was reached
  | 'BPF_PC' // the pc left the program or landed inside a wide load
  | 'BPF_CALL_DEPTH' // more than MAX_CALL_FRAMES nested local calls
  | 'BPF_HELPER' // unknown helper id, or a helper failed
  | 'BPF_UNSUPPORTED'; // an instruction of a group this interpreter does not run, or a pseudo load without resolver

export class BpfRuntimeError extends Tramp64Error {
  readonly pc: number;
  /** The faulting address, for BPF_MEM. */
  readonly address?: bigint;

  constructor(code: BpfRuntimeCode, pc: number, message: string, address?: bigint) {
    super(code, `pc ${pc}: ${message}`);
    this.pc = pc;
    if (address !== undefined) this.address = address;
  }
}
