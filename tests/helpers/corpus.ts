/**
 * The Debian module corpora for tests that spawn the CLI on them: fetched once into `.cache/corpus` (under
 * the cache's lock, so test files running in parallel never see half a corpus), never skipped — `npm test`
 * installs what the fetch needs (apt, dpkg-deb) and runs as root.
 */
import { ensureCorpus } from '../../src/cli/corpus.js';

/** A generous timeout for a first fetch (apt-get download + unpack). */
export const CORPUS_FETCH_TIMEOUT = 900_000;

export async function fetchCorpus(series: '6.1' | '6.12'): Promise<void> {
  await ensureCorpus(series, { progress: false, log: () => {} });
}
