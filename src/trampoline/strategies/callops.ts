/**
 * `callops` — what upstream merged (v6.4+: DYNAMIC_FTRACE_WITH_CALL_OPS with direct calls; facts:
 * shared/facts/ftrace-arm64.md §2.3, §5): `-fpatchable-function-entry=4,2` call sites carry an 8-byte ops
 * literal before the function. A function whose only ops is the trampoline's direct ops calls the
 * trampoline with `bl` when it is in BL range; out of range it calls ftrace_caller, which finds the ops
 * through the literal and branches to `ops->direct_call` before saving anything (`br x17`); when another op
 * shares the site the literal is the list ops, the ops run, and ftrace_caller tail-calls the trampoline at
 * its end. Attach never fails for range.
 */
import { attachmentOf, TrampolineAttachment } from './target.js';
import type { Strategy } from './types.js';

export const callopsStrategy: Strategy = {
  name: 'callops',
  origin: 'upstream v6.4+: CALL_OPS call sites (ops literal before the function) with ftrace direct calls',
  siteLayout: '=4,2',
  dispatch: 'callops',
  defaultFrame: 'args',
  directSites: 'bl-or-caller',
  attachment: (t, func) => attachmentOf(t, func, () => new TrampolineAttachment(t, func)),
};
