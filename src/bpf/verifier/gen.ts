/**
 * Seeded program generators for testing the verifier in both directions (issue 5 acceptance):
 *
 * - `genSafeProgram(seed)`: tracing programs that are safe by construction — registers initialised before
 *   use, stack accesses inside the frame and after a store, map values accessed after a null check and in
 *   bounds (constant and masked variable offsets), bounded counted loops, helpers called with the argument
 *   types their prototypes declare, ctx reads below the argument count, ring-buffer reservations always
 *   submitted, return value 0;
 * - `genDefectiveProgram(seed)`: a safe program with exactly one injected defect of a known class, and the
 *   instruction where the verifier must report it.
 *
 * Both run against GEN_MAPS and a target with GEN_NARGS arguments (bpf_fentry_test3's three).
 */
import { Rng } from '../../util/rng.js';
import { wideSlots, type BpfInsn } from '../isa/insn.js';
import { BPF_MAP_TYPE } from '../maps/types.js';
import type { DefectClass } from './defects.js';
import type { VerifierMap, VerifyOptions } from './verify.js';

export const GEN_NARGS = 3;
export const GEN_TARGET = 'bpf_fentry_test3';
/** fd 0 hash (4 → 16), fd 1 array (4 → 32, 4 entries), fd 2 ring buffer, fd 3 `.bss` (64 bytes). */
export const GEN_MAPS: readonly VerifierMap[] = [
  { def: { name: 'hash', type: BPF_MAP_TYPE.HASH, keySize: 4, valueSize: 16, maxEntries: 16, flags: 0 } },
  { def: { name: 'array', type: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 32, maxEntries: 4, flags: 0 } },
  { def: { name: 'rb', type: BPF_MAP_TYPE.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0 } },
  { def: { name: '.bss', type: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 64, maxEntries: 1, flags: 0 } },
];

export function genVerifyOptions(): VerifyOptions {
  return {
    attachType: 'fentry',
    target: { name: GEN_TARGET, nargs: GEN_NARGS },
    maps: GEN_MAPS,
    errorInjectable: [],
  };
}

export const INJECTABLE_DEFECTS: readonly DefectClass[] = [
  'uninit_read',
  'stack_oob',
  'null_check',
  'unbounded_loop',
  'helper_arg',
  'ctx_access',
  'pointer_leak',
];

export interface GeneratedProgram {
  insns: BpfInsn[];
  seed: number;
}

export interface DefectiveProgram extends GeneratedProgram {
  defect: DefectClass;
  /** The instruction the verifier must name. */
  insn: number;
  /** What was injected, for messages. */
  what: string;
}

const ins = (opcode: number, dst = 0, src = 0, off = 0, imm = 0): BpfInsn => ({ opcode, dst, src, off, imm });
const alu64k = (op: number, dst: number, imm: number): BpfInsn => ins(0x07 | op, dst, 0, 0, imm);
const alu64x = (op: number, dst: number, src: number): BpfInsn => ins(0x0f | op, dst, src);
const mov = (dst: number, imm: number): BpfInsn => alu64k(0xb0, dst, imm);
const movx = (dst: number, src: number): BpfInsn => alu64x(0xb0, dst, src);
const ldxdw = (dst: number, src: number, off: number): BpfInsn => ins(0x79, dst, src, off);
const stxdw = (dst: number, src: number, off: number): BpfInsn => ins(0x7b, dst, src, off);
const stw = (dst: number, off: number, imm: number): BpfInsn => ins(0x62, dst, 0, off, imm);
const call = (id: number): BpfInsn => ins(0x85, 0, 0, 0, id);
const exit = (): BpfInsn => ins(0x95);
const jeqk = (dst: number, imm: number, off: number): BpfInsn => ins(0x15, dst, 0, off, imm);
const jnek = (dst: number, imm: number, off: number): BpfInsn => ins(0x55, dst, 0, off, imm);
const jltk = (dst: number, imm: number, off: number): BpfInsn => ins(0xa5, dst, 0, off, imm);
const jgtk = (dst: number, imm: number, off: number): BpfInsn => ins(0x25, dst, 0, off, imm);
const ja = (off: number): BpfInsn => ins(0x05, 0, 0, off);
const ldMap = (dst: number, fd: number): BpfInsn[] =>
  wideSlots({ opcode: 0x18, dst, src: 1, off: 0 }, BigInt(fd));
const ldMapValue = (dst: number, fd: number, off: number): BpfInsn[] =>
  wideSlots({ opcode: 0x18, dst, src: 2, off: 0 }, (BigInt(off) << 32n) | BigInt(fd));

const ALU_K = [0x00, 0x10, 0x20, 0x40, 0x50, 0x70, 0xa0]; // add sub mul or and rsh xor
const ALU_X = [0x00, 0x10, 0x40, 0x50, 0xa0];

/** Generator state: which callee-saved registers hold initialised scalars, which stack slots are written. */
class Gen {
  readonly out: BpfInsn[] = [];
  /** r7–r9 initialised scalars. */
  readonly scalars = new Set<number>();
  /** Written 8-byte stack slots, as offsets from r10 (-8 … -512). */
  readonly slots = new Set<number>();

  /** Registers a surrounding loop uses as its counter: never written here. */
  readonly reserved = new Set<number>();

  constructor(readonly rng: Rng) {}

  /** A callee-saved register to write. */
  dest(): number {
    return this.rng.pick([7, 8, 9].filter((x) => !this.reserved.has(x)));
  }

  emit(...xs: (BpfInsn | BpfInsn[])[]): void {
    for (const x of xs) {
      if (Array.isArray(x)) this.out.push(...x);
      else this.out.push(x);
    }
  }

  get pc(): number {
    return this.out.length;
  }

  scalar(): number {
    const have = [...this.scalars];
    if (have.length > 0 && this.rng.below(4) !== 0) return this.rng.pick(have);
    const r = this.dest();
    this.emit(mov(r, this.rng.int(-100, 100)));
    this.scalars.add(r);
    return r;
  }

  freshSlot(): number {
    return -8 * this.rng.int(1, 40);
  }

  /** One safe block. */
  block(depth = 0): void {
    const r = this.rng;
    switch (r.below(12)) {
      case 0: {
        // ctx argument read
        const d = this.dest();
        this.emit(ldxdw(d, 6, 8 * r.below(GEN_NARGS)));
        this.scalars.add(d);
        break;
      }
      case 1: {
        // stack store then load
        const s = this.scalar();
        const off = this.freshSlot();
        this.emit(stxdw(10, s, off));
        this.slots.add(off);
        const d = this.dest();
        this.emit(ldxdw(d, 10, r.pick([...this.slots])));
        this.scalars.add(d);
        break;
      }
      case 2: {
        // scalar ALU
        const d = this.scalar();
        if (r.bool()) this.emit(alu64k(r.pick(ALU_K), d, r.int(0, 1000)));
        else this.emit(alu64x(r.pick(ALU_X), d, this.scalar()));
        break;
      }
      case 3:
        this.lookup(r.pick([0, 1]));
        break;
      case 4: {
        // map update from stack key and value
        const fd = r.pick([0, 1]);
        const vs = GEN_MAPS[fd]!.def.valueSize;
        this.emit(stw(10, -4, r.below(4)));
        // value occupies [r10 - 8 - vs, r10 - 8)
        for (let o = 0; o < vs; o += 8) this.emit(stxdw(10, this.scalar(), -8 - vs + o));
        this.emit(
          ldMap(1, fd),
          movx(2, 10),
          alu64k(0x00, 2, -4),
          movx(3, 10),
          alu64k(0x00, 3, -8 - vs),
          mov(4, 0),
          call(2),
        );
        for (let o = 0; o < vs; o += 8) this.slots.add(-8 - vs + o);
        break;
      }
      case 5: {
        // global in .bss
        const off = 8 * r.below(8);
        this.emit(ldMapValue(1, 3, off), stxdw(1, this.scalar(), 0));
        if (r.bool()) {
          const d = this.dest();
          this.emit(ldxdw(d, 1, 0));
          this.scalars.add(d);
        }
        break;
      }
      case 6:
        if (depth < 2 && this.reserved.size < 2) this.loop(depth);
        else this.block(depth + 1);
        break;
      case 7: {
        // helpers without memory arguments
        const h = r.pick([5, 8, 173, 185]);
        if (h === 173 || h === 185) this.emit(movx(1, 6));
        this.emit(call(h));
        const d = this.dest();
        this.emit(movx(d, 0));
        this.scalars.add(d);
        break;
      }
      case 8: {
        // bpf_get_func_arg(ctx, n, &slot) and bpf_probe_read_kernel(&slot, 8, unsafe)
        const off = this.freshSlot();
        if (r.bool())
          this.emit(movx(1, 6), mov(2, r.below(GEN_NARGS + 2)), movx(3, 10), alu64k(0x00, 3, off), call(183));
        else this.emit(movx(1, 10), alu64k(0x00, 1, off), mov(2, 8), movx(3, this.scalar()), call(113));
        this.slots.add(off);
        break;
      }
      case 9: {
        // ring buffer reserve → fill → submit/discard
        const size = 8 * r.int(1, 4);
        this.emit(ldMap(1, 2), mov(2, size), mov(3, 0), call(131));
        const body: BpfInsn[] = [];
        for (let o = 0; o < size; o += 8) if (r.bool()) body.push(stxdw(0, this.scalar(), o));
        body.push(movx(1, 0), mov(2, 0), call(r.pick([132, 133])));
        // scalar() may have emitted movs; they are before the branch, which is fine.
        this.emit(jeqk(0, 0, body.length), body);
        break;
      }
      case 10: {
        // conditional skip over a block
        const s = this.scalar();
        const at = this.pc;
        this.emit(jgtk(s, r.int(0, 50), 0));
        const saved = new Set(this.scalars);
        const savedSlots = new Set(this.slots);
        this.block(depth + 1);
        this.out[at] = jgtk(s, this.out[at]!.imm, this.pc - at - 1);
        // After the join only what both paths initialised is usable.
        for (const x of [...this.scalars]) if (!saved.has(x)) this.scalars.delete(x);
        for (const x of [...this.slots]) if (!savedSlots.has(x)) this.slots.delete(x);
        break;
      }
      default: {
        // masked variable offset into an array value: idx & 3 << 3 ∈ {0, 8, 16, 24}, value_size 32
        this.lookupThen(1, (v) => {
          const s = this.scalar();
          return [
            movx(2, s),
            alu64k(0x50, 2, 3),
            alu64k(0x60, 2, 3),
            alu64x(0x00, v, 2),
            stxdw(v, this.scalar(), 0),
          ];
        });
      }
    }
  }

  lookup(fd: number): void {
    const vs = GEN_MAPS[fd]!.def.valueSize;
    this.lookupThen(fd, (v) => {
      const off = 8 * this.rng.below(vs / 8);
      return this.rng.bool()
        ? [ldxdw(2, v, off), alu64k(0x00, 2, 1), stxdw(v, 2, off)]
        : [stxdw(v, this.scalar(), off)];
    });
  }

  /** key on the stack, lookup, `if r0 == 0 goto +N`, body using r0. */
  lookupThen(fd: number, body: (v: number) => BpfInsn[]): void {
    this.emit(stw(10, -4, this.rng.below(4)), ldMap(1, fd), movx(2, 10), alu64k(0x00, 2, -4), call(1));
    const b = body(0);
    this.emit(jeqk(0, 0, b.length), b);
  }

  loop(depth: number): void {
    const r = this.rng;
    const c = this.dest();
    const n = r.int(1, 6);
    this.emit(mov(c, 0));
    this.scalars.add(c);
    const head = this.pc;
    const inner = new Gen(r);
    for (const s of this.scalars) if (s !== c) inner.scalars.add(s);
    for (const s of this.slots) inner.slots.add(s);
    for (const s of this.reserved) inner.reserved.add(s);
    inner.reserved.add(c);
    if ([7, 8, 9].every((x) => inner.reserved.has(x))) {
      this.emit(alu64k(0x00, c, 1), jltk(c, n, -2));
      return;
    }
    inner.block(depth + 1);
    this.emit(inner.out);
    this.emit(alu64k(0x00, c, 1));
    this.emit(jltk(c, n, head - this.pc - 1));
    // Registers the body initialised are initialised after the loop too (the body runs at least once).
    for (const s of inner.scalars) this.scalars.add(s);
    for (const s of inner.slots) this.slots.add(s);
  }

  finish(): BpfInsn[] {
    this.emit(mov(0, 0), exit());
    return this.out;
  }
}

function prologue(g: Gen): void {
  g.emit(movx(6, 1));
}

export function genSafeProgram(seed: number): GeneratedProgram {
  const g = new Gen(new Rng(seed));
  prologue(g);
  const n = g.rng.int(1, 10);
  for (let i = 0; i < n; i++) g.block();
  return { insns: g.finish(), seed };
}

export function genDefectiveProgram(seed: number, defect?: DefectClass): DefectiveProgram {
  const g = new Gen(new Rng(seed));
  const cls = defect ?? g.rng.pick(INJECTABLE_DEFECTS);
  prologue(g);
  const before = g.rng.int(0, 5);
  for (let i = 0; i < before; i++) g.block();
  const r = g.rng;
  let insn = g.pc;
  let what = '';
  switch (cls) {
    case 'uninit_read': {
      const d = g.scalar();
      // r2–r5 are never live between blocks (calls clobber them and blocks set them before use).
      const free = [2, 3, 4, 5, 7, 8, 9].filter((x) => !g.scalars.has(x) && x !== d);
      const u = r.pick(free);
      insn = g.pc;
      g.emit(r.bool() ? alu64x(0x00, d, u) : stxdw(10, u, -8 * r.int(1, 8)));
      what = `read of uninitialised r${u}`;
      break;
    }
    case 'stack_oob': {
      const s = g.scalar();
      insn = g.pc;
      const off = r.pick([-520, -513 - r.below(64), 0, 8 * r.int(0, 4)]);
      g.emit(r.bool() ? stxdw(10, s, off) : ldxdw(s, 10, off));
      what = `stack access at r10${off >= 0 ? '+' : ''}${off}`;
      break;
    }
    case 'null_check': {
      g.emit(stw(10, -4, 0), ldMap(1, r.pick([0, 1])), movx(2, 10), alu64k(0x00, 2, -4), call(1));
      insn = g.pc;
      g.emit(r.bool() ? ldxdw(7, 0, 0) : stxdw(0, g.scalars.size > 0 ? [...g.scalars][0]! : 6, 0));
      g.scalars.add(7);
      what = 'map value used without a null check';
      break;
    }
    case 'unbounded_loop': {
      const kind = r.below(3);
      if (kind === 0) {
        // The ctx pointer is never NULL: the loop always repeats with the same state.
        g.emit(mov(7, 0));
        insn = g.pc;
        g.emit(alu64k(0x00, 7, 0), jnek(6, 0, -2));
        what = 'loop on a condition that never changes';
      } else if (kind === 1) {
        // Counter of unknown start that only ends by wrapping around 2^64.
        g.emit(ldxdw(7, 6, 0));
        insn = g.pc;
        g.emit(alu64k(0x00, 7, 1), jnek(7, 0, -2));
        what = 'loop that ends only when a 64-bit counter wraps';
      } else {
        // No exit reachable from the loop: it ends the program (code after it would be unreachable).
        g.emit(mov(7, 0));
        insn = g.pc;
        g.emit(alu64k(0x00, 7, 1), ja(-2));
        return { insns: g.out, seed, defect: cls, insn, what: 'loop without any exit' };
      }
      break;
    }
    case 'helper_arg': {
      const k = r.below(4);
      if (k === 0) {
        g.emit(stw(10, -4, 0), mov(1, r.int(0, 10)), movx(2, 10), alu64k(0x00, 2, -4));
        insn = g.pc;
        g.emit(call(1));
        what = 'map_lookup_elem with a scalar map argument';
      } else if (k === 1) {
        g.emit(ldMap(1, 0), mov(2, r.int(1, 64)));
        insn = g.pc;
        g.emit(call(1));
        what = 'map_lookup_elem with a scalar key pointer';
      } else if (k === 2) {
        g.emit(movx(1, 10));
        insn = g.pc;
        g.emit(call(r.pick([173, 185])));
        what = 'ctx helper with a stack pointer';
      } else {
        g.emit(
          stxdw(10, g.scalar(), -16),
          ldMap(1, 1),
          movx(2, 10),
          alu64k(0x00, 2, -16),
          mov(3, 8),
          mov(4, 0),
        );
        insn = g.pc;
        g.emit(call(130));
        what = 'ringbuf_output on an array map';
      }
      break;
    }
    case 'ctx_access': {
      insn = g.pc;
      g.emit(ldxdw(r.pick([7, 8, 9]), 6, 8 * r.int(GEN_NARGS, GEN_NARGS + 4)));
      what = 'ctx read beyond the argument count';
      break;
    }
    case 'pointer_leak': {
      const k = r.below(3);
      if (k === 0) {
        g.emit(stw(10, -4, 0), ldMap(1, 1), movx(2, 10), alu64k(0x00, 2, -4), call(1));
        g.emit(jeqk(0, 0, 1));
        insn = g.pc;
        g.emit(stxdw(0, r.pick([6, 10]), 0));
        what = 'pointer stored into a map value';
      } else if (k === 1) {
        g.emit(ldMapValue(1, 3, 8 * r.below(8)));
        insn = g.pc;
        g.emit(stxdw(1, r.pick([6, 10]), 0));
        what = 'pointer stored into a global';
      } else {
        g.emit(movx(0, r.pick([6, 10])));
        insn = g.pc;
        g.emit(exit());
        return { insns: g.out, seed, defect: cls, insn, what: 'pointer returned' };
      }
      break;
    }
    default:
      throw new RangeError(`no injector for defect class ${cls}`);
  }
  const after = g.rng.int(0, 3);
  for (let i = 0; i < after; i++) g.block();
  return { insns: g.finish(), seed, defect: cls, insn, what };
}
