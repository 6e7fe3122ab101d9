import { toBase64 } from "../core/bytes.js";
import { tlogProofHeadJsonText } from "../crypto/tlog-proof.js";
import type { Appended } from "../ledger/ledger.js";
import { certificateUrlOf, type Receipt, tlogProofHead } from "../ledger/receipt.js";
import type { DigestVerification } from "../service/verify-evidence.js";
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
      `,"checkpoint":${note},"inclusionProof":[${r.inclusionProof.length === 0 ? "" : `"${r.inclusionProof.join('","')}"`}]` +
      `,"tlogProof":"${head.replaceAll("\n", "\\n")}${note.slice(1, -1)}","certificateUrl":"${r.certificateUrl}"}`,
  );
}

/**
 * A fresh append's receipt, the same text writeReceiptJson gives for
 * receiptForAppended(a), written without making the receipt: its proof comes
 * as two texts the block made for all its entries at once (BlockProofs.jsonText),
 * where a receipt would copy arrays of hashes only to join them here again.
 */
function writeAppendedReceiptJson(out: AsciiSink, a: Appended): void {
  const note = noteJson(a.block.note);
  const proof = a.proofs.jsonText(a.index);
  const head = tlogProofHeadJsonText(toBase64(a.data), a.index, proof.lines);
  out.write(
    `{"evidenceId":"${a.evidenceId}","index":${a.index},"txHash":"${a.leafHex}",` +
      `"blockHeight":${a.block.blockHeight},"recordedAt":${asciiJson(a.block.time)},"entry":${asciiJson(a.text)}` +
      `,"checkpoint":${note},"inclusionProof":[${proof.hex === "" ? "" : `"${proof.hex}"`}]` +
      `,"tlogProof":"${head}${note.slice(1, -1)}","certificateUrl":"${certificateUrlOf(a.evidenceId)}"}`,
  );
}

/** A receipt's JSON text (see writeReceiptJson), for a single answer. */
export function receiptJson(r: Receipt): string {
  const out = new AsciiText();
  writeReceiptJson(out, r);
  return out.text;
}

/** A fresh append's receipt as JSON text (see writeAppendedReceiptJson), for a single answer. */
export function appendedReceiptJson(a: Appended): string {
  const out = new AsciiText();
  writeAppendedReceiptJson(out, a);
  return out.text;
}

function writeList<S extends AsciiSink, T>(out: S, items: Iterable<T>, write: (out: S, item: T) => void): S {
  out.write("[");
  let first = true;
  for (const item of items) {
    if (!first) out.write(",");
    first = false;
    write(out, item);
  }
  return out.write("]");
}

/** `[receipt,…]`, written into `out`. */
export function writeReceiptsJson<S extends AsciiSink>(out: S, receipts: Iterable<Receipt>): S {
  return writeList(out, receipts, writeReceiptJson);
}

/** `{"receipts":[…]}`, the batch deposit's answer, for fresh appends in their order (see writeAppendedReceiptJson). */
export function appendedReceiptsJson(appended: Iterable<Appended>): Buffer[] {
  return writeList(new AsciiChunks().write('{"receipts":'), appended, writeAppendedReceiptJson)
    .write("}")
    .finish();
}

/**
 * The answer to a verify by digest. Every piece is ASCII in a one-byte string
 * (V8 keeps a string built from a two-byte one two-byte, and then transcodes
 * it on every write), so the verdict, which may be cached and sent many times,
 * goes to the socket as is.
 */
export function verdictJson(v: DigestVerification): string {
  const out = new AsciiText().write(`{"valid":${v.valid},"sha256":${asciiJson(v.sha256)},"matches":`);
  return writeReceiptsJson(out, v.matches).write(`,"checks":${asciiJson(v.checks)}}`).text;
}
