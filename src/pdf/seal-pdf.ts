/**
 * `sealPdf`: the registered agreement in, the sealed agreement out, as two
 * incremental updates after the untouched original bytes (DESIGN §7):
 *   1. the visible seal, notarium-proof.json and the seal record;
 *   2. the PAdES signature over the whole file, last.
 * Deterministic: no wall-clock reads (the injected clock gives every date),
 * content-derived IDs and subset tags, and RFC 6979 ECDSA in the bundled
 * signers, so the same input, options and clock give the same bytes.
 */

import { PDFDict, PDFName } from "pdf-lib";
import type { Clock } from "../core/clock.js";
import { AppError, ValidationError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";
import { embedProof } from "./embed-proof.js";
import { loadSealFont } from "./font-file.js";
import { IncrementalWriter } from "./incremental-writer.js";
import { docMdpPermission, type LoadedPdf, loadPdf } from "./load-pdf.js";
import { signPdf } from "./pades-sign.js";
import type { PdfLimits } from "./pdf-limits.js";
import type { PdfSigner } from "./pdf-signer.js";
import { writeSealRecord } from "./seal-record.js";
import { resolveSealSpec, type SealSpec } from "./seal-spec.js";
import { stampSeal } from "./stamp-seal.js";

export interface SealPdfOptions {
  seal: SealSpec;
  /** The bytes of notarium-proof.json (the caller builds the JSON). */
  proofJson: Uint8Array;
  signer: PdfSigner;
  clock: Clock;
  /** An OpenType CJK face; default the bundled Noto Sans CJK SC Bold. */
  font?: Uint8Array;
  limits?: Partial<PdfLimits>;
  /** /Reason of the signature dictionary. */
  reason?: string;
  location?: string;
}

/**
 * PDF 1.7 for transparency and CAdES signatures, declared through the
 * catalog (ISO 32000-1 §7.7.2); PAdES in a 1.7 file announces itself with
 * the ESIC developer extension (ETSI EN 319 142-1 §5.3, ISO 32000-1 §7.12).
 */
function declareVersion(pdf: LoadedPdf): void {
  const { context, catalog } = pdf;
  const v = Number(pdf.version);
  if (v < 1.7) catalog.set(PDFName.of("Version"), PDFName.of("1.7"));
  if (v < 2) {
    const old = context.lookupMaybe(catalog.get(PDFName.of("Extensions")), PDFDict);
    const ext = context.obj({});
    if (old) for (const [k, val] of old.entries()) ext.set(k, val);
    ext.set(PDFName.of("ESIC"), context.obj({ BaseVersion: PDFName.of("1.7"), ExtensionLevel: 2 }));
    catalog.set(PDFName.of("Extensions"), ext);
  }
}

export async function sealPdf(input: Uint8Array, o: SealPdfOptions): Promise<Uint8Array> {
  if (!(o?.proofJson instanceof Uint8Array))
    throw new ValidationError("INVALID_ARGUMENT", "proofJson: expected Uint8Array");
  const now = o.clock.now();
  const spec = resolveSealSpec(o.seal, now);
  const pdf = await loadPdf(input, o.limits);
  try {
    if (docMdpPermission(pdf) === 1) {
      throw new ValidationError(
        "PDF_LOCKED",
        "the PDF is certified with “no changes allowed” (DocMDP P=1); it cannot be sealed",
      );
    }
    const writer = new IncrementalWriter(pdf);
    await stampSeal(pdf, spec, o.font ?? loadSealFont());
    const proof = embedProof(pdf, o.proofJson, now);
    writeSealRecord(pdf.context, pdf.catalog, {
      originalLength: input.length,
      originalSha256: sha256(input),
      proof,
    });
    declareVersion(pdf);
    writer.commit();
    return await signPdf(pdf, writer, {
      signer: o.signer,
      time: now,
      reason: o.reason ?? `调解协议电子签章 ${spec.evidenceId}`,
      ...(o.location ? { location: o.location } : {}),
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    // pdf-lib throws its own errors when a dictionary holds the wrong type (e.g. /Names is a number).
    throw new ValidationError("CORRUPT", `damaged PDF: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}
