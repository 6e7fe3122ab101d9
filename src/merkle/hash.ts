import { ValidationError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";

/** Every Merkle hash in this module is a SHA-256 digest. */
export const HASH_SIZE = 32;

/**
 * Root of the empty tree, MTH({}) = SHA-256() (RFC 6962 §2.1).
 * Shared instance: treat as read-only; functions here hand out copies.
 */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

// Scratch buffers are safe to reuse because sha256 is synchronous and never
// retains its input; every digest it returns is a fresh array.
const SCRATCH_LEAF_MAX = 4096;
const leafScratch = new Uint8Array(SCRATCH_LEAF_MAX + 1);
const nodeScratch = new Uint8Array(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;

/** MTH({d}) = SHA-256(0x00 || d), the leaf hash of RFC 6962 §2.1. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new ValidationError("INVALID_ARGUMENT", "leaf data: expected Uint8Array");
  }
  if (data.length > SCRATCH_LEAF_MAX) {
    const buf = new Uint8Array(data.length + 1);
    buf.set(data, 1);
    return sha256(buf);
  }
  // leafScratch[0] stays 0x00 forever: only bytes from index 1 are written.
  leafScratch.set(data, 1);
  return sha256(leafScratch.subarray(0, data.length + 1));
}

/** SHA-256(0x01 || left || right), the interior node hash of RFC 6962 §2.1. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  // Checked here because a short child would otherwise shift the other one
  // inside the scratch buffer and silently hash stale bytes.
  if (!isHash(left) || !isHash(right)) {
    throw new ValidationError("INVALID_ARGUMENT", `child hashes must be ${HASH_SIZE}-byte Uint8Arrays`);
  }
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return sha256(nodeScratch);
}

/** True for a Uint8Array of exactly HASH_SIZE bytes. */
export function isHash(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === HASH_SIZE;
}
