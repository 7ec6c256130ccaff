/**
 * Operand shapes of the branch, exception-generating and system class (table/branch-sys.ts): exception
 * numbers, hint numbers, barrier options, PSTATE field names, `cN` registers, SYS operation names, system
 * registers, and TBZ's register + bit number. Like the shared shapes in core.ts, each prints and parses the
 * same text, so the printer and the assembler cannot disagree.
 */
import type { Cursor, Fields, Operand } from '../types.js';
import { gprName, parseGpr, parseImmField, setField } from './core.js';
import { mismatch, peek, tryLit, word } from './lex.js';
import {
  parseSysreg,
  sysOpAt,
  sysOpByName,
  sysregSpelling,
  type SysAccess,
  type SysOpKind,
} from '../table/sysreg.js';

/** `#0x12` in hex as LLVM prints exception numbers (SVC, HVC, BRK …), but zero as `#0`. */
export function excImm(field: string): Operand {
  return {
    fields: [field],
    print: (f) => (f[field] === 0 ? '#0' : `#0x${f[field]!.toString(16)}`),
    parse(c, f) {
      const at = c.pos;
      setField(f, field, parseImmField(c, { bits: 16 }), c, at, 'one value');
    },
  };
}

/**
 * An immediate left out when it has its default: `clrex` (CRm = 15), `isb` (CRm = 15), `dcps1` (imm16 = 0).
 * `hex` prints it as excImm does.
 */
export function immOptional(
  field: string,
  bits: number,
  dflt: number,
  opts: { hex?: boolean } = {},
): Operand {
  return {
    fields: [field],
    print(f) {
      const v = f[field]!;
      if (v === dflt) return undefined;
      return opts.hex && v !== 0 ? `#0x${v.toString(16)}` : `#${v}`;
    },
    parse(c, f) {
      const at = c.pos;
      setField(f, field, parseImmField(c, { bits }), c, at, 'one value');
    },
    absent(f) {
      if (f[field] === undefined) f[field] = dflt;
    },
  };
}

/** One decimal immediate made of several fields, high part first: HINT's `#CRm:op2`. */
export function joinedImm(...parts: readonly (readonly [name: string, bits: number])[]): Operand {
  const bits = parts.reduce((n, [, w]) => n + w, 0);
  return {
    fields: parts.map(([n]) => n),
    print(f) {
      let v = 0;
      for (const [name, w] of parts) v = v * 2 ** w + f[name]!;
      return `#${v}`;
    },
    parse(c, f) {
      const at = c.pos;
      let v = parseImmField(c, { bits });
      for (let i = parts.length - 1; i >= 0; i--) {
        const [name, w] = parts[i]!;
        setField(f, name, v % 2 ** w, c, at, 'one value');
        v = Math.floor(v / 2 ** w);
      }
    },
  };
}

/** A fixed word with no fields behind it: the `csync` of `tsb csync`, the `rctx` of `cfp rctx`. */
export function literal(text: string): Operand {
  return {
    fields: [],
    print: () => text,
    parse(c) {
      const at = c.pos;
      if (word(c, `'${text}'`) !== text) mismatch(c, `'${text}'`, at);
    },
  };
}

/** BTI's targets in op2 (`bti`, `bti c`, `bti j`, `bti jc` for op2 = 0, 2, 4, 6); absent means none. */
export function btiTargets(field: string): Operand {
  const names = ['', 'c', 'j', 'jc'];
  return {
    fields: [field],
    print: (f) => names[f[field]! >> 1] || undefined,
    parse(c, f) {
      const at = c.pos;
      const i = names.indexOf(word(c, 'c, j or jc'));
      if (i <= 0) mismatch(c, 'c, j or jc', at);
      setField(f, field, i << 1, c, at, 'one target');
    },
    absent(f) {
      if (f[field] === undefined) f[field] = 0;
    },
  };
}

/** DSB/DMB option names by CRm (Arm ARM C6.2 DMB); other values print as `#imm`. */
// prettier-ignore
const BARRIER_OPTIONS: readonly (string | undefined)[] = [
  undefined, 'oshld', 'oshst', 'osh', undefined, 'nshld', 'nshst', 'nsh',
  undefined, 'ishld', 'ishst', 'ish', undefined, 'ld', 'st', 'sy',
];

/** A DSB/DMB barrier option: a name (`ish`, `sy` …) or `#imm` where the value has none. */
export function barrierOption(field: string): Operand {
  return {
    fields: [field],
    print: (f) => BARRIER_OPTIONS[f[field]!] ?? `#${f[field]}`,
    parse(c, f) {
      const at = c.pos;
      let v: number;
      if (peek(c) === '#' || /[0-9]/.test(peek(c))) v = parseImmField(c, { bits: 4 }, 'a barrier option');
      else {
        v = BARRIER_OPTIONS.indexOf(word(c, 'a barrier option (sy, ish, ishst …)'));
        if (v < 0) mismatch(c, 'a barrier option (sy, ish, ishst …)', at);
      }
      setField(f, field, v, c, at, 'one option');
    },
  };
}

/** ISB's option: `isb` for CRm = 15 (`sy`, the only named one), else `isb #imm`. */
export function isbOption(field: string): Operand {
  const base = immOptional(field, 4, 15);
  return {
    ...base,
    parse(c, f) {
      const at = c.pos;
      if (tryLit(c, 'sy')) setField(f, field, 15, c, at, 'one option');
      else base.parse(c, f, {});
    },
  };
}

/** PSTATE fields MSR (immediate) writes, by op1:op2, with the width of their CRm immediate (Arm ARM C6.2 MSR (immediate)). */
const PSTATE_FIELDS: readonly {
  readonly name: string;
  readonly op1: number;
  readonly op2: number;
  readonly bits: 1 | 4;
}[] = [
  { name: 'UAO', op1: 0, op2: 3, bits: 1 },
  { name: 'PAN', op1: 0, op2: 4, bits: 1 },
  { name: 'SPSel', op1: 0, op2: 5, bits: 4 },
  { name: 'SSBS', op1: 3, op2: 1, bits: 1 },
  { name: 'DIT', op1: 3, op2: 2, bits: 4 },
  { name: 'DAIFSet', op1: 3, op2: 6, bits: 4 },
  { name: 'DAIFClr', op1: 3, op2: 7, bits: 4 },
];

function pstateAt(f: Fields): (typeof PSTATE_FIELDS)[number] | undefined {
  return PSTATE_FIELDS.find((p) => p.op1 === f.op1 && p.op2 === f.op2);
}

/**
 * MSR (immediate) encodings LLVM does not print as such: unknown op1:op2, or CRm > 1 for a one-bit field
 * (PAN, UAO, SSBS). They fall through to the generic MSR row.
 */
export function pstateInvalid(f: Fields): boolean {
  const p = pstateAt(f);
  return p === undefined || (p.bits === 1 && f.CRm! > 1);
}

/** The PSTATE field name of MSR (immediate), over op1 and op2 (`DAIFSet`, `PAN` …). */
export function pstateField(): Operand {
  return {
    fields: ['op1', 'op2'],
    print: (f) => pstateAt(f)?.name ?? `#${f.op1}:${f.op2}`,
    parse(c, f) {
      const at = c.pos;
      const w = word(c, 'a PSTATE field (daifset, pan …)');
      const p = PSTATE_FIELDS.find((q) => q.name.toLowerCase() === w);
      if (!p) mismatch(c, 'a PSTATE field (daifset, pan …)', at);
      setField(f, 'op1', p.op1, c, at, 'one field');
      setField(f, 'op2', p.op2, c, at, 'one field');
    },
  };
}

/** A `cN` operand of SYS/SYSL (CRn, CRm), N in 0-15. */
export function crReg(field: string): Operand {
  return {
    fields: [field],
    print: (f) => `c${f[field]}`,
    parse(c, f) {
      const at = c.pos;
      const m = /^c([0-9]|1[0-5])$/.exec(word(c, 'cN with 0 <= N <= 15'));
      if (!m) mismatch(c, 'cN with 0 <= N <= 15', at);
      setField(f, field, Number(m[1]), c, at, 'one value');
    },
  };
}

const SYS_FIELDS = ['op1', 'CRn', 'CRm', 'op2'] as const;

/** Whether SYS's op1:CRn:CRm:op2 name an operation of this kind (and register use, when given). */
export function isSysOp(f: Fields, kind: SysOpKind, takesRegister?: boolean): boolean {
  const op = sysOpAt(f.op1!, f.CRn!, f.CRm!, f.op2!);
  return (
    op !== undefined &&
    op.kind === kind &&
    (takesRegister === undefined || op.takesRegister === takesRegister)
  );
}

/** The operation name of a DC/IC/AT/TLBI/CFP… alias of SYS (`civac`, `vmalle1is`), over op1:CRn:CRm:op2. */
export function sysOp(kind: SysOpKind, takesRegister: boolean): Operand {
  const what = `${takesRegister ? 'a' : 'a register-less'} ${kind} operation`;
  return {
    fields: [...SYS_FIELDS],
    print: (f) => sysOpAt(f.op1!, f.CRn!, f.CRm!, f.op2!)?.name ?? '?',
    parse(c, f) {
      const at = c.pos;
      const op = sysOpByName(kind, word(c, what));
      if (!op || op.takesRegister !== takesRegister) mismatch(c, what, at);
      for (const k of SYS_FIELDS) setField(f, k, op[k], c, at, 'one operation');
    },
  };
}

/**
 * A system register operand of MRS (access 'read') or MSR ('write'): LLVM's name, else the generic
 * `S<op0>_<op1>_C<n>_C<m>_<op2>`. op0 comes from the `o0` field (op0 = 2 + o0) or is fixed by the row
 * (the op0 = 0 and op0 = 1 spaces LLVM also reads and writes through MRS/MSR syntax).
 */
export function sysreg(access: SysAccess, op0: 'o0' | 0 | 1): Operand {
  const rest = ['op1', 'CRn', 'CRm', 'op2'] as const;
  const expected = `a ${access === 'read' ? 'readable' : 'writable'} system register`;
  const op0Of = (f: Fields): number => (op0 === 'o0' ? 2 + f.o0! : op0);
  return {
    fields: op0 === 'o0' ? ['o0', ...rest] : [...rest],
    print: (f) => sysregSpelling(op0Of(f), f.op1!, f.CRn!, f.CRm!, f.op2!, access),
    parse(c, f) {
      const at = c.pos;
      const r = parseSysreg(word(c, expected), access);
      if (!r) return mismatch(c, expected, at);
      if (op0 === 'o0') {
        if (r.op0 < 2) mismatch(c, expected, at);
        setField(f, 'o0', r.op0 - 2, c, at, 'one register');
      } else if (r.op0 !== op0) mismatch(c, `a generic register S${op0}_…`, at);
      for (const k of rest) setField(f, k, r[k], c, at, 'one register');
    },
  };
}

/**
 * TBZ/TBNZ's register: `w` when b5 = 0, `x` when b5 = 1. On input an `x` register may test a low bit
 * (LLVM assembles `tbz x0, #3` with b5 = 0), so the width is kept in the pseudo-field `_wide` and the
 * bit number decides b5.
 */
export function tbzReg(field: string): Operand {
  return {
    fields: [field, 'b5'],
    print: (f) => gprName(f[field]!, f.b5 === 1, false),
    parse(c, f) {
      const at = c.pos;
      const r = parseGpr(c, false);
      setField(f, field, r.n, c, at, 'one register');
      f._wide = r.wide ? 1 : 0;
    },
  };
}

/** TBZ/TBNZ's bit number b5:b40: 0-31 for a `w` register, 0-63 for an `x` register. */
export function tbzBit(): Operand {
  return {
    fields: ['b5', 'b40'],
    print: (f) => `#${f.b5! * 32 + f.b40!}`,
    parse(c: Cursor, f: Fields) {
      const at = c.pos;
      const wide = f._wide === 1;
      const v = parseImmField(c, { bits: wide ? 6 : 5 }, 'a bit number');
      setField(f, 'b5', v >> 5, c, at, 'one bit number');
      setField(f, 'b40', v & 31, c, at, 'one bit number');
    },
  };
}
