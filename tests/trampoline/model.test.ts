/**
 * Seeded sequences of attach / detach / call against a reference model of the trampoline's semantics
 * (facts §2.3, §7): per kind, newest link first; fentry → fmod_ret (stop at the first non-zero, which skips
 * the original and becomes the return value) → original → fexit; each program sees the argument, fexit and
 * fmod_ret see the current return value; the count limit and duplicates are refused. The model is plain
 * TypeScript over the link lists; the system under test is the A64 trampoline on the CPU.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.js';
import { KernelError } from '../../src/util/errors.js';
import { BPF_MAX_TRAMP_LINKS, progTarget, trampolines, type TrampKind } from '../../src/trampoline/index.js';
import { newKernel, seqCounter, targetProg, tracer, type Tracer } from './helpers.js';

interface ModelLink {
  t: Tracer;
  kind: TrampKind;
  ret: bigint;
}

/** Expected (sequence order of tracer names, value of CTX1 each saw, return value, original ran). */
function expected(links: readonly ModelLink[], arg: bigint) {
  const newestFirst = (k: TrampKind) => links.filter((l) => l.kind === k).reverse();
  const order: { name: string; ctx1: bigint | undefined }[] = [];
  for (const l of newestFirst('fentry')) order.push({ name: l.t.prog.name, ctx1: undefined });
  let ret = 0n;
  let skipped = false;
  for (const l of newestFirst('fmod_ret')) {
    order.push({ name: l.t.prog.name, ctx1: ret });
    ret = l.ret;
    if (ret !== 0n) {
      skipped = true;
      break;
    }
  }
  const hasCallOrig = newestFirst('fexit').length + newestFirst('fmod_ret').length > 0;
  if (!skipped) ret = arg * 3n + 1n;
  for (const l of newestFirst('fexit')) order.push({ name: l.t.prog.name, ctx1: ret });
  return { order, ret: hasCallOrig ? ret : arg * 3n + 1n, originalRuns: !skipped };
}

function runSeed(seed: number): void {
  const rng = new Rng(seed);
  const k = newKernel({ machine: { bti: true, pac: rng.below(2) === 0 } });
  const tgt = targetProg(k);
  const tr = trampolines(k).get(
    progTarget({
      kernel: k,
      image: tgt.image,
      model: { name: 'target_prog', argSizes: [8], returnSize: 8 },
      progId: 1,
      btfId: 1,
      errorInjectable: true,
    }),
  );
  const seq = seqCounter(k);
  const pool: ModelLink[] = [];
  const kinds: TrampKind[] = ['fentry', 'fexit', 'fmod_ret'];
  for (let i = 0; i < 44; i++) {
    const kind = kinds[rng.below(3)]!;
    const ret = kind === 'fmod_ret' && rng.below(3) === 0 ? BigInt(1 + rng.below(50)) : 0n;
    pool.push({ t: tracer(k, `p${i}`, seq, { ret }), kind, ret });
  }
  const attached: ModelLink[] = [];
  const linkOf = new Map<ModelLink, { prog: Tracer['prog']; kind: TrampKind; cookie: bigint }>();
  let runs = 0n;
  for (let step = 0; step < 30; step++) {
    const op = rng.below(4);
    if (op <= 1) {
      const cand = pool[rng.below(pool.length)]!;
      const link = { prog: cand.t.prog, kind: cand.kind, cookie: 0n };
      const dup = attached.includes(cand);
      const full = attached.length >= BPF_MAX_TRAMP_LINKS;
      let err: KernelError | undefined;
      try {
        tr.link(link);
      } catch (e) {
        err = e as KernelError;
      }
      if (full) expect(err?.errno).toBe('E2BIG');
      else if (dup) expect(err?.errno).toBe('EBUSY');
      else {
        expect(err).toBeUndefined();
        attached.push(cand);
        linkOf.set(cand, link);
      }
    } else if (op === 2 && attached.length > 0) {
      const i = rng.below(attached.length);
      tr.unlink(linkOf.get(attached[i]!)!);
      attached.splice(i, 1);
    } else {
      const arg = BigInt(rng.below(1000));
      const before = new Map(pool.map((l) => [l, l.t.read('HITS')]));
      const seq0 = k.machine.memory.read64(seq);
      const exp = expected(attached, arg);
      const got = k.machine.call(tgt.image.address, [arg]);
      expect(got).toBe(exp.ret);
      if (exp.originalRuns) runs++;
      expect(tgt.runs()).toBe(runs);
      const ran = pool
        .filter((l) => l.t.read('HITS') !== before.get(l))
        .sort((a, b) => Number(a.t.read('SEQ') - b.t.read('SEQ')));
      expect(ran.map((l) => l.t.prog.name)).toEqual(exp.order.map((o) => o.name));
      ran.forEach((l, i) => {
        expect(l.t.read('SEQ')).toBe(seq0 + BigInt(i + 1));
        expect(l.t.read('ARG0')).toBe(arg);
        const c = exp.order[i]!.ctx1;
        if (c !== undefined) expect(l.t.read('CTX1')).toBe(c);
      });
    }
  }
  // One CPU, idle between calls: every retired image has been freed.
  const reg = trampolines(k);
  const live = [...reg.images.values()].filter((i) => i.state !== 'freed');
  expect(live.length).toBe(tr.image ? 1 : 0);
  expect(k.machine.icache.reports).toEqual([]);
}

describe('trampoline semantics against a reference model (seeded)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) it(`seed ${seed}`, () => runSeed(seed));
});
