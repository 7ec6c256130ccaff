/**
 * Option parsing and help text the tramp64 commands share, so that an option means, parses and fails the
 * same way in every command that has it (tramp64 issue 11: "the rest of the CLI, consistent and
 * documented").
 *
 * One error shape for a bad value, whichever command: `--NAME must be RULE, got 'VALUE'` — a Tramp64Error
 * with code EINVAL, which main.ts prints as `tramp64: MESSAGE` and turns into exit code 2. RULE names the
 * accepted values, so the message says what to type instead.
 *
 * Defaults are stated in the option's description as "(default X)" rather than through commander's
 * default value, so a command can tell "not given" from "given as the default" (test-run prints that it
 * chose the layout) and the help reads the same everywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Tramp64Error } from '../util/errors.js';

/** A typed bad-input error (exit code 2). */
export const usage = (msg: string): Tramp64Error => new Tramp64Error('EINVAL', msg);

/** The one shape of a bad option value: `--NAME must be RULE, got 'VALUE'`. */
export const badValue = (flag: string, rule: string, got: string): Tramp64Error =>
  usage(`${flag} must be ${rule}, got '${got}'`);

/** "a or b" for two choices, "one of a, b, c" for more. */
export function choiceRule(choices: readonly string[]): string {
  return choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
}

/** A value from a fixed list. */
export function parseChoice<T extends string>(flag: string, v: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(v)) throw badValue(flag, choiceRule(choices), v);
  return v as T;
}

export const LAYOUTS = ['kaslr', 'nokaslr'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** `--layout kaslr|nokaslr`, `dflt` when not given. */
export function parseLayout(v: string | undefined, dflt: LayoutName): LayoutName {
  return v === undefined ? dflt : parseChoice('--layout', v, LAYOUTS);
}

/**
 * `--seed N`: an integer from 0 to 2^32 − 1. src/util/rng.ts keeps only the low 32 bits of a seed, so a
 * larger one would silently alias a smaller one; compare and bench take the same range.
 */
export function parseSeed(v: string | undefined, dflt = 1): number {
  return v === undefined ? dflt : parseCount('--seed', v, 0, 0xffff_ffff);
}

/** An integer option in [min, max] (`max` undefined: no upper bound), e.g. --cpus, --max-instructions. */
export function parseCount(flag: string, v: string, min: number, max?: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max))
    throw badValue(
      flag,
      max !== undefined
        ? `an integer from ${min} to ${max}`
        : min === 1
          ? 'a positive integer'
          : `an integer of at least ${min}`,
      v,
    );
  return n;
}

/**
 * A 64-bit integer value (decimal or 0x hex, negative as two's complement), as a register holds it:
 * anything outside [−2^63, 2^64) is refused rather than silently wrapped.
 */
export function parseInt64(flag: string, v: string): bigint {
  const rule = 'a 64-bit integer (decimal or 0x hex)';
  if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) throw badValue(flag, rule, v);
  const neg = v.startsWith('-');
  const mag = BigInt(neg ? v.slice(1) : v);
  if (neg ? mag > 1n << 63n : mag >= 1n << 64n) throw badValue(flag, rule, v);
  return neg ? -mag : mag;
}

/** `--bti on|off`, `--pac on|off`. */
export function parseOnOff(flag: string, v: string | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : parseChoice(flag, v, ['on', 'off'] as const) === 'on';
}

/** A file's bytes, or a typed error naming what the file was meant to be. */
export function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new Tramp64Error('ENOENT', `cannot read ${what} '${path}': ${(e as Error).message}`);
  }
}

/** The package root (the folder holding fixtures/), from src/cli or dist/src/cli. */
export function packageRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'fixtures', 'kernel'))) return d;
    d = dirname(d);
  }
  return process.cwd();
}

/** `--layout <kind>` with its default and, optionally, why that default. */
export function layoutOption(cmd: Command, dflt: LayoutName, why?: string): Command {
  return cmd.option(
    '--layout <kind>',
    `address-space layout: kaslr or nokaslr (default ${dflt}${why !== undefined ? `: ${why}` : ''})`,
  );
}

/** `--seed <n>`, saying what the seed decides. */
export function seedOption(cmd: Command, decides: string): Command {
  return cmd.option('--seed <n>', `seed of ${decides} (default 1)`);
}

/**
 * The `Examples:` section every command's --help ends with (tests/cli/help.test.ts checks it), then
 * optional notes such as the exit codes.
 */
export function examples(cmd: Command, lines: readonly string[], notes?: string): Command {
  return cmd.addHelpText(
    'after',
    `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n${notes !== undefined ? `\n${notes}\n` : ''}`,
  );
}

/**
 * A comma-separated list option (`--strategies patchsite,ops`), each item one of `known`, at least one
 * item; the message lists the accepted values and names the first unknown one.
 */
export function parseList<T extends string>(flag: string, text: string, known: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const rule = `a comma-separated list of ${known.join(', ')}`;
  if (items.length === 0) throw badValue(flag, rule, text);
  const unknown = items.find((i) => !(known as readonly string[]).includes(i));
  if (unknown !== undefined) throw badValue(flag, `${rule} (unknown: ${unknown})`, text);
  return items as T[];
}

/** A list option's help: what the items are, and that all of them is the default. */
export function listOption(cmd: Command, flag: string, what: string, known: readonly string[]): Command {
  return cmd.option(`${flag} <list>`, `comma-separated ${what} (default all: ${known.join(', ')})`);
}

/** `--cpus <n>` of at most `max` CPUs, saying what they are for. */
export function cpusOption(cmd: Command, max: number, what: string): Command {
  return cmd.option('--cpus <n>', `${what} (1 to ${max}, default 1)`);
}

/** `--cpus N` in [1, max], 1 when not given. */
export function parseCpus(v: string | undefined, max: number): number {
  return v === undefined ? 1 : parseCount('--cpus', v, 1, max);
}

/**
 * `--frame regs|args`: the frame ftrace_caller saves — pt_regs as in the seed era, ftrace_regs from v6.2.
 * Undefined when not given (the strategy picks).
 */
export function parseFrame(v: string | undefined): 'regs' | 'args' | undefined {
  if (v === undefined || v === 'regs' || v === 'args') return v;
  throw badValue('--frame', 'regs (pt_regs, the seed era) or args (ftrace_regs, v6.2+)', v);
}
