/**
 * The attach strategies (SPEC.md "The strategies"): the registry by name, the kernel factory, and the
 * shared direct-call target. `STRATEGIES` lists them in the SPEC table's order.
 */
import { KernelError } from '../../util/errors.js';
import { callopsStrategy } from './callops.js';
import { opsStrategy } from './ops.js';
import { patchsiteStrategy } from './patchsite.js';
import { tailcallStrategy } from './tailcall.js';
import type { Strategy, StrategyName } from './types.js';

export * from './types.js';
export * from './target.js';
export * from './kernel.js';
export { callopsStrategy } from './callops.js';
export { opsStrategy } from './ops.js';
export { patchsiteStrategy } from './patchsite.js';
export { tailcallStrategy } from './tailcall.js';

export const STRATEGIES: readonly Strategy[] = [
  patchsiteStrategy,
  opsStrategy,
  tailcallStrategy,
  callopsStrategy,
];

/** The strategy called `name` (EINVAL naming the known ones otherwise). */
export function strategyByName(name: string): Strategy {
  const s = STRATEGIES.find((x) => x.name === name);
  if (!s)
    throw new KernelError(
      'EINVAL',
      `unknown strategy '${name}'; choose one of ${STRATEGIES.map((x) => x.name).join(', ')}`,
    );
  return s;
}

export type { StrategyName };
