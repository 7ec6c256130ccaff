/**
 * A trampoline image as an annotated A64 listing (the expect-file format of tests/trampoline/golden and
 * `tramp64 bpf attach-prog --listing`): the frame offsets, then one line per word with branch targets named
 * through kallsyms, and the addresses the core patches (`ip_after_call`, `ip_epilogue`) marked.
 */
import { disassemble } from '../a64/index.js';
import type { Kernel } from '../kernel/kernel.js';
import type { TrampImage } from './core.js';
import { trampFlagNames } from './frame.js';

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export function trampListing(kernel: Kernel, img: TrampImage): string {
  const f = img.gen.frame;
  const off = (v: number | undefined): string => (v === undefined ? '-' : `sp+${v}`);
  const lines = [
    `${img.symbol}:  (${img.size} bytes, flags ${trampFlagNames(img.flags).join('|') || 'none'})`,
    `; frame: stack ${f.stackSize}, run_ctx ${off(f.runCtxOff)}, ip ${off(f.ipOff)}, nargs ${off(f.nargsOff)}, ` +
      `args ${off(f.bargsOff)} (${f.nargs}), retval ${off(f.retvalOff)}, x19/x20 ${off(f.regsOff)}, self ip ${off(f.retaddrOff)}`,
  ];
  const marks = new Map<bigint, string>();
  if (img.gen.retAddr !== undefined) marks.set(img.gen.retAddr, '; the original returns here');
  if (img.gen.ipAfterCall !== undefined) marks.set(img.gen.ipAfterCall, '; ip_after_call');
  if (img.gen.ipEpilogue !== undefined) marks.set(img.gen.ipEpilogue, '; ip_epilogue');
  const symbolize = (a: bigint): string | undefined => kernel.kallsyms.short(a);
  img.gen.words.forEach((w, i) => {
    const at = img.address + BigInt(4 * i);
    const m = marks.get(at);
    if (m) lines.push(m);
    const text = disassemble(w, { address: at, symbolize }) ?? '<undefined>';
    lines.push(`  ${hex4(4 * i)}:  ${w.toString(16).padStart(8, '0')}  ${text}`);
  });
  return lines.join('\n') + '\n';
}
