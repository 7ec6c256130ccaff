/**
 * The real-module corpus: Debian's arm64 cloud kernel modules, fetched with the ordinary Debian tools and
 * cached under `.cache/corpus/` at the repository root.
 *
 *   series 6.1   newest linux-image-6.1.0-N-cloud-arm64-unsigned        (seed era, plain .ko,
 *                                                                         -fpatchable-function-entry=2)
 *   series 6.12  newest linux-image-6.12.N+deb12-cloud-arm64-unsigned   (.ko.xz, CALL_OPS =4,2 sites)
 *
 * Layout of the cache:
 *
 *   .cache/corpus/<series>/<package version>/corpus.json   what was fetched (written last: its presence
 *                                                           means the tree is complete)
 *   .cache/corpus/<series>/<package version>/kernel/…      lib/modules/<release>/kernel/** of the package,
 *                                                           only the .ko / .ko.xz files
 *
 * A cached series is used as it is (no apt calls) unless `refresh` asks to look for a newer package. Fetching
 * runs `dpkg --add-architecture arm64`, `apt-get update`, `apt-cache search`/`madison`, `apt-get download`
 * and `dpkg-deb -x`, and needs root as those do. Work happens in a private folder that is renamed into place,
 * under a lock file, so concurrent test workers never see half a corpus.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xz } from '@napi-rs/lzma';
import { SingleBar, Presets } from 'cli-progress';
import { Tramp64Error } from '../util/errors.js';

export type Series = '6.1' | '6.12';
export const SERIES: readonly Series[] = ['6.1', '6.12'];

/** Package-name patterns (apt-cache search regular expressions) of each series. */
const PACKAGE_PATTERN: Record<Series, RegExp> = {
  '6.1': /^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$/,
  '6.12': /^linux-image-6\.12\.[0-9]+\+deb12-cloud-arm64-unsigned$/,
};

export interface CorpusOptions {
  /** Cache root; default `<repo>/.cache/corpus`. */
  cacheDir?: string;
  /** Ask apt for a newer package even when a version is cached. */
  refresh?: boolean;
  /** Where progress lines go; default stderr. */
  log?: (line: string) => void;
  /** Show a progress bar; default: when stdout is a TTY. */
  progress?: boolean;
}

export interface Corpus {
  series: Series;
  /** Debian package name, e.g. linux-image-6.1.0-56-cloud-arm64-unsigned. */
  package: string;
  /** Exact Debian package version, e.g. 6.1.192-2. */
  version: string;
  /** The kernel release (`uname -r`), e.g. 6.1.0-56-cloud-arm64. */
  kernelRelease: string;
  /** The folder holding `kernel/…`. */
  dir: string;
  /** Absolute paths of every module, sorted. */
  modules: string[];
  /** True when the module tree was already in the cache (nothing was downloaded by this call). */
  cached: boolean;
}

/** What corpus.json holds (paths relative to the version folder). */
interface Manifest {
  series: Series;
  package: string;
  version: string;
  kernelRelease: string;
  fetchedFrom: string;
  modules: string[];
}

/** Fetching or reading the corpus failed; the message says what to do. */
export class CorpusError extends Tramp64Error {
  constructor(message: string) {
    super('CORPUS', message);
  }
}

/** The repository root: the nearest folder above this file with tramp64's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"tramp64"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new CorpusError(
        'cannot find the tramp64 repository root above ' + fileURLToPath(import.meta.url),
      );
    dir = up;
  }
}

export function defaultCacheDir(): string {
  return join(repoRoot(), '.cache', 'corpus');
}

/**
 * The corpus of `series`, fetched into the cache if it is not there yet. Idempotent: once cached, a call
 * reads corpus.json and runs nothing else (unless `opts.refresh`).
 */
export async function ensureCorpus(series: Series, opts: CorpusOptions = {}): Promise<Corpus> {
  if (!SERIES.includes(series))
    throw new CorpusError(`unknown series '${series}'; use one of ${SERIES.join(', ')}`);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  if (!opts.refresh) {
    const hit = newestCached(cacheDir, series);
    if (hit) return hit;
  }
  mkdirSync(cacheDir, { recursive: true });
  const unlock = await lock(join(cacheDir, '.lock'), log);
  try {
    // Another process may have fetched it while we waited for the lock.
    if (!opts.refresh) {
      const hit = newestCached(cacheDir, series);
      if (hit) return hit;
    }
    return fetchSeries(series, cacheDir, log, opts.progress ?? process.stdout.isTTY === true);
  } finally {
    unlock();
  }
}

/** A module's bytes, decompressed if it is a `.ko.xz`. */
export function readModule(path: string): Uint8Array {
  const raw = readFileSync(path);
  if (!path.endsWith('.xz')) return raw;
  try {
    return xz.decompressSync(raw);
  } catch (err) {
    throw new CorpusError(
      `${path}: xz decompression failed (${(err as Error).message}); delete the cache folder and fetch again`,
    );
  }
}

/** A module's name as the kernel prints it: file name without `.ko` / `.ko.xz`. */
export function moduleName(path: string): string {
  const base = path.slice(path.lastIndexOf(sep) + 1);
  return base.replace(/\.ko(\.xz)?$/, '');
}

// ---- cache ---------------------------------------------------------------------------------------------

function newestCached(cacheDir: string, series: Series): Corpus | undefined {
  const root = join(cacheDir, series);
  if (!existsSync(root)) return undefined;
  const found: Corpus[] = [];
  for (const v of readdirSync(root)) {
    if (v.startsWith('.')) continue;
    const c = loadManifest(join(root, v));
    if (c) found.push(c);
  }
  found.sort((a, b) => compareNumeric(a.package, b.package) || compareNumeric(a.version, b.version));
  return found.at(-1);
}

function loadManifest(dir: string): Corpus | undefined {
  const file = join(dir, 'corpus.json');
  if (!existsSync(file)) return undefined;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new CorpusError(
      `${file} is not valid JSON (${(err as Error).message}); delete ${dir} and fetch again`,
    );
  }
  return {
    series: m.series,
    package: m.package,
    version: m.version,
    kernelRelease: m.kernelRelease,
    dir,
    modules: m.modules.map((p) => join(dir, p)),
    cached: true,
  };
}

/** Compare strings with digit runs as numbers (6.1.0-9 < 6.1.0-56). */
function compareNumeric(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

// ---- fetching ------------------------------------------------------------------------------------------

function fetchSeries(
  series: Series,
  cacheDir: string,
  log: (line: string) => void,
  showBar: boolean,
): Corpus {
  const steps = ['apt-get update', 'choose package', 'apt-get download', 'dpkg-deb -x', 'collect modules'];
  const bar = showBar
    ? new SingleBar(
        { format: `corpus ${series} [{bar}] {value}/{total} {step}`, hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(steps.length, 0, { step: steps[0] });
  const step = (i: number): void => bar?.update(i, { step: steps[i] ?? 'done' });
  const work = join(cacheDir, `.work-${series}-${process.pid}`);
  try {
    ensureArm64(log);
    log(`corpus ${series}: apt-get update`);
    run('apt-get', ['update', '-qq'], 'update the package lists');
    step(1);

    const pkg = newestPackage(series);
    const version = candidateVersion(pkg);
    log(`corpus ${series}: newest package ${pkg} ${version}`);
    const existing = loadManifest(join(cacheDir, series, version));
    if (existing) {
      bar?.stop();
      log(`corpus ${series}: ${pkg} ${version} is already cached`);
      return existing;
    }
    step(2);

    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    run('apt-get', ['download', `${pkg}:arm64=${version}`], `download ${pkg}`, work);
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new CorpusError(`apt-get download ${pkg}:arm64=${version} left no .deb in ${work}`);
    step(3);

    const root = join(work, 'root');
    run('dpkg-deb', ['-x', join(work, deb), root], `extract ${deb}`);
    step(4);

    const { kernelRelease, kernelDir } = findModuleTree(root, pkg);
    const out = join(work, 'out');
    const modules: string[] = [];
    for (const file of walk(kernelDir)) {
      if (!/\.ko(\.xz)?$/.test(file)) continue;
      const rel = join('kernel', relative(kernelDir, file));
      mkdirSync(dirname(join(out, rel)), { recursive: true });
      renameSync(file, join(out, rel));
      modules.push(rel);
    }
    if (modules.length === 0)
      throw new CorpusError(`${deb} has no .ko or .ko.xz under ${relative(root, kernelDir)}`);
    modules.sort();
    const manifest: Manifest = { series, package: pkg, version, kernelRelease, fetchedFrom: deb, modules };
    writeFileSync(join(out, 'corpus.json'), JSON.stringify(manifest, null, 1) + '\n');
    const dest = join(cacheDir, series, version);
    mkdirSync(dirname(dest), { recursive: true });
    rmSync(dest, { recursive: true, force: true });
    renameSync(out, dest);
    step(5);
    bar?.stop();
    log(`corpus ${series}: ${pkg} ${version} (${kernelRelease}): ${modules.length} modules in ${dest}`);
    return { ...loadManifest(dest)!, cached: false };
  } finally {
    bar?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function ensureArm64(log: (line: string) => void): void {
  const foreign = run('dpkg', ['--print-foreign-architectures'], 'list dpkg architectures').split('\n');
  if (foreign.includes('arm64')) return;
  log('corpus: dpkg --add-architecture arm64');
  run('dpkg', ['--add-architecture', 'arm64'], 'add the arm64 architecture');
}

function newestPackage(series: Series): string {
  const pattern = PACKAGE_PATTERN[series];
  const out = run('apt-cache', ['search', '--names-only', pattern.source], 'search the package lists');
  const names = out
    .split('\n')
    .map((l) => l.split(' - ')[0]!.trim())
    .filter((n) => pattern.test(n))
    .sort(compareNumeric);
  const newest = names.at(-1);
  if (!newest) {
    throw new CorpusError(
      `no package matches ${pattern.source} for arm64; check that the Debian bookworm (and bookworm-security) sources are configured`,
    );
  }
  return newest;
}

function candidateVersion(pkg: string): string {
  // madison lists the versions apt can download, newest first: "pkg | version | source".
  const out = run('apt-cache', ['madison', `${pkg}:arm64`], `look up versions of ${pkg}`);
  const first = out.split('\n').find((l) => l.includes('|'));
  const version = first?.split('|')[1]?.trim();
  if (!version) throw new CorpusError(`apt-cache madison ${pkg}:arm64 printed no version`);
  return version;
}

function findModuleTree(root: string, pkg: string): { kernelRelease: string; kernelDir: string } {
  for (const base of [join(root, 'lib', 'modules'), join(root, 'usr', 'lib', 'modules')]) {
    if (!existsSync(base)) continue;
    for (const rel of readdirSync(base)) {
      const kernelDir = join(base, rel, 'kernel');
      if (existsSync(kernelDir)) return { kernelRelease: rel, kernelDir };
    }
  }
  throw new CorpusError(`${pkg} has no lib/modules/<release>/kernel folder`);
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Run a command, retrying while another apt/dpkg holds its lock; stdout on success. */
function run(cmd: string, args: string[], what: string, cwd?: string): string {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.error) {
      throw new CorpusError(
        `cannot ${what}: ${cmd} failed to start (${r.error.message}); install it (Debian: apt-get install apt dpkg)`,
      );
    }
    if (r.status === 0) return r.stdout;
    const err = `${r.stderr}${r.stdout}`.trim();
    if (/Could not get lock|Unable to lock|is another process using it/i.test(err) && attempt < 300) {
      sleepSync(1000);
      continue;
    }
    const hint = /Permission denied|are you root/i.test(err) ? ' (run as root, e.g. with sudo)' : '';
    throw new CorpusError(`cannot ${what}: ${cmd} ${args.join(' ')} exited with ${r.status}${hint}:\n${err}`);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** An exclusive lock file holding our pid; a lock whose process has died is taken over. */
async function lock(path: string, log: (line: string) => void): Promise<() => void> {
  const deadline = Date.now() + 30 * 60_000;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSafe(path));
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      // Stale (or being written this instant: a fresh file is given a moment before it counts as stale).
      if (ageMs(path) > 2000) rmSync(path, { force: true });
    } else if (!told) {
      log(`corpus: waiting for process ${holder}, which is fetching into the same cache`);
      told = true;
    }
    if (Date.now() > deadline)
      throw new CorpusError(
        `timed out waiting for the corpus lock ${path}; remove it if no fetch is running`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
