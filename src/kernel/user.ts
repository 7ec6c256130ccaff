/**
 * Runs a freestanding static aarch64 Linux ELF (`-nostdlib`, `_start`, raw `svc`) on the machine with the
 * few system calls such programs use: write (64), exit (93), exit_group (94). Used by `tramp64 exec` and
 * the qemu-aarch64 differential tests. Everything else returns -ENOSYS.
 */
import { parseElf, ELF } from '../elf/index.js';
import { Machine, PERM_R, PERM_W, PERM_X, type MachineOptions } from '../machine/index.js';
import type { Cpu } from '../machine/cpu.js';
import { Tramp64Error } from '../util/errors.js';

export class ExecError extends Tramp64Error {
  constructor(message: string) {
    super('ENOEXEC', message);
  }
}

export interface UserRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as written, for binary output. */
  readonly stdoutBytes: Uint8Array;
  readonly instructions: number;
  readonly cycles: number;
  readonly machine: Machine;
}

const STACK_TOP = 0x0000_7fff_ff00_0000n;
const STACK_SIZE = 1 << 20;
const ENOSYS = 38;

export function runUserProgram(
  bytes: Uint8Array,
  opts: { maxInstructions?: number; machine?: MachineOptions } = {},
): UserRunResult {
  const elf = parseElf(bytes);
  if (elf.header.machine !== ELF.EM_AARCH64) {
    throw new ExecError(
      `not an AArch64 program: e_machine is ${elf.header.machine}, expected ${ELF.EM_AARCH64}`,
    );
  }
  if (elf.header.type !== ELF.ET_EXEC) {
    throw new ExecError(
      `not a static executable: e_type is ${elf.header.type}; link with -static -nostdlib (ET_EXEC)`,
    );
  }
  const loads = elf.segments.filter((s) => s.type === 1);
  if (loads.length === 0) throw new ExecError('the program has no PT_LOAD segment');
  const m = new Machine({ cpus: 1, ...opts.machine });
  for (const seg of loads) {
    const start = seg.vaddr & ~0xfffn;
    const end = (seg.vaddr + seg.memsz + 0xfffn) & ~0xfffn;
    const perms = (seg.flags & 4 ? PERM_R : 0) | (seg.flags & 2 ? PERM_W : 0) | (seg.flags & 1 ? PERM_X : 0);
    if (perms & PERM_W && perms & PERM_X) {
      throw new ExecError(
        `segment ${seg.index} at 0x${seg.vaddr.toString(16)} is writable and executable; the machine enforces W^X`,
      );
    }
    for (let a = start; a < end; a += 4096n) if (!m.memory.isMapped(a)) m.memory.map(a, 4096, perms);
    if (seg.filesz > 0 && seg.offset + seg.filesz > bytes.length)
      throw new ExecError(`segment ${seg.index} extends past the end of the file`);
    m.memory.writeBytes(seg.vaddr, bytes.subarray(seg.offset, seg.offset + seg.filesz), 0);
  }
  m.memory.map(STACK_TOP - BigInt(STACK_SIZE), STACK_SIZE, PERM_R | PERM_W);
  const cpu = m.cpus[0]!;
  // Initial stack: argc = 0, argv[0] = NULL, envp[0] = NULL, auxv AT_NULL.
  const sp = STACK_TOP - 64n;
  cpu.sp = sp;
  cpu.pc = elf.header.entry;
  const out = { stdout: [] as number[], stderr: [] as number[] };
  let exitCode: number | undefined;
  m.svcHandler = (c: Cpu) => {
    const nr = Number(c.x(8));
    switch (nr) {
      case 64: {
        const fd = Number(c.x(0));
        const len = Number(c.x(2));
        const data = m.memory.readBytes(c.x(1), len);
        if (fd === 1) out.stdout.push(...data);
        else if (fd === 2) out.stderr.push(...data);
        c.setX(0, BigInt(fd === 1 || fd === 2 ? len : -9));
        return;
      }
      case 93:
      case 94:
        exitCode = Number(c.x(0) & 0xffn);
        c.halted = true;
        c.stopRequested = true;
        return;
      default:
        c.setX(0, BigInt(-ENOSYS));
    }
  };
  const max = opts.maxInstructions ?? 2_000_000_000;
  let left = max;
  while (exitCode === undefined && !cpu.fault && left > 0) left -= cpu.run(Math.min(left, 10_000_000));
  if (cpu.fault) throw cpu.fault;
  if (exitCode === undefined) throw new ExecError(`the program did not exit within ${max} instructions`);
  const dec = new TextDecoder();
  return {
    exitCode,
    stdout: dec.decode(new Uint8Array(out.stdout)),
    stderr: dec.decode(new Uint8Array(out.stderr)),
    stdoutBytes: new Uint8Array(out.stdout),
    instructions: cpu.insns,
    cycles: cpu.cycles,
    machine: m,
  };
}
