/**
 * A JITed program as the kernel holds it: code in vmalloc pages from the lowest-fit allocator (execmem),
 * mapped RX and written only through the kernel's text-write path, holes left as BRK, the per-program PLT at
 * the end, a kallsyms entry `bpf_prog_<tag>_<name>` (module `[bpf]`, as /proc/kallsyms shows JITed programs).
 *
 * Passes (facts §1.11): pass 1 generates at a stand-in base with every helper call in the fixed-length
 * MOVN/MOVK/MOVK + BLR form — the largest the image can be, which is what is allocated; pass 2 generates at
 * the real address, where a helper within ±128 MiB becomes a BL, so the image can only shrink (growth is the
 * kernel's "multi-func JIT bug"). bpf-to-bpf calls are BLs to labels inside the one image, so the kernel's
 * extra pass (which exists because subprograms are separate images) has nothing left to fix here.
 */
import type { Kernel } from '../../kernel/kernel.js';
import { disassemble } from '../../a64/index.js';
import { lookupEntry, isWide, encodeProgram, type BpfInsn } from '../isa/insn.js';
import { formatInsn } from '../asm/disassemble.js';
import type { OpcodeEntry } from '../isa/table.js';
import { generate, JitError, type FunctionInfo } from './codegen.js';
import { jitRuntime } from './runtime.js';

export interface JitOptions {
  /** Program name for kallsyms (truncated to 15 characters like BPF_OBJ_NAME_LEN). Default 'prog'. */
  name?: string;
  attachType?: string;
  /** LSE atomics (default) or LL/SC loops. */
  atomics?: 'lse' | 'llsc';
  /** Inline the tracing helpers (default true: kernel programs); false for bpf_conformance programs. */
  inlineHelpers?: boolean;
  resolveLdImm64?: (entry: OpcodeEntry, imm: number, nextImm: number, pc: number) => bigint;
  /**
   * LDX slots to translate as BPF_PROBE_MEM (the kernel's verifier marks loads through PTR_TO_BTF_ID so;
   * the model's verifier has no BTF pointers, so the caller names them): each gets an exception-table entry.
   */
  probeMem?: readonly number[];
}

/** One exception-table entry (struct exception_table_entry, EX_TYPE_BPF), 12 bytes. */
export interface ExtableEntry {
  /** Address of the load that may fault. */
  insn: bigint;
  /** Where execution resumes (the next instruction). */
  fixup: bigint;
  /** The A64 register zeroed on a fault (5 = DONT_CLEAR for stores). */
  reg: number;
}

export const EX_TYPE_BPF = 1;
export const EXTABLE_ENTRY_SIZE = 12;
/** BPF_FIXUP_OFFSET_MASK bits 0–26, BPF_FIXUP_REG_MASK bits 27–31. */
const FIXUP_OFFSET_MASK = (1 << 27) - 1;

export interface JitImage {
  /** Entry (bpf_func). */
  address: bigint;
  /** Bytes of code, including the PLT. */
  size: number;
  /** Bytes allocated (pass-1 size). */
  allocated: number;
  /** The poke site: the nop after `[bti jc] ; mov x9, lr`. */
  pokeSite: bigint;
  /** The PLT: entry (`ldr x10, target`) and the address of its 8-byte target. */
  plt: { entry: bigint; target: bigint };
  /** kallsyms name bpf_prog_<tag>_<name>. */
  name: string;
  tag: string;
  /** A64 byte offset of each BPF slot's code. */
  insnOffsets: number[];
  words: number[];
  /** Address of the main program's epilogue (where an unwinding helper resumes). */
  epilogue: bigint;
  functions: FunctionInfo[];
  /** Helper ids called out of line. */
  helpers: number[];
  /** The program. */
  insns: readonly BpfInsn[];
  /** The exception table after the code (empty without probe loads). */
  extable: { address: bigint; entries: ExtableEntry[] };
}

/** A stand-in base for pass 1 (only sizes matter there). */
const PASS1_BASE = 0xffff_8000_0000_0000n;
const PSEUDO_MAP_FD = 1;
const PSEUDO_MAP_VALUE = 2;

/** JIT `insns` into kernel memory; the image is executable at `address` when this returns. */
export function jitProgram(kernel: Kernel, insns: readonly BpfInsn[], opts: JitOptions = {}): JitImage {
  if (insns.length === 0) throw new JitError('EINVAL', 'empty program: nothing to JIT');
  const rt = jitRuntime(kernel);
  const base = {
    bti: kernel.bti,
    pac: kernel.machine.options.pac,
    atomics: opts.atomics ?? 'lse',
    inlineHelpers: opts.inlineHelpers ?? true,
    helperAddress: (id: number) => rt.helperStub(id),
    pltDefault: rt.dummyTramp,
    ...(opts.attachType !== undefined ? { attachType: opts.attachType } : {}),
    ...(opts.resolveLdImm64 !== undefined ? { resolveLdImm64: opts.resolveLdImm64 } : {}),
    ...(opts.probeMem !== undefined ? { probeMem: new Set(opts.probeMem) } : {}),
  };
  const pass1 = generate(insns, PASS1_BASE, { ...base, assumeIndirect: true }).asm.finish();
  const nEx = (opts.probeMem ?? []).length;
  const allocated = pass1.bytes.length + nEx * EXTABLE_ENTRY_SIZE;
  const tag = progTag(insns);
  const name = `bpf_prog_${tag}_${(opts.name ?? 'prog').slice(0, 15)}`;
  const address = kernel.allocExec(allocated, name);
  try {
    const g = generate(insns, address, { ...base, assumeIndirect: false });
    const code = g.asm.finish();
    const exAt = address + BigInt(code.bytes.length);
    const entries: ExtableEntry[] = g.extable.map((x) => ({
      insn: address + BigInt(x.insnOffset),
      fixup: address + BigInt(x.insnOffset + 4),
      reg: x.reg,
    }));
    const exBytes = extableBytes(exAt, entries);
    if (code.bytes.length + exBytes.length > allocated)
      throw new JitError('EINVAL', `JIT bug: pass 2 is ${code.bytes.length} bytes, pass 1 was ${allocated}`);
    const pltEntry = g.plt.address!;
    const pltTarget = g.pltTarget.address!;
    // validate_code: every instruction word decodes (the PLT target is data and is skipped).
    code.words.forEach((word, i) => {
      const at = address + BigInt(i * 4);
      if (at >= pltTarget) return;
      if (disassemble(word) === undefined)
        throw new JitError('EINVAL', `JIT bug: word ${i} (0x${word.toString(16)}) is not an instruction`);
    });
    const all = new Uint8Array(code.bytes.length + exBytes.length);
    all.set(code.bytes);
    all.set(exBytes, code.bytes.length);
    kernel.writeText(address, all);
    kernel.kallsyms.add({ name, address, size: BigInt(code.bytes.length), type: 't', module: 'bpf' });
    return {
      address,
      size: code.bytes.length,
      allocated,
      pokeSite: address + BigInt(g.pokeOffset),
      plt: { entry: pltEntry, target: pltTarget },
      name,
      tag,
      insnOffsets: g.insnOffsets,
      words: [...code.words],
      epilogue: g.epilogue.address!,
      functions: g.functions,
      helpers: [...g.helpers].sort((x, y) => x - y),
      insns,
      extable: { address: exAt, entries },
    };
  } catch (e) {
    kernel.freeExec(address, allocated);
    throw e;
  }
}

/**
 * The table as the kernel lays it out: `insn` = s32 offset from the field to the load; `fixup` = bits 0–26
 * the offset back from the field to the resume address, bits 27–31 the register; `type` u16, `data` u16.
 */
function extableBytes(at: bigint, entries: readonly ExtableEntry[]): Uint8Array {
  const b = new Uint8Array(entries.length * EXTABLE_ENTRY_SIZE);
  const dv = new DataView(b.buffer);
  entries.forEach((e, i) => {
    const field = at + BigInt(i * EXTABLE_ENTRY_SIZE);
    dv.setInt32(i * 12, Number(e.insn - field), true);
    const back = Number(field + 4n - e.fixup);
    dv.setUint32(i * 12 + 4, ((back & FIXUP_OFFSET_MASK) | (e.reg << 27)) >>> 0, true);
    dv.setUint16(i * 12 + 8, EX_TYPE_BPF, true);
    dv.setUint16(i * 12 + 10, 0, true);
  });
  return b;
}

/**
 * ex_handler_bpf for a fault at `pc`: the entry of `image`'s table (read from emulated memory, as the kernel
 * reads it) whose load is at `pc`, decoded to the register to zero and the resume address; or undefined.
 */
export function searchExtable(
  kernel: Kernel,
  image: JitImage,
  pc: bigint,
): { reg: number; resume: bigint } | undefined {
  const n = image.extable.entries.length;
  if (n === 0) return undefined;
  const bytes = kernel.machine.memory.readBytes(image.extable.address, n * EXTABLE_ENTRY_SIZE, 0);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const field = image.extable.address + BigInt(i * EXTABLE_ENTRY_SIZE);
    if (field + BigInt(dv.getInt32(i * 12, true)) !== pc) continue;
    if (dv.getUint16(i * 12 + 8, true) !== EX_TYPE_BPF) continue;
    const f = dv.getUint32(i * 12 + 4, true);
    return { reg: f >>> 27, resume: field + 4n - BigInt(f & FIXUP_OFFSET_MASK) };
  }
  return undefined;
}

/** Release the image: its kallsyms entry and its pages (the caller guarantees nothing runs it any more). */
export function freeJitImage(kernel: Kernel, image: JitImage): void {
  kernel.kallsyms.remove(image.address, image.name);
  kernel.freeExec(image.address, image.allocated);
}

/** The BPF slot whose code contains `addr` (or -1). */
export function bpfPcAt(image: JitImage, addr: bigint): number {
  const off = Number(addr - image.address);
  let best = -1;
  for (let i = 0; i < image.insnOffsets.length; i++) if (image.insnOffsets[i]! <= off) best = i;
  return best;
}

/**
 * The program → A64 listing: each BPF instruction as a `;` comment followed by its A64 code, addresses as
 * offsets into the image, branch and call targets named through kallsyms.
 */
export function jitListing(kernel: Kernel, image: JitImage): string {
  const lines: string[] = [`${image.name}:  (${image.size} bytes, ${image.insns.length} BPF slots)`];
  const starts = new Map<number, number[]>();
  image.insnOffsets.forEach((off, pc) => {
    if (pc > 0 && isWide(image.insns[pc - 1]!)) return;
    const l = starts.get(off) ?? [];
    l.push(pc);
    starts.set(off, l);
  });
  const symbolize = (a: bigint): string | undefined => kernel.kallsyms.short(a);
  const pltTargetOff = Number(image.plt.target - image.address);
  const pltOff = Number(image.plt.entry - image.address);
  for (let i = 0; i < image.words.length; i++) {
    const off = i * 4;
    if (off === pltOff) lines.push('; PLT');
    for (const pc of starts.get(off) ?? []) {
      const insn = image.insns[pc]!;
      lines.push(
        `; ${String(pc).padStart(3)}: ${formatInsn(insn, lookupEntry(insn, pc), image.insns[pc + 1])}`,
      );
    }
    if (off >= pltTargetOff) {
      const v = BigInt(image.words[i]!) | (BigInt(image.words[i + 1] ?? 0) << 32n);
      lines.push(`  ${hex4(off)}:  .quad 0x${v.toString(16)}  <${symbolize(v) ?? '?'}>`);
      i++;
      continue;
    }
    const at = image.address + BigInt(off);
    const text = disassemble(image.words[i]!, { address: at, symbolize }) ?? '<undefined>';
    lines.push(`  ${hex4(off)}:  ${image.words[i]!.toString(16).padStart(8, '0')}  ${text}`);
  }
  if (image.extable.entries.length > 0) lines.push('; exception table (EX_TYPE_BPF)');
  for (const e of image.extable.entries)
    lines.push(
      `  load +0x${(e.insn - image.address).toString(16)}  resume +0x${(e.fixup - image.address).toString(16)}  clear x${e.reg}`,
    );
  return lines.join('\n') + '\n';
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** bpf_prog_calc_tag: SHA-1 of the instructions with map fds in ld_imm64 zeroed; the first 8 bytes in hex. */
export function progTag(insns: readonly BpfInsn[]): string {
  const copy = insns.map((i) => ({ ...i }));
  for (let i = 0; i < copy.length; i++) {
    const insn = copy[i]!;
    if (isWide(insn) && (insn.src === PSEUDO_MAP_FD || insn.src === PSEUDO_MAP_VALUE)) {
      insn.imm = 0;
      insn.imm64 = BigInt(copy[i + 1]!.imm >>> 0) << 32n;
    }
    if (isWide(insn)) i++;
  }
  return hex(sha1(encodeProgram(copy))).slice(0, 16);
}

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** SHA-1 (FIPS 180-4), small and pure so the library needs no platform crypto. */
export function sha1(data: Uint8Array): Uint8Array {
  const len = data.length;
  const padded = new Uint8Array(Math.ceil((len + 9) / 64) * 64);
  padded.set(data);
  padded[len] = 0x80;
  const dv = new DataView(padded.buffer);
  dv.setUint32(padded.length - 4, (len * 8) >>> 0);
  dv.setUint32(padded.length - 8, Math.floor((len * 8) / 2 ** 32));
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;
  for (let o = 0; o < padded.length; o += 64) {
    for (let t = 0; t < 16; t++) w[t] = dv.getUint32(o + 4 * t);
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      const f =
        t < 20 ? (b & c) | (~b & d) : t < 40 ? b ^ c ^ d : t < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const tmp = (rotl(a, 5) + (f >>> 0) + e + k + w[t]!) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = tmp;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  h.forEach((v, i) => ov.setUint32(4 * i, v));
  return out;
}
