/**
 * The few ASN.1 DER pieces that X.509 certificates (RFC 5280) and CMS
 * SignedData (RFC 5652) need, encoded and parsed by hand so the PDF
 * signature code runs unchanged in Node and in browsers (ITU-T X.690 §8, §10).
 * The parser accepts definite lengths only, in minimal form (DER §10.1),
 * and every read is bounds-checked: malformed input throws `DerError`.
 */
import { concatBytes, utf8 } from "../core/bytes.js";

export class DerError extends Error {}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single-byte tag. */
export function der(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = content.length === 1 ? (content[0] as Uint8Array) : concatBytes(...content);
  return concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);
}

export const derSequence = (...items: Uint8Array[]) => der(TAG.SEQUENCE, ...items);

/** SET OF: X.690 §11.6 requires the encodings sorted as octet strings. */
export function derSetOf(...items: Uint8Array[]): Uint8Array {
  return der(TAG.SET, ...sortDer(items));
}

export function sortDer(items: Uint8Array[]): Uint8Array[] {
  return [...items].sort(compareBytes);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** [n] EXPLICIT: constructed context-specific tag wrapping a whole TLV. */
export const derExplicit = (n: number, ...inner: Uint8Array[]) => der(0xa0 | n, ...inner);

export function derOid(oid: string): Uint8Array {
  const parts = oid.split(".").map(Number);
  const [a, b, ...rest] = parts;
  if (a === undefined || b === undefined || parts.some((p) => !Number.isSafeInteger(p) || p < 0)) {
    throw new DerError(`bad OID ${oid}`);
  }
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < groups.length - 1; i++) groups[i] = (groups[i] as number) | 0x80;
    out.push(...groups);
  }
  return der(TAG.OID, Uint8Array.from(out));
}

/** A non-negative INTEGER from big-endian magnitude bytes (leading zeros dropped, sign byte added). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  const body =
    m.length === 0 ? Uint8Array.of(0) : (m[0] as number) & 0x80 ? concatBytes(Uint8Array.of(0), m) : m;
  return der(TAG.INTEGER, body);
}

export const derSmallInteger = (n: number) => derUnsignedInteger(Uint8Array.of(n));
export const derOctetString = (b: Uint8Array) => der(TAG.OCTET_STRING, b);
export const derBitString = (b: Uint8Array, unusedBits = 0) =>
  der(TAG.BIT_STRING, Uint8Array.of(unusedBits), b);
export const derUtf8String = (s: string) => der(TAG.UTF8_STRING, utf8(s));
export const derNull = () => Uint8Array.of(TAG.NULL, 0);

/** RFC 5280 §4.1.2.5: UTCTime for years 1950–2049, GeneralizedTime from 2050, always Zulu, whole seconds. */
export function derTime(d: Date): Uint8Array {
  const iso = d.toISOString();
  const year = d.getUTCFullYear();
  const rest = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  if (year >= 1950 && year < 2050) return der(TAG.UTC_TIME, utf8(`${String(year).slice(2)}${rest}`));
  return der(TAG.GENERALIZED_TIME, utf8(`${String(year).padStart(4, "0")}${rest}`));
}

/** A parsed TLV; offsets index the buffer given to `parseDer`. */
export interface DerNode {
  tag: number;
  /** Start of the tag byte. */
  start: number;
  /** Start of the content. */
  contentStart: number;
  /** End of the content (exclusive) = end of the TLV. */
  end: number;
  bytes: Uint8Array;
}

/** Parses one TLV at `offset` of `buf`, bounded by `limit`. */
export function parseDer(buf: Uint8Array, offset = 0, limit = buf.length): DerNode {
  if (offset + 2 > limit) throw new DerError("truncated DER");
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte tags are not supported");
  let p = offset + 1;
  const first = buf[p++] as number;
  let len: number;
  if (first < 0x80) len = first;
  else {
    const n = first & 0x7f;
    if (n === 0) throw new DerError("indefinite length is not DER");
    if (n > 4 || p + n > limit) throw new DerError("bad DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p++] as number);
    if (len < 0x80 || (n > 1 && buf[p - n] === 0)) throw new DerError("non-minimal DER length");
  }
  if (p + len > limit) throw new DerError("DER value runs past its container");
  return { tag, start: offset, contentStart: p, end: p + len, bytes: buf };
}

/** The whole TLV encoding of a node. */
export const derEncoding = (n: DerNode) => n.bytes.subarray(n.start, n.end);
/** The content octets of a node. */
export const derContent = (n: DerNode) => n.bytes.subarray(n.contentStart, n.end);

/** The children of a constructed node. */
export function derChildren(n: DerNode): DerNode[] {
  if ((n.tag & 0x20) === 0) throw new DerError(`tag 0x${n.tag.toString(16)} is not constructed`);
  const out: DerNode[] = [];
  for (let p = n.contentStart; p < n.end; ) {
    const c = parseDer(n.bytes, p, n.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expectTag(n: DerNode | undefined, tag: number, what: string): DerNode {
  if (!n || n.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}`);
  return n;
}

export function decodeOid(n: DerNode): string {
  expectTag(n, TAG.OID, "OID");
  const b = derContent(n);
  if (b.length === 0) throw new DerError("empty OID");
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + ((b[i] as number) & 0x7f);
    if (((b[i] as number) & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  const first = arcs.shift() as number;
  const a = first < 80 ? Math.floor(first / 40) : 2;
  return [a, first - a * 40, ...arcs].join(".");
}

/** Parses a whole buffer as exactly one TLV (no trailing bytes). */
export function parseDerExact(buf: Uint8Array, what: string): DerNode {
  const n = parseDer(buf);
  if (n.end !== buf.length) throw new DerError(`${what}: trailing bytes after DER value`);
  return n;
}
