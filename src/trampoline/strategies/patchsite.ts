/**
 * `patchsite` — Xu Kuohai's v5 series, the seed thread's subject (x86's shape): `=2` call sites; a function
 * traced only by BPF has its site patched to `bl <trampoline>`, which must be in BL range (±128 MiB) — a
 * trampoline out of range makes the attach fail with ENOTSUPP and nothing changes (the series had no path
 * through ftrace_caller for it). When another ftrace op shares the site the site calls ftrace_regs_caller
 * (pt_regs frame by default, global dispatch), the list function runs the ops, call_direct_funcs puts the
 * trampoline in `pt_regs->orig_x0` (x86: orig_ax), and ftrace_regs_caller tail-calls it after restoring.
 */
import { attachmentOf, TrampolineAttachment } from './target.js';
import type { Strategy } from './types.js';

export const patchsiteStrategy: Strategy = {
  name: 'patchsite',
  origin:
    "Xu Kuohai's v5 (arm64 ftrace direct calls, the seed thread): bl to the trampoline from the call site, as x86",
  siteLayout: '=2',
  dispatch: 'global',
  defaultFrame: 'regs',
  directSites: 'bl-or-refuse',
  attachment: (t, func) => attachmentOf(t, func, () => new TrampolineAttachment(t, func)),
};
