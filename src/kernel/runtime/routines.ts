/**
 * Small kernel library routines in A64, written with the builder: what the test kernel and simple module
 * code call (`memcpy`, `memset`, `strlen`). Byte loops, deliberately plain: their cost on the model CPU is
 * what the instructions say, and they use only integer, load/store-byte and branch rows.
 *
 * Every routine starts with `bti c` when the kernel enforces BTI (it may be reached by `br x16` from a
 * module PLT or by `blr` through a pointer).
 */
import { Builder, type Label } from '../../a64/builder.js';

/** Rd = Rm (ORR Xd, XZR, Xm). */
function mov(b: Builder, rd: number, rm: number): void {
  b.row('ORR_shifted', { sf: 1, shift: 0, Rm: rm, imm6: 0, Rn: 31, Rd: rd });
}
function cbz(b: Builder, rt: number, l: Label, sf = 1): void {
  b.rowTo('CBZ', { sf, Rt: rt }, l, [['imm19', 19]], 4);
}
function cbnz(b: Builder, rt: number, l: Label, sf = 1): void {
  b.rowTo('CBNZ', { sf, Rt: rt }, l, [['imm19', 19]], 4);
}
function br(b: Builder, l: Label): void {
  b.rowTo('B', {}, l, [['imm26', 26]], 4);
}
/** Xd = Xn - imm. */
function subi(b: Builder, rd: number, rn: number, imm: number): void {
  b.row('SUB_imm', { sf: 1, sh: 0, imm12: imm, Rn: rn, Rd: rd });
}
function ret(b: Builder): void {
  b.row('RET', { Rn: 30 });
}
function btiC(b: Builder): void {
  b.row('HINT', { CRm: 0b0100, op2: 0b010 });
}

export type RoutineName = 'memcpy' | 'memset' | 'strlen';

/** void *memcpy(void *dst, const void *src, size_t n): returns dst. */
function memcpy(b: Builder): void {
  mov(b, 3, 0); // x3 = cursor in dst
  const loop = b.here();
  const done = b.label();
  cbz(b, 2, done);
  b.row('LDRB_post', { imm9: 1, Rn: 1, Rt: 4 }); // w4 = *src++
  b.row('STRB_post', { imm9: 1, Rn: 3, Rt: 4 }); // *dst++ = w4
  subi(b, 2, 2, 1);
  br(b, loop);
  b.bind(done);
  ret(b);
}

/** void *memset(void *dst, int c, size_t n): returns dst. */
function memset(b: Builder): void {
  mov(b, 3, 0);
  const loop = b.here();
  const done = b.label();
  cbz(b, 2, done);
  b.row('STRB_post', { imm9: 1, Rn: 3, Rt: 1 }); // *dst++ = (u8)c
  subi(b, 2, 2, 1);
  br(b, loop);
  b.bind(done);
  ret(b);
}

/** size_t strlen(const char *s). */
function strlen(b: Builder): void {
  mov(b, 1, 0); // x1 = cursor
  const loop = b.here();
  b.row('LDRB_post', { imm9: 1, Rn: 1, Rt: 2 });
  cbnz(b, 2, loop, 0);
  b.row('SUB_shifted', { sf: 1, shift: 0, Rm: 0, imm6: 0, Rn: 1, Rd: 0 }); // x0 = cursor - s
  subi(b, 0, 0, 1); // less the NUL
  ret(b);
}

const BODIES: Record<RoutineName, (b: Builder) => void> = { memcpy, memset, strlen };

/** Assemble routine `name` at `base`. */
export function buildRoutine(name: RoutineName, base: bigint, bti: boolean): Uint8Array {
  const b = new Builder(base);
  if (bti) btiC(b);
  BODIES[name](b);
  return b.finish().bytes;
}

/** A host-call entry: `[bti c] ; hvc #imm ; ret`. */
export function buildHostCallEntry(imm: number, base: bigint, bti: boolean): Uint8Array {
  const b = new Builder(base);
  if (bti) btiC(b);
  b.row('HVC', { imm16: imm });
  ret(b);
  return b.finish().bytes;
}

export const ROUTINES: readonly RoutineName[] = ['memcpy', 'memset', 'strlen'];
