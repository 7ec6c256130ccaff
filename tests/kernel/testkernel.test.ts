/**
 * The test kernel: each fixture object linked into the image at _text with the runtime; its call sites
 * (all three layouts: gcc =2, gcc =4,2, clang =4,2 with BTI), its BTF, and its functions run on the CPU with
 * the semantics the BPF selftests document (checked against expressions written here, zlib's crc32 and an
 * FNV-1a written here).
 */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/elf/index.js';
import { BTI_C, ftraceInitNop, MOV_X9_LR } from '../../src/kernel/callsites.js';
import {
  createTestKernel,
  TEST_KERNEL_VARIANTS,
  testKernelFixture,
  type TestKernel,
} from '../../src/kernel/testkernel.js';
import { PERM_R, PERM_W } from '../../src/machine/index.js';

const load = (v: (typeof TEST_KERNEL_VARIANTS)[number], kind: 'kaslr' | 'nokaslr' = 'nokaslr'): TestKernel =>
  createTestKernel(readFileSync(testKernelFixture(v)), { layout: { kind, seed: 2 } });

const SCRATCH = 0xffff_0000_5000_0000n;

describe.each(TEST_KERNEL_VARIANTS)('test kernel %s', (variant) => {
  it('is linked at _text with kallsyms, call sites on every traceable function, and its BTF', () => {
    for (const kind of ['nokaslr', 'kaslr'] as const) {
      const tk = load(variant, kind);
      const k = tk.kernel;
      const pre = variant === 'gcc-pfe2' ? 0n : 8n; // the =4,2 literal slot precedes the first function
      expect(tk.addr('bpf_fentry_test1')).toBe(k.layout.imageStart + pre);
      expect(k.kallsyms.format(tk.addr('bpf_fentry_test3') + 4n)).toMatch(
        /^bpf_fentry_test3\+0x4\/0x[0-9a-f]+$/,
      );
      const elf = parseElf(readFileSync(testKernelFixture(variant)));
      const expected = elf.sections
        .filter((s) => s.name === '__patchable_function_entries')
        .reduce((n, s) => n + s.size / 8, 0);
      expect(tk.callSites).toHaveLength(expected);
      expect(tk.callSites.some((c) => c.func.name === 'tramp64_notrace_helper')).toBe(false);
      for (const c of tk.callSites) {
        expect(c.layout).toBe(variant === 'gcc-pfe2' ? '=2' : '=4,2');
        expect(c.bti).toBe(variant === 'clang-bti-pfe42');
        if (c.bti) expect(k.machine.memory.read32(c.func.address)).toBe(BTI_C);
        expect(c.ip).toBe(c.func.address + (c.bti ? 8n : 4n));
        ftraceInitNop(k, c);
        expect(k.machine.memory.read32(c.ip - 4n)).toBe(MOV_X9_LR);
      }
      expect(tk.callSite('bpf_modify_return_test').func.name).toBe('bpf_modify_return_test');
      expect(tk.btf).toBeDefined();
      expect(new DataView(tk.btf!.buffer, tk.btf!.byteOffset).getUint16(0, true)).toBe(0xeb9f);
      // The runtime sits in the image after the object's text; printk is a host-call entry.
      for (const n of ['memcpy', 'memset', 'strlen', 'printk']) {
        const a = tk.addr(n);
        expect(a > tk.addr('bpf_fentry_test1') && a < k.layout.imageEnd).toBe(true);
      }
    }
  });

  it('runs bpf_fentry_test1 on the CPU', () => {
    const tk = load(variant);
    expect(tk.kernel.machine.call(tk.addr('bpf_fentry_test1'), [1n])).toBe(2n);
  });

  // Rows these need are being added to the machine (ADD_ext, STP/LDP, loads, ORR …); see the session report.
  it('runs the BPF selftest targets with their documented semantics', () => {
    const tk = load(variant);
    const call = (f: string, args: bigint[]): bigint =>
      BigInt.asIntN(32, tk.kernel.machine.call(tk.addr(f), args));
    expect(call('bpf_fentry_test2', [2n, 3n])).toBe(5n);
    expect(call('bpf_fentry_test3', [4n, 5n, 6n])).toBe(15n);
    expect(call('bpf_fentry_test4', [7n, 8n, 9n, 10n])).toBe(34n);
    expect(call('bpf_fentry_test5', [11n, 12n, 13n, 14n, 15n])).toBe(65n);
    expect(call('bpf_fentry_test6', [16n, 17n, 18n, 19n, 20n, 21n])).toBe(111n);
    expect(call('bpf_fentry_test7', [0n])).toBe(0n);
    const mem = tk.kernel.machine.memory;
    mem.map(SCRATCH, 4096, PERM_R | PERM_W);
    mem.write64(SCRATCH, 0x1234n);
    expect(call('bpf_fentry_test8', [SCRATCH])).toBe(0x1234n);
    mem.write32(SCRATCH + 8n, 41);
    expect(call('bpf_modify_return_test', [1n, SCRATCH + 8n])).toBe(43n); // *b += 1; return a + *b
    expect(mem.read32(SCRATCH + 8n)).toBe(42);
    expect(call('tramp64_run_fentry_tests', [])).toBe(0n);
    expect(call('workload_entry', [5n])).toBe(13n);
    expect(call('tramp64_trigger_loop', [10n])).toBe(45n);
  });

  it('runs the workload functions: strings, hashing, CRC, printk', () => {
    const tk = load(variant);
    const m = tk.kernel.machine;
    m.memory.map(SCRATCH, 4096, PERM_R | PERM_W);
    const text = new TextEncoder().encode('tramp64: arm64 ftrace\0');
    m.memory.writeBytes(SCRATCH, text);
    expect(m.call(tk.addr('str_length'), [SCRATCH])).toBe(BigInt(text.length - 1));
    const data = text.subarray(0, text.length - 1);
    expect(m.call(tk.addr('crc32_le_bitwise'), [0n, SCRATCH, BigInt(data.length)]) & 0xffffffffn).toBe(
      BigInt(crc32(data)),
    );
    let h = 2166136261;
    for (const b of data) h = Math.imul(h ^ b, 16777619) >>> 0;
    expect(m.call(tk.addr('fnv1a_hash'), [SCRATCH, BigInt(data.length)]) & 0xffffffffn).toBe(BigInt(h));
    m.call(tk.addr('copy_bytes'), [SCRATCH + 256n, SCRATCH, BigInt(data.length)]);
    expect(m.memory.readBytes(SCRATCH + 256n, data.length)).toEqual(data);
    m.call(tk.addr('log_value'), [-7n]);
    expect(tk.log.map((e) => e.text)).toEqual(['tramp64: value -7\n']);
  });
});
