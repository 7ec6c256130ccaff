/**
 * `tramp64 attach` as a user runs it: programs of a BPF object attached to the built-in test kernel through
 * each strategy, with what was patched where (call-site words old → new, the CALL_OPS literal, the
 * `ftrace_call` branch) and the path a call now takes. Each expectation follows the SPEC's strategy table:
 * callops in range BLs the trampoline and points the literal at the trampoline's ops; tailcall and ops BL
 * ftrace_caller and move ftrace_call to the list function; patchsite under KASLR is refused (ENOTSUPP,
 * exit 1). Bad input exits 2 with a message that says what to do.
 */
import { describe, expect, test } from 'vitest';
import { tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command('attach');

const HEX = '0x[0-9a-f]+';

describe('tramp64 attach', () => {
  test('callops (default): the literal and the BL slot patched, the trampoline reached straight from the site', () => {
    const r = tramp64('fixtures/bpf/fentry_test.bpf.o', '--func', 'bpf_fentry_test1');
    expect(r.stderr).not.toMatch(/tramp64:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('test kernel clang-bti-pfe42, BTI on, PAC on');
    expect(r.stdout).toMatch(/^ {2}fentry +test1 +-> bpf_fentry_test1 +attached$/m);
    // Only the programs of --func: test2..8 are not listed.
    expect(r.stdout).not.toContain('bpf_fentry_test2');
    expect(r.stdout).toMatch(
      new RegExp(
        `^  ${HEX} <bpf_fentry_test1 ops literal>: ${HEX} <ftrace_nop_ops\\+0x0/0x[0-9a-f]+> -> ${HEX}$`,
        'm',
      ),
    );
    const bl = new RegExp(
      `^  ${HEX} <bpf_fentry_test1\\+0x[0-9a-f]+/0x[0-9a-f]+>: nop -> bl (${HEX}) <(bpf_trampoline_\\d+)\\+0x0/0x[0-9a-f]+ \\[bpf\\]>$`,
      'm',
    ).exec(r.stdout);
    expect(bl).not.toBeNull();
    expect(r.stdout).toContain(`trampolines:\n  ${bl![2]} at ${bl![1]}, `);
    expect(r.stdout).toMatch(
      /path of a call to bpf_fentry_test1 \(0x[0-9a-f]+\):\n {2}site .*bl bpf_trampoline_\d+/,
    );
    expect(r.stdout).toContain('the trampoline, entered straight from the site');
  });

  test('tailcall --json: the site BLs ftrace_caller, ftrace_call moves to the list function, one trampoline per function', () => {
    const r = tramp64(
      'fixtures/bpf/fexit_test.bpf.o',
      '--strategy',
      'tailcall',
      '--func',
      'bpf_fentry_test1,bpf_fentry_test3',
      '--json',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      strategy: string;
      frame: string;
      testKernel: string;
      programs: { name: string; target: string; attached: boolean }[];
      patched: { symbol: string; old: string; new: string }[];
      trampolines: { func: string }[];
      paths: { func: string; path: string[] }[];
    };
    expect([out.strategy, out.frame, out.testKernel]).toEqual(['tailcall', 'args', 'gcc-pfe2']);
    expect(out.programs.map((p) => [p.name, p.target, p.attached])).toEqual([
      ['test1', 'bpf_fentry_test1', true],
      ['test3', 'bpf_fentry_test3', true],
    ]);
    const site = out.patched.filter((p) => /^bpf_fentry_test[13]\+/.test(p.symbol));
    expect(site.map((p) => [p.old, p.new.replace(/0x[0-9a-f]+/g, 'X')])).toEqual([
      ['nop', 'bl X <ftrace_caller+X/X>'],
      ['nop', 'bl X <ftrace_caller+X/X>'],
    ]);
    const call = out.patched.find((p) => p.symbol.startsWith('ftrace_caller+'))!;
    expect(call.new).toMatch(/<ftrace_ops_list_func\+0x0\//);
    expect(out.trampolines.map((t) => t.func).sort()).toEqual(['bpf_fentry_test1', 'bpf_fentry_test3']);
    expect(out.paths[0]!.path.join('\n')).toMatch(/late tail call/);
  });

  test('patchsite under KASLR: refused with ENOTSUPP, nothing patched, exit 1', () => {
    const r = tramp64(
      'fixtures/bpf/fentry_test.bpf.o',
      '--func',
      'bpf_fentry_test1',
      '--strategy',
      'patchsite',
      '--layout',
      'kaslr',
      '--seed',
      '3',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('kernel: kaslr (seed 3), test kernel gcc-pfe2');
    expect(r.stdout).toMatch(/test1 +-> bpf_fentry_test1 +FAILED: ENOTSUPP: .*out of BL range/);
    expect(r.stdout).toContain('patched:\n  (nothing)\n');
  });

  test('bad input exits 2 with a message saying what to do', () => {
    const func = tramp64('fixtures/bpf/fentry_test.bpf.o', '--func', 'schedule');
    expect(func.status).toBe(2);
    expect(func.stderr).toMatch(
      /--func schedule: no program of 'fixtures\/bpf\/fentry_test\.bpf\.o' targets it; its targets are bpf_fentry_test1, /,
    );
    const none = tramp64('fixtures/bpf/fentry_test.bpf.o', '--func', ',');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(
      "tramp64: --func must be a comma-separated list of function names, got ','",
    );
    const frame = tramp64('fixtures/bpf/fentry_test.bpf.o', '--frame', 'pt_regs');
    expect(frame.status).toBe(2);
    expect(frame.stderr).toContain(
      "--frame must be regs (pt_regs, the seed era) or args (ftrace_regs, v6.2+), got 'pt_regs'",
    );
    const notBpf = tramp64('fixtures/kernel/testkernel-gcc-pfe2.o');
    expect(notBpf.status).toBe(2);
    expect(notBpf.stderr).toContain(
      'tramp64: e_machine is 183, not EM_BPF (247): build with clang -target bpf',
    );
  });
});
