import { describe, expect, it } from "vitest";
import { toHex } from "../../src/core/bytes.js";
import { buildReceipt } from "../../src/ledger/receipt.js";
import { createReceiptCoalescer, receiptsForAppended } from "../../src/service/appended-receipts.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

describe("receipts for fresh appends", () => {
  it("match receipts built one proof at a time, for entries of several blocks at once", async () => {
    const { ledger } = await openTestLedger({ maxBatch: 37 });
    await ledger.appendAll(
      Array.from({ length: 21 }, (_, i) => ({
        type: "evidence.deposited" as const,
        body: { sha256: digest(i) },
      })),
    );
    const appended = (
      await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          ledger.append("evidence.deposited", { sha256: digest(100 + i) }),
        ),
      )
    ).sort((a, b) => a.index - b.index);
    expect(new Set(appended.map((a) => a.block.blockHeight)).size).toBeGreaterThan(1);
    const fast = await receiptsForAppended(ledger, appended);
    for (const [i, a] of appended.entries()) {
      const proof = await ledger.proveInclusion(a.index, a.block.size);
      expect(fast[i]).toEqual(buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof }));
    }
  });

  it("coalesces calls made in one turn into one read, and answers each caller its own receipt", async () => {
    const { ledger, store } = await openTestLedger();
    const appended = await ledger.appendAll(
      Array.from({ length: 64 }, (_, i) => ({
        type: "evidence.deposited" as const,
        body: { sha256: digest(i) },
      })),
    );
    // A newer block, so the first one's nodes are no longer held as the newest block's.
    const newest = await ledger.append("evidence.deposited", { sha256: digest(999) });
    let reads = 0;
    const asked: { level: number; index: number }[] = [];
    const getNodes = store.getNodes.bind(store);
    store.getNodes = (ids) => {
      reads++;
      asked.push(...ids);
      return getNodes(ids);
    };
    const receiptFor = createReceiptCoalescer(ledger);
    const receipts = await Promise.all(appended.map((a) => receiptFor(a)));
    expect(reads).toBe(1);
    expect(receipts.map((r) => r.txHash)).toEqual(appended.map((a) => toHex(a.leafHash)));
    // The newest block's receipts read only nodes of older blocks (its own are in memory).
    asked.length = 0;
    expect((await receiptFor(newest)).txHash).toBe(toHex(newest.leafHash));
    for (const id of asked) expect((id.index + 1) * 2 ** id.level).toBeLessThanOrEqual(newest.index);
  });
});
