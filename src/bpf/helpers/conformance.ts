/**
 * The helpers the bpf_conformance suite expects of a runtime, as its test files show them. Only one is
 * called by the 313 tests: helper 5, "unwind" (call_unwind_fail.data): it returns its first argument, and
 * when that is 0 the program ends at once with r0 = 0 — otherwise execution continues after the call
 * (call_unwind_fail calls it with r1 = -1 and expects r0 = 2 from the instructions after it).
 * Any other id is an unknown helper (a typed error at the call).
 */
import type { HelperSet, HelperTable } from './types.js';

export const CONFORMANCE_HELPER_UNWIND = 5;

export function conformanceHelpers(): HelperSet {
  const table: HelperTable = new Map();
  table.set(CONFORMANCE_HELPER_UNWIND, ([r1], vm) => {
    if (r1 === 0n) vm.unwind();
    return r1;
  });
  return { name: 'bpf_conformance', table };
}
