/**
 * The abstract state the verifier tracks per path: registers of each call frame, each frame's 512-byte
 * stack (per-byte initialisation plus 8-byte register spills), and the outstanding ring-buffer references.
 *
 * Register kinds (the kernel's names, printed in the log):
 *   not_init | scalar(ranges) | ctx | fp (stack of frame k, fixed offset) | map_ptr | map_value(off, var range)
 *   | map_value_or_null(id) | ringbuf_mem(size, off, var range, ref) | ringbuf_mem_or_null(id, ref)
 */
import { contains, formatScalar, type Scalar } from './scalar.js';

export type Reg =
  | { t: 'not_init' }
  | { t: 'scalar'; s: Scalar }
  | { t: 'ctx'; off: number }
  | { t: 'fp'; frame: number; off: number }
  | { t: 'map_ptr'; fd: number }
  | { t: 'map_value'; fd: number; off: number; vmin: number; vmax: number }
  | { t: 'map_value_or_null'; fd: number; off: number; id: number }
  | { t: 'mem'; size: number; off: number; vmin: number; vmax: number; ref: number }
  | { t: 'mem_or_null'; size: number; id: number; ref: number };

export const STACK_SIZE = 512;
/** Per-byte stack state. */
export const SB_INVALID = 0;
export const SB_MISC = 1;
export const SB_SPILL = 2;

export interface Frame {
  regs: Reg[];
  /** Byte i is at r10 - 512 + i. */
  bytes: Uint8Array;
  /** Spilled registers by slot (slot i covers bytes 8i … 8i+7). */
  spills: Map<number, Reg>;
  /** Return pc in the caller (for frames > 0); the call instruction's index + 1. */
  returnPc: number;
  /** Deepest stack byte used (for the combined stack-size check). */
  depth: number;
}

export interface VState {
  frames: Frame[];
  /** Outstanding references (ring-buffer reservations): ref id → instruction that acquired it. */
  refs: Map<number, number>;
}

export const NOT_INIT: Reg = { t: 'not_init' };

export function regName(r: Reg): string {
  switch (r.t) {
    case 'not_init':
      return 'not_init';
    case 'scalar':
      return 'scalar';
    case 'ctx':
      return 'ctx';
    case 'fp':
      return 'fp';
    case 'map_ptr':
      return 'map_ptr';
    case 'map_value':
      return 'map_value';
    case 'map_value_or_null':
      return 'map_value_or_null';
    case 'mem':
      return 'ringbuf_mem';
    case 'mem_or_null':
      return 'ringbuf_mem_or_null';
  }
}

export function isPointer(r: Reg): boolean {
  return r.t !== 'not_init' && r.t !== 'scalar';
}

export function cloneState(s: VState): VState {
  return {
    frames: s.frames.map((f) => ({
      regs: f.regs.slice(),
      bytes: f.bytes.slice(),
      spills: new Map(f.spills),
      returnPc: f.returnPc,
      depth: f.depth,
    })),
    refs: new Map(s.refs),
  };
}

function regKey(r: Reg): string {
  switch (r.t) {
    case 'not_init':
      return '_';
    case 'scalar':
      return `s${r.s.umin},${r.s.umax},${r.s.smin},${r.s.smax}`;
    case 'ctx':
      return `c${r.off}`;
    case 'fp':
      return `f${r.frame},${r.off}`;
    case 'map_ptr':
      return `m${r.fd}`;
    case 'map_value':
      return `v${r.fd},${r.off},${r.vmin},${r.vmax}`;
    case 'map_value_or_null':
      return `V${r.fd},${r.off},${r.id}`;
    case 'mem':
      return `b${r.size},${r.off},${r.vmin},${r.vmax},${r.ref}`;
    case 'mem_or_null':
      return `B${r.size},${r.id},${r.ref}`;
  }
}

/** An exact key of the state (for infinite-loop detection: the same state at the same pc again). */
export function stateKey(s: VState): string {
  let k = '';
  for (const f of s.frames) {
    k += f.regs.map(regKey).join('|') + '#';
    k += Buffer.from(f.bytes).toString('base64') + '#';
    k += [...f.spills.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([i, r]) => `${i}:${regKey(r)}`)
      .join(';');
    k += `@${f.returnPc}/`;
  }
  k += [...s.refs.keys()].sort().join(',');
  return k;
}

/** Does `old` (fully explored and safe) cover `cur`? Then exploring `cur` can find nothing new. */
export function subsumes(old: VState, cur: VState): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  if (old.refs.size !== cur.refs.size) return false;
  const ids = new Map<number, number>();
  const sameId = (a: number, b: number): boolean => {
    const m = ids.get(a);
    if (m === undefined) {
      ids.set(a, b);
      return true;
    }
    return m === b;
  };
  const reg = (o: Reg, c: Reg): boolean => {
    if (o.t === 'not_init') return true;
    switch (o.t) {
      case 'scalar':
        return c.t === 'scalar' && contains(o.s, c.s);
      case 'ctx':
        return c.t === 'ctx' && c.off === o.off;
      case 'fp':
        return c.t === 'fp' && c.off === o.off && c.frame === o.frame;
      case 'map_ptr':
        return c.t === 'map_ptr' && c.fd === o.fd;
      case 'map_value':
        return (
          c.t === 'map_value' && c.fd === o.fd && c.off === o.off && o.vmin <= c.vmin && o.vmax >= c.vmax
        );
      case 'map_value_or_null':
        return c.t === 'map_value_or_null' && c.fd === o.fd && c.off === o.off && sameId(o.id, c.id);
      case 'mem':
        return (
          c.t === 'mem' &&
          c.size === o.size &&
          c.off === o.off &&
          o.vmin <= c.vmin &&
          o.vmax >= c.vmax &&
          sameId(o.ref, c.ref)
        );
      case 'mem_or_null':
        return c.t === 'mem_or_null' && c.size === o.size && sameId(o.id, c.id) && sameId(o.ref, c.ref);
    }
  };
  for (let k = 0; k < old.frames.length; k++) {
    const of = old.frames[k]!;
    const cf = cur.frames[k]!;
    if (of.returnPc !== cf.returnPc) return false;
    for (let r = 0; r < of.regs.length; r++) if (!reg(of.regs[r]!, cf.regs[r]!)) return false;
    for (let i = 0; i < STACK_SIZE; i++) {
      const ob = of.bytes[i]!;
      if (ob === SB_INVALID) continue;
      if (cf.bytes[i] === SB_INVALID) return false;
    }
    for (const [slot, o] of of.spills) {
      const c = cf.spills.get(slot);
      if (c === undefined) {
        // A spilled unknown scalar is covered by plain initialised bytes.
        if (!(
          o.t === 'scalar' &&
          o.s.umin === 0n &&
          o.s.smin === -(1n << 63n) &&
          o.s.umax === (1n << 64n) - 1n
        ))
          return false;
        continue;
      }
      if (!reg(o, c)) return false;
    }
  }
  for (const [oid] of old.refs) {
    const m = ids.get(oid);
    if (m !== undefined && !cur.refs.has(m)) return false;
  }
  return true;
}

/** The registers of the top frame as the kernel prints them after a branch: `R0=scalar() R1=ctx() R10=fp0`. */
export function formatRegs(s: VState): string {
  const f = s.frames[s.frames.length - 1]!;
  const out: string[] = [];
  f.regs.forEach((r, i) => {
    if (r.t === 'not_init') return;
    out.push(`R${i}=${formatReg(r)}`);
  });
  return out.join(' ');
}

export function formatReg(r: Reg): string {
  switch (r.t) {
    case 'not_init':
      return 'not_init';
    case 'scalar':
      return formatScalar(r.s);
    case 'ctx':
      return r.off ? `ctx(off=${r.off})` : 'ctx()';
    case 'fp':
      return `fp${r.off}`;
    case 'map_ptr':
      return `map_ptr(fd=${r.fd})`;
    case 'map_value':
      return `map_value(fd=${r.fd},off=${r.off}${r.vmax ? `,var=[${r.vmin},${r.vmax}]` : ''})`;
    case 'map_value_or_null':
      return `map_value_or_null(id=${r.id},fd=${r.fd},off=${r.off})`;
    case 'mem':
      return `ringbuf_mem(ref_obj_id=${r.ref},sz=${r.size},off=${r.off})`;
    case 'mem_or_null':
      return `ringbuf_mem_or_null(id=${r.id},ref_obj_id=${r.ref},sz=${r.size})`;
  }
}
