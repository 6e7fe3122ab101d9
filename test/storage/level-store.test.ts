import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { ledgerStoreContract } from "./store-contract.js";

ledgerStoreContract("LevelLedgerStore", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "notarium-store-")), "ledger");
  const store = new LevelLedgerStore(dir);
  await store.open();
  return {
    store,
    reopen: async () => {
      const s = new LevelLedgerStore(dir);
      await s.open();
      return s;
    },
  };
});

describe("LevelLedgerStore", () => {
  it("reads the newest block sizes of a long log (hundreds of thousands of blocks)", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-sizes-")), "ledger");
    const store = new LevelLedgerStore(dir);
    await store.open();
    // Block-index rows only ("s" + u64 tree size -> u64 height): block h has size 2h.
    const rows = 300_000;
    const u64 = (n: number) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt(n));
      return b;
    };
    for (let h = 0; h < rows; h += 50_000) {
      const batch = store.raw.batch();
      for (let i = h; i < h + 50_000; i++) batch.put(Uint8Array.of(0x73, ...u64(2 * i)), u64(i));
      await batch.write();
    }
    const recent = await store.recentBlockSizes(200_000);
    expect(recent.fromHeight).toBe(rows - 200_000);
    expect(recent.sizes).toHaveLength(200_000);
    expect(recent.sizes[0]).toBe(2 * (rows - 200_000));
    expect(recent.sizes[199_999]).toBe(2 * (rows - 1));
    await store.close();
  });

  // Across processes LevelDB's LOCK file refuses (test/cli); within one process the
  // handle is shared with the bulk-read workers, so the store itself must refuse.
  it("refuses a data directory already open in this process, and frees it on close", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-lock-")), "ledger");
    const a = new LevelLedgerStore(dir);
    await a.open();
    const b = new LevelLedgerStore(dir);
    await expect(b.open()).rejects.toMatchObject({ code: "DATA_DIR_LOCKED" });
    await a.close();
    const c = new LevelLedgerStore(dir);
    await c.open();
    await c.close();
  });

  it("reads bulk ranges on its worker threads, the same rows as point reads", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-bulk-")), "ledger");
    const store = new LevelLedgerStore(dir);
    await store.open();
    const entries = Array.from({ length: 3000 }, (_, i) => ({
      index: i,
      data: new TextEncoder().encode(`entry ${i} `.repeat((i % 7) + 1)),
    }));
    const hashes = entries.map((e) => new Uint8Array(32).fill(e.index & 255));
    await store.appendBlock({
      entries,
      nodes: entries.map((e) => ({ level: 0, index: e.index, hash: hashes[e.index] as Uint8Array })),
      digests: [],
      ids: [],
      refs: [],
      checkpoint: { blockHeight: 0, size: 3000, note: "n", time: "t" },
    });
    const read = await store.readEntries(1000, 2500);
    expect(store.bulkReads).toBe("worker");
    expect(read).toHaveLength(2000);
    for (const [k, e] of read.entries()) {
      expect(e.index).toBe(1000 + k);
      expect(e.data).toEqual(entries[1000 + k]?.data);
      expect(e.leafHash).toEqual(hashes[1000 + k]);
    }
    expect(await store.readNodeRange(0, 2990, 20)).toEqual(hashes.slice(2990));
    // Point reads: a few synchronously, many (a block's receipts) through the thread pool.
    for (const n of [3, 500]) {
      const ids = Array.from({ length: n }, (_, k) => ({ level: 0, index: (k * 7) % 3000 }));
      expect(await store.getNodes(ids)).toEqual(ids.map((id) => hashes[id.index]));
    }
    await store.close();
  });
});

describe("LevelRowReader", () => {
  it("rejects (never hangs) when its worker cannot open the database, and reads a real one", async () => {
    const { LevelRowReader } = await import("../../src/storage/level-row-reader.js");
    const missing = new LevelRowReader(join(mkdtempSync(join(tmpdir(), "notarium-none-")), "absent"));
    await expect(missing.read(Uint8Array.of(0), Uint8Array.of(255), 10)).rejects.toThrow();
    await missing.close();
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-reader-")), "ledger");
    const store = new LevelLedgerStore(dir);
    await store.open();
    await store.raw.put(Uint8Array.of(1, 2), Uint8Array.of(9, 9, 9));
    await store.raw.put(Uint8Array.of(1, 3), Uint8Array.of(8));
    const reader = new LevelRowReader(dir);
    const rows = await reader.read(Uint8Array.of(1), Uint8Array.of(2), 10);
    expect([...rows.bytes]).toEqual([9, 9, 9, 8]);
    expect([...rows.ends]).toEqual([3, 4]);
    await reader.close();
    await expect(reader.read(Uint8Array.of(1), Uint8Array.of(2), 10)).rejects.toThrow(/exited/);
    await store.close();
  });

  // Stopping a worker thread while LevelDB works on its behalf (an iterator mid-read)
  // left nothing keeping the process alive until the thread was gone: the CLI's audit,
  // which stops early on a tampered row with its read-ahead in flight, could exit 13.
  // A reader now closes by finishing what was asked, so reads in flight are answered.
  it("closes by answering the reads in flight, then refuses new ones", async () => {
    const { LevelRowReader } = await import("../../src/storage/level-row-reader.js");
    const dir = join(mkdtempSync(join(tmpdir(), "notarium-reader-")), "ledger");
    const store = new LevelLedgerStore(dir);
    await store.open();
    const batch = store.raw.batch();
    for (let i = 0; i < 5000; i++)
      batch.put(Uint8Array.of(1, i >> 8, i & 255), new Uint8Array(100).fill(i & 255));
    await batch.write();
    for (let round = 0; round < 12; round++) {
      const reader = new LevelRowReader(dir);
      const reads = [0, 1, 2].map(() => reader.read(Uint8Array.of(1), Uint8Array.of(2), 5000));
      if (round % 3 === 1) await reads[0];
      if (round % 3 === 2) await new Promise((r) => setTimeout(r, round));
      await reader.close();
      for (const r of await Promise.all(reads)) expect(r.ends).toHaveLength(5000);
      await expect(reader.read(Uint8Array.of(1), Uint8Array.of(2), 1)).rejects.toThrow(/exited/);
      await reader.close(); // twice is harmless
    }
    await store.close();
  });
});
