/**
 * Real functions of the Debian 6.1 corpus run on the model CPU: CRCs, multi-precision arithmetic (crypto/ecc),
 * GF(2^128) multiplication (GHASH), a Keccak round (SHA-3), X25519, Poly1305 and LZ4 compression. Each module
 * is loaded into a kernel with the A64 runtime (memcpy/memset), so the functions run without calling
 * anything the model does not execute; each answer is checked against an implementation written here or
 * against Node's crypto (X25519, SHA3-256).
 */
import { createPrivateKey, createPublicKey, createHash, diffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureCorpus, moduleName, readModule } from '../../src/cli/corpus.js';
import { Kernel } from '../../src/kernel/kernel.js';
import { loadModule, type Module } from '../../src/kernel/module.js';
import { installRuntime } from '../../src/kernel/runtime/index.js';
import { PERM_R, PERM_W } from '../../src/machine/index.js';
import { Rng } from '../../src/util/rng.js';

const SCRATCH = 0xffff_0000_4000_0000n;
const SCRATCH_SIZE = 1 << 20;

interface Env {
  k: Kernel;
  mod: (name: string) => Module;
  /** Copy bytes to scratch memory; returns the address. */
  put: (bytes: Uint8Array) => bigint;
  get: (addr: bigint, n: number) => Uint8Array;
  call: (m: Module, fn: string, args: bigint[]) => bigint;
}

let envPromise: Promise<Env> | undefined;
function env(): Promise<Env> {
  return (envPromise ??= (async () => {
    const corpus = await ensureCorpus('6.1');
    const k = new Kernel({ layout: { kind: 'nokaslr', seed: 1 }, machine: { bti: false } });
    installRuntime(k);
    k.machine.memory.map(SCRATCH, SCRATCH_SIZE, PERM_R | PERM_W);
    let next = SCRATCH;
    const loaded = new Map<string, Module>();
    const mod = (name: string): Module => {
      let m = loaded.get(name);
      if (!m) {
        const path = corpus.modules.find((p) => moduleName(p).replace(/-/g, '_') === name);
        if (!path) throw new Error(`no ${name} in the corpus`);
        m = loadModule(k, readModule(path), { name });
        loaded.set(name, m);
      }
      return m;
    };
    const put = (bytes: Uint8Array): bigint => {
      const at = next;
      k.machine.memory.writeBytes(at, bytes);
      next += BigInt((bytes.length + 63) & ~63) + 64n;
      return at;
    };
    const get = (addr: bigint, n: number): Uint8Array => k.machine.memory.readBytes(addr, n);
    const call = (m: Module, fn: string, args: bigint[]): bigint => {
      const a = m.symbol(fn);
      if (a === undefined) throw new Error(`${m.name} has no ${fn}`);
      return k.machine.call(a, args, { maxInstructions: 200_000_000 });
    };
    return { k, mod, put, get, call };
  })());
}

const u64s = (xs: readonly bigint[]): Uint8Array => {
  const b = new Uint8Array(xs.length * 8);
  const v = new DataView(b.buffer);
  xs.forEach((x, i) => v.setBigUint64(i * 8, BigInt.asUintN(64, x), true));
  return b;
};
const readU64s = (b: Uint8Array): bigint[] => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: b.length / 8 }, (_, i) => v.getBigUint64(i * 8, true));
};
const randomBytes = (rng: Rng, n: number): Uint8Array => Uint8Array.from({ length: n }, () => rng.below(256));
const vliValue = (digits: readonly bigint[]): bigint =>
  digits.reduce((acc, d, i) => acc | (d << BigInt(64 * i)), 0n);

// ---- independent implementations ------------------------------------------------------------------------

/** CRC-7 as lib/crc7 keeps it: polynomial x^7 + x^3 + 1, MSB first, left-aligned in a byte (0x12). */
function crc7Be(crc: number, data: Uint8Array): number {
  for (const b of data) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x12) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** CRC-ITU-T (CCITT): polynomial 0x1021, MSB first. */
function crcItuT(crc: number, data: Uint8Array): number {
  for (const b of data) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** GF(2^128) product in GCM's bit order (NIST SP 800-38D, algorithm 1); blocks as big-endian 128-bit numbers. */
function gcmMul(x: bigint, y: bigint): bigint {
  const R = 0xe1n << 120n;
  let z = 0n;
  let v = y;
  for (let i = 127; i >= 0; i--) {
    if ((x >> BigInt(i)) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}
const be128 = (b: Uint8Array): bigint => b.reduce((a, x) => (a << 8n) | BigInt(x), 0n);

/** One Keccak-f[1600] round without ι (theta, rho, pi, chi), lanes st[x + 5y]. */
function keccakRoundNoIota(st: bigint[]): bigint[] {
  const rot = (v: bigint, n: number): bigint =>
    BigInt.asUintN(64, (v << BigInt(n)) | (v >> BigInt((64 - n) % 64)));
  const C = [0, 1, 2, 3, 4].map((x) => st[x]! ^ st[x + 5]! ^ st[x + 10]! ^ st[x + 15]! ^ st[x + 20]!);
  const a = st.map((v, i) => v ^ C[((i % 5) + 4) % 5]! ^ rot(C[((i % 5) + 1) % 5]!, 1));
  const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
  const b: bigint[] = new Array(25).fill(0n);
  for (let x = 0; x < 5; x++)
    for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rot(a[x + 5 * y]!, RHO[x + 5 * y]!);
  return b.map((v, i) => {
    const x = i % 5;
    const y = i - x;
    return v ^ (~b[y + ((x + 1) % 5)]! & b[y + ((x + 2) % 5)]! & ((1n << 64n) - 1n));
  });
}
function keccakRc(): bigint[] {
  // The round constants from the LFSR of FIPS 202 §3.2.5.
  const out: bigint[] = [];
  let r = 1;
  const rcBit = (): number => {
    const bit = r & 1;
    r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    return bit;
  };
  for (let i = 0; i < 24; i++) {
    let rc = 0n;
    for (let j = 0; j < 7; j++) if (rcBit()) rc |= 1n << BigInt((1 << j) - 1);
    out.push(rc);
  }
  return out;
}

/** Poly1305 (RFC 8439 §2.5) with BigInt. */
function poly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const le = (b: Uint8Array): bigint => b.reduceRight((a, x) => (a << 8n) | BigInt(x), 0n);
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(key.subarray(16, 32));
  const p = (1n << 130n) - 5n;
  let acc = 0n;
  for (let i = 0; i < msg.length; i += 16) {
    const chunk = msg.subarray(i, i + 16);
    acc = ((acc + le(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
  }
  const tag = (acc + s) & ((1n << 128n) - 1n);
  return Uint8Array.from({ length: 16 }, (_, i) => Number((tag >> BigInt(8 * i)) & 0xffn));
}

/** LZ4 block-format decoder (the format lz4_compress writes). */
function lz4Decode(src: Uint8Array, outLen: number): Uint8Array {
  const out = new Uint8Array(outLen);
  let i = 0;
  let o = 0;
  const len = (n: number): number => {
    if (n !== 15) return n;
    let b: number;
    do {
      b = src[i++]!;
      n += b;
    } while (b === 255);
    return n;
  };
  while (i < src.length) {
    const token = src[i++]!;
    const lit = len(token >> 4);
    out.set(src.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i >= src.length) break;
    const off = src[i]! | (src[i + 1]! << 8);
    i += 2;
    const ml = len(token & 15) + 4;
    for (let k = 0; k < ml; k++, o++) out[o] = out[o - off]!;
  }
  if (o !== outLen) throw new Error(`LZ4 decoded ${o} bytes, expected ${outLen}`);
  return out;
}

// ---- the functions --------------------------------------------------------------------------------------

describe('corpus module functions on the model CPU', () => {
  const rng = new Rng(0x6b46);
  const data = randomBytes(rng, 300);

  it('crc7_be (lib/crc7)', async () => {
    const e = await env();
    const buf = e.put(data);
    for (const [crc, n] of [
      [0, 300],
      [0x7e, 17],
      [0x10, 0],
    ] as const) {
      expect(Number(e.call(e.mod('crc7'), 'crc7_be', [BigInt(crc), buf, BigInt(n)]) & 0xffn)).toBe(
        crc7Be(crc, data.subarray(0, n)),
      );
    }
  });

  it('crc_itu_t (lib/crc-itu-t)', async () => {
    const e = await env();
    const buf = e.put(data);
    for (const [crc, n] of [
      [0, 300],
      [0xffff, 9],
      [0x1d0f, 64],
    ] as const) {
      expect(Number(e.call(e.mod('crc_itu_t'), 'crc_itu_t', [BigInt(crc), buf, BigInt(n)]) & 0xffffn)).toBe(
        crcItuT(crc, data.subarray(0, n)),
      );
    }
  });

  it('vli_is_zero, vli_cmp, vli_sub, vli_num_bits, vli_from_be64 (crypto/ecc)', async () => {
    const e = await env();
    const m = e.mod('ecc');
    for (let t = 0; t < 8; t++) {
      const nd = 4;
      const a = Array.from({ length: nd }, () => rng.u64() >> BigInt(rng.below(64)));
      const b = t === 0 ? [...a] : Array.from({ length: nd }, () => rng.u64());
      const pa = e.put(u64s(a));
      const pb = e.put(u64s(b));
      const A = vliValue(a);
      const B = vliValue(b);
      expect(e.call(m, 'vli_is_zero', [pa, BigInt(nd)]) & 1n).toBe(A === 0n ? 1n : 0n);
      expect(BigInt.asIntN(32, e.call(m, 'vli_cmp', [pa, pb, BigInt(nd)]))).toBe(
        A > B ? 1n : A < B ? -1n : 0n,
      );
      const res = e.put(new Uint8Array(8 * nd));
      const borrow = e.call(m, 'vli_sub', [res, pa, pb, BigInt(nd)]);
      expect(vliValue(readU64s(e.get(res, 8 * nd)))).toBe(BigInt.asUintN(64 * nd, A - B));
      expect(borrow).toBe(A < B ? 1n : 0n);
      expect(e.call(m, 'vli_num_bits', [pa, BigInt(nd)]) & 0xffffffffn).toBe(
        BigInt(A.toString(2).length - (A === 0n ? 1 : 0)),
      );
      const raw = randomBytes(rng, 8 * nd);
      const dst = e.put(new Uint8Array(8 * nd));
      e.call(m, 'vli_from_be64', [dst, e.put(raw), BigInt(nd)]);
      expect(vliValue(readU64s(e.get(dst, 8 * nd)))).toBe(
        be128(raw) /* big-endian number of all bytes */ & ((1n << BigInt(64 * nd)) - 1n),
      );
    }
  });

  it('gf128mul_lle (crypto/gf128mul), the GHASH multiplication', async () => {
    const e = await env();
    for (let t = 0; t < 4; t++) {
      const x = randomBytes(rng, 16);
      const y = randomBytes(rng, 16);
      const px = e.put(x);
      e.call(e.mod('gf128mul'), 'gf128mul_lle', [px, e.put(y)]);
      expect(be128(e.get(px, 16))).toBe(gcmMul(be128(x), be128(y)));
    }
  });

  it('keccakf_round (crypto/sha3_generic): 24 rounds + ι give Node’s SHA3-256', async () => {
    const e = await env();
    const m = e.mod('sha3_generic');
    const msg = data.subarray(0, 50);
    // One rate block of SHA3-256 (136 bytes): message, 0x06 … 0x80 padding.
    const block = new Uint8Array(200);
    block.set(msg);
    block[msg.length]! ^= 0x06;
    block[135]! ^= 0x80;
    let st = readU64s(block);
    const pst = e.put(u64s(st));
    const rc = keccakRc();
    for (let r = 0; r < 24; r++) {
      e.call(m, 'keccakf_round', [pst]);
      const got = readU64s(e.get(pst, 200));
      st = keccakRoundNoIota(st);
      expect(got).toEqual(st);
      st[0] = st[0]! ^ rc[r]!;
      e.k.machine.memory.writeBytes(pst, u64s(st));
    }
    const digest = Buffer.from(u64s(st).subarray(0, 32)).toString('hex');
    expect(digest).toBe(createHash('sha3-256').update(msg).digest('hex'));
  });

  it('curve25519_generic (lib/crypto/libcurve25519-generic) against Node’s X25519', async () => {
    const e = await env();
    const scalar = randomBytes(rng, 32);
    scalar[0]! &= 248;
    scalar[31] = (scalar[31]! & 127) | 64;
    const peer = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), Buffer.from(randomBytes(rng, 32))]),
      format: 'der',
      type: 'spki',
    });
    const point = peer.export({ format: 'der', type: 'spki' }).subarray(12);
    const out = e.put(new Uint8Array(32));
    e.call(e.mod('libcurve25519_generic'), 'curve25519_generic', [out, e.put(scalar), e.put(point)]);
    const priv = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), Buffer.from(scalar)]),
      format: 'der',
      type: 'pkcs8',
    });
    expect(Buffer.from(e.get(out, 32)).toString('hex')).toBe(
      diffieHellman({ privateKey: priv, publicKey: peer }).toString('hex'),
    );
  });

  it('poly1305_init/update/final_generic (lib/crypto/libpoly1305): RFC 8439 §2.5.2 and random messages', async () => {
    const e = await env();
    const m = e.mod('libpoly1305');
    const rfcKey = Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex');
    const rfcMsg = Buffer.from('Cryptographic Forum Research Group');
    for (const [key, msg] of [
      [rfcKey, rfcMsg],
      [randomBytes(rng, 32), randomBytes(rng, 100)],
    ] as const) {
      const desc = e.put(new Uint8Array(256));
      e.call(m, 'poly1305_init_generic', [desc, e.put(key)]);
      e.call(m, 'poly1305_update_generic', [desc, e.put(msg), BigInt(msg.length)]);
      const tag = e.put(new Uint8Array(16));
      e.call(m, 'poly1305_final_generic', [desc, tag]);
      expect(Buffer.from(e.get(tag, 16)).toString('hex')).toBe(
        Buffer.from(poly1305(key, msg)).toString('hex'),
      );
    }
    expect(Buffer.from(poly1305(rfcKey, rfcMsg)).toString('hex')).toBe('a8061dc1305136c6c22b8baf0c0127a9');
  });

  it('LZ4_compress_default (lib/lz4/lz4_compress): the output decodes back to the input', async () => {
    const e = await env();
    const text = new TextEncoder().encode(
      'tramp64 tramp64 tramp64: arm64 ftrace call sites, ftrace_caller, trampolines. '.repeat(20),
    );
    const src = e.put(text);
    const dst = e.put(new Uint8Array(text.length + 64));
    const wrk = e.put(new Uint8Array(64 * 1024));
    const n = Number(
      BigInt.asIntN(
        32,
        e.call(e.mod('lz4_compress'), 'LZ4_compress_default', [
          src,
          dst,
          BigInt(text.length),
          BigInt(text.length + 64),
          wrk,
        ]),
      ),
    );
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(text.length / 4);
    expect(lz4Decode(e.get(dst, n), text.length)).toEqual(text);
  });
});
