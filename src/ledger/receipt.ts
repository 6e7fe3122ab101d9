import { fromUtf8, toHex } from "../core/bytes.js";
import { formatTlogProofHead } from "../crypto/tlog-proof.js";
import type { StoredCheckpoint } from "./ledger-store.js";

/** What every deposit answers (DESIGN §4): court-style fields plus the proof. */
export interface Receipt {
  evidenceId: string;
  index: number;
  /** Hex RFC 6962 leaf hash of the entry. */
  txHash: string;
  /** The block (checkpoint sequence number) that recorded the entry. */
  blockHeight: number;
  recordedAt: string;
  /** The canonical entry JSON, byte for byte the leaf data. */
  entry: string;
  /** Signed note of the checkpoint the proof is against. */
  checkpoint: string;
  /** Hex inclusion proof against `checkpoint`. */
  inclusionProof: string[];
  /** c2sp.org/tlog-proof@v1 text; its `extra` line carries the entry, so it verifies on its own. */
  tlogProof: string;
  certificateUrl: string;
}

export interface ReceiptParts {
  evidenceId: string;
  index: number;
  leafHash: Uint8Array;
  data: Uint8Array;
  /** The block that recorded the entry. */
  recordedIn: Pick<StoredCheckpoint, "blockHeight" | "time">;
  /** The checkpoint the proof is against (the recording block or a newer one). */
  checkpoint: StoredCheckpoint;
  proof: readonly Uint8Array[];
  /** The proof's hex and base64, when the caller has them already (BlockProofs.text). */
  proofText?: { hex: readonly string[]; base64: readonly string[] };
}

/** What each built receipt's tlog-proof holds before its checkpoint (receipt-json.ts uses it). */
const tlogHeads = new WeakMap<Receipt, string>();

/** A receipt, frozen: its JSON text may be made from the parts it was built from. */
export function buildReceipt(p: ReceiptParts): Receipt {
  const head = formatTlogProofHead(
    { extra: p.data, index: p.index, proof: p.proof as Uint8Array[], checkpoint: p.checkpoint.note },
    p.proofText?.base64,
  );
  const receipt: Receipt = Object.freeze({
    evidenceId: p.evidenceId,
    index: p.index,
    txHash: toHex(p.leafHash),
    blockHeight: p.recordedIn.blockHeight,
    recordedAt: p.recordedIn.time,
    entry: fromUtf8(p.data, "entry"),
    checkpoint: p.checkpoint.note,
    inclusionProof: Object.freeze(p.proofText ? [...p.proofText.hex] : p.proof.map(toHex)) as string[],
    tlogProof: `${head}${p.checkpoint.note}`,
    certificateUrl: certificateUrlOf(p.evidenceId),
  });
  tlogHeads.set(receipt, head);
  return receipt;
}

/** Where a receipt's evidence certificate is served (DESIGN §5). */
export function certificateUrlOf(evidenceId: string): string {
  return `/api/v1/evidence/${evidenceId}/certificate.pdf`;
}

/** For a receipt made by buildReceipt: its tlogProof without the trailing checkpoint. */
export function tlogProofHead(r: Receipt): string | undefined {
  return tlogHeads.get(r);
}
