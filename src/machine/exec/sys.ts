/**
 * Handlers for the exception, hint, barrier, PSTATE and system rows of src/a64/table/branch-sys.ts (Arm
 * ARM C4.1.93). Cache maintenance and barriers drive the I-cache model (icache.ts); ISB and ERET are
 * context-synchronisation events; HVC reaches the host calls; PAC hints sign and authenticate.
 */
import { sysOpAt, sysregName } from '../../a64/table/sysreg.js';
import { SINK, SP, ZR, type Cpu } from '../cpu.js';
import { MachineFault } from '../faults.js';
import { HVC_RETURN_TO_HOST } from '../hostcall.js';
import { pacAuth, pacKey, pacSign, pacStrip } from '../pac.js';
import type { HandlerTable } from './types.js';

/** The model's timer: CNTFRQ_EL0 = 100 MHz against a nominal 2 GHz core (20 cycles per tick). */
export const CNTFRQ = 100_000_000;
export const CYCLES_PER_TICK = 20;

const fault = (kind: 'Breakpoint' | 'UndefinedInstruction', msg: string) => () => {
  throw new MachineFault(kind, msg);
};

/** The hint space: CRm:op2 selects NOP, the PAC hints, BTI (checked at landing, a NOP here) … */
function hint(crmop2: number) {
  const keyA = (c: Cpu) => pacKey(c, false);
  const keyB = (c: Cpu) => pacKey(c, true);
  const pac = (fn: (c: Cpu) => void) => (c: Cpu) => {
    if (c.machine.options.pac) fn(c);
    c.next();
  };
  switch (crmop2) {
    case 7: // XPACLRI
      return pac((c) => pacStrip(c, 30));
    case 8: // PACIA1716
      return pac((c) => pacSign(c, 17, c.lo[16]!, c.hi[16]!, keyA(c)));
    case 10: // PACIB1716
      return pac((c) => pacSign(c, 17, c.lo[16]!, c.hi[16]!, keyB(c)));
    case 12: // AUTIA1716
      return pac((c) => pacAuth(c, 17, c.lo[16]!, c.hi[16]!, keyA(c), 'autia1716'));
    case 14: // AUTIB1716
      return pac((c) => pacAuth(c, 17, c.lo[16]!, c.hi[16]!, keyB(c), 'autib1716'));
    case 24: // PACIAZ
      return pac((c) => pacSign(c, 30, 0, 0, keyA(c)));
    case 25: // PACIASP
      return pac((c) => pacSign(c, 30, c.lo[SP]!, c.hi[SP]!, keyA(c)));
    case 26: // PACIBZ
      return pac((c) => pacSign(c, 30, 0, 0, keyB(c)));
    case 27: // PACIBSP
      return pac((c) => pacSign(c, 30, c.lo[SP]!, c.hi[SP]!, keyB(c)));
    case 28: // AUTIAZ
      return pac((c) => pacAuth(c, 30, 0, 0, keyA(c), 'autiaz'));
    case 29: // AUTIASP
      return pac((c) => pacAuth(c, 30, c.lo[SP]!, c.hi[SP]!, keyA(c), 'autiasp'));
    case 30: // AUTIBZ
      return pac((c) => pacAuth(c, 30, 0, 0, keyB(c), 'autibz'));
    case 31: // AUTIBSP
      return pac((c) => pacAuth(c, 30, c.lo[SP]!, c.hi[SP]!, keyB(c), 'autibsp'));
    default: // NOP, YIELD, WFE, SEV, ESB, CSDB, BTI … (BTI is enforced where a branch lands)
      return (c: Cpu) => c.next();
  }
}

/** MRS: system registers by LLVM's name; NZCV, DAIF, CurrentEL and the counter are live CPU state. */
function readSysreg(c: Cpu, name: string): bigint {
  switch (name) {
    case 'NZCV':
      return BigInt((c.nzcv << 28) >>> 0);
    case 'DAIF':
      return BigInt(c.daif);
    case 'CurrentEL':
      return 1n << 2n;
    case 'CNTVCT_EL0':
    case 'CNTPCT_EL0':
      return BigInt(Math.floor(c.cycles / CYCLES_PER_TICK));
    case 'CNTFRQ_EL0':
      return BigInt(CNTFRQ);
    case 'CTR_EL0':
      // IminLine = DminLine = 4 (64-byte lines); DIC/IDC as configured.
      return 0x8444c004n | (c.machine.options.coherentIcache ? (1n << 29n) | (1n << 28n) : 0n);
    default:
      return c.sysreg(name);
  }
}

function writeSysreg(c: Cpu, name: string, v: bigint): void {
  switch (name) {
    case 'NZCV':
      c.nzcv = Number((v >> 28n) & 0xfn);
      return;
    case 'DAIF':
      c.daif = Number(v & 0x3c0n);
      return;
    default:
      c.sysregs.set(name, v);
  }
}

export const sysHandlers: HandlerTable = {
  UDF: (f) => fault('UndefinedInstruction', `udf #${f.imm16}`),
  BRK: (f) => fault('Breakpoint', `brk #0x${f.imm16!.toString(16)}`),
  HLT: (f) => fault('Breakpoint', `hlt #0x${f.imm16!.toString(16)}`),
  /** SVC: to the machine's SVC handler (user programs), else a synchronous exception to VBAR_EL1 + 0x200. */
  SVC(f) {
    const imm = f.imm16!;
    return (c) => {
      c.next();
      const h = c.machine.svcHandler;
      if (h) h(c, imm);
      else c.machine.exceptionEntry(c, 0x200);
    };
  },
  /** HVC #imm: a host call (HVC #0xffff returns from Machine.call). */
  HVC(f) {
    const imm = f.imm16!;
    if (imm === HVC_RETURN_TO_HOST) {
      return (c) => {
        c.next();
        c.stopRequested = true;
      };
    }
    return (c) => {
      const hc = c.machine.hostCalls.get(imm);
      if (!hc)
        throw new MachineFault(
          'HostCallError',
          `hvc #0x${imm.toString(16)}: no host call registered with that number`,
        );
      c.next();
      c.cycles += hc.cycles;
      hc.fn(c);
    };
  },
  HINT: (f) => hint((f.CRm! << 3) | f.op2!),
  CLREX: () => (c) => {
    c.exclusiveLo = -1;
    c.next();
  },
  /** DSB completes this CPU's issued I-cache invalidations everywhere. */
  DSB: () => (c) => {
    c.machine.icache.dsb(c);
    c.next();
  },
  DMB: () => (c) => c.next(),
  SB: () => (c) => c.next(),
  /** ISB: a context-synchronisation event. */
  ISB: () => (c) => {
    c.next();
    c.machine.icache.contextSync(c);
  },
  CFINV: () => (c) => {
    c.c ^= 1;
    c.next();
  },
  XAFLAG: () => (c) => {
    // Arm ARM: N = !C && !Z, Z = Z && C, C = C || Z, V = !C && Z (from the external format).
    const n = c.c === 0 && c.z === 0 ? 1 : 0;
    const z = c.z === 1 && c.c === 1 ? 1 : 0;
    const cc = c.c === 1 || c.z === 1 ? 1 : 0;
    const v = c.c === 0 && c.z === 1 ? 1 : 0;
    c.n = n;
    c.z = z;
    c.c = cc;
    c.v = v;
    c.next();
  },
  AXFLAG: () => (c) => {
    const z = c.z === 1 || c.v === 1 ? 1 : 0;
    const cc = c.c === 1 && c.v === 0 ? 1 : 0;
    c.n = 0;
    c.z = z;
    c.c = cc;
    c.v = 0;
    c.next();
  },
  /** MSR (immediate): DAIFSet/DAIFClr change the interrupt masks; other PSTATE fields are accepted. */
  MSR_imm(f) {
    const mask = f.CRm! << 6;
    if (f.op1 === 3 && f.op2 === 6) {
      return (c) => {
        c.daif |= mask;
        c.next();
      };
    }
    if (f.op1 === 3 && f.op2 === 7) {
      return (c) => {
        c.daif &= ~mask;
        c.next();
        if (c.machine.timerDue(c)) c.machine.takeTimer(c);
      };
    }
    return (c: Cpu) => c.next();
  },
  MRS(f) {
    const name =
      sysregName(f.o0!, f.op1!, f.CRn!, f.CRm!, f.op2!, 'read') ??
      `S${2 + f.o0!}_${f.op1}_C${f.CRn}_C${f.CRm}_${f.op2}`;
    const t = f.Rt === 31 ? SINK : f.Rt!;
    return (c) => {
      const v = readSysreg(c, name);
      c.lo[t] = Number(v & 0xffffffffn);
      c.hi[t] = Number((v >> 32n) & 0xffffffffn);
      c.next();
    };
  },
  MSR_reg(f) {
    const name =
      sysregName(f.o0!, f.op1!, f.CRn!, f.CRm!, f.op2!, 'write') ??
      `S${2 + f.o0!}_${f.op1}_C${f.CRn}_C${f.CRm}_${f.op2}`;
    const t = f.Rt === 31 ? ZR : f.Rt!;
    return (c) => {
      writeSysreg(c, name, c.x(t));
      c.next();
    };
  },
  /** SYS: DC (clean by VA → the point of unification), DC ZVA, IC IVAU/IALLU(IS); TLBI and AT are no-ops. */
  SYS(f) {
    const op = sysOpAt(f.op1!, f.CRn!, f.CRm!, f.op2!);
    const t = f.Rt === 31 ? ZR : f.Rt!;
    const va = (c: Cpu): bigint => c.x(t);
    if (op?.kind === 'dc' && op.name === 'zva') {
      return (c) => {
        const base = va(c) & ~63n;
        c.machine.memory.writeBytes(base, new Uint8Array(64), 2, c.id);
        c.next();
      };
    }
    if (op?.kind === 'dc') {
      return (c) => {
        c.machine.icache.dcCvau(va(c));
        c.next();
      };
    }
    if (op?.kind === 'ic' && op.name === 'ivau') {
      return (c) => {
        c.machine.icache.icIvau(c, va(c));
        c.next();
      };
    }
    if (op?.kind === 'ic') {
      const broadcast = op.name === 'ialluis';
      return (c) => {
        c.machine.icache.icInvalidateAll(c, broadcast);
        c.next();
      };
    }
    return (c: Cpu) => c.next();
  },
  /** ERET: back from an exception; a context-synchronisation event. */
  ERET: () => (c) => c.machine.exceptionReturn(c),
};
