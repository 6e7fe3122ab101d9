import type { Appended, Ledger } from "../ledger/ledger.js";
import { buildReceipt, type Receipt } from "../ledger/receipt.js";
import type { NodeId } from "../merkle/node-id.js";
import { inclusionPlan } from "../merkle/proof-plan.js";
import { foldProof } from "../merkle/prove.js";

/** One number per node: levels stay below 64, and index * 64 stays exact below 2^47 leaves. */
const keyOf = (id: NodeId) => id.index * 64 + id.level;

/**
 * Receipts for freshly appended entries with one store read for all their
 * inclusion proofs. Entries of one block share most proof nodes (a block of
 * 1,000 needs about 2,000 distinct nodes, not 1,000 reads of about 10 each).
 */
export async function receiptsForAppended(ledger: Ledger, list: readonly Appended[]): Promise<Receipt[]> {
  const plans = list.map((a) => inclusionPlan(a.index, a.block.size));
  const unique = new Map<number, NodeId>();
  for (const p of plans) for (const id of p.ids) unique.set(keyOf(id), id);
  const ids = [...unique.values()];
  const hashes = ids.length > 0 ? await ledger.readNodes(ids) : [];
  const byKey = new Map<number, Uint8Array>();
  for (const [i, id] of ids.entries()) byKey.set(keyOf(id), hashes[i] as Uint8Array);
  return list.map((a, i) => {
    const plan = plans[i] as ReturnType<typeof inclusionPlan>;
    const proof =
      plan.ids.length === 0
        ? []
        : foldProof(
            plan,
            plan.ids.map((id) => byKey.get(keyOf(id)) as Uint8Array),
          );
    return buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof });
  });
}

/**
 * Coalesces receipt requests made in the same turn of the event loop (the
 * concurrent deposits a block just answered) into one receiptsForAppended
 * call, so each block costs one proof read however many callers it serves.
 */
export function createReceiptCoalescer(ledger: Ledger): (a: Appended) => Promise<Receipt> {
  let waiting: { a: Appended; resolve(r: Receipt): void; reject(e: unknown): void }[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    receiptsForAppended(
      ledger,
      batch.map((w) => w.a),
    ).then(
      (receipts) => {
        for (const [i, w] of batch.entries()) w.resolve(receipts[i] as Receipt);
      },
      (e) => {
        for (const w of batch) w.reject(e);
      },
    );
  };
  return (a) =>
    new Promise<Receipt>((resolve, reject) => {
      if (waiting.push({ a, resolve, reject }) === 1) setImmediate(flush);
    });
}
