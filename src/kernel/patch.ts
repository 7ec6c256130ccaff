/**
 * Live text patching as arm64 does it (facts: shared/facts/ftrace-arm64.md §7). One aligned 32-bit word
 * at a time: validate the old word (mismatch → -EINVAL, nothing written), map the page at the fixmap
 * slot FIX_TEXT_POKE0 (code is never writable where it executes: W^X), write, unmap, then clean and
 * invalidate to the point of unification on the patching CPU only (DC CVAU, DSB ISH, IC IVAU, DSB ISH,
 * ISB). Other CPUs keep running: arm64 ftrace never uses stop_machine. The CALL_OPS literal is an 8-byte
 * data store through the same slot with no cache maintenance.
 *
 * `stopMachine: true` models the generic alternative (every other CPU parked and synchronised), for
 * comparison only.
 */
import { KernelError } from '../util/errors.js';
import type { Machine } from '../machine/index.js';
import { PERM_R, PERM_W } from '../machine/memory.js';

/** The fixmap slot used for text pokes (a model address in the fixmap region). */
export const FIX_TEXT_POKE0 = 0xffff_fbff_fe80_0000n;

export interface PatchStats {
  words: number;
  literals: number;
  validationFailures: number;
}

export class TextPatcher {
  readonly stats: PatchStats = { words: 0, literals: 0, validationFailures: 0 };
  /** CPU on whose behalf patches are made (its ISB is the only one executed). */
  cpu = 0;
  /** Testing hooks: leave out the cache maintenance (the CMODX checker must catch it). */
  skipMaintenance = false;
  stopMachine = false;

  constructor(private readonly machine: Machine) {}

  /** Read the instruction at `addr` (privileged read, like aarch64_insn_read). */
  read(addr: bigint): number {
    if (!this.machine.memory.isMapped(addr))
      throw new KernelError('EFAULT', `cannot read 0x${addr.toString(16)}: unmapped`);
    return this.machine.memory.readBytes(addr, 4, 0).reduce((w, b, i) => (w | (b << (8 * i))) >>> 0, 0);
  }

  /**
   * Replace the word at `addr`: must currently be `expected` (unless undefined), else EINVAL and nothing
   * is written.
   */
  patchText(addr: bigint, expected: number | undefined, word: number): void {
    if ((addr & 3n) !== 0n)
      throw new KernelError('EINVAL', `patch address 0x${addr.toString(16)} is not 4-byte aligned`);
    const old = this.read(addr);
    if (expected !== undefined && old !== expected >>> 0) {
      this.stats.validationFailures++;
      throw new KernelError(
        'EINVAL',
        `text at 0x${addr.toString(16)} is 0x${old.toString(16).padStart(8, '0')}, expected 0x${(expected >>> 0).toString(16).padStart(8, '0')}; nothing written`,
      );
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, word >>> 0, true);
    if (this.stopMachine) {
      this.machine.icache.quiesced = true;
      try {
        this.poke(addr, b);
      } finally {
        this.machine.icache.quiesced = false;
      }
      this.stats.words++;
      this.syncAll(addr);
      return;
    }
    this.poke(addr, b);
    this.stats.words++;
    if (this.skipMaintenance) return;
    // caches_clean_inval_pou(addr, addr + 4) + isb, on the patching CPU.
    const ic = this.machine.icache;
    const cpu = this.machine.cpus[this.cpu]!;
    ic.dcCvau(addr);
    ic.dsb(cpu);
    ic.icIvau(cpu, addr);
    ic.dsb(cpu);
    ic.contextSync(cpu);
  }

  /** The CALL_OPS literal: one 8-byte single-copy-atomic store, no I-cache maintenance (it is data). */
  writeLiteral64(addr: bigint, value: bigint): void {
    if ((addr & 7n) !== 0n)
      throw new KernelError('EINVAL', `literal address 0x${addr.toString(16)} is not 8-byte aligned`);
    if (!this.machine.memory.isMapped(addr))
      throw new KernelError('EFAULT', `cannot write 0x${addr.toString(16)}: unmapped`);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    // The literal is read as data by LDR and never fetched: the I-cache model must not treat it as a
    // modified instruction (no maintenance owed, no CMODX rule).
    const ic = this.machine.icache;
    ic.dataWrite = true;
    try {
      this.poke(addr, b);
    } finally {
      ic.dataWrite = false;
    }
    this.stats.literals++;
  }

  /** Write through the fixmap alias: map, store, unmap. */
  private poke(addr: bigint, bytes: Uint8Array): void {
    const mem = this.machine.memory;
    const page = addr & ~0xfffn;
    mem.mapAlias(FIX_TEXT_POKE0, page, 4096, PERM_R | PERM_W);
    try {
      mem.writeBytes(FIX_TEXT_POKE0 + (addr - page), bytes, PERM_W, this.cpu);
    } finally {
      mem.unmap(FIX_TEXT_POKE0, 4096);
    }
  }

  /** stop_machine: every CPU performs the maintenance and an ISB before anyone runs again. */
  private syncAll(addr: bigint): void {
    const ic = this.machine.icache;
    const me = this.machine.cpus[this.cpu]!;
    ic.dcCvau(addr);
    ic.icIvau(me, addr);
    ic.dsb(me);
    for (const c of this.machine.cpus) ic.contextSync(c);
  }
}
