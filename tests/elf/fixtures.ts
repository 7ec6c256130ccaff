/**
 * Objects compiled for the ELF tests: AArch64 relocatables from gcc (kernel-style call sites `=2` and `=4,2`,
 * PIC with TLS descriptors) and clang-14 (BTI), a BPF object from `clang-14 -target bpf`, an AArch64 shared
 * object (ET_DYN), a static executable (ET_EXEC) and, on request, an object with more than SHN_LORESERVE
 * sections (extended section numbering). The compilers are oracles the tests need (tools/install-oracles.sh).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KERNEL_C = `
int counter;
static int hidden_state = 3;
__thread int tls_var;
const char banner[] = "tramp64";
__attribute__((visibility("hidden"))) int hid(int x) { return x + hidden_state; }
__attribute__((visibility("protected"))) int prot(int x) { return x * 3; }
__attribute__((weak)) int weakfn(int x) { return x - 1; }
extern int ext(int);
int alias_target(int x) { return ext(x) + hid(x); }
int aliased(int) __attribute__((alias("alias_target")));
static __attribute__((noinline)) int sw(int x) {
  switch (x) { case 0: return 11; case 1: return 22; case 2: return 35; case 3: return 47;
               case 4: return 51; case 5: return 68; case 6: return 71; default: return 0; }
}
int use(int x) { return sw(x) + counter + tls_var + banner[x & 7] + prot(x) + weakfn(x); }
long big(void) { return 0x123456789abcdefL; }
`;

const BPF_C = `
struct { int type; int max_entries; } counts __attribute__((section(".maps"), used));
int global_counter = 5;
static const char fmt[] = "hit %d";
static __attribute__((noinline)) int helper(int x) { return x * 2 + global_counter; }
__attribute__((section("fentry/bpf_fentry_test1"), used)) int prog(unsigned long long *ctx) {
  return helper((int)ctx[0]) + fmt[1] + counts.max_entries;
}
char _license[] __attribute__((section("license"), used)) = "GPL";
`;

const SHARED_C = `
int x = 1; int *px = &x; extern int y; int *py = &y;
static int st(int a) { return a + 1; }
int (*fp)(int) = st;
int get(void) { return *px + *py + fp(2); }
`;

export interface Fixtures {
  dir: string;
  /** File name (pfe2.o, pfe42.o, pic.o, clang.o, bpf.o, shared.so, static.elf[, many.o]) → path. */
  files: Map<string, string>;
  remove(): void;
}

export function buildFixtures(opts: { many?: boolean } = {}): Fixtures {
  const dir = mkdtempSync(join(tmpdir(), 'tramp64-elf-'));
  const sh = (cmd: string, args: string[]): void => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  };
  writeFileSync(join(dir, 'kernel.c'), KERNEL_C);
  writeFileSync(join(dir, 'bpf.c'), BPF_C);
  writeFileSync(join(dir, 'shared.c'), SHARED_C);
  const gcc = 'aarch64-linux-gnu-gcc';
  const kflags = [
    '-O2',
    '-fcommon',
    '-fno-omit-frame-pointer',
    '-fno-optimize-sibling-calls',
    '-mgeneral-regs-only',
  ];
  sh(gcc, [...kflags, '-fpatchable-function-entry=2', '-c', 'kernel.c', '-o', 'pfe2.o']);
  sh(gcc, [
    ...kflags,
    '-fpatchable-function-entry=4,2',
    '-falign-functions=8',
    '-mbranch-protection=pac-ret+leaf',
    '-ffunction-sections',
    '-c',
    'kernel.c',
    '-o',
    'pfe42.o',
  ]);
  sh(gcc, ['-O2', '-fPIC', '-c', 'kernel.c', '-o', 'pic.o']);
  sh('clang-14', [
    '--target=aarch64-linux-gnu',
    '-O2',
    '-mbranch-protection=bti',
    '-fpatchable-function-entry=2',
    '-c',
    'kernel.c',
    '-o',
    'clang.o',
  ]);
  sh('clang-14', ['-target', 'bpf', '-O2', '-g', '-c', 'bpf.c', '-o', 'bpf.o']);
  sh(gcc, ['-O2', '-shared', '-fPIC', '-nostdlib', 'shared.c', '-o', 'shared.so']);
  sh(gcc, [
    '-O2',
    '-static',
    '-nostdlib',
    '-Wl,-e,use',
    '-Wl,--unresolved-symbols=ignore-all',
    'kernel.c',
    '-o',
    'static.elf',
  ]);
  const names = ['pfe2.o', 'pfe42.o', 'pic.o', 'clang.o', 'bpf.o', 'shared.so', 'static.elf'];
  if (opts.many) {
    // 65,300 sections: e_shnum 0, e_shstrndx SHN_XINDEX and a .symtab_shndx table.
    const asm = ['.text'];
    for (let i = 0; i < 65_300; i++)
      asm.push(
        `.section .text.f${i},"ax",%progbits`,
        `.globl f${i}`,
        `.type f${i}, %function`,
        `f${i}: ret`,
        `.size f${i}, 4`,
      );
    writeFileSync(join(dir, 'many.s'), asm.join('\n') + '\n');
    sh(gcc, ['-c', 'many.s', '-o', 'many.o']);
    names.push('many.o');
  }
  return {
    dir,
    files: new Map(names.map((n) => [n, join(dir, n)])),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
