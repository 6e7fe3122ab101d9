import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../../src/core/bytes.js";
import {
  CompactRange,
  proveConsistency,
  proveInclusion,
  rootAt,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.js";
import { type BuiltTree, buildTree } from "./helpers.js";

const MAX = 5000;
const RUNS = { numRuns: 400 };

/** [n, m] with 1 <= n <= MAX and 0 <= m < n (m doubles as index or size1 - 1). */
const sizeAndBelow = fc
  .integer({ min: 1, max: MAX })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));

describe(`round trips on random trees of up to ${MAX} leaves`, () => {
  let t: BuiltTree;
  beforeAll(() => {
    t = buildTree(MAX);
  });
  const root = (n: number) => t.roots[n] as Uint8Array;

  it("verifyInclusion accepts every proveInclusion", async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndBelow, async ([n, m]) => {
        const proof = await proveInclusion(m, n, t.store);
        verifyInclusion(t.leaves[m] as Uint8Array, m, n, proof, root(n));
        expect(toHex(rootFromInclusionProof(t.leaves[m] as Uint8Array, m, n, proof))).toBe(toHex(root(n)));
      }),
      RUNS,
    );
  });

  it("verifyConsistency accepts every proveConsistency", async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndBelow, async ([n2, below]) => {
        const n1 = below + 1;
        const proof = await proveConsistency(n1, n2, t.store);
        verifyConsistency(n1, n2, proof, root(n1), root(n2));
      }),
      RUNS,
    );
  });

  it("rootAt and a loaded CompactRange agree with the roots seen while appending", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: MAX - 8 }), async (n) => {
        expect(toHex(await rootAt(n, t.store))).toBe(toHex(root(n)));
        const range = await CompactRange.load(n, t.store);
        for (let k = n; k < n + 8; k++) range.append(t.leaves[k] as Uint8Array);
        expect(range.size).toBe(n + 8);
        expect(toHex(range.root())).toBe(toHex(root(n + 8)));
      }),
      { numRuns: 100 },
    );
  });
});
