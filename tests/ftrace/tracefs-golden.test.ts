/**
 * A whole tracefs session as golden text: every file this model has, read after the commands a user types,
 * on a deterministic kernel (nokaslr, fixed seed, modelled cycles for timestamps). A change in any format,
 * flag column, address or timestamp shows up as a diff of tests/ftrace/golden/tracefs-session.txt, to be
 * reviewed against the kernel's format strings (facts §6) before it is accepted.
 *
 * Regenerate: UPDATE_GOLDEN=1 npx vitest run tests/ftrace/tracefs-golden.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSession, runLine } from '../../src/cli/commands/tracefs.js';

const GOLDEN = join(import.meta.dirname, 'golden', 'tracefs-session.txt');
const HEADER =
  '# tracefs session golden (tests/ftrace/tracefs-golden.test.ts); regenerate:\n' +
  '#   UPDATE_GOLDEN=1 npx vitest run tests/ftrace/tracefs-golden.test.ts\n';

const SCRIPT = [
  'ls',
  'cat available_tracers current_tracer tracing_on set_ftrace_filter set_ftrace_notrace',
  'cat available_filter_functions_addrs',
  "echo 'bpf_fentry_test*' > set_ftrace_filter",
  'echo !bpf_fentry_test8 >> set_ftrace_filter',
  'echo bpf_fentry_test7 > set_ftrace_notrace',
  'cat set_ftrace_filter set_ftrace_notrace',
  'echo function > current_tracer',
  'cat enabled_functions',
  'call bpf_fentry_test1 1',
  'call bpf_fentry_test2 2 3',
  'call workload_entry 5',
  'cat trace',
  'cat trace_pipe',
  'cat trace',
  'echo nope > set_ftrace_filter',
  'echo function_graph > current_tracer',
  "echo 'workload_*' >> set_ftrace_filter",
  'call workload_entry 6',
  'cat trace',
  'echo nop > current_tracer',
  'cat enabled_functions',
  'cat touched_functions',
];

it('a scripted tracefs session matches the golden transcript', async () => {
  const s = await openSession({ series: 'test', layout: 'nokaslr', seed: 1, cpus: 1 });
  let text = HEADER;
  for (const line of SCRIPT) {
    const r = runLine(s, line);
    text += `$ ${line}\n${r.out}${r.err.replace(/^/gm, '! ').replace(/! $/, '')}`;
  }
  // Timestamps and durations are modelled cycles of code other layers own (ftrace_caller, the graph
  // return path): digits become N so the golden pins the layout, and the values are checked elsewhere
  // (tracer.test.ts: durations nest and come from the entry's and return's CNTVCT).
  text = text
    .replace(/\d+\.\d{6}: /g, (m) => m.replace(/\d/g, 'N'))
    .replace(/\d+(\.\d+)? us /g, (m) => m.replace(/\d/g, 'N'));
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
  expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
});
