/**
 * Seeded address-layout samples for the comparison: `kaslr` and `nokaslr`, each with and without
 * CONFIG_RANDOMIZE_MODULE_REGION_FULL (the 2 GiB module window that needs PLTs), as src/kernel/layout.ts
 * models them. The four combinations are taken in turn — kaslr, nokaslr, kaslr + 2 GiB, nokaslr + 2 GiB —
 * so any n ≥ 4 covers each, and each sample gets its own layout seed drawn from `seed`: the same (n, seed)
 * always gives the same list, and a longer list starts with the shorter one.
 */
import type { LayoutKind, LayoutOptions } from '../kernel/layout.js';
import { Tramp64Error } from '../util/errors.js';
import { Rng } from '../util/rng.js';

export interface LayoutSampleOptions {
  /** Restrict the kinds (default both). */
  readonly kinds?: readonly LayoutKind[];
  /** Restrict the module-region choice (default both: [false, true]). */
  readonly moduleRegionFull?: readonly boolean[];
}

/** `n` layout options, deterministic per `seed`. */
export function layouts(n: number, seed: number, opts: LayoutSampleOptions = {}): LayoutOptions[] {
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new Tramp64Error('EINVAL', `the number of layouts must be an integer 1-100000, got ${n}`);
  if (!Number.isInteger(seed))
    throw new Tramp64Error('EINVAL', `the layout seed must be an integer, got ${seed}`);
  const kinds = opts.kinds ?? (['kaslr', 'nokaslr'] as const);
  const full = opts.moduleRegionFull ?? [false, true];
  if (kinds.length === 0 || full.length === 0)
    throw new Tramp64Error(
      'EINVAL',
      'layouts: kinds and moduleRegionFull must each name at least one choice',
    );
  const combos: { kind: LayoutKind; full: boolean }[] = [];
  for (const f of full) for (const kind of kinds) combos.push({ kind, full: f });
  const rng = new Rng(seed);
  const out: LayoutOptions[] = [];
  for (let i = 0; i < n; i++) {
    const c = combos[i % combos.length]!;
    out.push({ kind: c.kind, seed: rng.u32(), randomizeModuleRegionFull: c.full });
  }
  return out;
}

/** A short label for a layout sample: `kaslr/3735928559`, `nokaslr+2G/42`. */
export function layoutLabel(l: LayoutOptions): string {
  return `${l.kind}${l.randomizeModuleRegionFull ? '+2G' : ''}/${l.seed ?? 1}`;
}
