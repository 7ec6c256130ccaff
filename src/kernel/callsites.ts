/**
 * ftrace call sites from `__patchable_function_entries` (facts: shared/facts/ftrace-arm64.md §1.2–1.3).
 * Each relocated entry is the address of the first NOP the compiler emitted for one function:
 *
 *   '=2'    (-fpatchable-function-entry=2)           '=4,2'  (=4,2 -falign-functions=8, CALL_OPS)
 *   [func-4  bti c          BTI kernels only]         addr+0   nop ┐ ops literal, 8-byte aligned
 *    addr+0  nop  → mov x9, x30  (= func, or func+4)  addr+4   nop ┘ (func − 8)
 *    addr+4  nop  → bl <ftrace_caller | PLT | tramp>  func     [bti c]
 *                                                     next     nop  → mov x9, x30
 *                                                     next+4   nop  → bl …        (rec->ip)
 *
 * `ip` is the kernel's rec->ip after ftrace_call_adjust(): the NOP that becomes the BL. Every site is
 * checked: inside a function symbol, on the compiler's NOP pair, and for '=4,2' after an aligned pair of
 * NOPs that is the literal slot. `ftraceInitNop` writes `mov x9, x30` over the first NOP of the pair with
 * the validated patcher, as ftrace_init_nop() does at boot or module load (it is not CMODX-safe, so it
 * happens before the code can run, and it stays forever).
 */
import { encode } from '../a64/index.js';
import { KernelError } from '../util/errors.js';
import type { Kernel } from './kernel.js';

export const NOP = encode('HINT', { CRm: 0, op2: 0 });
export const BTI_C = encode('HINT', { CRm: 0b0100, op2: 0b010 });
/** mov x9, x30 (ORR X9, XZR, X30): the LR copy ftrace_init_nop writes. */
export const MOV_X9_LR = encode('ORR_shifted', { sf: 1, shift: 0, Rm: 30, imm6: 0, Rn: 31, Rd: 9 });

export type CallSiteLayout = '=2' | '=4,2';

export interface FuncSym {
  readonly name: string;
  readonly address: bigint;
  readonly size: bigint;
}

export interface CallSite {
  /** The address recorded in `__patchable_function_entries` (the first compiler NOP). */
  readonly address: bigint;
  /** rec->ip: the second NOP of the pair, the one that becomes `bl`. */
  readonly ip: bigint;
  /** The function the site belongs to. */
  readonly func: FuncSym;
  readonly layout: CallSiteLayout;
  /** A `bti c` precedes the NOP pair. */
  readonly bti: boolean;
  /** '=4,2': address of the 8-byte ops literal (func − 8); undefined for '=2'. */
  readonly literal: bigint | undefined;
  /** Owning module, undefined for the kernel image. */
  readonly module: string | undefined;
}

/** Function symbols sorted by address, for "which function holds this address". */
export class FuncIndex {
  private readonly funcs: FuncSym[];
  private readonly starts = new Map<bigint, FuncSym>();

  constructor(funcs: Iterable<FuncSym>) {
    this.funcs = [...funcs].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    for (const f of this.funcs) if (!this.starts.has(f.address) || f.size > 0n) this.starts.set(f.address, f);
  }

  /** A function symbol starting exactly at `addr`. */
  startingAt(addr: bigint): FuncSym | undefined {
    return this.starts.get(addr);
  }

  /** The function symbol whose [address, address + size) holds `addr`. */
  at(addr: bigint): FuncSym | undefined {
    let lo = 0;
    let hi = this.funcs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.funcs[mid]!.address <= addr) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
      const f = this.funcs[i]!;
      if (addr < f.address + (f.size === 0n ? 4n : f.size)) return f;
    }
    return undefined;
  }
}

/**
 * Check and describe the call sites recorded at `entries`. `word` reads the loaded code. A site that is not
 * where the compiler puts one is an ENOEXEC error naming it.
 */
export function findCallSites(
  entries: readonly bigint[],
  funcs: FuncIndex,
  word: (addr: bigint) => number | undefined,
  module: string | undefined,
): CallSite[] {
  const who = module ?? 'vmlinux';
  const out: CallSite[] = [];
  const isNop = (a: bigint): boolean => word(a) === NOP;
  for (const addr of entries) {
    const bad = (why: string): KernelError =>
      new KernelError(
        'ENOEXEC',
        `${who}: call site 0x${addr.toString(16)} from __patchable_function_entries ${why}`,
      );
    if ((addr & 3n) !== 0n) throw bad('is not 4-byte aligned');
    if (!isNop(addr) || !isNop(addr + 4n)) throw bad('is not on a pair of NOPs');
    // '=4,2': the pair is the literal slot and the function starts right after it.
    const after = funcs.startingAt(addr + 8n);
    if (after && (addr & 7n) === 0n) {
      const bti = word(after.address) === BTI_C;
      const mov = after.address + (bti ? 4n : 0n);
      if (isNop(mov) && isNop(mov + 4n)) {
        out.push({ address: addr, ip: mov + 4n, func: after, layout: '=4,2', bti, literal: addr, module });
        continue;
      }
    }
    const f = funcs.at(addr);
    if (!f) throw bad('lies in no function symbol');
    const bti = f.address === addr - 4n && word(f.address) === BTI_C;
    if (f.address !== addr && !bti)
      throw bad(`is not at the entry of ${f.name} (0x${f.address.toString(16)})`);
    out.push({ address: addr, ip: addr + 4n, func: f, layout: '=2', bti, literal: undefined, module });
  }
  return out;
}

/**
 * ftrace_init_nop(): `nop` → `mov x9, x30` at ip − 4 through the validated patcher (EINVAL and nothing
 * written if the word is not a NOP). For '=4,2' sites, `ops` (the ftrace layer's ftrace_nop_ops) is
 * stored in the literal first, as the kernel does.
 */
export function ftraceInitNop(kernel: Kernel, site: CallSite, opts: { ops?: bigint } = {}): void {
  if (site.layout === '=4,2' && opts.ops !== undefined)
    kernel.patcher.writeLiteral64(site.literal!, opts.ops);
  kernel.patcher.patchText(site.ip - 4n, NOP, MOV_X9_LR);
}
