/**
 * The instruction-cache model and the CMODX checker.
 *
 * Each CPU executes from its own pre-decoded copy of code (Cpu.decoded). The architectural rule modelled:
 * a store to code reaches another CPU's instruction fetch only after
 *   1. the writer cleans the data cache line to the point of unification (`DC CVAU`),
 *   2. the writer invalidates the instruction cache line (`IC IVAU`) and completes it with `DSB ISH`,
 *   3. a context-synchronisation event on the *fetching* CPU (its own `ISB`, exception entry or return).
 * Until (1) a refill still reads the old word (the point of unification holds it); until (2)+(3) a CPU
 * keeps executing its decoded copy. With `coherentIcache` (CTR_EL0.DIC/IDC) stores are visible at once.
 *
 * The CMODX checker (Arm ARM B2.2.5, concurrent modification and execution): while another CPU may be
 * executing, a live change of an instruction is allowed only if both the old and the new instruction are
 * B, BL, BRK, HVC, ISB, NOP, SMC or SVC; and the writer must complete the maintenance before its own next
 * context synchronisation. Violations are recorded as reports (they do not stop the machine).
 */
import { decode } from '../a64/index.js';
import type { Cpu } from './cpu.js';
import { Memory, type Frame } from './memory.js';

export interface CmodxReport {
  readonly kind: 'unsafe-modification' | 'missing-maintenance';
  readonly address: bigint;
  readonly oldWord: number;
  readonly newWord: number;
  readonly writerCpu: number;
  readonly writerPc: bigint | undefined;
  /** Other running CPUs and their PCs at the time. */
  readonly others: readonly { cpu: number; pc: bigint }[];
  readonly message: string;
}

/** Instructions that may be changed while another CPU may execute them (Arm ARM CMODX list). */
export function cmodxSafe(word: number): boolean {
  const w = word >>> 0;
  if ((w & 0x7c000000) === 0x14000000) return true; // B, BL
  if (w === 0xd503201f) return true; // NOP
  if (w === 0xd5033fdf) return true; // ISB (SY)
  if ((w & 0xffe0001f) === 0xd4200000) return true; // BRK
  if ((w & 0xffe0001f) === 0xd4000002) return true; // HVC
  if ((w & 0xffe0001f) === 0xd4000003) return true; // SMC
  if ((w & 0xffe0001f) === 0xd4000001) return true; // SVC
  return false;
}

const LINE = 64;
const WORDS_PER_LINE = LINE / 4;

interface OpenPatch {
  readonly address: bigint;
  readonly frame: Frame;
  readonly idx: number;
  readonly oldWord: number;
  readonly newWord: number;
  readonly cpu: number;
  cleaned: boolean;
  invalidated: boolean;
  complete: boolean;
}

export class ICacheModel {
  /** Per frame: words whose newest value has not been cleaned to the point of unification (idx → old word). */
  private readonly stale = new Map<number, Map<number, number>>();
  /** Per CPU: IC IVAU lines issued but not yet completed by a DSB. */
  private readonly icIssued = new Map<number, number[]>();
  private readonly open = new Map<string, OpenPatch>();
  readonly reports: CmodxReport[] = [];
  /** Set while every other CPU is parked (stop_machine): live-modification rules do not apply. */
  quiesced = false;
  /**
   * Set while a data word that happens to sit in an executable page is stored (the CALL_OPS literal): it is
   * read by loads, never fetched, so no cache maintenance is owed and the CMODX rules do not apply.
   */
  dataWrite = false;

  constructor(
    private readonly memory: Memory,
    private readonly cpus: () => readonly Cpu[],
    private readonly options: { coherent: boolean; cmodx: boolean },
  ) {}

  /** The word an instruction fetch (a refill) sees: the point of unification's copy. */
  fetchWord(frame: Frame, idx: number): number {
    const s = this.stale.get(frame.id);
    const old = s?.get(idx);
    return old === undefined ? frame.u32[idx]! : old;
  }

  onCodeWrite(frame: Frame, off: number, oldWord: number, address: bigint, cpuId: number): void {
    const idx = off >>> 2;
    const newWord = frame.u32[idx]!;
    if (oldWord === newWord) return;
    if (this.options.coherent || this.dataWrite) {
      for (const c of this.cpus()) {
        const slots = c.decoded.get(frame.id);
        if (slots) slots[idx] = undefined;
      }
      return;
    }
    let s = this.stale.get(frame.id);
    if (!s) this.stale.set(frame.id, (s = new Map()));
    if (!s.has(idx)) s.set(idx, oldWord);
    const writer = this.cpus()[cpuId];
    const others = this.cpus().filter((c) => c.id !== cpuId && !c.halted);
    if (
      this.options.cmodx &&
      !this.quiesced &&
      others.length > 0 &&
      (!cmodxSafe(oldWord) || !cmodxSafe(newWord))
    ) {
      this.report(
        'unsafe-modification',
        address,
        oldWord,
        newWord,
        cpuId,
        writer?.pc,
        others,
        `live change of 0x${address.toString(16)} from ${describe(oldWord)} to ${describe(newWord)} while ` +
          `CPU ${others.map((c) => c.id).join(', ')} may execute it; only B, BL, BRK, HVC, ISB, NOP, SMC, SVC may be changed live`,
      );
    }
    this.open.set(`${frame.id}:${idx}`, {
      address,
      frame,
      idx,
      oldWord,
      newWord,
      cpu: cpuId,
      cleaned: false,
      invalidated: false,
      complete: false,
    });
  }

  /** A loader write: cleaned, invalidated and synchronised on every CPU at once. */
  onLoaderWrite(frame: Frame, off: number, size: number): void {
    const s = this.stale.get(frame.id);
    for (let i = off >>> 2; i <= (off + size - 1) >>> 2; i++) {
      s?.delete(i);
      for (const c of this.cpus()) {
        const slots = c.decoded.get(frame.id);
        if (slots) slots[i] = undefined;
      }
    }
  }

  /** DC CVAU: the line's newest data reaches the point of unification. */
  dcCvau(address: bigint): void {
    const frame = this.frameOf(address);
    if (!frame) return;
    const first = (Number(address & 0xfffn) & ~(LINE - 1)) >>> 2;
    const s = this.stale.get(frame.id);
    for (let i = first; i < first + WORDS_PER_LINE; i++) {
      s?.delete(i);
      const p = this.open.get(`${frame.id}:${i}`);
      if (p) p.cleaned = true;
    }
  }

  /** IC IVAU: issue an invalidation of the line; it completes at the issuing CPU's next DSB. */
  icIvau(cpu: Cpu, address: bigint): void {
    const frame = this.frameOf(address);
    if (!frame) return;
    const line = frame.id * 64 + (Number(address & 0xfffn) >>> 6);
    let l = this.icIssued.get(cpu.id);
    if (!l) this.icIssued.set(cpu.id, (l = []));
    l.push(line);
    const first = (Number(address & 0xfffn) & ~(LINE - 1)) >>> 2;
    for (let i = first; i < first + WORDS_PER_LINE; i++) {
      const p = this.open.get(`${frame.id}:${i}`);
      if (p && p.cleaned) p.invalidated = true;
    }
  }

  /** IC IALLU / IALLUIS: every line, on this CPU or on all. */
  icInvalidateAll(cpu: Cpu, broadcast: boolean): void {
    for (const c of broadcast ? this.cpus() : [cpu]) c.pendingInval.add(-1);
    for (const p of this.open.values()) if (p.cleaned) p.invalidated = p.complete = true;
  }

  /** DSB: completes this CPU's issued invalidations for every CPU. */
  dsb(cpu: Cpu): void {
    const l = this.icIssued.get(cpu.id);
    if (!l || l.length === 0) return;
    for (const c of this.cpus()) for (const line of l) c.pendingInval.add(line);
    this.icIssued.set(cpu.id, []);
    for (const [k, p] of this.open) {
      if (p.invalidated) {
        p.complete = true;
        this.open.delete(k);
      }
    }
  }

  /** A context-synchronisation event on `cpu`: drop the decoded copies of invalidated lines. */
  contextSync(cpu: Cpu): void {
    if (cpu.pendingInval.size > 0) {
      if (cpu.pendingInval.has(-1)) cpu.decoded.clear();
      else {
        for (const line of cpu.pendingInval) {
          const slots = cpu.decoded.get(Math.floor(line / 64));
          if (slots)
            for (let i = (line % 64) * WORDS_PER_LINE, e = i + WORDS_PER_LINE; i < e; i++)
              slots[i] = undefined;
        }
      }
      cpu.pendingInval.clear();
    }
    if (!this.options.cmodx) return;
    for (const [k, p] of this.open) {
      if (p.cpu !== cpu.id || p.complete) continue;
      this.open.delete(k);
      const missing = !p.cleaned ? 'DC CVAU' : !p.invalidated ? 'IC IVAU' : 'DSB ISH';
      this.report(
        'missing-maintenance',
        p.address,
        p.oldWord,
        p.newWord,
        p.cpu,
        cpu.pc,
        [],
        `CPU ${p.cpu} changed 0x${p.address.toString(16)} (${describe(p.oldWord)} → ${describe(p.newWord)}) and reached a context synchronisation without ${missing}`,
      );
    }
  }

  /** Patches whose maintenance has not completed (for a final check after host-driven patching). */
  openPatches(): readonly { address: bigint; cpu: number }[] {
    return [...this.open.values()]
      .filter((p) => !p.complete)
      .map((p) => ({ address: p.address, cpu: p.cpu }));
  }

  private frameOf(address: bigint): Frame | undefined {
    return this.memory.mapping(Memory.pageNumber(address))?.frame;
  }

  private report(
    kind: CmodxReport['kind'],
    address: bigint,
    oldWord: number,
    newWord: number,
    writerCpu: number,
    writerPc: bigint | undefined,
    others: readonly Cpu[],
    message: string,
  ): void {
    this.reports.push({
      kind,
      address,
      oldWord,
      newWord,
      writerCpu,
      writerPc,
      others: others.map((c) => ({ cpu: c.id, pc: c.pc })),
      message,
    });
  }
}

function describe(word: number): string {
  const d = decode(word);
  return `0x${word.toString(16).padStart(8, '0')}${d ? ` (${d.entry.mnemonic.replace('{cond}', 'cond')})` : ''}`;
}
