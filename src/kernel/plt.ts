/**
 * Module PLT veneers, as arm64 module-plts.c lays them out (facts: shared/facts/ftrace-arm64.md §1.4):
 *
 *   adrp x16, target          x16 = page of target   (±4 GiB from the veneer)
 *   add  x16, x16, :lo12:target
 *   br   x16                  a BTI C landing pad accepts BR via x16/x17
 *
 * A `PltArea` is the `.plt` (or `.init.plt`) of one module text region: room for the most entries the
 * module's CALL26/JUMP26 relocations could need (counted before layout, as module_frob_arch_sections does),
 * filled only with the entries actually used — a veneer is emitted exactly when a branch target is out of
 * BL reach — and shared by every branch to the same target.
 *
 * The ftrace PLT (`.text.ftrace_trampoline`) is one such veneer whose target is `ftrace_caller`; it can be
 * retargeted later through the validated text patcher.
 */
import { Builder } from '../a64/builder.js';
import { KernelError } from '../util/errors.js';
import type { TextPatcher } from './patch.js';

/** Bytes of one veneer (three instructions). */
export const PLT_ENTRY_SIZE = 12;

/** The three words of a veneer at `at` that branches to `target`. */
export function pltEntryWords(at: bigint, target: bigint): number[] {
  const pageDelta = (target >> 12n) - (at >> 12n);
  if (pageDelta < -(1n << 20n) || pageDelta >= 1n << 20n) {
    throw new KernelError(
      'ERANGE',
      `PLT veneer at 0x${at.toString(16)} cannot reach 0x${target.toString(16)}: ADRP reaches ±4 GiB`,
    );
  }
  const imm = Number(BigInt.asUintN(21, pageDelta));
  const b = new Builder(at);
  b.row('ADRP', { immlo: imm & 3, immhi: imm >>> 2, Rd: 16 });
  b.row('ADD_imm', { sf: 1, sh: 0, imm12: Number(target & 0xfffn), Rn: 16, Rd: 16 });
  b.row('BR', { Rn: 16 });
  return [...b.finish().words];
}

/** The target a veneer's words branch to (undefined if they are not a veneer). */
export function pltEntryTarget(at: bigint, words: readonly number[]): bigint | undefined {
  const [adrp, add, br] = words;
  if (adrp === undefined || add === undefined || br === undefined) return undefined;
  if (
    (adrp & 0x9f00001f) >>> 0 !== 0x90000010 ||
    (add & 0xffc003ff) >>> 0 !== 0x91000210 ||
    br >>> 0 !== 0xd61f0200
  )
    return undefined;
  const imm = ((adrp >>> 29) & 3) | (((adrp >>> 5) & 0x7ffff) << 2);
  const page = (at & ~0xfffn) + (BigInt.asIntN(21, BigInt(imm)) << 12n);
  return page + BigInt((add >>> 10) & 0xfff);
}

export interface PltEntry {
  readonly address: bigint;
  readonly target: bigint;
}

/** The `.plt` of one text region: a fixed capacity, entries emitted on demand into the region's bytes. */
export class PltArea {
  private readonly byTarget = new Map<bigint, bigint>();
  readonly entries: PltEntry[] = [];

  constructor(
    /** Address of the area and the buffer/offset its bytes are assembled in before loading. */
    readonly address: bigint,
    readonly capacity: number,
    private readonly view: DataView,
    private readonly offset: number,
    readonly where: string,
  ) {}

  /** The veneer for `target`, emitted on first use. */
  entryFor(target: bigint): bigint {
    const have = this.byTarget.get(target);
    if (have !== undefined) return have;
    const i = this.entries.length;
    if (i >= this.capacity) {
      throw new KernelError(
        'ENOEXEC',
        `${this.where}: PLT full (${this.capacity} entries counted at layout)`,
      );
    }
    const at = this.address + BigInt(i * PLT_ENTRY_SIZE);
    pltEntryWords(at, target).forEach((w, k) =>
      this.view.setUint32(this.offset + i * PLT_ENTRY_SIZE + 4 * k, w, true),
    );
    this.entries.push({ address: at, target });
    this.byTarget.set(target, at);
    return at;
  }

  get used(): number {
    return this.entries.length;
  }
}

/** Rewrite the live veneer at `at` (currently to `from`) to branch to `to`, word by word, validated. */
export function retargetPlt(patcher: TextPatcher, at: bigint, from: bigint, to: bigint): void {
  const old = pltEntryWords(at, from);
  const neu = pltEntryWords(at, to);
  for (let k = 0; k < 3; k++)
    if (patcher.read(at + BigInt(4 * k)) !== old[k]) {
      throw new KernelError(
        'EINVAL',
        `the veneer at 0x${at.toString(16)} does not branch to 0x${from.toString(16)}; nothing written`,
      );
    }
  // The veneer is not live while it changes: its caller (the call site's BL) is patched after it.
  for (let k = 0; k < 3; k++) if (old[k] !== neu[k]) patcher.patchText(at + BigInt(4 * k), old[k], neu[k]!);
}
