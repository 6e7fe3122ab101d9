import { concatBytes } from "../../src/core/bytes.js";
import { sha256 } from "../../src/crypto/sha256.js";

/**
 * A deliberately naive RFC 6962 §2.1.1–2.1.2 Merkle tree over leaf hashes:
 * MTH, PATH and PROOF/SUBPROOF transcribed recursively, with its own node
 * hashing so it shares nothing with the code under test. Subtree hashes are
 * memoised by leaf range only to keep exhaustive comparisons fast.
 */
export class ReferenceTree {
  readonly #leaves: readonly Uint8Array[];
  readonly #memo = new Map<number, Uint8Array>();

  constructor(leafHashes: readonly Uint8Array[]) {
    this.#leaves = leafHashes;
  }

  /** MTH(D[0:n]). */
  root(n: number): Uint8Array {
    return this.mth(0, n);
  }

  /** PATH(m, D[0:n]). */
  inclusionProof(m: number, n: number): Uint8Array[] {
    return this.path(m, 0, n);
  }

  /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true). */
  consistencyProof(m: number, n: number): Uint8Array[] {
    return this.subproof(m, 0, n, true);
  }

  /** MTH(D[begin:end]). */
  mth(begin: number, end: number): Uint8Array {
    const n = end - begin;
    if (n === 0) return sha256(new Uint8Array(0));
    if (n === 1) return this.#leaves[begin] as Uint8Array;
    const key = begin * 100_000 + end;
    const cached = this.#memo.get(key);
    if (cached) return cached;
    const k = largestPowerOfTwoBelow(n);
    const h = nodeHash(this.mth(begin, begin + k), this.mth(begin + k, end));
    this.#memo.set(key, h);
    return h;
  }

  /** PATH(m, D[begin:end]), m relative to begin. */
  private path(m: number, begin: number, end: number): Uint8Array[] {
    const n = end - begin;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, begin, begin + k), this.mth(begin + k, end)];
    return [...this.path(m - k, begin + k, end), this.mth(begin, begin + k)];
  }

  /** SUBPROOF(m, D[begin:end], b). */
  private subproof(m: number, begin: number, end: number, b: boolean): Uint8Array[] {
    const n = end - begin;
    if (m === n) return b ? [] : [this.mth(begin, end)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, begin, begin + k, b), this.mth(begin + k, end)];
    return [...this.subproof(m - k, begin + k, end, false), this.mth(begin, begin + k)];
  }
}

/** The k of RFC 6962 §2.1: the largest power of two smaller than n (n > 1). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(1), left, right));
}

export function referenceLeafHash(data: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0), data));
}
