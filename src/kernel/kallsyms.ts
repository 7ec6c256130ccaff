/**
 * kallsyms: address ↔ symbol, printed as the kernel prints `%pS`: `name+0xoff/0xsize [module]`. Every
 * printer (disassembly, traces, unwinder, errors) names addresses through this.
 */
export interface KSym {
  readonly name: string;
  readonly address: bigint;
  readonly size: bigint;
  /** Owning module, undefined for the kernel image. */
  readonly module?: string;
  /** 't' text, 'd' data, 'r' rodata, as /proc/kallsyms types. */
  readonly type: 't' | 'T' | 'd' | 'D' | 'r' | 'R' | 'b' | 'B';
}

export class Kallsyms {
  private sorted: KSym[] = [];
  private dirty = false;
  private readonly byName = new Map<string, KSym[]>();

  add(sym: KSym): void {
    this.sorted.push(sym);
    this.dirty = true;
    const l = this.byName.get(sym.name);
    if (l) l.push(sym);
    else this.byName.set(sym.name, [sym]);
  }

  removeModule(module: string): void {
    this.sorted = this.sorted.filter((s) => s.module !== module);
    for (const [k, l] of this.byName) {
      const rest = l.filter((s) => s.module !== module);
      if (rest.length === 0) this.byName.delete(k);
      else this.byName.set(k, rest);
    }
  }

  /** Remove the symbol `name` at `address` (a freed BPF trampoline or program image). */
  remove(address: bigint, name: string): void {
    const keep = (s: KSym): boolean => !(s.address === address && s.name === name);
    this.sorted = this.sorted.filter(keep);
    const l = this.byName.get(name)?.filter(keep);
    if (l && l.length > 0) this.byName.set(name, l);
    else this.byName.delete(name);
  }

  private sort(): void {
    if (!this.dirty) return;
    this.sorted.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    this.dirty = false;
  }

  /** Symbols named `name` (several modules may define static functions of one name). */
  lookupName(name: string, module?: string): KSym | undefined {
    const l = this.byName.get(name);
    if (!l) return undefined;
    return module === undefined
      ? (l.find((s) => s.module === undefined) ?? l[0])
      : l.find((s) => s.module === module);
  }

  /** The symbol containing `address` (address in [sym, sym + size), or the nearest below when size is 0). */
  lookup(address: bigint): { sym: KSym; offset: bigint } | undefined {
    this.sort();
    let lo = 0;
    let hi = this.sorted.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.address <= address) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Prefer a sized symbol that contains the address among equal-address aliases.
    for (let i = best; i >= 0 && i > best - 8; i--) {
      const s = this.sorted[i]!;
      const off = address - s.address;
      if (s.size > 0n ? off < s.size : i === best) return { sym: s, offset: off };
    }
    return undefined;
  }

  /** `name+0xoff/0xsize [module]`, or the bare hex address when no symbol covers it. */
  format(address: bigint, opts: { size?: boolean } = {}): string {
    const r = this.lookup(address);
    if (!r) return `0x${address.toString(16)}`;
    const size = opts.size === false ? '' : `/0x${r.sym.size.toString(16)}`;
    return `${r.sym.name}+0x${r.offset.toString(16)}${size}${r.sym.module ? ` [${r.sym.module}]` : ''}`;
  }

  /** `name+0xoff` (objdump's `<sym+off>` style, no size, no module). */
  short(address: bigint): string | undefined {
    const r = this.lookup(address);
    if (!r) return undefined;
    return r.offset === 0n ? r.sym.name : `${r.sym.name}+0x${r.offset.toString(16)}`;
  }

  all(): readonly KSym[] {
    this.sort();
    return this.sorted;
  }
}
