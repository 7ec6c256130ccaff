/**
 * Expect files for the generator: the trampoline images of real JITed programs on a BPF-program target
 * (nokaslr model kernel, BTI and PAC on), as annotated listings. A change is accepted by reviewing the diff
 * (regenerate: TRAMP_GOLDEN_UPDATE=1 npx vitest run tests/trampoline/golden.test.ts). Each listing is also
 * checked for the shape of facts §2.3: `bti jc`, the two frame records, and the return sequence.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBpfObject, type BpfObject } from '../../src/bpf/object/load.js';
import { attachProgToProg, trampListing } from '../../src/trampoline/index.js';
import { newKernel } from './helpers.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const UPDATE = process.env['TRAMP_GOLDEN_UPDATE'] === '1';
const HEADER = '# regenerate: TRAMP_GOLDEN_UPDATE=1 npx vitest run tests/trampoline/golden.test.ts\n';
const load = (name: string): BpfObject =>
  loadBpfObject(new Uint8Array(readFileSync(new URL(`../../fixtures/bpf/${name}`, import.meta.url))));
const TARGET = load('bpf2bpf/target.bpf.o');
const TRACER = load('bpf2bpf/tracer.bpf.o');

const CASES: { name: string; progs: string[]; fmodRet: boolean; tail: string[] }[] = [
  {
    name: 'fentry',
    progs: ['on_entry'],
    fmodRet: false,
    tail: ['mov\tx10, x30', 'mov\tx30, x9', 'ret\tx10'],
  },
  { name: 'fentry-fexit', progs: ['on_entry', 'on_exit'], fmodRet: false, tail: ['mov\tx30, x9', 'ret\tx9'] },
  {
    name: 'fentry-fmod_ret-fexit',
    progs: ['on_entry', 'on_modify', 'on_exit'],
    fmodRet: true,
    tail: ['mov\tx30, x9', 'ret\tx9'],
  },
];

describe('trampoline expect files', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const k = newKernel({ machine: { bti: true, pac: true } });
      const tracer = { ...TRACER, programs: TRACER.programs.filter((p) => c.progs.includes(p.name)) };
      const r = attachProgToProg(k, TARGET, 'target_prog', tracer, { allowFmodRet: c.fmodRet });
      const text = HEADER + trampListing(k, r.trampoline.image!);
      const insns = text
        .split('\n')
        .filter((l) => /^ {2}[0-9a-f]{4}:/.test(l))
        .map((l) => l.split(/ {2}/)[3]!);
      expect(insns.slice(0, 5)).toEqual([
        'bti\tjc',
        'stp\tx29, x9, [sp, #-16]!',
        'mov\tx29, sp',
        'stp\tx29, x30, [sp, #-16]!',
        'mov\tx29, sp',
      ]);
      expect(insns.slice(-c.tail.length)).toEqual(c.tail);
      expect(text).not.toContain('<undefined>');
      const path = join(GOLDEN, `${c.name}.txt`);
      if (UPDATE || !existsSync(path)) writeFileSync(path, text);
      expect(text).toBe(readFileSync(path, 'utf8'));
    });
  }
});
