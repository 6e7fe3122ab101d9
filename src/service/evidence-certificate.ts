import { isHexDigest, toHex, utf8 } from "../core/bytes.js";
import { openCheckpoint } from "../crypto/checkpoint.js";
import { createVerifier } from "../crypto/note-keys.js";
import type { EvidenceCertificateFacts } from "../ledger/certificate-facts.js";
import { parseEntry } from "../ledger/entry.js";
import type { Ledger } from "../ledger/ledger.js";
import type { StoredCheckpoint } from "../ledger/ledger-store.js";
import type { Receipt } from "../ledger/receipt.js";
import type { PdfTools } from "./cases/pdf-tools.js";
import { findEvidence } from "./find-evidence.js";

export type { EvidenceCertificateFacts };

export interface CertificateSettings {
  pdf: PdfTools;
  centreName: string;
  publicUrl: string;
  /** With court witnesses: the checkpoint to prove an entry against (the newest the quorum cosigned). */
  checkpointFor?: (index: number) => StoredCheckpoint;
  /** Court cosignatures on the checkpoint the receipt is against (from the witness policy), if any. */
  cosignatures?: (checkpointNote: string) => { witness: string; time: string }[];
}

/**
 * The verification certificate (存证证书) of one piece of evidence: a page
 * stating the evidence ID, tx hash, block height, time, digest, checkpoint
 * and court cosignatures, and how to check it independently; sealed like an
 * agreement (visible seal with a QR code to the verify page, the receipt and
 * .tlog-proof embedded, PAdES-signed).
 */
export async function evidenceCertificate(
  ledger: Ledger,
  id: string,
  s: CertificateSettings,
): Promise<{ pdf: Uint8Array; receipt: Receipt }> {
  const receipt = await findEvidence(ledger, id, s.checkpointFor);
  const entry = parseEntry(utf8(receipt.entry));
  const cp = openCheckpoint(receipt.checkpoint, createVerifier(ledger.key.verifierKey)).checkpoint;
  const base = s.publicUrl.replace(/\/$/, "");
  const sha256 =
    typeof entry.body.sha256 === "string" && isHexDigest(entry.body.sha256) ? entry.body.sha256 : undefined;
  const facts: EvidenceCertificateFacts = {
    evidenceId: receipt.evidenceId,
    txHash: receipt.txHash,
    blockHeight: receipt.blockHeight,
    index: receipt.index,
    recordedAt: receipt.recordedAt,
    ...(sha256 ? { sha256 } : {}),
    ...(typeof entry.body.size === "number" ? { size: entry.body.size } : {}),
    ...(typeof entry.body.title === "string" ? { title: entry.body.title } : {}),
    entryType: entry.type,
    origin: cp.origin,
    treeSize: cp.size,
    root: toHex(cp.root),
    cosignatures: s.cosignatures?.(receipt.checkpoint) ?? [],
    witnessesConfigured: s.cosignatures !== undefined,
    verifyUrl: `${base}/?evidence=${receipt.evidenceId}`,
    proofUrl: `${base}/api/v1/evidence/${receipt.evidenceId}/proof`,
    verifierKey: ledger.key.verifierKey,
  };
  const page = await s.pdf.drawCertificate(facts);
  const pdf = await s.pdf.seal(page, {
    centreName: s.centreName,
    label: "存证证书 电子签章",
    evidenceId: receipt.evidenceId,
    digest: sha256 ?? receipt.txHash,
    signers: [],
    verifyUrl: facts.verifyUrl,
    proofJson: utf8(JSON.stringify({ format: "notarium/evidence-certificate/v1", receipt })),
  });
  return { pdf, receipt };
}
