import { beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../../src/core/bytes.js";
import {
  CompactRange,
  consistencyProofSize,
  inclusionProofSize,
  proveConsistency,
  proveInclusion,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from "../../src/merkle/index.js";
import { type BuiltTree, buildTree, expectSameHashes } from "./helpers.js";
import { ReferenceTree } from "./reference-tree.js";

const N = 300;

describe(`against the naive RFC 6962 reference, for every tree size up to ${N}`, () => {
  let tree: BuiltTree;
  let ref: ReferenceTree;

  beforeAll(() => {
    tree = buildTree(N);
    ref = new ReferenceTree(tree.leaves);
  });

  it("CompactRange, rootAt and a loaded CompactRange all give the reference root", async () => {
    for (let n = 0; n <= N; n++) {
      const want = toHex(ref.root(n));
      expect(toHex(tree.roots[n] as Uint8Array), `append root ${n}`).toBe(want);
      expect(toHex(await rootAt(n, tree.store)), `rootAt ${n}`).toBe(want);
      expect(toHex((await CompactRange.load(n, tree.store)).root()), `load ${n}`).toBe(want);
    }
  });

  it("produces the reference inclusion proof for every (index, size), and it verifies", async () => {
    for (let n = 1; n <= N; n++) {
      const root = tree.roots[n] as Uint8Array;
      for (let m = 0; m < n; m++) {
        const proof = await proveInclusion(m, n, tree.store);
        expectSameHashes(proof, ref.inclusionProof(m, n), `inclusion ${m}/${n}`);
        expect(proof.length).toBe(inclusionProofSize(m, n));
        verifyInclusion(tree.leaves[m] as Uint8Array, m, n, proof, root);
      }
    }
  });

  it("produces the reference consistency proof for every 0 < size1 <= size2, and it verifies", async () => {
    for (let n2 = 1; n2 <= N; n2++) {
      const root2 = tree.roots[n2] as Uint8Array;
      for (let n1 = 1; n1 <= n2; n1++) {
        const proof = await proveConsistency(n1, n2, tree.store);
        expectSameHashes(proof, ref.consistencyProof(n1, n2), `consistency ${n1}->${n2}`);
        expect(proof.length).toBe(consistencyProofSize(n1, n2));
        verifyConsistency(n1, n2, proof, tree.roots[n1] as Uint8Array, root2);
      }
    }
  });
});
