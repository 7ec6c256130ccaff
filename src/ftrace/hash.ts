/**
 * Filter and notrace hashes (`struct ftrace_hash` of record ips) and the set_ftrace_filter language
 * (facts: shared/facts/ftrace-arm64.md §6): whitespace-separated tokens, each
 *
 *   glob              add the functions whose name matches (`foo`, `foo*`, `*foo`, `*foo*`, or a glob with
 *                     `?` and `[...]` classes, `[a-z]` ranges and `[!...]` negation)
 *   !glob             remove them
 *   glob:mod:NAME     restrict to module NAME (`vmlinux` = the image); `mod:NAME` alone = `*:mod:NAME`
 *   N                 the N-th line (1-based) of available_filter_functions
 *
 * A token matching no function is EINVAL and the whole write changes nothing (the kernel returns -EINVAL
 * for a regex that matched no record). Records still DISABLED (a module being loaded) never match.
 * Model choice: an unterminated `[` or an empty class `[]` is rejected as EINVAL rather than read literally.
 */
import { KernelError } from '../util/errors.js';
import { FL, type DynFtrace } from './records.js';

export class FtraceHash {
  private readonly ips: Set<bigint>;

  constructor(ips: Iterable<bigint> = []) {
    this.ips = new Set(ips);
  }

  get size(): number {
    return this.ips.size;
  }

  get empty(): boolean {
    return this.ips.size === 0;
  }

  has(ip: bigint): boolean {
    return this.ips.has(ip);
  }

  add(ip: bigint): void {
    this.ips.add(ip);
  }

  remove(ip: bigint): void {
    this.ips.delete(ip);
  }

  clear(): void {
    this.ips.clear();
  }

  copy(): FtraceHash {
    return new FtraceHash(this.ips);
  }

  values(): bigint[] {
    return [...this.ips].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** How filter_parse_regex classifies a pattern. */
export type MatchType = 'full' | 'front' | 'end' | 'middle' | 'glob';

export interface ParsedGlob {
  readonly type: MatchType;
  /** The text compared: the pattern without the `*` that chose front/end/middle. */
  readonly search: string;
  readonly pattern: string;
}

function globError(pattern: string, why: string): KernelError {
  return new KernelError('EINVAL', `set_ftrace_filter: bad glob '${pattern}': ${why}`);
}

/** Classify a pattern; checks `[...]` classes are closed and non-empty. */
export function parseGlob(pattern: string): ParsedGlob {
  if (pattern.length === 0) throw globError(pattern, 'empty pattern');
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '[') continue;
    let j = i + 1;
    if (pattern[j] === '!') j++;
    if (pattern[j] === ']') throw globError(pattern, `empty character class at offset ${i}`);
    const close = pattern.indexOf(']', j);
    if (close < 0) throw globError(pattern, `unterminated '[' at offset ${i}`);
    i = close;
  }
  const special = /[?[\\]/.test(pattern);
  const inner = pattern.replace(/^\*/, '').replace(/\*$/, '');
  if (special || inner.includes('*')) return { type: 'glob', search: pattern, pattern };
  const lead = pattern.startsWith('*');
  const trail = pattern.length > 1 && pattern.endsWith('*');
  if (pattern === '*') return { type: 'front', search: '', pattern };
  const type: MatchType = lead && trail ? 'middle' : lead ? 'end' : trail ? 'front' : 'full';
  return { type, search: inner, pattern };
}

/** Glob match with `*`, `?`, `[...]` (ranges, `!` negation), `\` escaping the next character. */
export function globMatch(pattern: string, str: string): boolean {
  let p = 0;
  let s = 0;
  let backP = -1;
  let backS = -1;
  while (s < str.length || p < pattern.length) {
    if (p < pattern.length) {
      const c = pattern[p]!;
      if (c === '*') {
        backP = ++p;
        backS = s;
        continue;
      }
      if (s < str.length) {
        const ch = str[s]!;
        if (c === '?') {
          p++;
          s++;
          continue;
        }
        if (c === '[') {
          let j = p + 1;
          const neg = pattern[j] === '!';
          if (neg) j++;
          let hit = false;
          let first = true;
          while (j < pattern.length && (first || pattern[j] !== ']')) {
            first = false;
            const a = pattern[j]!;
            if (pattern[j + 1] === '-' && j + 2 < pattern.length && pattern[j + 2] !== ']') {
              const b = pattern[j + 2]!;
              if (ch >= a && ch <= b) hit = true;
              j += 3;
            } else {
              if (ch === a) hit = true;
              j++;
            }
          }
          if (hit !== neg) {
            p = j + 1;
            s++;
            continue;
          }
        } else {
          const lit = c === '\\' && p + 1 < pattern.length ? pattern[p + 1]! : c;
          if (lit === ch) {
            p += c === '\\' && p + 1 < pattern.length ? 2 : 1;
            s++;
            continue;
          }
        }
      }
    }
    if (backP < 0 || backS >= str.length) return false;
    p = backP;
    s = ++backS;
  }
  return true;
}

export function matchParsed(g: ParsedGlob, name: string): boolean {
  switch (g.type) {
    case 'full':
      return name === g.search;
    case 'front':
      return name.startsWith(g.search);
    case 'end':
      return name.endsWith(g.search);
    case 'middle':
      return name.includes(g.search);
    case 'glob':
      return globMatch(g.pattern, name);
  }
}

/** The records a set_ftrace_filter token could name: not DISABLED, in the order of available_filter_functions. */
export function filterableRecords(records: readonly DynFtrace[]): DynFtrace[] {
  return records.filter((r) => (r.flags & FL.DISABLED) === 0);
}

interface Token {
  readonly remove: boolean;
  readonly raw: string;
  readonly match: (rec: DynFtrace, index: number) => boolean;
}

function parseToken(tok: string, file: string): Token {
  const remove = tok.startsWith('!');
  const body = remove ? tok.slice(1) : tok;
  if (body.length === 0) throw new KernelError('EINVAL', `${file}: '!' with no function after it`);
  if (/^[0-9]+$/.test(body)) {
    const n = Number(body);
    return { remove, raw: tok, match: (_r, i) => i + 1 === n };
  }
  const parts = body.split(':');
  let funcPart = body;
  let mod: string | undefined;
  if (parts.length > 1) {
    const at =
      parts[0] === 'mod' && parts.length === 2 ? 0 : parts[1] === 'mod' && parts.length === 3 ? 1 : -1;
    if (at < 0)
      throw new KernelError(
        'EINVAL',
        `${file}: unknown command in '${tok}' (the model supports <glob>, <glob>:mod:<module> and mod:<module>)`,
      );
    funcPart = at === 0 ? '*' : parts[0]!;
    mod = parts[at + 1]!;
    if (mod.length === 0) throw new KernelError('EINVAL', `${file}: empty module name in '${tok}'`);
    if (funcPart.length === 0) funcPart = '*';
  }
  const g = parseGlob(funcPart);
  const modG = mod === undefined ? undefined : parseGlob(mod);
  return {
    remove,
    raw: tok,
    match: (r) => matchParsed(g, r.name) && (modG === undefined || matchParsed(modG, r.module ?? 'vmlinux')),
  };
}

/**
 * Apply a write to set_ftrace_filter / set_ftrace_notrace to `hash`: returns the new hash (the input is
 * not modified). `reset` is `>` (start from empty), otherwise `>>` (append). Throws KernelError EINVAL,
 * naming the token, if any token is malformed or matches no function.
 */
export function applyFilterText(
  hash: FtraceHash,
  text: string,
  records: readonly DynFtrace[],
  opts: { reset: boolean; file?: string },
): FtraceHash {
  const file = opts.file ?? 'set_ftrace_filter';
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  const parsed = tokens.map((t) => parseToken(t, file));
  const out = opts.reset ? new FtraceHash() : hash.copy();
  const recs = filterableRecords(records);
  for (const t of parsed) {
    let hits = 0;
    recs.forEach((r, i) => {
      if (!t.match(r, i)) return;
      hits++;
      if (t.remove) out.remove(r.ip);
      else out.add(r.ip);
    });
    if (hits === 0)
      throw new KernelError(
        'EINVAL',
        `${file}: '${t.raw}' matches no traceable function (see available_filter_functions)`,
      );
  }
  return out;
}
