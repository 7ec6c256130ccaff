/**
 * The builder: the top emit layer (STYLE principle 5). Code generators — ftrace_caller, the BPF JIT, the
 * trampoline generator, call-site patching — write mnemonics with typed registers, labels and literal
 * pools, and never shifts and masks. Every instruction goes through the checked encoder of its table row,
 * so an unencodable operand is an EncodingError that names the rule, and nothing is emitted.
 *
 * Branches to labels are fixed up in `finish()`; a target out of reach is an EncodingError that says how
 * far it is and what the reach is.
 */
import { EncodingError, encode } from './index.js';
import type { Fields } from './types.js';

/** A general-purpose register operand: number, width, and whether 31 means SP. */
export interface Reg {
  readonly n: number;
  readonly wide: boolean;
  readonly sp: boolean;
}

const mk = (n: number, wide: boolean, sp = false): Reg => ({ n, wide, sp });
/** X0–X30. */
export const X: readonly Reg[] = Array.from({ length: 31 }, (_, i) => mk(i, true));
/** W0–W30. */
export const W: readonly Reg[] = Array.from({ length: 31 }, (_, i) => mk(i, false));
export const XZR: Reg = mk(31, true);
export const WZR: Reg = mk(31, false);
export const SP: Reg = mk(31, true, true);
export const WSP: Reg = mk(31, false, true);
export const FP = X[29]!;
export const LR = X[30]!;

export class Label {
  address: bigint | undefined;
  constructor(readonly name: string) {}
}

type Fixup = {
  readonly at: number;
  readonly label: Label;
  readonly row: string;
  readonly fields: Fields;
  /** Field parts (high first) that receive the offset, bit widths, scale, and ADRP's page mode. */
  readonly parts: readonly (readonly [string, number])[];
  readonly scale: number;
  readonly page?: boolean;
};

const MiB = 1024 * 1024;

function reachText(bits: number, scale: number): string {
  const half = 2 ** (bits - 1) * scale;
  return half >= MiB ? `[-${half / MiB} MiB, +${half / MiB} MiB)` : `[-${half}, +${half}) bytes`;
}

export interface BuiltCode {
  readonly base: bigint;
  readonly bytes: Uint8Array;
  readonly words: readonly number[];
  /** Bound labels by name (unnamed labels are left out). */
  readonly labels: ReadonlyMap<string, bigint>;
}

export class Builder {
  protected readonly words: number[] = [];
  private readonly fixups: Fixup[] = [];
  private readonly labels: Label[] = [];
  private readonly pool: { label: Label; value: bigint }[] = [];

  constructor(readonly base: bigint = 0n) {
    if ((base & 3n) !== 0n) throw new EncodingError(`code base 0x${base.toString(16)} is not 4-byte aligned`);
  }

  /** Address of the next instruction. */
  get pc(): bigint {
    return this.base + BigInt(this.words.length * 4);
  }

  get size(): number {
    return this.words.length * 4;
  }

  /** A new, unbound label. */
  label(name = ''): Label {
    const l = new Label(name);
    this.labels.push(l);
    return l;
  }

  /** Bind a label to the current address; returns it. */
  bind(l: Label): Label {
    if (l.address !== undefined) throw new EncodingError(`label '${l.name}' is bound twice`);
    l.address = this.pc;
    return l;
  }

  /** A label already bound here. */
  here(name = ''): Label {
    return this.bind(this.label(name));
  }

  /** A label for an absolute address outside this code (e.g. `ftrace_caller` for a BL). */
  at(address: bigint, name = ''): Label {
    const l = new Label(name);
    l.address = address;
    return l;
  }

  /** Append a raw word (data, or a word encoded elsewhere). */
  emit(word: number): number {
    this.words.push(word >>> 0);
    return this.words.length - 1;
  }

  /** Append the row `row` with `fields` through the checked encoder. */
  row(row: string, fields: Fields): number {
    return this.emit(encode(row, fields));
  }

  /** Emit a PC-relative row whose offset fields are filled in at `finish()`. */
  rowTo(
    row: string,
    fields: Fields,
    target: Label | bigint,
    parts: Fixup['parts'],
    scale: number,
    page = false,
  ): number {
    const label = typeof target === 'bigint' ? this.at(target) : target;
    const zero: Fields = { ...fields };
    for (const [p] of parts) zero[p] = 0;
    encode(row, zero); // check the other fields now, so errors point at the call site
    const at = this.emit(0);
    this.fixups.push({ at, label, row, fields, parts, scale, page });
    return at;
  }

  /** A 64-bit literal in the pool after the code; returns its label (for `ldr xN, label`). */
  literal(value: bigint): Label {
    const l = this.label(`lit_${this.pool.length}`);
    this.pool.push({ label: l, value: BigInt.asUintN(64, value) });
    return l;
  }

  /** Emit a 64-bit data word (two words, little-endian) at the current position. */
  quad(value: bigint): void {
    const v = BigInt.asUintN(64, value);
    this.emit(Number(v & 0xffffffffn));
    this.emit(Number(v >> 32n));
  }

  /** Pad with `fill` words until the address is a multiple of `align` bytes. */
  align(align: number, fill = 0xd503201f): void {
    while (Number(this.pc % BigInt(align)) !== 0) this.emit(fill);
  }

  /** Place the literal pool (8-byte aligned), resolve fix-ups and return the code. */
  finish(): BuiltCode {
    if (this.pool.length > 0) {
      this.align(8, 0);
      for (const p of this.pool) {
        this.bind(p.label);
        this.quad(p.value);
      }
      this.pool.length = 0;
    }
    for (const fx of this.fixups) {
      if (fx.label.address === undefined)
        throw new EncodingError(`label '${fx.label.name || '(unnamed)'}' is used but never bound`);
      const from = this.base + BigInt(fx.at * 4);
      const base = fx.page ? from & ~0xfffn : from;
      const delta = fx.label.address - base;
      const bits = fx.parts.reduce((n, [, w]) => n + w, 0);
      const scale = BigInt(fx.scale);
      const half = 1n << BigInt(bits - 1);
      if (delta % scale !== 0n) {
        throw new EncodingError(
          `${fx.row} at 0x${from.toString(16)}: target 0x${fx.label.address.toString(16)} is not ${scale}-byte aligned`,
        );
      }
      const q = delta / scale;
      if (q < -half || q >= half) {
        const away = Number(delta < 0n ? -delta : delta);
        const dist = away >= MiB ? `${(away / MiB).toFixed(1)} MiB` : `${away} bytes`;
        throw new EncodingError(
          `${fx.row} at 0x${from.toString(16)}: target ${fx.label.name ? `'${fx.label.name}' ` : ''}0x${fx.label.address.toString(16)} is ${dist} away; reach is ${reachText(bits, fx.scale)}`,
        );
      }
      let v = q < 0n ? q + (1n << BigInt(bits)) : q;
      const f: Fields = { ...fx.fields };
      for (let i = fx.parts.length - 1; i >= 0; i--) {
        const [name, w] = fx.parts[i]!;
        f[name] = Number(v & ((1n << BigInt(w)) - 1n));
        v >>= BigInt(w);
      }
      this.words[fx.at] = encode(fx.row, f);
    }
    const bytes = new Uint8Array(this.words.length * 4);
    const dv = new DataView(bytes.buffer);
    this.words.forEach((w, i) => dv.setUint32(i * 4, w, true));
    const labels = new Map<string, bigint>();
    for (const l of this.labels) if (l.name && l.address !== undefined) labels.set(l.name, l.address);
    return { base: this.base, bytes, words: [...this.words], labels };
  }
}
