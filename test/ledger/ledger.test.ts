import { describe, expect, it } from "vitest";
import { fromHex, fromUtf8, toHex, utf8 } from "../../src/core/bytes.js";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { openCheckpoint } from "../../src/crypto/checkpoint.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { formatEntryText, GENESIS_PREV, MAX_LEAF_BYTES, parseEntry } from "../../src/ledger/entry.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { hashLeaf } from "../../src/merkle/hash.js";
import { verifyConsistency, verifyInclusion } from "../../src/merkle/verify.js";
import { MemoryLedgerStore } from "../../src/storage/memory-store.js";
import { digest, openTestLedger, testLogKey } from "../helpers/ledger.js";

describe("Ledger", () => {
  it("starts a new log with a signed size-0 genesis checkpoint", async () => {
    const { ledger, key } = await openTestLedger();
    const cp = ledger.latest();
    expect(cp).toMatchObject({ blockHeight: 0, size: 0 });
    const opened = openCheckpoint(cp.note, createVerifier(key.verifierKey), key.origin);
    expect(toHex(opened.checkpoint.root)).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("chains entries by prev and answers with a block whose checkpoint covers them", async () => {
    const { ledger, key } = await openTestLedger();
    const a = await ledger.append("evidence.deposited", { sha256: digest(1) });
    const b = await ledger.append("evidence.deposited", { sha256: digest(2) });
    expect(a.entry.prev).toBe(GENESIS_PREV);
    expect(b.entry.prev).toBe(toHex(a.leafHash));
    expect(parseEntry(b.data)).toEqual(b.entry);
    expect(b.block.size).toBeGreaterThan(b.index);
    const opened = openCheckpoint(b.block.note, createVerifier(key.verifierKey));
    verifyInclusion(
      b.leafHash,
      b.index,
      b.block.size,
      await ledger.proveInclusion(b.index, b.block.size),
      opened.checkpoint.root,
    );
  });

  it("reads committed entries with their leaf hashes, and nothing outside the tree", async () => {
    const { ledger } = await openTestLedger();
    const a = await ledger.append("evidence.deposited", { sha256: digest(1) });
    for (let k = 0; k < 2; k++) {
      // The second read comes from memory: the same bytes.
      expect(await ledger.entryWithLeaf(a.index)).toEqual({
        index: a.index,
        data: a.data,
        leafHash: a.leafHash,
      });
    }
    for (const i of [-1, 0.5, a.index + 1, Number.NaN]) expect(await ledger.entryWithLeaf(i)).toBeUndefined();
  });

  it("names the digests recorded since a tree size, for caches of verify answers", async () => {
    const { ledger } = await openTestLedger();
    const start = ledger.size;
    await ledger.append("evidence.deposited", { sha256: digest(1) });
    const mid = ledger.size;
    await ledger.appendAll([
      { type: "evidence.deposited", body: { sha256: digest(2) } },
      { type: "evidence.deposited", body: { sha256: digest(1) } },
    ]);
    expect(ledger.digestsRecordedAfter(ledger.size)).toEqual([]);
    expect(ledger.digestsRecordedAfter(mid)).toEqual([digest(2), digest(1)]);
    expect(new Set(ledger.digestsRecordedAfter(start))).toEqual(new Set([digest(1), digest(2)]));
    expect(ledger.digestsRecordedAfter(start - 1)).toBeUndefined(); // before the ledger was opened
  });

  it("group-commits concurrent appends into few blocks with one linear history", async () => {
    const { ledger, store } = await openTestLedger({ maxBatch: 64 });
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => ledger.append("evidence.deposited", { sha256: digest(i) })),
    );
    const indices = results.map((r) => r.index).sort((x, y) => x - y);
    expect(indices).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(ledger.latest().blockHeight).toBeLessThan(20);
    expect(ledger.latest().blockHeight).toBeGreaterThanOrEqual(Math.ceil(500 / 64));
    let prev = GENESIS_PREV;
    for (let i = 0; i < 500; i++) {
      const data = (await store.getEntry(i)) as Uint8Array;
      expect(parseEntry(data).prev).toBe(prev);
      prev = toHex(hashLeaf(data));
    }
  });

  it("puts the appends of one turn of the event loop into one block, even on an idle ledger", async () => {
    const { ledger } = await openTestLedger();
    await ledger.append("evidence.deposited", { sha256: digest(1) });
    await new Promise((r) => setImmediate(r)); // idle: no block being written
    const height = ledger.latest().blockHeight;
    // As requests read in the same turn would: the first append does not start a block of its own.
    const turn = Array.from({ length: 10 }, (_, i) =>
      ledger.append("evidence.deposited", { sha256: digest(100 + i) }),
    );
    const appended = await Promise.all(turn);
    expect(ledger.latest().blockHeight).toBe(height + 1);
    expect(new Set(appended.map((a) => a.block.blockHeight))).toEqual(new Set([height + 1]));
  });

  it("records a group in one block, or refuses all of it", async () => {
    const { ledger } = await openTestLedger();
    const group = await ledger.appendAll([
      { type: "evidence.deposited", body: { sha256: digest(1) } },
      { type: "evidence.deposited", body: { sha256: digest(2) } },
    ]);
    expect(group[0]?.block.blockHeight).toBe(group[1]?.block.blockHeight);
    await expect(
      ledger.appendAll([
        { type: "evidence.deposited", body: { sha256: digest(3) } },
        { type: "evidence.deposited", body: { sha256: digest(4), title: "x".repeat(70_000) } },
      ]),
    ).rejects.toMatchObject({ code: "LEAF_TOO_LARGE" });
    expect(ledger.size).toBe(2);
  });

  it("sizes leaves exactly: 65,535 bytes with a multi-byte body and a two-digit index are recorded, one more is refused", async () => {
    const { ledger } = await openTestLedger();
    for (let i = 0; i < 10; i++) await ledger.append("evidence.deposited", { sha256: digest(i) });
    const sizeOf = (index: number, title: string) =>
      utf8(
        formatEntryText(
          index,
          GENESIS_PREV,
          "2026-01-01T00:00:00.000Z",
          "evidence.deposited",
          canonicalJson({ sha256: digest(99), title }),
        ),
      ).length;
    const stem = "调解😀".repeat(5000); // 3 + 3 + 4 bytes of UTF-8 each
    const title = stem + "x".repeat(MAX_LEAF_BYTES - sizeOf(10, stem));
    expect(sizeOf(10, title)).toBe(MAX_LEAF_BYTES);
    const a = await ledger.append("evidence.deposited", { sha256: digest(99), title });
    expect(a.index).toBe(10);
    expect(a.data.length).toBe(MAX_LEAF_BYTES);
    expect(fromUtf8(a.data)).toBe(a.text);
    expect(parseEntry(a.data).body.title).toBe(title);
    await expect(
      ledger.append("evidence.deposited", { sha256: digest(98), title: `${title}x` }),
    ).rejects.toMatchObject({ code: "LEAF_TOO_LARGE" });
    expect(ledger.size).toBe(11);
  });

  it("sizes every leaf of a group whose indices cross from one digit to two", async () => {
    const { ledger } = await openTestLedger();
    for (let i = 0; i < 8; i++) await ledger.append("evidence.deposited", { sha256: digest(i) });
    const group = await ledger.appendAll(
      [8, 9, 10, 11].map((i) => ({
        type: "evidence.deposited" as const,
        body: { sha256: digest(i), title: `调解${i}` },
      })),
    );
    expect(group.map((a) => a.index)).toEqual([8, 9, 10, 11]);
    for (const a of group) {
      expect(fromUtf8(a.data)).toBe(a.text);
      expect(parseEntry(a.data).index).toBe(a.index);
    }
  });

  it("refuses a block whose time ISO 8601 cannot write (year 10000), settling every caller", async () => {
    const { ledger, clock } = await openTestLedger();
    await ledger.append("evidence.deposited", { sha256: digest(1) });
    clock.advance(Date.UTC(10000, 0, 1) - clock.now().getTime());
    const late = await Promise.allSettled([
      ledger.append("evidence.deposited", { sha256: digest(2) }),
      ledger.appendAll([{ type: "evidence.deposited", body: { sha256: digest(3) } }]),
    ]);
    expect(late.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((late[0] as PromiseRejectedResult).reason).toMatchObject({ code: "INVALID_ENTRY" });
    expect(ledger.size).toBe(1);
    expect(ledger.queueDepth).toBe(0);
  });

  it("answers OVERLOADED when the queue is full, and CLOSED after close", async () => {
    const { ledger } = await openTestLedger({ maxQueue: 3, maxBatch: 2 });
    const ps = Array.from({ length: 6 }, (_, i) =>
      ledger.append("evidence.deposited", { sha256: digest(i) }),
    );
    const settled = await Promise.allSettled(ps);
    expect(
      settled.some((s) => s.status === "rejected" && (s.reason as { code: string }).code === "OVERLOADED"),
    ).toBe(true);
    await ledger.close();
    await expect(ledger.append("evidence.deposited", { sha256: digest(9) })).rejects.toMatchObject({
      code: "CLOSED",
    });
  });

  it("proves consistency between any two checkpoints it signed", async () => {
    const { ledger, key } = await openTestLedger({ maxBatch: 7 });
    const cps = [];
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 10 + round }, (_, i) =>
          ledger.append("evidence.deposited", { sha256: digest(round * 100 + i) }),
        ),
      );
      cps.push(openCheckpoint(ledger.latest().note, createVerifier(key.verifierKey)).checkpoint);
    }
    for (const a of cps) {
      for (const b of cps) {
        if (a.size > b.size || a.size === 0) continue;
        verifyConsistency(a.size, b.size, await ledger.proveConsistency(a.size, b.size), a.root, b.root);
      }
    }
  });

  it("refuses bad proof arguments with codes", async () => {
    const { ledger } = await openTestLedger();
    await ledger.append("evidence.deposited", { sha256: digest(1) });
    await expect(ledger.proveInclusion(1, 1)).rejects.toMatchObject({ code: "INVALID_INDEX" });
    await expect(ledger.proveInclusion(-1)).rejects.toMatchObject({ code: "INVALID_INDEX" });
    await expect(ledger.proveInclusion(0, 5)).rejects.toMatchObject({ code: "INVALID_SIZE" });
    await expect(ledger.proveConsistency(0, 1)).rejects.toMatchObject({ code: "INVALID_SIZE" });
    await expect(ledger.proveConsistency(1, 0)).rejects.toMatchObject({ code: "INVALID_SIZE" });
  });

  it("reopens a store and continues the same history", async () => {
    const store = new MemoryLedgerStore();
    const first = await openTestLedger({ store });
    const a = await first.ledger.append("evidence.deposited", { sha256: digest(1) });
    const again = await Ledger.open({ store, key: first.key, clock: first.clock });
    const b = await again.append("evidence.deposited", { sha256: digest(2) });
    expect(b.entry.prev).toBe(toHex(a.leafHash));
    expect(b.block.blockHeight).toBe(a.block.blockHeight + 1);
  });

  it("finds the block of every entry, recent ones in memory and older ones in the store, after reopening too", async () => {
    const store = new MemoryLedgerStore();
    const { ledger, key, clock } = await openTestLedger({ store });
    const truth: number[] = []; // entry index -> the block that recorded it
    for (let b = 1; b <= 12; b++) {
      const group = Array.from({ length: (b % 3) + 1 }, (_, i) => ({
        type: "evidence.deposited" as const,
        body: { sha256: digest(b * 10 + i) },
      }));
      for (const a of await ledger.appendAll(group)) truth[a.index] = a.block.blockHeight;
    }
    const reads: number[] = [];
    const covering = store.checkpointCovering.bind(store);
    store.checkpointCovering = (i) => {
      reads.push(i);
      return covering(i);
    };
    const small = await Ledger.open({ store, key, clock, recentBlocks: 3 });
    const bigger = await Ledger.open({ store, key, clock, recentBlocks: 1000 });
    for (let i = 0; i < truth.length; i++) {
      expect(await ledger.blockOf(i), `entry ${i}`).toBe(truth[i]);
      expect(await small.blockOf(i), `entry ${i}, 3 blocks in memory`).toBe(truth[i]);
      expect(await bigger.blockOf(i), `entry ${i}, reopened`).toBe(truth[i]);
    }
    // With 3 blocks in memory (heights 10 to 12), only entries before block 11 are read from the store.
    const firstInMemory = truth.indexOf(11);
    expect(reads).toEqual(Array.from({ length: firstInMemory }, (_, i) => i));
    // Memory stays bounded as blocks are added: twice the setting at most, and still right.
    for (let b = 0; b < 10; b++) {
      const a = await small.append("evidence.deposited", { sha256: digest(1000 + b) });
      expect(await small.blockOf(a.index)).toBe(a.block.blockHeight);
    }
    expect((small as unknown as { recentSizes: number[] }).recentSizes.length).toBeLessThan(6);
    await expect(small.blockOf(-1)).rejects.toMatchObject({ code: "INVALID_INDEX" });
  });

  it("refuses to sign over a store whose head does not match its signed checkpoint", async () => {
    const store = new MemoryLedgerStore();
    const { ledger, key, clock } = await openTestLedger({ store });
    await ledger.append("evidence.deposited", { sha256: digest(1) });
    // Another key's checkpoint, or a tampered tree, must stop the start.
    await expect(Ledger.open({ store, key: testLogKey(key.origin, 2), clock })).rejects.toMatchObject({
      code: "LEDGER_CORRUPT",
    });
    const s2 = new MemoryLedgerStore();
    const t = await openTestLedger({ store: s2 });
    await t.ledger.append("evidence.deposited", { sha256: digest(1) });
    (s2 as unknown as { nodes: Map<number, Uint8Array>[] }).nodes[0]?.set(0, fromHex(digest(7)));
    await expect(Ledger.open({ store: s2, key: t.key, clock })).rejects.toMatchObject({
      code: "LEDGER_CORRUPT",
    });
  });

  it("refuses a data directory of another origin", async () => {
    const store = new MemoryLedgerStore();
    const { clock } = await openTestLedger({ store });
    await expect(Ledger.open({ store, key: testLogKey("other.example/log"), clock })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
  });
});
