import { ValidationError } from "../core/errors.js";
import { bitLength } from "./bits.js";
import { hashChildren } from "./hash.js";
import { checkSize } from "./validate.js";

/** The hash of a perfect subtree (see NodeId), or a throw if it is not at hand. */
export type PerfectNode = (level: number, index: number) => Uint8Array;

/**
 * Inclusion proofs PATH(m, D[size]) (RFC 9162 §2.1.3.1) for every leaf m in
 * [start, size) at once, bottom-up as proveInclusion gives them: proofs[m - start].
 *
 * Made for a block just appended: `node` must give the perfect subtrees that
 * end after `start` (those the block completed, leaves included) and the
 * perfect roots of the tree of `start` leaves (its border), which is all these
 * proofs touch. The ephemeral nodes of the ragged right edge are hashed once
 * for the whole range, and an element shared by several proofs is the same
 * array in each of them (callers may cache its encodings by identity; nobody
 * may change it).
 */
export function rangeInclusionProofs(start: number, size: number, node: PerfectNode): Uint8Array[][] {
  checkSize(size);
  if (!Number.isSafeInteger(start) || start < 0 || start > size)
    throw new ValidationError("INVALID_INDEX", `start must be an integer in [0, ${size}]`);
  const proofs: Uint8Array[][] = Array.from({ length: size - start }, () => []);
  // Right-edge subtrees end at `size`, so their first leaf names them.
  const ephemeral = new Map<number, Uint8Array>();
  const mth = (lo: number, n: number): Uint8Array => {
    const k = splitOf(n);
    if (k === n) return node(bitLength(n) - 1, lo / n);
    let h = ephemeral.get(lo);
    if (!h) {
      h = hashChildren(mth(lo, k), mth(lo + k, n - k));
      ephemeral.set(lo, h);
    }
    return h;
  };
  const give = (from: number, to: number, element: Uint8Array) => {
    for (let m = Math.max(from, start); m < to; m++) (proofs[m - start] as Uint8Array[]).push(element);
  };
  // Leaves [lo, lo + n), of which some are at or after start: PATH splits as MTH does.
  const walk = (lo: number, n: number): void => {
    if (n === 1) return;
    const k = splitOf(n) === n ? n / 2 : splitOf(n);
    if (lo + k > start) {
      walk(lo, k);
      give(lo, lo + k, mth(lo + k, n - k));
    }
    walk(lo + k, n - k);
    give(lo + k, lo + n, mth(lo, k));
  };
  if (size > start) walk(0, size);
  return proofs;
}

/** The largest power of two <= n (n itself when n is one). */
function splitOf(n: number): number {
  return 2 ** (bitLength(n) - 1);
}
