/**
 * `tailcall` — Florent Revest's proposal in the seed thread: `=2` call sites always call ftrace_caller,
 * never the trampoline; the trampoline's direct ops is an ordinary op on the list, whose callback
 * (call_direct_funcs = arch_ftrace_set_direct_caller) writes the frame's direct field; at its end
 * ftrace_caller restores the registers, puts the function's LR back in x30's place (x9 = the traced
 * function's return address, x30 = site + 4, as at the patch site) and tail-calls the trampoline with
 * `br x17`. Attach never fails for range; every traced call pays for the frame save and the op list.
 */
import { attachmentOf, TrampolineAttachment } from './target.js';
import type { Strategy } from './types.js';

export const tailcallStrategy: Strategy = {
  name: 'tailcall',
  origin:
    "Florent Revest's proposal in the seed thread: always ftrace_caller, then a tail call to the trampoline",
  siteLayout: '=2',
  dispatch: 'global',
  defaultFrame: 'args',
  directSites: 'caller',
  attachment: (t, func) => attachmentOf(t, func, () => new TrampolineAttachment(t, func)),
};
