/**
 * What the long-running reporting commands (compare, bench) share besides option parsing: the progress
 * bar they draw while emulating, the command line they echo into their output so a reader can rerun it,
 * and the test-kernel fixtures they read once per run.
 *
 * The bar goes to stderr and only when stderr is a terminal, so `tramp64 compare > out.txt` or a pipe
 * gets the report alone and the output stays a function of the options (tests/cli/compare.test.ts checks
 * that stderr is empty when it is not a TTY).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { testKernelFixture, type TestKernelVariant } from '../kernel/testkernel.js';
import { repoRoot } from './corpus.js';

/** A progress sink: `update(done, total, what)` as often as wanted, `stop()` once at the end. */
export interface Progress {
  update: (done: number, total: number, what: string) => void;
  stop: () => void;
}

/** A progress bar labelled `label` on stderr when it is a terminal; otherwise a sink that draws nothing. */
export function progressBar(label: string): Progress {
  if (process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {what}`,
      hideCursor: true,
      stream: process.stderr,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  // The total is known only at the first report (the runner counts its rows), so the bar starts there.
  let started = false;
  return {
    update(done, total, what) {
      if (!started) {
        bar.start(total, 0, { what });
        started = true;
      }
      bar.update(done, { what });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * Run `work` with a progress bar, stopping the bar whether `work` returns or throws (a half-drawn bar
 * must not be left over the error message main.ts prints).
 */
export function withProgress<T>(label: string, work: (p: Progress) => T): T {
  const bar = progressBar(label);
  try {
    return work(bar);
  } finally {
    bar.stop();
  }
}

/**
 * The command line as the user typed it, from the command name on: `tramp64 NAME ARGS…`. Echoed in the
 * output so the same options (and seed) can be given again for byte-identical output.
 */
export function typedCommandLine(name: string, argv: readonly string[] = process.argv): string {
  const i = argv.indexOf(name);
  return ['tramp64', name, ...(i >= 0 ? argv.slice(i + 1) : [])].join(' ');
}

/** Test-kernel fixture bytes by variant, each file read at most once per loader. */
export function fixtureLoader(): (v: TestKernelVariant) => Uint8Array {
  const root = repoRoot();
  const cache = new Map<TestKernelVariant, Uint8Array>();
  return (v) => {
    let b = cache.get(v);
    if (b === undefined) {
      b = new Uint8Array(readFileSync(join(root, testKernelFixture(v))));
      cache.set(v, b);
    }
    return b;
  };
}
