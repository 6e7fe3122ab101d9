import { describe, expect, it } from "vitest";
import { UPPER_LEVEL, UpperNodeCache } from "../../src/ledger/upper-node-cache.js";
import type { NodeId } from "../../src/merkle/node-id.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

const hashOf = (id: NodeId) => new Uint8Array(32).fill((id.level * 31 + id.index) & 255);

/** A store that counts the nodes it is asked for. */
function countingStore() {
  const asked: NodeId[] = [];
  return {
    asked,
    getNodes: async (ids: readonly NodeId[]) => {
      asked.push(...ids);
      return ids.map(hashOf);
    },
  };
}

describe("UpperNodeCache", () => {
  it("serves the newest block's nodes and the upper levels from memory, the rest from the store", async () => {
    const store = countingStore();
    const cache = new UpperNodeCache(store);
    const block = [
      { level: 0, index: 5, hash: hashOf({ level: 0, index: 5 }) },
      { level: 2, index: 1, hash: hashOf({ level: 2, index: 1 }) },
    ];
    cache.committed(block);
    const upper = { level: UPPER_LEVEL, index: 3 };
    const low = { level: 1, index: 9 };
    expect(await cache.getNodes([block[0] as NodeId, low, upper, block[1] as NodeId])).toEqual(
      [block[0] as NodeId, low, upper, block[1] as NodeId].map(hashOf),
    );
    expect(store.asked).toEqual([low, upper]);
    // The upper node is now cached; the low one (not of the newest block) is read again.
    store.asked.length = 0;
    const again = await cache.getNodes([upper, low]);
    expect(store.asked).toEqual([low]);
    again[0]?.fill(0); // callers get copies
    expect((await cache.getNodes([upper]))[0]).toEqual(hashOf(upper));
    // A newer block replaces the newest-block nodes.
    cache.committed([]);
    store.asked.length = 0;
    await cache.getNodes([block[0] as NodeId]);
    expect(store.asked).toEqual([block[0]]);
  });

  it("gives a ledger's receipts the same nodes as the store", async () => {
    const { ledger, store } = await openTestLedger({ maxBatch: 7 });
    await Promise.all(
      Array.from({ length: 600 }, (_, i) => ledger.append("evidence.deposited", { sha256: digest(i) })),
    );
    const ids: NodeId[] = [];
    for (let level = 0; level < 10; level++)
      for (let index = 0; index < Math.floor(600 / 2 ** level); index += 3) ids.push({ level, index });
    expect(await ledger.readNodes(ids)).toEqual(await store.getNodes(ids));
  });
});
