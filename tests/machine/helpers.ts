import { assemble } from '../../src/a64/index.js';
import { Machine, PERM_GP, PERM_R, PERM_X, type MachineOptions } from '../../src/machine/index.js';

export const CODE = 0xffff_8000_8000_0000n;

/** A machine with `source` assembled at CODE (one guarded RX page when `guarded`). */
export function machineWith(
  source: string,
  opts: MachineOptions & { guarded?: boolean } = {},
): { m: Machine; labels: ReadonlyMap<string, bigint> } {
  const m = new Machine(opts);
  const { bytes, labels } = assemble(source, { address: CODE });
  m.memory.map(
    CODE,
    Math.max(4096, Math.ceil(bytes.length / 4096) * 4096),
    PERM_R | PERM_X | (opts.guarded ? PERM_GP : 0),
  );
  m.memory.writeBytes(CODE, bytes, 0);
  return { m, labels };
}
