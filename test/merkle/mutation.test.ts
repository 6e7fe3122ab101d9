import { beforeAll, describe, expect, it } from "vitest";
import { type AppError, VerificationError } from "../../src/core/errors.js";
import {
  hashLeaf,
  isValidConsistency,
  isValidInclusion,
  proveConsistency,
  proveInclusion,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.js";
import { type BuiltTree, buildTree, errorOf, flipBit } from "./helpers.js";

const N = 48;
const extra = hashLeaf(new Uint8Array([42]));

/** Rejected as a bad proof (not as a bad question): a VerificationError. */
function expectRejected(fn: () => void, code?: "PROOF_INVALID" | "ROOT_MISMATCH"): void {
  const e = errorOf(fn);
  expect(e).toBeInstanceOf(VerificationError);
  if (code) expect((e as AppError).code).toBe(code);
}

describe(`tampered proofs are rejected (every proof in trees up to ${N} leaves)`, () => {
  let t: BuiltTree;
  beforeAll(() => {
    t = buildTree(2 * N);
  });
  const leaf = (m: number) => t.leaves[m] as Uint8Array;
  const root = (n: number) => t.roots[n] as Uint8Array;

  it("inclusion: any flipped bit, truncation, extension, wrong index or wrong size", async () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m < n; m++) {
        const proof = await proveInclusion(m, n, t.store);
        const verify =
          (p: Uint8Array[], idx = m, size = n) =>
          () =>
            verifyInclusion(leaf(m), idx, size, p, root(n));
        for (let k = 0; k < proof.length; k++) {
          expectRejected(verify(flipBit(proof, k, (m * 31 + k * 7) % 256)), "ROOT_MISMATCH");
        }
        if (proof.length > 0) expectRejected(verify(proof.slice(0, -1)), "PROOF_INVALID");
        expectRejected(verify([...proof, extra]), "PROOF_INVALID");
        expectRejected(verify([extra, ...proof]), "PROOF_INVALID");
        for (const other of new Set([m ^ 1, m + 1, m - 1, 0, n - 1])) {
          if (other !== m && other >= 0 && other < n) expectRejected(verify(proof, other));
        }
        // Doubling or halving the size always changes the path's shape (see
        // the test below for sizes that do not).
        expectRejected(verify(proof, m, 2 * n));
        if (m < Math.floor(n / 2)) expectRejected(verify(proof, m, Math.floor(n / 2)));
        expectRejected(() => verifyInclusion(extra, m, n, proof, root(n)), "ROOT_MISMATCH");
        expect(isValidInclusion(leaf(m), m, n, flipBit(proof, 0, 0), root(n))).toBe(proof.length === 0);
      }
    }
  });

  it("inclusion: a size that keeps the path's shape verifies, because a root does not commit to its size", async () => {
    // Hence sizes must come from a signed checkpoint, never from the prover.
    for (let n = 1; n <= N / 2; n++) {
      for (let m = 0; m < n; m++) {
        const proof = await proveInclusion(m, n, t.store);
        for (let other = m + 1; other <= N; other++) {
          const sameShape = Math.clz32(m ^ (n - 1)) === Math.clz32(m ^ (other - 1));
          expect(isValidInclusion(leaf(m), m, other, proof, root(n)), `${m}/${n} as size ${other}`).toBe(
            sameShape,
          );
        }
      }
    }
  });

  it("consistency: any flipped bit, truncation, extension, swapped roots or wrong sizes", async () => {
    for (let n2 = 1; n2 <= N; n2++) {
      for (let n1 = 1; n1 <= n2; n1++) {
        const proof = await proveConsistency(n1, n2, t.store);
        const verify =
          (p: Uint8Array[], s1 = n1, s2 = n2, r1 = root(n1), r2 = root(n2)) =>
          () =>
            verifyConsistency(s1, s2, p, r1, r2);
        for (let k = 0; k < proof.length; k++) {
          expectRejected(verify(flipBit(proof, k, (n1 * 31 + k * 7) % 256)), "ROOT_MISMATCH");
        }
        if (proof.length > 0) expectRejected(verify(proof.slice(0, -1)), "PROOF_INVALID");
        expectRejected(verify([...proof, extra]), "PROOF_INVALID");
        expectRejected(verify([extra, ...proof]), "PROOF_INVALID");
        if (n1 !== n2) {
          expectRejected(verify(proof, n1, n2, root(n2), root(n1)), "ROOT_MISMATCH");
          expectRejected(verify(proof, n1, n2, root(n1 - 1), root(n2)));
          expectRejected(verify(proof, n1, n2, root(n1), root(n2 - 1)));
          expectRejected(verify(proof, n1, 2 * n2));
          if (n1 > 1) expectRejected(verify(proof, n1 - 1));
          if (n1 < n2) expectRejected(verify(proof, n1 + 1));
        } else {
          expectRejected(verify(proof, n1, n2, root(n1), root(n1 - 1)), "ROOT_MISMATCH");
        }
        expect(isValidConsistency(n1, n2, [...proof, extra], root(n1), root(n2))).toBe(false);
      }
    }
  });
});
