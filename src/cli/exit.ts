/** Exit codes of the tramp64 command, documented in `tramp64 --help` and the README. */
export const EXIT = {
  ok: 0,
  /** A check failed: a test did not pass, a comparison found a difference. */
  failed: 1,
  /** Bad usage or bad input (a typed Tramp64Error). */
  usage: 2,
  /** A bug in tramp64. */
  internal: 70,
} as const;
