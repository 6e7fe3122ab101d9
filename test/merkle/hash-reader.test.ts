import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { NotFoundError, StorageError, ValidationError } from "../../src/core/errors.js";
import {
  foldProof,
  type HashReader,
  hashLeaf,
  inclusionPlan,
  layeredReader,
  MemoryHashReader,
  type NodeId,
  nodeRange,
  proveConsistency,
  proveInclusion,
  rootAt,
} from "../../src/merkle/index.js";
import { countingReader, expectError } from "./helpers.js";

/** Serves a made-up hash for any perfect node of a tree of `size` leaves, and nothing else. */
function syntheticReader(size: number): HashReader {
  return {
    async getNodes(ids) {
      return ids.map((id) => {
        if (nodeRange(id).end > size) {
          throw new Error(`asked for ${id.level}:${id.index}, outside a tree of ${size}`);
        }
        return hashLeaf(utf8(`${id.level}:${id.index}`));
      });
    },
  };
}

const bound = (size: number) => 2 * Math.log2(size) + 2;

describe("proofs read storage once", () => {
  async function expectOneRead(size: number, prove: (r: HashReader) => Promise<Uint8Array[]>): Promise<void> {
    const reader = countingReader(syntheticReader(size));
    const proof = await prove(reader);
    expect(reader.calls.length).toBe(proof.length === 0 ? 0 : 1);
    expect(reader.calls[0]?.length ?? 0).toBeLessThanOrEqual(bound(size));
  }

  it("calls getNodes exactly once, with at most 2·log2(size)+2 ids, for every proof up to 128 leaves", async () => {
    for (let n = 1; n <= 128; n++) {
      for (let m = 0; m < n; m++) {
        await expectOneRead(n, (r) => proveInclusion(m, n, r));
        await expectOneRead(n, (r) => proveConsistency(m + 1, n, r));
      }
    }
  });

  it("does the same for random sizes up to 2^53 - 1", async () => {
    const pair = fc
      .maxSafeNat()
      .filter((n) => n > 1)
      .chain((n) => fc.tuple(fc.constant(n), fc.bigInt({ min: 1n, max: BigInt(n - 1) }).map(Number)));
    await fc.assert(
      fc.asyncProperty(pair, async ([n, m]) => {
        await expectOneRead(n, (r) => proveInclusion(m, n, r));
        await expectOneRead(n, (r) => proveConsistency(m, n, r));
        const reader = countingReader(syntheticReader(n));
        await rootAt(n, reader);
        expect(reader.calls.length).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it("makes no read when the proof is empty", async () => {
    const reader = countingReader(syntheticReader(0));
    expect(await proveInclusion(0, 1, reader)).toEqual([]);
    expect(await proveConsistency(5, 5, reader)).toEqual([]);
    expect(reader.calls).toEqual([]);
  });

  it("reports a reader that breaks its contract as LEDGER_CORRUPT", async () => {
    const short: HashReader = { getNodes: async (ids) => ids.slice(1).map(() => new Uint8Array(32)) };
    const malformed: HashReader = { getNodes: async (ids) => ids.map(() => new Uint8Array(31)) };
    for (const reader of [short, malformed]) {
      const err = await proveInclusion(0, 8, reader).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err).toMatchObject({ code: "LEDGER_CORRUPT" });
    }
  });

  it("refuses to fold a hash list that does not match the plan", () => {
    const plan = inclusionPlan(0, 5);
    expectError(() => foldProof(plan, []), ValidationError, "INVALID_ARGUMENT");
  });
});

describe("MemoryHashReader", () => {
  const h = (s: string) => hashLeaf(utf8(s));

  it("returns nodes in request order, as copies", async () => {
    const store = new MemoryHashReader();
    store.set(0, 1, h("a"));
    store.set(3, 2 ** 40, h("b"));
    const [b, a] = await store.getNodes([
      { level: 3, index: 2 ** 40 },
      { level: 0, index: 1 },
    ]);
    expect(a).toEqual(h("a"));
    expect(b).toEqual(h("b"));
    (a as Uint8Array).fill(0);
    expect(store.get(0, 1)).toEqual(h("a"));
    expect(store.count).toBe(2);
    expect(store.has(0, 2)).toBe(false);
  });

  it("rejects a missing node with NOT_FOUND", async () => {
    const err = await new MemoryHashReader().getNodes([{ level: 0, index: 0 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: "NOT_FOUND", details: { level: 0, index: 0 } });
  });

  it("refuses malformed nodes", () => {
    const store = new MemoryHashReader();
    expectError(() => store.set(0, 0, new Uint8Array(5)), ValidationError, "INVALID_ARGUMENT");
    expectError(() => store.set(-1, 0, h("x")), ValidationError, "INVALID_ARGUMENT");
    expectError(() => store.set(0, 0.5, h("x")), ValidationError, "INVALID_INDEX");
  });
});

describe("layeredReader", () => {
  const h = (s: string) => hashLeaf(utf8(s));
  const ids: NodeId[] = [0, 1, 2, 3].map((index) => ({ level: 0, index }));

  it("serves what the first layer has and fetches only the rest, in one call", async () => {
    const top = new MemoryHashReader();
    const bottom = new MemoryHashReader();
    for (const { index } of ids) bottom.set(0, index, h(`old-${index}`));
    top.set(0, 1, h("new-1"));
    top.set(0, 3, h("new-3"));
    const fallback = countingReader(bottom);
    const got = await layeredReader(top, fallback).getNodes(ids);
    expect(got).toEqual([h("old-0"), h("new-1"), h("old-2"), h("new-3")]);
    expect(fallback.calls).toEqual([[ids[0], ids[2]]]);
  });

  it("does not touch the fallback when the first layer has everything", async () => {
    const top = new MemoryHashReader();
    for (const { index } of ids) top.set(0, index, h(`${index}`));
    const fallback = countingReader(new MemoryHashReader());
    await layeredReader(top, fallback).getNodes(ids);
    expect(fallback.calls).toEqual([]);
  });
});
