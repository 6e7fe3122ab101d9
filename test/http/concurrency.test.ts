import { describe, expect, it } from "vitest";
import { auditLedger } from "../../src/ledger/audit.js";
import { verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { call, hex, startTestService } from "./helpers.js";

describe("concurrent deposits", () => {
  it("turn hundreds of parallel requests into one linear, gap-free history that audits clean", async () => {
    const s = await startTestService();
    try {
      const n = 400;
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          i % 10 === 0
            ? call(s.url, "POST", "/api/v1/evidence/batch", {
                token: s.tokens.mediator,
                json: { items: [{ sha256: hex(i) }, { sha256: hex(i + n) }] },
              })
            : call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.mediator, json: { sha256: hex(i) } }),
        ),
      );
      expect(answers.every((a) => a.status === 201)).toBe(true);
      const receipts = answers.flatMap((a) => a.json.receipts ?? [a.json]);
      const indices = receipts.map((r) => r.index).sort((a, b) => a - b);
      expect(indices).toEqual(Array.from({ length: n + n / 10 }, (_, i) => i));
      expect(new Set(receipts.map((r) => r.evidenceId)).size).toBe(receipts.length);
      expect(s.ledger.latest().blockHeight).toBeLessThanOrEqual(n);
      for (const r of receipts) expect(verifyTlogProof(r.tlogProof, { policy: s.policy }).valid).toBe(true);
      const report = await auditLedger(s.store, s.key);
      expect(report).toMatchObject({ ok: true, entries: n + n / 10 });
    } finally {
      await s.close();
    }
  });
});
