import { type Receipt, tlogProofHead } from "../ledger/receipt.js";
import { AsciiChunks, type AsciiSink, AsciiText } from "./ascii-chunks.js";
import { asciiJson } from "./ascii-json.js";

// The receipts of one block embed the same checkpoint twice each (as the
// checkpoint and at the end of the tlog-proof): escape it once per block.
let lastNote = "";
let lastNoteJson = '""';

function noteJson(note: string): string {
  if (note !== lastNote) {
    lastNote = note;
    lastNoteJson = asciiJson(note);
  }
  return lastNoteJson;
}

/**
 * Writes a receipt as pure ASCII JSON (see asciiOnly), fields in the order
 * buildReceipt gives them; it parses back to the same receipt. For a receipt
 * made by buildReceipt (frozen, so it still holds what it was built from) the
 * pieces go straight to the buffers and the checkpoint is escaped once per
 * block: several times cheaper than JSON.stringify for the many receipts of a
 * block or a batch. Any other receipt-shaped object gets the plain encoding.
 */
function writeReceiptJson(out: AsciiSink, r: Receipt): void {
  const head = tlogProofHead(r);
  if (head === undefined) {
    out.write(asciiJson(r));
    return;
  }
  const note = noteJson(r.checkpoint);
  // The ID, hashes (the proof's too: buildReceipt made them hex), numbers and the
  // tlog-proof's head are ASCII by construction (the head's only character to escape is
  // its newlines); the time and the entry come from stored bytes, so they are escaped.
  // One string, one write: each write into a buffer is a call into C++, which costs more
  // than joining the pieces first.
  out.write(
    `{"evidenceId":"${r.evidenceId}","index":${r.index},"txHash":"${r.txHash}",` +
      `"blockHeight":${r.blockHeight},"recordedAt":${asciiJson(r.recordedAt)},"entry":${asciiJson(r.entry)}` +
      `,"checkpoint":${note},"inclusionProof":["${r.inclusionProof.join('","')}"]` +
      `,"tlogProof":"${head.replaceAll("\n", "\\n")}${note.slice(1, -1)}","certificateUrl":"${r.certificateUrl}"}`,
  );
}

/** A receipt's JSON text (see writeReceiptJson), for a single answer. */
export function receiptJson(r: Receipt): string {
  const out = new AsciiText();
  writeReceiptJson(out, r);
  return out.text;
}

/** `[receipt,…]`, written into `out`. */
export function writeReceiptsJson<S extends AsciiSink>(out: S, receipts: Iterable<Receipt>): S {
  out.write("[");
  let first = true;
  for (const r of receipts) {
    if (!first) out.write(",");
    first = false;
    writeReceiptJson(out, r);
  }
  return out.write("]");
}

/** `{"receipts":[…]}`, the batch deposit's answer; a lazy iterable is written as it is made. */
export function receiptsJson(receipts: Iterable<Receipt>): Buffer[] {
  return writeReceiptsJson(new AsciiChunks().write('{"receipts":'), receipts).write("}").finish();
}
