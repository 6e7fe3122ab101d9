import { NotFoundError } from "../core/errors.js";
import { evidenceIdFromLeafHash } from "../ledger/evidence-id.js";
import type { Appended, Ledger } from "../ledger/ledger.js";
import type { StoredCheckpoint } from "../ledger/ledger-store.js";
import { buildReceipt, type Receipt } from "../ledger/receipt.js";
import { createReceiptCoalescer } from "./appended-receipts.js";

const coalescers = new WeakMap<Ledger, (a: Appended) => Promise<Receipt>>();

/**
 * The receipt of a fresh append, proved against the block that recorded it.
 * Concurrent calls (the deposits one block answers, or a batch) share one
 * store read for their proofs (appended-receipts.ts).
 */
export async function receiptForAppended(ledger: Ledger, a: Appended): Promise<Receipt> {
  let receiptFor = coalescers.get(ledger);
  if (!receiptFor) {
    receiptFor = createReceiptCoalescer(ledger);
    coalescers.set(ledger, receiptFor);
  }
  return receiptFor(a);
}

/** The receipt of a stored entry, proved against `checkpoint` (default: the newest). */
export async function receiptForIndex(
  ledger: Ledger,
  index: number,
  checkpoint?: StoredCheckpoint,
): Promise<Receipt> {
  const store = ledger.storage;
  const cp = checkpoint ?? ledger.latest();
  const data = index < cp.size ? await store.getEntry(index) : undefined;
  const recordedIn = data ? await store.checkpointCovering(index) : undefined;
  if (!data || !recordedIn)
    throw new NotFoundError("ENTRY_NOT_FOUND", `no entry ${index} in a tree of size ${cp.size}`);
  const [leafHash, proof] = await Promise.all([
    ledger.leafHash(index),
    ledger.proveInclusion(index, cp.size),
  ]);
  return buildReceipt({
    evidenceId: evidenceIdFromLeafHash(leafHash),
    index,
    leafHash,
    data,
    recordedIn,
    checkpoint: cp,
    proof,
  });
}
