import { ValidationError } from "./errors.js";

const HEX = /^[0-9a-f]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_CODES = new TextEncoder().encode("0123456789abcdef");
// Strings are built from a byte array decoded once: concatenating per character
// makes garbage that dominated receipt building (ASCII output, so latin1 is exact).
const ascii = new TextDecoder("latin1");

export function isBytes(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array;
}

/** Throws unless `x` is a Uint8Array of exactly `len` bytes (when given). */
export function assertBytes(x: unknown, len: number | undefined, label: string): Uint8Array {
  if (!isBytes(x)) throw new ValidationError("INVALID_ARGUMENT", `${label}: expected Uint8Array`);
  if (len !== undefined && x.length !== len) {
    throw new ValidationError("INVALID_ARGUMENT", `${label}: expected ${len} bytes, got ${x.length}`);
  }
  return x;
}

/**
 * Character codes of a short text being built (a hash in hex or base64): a plain
 * array turned into a string in one call. A 32-byte hash is a typed array kept in
 * V8's heap, and handing one to native code (TextDecoder, Buffer) first moves its
 * bytes into a fresh off-heap buffer: under load that allocation, and the sweeping
 * after it, cost more than the encoding.
 */
const SHORT_CODES = 96;
/** One reused array per text length (fromCharCode.apply takes the whole array). */
const shortCodes: number[][] = [];
const codesOf = (n: number): number[] => {
  let a = shortCodes[n];
  if (!a) {
    a = new Array<number>(n).fill(0);
    shortCodes[n] = a;
  }
  return a;
};
const textOf = (codes: number[]): string => String.fromCharCode.apply(null, codes);

export function toHex(b: Uint8Array): string {
  if (b.length * 2 <= SHORT_CODES) {
    const codes = codesOf(b.length * 2);
    for (let i = 0; i < b.length; i++) {
      const x = b[i] as number;
      codes[2 * i] = HEX_CODES[x >> 4] as number;
      codes[2 * i + 1] = HEX_CODES[x & 15] as number;
    }
    return textOf(codes);
  }
  const out = new Uint8Array(b.length * 2);
  for (let i = 0; i < b.length; i++) {
    const x = b[i] as number;
    out[2 * i] = HEX_CODES[x >> 4] as number;
    out[2 * i + 1] = HEX_CODES[x & 15] as number;
  }
  return ascii.decode(out);
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;

/** Strict lowercase hex; `len` is the expected byte length. */
export function fromHex(s: string, len?: number, label = "hex"): Uint8Array {
  const bad = () => new ValidationError("INVALID_ARGUMENT", `${label}: expected lowercase hex`);
  if (typeof s !== "string" || s.length % 2 !== 0) throw bad();
  if (len !== undefined && s.length !== len * 2) {
    throw new ValidationError(
      "INVALID_ARGUMENT",
      `${label}: expected ${len * 2} hex characters, got ${s.length}`,
    );
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0, j = 0; i < out.length; i++, j += 2) {
    const c1 = s.charCodeAt(j);
    const c2 = s.charCodeAt(j + 1);
    const hi = c1 < 128 ? (HEX_VALUE[c1] as number) : -1;
    const lo = c2 < 128 ? (HEX_VALUE[c2] as number) : -1;
    if (hi < 0 || lo < 0) throw bad();
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function isHexDigest(s: unknown): s is string {
  return typeof s === "string" && s.length === 64 && HEX.test(s);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_CODES = new TextEncoder().encode(B64);
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Node's Buffer, where there is one: its native base64 is several times faster than the loop below. */
const nodeBuffer = (
  globalThis as unknown as {
    Buffer?: {
      from(a: ArrayBufferLike, offset: number, length: number): { toString(enc: "base64"): string };
    };
  }
).Buffer;

/** Standard padded base64 (RFC 4648 §4); in browsers, without Node's Buffer. */
export function toBase64(b: Uint8Array): string {
  const length = Math.ceil(b.length / 3) * 4;
  if (nodeBuffer && length > SHORT_CODES)
    return nodeBuffer.from(b.buffer, b.byteOffset, b.length).toString("base64");
  const out = length > SHORT_CODES ? new Uint8Array(length) : codesOf(length);
  let o = 0;
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
    out[o++] = B64_CODES[n >> 18] as number;
    out[o++] = B64_CODES[(n >> 12) & 63] as number;
    out[o++] = B64_CODES[(n >> 6) & 63] as number;
    out[o++] = B64_CODES[n & 63] as number;
  }
  const rest = b.length - i;
  if (rest > 0) {
    const n = ((b[i] as number) << 16) | (rest === 2 ? (b[i + 1] as number) << 8 : 0);
    out[o++] = B64_CODES[n >> 18] as number;
    out[o++] = B64_CODES[(n >> 12) & 63] as number;
    out[o++] = rest === 2 ? (B64_CODES[(n >> 6) & 63] as number) : 61;
    out[o++] = 61; // '='
  }
  return out instanceof Uint8Array ? ascii.decode(out) : textOf(out);
}

/** Strict, padded, canonical standard base64 (RFC 4648 §4). */
export function fromBase64(s: string, label = "base64"): Uint8Array {
  if (typeof s !== "string" || !BASE64.test(s)) {
    throw new ValidationError("INVALID_ARGUMENT", `${label}: not canonical base64`);
  }
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n =
      ((B64_INDEX[s.charCodeAt(i)] as number) << 18) |
      ((B64_INDEX[s.charCodeAt(i + 1)] as number) << 12) |
      (Math.max(0, B64_INDEX[s.charCodeAt(i + 2)] as number) << 6) |
      Math.max(0, B64_INDEX[s.charCodeAt(i + 3)] as number);
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  // Reject non-zero padding bits, which decode but do not round-trip.
  if (toBase64(out) !== s) throw new ValidationError("INVALID_ARGUMENT", `${label}: not canonical base64`);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Strict UTF-8 decode: invalid sequences throw. */
export function fromUtf8(b: Uint8Array, label = "text"): string {
  try {
    return decoder.decode(b);
  } catch (cause) {
    throw new ValidationError("INVALID_ARGUMENT", `${label}: not valid UTF-8`, { cause });
  }
}

/** Big-endian unsigned 64-bit encoding of a safe integer. */
export function u64be(n: number): Uint8Array {
  const out = new Uint8Array(8);
  writeU64be(out, 0, n);
  return out;
}

/** Writes a safe non-negative integer as 8 big-endian bytes at `offset` (no BigInt: hot path for keys). */
export function writeU64be(out: Uint8Array, offset: number, n: number): void {
  const hi = Math.floor(n / 2 ** 32);
  const lo = n >>> 0;
  out[offset] = hi >>> 24;
  out[offset + 1] = (hi >>> 16) & 255;
  out[offset + 2] = (hi >>> 8) & 255;
  out[offset + 3] = hi & 255;
  out[offset + 4] = lo >>> 24;
  out[offset + 5] = (lo >>> 16) & 255;
  out[offset + 6] = (lo >>> 8) & 255;
  out[offset + 7] = lo & 255;
}

export function readU64be(b: Uint8Array, offset = 0): number {
  if (b.length < offset + 8) throw new ValidationError("INVALID_ARGUMENT", "u64 needs 8 bytes");
  // Two 32-bit halves: much cheaper than a BigInt round trip on hot paths (keys, iterators).
  const hi =
    (b[offset] as number) * 2 ** 24 +
    (((b[offset + 1] as number) << 16) | ((b[offset + 2] as number) << 8) | (b[offset + 3] as number));
  const lo =
    (b[offset + 4] as number) * 2 ** 24 +
    (((b[offset + 5] as number) << 16) | ((b[offset + 6] as number) << 8) | (b[offset + 7] as number));
  if (hi > 0x1fffff) throw new ValidationError("INVALID_ARGUMENT", "u64 exceeds safe range");
  return hi * 2 ** 32 + lo;
}
