import { describe, expect, it } from "vitest";
import { EntryCache, MAX_CACHED_ENTRIES } from "../../src/ledger/entry-cache.js";

const MISSING = 1e9; // the one index the store has no entry for

/** A store that counts the entries it is asked for. */
function countingStore() {
  const asked: number[] = [];
  return {
    asked,
    getEntryWithLeaf: async (index: number) => {
      asked.push(index);
      return index === MISSING
        ? undefined
        : {
            index,
            data: new Uint8Array([index & 255, 1, 2]),
            leafHash: new Uint8Array(32).fill(index & 255),
          };
    },
  };
}

describe("EntryCache", () => {
  it("reads a committed entry once, then serves copies from memory", async () => {
    const store = countingStore();
    const cache = new EntryCache(store);
    const first = await cache.get(7, () => 10);
    expect(first).toEqual({
      index: 7,
      data: new Uint8Array([7, 1, 2]),
      leafHash: new Uint8Array(32).fill(7),
    });
    first?.data.fill(0); // a caller may change what it is handed
    first?.leafHash.fill(0);
    const again = await cache.get(7, () => 10);
    expect(again?.data).toEqual(new Uint8Array([7, 1, 2]));
    expect(again?.leafHash).toEqual(new Uint8Array(32).fill(7));
    again?.data.fill(9);
    expect((await cache.get(7, () => 10))?.data).toEqual(new Uint8Array([7, 1, 2]));
    expect(store.asked).toEqual([7]);
  });

  it("keeps nothing beyond the signed tree, and no answer for a missing entry", async () => {
    const store = countingStore();
    const cache = new EntryCache(store);
    // Index 12 read while the tree has 10 entries: a block not yet committed, so read again next time.
    await cache.get(12, () => 10);
    await cache.get(12, () => 13);
    await cache.get(12, () => 13);
    expect(await cache.get(MISSING, () => MISSING + 1)).toBeUndefined();
    expect(await cache.get(MISSING, () => MISSING + 1)).toBeUndefined();
    expect(store.asked).toEqual([12, 12, MISSING, MISSING]);
  });

  it("keeps only the most recently read entries", async () => {
    const store = countingStore();
    const cache = new EntryCache(store);
    const size = () => MAX_CACHED_ENTRIES + 10;
    await cache.get(0, size);
    for (let i = 1; i <= MAX_CACHED_ENTRIES; i++) await cache.get(i, size);
    store.asked.length = 0;
    await cache.get(MAX_CACHED_ENTRIES, size);
    await cache.get(0, size);
    expect(store.asked).toEqual([0]);
  });
});
