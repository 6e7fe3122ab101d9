/**
 * Byte-level reader for the fixed tail of a canonical entry,
 * `,"index":N,"prev":"<64 hex>","time":"<24 chars>","type":"<type>","v":1}`.
 * The body comes first in JCS order, so the tail is always the end of the
 * leaf. Audits use this instead of decoding and parsing every entry.
 */
export interface EntryTail {
  index: number;
  /** Offset of the 64 hex characters of `prev`. */
  prevAt: number;
  /** Offset of the 24-character time. */
  timeAt: number;
}

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const END = enc('","v":1}');
const TYPE = enc('","type":"');
const TIME = enc('","time":"');
const PREV = enc(',"prev":"');
const INDEX = enc(',"index":');

function at(data: Uint8Array, pos: number, lit: Uint8Array): boolean {
  if (pos < 0) return false;
  for (let i = 0; i < lit.length; i++) if (data[pos + i] !== lit[i]) return false;
  return true;
}

/** The tail's fields, or undefined when the bytes do not end like a canonical entry. */
export function readEntryTail(data: Uint8Array): EntryTail | undefined {
  let p = data.length - END.length;
  if (!at(data, p, END)) return undefined;
  // type: [a-z.]+ back to its opening quote
  let q = p - 1;
  while (q >= 0) {
    const c = data[q] as number;
    if ((c >= 0x61 && c <= 0x7a) || c === 0x2e) q--;
    else break;
  }
  if (q === p - 1) return undefined;
  p = q + 1 - TYPE.length;
  if (!at(data, p, TYPE)) return undefined;
  const timeAt = p - 24;
  p = timeAt - TIME.length;
  if (!at(data, p, TIME)) return undefined;
  const prevAt = p - 64;
  p = prevAt - PREV.length;
  if (!at(data, p, PREV)) return undefined;
  // index: decimal without leading zeros, back to ,"index":
  let d = p - 1;
  let index = 0;
  let scale = 1;
  while (d >= 0 && (data[d] as number) >= 0x30 && (data[d] as number) <= 0x39) {
    index += ((data[d] as number) - 0x30) * scale;
    scale *= 10;
    d--;
  }
  const digits = p - 1 - d;
  if (digits === 0 || digits > 16 || (digits > 1 && data[d + 1] === 0x30)) return undefined;
  if (!at(data, d + 1 - INDEX.length, INDEX)) return undefined;
  return { index, prevAt, timeAt };
}

const HEX = enc("0123456789abcdef");

/** Whether the 64 hex characters at `offset` spell `hash` in lowercase hex. */
export function hexEquals(data: Uint8Array, offset: number, hash: Uint8Array): boolean {
  if (offset < 0 || offset + 64 > data.length) return false;
  for (let i = 0; i < 32; i++) {
    const b = hash[i] as number;
    if (data[offset + 2 * i] !== HEX[b >> 4] || data[offset + 2 * i + 1] !== HEX[b & 15]) return false;
  }
  return true;
}
