import { describe, expect, it } from "vitest";
import { MAX_LOWER_NODES, MAX_UPPER_INDEX, NodeCache, UPPER_LEVEL } from "../../src/ledger/node-cache.js";
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

describe("NodeCache", () => {
  it("serves the upper levels from memory, and lower nodes read recently", async () => {
    const store = countingStore();
    const cache = new NodeCache(store);
    const committedUpper = { level: UPPER_LEVEL + 1, index: 0 };
    const committedLow = { level: 2, index: 1 };
    cache.committed([committedLow, committedUpper].map((id) => ({ ...id, hash: hashOf(id) })));
    const upper = { level: UPPER_LEVEL, index: 3 };
    const low = { level: 1, index: 9 };
    expect(await cache.getNodes([committedUpper, low, upper, committedLow])).toEqual(
      [committedUpper, low, upper, committedLow].map(hashOf),
    );
    // A committed upper node is in memory; a committed low one is not (fresh receipts need no read).
    expect(store.asked).toEqual([low, upper, committedLow]);
    // What was read is now in memory.
    store.asked.length = 0;
    const again = await cache.getNodes([upper, low, committedLow]);
    expect(store.asked).toEqual([]);
    again[0]?.fill(0); // callers get copies
    again[1]?.fill(0);
    expect(await cache.getNodes([upper, low])).toEqual([upper, low].map(hashOf));
  });

  it("keeps upper nodes at any index below its bound, each exactly, and reads those past it", async () => {
    const store = countingStore();
    const cache = new NodeCache(store);
    const ids = [
      { level: UPPER_LEVEL, index: 5 },
      { level: UPPER_LEVEL, index: 70_001 }, // grows the level's buffer past what it had
      { level: UPPER_LEVEL, index: 2 },
      { level: UPPER_LEVEL + 3, index: MAX_UPPER_INDEX - 1 },
      { level: 40, index: 0 },
    ];
    const distinct = (id: NodeId) =>
      Uint8Array.from({ length: 32 }, (_, i) => (id.level * 7 + id.index + i) & 255);
    cache.committed(ids.map((id) => ({ ...id, hash: distinct(id) })));
    const past = { level: UPPER_LEVEL, index: MAX_UPPER_INDEX };
    cache.add(past.level, past.index, distinct(past));
    const never = { level: UPPER_LEVEL, index: 6 }; // between kept ones: not there
    expect(await cache.getNodes([...ids, past, never])).toEqual([
      ...ids.map(distinct),
      hashOf(past),
      hashOf(never),
    ]);
    expect(store.asked).toEqual([past, never]);
    // A caller that scribbles on what it got does not change what is kept.
    const [first] = await cache.getNodes([ids[0] as NodeId]);
    first?.fill(9);
    expect(await cache.getNodes([ids[0] as NodeId])).toEqual([distinct(ids[0] as NodeId)]);
  });

  it("keeps only the most recently read lower nodes", async () => {
    const store = countingStore();
    const cache = new NodeCache(store);
    const first = { level: 0, index: 0 };
    await cache.getNodes([first]);
    const others = Array.from({ length: MAX_LOWER_NODES }, (_, i) => ({ level: 1, index: i }));
    await cache.getNodes(others);
    store.asked.length = 0;
    expect(await cache.getNodes([others[others.length - 1] as NodeId, first])).toEqual(
      [others[others.length - 1] as NodeId, first].map(hashOf),
    );
    expect(store.asked).toEqual([first]); // the oldest was let go
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
