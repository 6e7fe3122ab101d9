import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyPlan,
  consistencyProofSize,
  inclusionPlan,
  inclusionProofSize,
  type NodeId,
  nodeRange,
  type ProofPlan,
  perfectRoots,
  rootPlan,
} from "../../src/merkle/index.js";

// Plans are pure, so their shape can be checked on trees far too big to hash,
// including sizes beyond 2^32 where 32-bit bit tricks would break.
const bigSize = fc.oneof(
  fc.integer({ min: 1, max: 5000 }),
  fc
    .integer({ min: 0, max: 53 })
    .chain((k) =>
      fc.integer({ min: -2, max: 2 }).map((d) => Math.min(Math.max(2 ** k + d, 1), Number.MAX_SAFE_INTEGER)),
    ),
  fc.maxSafeNat().filter((n) => n > 0),
);
const sizeAndBelow = bigSize.chain((n) =>
  fc.tuple(fc.constant(n), fc.bigInt({ min: 0n, max: BigInt(n - 1) }).map(Number)),
);

/** The leaf ranges must be disjoint and cover [0, total) exactly. */
function expectTiling(ranges: { begin: number; end: number }[], total: number): void {
  let pos = 0;
  for (const r of [...ranges].sort((a, b) => a.begin - b.begin)) {
    expect(r.begin).toBe(pos);
    pos = r.end;
  }
  expect(pos).toBe(total);
}

/** The ephemeral run is the ragged right edge: contiguous, shrinking, ending at the tree size. */
function expectRightEdgeRun(plan: ProofPlan, size: number): void {
  const run = plan.ids.slice(plan.foldBegin, plan.foldEnd).map(nodeRange);
  for (let k = 1; k < run.length; k++) {
    expect(run[k]?.begin).toBe(run[k - 1]?.end);
    expect(plan.ids[plan.foldBegin + k]?.level).toBeLessThan(
      plan.ids[plan.foldBegin + k - 1]?.level as number,
    );
  }
  if (run.length > 1) expect(run[run.length - 1]?.end).toBe(size);
}

const folded = (plan: ProofPlan) => plan.ids.length - Math.max(0, plan.foldEnd - plan.foldBegin - 1);
const bound = (size: number) => 2 * Math.log2(size) + 2;

describe("proof plans", () => {
  it("inclusion: the proof nodes and the leaf tile the whole tree, in O(log n) reads", () => {
    fc.assert(
      fc.property(sizeAndBelow, ([n, m]) => {
        const plan = inclusionPlan(m, n);
        expectTiling([...plan.ids.map(nodeRange), { begin: m, end: m + 1 }], n);
        expectRightEdgeRun(plan, n);
        expect(folded(plan)).toBe(inclusionProofSize(m, n));
        expect(plan.ids.length).toBeLessThanOrEqual(bound(n));
      }),
      { numRuns: 500 },
    );
  });

  it("consistency: the proof nodes and the old tree tile the new tree, in O(log n) reads", () => {
    fc.assert(
      fc.property(sizeAndBelow, ([n2, below]) => {
        const n1 = below + 1;
        const plan = consistencyPlan(n1, n2);
        const ranges = plan.ids.map(nodeRange);
        // The first node is the last perfect subtree of the old tree, then its
        // path's siblings; it is left out when it is the whole old tree (size1
        // a power of two) because the verifier holds it as root1.
        const powerOfTwo = perfectRoots(n1).length === 1;
        if (n1 !== n2 && !powerOfTwo) expect(ranges[0]?.end).toBe(n1);
        if (n1 !== n2) expectTiling(powerOfTwo ? [...ranges, { begin: 0, end: n1 }] : ranges, n2);
        expectRightEdgeRun(plan, n2);
        expect(folded(plan)).toBe(consistencyProofSize(n1, n2));
        expect(plan.ids.length).toBeLessThanOrEqual(bound(n2));
      }),
      { numRuns: 500 },
    );
  });

  it("respects the read bound for every pair of sizes up to 512", () => {
    const over: string[] = [];
    for (let n = 1; n <= 512; n++) {
      for (let m = 0; m < n; m++) {
        if (inclusionPlan(m, n).ids.length > bound(n)) over.push(`inclusion ${m}/${n}`);
        if (consistencyPlan(m + 1, n).ids.length > bound(n)) over.push(`consistency ${m + 1}->${n}`);
      }
    }
    expect(over).toEqual([]);
  });

  it("decomposes a tree into its perfect subtrees, largest first", () => {
    const ids = (xs: NodeId[]) => xs.map(({ level, index }) => `${level}:${index}`);
    expect(perfectRoots(0)).toEqual([]);
    expect(ids(perfectRoots(13))).toEqual(["3:0", "2:2", "0:12"]);
    expect(ids(perfectRoots(2 ** 40 + 3))).toEqual(["40:0", `1:${2 ** 39}`, `0:${2 ** 40 + 2}`]);
    expect(rootPlan(13)).toMatchObject({ foldBegin: 0, foldEnd: 3 });
    fc.assert(
      fc.property(bigSize, (n) => {
        const roots = perfectRoots(n);
        expectTiling(roots.map(nodeRange), n);
        expect(roots.map((r) => r.level)).toEqual([...roots.map((r) => r.level)].sort((a, b) => b - a));
      }),
    );
  });

  it("plans nothing when there is nothing to prove", () => {
    expect(inclusionPlan(0, 1).ids).toEqual([]);
    expect(consistencyPlan(7, 7).ids).toEqual([]);
    expect(inclusionProofSize(0, 1)).toBe(0);
    expect(consistencyProofSize(7, 7)).toBe(0);
  });
});
