/**
 * `tramp64 bpf attach-prog` as a user runs it: fentry/fexit programs of one object attached to a program of
 * another, the patched poke site printed, the target run; bad input exits 2 with a message saying what to do.
 */
import { describe, expect, test } from 'vitest';
import { tramp64Command } from '../helpers/cli.js';

const tramp64 = tramp64Command();
const TRACER = 'fixtures/bpf/bpf2bpf/tracer.bpf.o';
const TARGET = 'fixtures/bpf/bpf2bpf/target.bpf.o';

describe('tramp64 bpf attach-prog', () => {
  test('prints the poke site going nop -> bl <trampoline> and runs the target', () => {
    const r = tramp64(
      'bpf',
      'attach-prog',
      TRACER,
      '--target-obj',
      TARGET,
      '--target-prog',
      'target_prog',
      '--run',
      '5',
    );
    expect(r.stderr).not.toMatch(/tramp64:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /trampoline: bpf_trampoline_\d+ at 0x[0-9a-f]+, \d+ bytes, flags CALL_ORIG\|SKIP_FRAME\|IP_ARG/,
    );
    expect(r.stdout).toMatch(
      /<bpf_prog_[0-9a-f]{16}_target_prog\+0x8\/0x[0-9a-f]+ \[bpf\]>: nop -> bl 0x[0-9a-f]+/,
    );
    expect(r.stdout).toMatch(/skipped {2}on_modify \(fmod_ret\/target_prog\)/);
    expect(r.stdout).toContain('run: target_prog(ctx[0] = 5) = 16');
  });

  test('--json with --fmod-ret: three links, the last image is where the poke site points', () => {
    const r = tramp64(
      'bpf',
      'attach-prog',
      TRACER,
      '--target-obj',
      TARGET,
      '--target-prog',
      'target_prog',
      '--fmod-ret',
      '--run',
      '2',
      '--json',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      trampoline: { address: string };
      links: { kind: string }[];
      pokes: { new: string; ip: string }[];
      run: { ret: string };
    };
    expect(out.links.map((l) => l.kind).sort()).toEqual(['fentry', 'fexit', 'fmod_ret']);
    expect(out.pokes.at(-1)!.new).toBe(`bl ${out.trampoline.address}`);
    expect(out.run.ret).toBe('7');
  });

  test('bad input: an unknown target program and an unreadable object exit 2 and say what to do', () => {
    const r = tramp64('bpf', 'attach-prog', TRACER, '--target-obj', TARGET, '--target-prog', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ENOENT: the target object has no program nope; it has target_prog/);
    const run = tramp64(
      'bpf',
      'attach-prog',
      TRACER,
      '--target-obj',
      TARGET,
      '--target-prog',
      'target_prog',
      '--run',
      '1e3',
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("tramp64: --run must be a 64-bit integer (decimal or 0x hex), got '1e3'");
    const m = tramp64(
      'bpf',
      'attach-prog',
      'missing.o',
      '--target-obj',
      TARGET,
      '--target-prog',
      'target_prog',
    );
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/cannot read the tracing object 'missing.o'/);
    const l = tramp64(
      'bpf',
      'attach-prog',
      TRACER,
      '--target-obj',
      TARGET,
      '--target-prog',
      'target_prog',
      '--layout',
      'weird',
    );
    expect(l.status).toBe(2);
    expect(l.stderr).toMatch(/--layout must be kaslr or nokaslr, got 'weird'/);
  });
});
