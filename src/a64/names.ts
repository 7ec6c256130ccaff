/** Names the printer and the assembler share: condition codes, shifts, extends, barrier options. */

/** Condition codes by their 4-bit encoding (Arm ARM C1.2.4). `al` and `nv` both mean "always". */
export const COND_NAMES = [
  'eq',
  'ne',
  'hs',
  'lo',
  'mi',
  'pl',
  'vs',
  'vc',
  'hi',
  'ls',
  'ge',
  'lt',
  'gt',
  'le',
  'al',
  'nv',
];

/** Accepted spellings on input: `cs`/`cc` are synonyms of `hs`/`lo`. */
export const COND_INPUT: Readonly<Record<string, number>> = {
  ...Object.fromEntries(COND_NAMES.map((n, i) => [n, i])),
  cs: 2,
  cc: 3,
};

export const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

export const EXTEND_NAMES = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];
