import { utf8 } from "../../../core/bytes.js";
import type { TlogPolicy } from "../../../crypto/tlog-policy.js";
import { entryDigest, parseEntry } from "../../../ledger/entry.js";
import type { Receipt } from "../../../ledger/receipt.js";
import { type ProofVerification, verifyTlogProof } from "../../../ledger/verify-proof.js";

/** A receipt the page re-verified itself, with what its entry says. */
export interface CheckedRecord {
  receipt: Receipt;
  proof: ProofVerification;
  type: string;
  title?: string;
  /** The sha256 the entry records (evidence, registered agreement, sealed file). */
  sha256?: string;
  body: Record<string, unknown>;
}

/** Re-verifies a receipt here, with the shared offline verifier (the one the CLI uses). */
export function checkReceipt(receipt: Receipt, policy: TlogPolicy, sha256?: string): CheckedRecord {
  const proof = verifyTlogProof(receipt.tlogProof, { policy, ...(sha256 ? { sha256 } : {}) });
  let type = "unknown";
  let body: Record<string, unknown> = {};
  try {
    const entry = parseEntry(utf8(receipt.entry));
    type = entry.type;
    body = entry.body;
  } catch {
    // a malformed entry already fails the proof's "entry" check
  }
  const title = typeof body.title === "string" ? body.title : undefined;
  const recorded = entryDigest({ body: body as never });
  return {
    receipt,
    proof,
    type,
    body,
    ...(title ? { title } : {}),
    ...(recorded ? { sha256: recorded } : {}),
  };
}
