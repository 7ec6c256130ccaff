/**
 * printk as a host call: the format string and up to seven register arguments are read from the CPU, the
 * text goes to the kernel log (one entry per call), and x0 gets the number of characters, as printk returns.
 * Conversions: %d %i %u %x %X %lx %ld %lu %llx %lld %llu %zu %zd %p %px %s %c %%; a KERN_<level> prefix
 * ("\x01" + digit) is stripped into the entry's level.
 */
import type { Cpu } from '../../machine/cpu.js';

export interface LogEntry {
  readonly level: number | undefined;
  readonly text: string;
}

const MAX_STRING = 4096;

/** Read a NUL-terminated string (at most MAX_STRING bytes). */
export function readCString(cpu: Cpu, addr: bigint): string {
  const mem = cpu.machine.memory;
  const out: number[] = [];
  for (let i = 0; i < MAX_STRING; i++) {
    const b = mem.readBytes(addr + BigInt(i), 1)[0]!;
    if (b === 0) break;
    out.push(b);
  }
  return String.fromCharCode(...out);
}

export function formatPrintk(cpu: Cpu, fmt: string, firstArg: number): string {
  let argi = firstArg;
  const next = (): bigint => (argi <= 7 ? cpu.x(argi++) : 0n);
  return fmt.replace(
    /%([-0 +#]*)(\d*)(hh|h|ll|l|z)?([diuxXpsc%])(x?)/g,
    (_m, flags: string, width: string, len: string | undefined, conv: string, px: string) => {
      if (conv === '%') return '%';
      const v = next();
      const wide = len === 'l' || len === 'll' || len === 'z' || conv === 'p';
      let s: string;
      switch (conv) {
        case 'd':
        case 'i':
          s = (wide ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v)).toString();
          break;
        case 'u':
          s = (wide ? BigInt.asUintN(64, v) : BigInt.asUintN(32, v)).toString();
          break;
        case 'x':
        case 'X':
          s = (wide ? BigInt.asUintN(64, v) : BigInt.asUintN(32, v)).toString(16);
          if (conv === 'X') s = s.toUpperCase();
          break;
        case 'p':
          s = px
            ? BigInt.asUintN(64, v).toString(16).padStart(16, '0')
            : '0x' + BigInt.asUintN(64, v).toString(16);
          break;
        case 'c':
          s = String.fromCharCode(Number(v & 0xffn));
          break;
        default:
          s = v === 0n ? '(null)' : readCString(cpu, v);
      }
      const w = Number(width || '0');
      return flags.includes('-')
        ? s.padEnd(w)
        : s.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
    },
  );
}

/** Split a KERN_<level> prefix ("\x01" + '0'…'7') off a format string. */
export function splitLevel(fmt: string): { level: number | undefined; body: string } {
  if (fmt.length >= 2 && fmt.charCodeAt(0) === 1 && /[0-7]/.test(fmt[1]!))
    return { level: Number(fmt[1]), body: fmt.slice(2) };
  return { level: undefined, body: fmt };
}
