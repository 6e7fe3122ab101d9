import { equalBytes } from "../core/bytes.js";
import { ValidationError, VerificationError } from "../core/errors.js";
import { half, isOdd, isPowerOfTwo } from "./bits.js";
import { hashChildren, isHash } from "./hash.js";
import { consistencyProofSize, inclusionProofSize } from "./proof-plan.js";
import { checkIndex, checkSizes } from "./validate.js";

/*
 * Error policy: arguments that cannot be a question at all (bad sizes or
 * index, non-32-byte leaf hash or proof element, non-array proof) throw
 * ValidationError; a well-formed proof that does not check out throws
 * VerificationError. Roots are only ever compared, so a root of the wrong
 * length simply fails to match (ROOT_MISMATCH).
 */

function assertRoot(root: unknown, label: string): asserts root is Uint8Array {
  if (!(root instanceof Uint8Array)) {
    throw new ValidationError("INVALID_ARGUMENT", `${label}: expected Uint8Array`);
  }
}

/** The proof must have exactly the expected length before any hashing (RFC 9162 §2.1.3.2, §2.1.4.2). */
function checkProof(proof: unknown, expected: number): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) {
    throw new ValidationError("MALFORMED_PROOF", "proof: expected an array of hashes");
  }
  if (proof.length !== expected) {
    throw new VerificationError("PROOF_INVALID", `proof has ${proof.length} hashes, expected ${expected}`, {
      details: { expected, actual: proof.length },
    });
  }
  proof.forEach((p, position) => {
    if (!isHash(p)) {
      throw new ValidationError("MALFORMED_PROOF", `proof[${position}]: expected 32 bytes`, {
        details: { position },
      });
    }
  });
}

function mismatch(which: string): VerificationError {
  return new VerificationError("ROOT_MISMATCH", `${which} does not match the proof`, {
    details: { root: which },
  });
}

/** Recomputes the root an inclusion proof implies (RFC 9162 §2.1.3.2, steps 1–4). */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkIndex(index, size);
  if (!isHash(leafHash)) throw new ValidationError("INVALID_ARGUMENT", "leafHash: expected 32 bytes");
  checkProof(proof, inclusionProofSize(index, size));
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new VerificationError("PROOF_INVALID", "proof is longer than the path");
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      // Levels where the node is the right edge without a sibling add nothing.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerificationError("PROOF_INVALID", "proof is shorter than the path");
  return r === leafHash ? leafHash.slice() : r;
}

/** Checks that `leafHash` is leaf `index` of the tree of `size` leaves with root `root` (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertRoot(root, "root");
  if (!equalBytes(rootFromInclusionProof(leafHash, index, size, proof), root)) throw mismatch("root");
}

/** Checks that the tree (size2, root2) extends the tree (size1, root1) (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSizes(size1, size2);
  assertRoot(root1, "root1");
  assertRoot(root2, "root2");
  if (size1 === size2) {
    // Same tree: nothing to prove, the roots must simply be equal.
    checkProof(proof, 0);
    if (!equalBytes(root1, root2)) throw mismatch("root2");
    return;
  }
  checkProof(proof, consistencyProofSize(size1, size2));
  // No SHA-256 tree has such a root; checked now so it is not hashed below.
  if (!isHash(root1)) throw mismatch("root1");
  if (!isHash(root2)) throw mismatch("root2");

  // Step 2: when size1 is a power of two the proof omits root1, its first node.
  let k = isPowerOfTwo(size1) ? 0 : 1;
  let fr = k === 0 ? root1 : (proof[0] as Uint8Array);
  let sr = fr;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  for (; k < proof.length; k++) {
    const c = proof[k] as Uint8Array;
    if (sn === 0) throw new VerificationError("PROOF_INVALID", "proof is longer than the path");
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerificationError("PROOF_INVALID", "proof is shorter than the path");
  if (!equalBytes(fr, root1)) throw mismatch("root1");
  if (!equalBytes(sr, root2)) throw mismatch("root2");
}

function isValid(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof VerificationError) return false;
    throw e;
  }
}

/** verifyInclusion as a boolean; malformed arguments still throw ValidationError. */
export function isValidInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return isValid(() => verifyInclusion(leafHash, index, size, proof, root));
}

/** verifyConsistency as a boolean; malformed arguments still throw ValidationError. */
export function isValidConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  return isValid(() => verifyConsistency(size1, size2, proof, root1, root2));
}
