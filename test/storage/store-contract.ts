import { describe, expect, it } from "vitest";
import { u64be, utf8 } from "../../src/core/bytes.js";
import type { BlockWrite, LedgerStore, StoredCheckpoint } from "../../src/ledger/ledger-store.js";

const h = (n: number) => new Uint8Array(32).fill(n & 255);

function block(height: number, from: number, count: number): BlockWrite {
  const entries = Array.from({ length: count }, (_, i) => ({
    index: from + i,
    data: utf8(`entry ${from + i}`),
  }));
  const checkpoint: StoredCheckpoint = {
    blockHeight: height,
    size: from + count,
    note: `note ${height}\n`,
    time: "2026-01-01T00:00:00.000Z",
  };
  return {
    entries,
    nodes: entries.map((e) => ({ level: 0, index: e.index, hash: h(e.index) })),
    digests: entries.map((e) => ({ sha256: h(e.index % 3), index: e.index })),
    ids: entries.map((e) => ({ id: u64be(e.index).subarray(0, 8), index: e.index })),
    refs: entries
      .filter((e) => e.index % 2 === 0)
      .map((e) => ({ ref: `case:c${e.index % 4}`, index: e.index })),
    checkpoint,
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The behaviour every LedgerStore must have; run against each implementation. */
export function ledgerStoreContract(
  name: string,
  make: () => Promise<{ store: LedgerStore; reopen?: () => Promise<LedgerStore> }>,
) {
  describe(`${name} (LedgerStore contract)`, () => {
    it("starts empty", async () => {
      const { store } = await make();
      expect(await store.latestCheckpoint()).toBeUndefined();
      expect(await store.getEntry(0)).toBeUndefined();
      expect(await collect(store.iterateEntries())).toEqual([]);
      expect(await store.findByDigest(h(1))).toEqual([]);
      expect(await store.getMeta("origin")).toBeUndefined();
      await store.close();
    });

    it("stores blocks and reads back entries, nodes, checkpoints and lookups", async () => {
      const { store } = await make();
      await store.putMeta("origin", "example.com/log");
      await store.appendBlock(block(0, 0, 0));
      await store.appendBlock(block(1, 0, 3));
      await store.appendBlock(block(2, 3, 4));
      expect(await store.getMeta("origin")).toBe("example.com/log");
      expect((await store.latestCheckpoint())?.blockHeight).toBe(2);
      expect((await store.getCheckpoint(1))?.size).toBe(3);
      expect(await store.getCheckpoint(3)).toBeUndefined();
      expect((await store.checkpointCovering(0))?.blockHeight).toBe(1);
      expect((await store.checkpointCovering(2))?.blockHeight).toBe(1);
      expect((await store.checkpointCovering(3))?.blockHeight).toBe(2);
      expect(await store.checkpointCovering(7)).toBeUndefined();
      expect((await collect(store.iterateCheckpoints(1))).map((c) => c.blockHeight)).toEqual([1, 2]);
      expect(await store.getEntry(5)).toEqual(utf8("entry 5"));
      expect((await collect(store.iterateEntries(2, 3))).map((e) => e.index)).toEqual([2, 3, 4]);
      expect((await collect(store.iterateEntries(5))).map((e) => e.index)).toEqual([5, 6]);
      const read = await store.readEntries(1, 3);
      expect(read.map((e) => [e.index, e.data])).toEqual([1, 2, 3].map((i) => [i, utf8(`entry ${i}`)]));
      for (const e of read) if (e.leafHash) expect(e.leafHash).toEqual(h(e.index));
      expect((await store.readEntries(6, 10)).map((e) => e.index)).toEqual([6]);
      expect(await store.readEntries(7, 10)).toEqual([]);
      expect(
        await store.getNodes([
          { level: 0, index: 6 },
          { level: 0, index: 1 },
        ]),
      ).toEqual([h(6), h(1)]);
      expect((await collect(store.iterateNodes(0))).map((n) => n.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await store.findByDigest(h(0))).toEqual([0, 3, 6]);
      expect(await store.findByDigest(h(0), 2)).toEqual([0, 3]);
      expect(await store.findById(u64be(4).subarray(0, 8))).toBe(4);
      expect(await store.findById(u64be(99).subarray(0, 8))).toBeUndefined();
      expect(await store.recentBlockSizes(10)).toEqual({ fromHeight: 0, sizes: [0, 3, 7] });
      expect(await store.recentBlockSizes(2)).toEqual({ fromHeight: 1, sizes: [3, 7] });
      expect(await store.readNodeRange(0, 2, 3)).toEqual([2, 3, 4].map((i) => h(i)));
      expect(await store.readNodeRange(0, 6, 5)).toEqual([h(6)]);
      expect(await store.getEntryWithLeaf(5)).toEqual({ index: 5, data: utf8("entry 5"), leafHash: h(5) });
      expect(await store.getEntryWithLeaf(7)).toBeUndefined();
      expect(await store.findByRef("case:c0")).toEqual([0, 4]);
      expect(await store.findByRef("case:c2")).toEqual([2, 6]);
      expect(await store.findByRef("case:c")).toEqual([]);
      await store.close();
    });

    it("refuses to read a node it does not have", async () => {
      const { store } = await make();
      await store.appendBlock(block(0, 0, 1));
      await expect(store.getNodes([{ level: 3, index: 0 }])).rejects.toMatchObject({
        code: expect.stringMatching(/STORAGE_FAILURE|LEDGER_CORRUPT/),
      });
      await store.close();
    });

    it("keeps everything across a close and reopen", async () => {
      const { store, reopen } = await make();
      if (!reopen) return;
      await store.appendBlock(block(0, 0, 2));
      await store.close();
      const again = await reopen();
      expect((await again.latestCheckpoint())?.size).toBe(2);
      expect(await again.getEntry(1)).toEqual(utf8("entry 1"));
      await again.close();
    });
  });
}
