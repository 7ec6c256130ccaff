/**
 * The CLI as a user runs it, for the spawned CLI tests: `tramp64 ARGS…` in a child process from the
 * source tree (tests/cli/run.ts through tsx, so no build step), in the repository root so relative fixture
 * paths work, with stdout and stderr as text and the exit status.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (the CLI's working directory in these tests). */
export const ROOT = join(import.meta.dirname, '..', '..');

/** Run `tramp64 ...args`, with `input` (if given) on stdin. */
export function tramp64(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync('npx', ['tsx', join(ROOT, 'tests/cli/run.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    ...(input !== undefined ? { input } : {}),
  });
}

/** `tramp64 ...prefix ...args` as a function of the rest (`const attach = tramp64Command('attach')`). */
export function tramp64Command(...prefix: string[]): (...args: string[]) => SpawnSyncReturns<string> {
  return (...args) => tramp64([...prefix, ...args]);
}
