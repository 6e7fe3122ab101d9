import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../../src/core/bytes.js";
import { perfectRoots, proveInclusion } from "../../src/merkle/index.js";
import { rangeInclusionProofs } from "../../src/merkle/range-proofs.js";
import { type BuiltTree, buildTree } from "./helpers.js";

const MAX = 3000;

describe("rangeInclusionProofs", () => {
  let t: BuiltTree;
  beforeAll(() => {
    t = buildTree(MAX);
  });

  /**
   * Gives only what the contract promises: perfect subtrees of the tree of `size` that end
   * after `start`, and the border of the tree of `start`; anything else fails the test.
   */
  function strictNodes(start: number, size: number) {
    const border = new Set(perfectRoots(start).map((id) => `${id.level}/${id.index}`));
    const asked: string[] = [];
    const node = (level: number, index: number) => {
      const end = (index + 1) * 2 ** level;
      const key = `${level}/${index}`;
      asked.push(key);
      if (end > size || (end <= start && !border.has(key)))
        throw new Error(`node ${key} is outside the contract`);
      return t.store.get(level, index) as Uint8Array;
    };
    return { node, asked };
  }

  /** rangeInclusionProofs(start, size) gives proveInclusion's proof for every leaf of the block. */
  async function expectEveryProof(start: number, size: number) {
    const proofs = rangeInclusionProofs(start, size, strictNodes(start, size).node);
    expect(proofs.length).toBe(size - start);
    for (let m = start; m < size; m++)
      expect((proofs[m - start] as Uint8Array[]).map(toHex)).toEqual(
        (await proveInclusion(m, size, t.store)).map(toHex),
      );
  }

  it("equals proveInclusion for every leaf of random blocks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: MAX })
          .chain((size) => fc.tuple(fc.integer({ min: 0, max: size }), fc.constant(size))),
        ([start, size]) => expectEveryProof(start, size),
      ),
      { numRuns: 150 },
    );
  });

  it("covers the edges: one leaf, a whole tree, an empty range, powers of two", async () => {
    for (const [start, size] of [
      [0, 1],
      [0, 1024],
      [1023, 1024],
      [1024, 1025],
      [5, 5],
      [0, 0],
      [1000, 2049],
    ] as const)
      await expectEveryProof(start, size);
  });

  it("hands out one array per distinct element, shared between proofs", () => {
    const proofs = rangeInclusionProofs(512, 1000, strictNodes(512, 1000).node);
    // Every leaf from 512 on has the left half [0, 512) as its last element: the very same array.
    const last = proofs.map((p) => p[p.length - 1]);
    expect(new Set(last).size).toBe(1);
    expect(toHex(last[0] as Uint8Array)).toBe(toHex(t.store.get(9, 0) as Uint8Array));
  });

  it("asks for each perfect node it needs, and never outside the block and its border", () => {
    const { node, asked } = strictNodes(701, 1500);
    rangeInclusionProofs(701, 1500, node);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked).toContain("0/700"); // leaf 701's sibling is the last leaf before the block
  });

  it("refuses a start outside [0, size]", () => {
    const node = () => new Uint8Array(32);
    expect(() => rangeInclusionProofs(-1, 10, node)).toThrow(/start must be/);
    expect(() => rangeInclusionProofs(11, 10, node)).toThrow(/start must be/);
    expect(() => rangeInclusionProofs(1.5, 10, node)).toThrow(/start must be/);
    expect(() => rangeInclusionProofs(0, -1, node)).toThrow();
  });
});
