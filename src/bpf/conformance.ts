/**
 * The bpf_conformance runner: parse a `.data` file, assemble (or take `-- raw`), run on the interpreter with
 * the suite's helper table and the `-- mem` buffer in r1/r2, and compare r0 (all 64 bits) with `-- result`,
 * or the error message with `-- error` (exactly). A test is skipped — never passed — when it needs an
 * instruction of a group the runtime does not run, or has a section this runner does not know; the reason
 * says which. Pure: takes text, returns outcomes (the CLI and the tests read the files).
 */
import { assemble } from './asm/assemble.js';
import { formatInsn } from './asm/disassemble.js';
import { parseDataFile, type DataFile } from './asm/datafile.js';
import { u64ToWord, lookupEntry, isWide, type BpfInsn } from './isa/insn.js';
import type { ConformanceGroup } from './isa/table.js';
import { conformanceHelpers } from './helpers/conformance.js';
import type { HelperSet } from './helpers/types.js';
import { BpfInterpreter, INTERPRETER_GROUPS, type RunResult } from './interp/vm.js';
import { Tramp64Error } from '../util/errors.js';

export type TestStatus = 'pass' | 'fail' | 'skip';

export interface TestOutcome {
  name: string;
  status: TestStatus;
  /** Why a test failed or was skipped. */
  reason?: string;
  /** r0 of the run, when it completed. */
  r0?: bigint;
  expected?: bigint;
  /** The error the run raised, when it did. */
  error?: string;
}

export interface ConformanceOptions {
  helpers?: HelperSet;
  /** Groups the runtime under test runs (default: the interpreter's, i.e. every RFC 9669 group). */
  groups?: readonly ConformanceGroup[];
  insnLimit?: number;
  /**
   * Another engine for the same tests (the JIT on the emulated CPU): runs the program with the input buffer
   * and the helpers, returns r0. Default: the interpreter.
   */
  engine?: (program: BpfInsn[], mem: Uint8Array | undefined, helpers: HelperSet) => RunResult;
}

const GROUP_NOTES: Partial<Record<ConformanceGroup, string>> = {
  callx: 'callx (0x8d) is Linux-only, not in any RFC 9669 conformance group',
  packet: 'legacy packet access is the optional RFC 9669 group "packet"',
};

/** The program of a parsed .data file: `-- raw` when present (it overrides `-- asm`, as in bpf_conformance). */
export function programOf(data: DataFile): BpfInsn[] {
  if (data.raw !== undefined) return data.raw.map(u64ToWord);
  if (data.asm !== undefined) return assemble(data.asm.text, { firstLine: data.asm.firstLine });
  throw new Tramp64Error('BPF_DATA', 'the .data file has neither an -- asm nor a -- raw section');
}

/** Groups used by a program, with the first instruction of each (for skip reasons). */
export function groupsUsed(program: readonly BpfInsn[]): Map<ConformanceGroup, string> {
  const out = new Map<ConformanceGroup, string>();
  for (let i = 0; i < program.length; i++) {
    const e = lookupEntry(program[i]!, i);
    if (!out.has(e.group)) out.set(e.group, `'${formatInsn(program[i]!, e, program[i + 1])}' at insn ${i}`);
    if (isWide(program[i]!)) i++;
  }
  return out;
}

/** Run a parsed .data file's program with its `-- mem`; throws the interpreter's typed errors. */
export function runData(data: DataFile, options: ConformanceOptions = {}): RunResult {
  if (options.engine !== undefined)
    return options.engine(programOf(data), data.mem?.slice(), options.helpers ?? conformanceHelpers());
  const vm = new BpfInterpreter(programOf(data), {
    helpers: options.helpers ?? conformanceHelpers(),
    groups: options.groups ?? INTERPRETER_GROUPS,
    ...(options.insnLimit !== undefined ? { insnLimit: options.insnLimit } : {}),
  });
  return vm.run(data.mem !== undefined ? { mem: data.mem.slice() } : {});
}

/** One conformance test: never throws for bad tests; malformed files are failures with the parse error. */
export function runConformanceTest(
  text: string,
  name: string,
  options: ConformanceOptions = {},
): TestOutcome {
  let data: DataFile;
  let program: BpfInsn[];
  try {
    data = parseDataFile(text);
    if (data.unknown.length > 0)
      return { name, status: 'skip', reason: `unknown directive '-- ${data.unknown[0]}'` };
    if (data.result === undefined && data.error === undefined) {
      return { name, status: 'skip', reason: 'no -- result or -- error section' };
    }
    program = programOf(data);
    const supported = options.groups ?? INTERPRETER_GROUPS;
    for (const [group, where] of groupsUsed(program)) {
      if (!supported.includes(group)) {
        const note = GROUP_NOTES[group];
        return {
          name,
          status: 'skip',
          reason: `needs group ${group} (${where})${note !== undefined ? `; ${note}` : ''}`,
        };
      }
    }
  } catch (e) {
    if (e instanceof Tramp64Error) return { name, status: 'fail', reason: `malformed test: ${e.message}` };
    throw e;
  }
  let result: RunResult;
  try {
    result = runData(data, options);
  } catch (e) {
    if (!(e instanceof Tramp64Error)) throw e;
    if (data.error !== undefined && e.message === data.error)
      return { name, status: 'pass', error: e.message };
    const want =
      data.error !== undefined ? `expected error '${data.error}'` : `expected 0x${data.result!.toString(16)}`;
    return { name, status: 'fail', reason: `${want}, got error: ${e.message}`, error: e.message };
  }
  if (data.error !== undefined) {
    return {
      name,
      status: 'fail',
      r0: result.r0,
      reason: `expected error '${data.error}', got 0x${result.r0.toString(16)}`,
    };
  }
  const expected = data.result!;
  if (result.r0 === expected) return { name, status: 'pass', r0: result.r0, expected };
  return {
    name,
    status: 'fail',
    r0: result.r0,
    expected,
    reason: `expected 0x${expected.toString(16)}, got 0x${result.r0.toString(16)}`,
  };
}

/** The summary line of a run: exactly `N passed, N failed, N skipped`. */
export function summarize(outcomes: readonly TestOutcome[]): string {
  const n = (s: TestStatus): number => outcomes.filter((o) => o.status === s).length;
  return `${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`;
}

/** One report line: `PASS name`, `FAIL name (reason)`, `SKIP name (reason)`. */
export function formatOutcome(o: TestOutcome): string {
  return `${o.status.toUpperCase()} ${o.name}${o.reason !== undefined ? ` (${o.reason})` : ''}`;
}
