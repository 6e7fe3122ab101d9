import { equalBytes, isHexDigest } from "../core/bytes.js";
import { NotFoundError, ValidationError } from "../core/errors.js";
import { EVIDENCE_ID_BYTES, parseEvidenceId } from "../ledger/evidence-id.js";
import type { Ledger } from "../ledger/ledger.js";
import type { StoredCheckpoint } from "../ledger/ledger-store.js";
import type { Receipt } from "../ledger/receipt.js";
import { receiptForIndex } from "./receipts.js";

/**
 * Looks up an evidence ID; the ID is checked against the leaf hash it was
 * derived from. The receipt is proved against `checkpointFor(index)` when
 * given (the newest checkpoint the court witnesses cosigned), else the newest.
 */
export async function findEvidence(
  ledger: Ledger,
  id: string,
  checkpointFor?: (index: number) => StoredCheckpoint,
): Promise<Receipt> {
  const prefix = parseEvidenceId(id);
  const index = await ledger.storage.findById(prefix);
  if (index === undefined || index >= ledger.size)
    throw new NotFoundError("EVIDENCE_NOT_FOUND", `no evidence with ID ${id}`);
  const leafHash = await ledger.leafHash(index);
  if (!equalBytes(leafHash.subarray(0, EVIDENCE_ID_BYTES), prefix)) {
    throw new NotFoundError("EVIDENCE_NOT_FOUND", `no evidence with ID ${id}`);
  }
  return receiptForIndex(ledger, index, checkpointFor?.(index));
}

/** Indices of entries that record this SHA-256 digest (hex), oldest first. */
export async function findByDigest(ledger: Ledger, sha256: string, limit = 100): Promise<number[]> {
  if (!isHexDigest(sha256))
    throw new ValidationError("INVALID_DIGEST", "sha256 must be 64 lowercase hex characters");
  return ledger.findByDigest(sha256, limit);
}
