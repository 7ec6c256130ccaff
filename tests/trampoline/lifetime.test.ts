/**
 * Image lifetime on a seeded SMP run (bpf_tramp_image_put): CPU 1 is inside the original program, called
 * from trampoline image A, when the fexit program is detached. Its call must return through
 * `b ip_epilogue` without running the old fexit program; A is neither freed nor reused until its reference
 * count dropped and a grace period passed; no fault, no CMODX report. CPU 0 keeps calling the program.
 */
import { describe, expect, it } from 'vitest';
import { Asm } from '../../src/a64/asm.js';
import { X } from '../../src/a64/builder.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { HOSTCALL_SCHEDULE } from '../../src/kernel/rcu.js';
import { VMALLOC_START } from '../../src/kernel/layout.js';
import { Rng } from '../../src/util/rng.js';
import {
  progTarget,
  retiredAfterCallWord,
  trampolines,
  type TrampImage,
} from '../../src/trampoline/index.js';
import { jitShaped, newKernel, seqCounter, tracer } from './helpers.js';

/** Target: returns ctx*3+1; with ctx = 1 it first waits for `flag` (calling cond_resched while it waits). */
function spinningTarget(k: Kernel, flag: bigint, lo: bigint | undefined) {
  return jitShaped(
    k,
    'spin_prog',
    (a) => {
      const go = a.label('go');
      const wait = a.label('wait');
      a.cmp(X[0]!, 1);
      a.bCond('ne', go);
      a.bind(wait);
      a.hvc(HOSTCALL_SCHEDULE);
      a.movAddr48(X[2]!, flag);
      a.ldr(X[3]!, X[2]!, 0);
      a.cbz(X[3]!, wait);
      a.bind(go);
      a.add(X[1]!, X[0]!, X[0]!, { shift: 'lsl', amount: 1 });
      a.add(X[0]!, X[1]!, 1);
    },
    lo === undefined ? {} : { lo },
  );
}

/** CPU 0's workload: call `target(2)` n times with a schedule point between calls; returns the sum. */
function driver(k: Kernel, target: bigint): bigint {
  const build = (base: bigint) => {
    const a = new Asm(base);
    if (k.bti) a.bti('c');
    a.push(X[29]!, X[30]!);
    a.push(X[21]!, X[22]!);
    a.mov(X[21]!, X[0]!);
    a.movz(X[22]!, 0);
    const loop = a.here('loop');
    a.movz(X[0]!, 2);
    a.movAddr48(X[10]!, target);
    a.blr(X[10]!);
    a.add(X[22]!, X[22]!, X[0]!);
    a.hvc(HOSTCALL_SCHEDULE);
    a.sub(X[21]!, X[21]!, 1);
    a.cbnz(X[21]!, loop);
    a.mov(X[0]!, X[22]!);
    a.pop(X[21]!, X[22]!);
    a.pop(X[29]!, X[30]!);
    a.ret();
    return a.finish().bytes;
  };
  const size = build(0n).length;
  const addr = k.allocExec(size, 'driver');
  k.writeText(addr, build(addr));
  return addr;
}

function run(seed: number, far: boolean) {
  // A timer tick interrupts both CPUs now and then: an interrupt is no quiescent state for tasks-RCU.
  const k = newKernel({
    machine: { cpus: 2, bti: true, pac: true, timer: { period: 97, jitter: 30, seed } },
  });
  const m = k.machine;
  const flag = k.imageAlloc(8, 'data', 8).address;
  const cpu1Fexit = k.imageAlloc(8, 'data', 8).address;
  // far: the program sits 4 GiB above the trampolines, so it reaches them through its PLT.
  const img = spinningTarget(k, flag, far ? VMALLOC_START + (4n << 30n) : undefined);
  const target = progTarget({
    kernel: k,
    image: img,
    model: { name: 'spin_prog', argSizes: [8], returnSize: 8 },
    progId: 5,
    btfId: 11,
  });
  const reg = trampolines(k);
  const tr = reg.get(target);
  const seq = seqCounter(k);
  const fe = tracer(k, 'fe', seq);
  const fx = tracer(k, 'fx', seq, {
    extra: (a) => {
      // Count the fexit runs of CPU 1's call (ctx[0] = 1).
      const skip = a.label('not_cpu1_call');
      a.ldr(X[5]!, X[0]!, 0);
      a.cmp(X[5]!, 1);
      a.bCond('ne', skip);
      a.movAddr48(X[6]!, cpu1Fexit);
      a.ldr(X[7]!, X[6]!, 0);
      a.add(X[7]!, X[7]!, 1);
      a.str(X[7]!, X[6]!, 0);
      a.bind(skip);
    },
  });
  tr.link({ prog: fe.prog, kind: 'fentry', cookie: 0n });
  const fxLink = { prog: fx.prog, kind: 'fexit' as const, cookie: 0n };
  tr.link(fxLink);
  const A = tr.image!;
  expect(A.gen.ipAfterCall).toBeDefined();

  const [c0, c1] = m.cpus;
  const rng = new Rng(seed);
  const inA = (pc: bigint) => pc >= A.address && pc < A.address + 4096n;
  const done = (c: typeof c0) => c!.stopRequested || c!.halted;
  /** Interleave the CPUs that are still running for up to `budget` instructions, or until `until()`. */
  const interleave = (budget: number, until: () => boolean = () => false) => {
    while (budget > 0 && !until()) {
      const live = [c0!, c1!].filter((c) => !done(c));
      if (live.length === 0) break;
      const c = live[rng.below(live.length)]!;
      budget -= Math.max(1, c.run(1 + rng.below(25)));
      if (c.fault) throw c.fault;
      if (A.state === 'freed') for (const x of [c0!, c1!]) if (!done(x)) expect(inA(x.pc)).toBe(false);
    }
  };

  m.prepareCall(c1!, img.address, [1n]);
  m.prepareCall(c0!, driver(k, img.address), [40n]);
  // CPU 1 waits inside the original program, called from image A.
  interleave(
    100_000,
    () => c1!.pc >= img.address && c1!.pc < img.address + BigInt(img.size) && reg.refcount(A) >= 2n,
  );
  expect(reg.refcount(A)).toBeGreaterThanOrEqual(2n);
  interleave(rng.below(300));

  // Detach the fexit program: image B (fentry only) replaces A; A's ip_after_call now branches to ip_epilogue.
  tr.unlink(fxLink);
  const B = tr.image!;
  expect(B.address).not.toBe(A.address);
  expect(k.patcher.read(A.gen.ipAfterCall!)).toBe(retiredAfterCallWord(A));
  expect(A.state).not.toBe('freed');

  // Let the CPUs pass schedule points: the first grace period ends, the owner's reference is dropped, but CPU 1
  // still holds one, so A stays mapped and is not handed out again.
  interleave(20_000, () => A.state === 'dying');
  expect(A.state).toBe('dying');
  expect(reg.refcount(A)).toBe(1n);
  expect(m.memory.isMapped(A.address)).toBe(true);
  const fx2 = tracer(k, 'fx2', seq);
  const fx2Link = { prog: fx2.prog, kind: 'fexit' as const, cookie: 0n };
  tr.link(fx2Link);
  const C = tr.image!;
  const images: TrampImage[] = [A, B, C];
  expect(new Set(images.map((i) => i.address)).size).toBe(3);
  tr.unlink(fx2Link);

  // Release CPU 1: it returns through `b ip_epilogue`, skipping fx, and drops the last reference.
  m.memory.write64(flag, 1n, 0);
  interleave(2_000_000);
  expect(done(c0) && done(c1)).toBe(true);
  expect(c1!.x(0)).toBe(4n);
  expect(c0!.x(0)).toBe(40n * 7n);
  expect(m.memory.read64(cpu1Fexit)).toBe(0n);
  k.rcu.poll();
  expect(A.state).toBe('freed');
  expect(reg.refcount(A)).toBe(0n);
  expect(m.memory.isMapped(A.address)).toBe(false);
  expect(m.icache.reports).toEqual([]);
  return { k, fe, img };
}

describe('trampoline image lifetime (seeded SMP)', () => {
  for (const [seed, far] of [
    [1, false],
    [2, false],
    [3, false],
    [4, false],
    [5, true],
    [6, true],
  ] as const) {
    it(`detach while CPU 1 is inside the original: ip_epilogue path, no early free (seed ${seed}${far ? ', PLT' : ''})`, () => {
      const { fe, k, img } = run(seed, far);
      expect(fe.read('HITS')).toBe(41n);
      if (far) {
        // The live image (fentry only) is reached through the PLT; detaching the last link resets it.
        const tr = trampolines(k).all()[0]!;
        expect(k.machine.memory.read64(img.plt.target)).toBe(tr.image!.address);
        tr.unlink(tr.links.fentry[0]!);
        expect(k.machine.memory.read64(img.plt.target)).toBe(trampolines(k).rt.dummyTramp);
      }
    });
  }
});
