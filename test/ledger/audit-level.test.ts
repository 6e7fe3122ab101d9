import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditLedger } from "../../src/ledger/audit.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

// Rows as LevelLedgerStore keys them: "e" + u64 index for entries, "n" + level + u64 index for nodes.
const entryKey = (i: number) => {
  const k = new Uint8Array(9);
  k[0] = 0x65;
  new DataView(k.buffer).setBigUint64(1, BigInt(i));
  return k;
};
const nodeKey = (level: number, i: number) => {
  const k = new Uint8Array(10);
  k[0] = 0x6e;
  k[1] = level;
  new DataView(k.buffer).setBigUint64(2, BigInt(i));
  return k;
};

/** A LevelDB-backed log of n entries, closed and reopened raw for tampering. */
async function levelLog(n: number) {
  const dir = join(mkdtempSync(join(tmpdir(), "notarium-audit-")), "ledger");
  const store = new LevelLedgerStore(dir);
  const t = await openTestLedger({ store, maxBatch: 16 });
  await Promise.all(
    Array.from({ length: n }, (_, i) => t.ledger.append("evidence.deposited", { sha256: digest(i) })),
  );
  return { ...t, store, raw: store.raw };
}

describe("opening a ledger over LevelDB rows", () => {
  it("refuses a block index with a hole among the blocks it keeps in memory", async () => {
    const { store, key, clock, raw } = await levelLog(100);
    const { fromHeight, sizes } = await store.recentBlockSizes(1000);
    expect(fromHeight).toBe(0);
    expect(sizes.length).toBeGreaterThan(3);
    // The block-size row of a middle block: "s" + u64 tree size.
    const k = new Uint8Array(9);
    k[0] = 0x73;
    new DataView(k.buffer).setBigUint64(1, BigInt(sizes[2] as number));
    await raw.del(k);
    await expect(Ledger.open({ store, key, clock })).rejects.toMatchObject({
      code: "LEDGER_CORRUPT",
      message: expect.stringContaining("block index is incomplete"),
    });
    // Kept out of memory (only the newest block is), the hole is the audit's to find.
    const ledger = await Ledger.open({ store, key, clock, recentBlocks: 1 });
    expect(ledger.size).toBe(100);
    const r = await auditLedger(store, key);
    expect(r.firstProblem).toEqual({
      blockHeight: 2,
      problem: `the block index does not list block 2 (tree size ${sizes[2]}) in its place`,
    });
    await store.close();
  });

  it("names a block-index row beyond the newest checkpoint, which opening refuses", async () => {
    const { store, key, clock, raw } = await levelLog(40);
    const { sizes } = await store.recentBlockSizes(1000);
    const k = new Uint8Array(9);
    k[0] = 0x73;
    new DataView(k.buffer).setBigUint64(1, 1000n);
    const v = new Uint8Array(8);
    new DataView(v.buffer).setBigUint64(0, BigInt(sizes.length));
    await raw.put(k, v);
    await expect(Ledger.open({ store, key, clock })).rejects.toMatchObject({ code: "LEDGER_CORRUPT" });
    expect((await auditLedger(store, key)).firstProblem).toEqual({
      blockHeight: sizes.length,
      problem: `the block index lists a block ${sizes.length} (tree size 1000) beyond the newest checkpoint`,
    });
    await expect(Ledger.open({ store, key, clock, recentBlocks: 0 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await store.close();
  });
});

describe("auditLedger on LevelDB rows", () => {
  it("passes the intact log", async () => {
    const { store, key } = await levelLog(300);
    expect(await auditLedger(store, key)).toMatchObject({ ok: true, entries: 300 });
    await store.close();
  });

  it("names a deleted entry row as missing, not as a renumbered one", async () => {
    const { store, key, raw } = await levelLog(300);
    await raw.del(entryKey(123));
    const r = await auditLedger(store, key);
    expect(r.firstProblem).toEqual({ index: 123, problem: "entry 123 is missing" });
    await store.close();
  });

  it("tells a deleted interior node from a wrong one", async () => {
    const { store, key, raw } = await levelLog(300);
    await raw.del(nodeKey(3, 10));
    let r = await auditLedger(store, key);
    expect(r.firstProblem).toEqual({
      index: 80,
      problem: "stored Merkle node (level 3, index 10) is missing",
    });
    await raw.put(nodeKey(3, 10), new Uint8Array(32));
    await raw.put(nodeKey(5, 7), new Uint8Array(32).fill(1));
    r = await auditLedger(store, key);
    expect(r.firstProblem).toEqual({ index: 80, problem: "stored Merkle node (level 3, index 10) is wrong" });
    await raw.put(nodeKey(3, 10), (await store.getNodes([{ level: 2, index: 0 }]))[0] as Uint8Array);
    r = await auditLedger(store, key);
    expect(r.firstProblem?.problem).toMatch(/level 3, index 10\) is wrong/);
    await store.close();
  });
});
