/**
 * Streaming SHA-256 (FIPS 180-4 §6.2) in WebAssembly, for hashing multi-GB
 * files in the browser: WebCrypto cannot stream, and pure JS reaches only a
 * few percent of native speed. The module is generated here, a few KB of
 * bytecode with the 64 rounds fully unrolled and the eight working variables
 * renamed round by round instead of moved (so the engine keeps them in
 * registers); it measured faster than the hash-wasm package (bench/web.bench.mjs).
 * Generated rather than shipped as a binary, so what runs is what is reviewed.
 */

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// Opcodes (WebAssembly core spec §5.4).
const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  eqz: 0x45,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shrU: 0x76,
  rotl: 0x77,
  rotr: 0x78,
} as const;

/** Signed LEB128 of a 32-bit integer (§5.2.2). */
function sleb(v: number): number[] {
  const out: number[] = [];
  let x = v | 0;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    if ((x === 0 && !(byte & 0x40)) || (x === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

function uleb(v: number): number[] {
  const out: number[] = [];
  let x = v >>> 0;
  do {
    const byte = x & 0x7f;
    x >>>= 7;
    out.push(x ? byte | 0x80 : byte);
  } while (x);
  return out;
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/** Memory layout: the hash state at 0, the byte-swapped block (SIMD variant) at W_AT, the input window from INPUT on. */
const W_AT = 64;
export const INPUT = 512;
export const WINDOW = 4 * 1024 * 1024;
/**
 * Blocks per call into the module. The engine first runs a new module's code from its
 * baseline compiler and swaps in the optimised code only between calls (V8 has no
 * on-stack replacement for WebAssembly): one call over a whole 4 MiB window stayed on the
 * baseline code, about 16 times slower, and cost some 160 ms per hash of a fresh worker.
 */
const CALL_BLOCKS = 1024;
const PAGES = Math.ceil((INPUT + WINDOW) / 65536);

const I32 = 0x7f;
/** SIMD instructions: prefix 0xfd, then the opcode as a LEB128 (WebAssembly 2.0 §5.4.8). */
const simd = (op: number) => [0xfd, ...uleb(op)];
const V = { load: 0x00, store: 0x0b, const: 0x0c, swizzle: 0x0e } as const;
/** Byte indices that turn four big-endian words into little-endian ones (i8x16.swizzle). */
const BSWAP = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];

/**
 * The 64 rounds, unrolled, with the eight working variables renamed round by
 * round instead of moved. `w(i)` is the local holding W[i]; `beforeRound(i)`
 * computes it (the message schedule) just before it is needed.
 */
function rounds(
  c: number[],
  v: number[],
  T1: number,
  X: (i: number) => number,
  w: (i: number) => number,
  beforeRound: (i: number) => void,
) {
  const get = (l: number) => c.push(OP.get, l);
  const rotr = (l: number, n: number) => c.push(OP.get, l, OP.const, ...sleb(n), OP.rotr);
  const sigma = (l: number, r1: number, r2: number, r3: number) => {
    rotr(l, r1);
    rotr(l, r2);
    c.push(OP.xor);
    rotr(l, r3);
    c.push(OP.xor);
  };
  // Round 0's "last a ^ b" is its b ^ c.
  c.push(OP.get, v[1] as number, OP.get, v[2] as number, OP.xor, OP.set, X(-1));
  for (let i = 0; i < 64; i++) {
    const r = (k: number) => v[(k - (i % 8) + 8) % 8] as number;
    const [a, b, d, e, f, g, h] = [r(0), r(1), r(3), r(4), r(5), r(6), r(7)];
    beforeRound(i);
    // T1 = h + Σ1(e) + Ch(e,f,g) + K[i] + W[i]; d += T1; h = T1 + Σ0(a) + Maj(a,b,c)
    get(h);
    sigma(e, 6, 11, 25);
    c.push(OP.add);
    c.push(OP.get, g, OP.get, e, OP.get, f, OP.get, g, OP.xor, OP.and, OP.xor, OP.add);
    c.push(OP.const, ...sleb(K[i] as number), OP.add);
    c.push(OP.get, w(i), OP.add, OP.tee, T1);
    c.push(OP.get, d, OP.add, OP.set, d);
    get(T1);
    sigma(a, 2, 13, 22);
    c.push(OP.add);
    // Maj(a,b,c) = ((a ^ b) & (b ^ c)) ^ b, and this round's b ^ c is the last round's a ^ b.
    c.push(OP.get, a, OP.get, b, OP.xor, OP.tee, X(i), OP.get, X(i - 1), OP.and, OP.get, b, OP.xor, OP.add);
    c.push(OP.set, h);
  }
}

/** Loads the state into a..h before a block's rounds; adds them back after, then steps to the next block. */
function blockLoop(c: number[], v: number[], body: () => void) {
  c.push(OP.block, 0x40, OP.loop, 0x40);
  c.push(OP.get, 1, OP.eqz, OP.brIf, 1);
  body();
  for (let k = 0; k < 8; k++) {
    c.push(OP.const, 0, OP.const, 0, OP.load, 2, ...uleb(k * 4), OP.get, v[k] as number, OP.add);
    c.push(OP.store, 2, ...uleb(k * 4));
  }
  c.push(OP.get, 0, OP.const, ...sleb(64), OP.add, OP.set, 0);
  c.push(OP.get, 1, OP.const, 1, OP.sub, OP.set, 1);
  c.push(OP.br, 0, OP.end, OP.end, OP.end);
}

const loadState = (c: number[], v: number[]) => {
  for (let k = 0; k < 8; k++) c.push(OP.const, 0, OP.load, 2, ...uleb(k * 4), OP.set, v[k] as number);
};

/**
 * The body of `blocks(ptr, n)`: compresses n 64-byte blocks at ptr into the state.
 * With `swizzle`, the big-endian words are turned around 16 bytes at a time by one
 * SIMD byte shuffle each (through memory at W_AT) instead of word by word.
 */
function blocksBody(swizzle = false): number[] {
  // Locals: 0 ptr, 1 n (params), then a..h = 2..9, w0..w15 = 10..25, t1 = 26, and
  // x = 27, 28: a ^ b of this round and of the last, for Maj.
  const v = [2, 3, 4, 5, 6, 7, 8, 9];
  const w = (i: number) => 10 + (i & 15);
  const X = (i: number) => 27 + (i & 1);
  const c: number[] = [];
  const rotr = (l: number, n: number) => c.push(OP.get, l, OP.const, ...sleb(n), OP.rotr);
  const smallSigma = (l: number, r1: number, r2: number, r3: number) => {
    rotr(l, r1);
    rotr(l, r2);
    c.push(OP.xor, OP.get, l, OP.const, ...sleb(r3), OP.shrU, OP.xor);
  };
  blockLoop(c, v, () => {
    loadState(c, v);
    if (swizzle) {
      for (let j = 0; j < 4; j++) {
        c.push(OP.const, 0, OP.get, 0, ...simd(V.load), 0, ...uleb(16 * j));
        c.push(...simd(V.const), ...BSWAP, ...simd(V.swizzle), ...simd(V.store), 0, ...uleb(W_AT + 16 * j));
      }
      for (let j = 0; j < 16; j++) c.push(OP.const, 0, OP.load, 2, ...uleb(W_AT + 4 * j), OP.set, w(j));
    } else {
      for (let j = 0; j < 16; j++) {
        // Big-endian word: bswap(x) = rotl(x & 0xff00ff00, 8) | rotr(x & 0x00ff00ff, 8).
        c.push(OP.get, 0, OP.load, 0, ...uleb(j * 4), OP.tee, w(j));
        c.push(OP.const, ...sleb(0xff00ff00), OP.and, OP.const, 8, OP.rotl);
        c.push(
          OP.get,
          w(j),
          OP.const,
          ...sleb(0x00ff00ff),
          OP.and,
          OP.const,
          8,
          OP.rotr,
          OP.or,
          OP.set,
          w(j),
        );
      }
    }
    rounds(c, v, 26, X, w, (i) => {
      if (i < 16) return;
      // W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16], in place of W[i-16]
      c.push(OP.get, w(i));
      smallSigma(w(i - 15), 7, 18, 3);
      c.push(OP.add, OP.get, w(i - 7), OP.add);
      smallSigma(w(i - 2), 17, 19, 10);
      c.push(OP.add, OP.set, w(i));
    });
  });
  const body = [...vec([[27, I32]]), ...c]; // 27 more i32 locals
  return [...uleb(body.length), ...body];
}

/** The module's bytes: one exported memory and one exported function, `blocks(ptr, n)`. */
export function sha256ModuleBytes(variant: "simd" | "scalar" = "scalar"): Uint8Array {
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), 0x00]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(PAGES)]])),
    ...section(
      7,
      vec([
        [...name("memory"), 0x02, 0],
        [...name("blocks"), 0x00, 0],
      ]),
    ),
    ...section(10, vec([blocksBody(variant === "simd")])),
  ]);
}

export interface StreamingSha256 {
  update(data: Uint8Array): void;
  /** The digest, lowercase hex; the hasher cannot be used afterwards. */
  digestHex(): string;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * SIMD where the engine has it (every current browser), else the scalar module. Only the
 * byte swap uses SIMD: a vectorised message schedule measured about 40% slower in
 * Chromium (its rounds must then read W from memory, and rotates cost three vector ops).
 */
export function preferredVariant(): "simd" | "scalar" {
  return WebAssembly.validate(sha256ModuleBytes("simd") as Uint8Array<ArrayBuffer>) ? "simd" : "scalar";
}

/** A new SHA-256 over the compiled module (compiled once per realm and variant). */
export async function createWasmSha256(variant = preferredVariant()): Promise<StreamingSha256> {
  let module = compiled.get(variant);
  if (!module) {
    module = WebAssembly.compile(sha256ModuleBytes(variant) as Uint8Array<ArrayBuffer>);
    compiled.set(variant, module);
  }
  const instance = await WebAssembly.instantiate(await module);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const blocks = instance.exports.blocks as (ptr: number, n: number) => void;
  const mem = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  for (const [k, h] of H0.entries()) view.setUint32(k * 4, h, true);
  let pending = 0; // bytes waiting at INPUT, fewer than 64
  let total = 0;
  return {
    update(data) {
      total += data.length;
      let off = 0;
      while (off < data.length) {
        const take = Math.min(data.length - off, WINDOW - pending);
        mem.set(data.subarray(off, off + take), INPUT + pending);
        off += take;
        const have = pending + take;
        const full = have >>> 6;
        for (let done = 0; done < full; done += CALL_BLOCKS)
          blocks(INPUT + (done << 6), Math.min(CALL_BLOCKS, full - done));
        pending = have & 63;
        if (pending) mem.copyWithin(INPUT, INPUT + (full << 6), INPUT + have);
      }
    },
    digestHex() {
      // §5.1.1 padding: 0x80, zeros, then the length in bits as a 64-bit big-endian integer.
      const padLen = pending < 56 ? 64 : 128;
      mem.fill(0, INPUT + pending, INPUT + padLen);
      mem[INPUT + pending] = 0x80;
      const bits = total * 8;
      view.setUint32(INPUT + padLen - 8, Math.floor(bits / 2 ** 32), false);
      view.setUint32(INPUT + padLen - 4, bits >>> 0, false);
      blocks(INPUT, padLen / 64);
      let hex = "";
      for (let k = 0; k < 8; k++)
        hex += view
          .getUint32(k * 4, true)
          .toString(16)
          .padStart(8, "0");
      return hex;
    },
  };
}
