import { describe, expect, it } from "vitest";
import { DigestJournal } from "../../src/ledger/digest-journal.js";

describe("DigestJournal", () => {
  it("names the digests recorded after a tree size, newest blocks first", () => {
    const j = new DigestJournal(5);
    expect(j.recordedAfter(5)).toEqual([]);
    j.add(7, ["a", "b"]);
    j.add(8, []); // a block of entries without digests
    j.add(10, ["c"]);
    expect(j.recordedAfter(10)).toEqual([]);
    expect(j.recordedAfter(8)).toEqual(["c"]);
    expect(j.recordedAfter(7)).toEqual(["c"]);
    expect(new Set(j.recordedAfter(5))).toEqual(new Set(["a", "b", "c"]));
    expect(j.recordedAfter(6)).toEqual(["c", "a", "b"]); // a block across the size counts as after it
  });

  it("does not claim to know about sizes before what it holds", () => {
    const j = new DigestJournal(5);
    expect(j.recordedAfter(4)).toBeUndefined();
  });

  it("keeps only the newest blocks and digests", () => {
    const byBlocks = new DigestJournal(0, { maxBlocks: 2, maxDigests: 100 });
    for (let i = 1; i <= 5; i++) byBlocks.add(i, [`d${i}`]);
    expect(byBlocks.recordedAfter(3)).toEqual(["d5", "d4"]);
    expect(byBlocks.recordedAfter(2)).toBeUndefined();

    const byDigests = new DigestJournal(0, { maxBlocks: 100, maxDigests: 3 });
    byDigests.add(2, ["a", "b"]);
    byDigests.add(4, ["c", "d"]);
    expect(byDigests.recordedAfter(2)).toEqual(["c", "d"]);
    expect(byDigests.recordedAfter(0)).toBeUndefined();
    byDigests.add(9, ["e", "f", "g", "h", "i"]); // one block over the limit is still kept whole
    expect(byDigests.recordedAfter(4)).toEqual(["e", "f", "g", "h", "i"]);
    expect(byDigests.recordedAfter(2)).toBeUndefined();
  });

  it("stays correct across many blocks (the array is compacted as it goes)", () => {
    const j = new DigestJournal(0, { maxBlocks: 10, maxDigests: 1000 });
    for (let i = 1; i <= 5000; i++) j.add(i, [`d${i}`]);
    expect(j.recordedAfter(4997)).toEqual(["d5000", "d4999", "d4998"]);
    expect(j.recordedAfter(4990)?.length).toBe(10);
    expect(j.recordedAfter(4989)).toBeUndefined();
  });

  it("lets go of dropped blocks at once, however large they are", () => {
    // Blocks of batch deposits: the bound must hold in memory, not only in what recordedAfter says.
    const j = new DigestJournal(0, { maxBlocks: 4096, maxDigests: 5000 });
    const block = (i: number) => Array.from({ length: 1000 }, (_, k) => `b${i}-${k}`);
    for (let i = 1; i <= 200; i++) {
      j.add(i * 1000, block(i));
      expect(j.heldDigests).toBeLessThanOrEqual(6000);
    }
    expect(j.recordedAfter(195_000)).toHaveLength(5000);
    expect(j.recordedAfter(194_999)).toBeUndefined();
  });
});
