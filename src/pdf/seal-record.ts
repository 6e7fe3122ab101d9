/**
 * Where a sealed file says which bytes were the registered original: a
 * private catalog entry /NTRM_Seal (second-class name with a developer
 * prefix, ISO 32000-1 Annex E; readers ignore keys they do not know):
 *
 *   /NTRM_Seal << /Type /NTRM_Seal /V 1 /OriginalLength 48213
 *                 /OriginalSHA256 <…32 bytes…> /Proof 12 0 R >>
 *
 * It is written in the first Notarium update, so OriginalLength is exactly
 * where that update begins, and the PDF signature that follows covers it.
 */
import { type PDFContext, PDFDict, PDFHexString, PDFName, PDFNumber, type PDFRef } from "pdf-lib";
import { toHex } from "../core/bytes.js";

export const SEAL_RECORD_KEY = "NTRM_Seal";

export interface SealRecord {
  originalLength: number;
  originalSha256: Uint8Array;
  proof?: PDFRef;
}

export function writeSealRecord(
  context: PDFContext,
  catalog: PDFDict,
  r: SealRecord & { proof: PDFRef },
): void {
  catalog.set(
    PDFName.of(SEAL_RECORD_KEY),
    context.obj({
      Type: SEAL_RECORD_KEY,
      V: 1,
      OriginalLength: r.originalLength,
      OriginalSHA256: PDFHexString.of(toHex(r.originalSha256)),
      Proof: r.proof,
    }),
  );
}

export function readSealRecord(context: PDFContext, catalog: PDFDict): SealRecord | undefined {
  const d = context.lookupMaybe(catalog.get(PDFName.of(SEAL_RECORD_KEY)), PDFDict);
  if (!d) return undefined;
  const len = d.lookupMaybe(PDFName.of("OriginalLength"), PDFNumber)?.asNumber();
  const h = d.lookupMaybe(PDFName.of("OriginalSHA256"), PDFHexString)?.asBytes();
  if (len === undefined || !Number.isSafeInteger(len) || len <= 0 || !h || h.length !== 32) return undefined;
  const proof = d.get(PDFName.of("Proof"));
  return {
    originalLength: len,
    originalSha256: h,
    ...(proof && "objectNumber" in proof ? { proof: proof as PDFRef } : {}),
  };
}
