import { bitLength, half, isOdd, trailingZeros } from "./bits.js";
import { type NodeId, nodeId } from "./node-id.js";
import { checkIndex, checkSize, checkSizes } from "./validate.js";

/**
 * Which stored nodes a proof needs and how they become proof elements; no
 * hashing happens here, so the plan can be tested (and fetched in one batch)
 * without touching storage.
 *
 * `ids[foldBegin, foldEnd)` are the perfect subtrees, left to right, of the
 * single "ephemeral" node on the ragged right edge of the tree: it has no
 * stored hash and is rebuilt by hashing them right to left, exactly as MTH
 * splits an incomplete tree (RFC 9162 §2.1.1). It takes the place of that run
 * in the proof (a run of one is just a perfect right sibling). Every other id
 * is a proof element as it is.
 */
export interface ProofPlan {
  readonly ids: readonly NodeId[];
  readonly foldBegin: number;
  readonly foldEnd: number;
}

/** The plan for PATH(index, D[size]) (RFC 9162 §2.1.3.1). */
export function inclusionPlan(index: number, size: number): ProofPlan {
  checkIndex(index, size);
  const ids: NodeId[] = [];
  return { ids, ...appendPath(0, index, size, ids) };
}

/**
 * The plan for PROOF(size1, D[size2]) (RFC 9162 §2.1.4.1): the largest perfect
 * subtree ending at size1, then its inclusion path into the tree of size2.
 * That subtree is left out when it is the whole old tree (size1 a power of
 * two), because the verifier already holds it as root1.
 */
export function consistencyPlan(size1: number, size2: number): ProofPlan {
  checkSizes(size1, size2);
  if (size1 === size2) return { ids: [], foldBegin: 0, foldEnd: 0 };
  const level = trailingZeros(size1);
  const index = size1 / 2 ** level - 1;
  const ids: NodeId[] = index === 0 ? [] : [nodeId(level, index)];
  return { ids, ...appendPath(level, index, size2, ids) };
}

/** The plan for MTH(D[size]): every perfect root folds into one element. */
export function rootPlan(size: number): ProofPlan {
  const ids = perfectRoots(size);
  return { ids, foldBegin: 0, foldEnd: ids.length };
}

/** The perfect subtrees that make up a tree of `size` leaves, largest first. */
export function perfectRoots(size: number): NodeId[] {
  checkSize(size);
  const ids: NodeId[] = [];
  alignedCover(0, size, ids);
  return ids;
}

/** Number of elements in a (folded) inclusion proof, without building it. */
export function inclusionProofSize(index: number, size: number): number {
  checkIndex(index, size);
  return pathLength(index, size - 1);
}

/** Number of elements in a consistency proof, without building it. */
export function consistencyProofSize(size1: number, size2: number): number {
  checkSizes(size1, size2);
  if (size1 === size2) return 0;
  const level = trailingZeros(size1);
  const index = size1 / 2 ** level - 1;
  return (index === 0 ? 0 : 1) + pathLength(index, Math.floor((size2 - 1) / 2 ** level));
}

/**
 * Appends the siblings of the path from the perfect node (level, index) up to
 * the root of a tree of `size` leaves, bottom-up, and returns the fold range.
 */
function appendPath(
  level: number,
  index: number,
  size: number,
  ids: NodeId[],
): { foldBegin: number; foldEnd: number } {
  let foldBegin = 0;
  let foldEnd = 0;
  let i = index;
  let last = Math.floor((size - 1) / 2 ** level);
  let l = level;
  for (; i !== last; i = half(i), last = half(last), l++) {
    const sibling = isOdd(i) ? i - 1 : i + 1;
    if (sibling === last) {
      // The sibling is the right edge at this level; unless size is a
      // multiple of 2^l it is not a stored node but the ephemeral one.
      foldBegin = ids.length;
      alignedCover(sibling * 2 ** l, size, ids);
      foldEnd = ids.length;
    } else {
      ids.push(nodeId(l, sibling));
    }
  }
  // Above this point the path runs along the right edge, where a node with a
  // sibling is a right child and its left sibling is always perfect.
  for (; i > 0; i = half(i), l++) if (isOdd(i)) ids.push(nodeId(l, i - 1));
  return { foldBegin, foldEnd };
}

/** Mirrors appendPath, counting one element per level below the right edge. */
function pathLength(index: number, last: number): number {
  let n = 0;
  let i = index;
  for (let e = last; i !== e; i = half(i), e = half(e)) n++;
  for (; i > 0; i = half(i)) if (isOdd(i)) n++;
  return n;
}

/**
 * Perfect subtrees covering [begin, end), largest first. Requires `begin` to
 * be a multiple of a power of two >= end - begin (true for 0 and for the
 * right-edge sibling), so the cover is just the binary digits of the width.
 */
function alignedCover(begin: number, end: number, ids: NodeId[]): void {
  let pos = begin;
  for (let level = bitLength(end - begin) - 1; level >= 0; level--) {
    const width = 2 ** level;
    if (end - pos >= width) {
      ids.push(nodeId(level, pos / width));
      pos += width;
    }
  }
}
