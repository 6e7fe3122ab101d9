import { createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { parseVerifierKey } from "../../src/crypto/note-keys.js";
import { singleLogPolicy, verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { depositEvidenceBatch } from "../../src/service/deposit-evidence.js";
import { dockingVerify } from "../../src/service/docking-verify.js";
import { digest, openTestLedger } from "../helpers/ledger.js";

describe("court docking batch verify", () => {
  it("answers each item with its receipt fields and proof, signed by the log key over the JCS of the answer", async () => {
    const { ledger, key, clock } = await openTestLedger();
    const receipts = await depositEvidenceBatch(ledger, [{ sha256: digest(1) }, { sha256: digest(2) }]);
    const answer = await dockingVerify(
      ledger,
      {
        items: [
          { sha256: digest(1) },
          { evidenceId: receipts[1]?.evidenceId },
          { sha256: digest(9) },
          { evidenceId: "NTR-0000000000000000" },
        ],
      },
      { clock },
    );
    expect(answer.results.map((r) => r.valid)).toEqual([true, true, false, false]);
    expect(answer.results[0]).toMatchObject({
      sha256: digest(1),
      index: 0,
      txHash: receipts[0]?.txHash,
      blockHeight: receipts[0]?.blockHeight,
    });
    const policy = singleLogPolicy(key.verifierKey);
    for (const r of answer.results.filter((x) => x.valid))
      expect(verifyTlogProof(r.tlogProof as string, { policy }).valid).toBe(true);

    // A court re-checks the signature with any Ed25519 implementation: here node:crypto.
    const { signature, ...unsigned } = answer;
    const pub = createPublicKey({
      key: Buffer.concat([
        Buffer.from("302a300506032b6570032100", "hex"),
        Buffer.from(parseVerifierKey(key.verifierKey).publicKey),
      ]),
      format: "der",
      type: "spki",
    });
    expect(verify(null, Buffer.from(canonicalJson(unsigned)), pub, Buffer.from(signature, "hex"))).toBe(true);
    const altered = { ...unsigned, answeredAt: "2020-01-01T00:00:00.000Z" };
    expect(verify(null, Buffer.from(canonicalJson(altered)), pub, Buffer.from(signature, "hex"))).toBe(false);
  });

  it("answers 1,000 items in one call, and refuses malformed or oversized batches", async () => {
    const { ledger, clock } = await openTestLedger();
    await depositEvidenceBatch(
      ledger,
      Array.from({ length: 1000 }, (_, i) => ({ sha256: digest(i) })),
    );
    const t0 = performance.now();
    const answer = await dockingVerify(
      ledger,
      { items: Array.from({ length: 1000 }, (_, i) => ({ sha256: digest(i) })) },
      { clock },
    );
    const ms = performance.now() - t0;
    expect(answer.results.every((r) => r.valid)).toBe(true);
    expect(ms).toBeLessThan(10_000); // the figure itself is measured by npm run bench
    for (const bad of [
      {},
      { items: [] },
      { items: [{ sha256: "xyz" }] },
      { items: [{ both: 1 }] },
      { items: [{ sha256: digest(1), evidenceId: "NTR-0000000000000000" }] },
      // Malformed, not merely unknown: refused like a malformed digest, not answered valid: false.
      { items: [{ evidenceId: "NTR-XX" }] },
      { items: [{ evidenceId: "NTR-000000000000000U" }] },
      { items: Array.from({ length: 1001 }, () => ({ sha256: digest(1) })) },
    ]) {
      await expect(dockingVerify(ledger, bad, { clock })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    await expect(dockingVerify(ledger, { items: [{}] }, { clock })).rejects.toThrow(
      'items.0: each item is {"sha256": …} or {"evidenceId": …}, exactly one of them',
    );
  });
});
