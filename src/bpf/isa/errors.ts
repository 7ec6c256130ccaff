/** Typed errors of the eBPF ISA layer: bad instruction words, bad fields, bad programs. */
import { Tramp64Error } from '../../util/errors.js';

/** An 8-byte instruction word (or a pair for the wide load) that RFC 9669 does not define. */
export class BpfDecodeError extends Tramp64Error {
  /** Slot index of the offending instruction (one slot = 8 bytes). */
  readonly index: number;

  constructor(index: number, message: string) {
    super('BPF_DECODE', `insn ${index}: ${message}`);
    this.index = index;
  }
}

/** A field value that cannot be encoded (register > 10, offset outside s16, immediate outside 32 bits …). */
export class BpfEncodeError extends Tramp64Error {
  readonly index: number;

  constructor(index: number, message: string) {
    super('BPF_ENCODE', `insn ${index}: ${message}`);
    this.index = index;
  }
}
