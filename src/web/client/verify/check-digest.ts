import type { TlogPolicy } from "../../../crypto/tlog-policy.js";
import type { Receipt } from "../../../ledger/receipt.js";
import { apiJson } from "../common/api.js";
import { type CheckedRecord, checkReceipt } from "../common/checked-record.js";
import type { StepCheck } from "./outcome.js";

interface VerifyAnswer {
  valid: boolean;
  sha256: string;
  matches: Receipt[];
  checks: StepCheck[];
}

/**
 * Asks the log which entries record `sha256` (only the digest is sent) and
 * checks every proof it answers with in the browser. Valid only when the
 * service found the digest and every proof verifies under the policy.
 */
export async function checkDigest(
  sha256: string,
  policy: TlogPolicy,
): Promise<{ valid: boolean; checks: StepCheck[]; records: CheckedRecord[] }> {
  const answer = await apiJson<VerifyAnswer>("/api/v1/verify", { method: "POST", json: { sha256 } });
  const records = answer.matches.map((r) => checkReceipt(r, policy, sha256));
  const checks: StepCheck[] = [];
  if (records.length === 0) {
    checks.push({
      name: "not-recorded",
      ok: false,
      detail: "no entry in the ledger records this SHA-256 digest",
    });
  } else {
    checks.push({
      name: "recorded",
      ok: true,
      detail: `recorded in ${records.length} entr${records.length === 1 ? "y" : "ies"}`,
    });
    // Every step of every proof, as checked here: a reader sees what was proved, not just a verdict.
    for (const r of records) {
      checks.push(...r.proof.checks.map((c) => ({ ...c, detail: `${r.receipt.evidenceId}: ${c.detail}` })));
    }
  }
  return {
    valid: answer.valid && records.length > 0 && records.every((r) => r.proof.valid),
    checks,
    records,
  };
}
