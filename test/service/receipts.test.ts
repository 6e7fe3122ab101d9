import { describe, expect, it } from "vitest";
import { buildReceipt } from "../../src/ledger/receipt.js";
import { receiptForAppended } from "../../src/service/receipts.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

describe("receipts for fresh appends", () => {
  it("match receipts built one proof at a time, for entries of several blocks, with no storage read", async () => {
    const { ledger, store } = await openTestLedger({ maxBatch: 37 });
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
    expect(new Set(appended.map((a) => a.block.blockHeight)).size).toBeGreaterThan(2);
    let reads = 0;
    const getNodes = store.getNodes.bind(store);
    store.getNodes = (ids) => {
      reads++;
      return getNodes(ids);
    };
    const fast = appended.map(receiptForAppended);
    expect(reads).toBe(0);
    store.getNodes = getNodes;
    for (const [i, a] of appended.entries()) {
      const proof = await ledger.proveInclusion(a.index, a.block.size);
      expect(fast[i]).toEqual(buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof }));
    }
  });

  it("refuses an index outside the block it asks", async () => {
    const { ledger } = await openTestLedger();
    const a = await ledger.append("evidence.deposited", { sha256: digest(1) });
    expect(() => a.proofs.proof(a.index + 1)).toThrow(/not in this block/);
    expect(a.proofs.proof(a.index)).toEqual(await ledger.proveInclusion(a.index, a.block.size));
  });
});
