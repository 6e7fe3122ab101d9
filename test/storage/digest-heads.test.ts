import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BlockWrite } from "../../src/ledger/ledger-store.js";
import { decodeHead, digestHeadWrites, encodeHead } from "../../src/storage/digest-heads.js";
import { LevelLedgerStore } from "../../src/storage/level-store.js";

const sha = (n: number) => new Uint8Array(32).fill(n);
const D = 0x44; // 'D', a digest head row
const d = 0x64; // 'd', a digest's other entries

/** A block of `count` entries from `from`; entry i records digest (i % kinds). */
function block(height: number, from: number, count: number, kinds: number): BlockWrite {
  const entries = Array.from({ length: count }, (_, k) => ({ index: from + k, data: Uint8Array.of(k) }));
  return {
    entries,
    nodes: entries.map((e) => ({ level: 0, index: e.index, hash: sha(200) })),
    digests: entries.map((e) => ({ sha256: sha(e.index % kinds), index: e.index })),
    ids: [],
    refs: [],
    checkpoint: { blockHeight: height, size: from + count, note: "n", time: "t" },
  };
}

async function openStore() {
  const dir = join(mkdtempSync(join(tmpdir(), "notarium-heads-")), "ledger");
  const store = new LevelLedgerStore(dir);
  await store.open();
  return { dir, store };
}

describe("digest heads", () => {
  it("encode the first index and the count, and refuse a value of the wrong size", () => {
    const v = encodeHead({ first: 2 ** 40 + 5, count: 7 });
    expect(decodeHead(v)).toEqual({ first: 2 ** 40 + 5, count: 7 });
    expect(decodeHead(v.subarray(0, 11))).toBeUndefined();
  });

  it("count repeats within a block and on top of stored heads; only repeats get their own rows", () => {
    const asked: number[] = [];
    const { heads, extraRows } = digestHeadWrites(
      [
        { sha256: sha(1), index: 10 },
        { sha256: sha(2), index: 11 },
        { sha256: sha(1), index: 12 },
      ],
      (s) => {
        asked.push(s[0] as number);
        return s[0] === 2 ? { first: 3, count: 1 } : undefined;
      },
    );
    expect(asked).toEqual([1, 2]); // once per distinct digest
    expect(heads.map((h) => [h.sha256[0], h.head])).toEqual([
      [1, { first: 10, count: 2 }],
      [2, { first: 3, count: 2 }],
    ]);
    expect(extraRows.map((r) => r.index)).toEqual([11, 12]);
  });

  it("answer a digest recorded once with a point read, and repeats with a scan", async () => {
    const { store } = await openStore();
    await store.appendBlock(block(1, 0, 10, 10)); // digests 0..9 once each
    await store.appendBlock(block(2, 10, 4, 2)); // digests 0 and 1 again, twice each
    let scans = 0;
    const keys = store.raw.keys.bind(store.raw);
    store.raw.keys = ((...a: Parameters<typeof keys>) => {
      scans++;
      return keys(...a);
    }) as typeof keys;
    expect(await store.findByDigest(sha(5))).toEqual([5]);
    expect(await store.findByDigest(sha(77))).toEqual([]);
    expect(scans).toBe(0);
    expect(await store.findByDigest(sha(0))).toEqual([0, 10, 12]);
    expect(await store.findByDigest(sha(1), 2)).toEqual([1, 11]);
    expect(await store.findByDigest(sha(1), 1)).toEqual([1]);
    expect(scans).toBe(2);
    await store.close();
  });

  it("are built on open for a store written before they existed, and answer the same", async () => {
    const { dir, store } = await openStore();
    await store.appendBlock(block(1, 0, 30, 7));
    const before = await Promise.all(Array.from({ length: 8 }, (_, n) => store.findByDigest(sha(n))));
    // Back to the old layout: no heads, no marker, and a 'd' row for every entry.
    for await (const k of store.raw.keys({ gte: Uint8Array.of(D), lt: Uint8Array.of(D + 1) }))
      await store.raw.del(k);
    await store.raw.del(new Uint8Array([0x6d, ...new TextEncoder().encode("digest-heads")]));
    for (let i = 0; i < 7; i++) {
      const k = new Uint8Array(41);
      k[0] = d;
      k.set(sha(i), 1);
      k[40] = i; // entry i is digest i's first
      await store.raw.put(k, new Uint8Array(0));
    }
    expect(await store.findByDigest(sha(3))).toEqual([]);
    await store.close();
    const again = new LevelLedgerStore(dir);
    await again.open();
    expect(await Promise.all(Array.from({ length: 8 }, (_, n) => again.findByDigest(sha(n))))).toEqual(
      before,
    );
    expect(before[0]).toEqual([0, 7, 14, 21, 28]);
    await again.close();
  });

  it("refuse a damaged head row instead of answering 'not recorded'", async () => {
    const { store } = await openStore();
    await store.appendBlock(block(1, 0, 3, 3));
    await store.raw.put(new Uint8Array([D, ...sha(1)]), Uint8Array.of(1, 2, 3));
    await expect(store.findByDigest(sha(1))).rejects.toMatchObject({ code: "LEDGER_CORRUPT" });
    await store.close();
  });
});
