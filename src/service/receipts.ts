import { NotFoundError } from "../core/errors.js";
import { readEntryTail } from "../ledger/entry-tail.js";
import { evidenceIdFromLeafHash } from "../ledger/evidence-id.js";
import type { Appended, Ledger } from "../ledger/ledger.js";
import type { StoredCheckpoint } from "../ledger/ledger-store.js";
import { buildReceipt, type Receipt } from "../ledger/receipt.js";

/**
 * The receipt of a fresh append, proved against the block that recorded it
 * with the proofs that block made in memory (no storage read).
 */
export function receiptForAppended(a: Appended): Receipt {
  return buildReceipt({
    evidenceId: a.evidenceId,
    index: a.index,
    leafHash: a.leafHash,
    data: a.data,
    recordedIn: a.block,
    checkpoint: a.block,
    proof: a.proofs.proof(a.index),
    proofText: a.proofs.text(a.index),
  });
}

/** The receipt of a stored entry, proved against `checkpoint` (default: the newest): one point read and one batched node read. */
export async function receiptForIndex(
  ledger: Ledger,
  index: number,
  checkpoint?: StoredCheckpoint,
): Promise<Receipt> {
  return (await provedEntry(ledger, index, checkpoint ?? ledger.latest())).receipt();
}

/**
 * A stored entry with its inclusion proof against `cp`, whose receipt is made
 * only when asked: a caller can check the proof on the bytes themselves first.
 */
export async function provedEntry(
  ledger: Ledger,
  index: number,
  cp: StoredCheckpoint,
): Promise<{ data: Uint8Array; proof: Uint8Array[]; receipt(): Receipt }> {
  const stored = index < cp.size ? await ledger.entryWithLeaf(index) : undefined;
  const time = stored ? entryTime(stored.data) : undefined;
  if (!stored || !time)
    throw new NotFoundError("ENTRY_NOT_FOUND", `no entry ${index} in a tree of size ${cp.size}`);
  const proof = await ledger.proveInclusion(index, cp.size);
  // An entry's time is its block's time, so the block record itself need not be read.
  const recordedIn = { blockHeight: await ledger.blockOf(index), time };
  const receipt = () =>
    buildReceipt({
      evidenceId: evidenceIdFromLeafHash(stored.leafHash),
      index,
      leafHash: stored.leafHash,
      data: stored.data,
      recordedIn,
      checkpoint: cp,
      proof,
    });
  return { data: stored.data, proof, receipt };
}

const latin1 = new TextDecoder("latin1");

function entryTime(data: Uint8Array): string | undefined {
  const t = readEntryTail(data);
  return t && latin1.decode(data.subarray(t.timeAt, t.timeAt + 24));
}
