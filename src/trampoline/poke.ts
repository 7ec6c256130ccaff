/**
 * bpf_arch_text_poke for BPF text (facts: shared/facts/bpf-arm64.md §3): BL (call) / B (jump) / NOP at a
 * JITed program's poke site — the NOP after `[bti jc] ; mov x9, lr` — or inside a trampoline image. A
 * target out of BL reach (±128 MiB) goes through the program's PLT (`ldr x10, target ; br x10 ; .quad`):
 * the 8-byte target is written first (so a CPU that already sees the new BL finds the right target, and
 * one that sees a stale target goes through the harmless dummy_tramp), then, if the instruction changes,
 * the old word is validated (mismatch → EFAULT, nothing written) and replaced live with one 32-bit store
 * and cache maintenance (TextPatcher.patchText), no stop_machine.
 */
import { Asm } from '../a64/asm.js';
import type { Kernel } from '../kernel/kernel.js';
import { KernelError } from '../util/errors.js';

/** The parts of a JITed program image the poke needs (the JIT's image type provides these). */
export interface BpfProgImage {
  readonly name: string;
  /** Entry (bpf_func). */
  readonly address: bigint;
  readonly size: number;
  /** The NOP after `mov x9, lr`. */
  readonly pokeSite: bigint;
  /** The program's PLT: `entry` = the `ldr x10, target` instruction; `target` = the 8-byte `.quad`. */
  readonly plt: { readonly entry: bigint; readonly target: bigint };
}

export type PokeType = 'call' | 'jump';

const REACH = 128n * 1024n * 1024n;
const NOP = 0xd503201f;

/** is_long_jump: the target is outside [−128 MiB, +128 MiB) of `ip`. */
export function isLongJump(ip: bigint, target: bigint): boolean {
  const off = target - ip;
  return off < -REACH || off >= REACH;
}

/** The BL or B word at `ip` to `target` (in reach). */
export function branchWord(type: PokeType, ip: bigint, target: bigint): number {
  const a = new Asm(ip);
  if (type === 'call') a.bl(target);
  else a.b(target);
  return a.finish().words[0]!;
}

export interface PokeSite {
  /** The word to patch. */
  readonly ip: bigint;
  /** The program's PLT when `ip` is a program's poke site (long jumps allowed), else undefined. */
  readonly plt?: BpfProgImage['plt'];
  /** What the PLT target is reset to when no long jump needs it (dummy_tramp). */
  readonly stub?: bigint;
  readonly name: string;
}

/** What one poke did, for reports (`tramp64 bpf attach-prog` prints these). */
export interface PokeRecord {
  readonly site: string;
  readonly ip: bigint;
  readonly oldWord: number;
  readonly newWord: number;
  /** The PLT target written, if any (before the instruction). */
  readonly pltTarget?: bigint;
}

function wordFor(type: PokeType, site: PokeSite, addr: bigint | null): number {
  if (addr === null) return NOP;
  if (!isLongJump(site.ip, addr)) return branchWord(type, site.ip, addr);
  if (!site.plt)
    throw new KernelError(
      'EINVAL',
      `${site.name}: 0x${addr.toString(16)} is out of BL reach of 0x${site.ip.toString(16)} and the site has no PLT (long jumps only at a program's entry)`,
    );
  return branchWord(type, site.ip, site.plt.entry);
}

/**
 * Change the branch at `site` from `oldAddr` to `newAddr` (null = NOP). Validates the current word against
 * what `oldAddr` implies (EFAULT on mismatch); returns what was written.
 */
export function bpfArchTextPoke(
  kernel: Kernel,
  site: PokeSite,
  type: PokeType,
  oldAddr: bigint | null,
  newAddr: bigint | null,
): PokeRecord {
  const oldWord = wordFor(type, site, oldAddr);
  const newWord = wordFor(type, site, newAddr);
  const current = kernel.patcher.read(site.ip);
  if (current !== oldWord)
    throw new KernelError(
      'EFAULT',
      `${site.name}: the word at 0x${site.ip.toString(16)} is 0x${current.toString(16).padStart(8, '0')}, expected 0x${oldWord.toString(16).padStart(8, '0')} for ${oldAddr === null ? 'no branch' : `a branch to 0x${oldAddr.toString(16)}`}; nothing written`,
    );
  let pltTarget: bigint | undefined;
  if (newAddr !== null && isLongJump(site.ip, newAddr)) pltTarget = newAddr;
  else if (oldAddr !== null && isLongJump(site.ip, oldAddr)) pltTarget = site.stub;
  if (pltTarget !== undefined && site.plt) {
    // A data store, as in the kernel (which does no cache maintenance for it): the PLT's LDR reads the
    // target as data, and writeLiteral64 marks the store as such for the I-cache model (icache.dataWrite),
    // so no CMODX record is opened and none needs closing.
    kernel.patcher.writeLiteral64(site.plt.target, pltTarget);
  }
  if (oldWord !== newWord) kernel.patcher.patchText(site.ip, oldWord, newWord);
  return {
    site: site.name,
    ip: site.ip,
    oldWord,
    newWord,
    ...(pltTarget !== undefined ? { pltTarget } : {}),
  };
}

/** The poke site of a JITed program's entry. */
export function progEntrySite(img: BpfProgImage, stub: bigint): PokeSite {
  return { ip: img.pokeSite, plt: img.plt, stub, name: `${img.name} entry` };
}
