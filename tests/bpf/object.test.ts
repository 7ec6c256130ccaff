/**
 * The object loader on the fixture programs (sections, maps, globals, relocations, bpf-to-bpf linking),
 * unsupported and malformed objects, and end to end: each fixture program run on the interpreter with the
 * selftests' arguments sets its result globals.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BpfObjectError,
  classifySection,
  createObjectMaps,
  loadBpfObject,
  runTracingProgram,
  type BpfObject,
} from '../../src/bpf/object/index.js';
import { RingbufMap, type MapSet } from '../../src/bpf/maps/index.js';
import { Tramp64Error } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';

const root = join(__dirname, '..', '..');
const fx = (n: string): Uint8Array => new Uint8Array(readFileSync(join(root, 'fixtures/bpf', n)));
const load = (n: string): BpfObject => loadBpfObject(fx(n));

function global(obj: BpfObject, maps: MapSet, name: string): bigint {
  const g = obj.globals.find((x) => x.name === name)!;
  const v = maps.byFd(g.fd).lookupValue(new Uint8Array(4))!;
  return new DataView(v.buffer).getBigUint64(g.offset, true);
}

describe('loading the fixtures', () => {
  it('fentry_test: eight programs, one per section, .bss globals', () => {
    const o = load('fentry_test.bpf.o');
    expect(o.license).toBe('GPL');
    expect(o.programs.map((p) => [p.name, p.attachType, p.target])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`test${i}`, 'fentry', `bpf_fentry_test${i}`]),
    );
    expect(o.maps.map((m) => [m.def.name, m.origin, m.def.valueSize, m.readonly])).toEqual([
      ['.bss', 'global', 64, false],
    ]);
    expect(o.globals.map((g) => [g.name, g.offset, g.size])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`test${i}_result`, 8 * (i - 1), 8]),
    );
    // The store to test3_result: ld_imm64 rewritten to BPF_PSEUDO_MAP_VALUE (src 2), fd 0, offset 16.
    const p = o.programs[2]!;
    const ld = p.insns.find((x) => x.opcode === 0x18)!;
    const next = p.insns[p.insns.indexOf(ld) + 1]!;
    expect([ld.src, ld.imm, next.imm]).toEqual([2, 0, 16]);
  });
  it('hashmap: BTF-defined maps (key/value types and key_size/value_size) and .data', () => {
    const o = load('hashmap.bpf.o');
    expect(o.maps.map((m) => ({ ...m.def, origin: m.origin }))).toEqual([
      { name: 'counts', type: 1, keySize: 4, valueSize: 8, maxEntries: 64, flags: 0, origin: 'btf' },
      { name: 'calls', type: 2, keySize: 4, valueSize: 8, maxEntries: 8, flags: 0, origin: 'btf' },
      { name: 'last_ns', type: 6, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, origin: 'btf' },
      { name: '.data', type: 2, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, origin: 'global' },
      { name: '.bss', type: 2, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, origin: 'global' },
    ]);
    expect([...o.maps[3]!.initial!]).toEqual([3, 0, 0, 0, 0, 0, 0, 0]); // limit = 3
    const lds = o.programs[0]!.insns.filter((x) => x.opcode === 0x18 && x.src === 1).map((x) => x.imm);
    expect(lds).toEqual([0, 0, 1, 2]);
  });
  it('ringbuf: the .text subprogram is appended and the call points at it; strings in .rodata.str1.1', () => {
    const o = load('ringbuf.bpf.o');
    expect(o.maps.map((m) => [m.def.name, m.def.type, m.readonly])).toEqual([
      ['events', 27, false],
      ['.bss', 2, false],
      ['.rodata.str1.1', 2, true],
      ['.rodata', 2, true],
    ]);
    expect(new TextDecoder().decode(o.maps[2]!.initial!)).toBe('entry a=%d\n\0');
    for (const p of o.programs) {
      expect(p.subprograms).toEqual([{ name: 'tag', start: p.ownInsns }]);
      const at = p.insns.findIndex((x) => x.opcode === 0x85 && x.src === 1);
      expect(at + 1 + p.insns[at]!.imm).toBe(p.ownInsns);
    }
    expect(o.programs[0]!.lines.length).toBeGreaterThan(5);
  });
  it('modify_return: fentry, fmod_ret and fexit on one function', () => {
    expect(load('modify_return.bpf.o').programs.map((p) => p.attachType)).toEqual([
      'fentry',
      'fmod_ret',
      'fexit',
    ]);
  });
});

describe('section names', () => {
  it('classifies libbpf section names', () => {
    expect(classifySection('fentry.s/foo')).toEqual({
      kind: 'program',
      info: { attachType: 'fentry', sleepable: true, target: 'foo' },
    });
    expect(classifySection('fmod_ret/x')).toMatchObject({
      kind: 'program',
      info: { attachType: 'fmod_ret' },
    });
    expect(classifySection('kprobe/do_sys_open')).toEqual({ kind: 'unsupported', what: 'kprobe' });
    expect(classifySection('xdp')).toEqual({ kind: 'unsupported', what: 'xdp' });
    expect(classifySection('fentry/')).toMatchObject({ kind: 'unsupported' });
    expect(classifySection('mystery')).toEqual({ kind: 'unknown' });
  });
  it('unsupported program types are a clear error naming the section, or listed on request', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tramp64-obj-'));
    const src = join(dir, 'kp.bpf.c');
    writeFileSync(
      src,
      `#include "tramp64_bpf.h"
char _license[] SEC("license") = "GPL";
SEC("kprobe/do_sys_open") int kp(void *ctx) { return 0; }
SEC("xdp") int x(void *ctx) { return 2; }
SEC("fentry/bpf_fentry_test1") int fe(void *ctx) { return 0; }
`,
    );
    const r = spawnSync(
      'clang-14',
      ['-target', 'bpf', '-O2', '-g', '-I', join(root, 'fixtures/bpf'), '-c', src, '-o', join(dir, 'kp.o')],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(dir, 'kp.o')));
    expect(() => loadBpfObject(bytes)).toThrow(
      new BpfObjectError(
        'OBJ_UNSUPPORTED_SECTION',
        "section 'kprobe/do_sys_open': program type kprobe is not supported (tramp64 runs fentry/, fexit/, fmod_ret/ and their .s variants)",
      ),
    );
    const o = loadBpfObject(bytes, { allowUnsupported: true });
    expect(o.unsupported.map((u) => u.section)).toEqual(['kprobe/do_sys_open', 'xdp']);
    expect(o.programs.map((p) => p.name)).toEqual(['fe']);
  });
});

describe('malformed objects', () => {
  it('an AArch64 object is not a BPF object', () => {
    const k = new Uint8Array(readFileSync(join(root, 'fixtures/kernel/testkernel-gcc-pfe2.o')));
    expect(() => loadBpfObject(k)).toThrow(expect.objectContaining({ code: 'OBJ_NOT_BPF' }));
  });
  it('an object without programs', () => {
    expect(() => loadBpfObject(fx('btf_kinds.o'))).toThrow(
      expect.objectContaining({ code: 'OBJ_NO_PROGRAMS' }),
    );
  });
  it('fuzz: 3,000 mutated fixture objects raise only typed errors', () => {
    const names = readdirSync(join(root, 'fixtures/bpf')).filter((f) => f.endsWith('.bpf.o'));
    const rng = new Rng(99);
    let loaded = 0;
    for (let i = 0; i < 3000; i++) {
      const b = fx(rng.pick(names)).slice();
      for (let k = 0; k < 1 + rng.below(8); k++) b[rng.below(b.length)] = rng.below(256);
      const bytes = rng.below(8) === 0 ? b.subarray(0, rng.below(b.length)) : b;
      try {
        loadBpfObject(bytes);
        loaded++;
      } catch (e) {
        if (!(e instanceof Tramp64Error)) throw new Error(`mutation ${i}: ${(e as Error).stack}`);
      }
    }
    expect(loaded).toBeGreaterThan(0);
  });
});

describe('running the fixtures on the interpreter (the selftests’ checks)', () => {
  const fentryArgs: bigint[][] = [
    [1n],
    [2n, 3n],
    [4n, 5n, 6n],
    [7n, 8n, 9n, 10n],
    [11n, 12n, 13n, 14n, 15n],
    [16n, 17n, 18n, 19n, 20n, 21n],
    [0n],
    [0n],
  ];
  const rets = [2n, 5n, 15n, 34n, 65n, 111n, 0n, 0n];
  it('fentry_test: all eight results are 1', () => {
    const o = load('fentry_test.bpf.o');
    const maps = createObjectMaps(o);
    o.programs.forEach((p, i) => {
      // test8's argument points at a struct whose first field is NULL: use the ctx's own zeroed return slot.
      const args = i === 7 ? [0xffff_0000_2000_0010n + 8n] : fentryArgs[i]!;
      expect(runTracingProgram(p, maps, { args }).r0).toBe(0n);
    });
    for (let i = 1; i <= 8; i++) expect(global(o, maps, `test${i}_result`), `test${i}`).toBe(1n);
  });
  it('fexit_test: all eight results are 1 (and 0 with a wrong return value)', () => {
    const o = load('fexit_test.bpf.o');
    const maps = createObjectMaps(o);
    o.programs.forEach((p, i) =>
      runTracingProgram(p, maps, { args: i === 7 ? [0x1000n] : fentryArgs[i]!, ret: rets[i]! }),
    );
    for (let i = 1; i <= 8; i++) expect(global(o, maps, `test${i}_result`), `test${i}`).toBe(1n);
    runTracingProgram(o.programs[0]!, maps, { args: [1n], ret: 3n });
    expect(global(o, maps, 'test1_result')).toBe(0n);
  });
  it('modify_return: fentry → fmod_ret → fexit in order; fmod_ret returns input_retval', () => {
    const o = load('modify_return.bpf.o');
    const maps = createObjectMaps(o);
    const [fentry, fmod, fexit] = o.programs;
    runTracingProgram(fentry!, maps, { args: [1n, 0x10n] });
    expect(runTracingProgram(fmod!, maps, { args: [1n, 0x10n], ret: 0n }).r0).toBe(0n);
    runTracingProgram(fexit!, maps, { args: [1n, 0x10n], ret: 4n });
    expect(['fentry_result', 'fmod_ret_result', 'fexit_result'].map((n) => global(o, maps, n))).toEqual([
      1n,
      1n,
      1n,
    ]);
  });
  it('get_func_ip_test and get_func_args_test', () => {
    const ip = 0xffff_8000_8012_3450n;
    const a = load('get_func_ip_test.bpf.o');
    const ma = createObjectMaps(a);
    const ro = a.maps.find((m) => m.def.name === '.rodata')!;
    const v = new Uint8Array(16);
    new DataView(v.buffer).setBigUint64(0, ip, true);
    new DataView(v.buffer).setBigUint64(8, ip + 0x100n, true);
    ma.byFd(ro.fd).update(new Uint8Array(4), v);
    runTracingProgram(a.programs[0]!, ma, { args: [1n], ip });
    runTracingProgram(a.programs[1]!, ma, { args: [1n], ret: 2n, ip });
    runTracingProgram(a.programs[2]!, ma, { args: [1n, 2n], ip: ip + 0x100n });
    expect(['test1_result', 'test2_result', 'test3_result', 'test1_ip'].map((n) => global(a, ma, n))).toEqual(
      [1n, 1n, 1n, ip],
    );

    const b = load('get_func_args_test.bpf.o');
    const mb = createObjectMaps(b);
    runTracingProgram(b.programs[0]!, mb, { args: [2n, 3n] });
    runTracingProgram(b.programs[1]!, mb, { args: [2n, 3n], ret: 5n });
    runTracingProgram(b.programs[2]!, mb, { args: [1n, 0x20n], ret: 0n });
    expect(['test1_result', 'test2_result', 'test3_result'].map((n) => global(b, mb, n))).toEqual([
      1n,
      1n,
      1n,
    ]);
  });
  it('ringbuf: records drained in order, printk output', () => {
    const o = load('ringbuf.bpf.o');
    const maps = createObjectMaps(o, { cpus: 4, cpu: () => 3 });
    const r1 = runTracingProgram(o.programs[0]!, maps, { args: [2n, 3n], cpu: 3 });
    const r2 = runTracingProgram(o.programs[1]!, maps, { args: [2n, 3n], ret: 5n, cpu: 3 });
    expect(r1.printk).toEqual(['entry a=2']);
    expect(r2.printk).toEqual(['fexit a=2 ret=5']);
    const rb = maps.byName('events') as RingbufMap;
    const recs = rb
      .drain()
      .map((r) => [0, 8, 16, 24].map((o) => new DataView(r.data.buffer).getBigUint64(o, true)));
    expect(recs).toEqual([
      [(1n << 32n) | 3n, 2n, 3n, 3n],
      [(2n << 32n) | 3n, 2n, 5n, 3n],
    ]);
    expect(global(o, maps, 'submitted')).toBe(2n);
  });
  it('hashmap: counts per argument, delete at the limit', () => {
    const o = load('hashmap.bpf.o');
    const maps = createObjectMaps(o);
    const [entry, exit] = o.programs;
    for (let i = 0; i < 3; i++) runTracingProgram(entry!, maps, { args: [7n] });
    const key = new Uint8Array([7, 0, 0, 0]);
    const counts = maps.byName('counts')!;
    expect(new DataView(counts.lookupValue(key)!.buffer).getBigUint64(0, true)).toBe(3n);
    runTracingProgram(exit!, maps, { args: [7n], ret: 2n });
    expect(counts.lookupValue(key)).toBeUndefined();
    expect(global(o, maps, 'deleted')).toBe(1n);
    const calls = maps.byName('calls')!;
    expect(
      [0, 1].map((i) =>
        new DataView(calls.lookupValue(new Uint8Array([i, 0, 0, 0]))!.buffer).getBigUint64(0, true),
      ),
    ).toEqual([3n, 2n]);
    expect(
      new DataView(maps.byName('last_ns')!.lookupValue(new Uint8Array(4))!.buffer).getBigUint64(0, true),
    ).toBeGreaterThan(0n);
  });
});
