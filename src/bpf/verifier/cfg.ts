/**
 * The control-flow pass (before any state is explored), as the kernel's check_cfg does it: every jump and
 * call lands on an instruction (not outside the program, not on the second slot of a ld_imm64), no
 * instruction is unreachable, the last instruction cannot fall through, and from every reachable
 * instruction some `exit` is reachable (otherwise the program loops forever whatever the data).
 * It also finds the back-edges (loops), the subprogram entries and the prune points (jump targets).
 */
import { isWide, lookupEntry, type BpfInsn } from '../isa/insn.js';
import type { OpcodeEntry } from '../isa/table.js';
import type { DefectClass } from './defects.js';

export interface CfgInfo {
  entries: (OpcodeEntry | undefined)[];
  /** Instructions where a state is stored for pruning: jump targets and call targets. */
  prunePoints: Set<number>;
  /** Targets of bpf-to-bpf calls. */
  subprogs: Set<number>;
  backEdges: [number, number][];
}

export interface CfgError {
  insn: number;
  defect: DefectClass;
  message: string;
}

/** Successors of instruction `i` (a call_local's successors are the next insn and the callee entry). */
function successors(insns: readonly BpfInsn[], e: OpcodeEntry, i: number): { next: number[]; call?: number } {
  const insn = insns[i]!;
  switch (e.kind) {
    case 'exit':
      return { next: [] };
    case 'ja':
      return { next: [i + 1 + (e.width === 32 ? insn.imm : insn.off)] };
    case 'jmp':
      return { next: [i + 1, i + 1 + insn.off] };
    case 'call':
      if (e.shape === 'call_local') return { next: [i + 1], call: i + 1 + insn.imm };
      return { next: [i + 1] };
    case 'lddw':
      return { next: [i + 2] };
    default:
      return { next: [i + 1] };
  }
}

export function checkCfg(insns: readonly BpfInsn[]): CfgInfo | CfgError {
  const n = insns.length;
  if (n === 0) return { insn: 0, defect: 'cfg', message: 'empty program' };
  const entries: (OpcodeEntry | undefined)[] = new Array(n);
  const second = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const insn = insns[i]!;
    try {
      entries[i] = lookupEntry(insn, i);
    } catch (e) {
      return { insn: i, defect: 'bad_insn', message: `invalid insn ${i}: ${(e as Error).message}` };
    }
    if (isWide(insn)) {
      if (i + 1 >= n)
        return {
          insn: i,
          defect: 'bad_insn',
          message: `invalid bpf_ld_imm64 insn ${i}: the program ends in its middle`,
        };
      const next = insns[i + 1]!;
      if (
        next.opcode !== 0 ||
        next.dst !== 0 ||
        next.src !== 0 ||
        next.off !== 0 ||
        (entries[i]!.nextImm !== true && next.imm !== 0)
      )
        return {
          insn: i,
          defect: 'bad_insn',
          message: `invalid bpf_ld_imm64 insn ${i}: its second slot must be zero except for imm`,
        };
      second[i + 1] = 1;
      i++;
    }
  }
  const prunePoints = new Set<number>();
  const subprogs = new Set<number>();
  const backEdges: [number, number][] = [];
  const succ: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    if (e === undefined) continue;
    if (e.shape === 'callx')
      return { insn: i, defect: 'bad_insn', message: `callx (indirect call) at insn ${i} is not supported` };
    if (e.kind === 'packet')
      return {
        insn: i,
        defect: 'bad_insn',
        message: `BPF_LD_[ABS|IND] at insn ${i} is not allowed in tracing programs`,
      };
    const { next, call } = successors(insns, e, i);
    for (const t of [...next, ...(call !== undefined ? [call] : [])]) {
      const isFall = t === i + 1 || (e.kind === 'lddw' && t === i + 2);
      if (t === n && isFall && e.kind !== 'jmp' && e.kind !== 'ja')
        return {
          insn: i,
          defect: 'cfg',
          message: `last insn is not an exit or jmp (insn ${i} falls off the end)`,
        };
      if (t === n && isFall)
        return { insn: i, defect: 'cfg', message: `jump out of range from insn ${i} to ${t}` };
      if (t < 0 || t >= n)
        return { insn: i, defect: 'cfg', message: `jump out of range from insn ${i} to ${t}` };
      if (second[t])
        return {
          insn: i,
          defect: 'cfg',
          message: `jump into the middle of ldimm64 insn ${t - 1} from insn ${i}`,
        };
    }
    if (call !== undefined) {
      subprogs.add(call);
      prunePoints.add(call);
    }
    if (e.kind === 'jmp' || e.kind === 'ja') for (const t of next) prunePoints.add(t);
    succ[i] = call !== undefined ? [...next, call] : next;
  }
  // Reachability from insn 0 (calls enter their subprograms), with back-edge detection by DFS colouring.
  const colour = new Uint8Array(n); // 0 white, 1 on stack, 2 done
  const stack: [number, number][] = [[0, 0]];
  colour[0] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [i, k] = top;
    const s = succ[i]!;
    if (k < s.length) {
      top[1]++;
      const t = s[k]!;
      if (colour[t] === 1) backEdges.push([i, t]);
      else if (colour[t] === 0) {
        colour[t] = 1;
        stack.push([t, 0]);
      }
    } else {
      colour[i] = 2;
      stack.pop();
    }
  }
  for (let i = 0; i < n; i++) {
    if (entries[i] !== undefined && colour[i] === 0)
      return { insn: i, defect: 'cfg', message: `unreachable insn ${i}` };
  }
  // Some exit must be reachable from every reachable instruction (calls: the fall-through continues after return).
  const canExit = new Uint8Array(n);
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const e = entries[i];
      if (e === undefined || canExit[i]) continue;
      const next = e.kind === 'call' && e.shape === 'call_local' ? [i + 1] : succ[i]!;
      if (e.kind === 'exit' || next.some((t) => canExit[t])) {
        canExit[i] = 1;
        changed = true;
      }
    }
  }
  // Name the loop: the first back-edge target inside a cycle nothing leaves (a sink of the flow graph),
  // else the first instruction that cannot reach an exit.
  const reach = (from: number): Set<number> => {
    const seen = new Set<number>([from]);
    const work = [from];
    while (work.length > 0)
      for (const t of succ[work.pop()!] ?? []) {
        if (!seen.has(t)) {
          seen.add(t);
          work.push(t);
        }
      }
    return seen;
  };
  const sinks = backEdges
    .map(([, t]) => t)
    .filter((t) => !canExit[t])
    .filter((t) => [...reach(t)].every((u) => reach(u).has(t)));
  const anyStuck = [...entries.keys()].find((i) => entries[i] !== undefined && !canExit[i]);
  const first = sinks.length > 0 ? Math.min(...sinks) : anyStuck;
  if (first !== undefined)
    return { insn: first, defect: 'unbounded_loop', message: `infinite loop detected at insn ${first}` };
  return { entries, prunePoints, subprogs, backEdges };
}
