/**
 * The machine's dispatch: one handler compiler per table row, by row name, gathered from one file per
 * table file. A row without a handler decodes and disassembles but faults with `Unimplemented` when run.
 */
import { branchHandlers } from './branch.js';
import { dpImmHandlers } from './dp-imm.js';
import { dpRegHandlers } from './dp-reg.js';
import { ldstAtomicHandlers } from './ldst-atomic.js';
import { ldstHandlers } from './ldst.js';
import { sysHandlers } from './sys.js';
import type { HandlerTable } from './types.js';

export const HANDLERS: HandlerTable = {
  ...dpImmHandlers,
  ...dpRegHandlers,
  ...branchHandlers,
  ...sysHandlers,
  ...ldstHandlers,
  ...ldstAtomicHandlers,
};
