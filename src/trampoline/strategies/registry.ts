/**
 * The strategies by name (SPEC.md "The strategies"), in the SPEC table's order: patchsite (Xu Kuohai's v5),
 * ops (Mark Rutland's suggestion as Florent Revest's fprobe RFC realised it), tailcall (Florent Revest's
 * proposal), callops (upstream v6.4+).
 */
import { KernelError } from '../../util/errors.js';
import { callopsStrategy } from './callops.js';
import { opsStrategy } from './ops.js';
import { patchsiteStrategy } from './patchsite.js';
import { tailcallStrategy } from './tailcall.js';
import type { Strategy } from './types.js';

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
