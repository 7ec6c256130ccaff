/** Interpreter behaviour beyond the .data files: error objects, helper injection, options, RFC edge cases. */
import { describe, expect, test } from 'vitest';
import {
  assemble,
  BpfInterpreter,
  BpfRuntimeError,
  conformanceHelpers,
  ADDRESS_MAP,
  MAX_BPF_STACK,
  type HelperSet,
} from '../../src/bpf/index.js';
import { ALU32_OPS, ALU64_OPS, JMP32_CONDS, bswap } from '../../src/bpf/interp/index.js';

const run = (text: string, helpers: HelperSet = conformanceHelpers(), mem?: Uint8Array): bigint =>
  new BpfInterpreter(assemble(text), { helpers }).run(mem !== undefined ? { mem } : {}).r0;

const runtimeError = (fn: () => unknown): BpfRuntimeError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BpfRuntimeError);
    return e as BpfRuntimeError;
  }
  throw new Error('no error');
};

describe('RFC 9669 arithmetic edge cases', () => {
  const M = (1n << 64n) - 1n;
  test.each([
    ['DIV by 0 is 0', ALU64_OPS.DIV!(7n, 0n), 0n],
    ['MOD by 0 leaves dst', ALU64_OPS.MOD!(M, 0n), M],
    ['32-bit MOD by 0 zeroes the upper half', ALU32_OPS.MOD!(0x1_0000_0007n, 0n), 7n],
    ['32-bit DIV ignores the upper half of the divisor', ALU32_OPS.DIV!(8n, 0x1_0000_0000n), 0n],
    ['SDIV LLONG_MIN / -1 wraps', ALU64_OPS.SDIV!(1n << 63n, M), 1n << 63n],
    ['SMOD truncates (-13 % 3 = -1)', ALU64_OPS.SMOD!(M - 12n, 3n), M],
    ['SMOD by -1 is 0', ALU64_OPS.SMOD!(1n << 63n, M), 0n],
    ['32-bit SDIV INT_MIN / -1 wraps', ALU32_OPS.SDIV!(0x8000_0000n, 0xffff_ffffn), 0x8000_0000n],
    ['LSH masks the shift by 63', ALU64_OPS.LSH!(1n, 65n), 2n],
    ['32-bit ARSH sign-extends within 32 bits', ALU32_OPS.ARSH!(0x8000_0000n, 4n), 0xf800_0000n],
    ['JMP32 signed compare looks at the low half only', BigInt(JMP32_CONDS.JSLT!(0x1_ffff_ffffn, 0n)), 1n],
    ['bswap32 zero-extends', bswap(0xffff_ffff_1122_3344n, 32), 0x4433_2211n],
  ])('%s', (_name, got, want) => {
    expect(got).toBe(want);
  });
});

describe('interpreter', () => {
  test('r1 is the buffer, r2 its length, r10 the top of a 512-byte stack', () => {
    expect(run('mov %r0, %r1\nexit')).toBe(ADDRESS_MAP.input);
    expect(run('mov %r0, %r2\nexit', conformanceHelpers(), new Uint8Array(5))).toBe(5n);
    expect(run('mov %r0, %r10\nexit')).toBe(ADDRESS_MAP.stack + BigInt(MAX_BPF_STACK));
  });

  test('out-of-bounds access is a BpfRuntimeError with pc, address and code', () => {
    const vm = new BpfInterpreter(assemble('mov %r0, 0\nldxdw %r0, [%r1+1]\nexit'), {
      helpers: conformanceHelpers(),
    });
    const e = runtimeError(() => vm.run({ mem: new Uint8Array(8) }));
    expect(e.code).toBe('BPF_MEM');
    expect(e.pc).toBe(1);
    expect(e.address).toBe(ADDRESS_MAP.input + 1n);
  });

  test('an address that wraps around 2^64 is out of bounds, not a crash', () => {
    const e = runtimeError(() => run('lddw %r1, 0xffffffffffffffff\nldxdw %r0, [%r1+0]\nexit'));
    expect(e.message).toBe(
      'pc 2: read of 8 bytes at 0xffffffffffffffff is outside every region (mem [0x100000000, +0), stack0 [0x7fff00000000, +512)) (ldxdw %r0, [%r1])',
    );
  });

  test('the instruction bound is an option', () => {
    const vm = new BpfInterpreter(assemble('l:\nja l'), { helpers: conformanceHelpers(), insnLimit: 10 });
    const e = runtimeError(() => vm.run());
    expect(e.code).toBe('BPF_INSN_LIMIT');
    expect(e.message).toBe('pc 0: instruction limit of 10 reached (ja -1)');
  });

  test('helpers are injected as a table and see r1..r5 and memory', () => {
    const helpers: HelperSet = {
      name: 'test',
      table: new Map([[1, ([a, b, , , e], vm) => a + b + e + vm.memory.load(ADDRESS_MAP.input, 1, vm.pc)]]),
    };
    expect(run('mov %r1, 1\nmov %r2, 2\nmov %r5, 5\ncall 1\nexit', helpers, Uint8Array.of(100))).toBe(108n);
    const e = runtimeError(() => run('call 2\nexit', helpers));
    expect(e.message).toBe('pc 0: unknown helper 2 (helpers: test) (call 2)');
  });

  test('a helper that throws a plain Error becomes a typed BPF_HELPER error', () => {
    const helpers: HelperSet = {
      name: 'test',
      table: new Map([
        [
          1,
          () => {
            throw new Error('boom');
          },
        ],
      ]),
    };
    expect(runtimeError(() => run('call 1\nexit', helpers)).message).toBe(
      'pc 0: helper 1 failed: boom (call 1)',
    );
  });

  test('each run starts fresh: registers, stack and buffer', () => {
    const vm = new BpfInterpreter(assemble('ldxdw %r0, [%r10-8]\nadd %r0, 1\nstxdw [%r10-8], %r0\nexit'), {
      helpers: conformanceHelpers(),
    });
    expect(vm.run().r0).toBe(1n);
    expect(vm.run().r0).toBe(1n);
  });

  test('a program needing a group the runtime does not run is refused when the VM is built', () => {
    const e = runtimeError(
      () =>
        new BpfInterpreter(assemble('mov %r0, 1\nmul %r0, 3\nexit'), {
          helpers: conformanceHelpers(),
          groups: ['base32', 'base64'],
        }),
    );
    expect(e.message).toBe(
      'pc 1: ALU64_MUL_K (mul) is in group divmul64, which this interpreter does not run (runs: base32, base64)',
    );
  });

  test('pseudo wide loads go through the injected resolver', () => {
    const vm = new BpfInterpreter(assemble('lddw_map_value %r0, 3, 16\nexit'), {
      helpers: conformanceHelpers(),
      resolveLdImm64: (entry, imm, next) => BigInt(entry.match.src! * 1000 + imm * 100 + next),
    });
    expect(vm.run().r0).toBe(2316n);
  });

  test('kfunc calls need kernel functions', () => {
    expect(runtimeError(() => run('call runtime 7\nexit')).code).toBe('BPF_UNSUPPORTED');
  });
});

test('address arithmetic wraps modulo 2^64 (r1 + 2^64 - 8 + 16 = r1 + 8)', () => {
  const r0 = run(
    'lddw %r2, 0xfffffffffffffff8\nadd %r1, %r2\nldxb %r0, [%r1+16]\nexit',
    conformanceHelpers(),
    Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 42),
  );
  expect(r0).toBe(42n);
});
