import { readU64be, writeU64be } from "../core/bytes.js";

/**
 * The head of a digest in the LevelDB store: the first entry that records it and
 * how many do. "Is this file recorded?" is the service's most frequent question
 * (verify, court batches); with a head it is one point read, answered on the
 * calling thread, instead of a range scan through the thread pool. Later
 * entries with the same digest, rare, keep their own index rows beside it.
 *
 * Value: u64 first index || u32 count (big-endian).
 */
export interface DigestHead {
  first: number;
  count: number;
}

export const HEAD_BYTES = 12;

export function encodeHead(h: DigestHead, out = new Uint8Array(HEAD_BYTES)): Uint8Array {
  writeU64be(out, 0, h.first);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(8, h.count);
  return out;
}

export function decodeHead(v: Uint8Array): DigestHead | undefined {
  if (v.length !== HEAD_BYTES) return undefined;
  return {
    first: readU64be(v, 0),
    count: new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32(8),
  };
}

/**
 * Heads for a block's digests, given the heads already stored: which heads to
 * write, and which entries need their own row (every entry but a digest's
 * first). `stored` is asked once per distinct digest of the block.
 */
export function digestHeadWrites(
  digests: readonly { sha256: Uint8Array; index: number }[],
  stored: (sha256: Uint8Array) => DigestHead | undefined,
): { heads: { sha256: Uint8Array; head: DigestHead }[]; extraRows: { sha256: Uint8Array; index: number }[] } {
  const byDigest = new Map<string, { sha256: Uint8Array; head: DigestHead }>();
  const extraRows: { sha256: Uint8Array; index: number }[] = [];
  for (const d of digests) {
    const k = latin1(d.sha256);
    let h = byDigest.get(k);
    if (!h) {
      const before = stored(d.sha256);
      h = { sha256: d.sha256, head: before ? { ...before } : { first: d.index, count: 0 } };
      byDigest.set(k, h);
    }
    h.head.count++;
    if (h.head.first !== d.index) extraRows.push(d);
  }
  return { heads: [...byDigest.values()], extraRows };
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return s;
}
