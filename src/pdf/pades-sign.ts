/**
 * The PDF signature, appended as the last incremental update: an invisible
 * signature field whose /V is a signature dictionary (ISO 32000-1 §12.8.1,
 * ISO 32000-2 §12.8.1) with /Filter /Adobe.PPKLite, /SubFilter
 * /ETSI.CAdES.detached and a /ByteRange over the whole file except the
 * /Contents hex string, which receives a CAdES baseline B-B CMS
 * (ETSI EN 319 142-1 §6.3, RFC 5652). The update is written with
 * placeholders first; the byte range is then patched in place, hashed and
 * signed, so nothing after the signature is left unsigned.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString } from "pdf-lib";
import { AppError } from "../core/errors.js";
import { createSha256 } from "../crypto/sha256.js";
import { buildCmsSignature } from "./cms-signed-data.js";
import type { IncrementalWriter } from "./incremental-writer.js";
import type { LoadedPdf } from "./load-pdf.js";
import type { PageInfo } from "./page-tree.js";
import { pdfDate } from "./pdf-date.js";
import type { PdfSigner } from "./pdf-signer.js";

/** Bytes reserved for the DER CMS (one P-256 certificate needs about 1 KB; room for a chain). */
export const SIGNATURE_RESERVE = 8192;
const BYTE_RANGE_PLACEHOLDER = "0 9999999999 9999999999 9999999999";

export interface PadesOptions {
  signer: PdfSigner;
  /** Signing time for /M (PAdES keeps it out of the CMS signed attributes). */
  time: Date;
  reason?: string;
  location?: string;
  fieldName?: string;
}

const enc = new TextEncoder();

function indexOfAscii(hay: Uint8Array, needle: string, from: number): number {
  const n = enc.encode(needle);
  const first = n[0] as number;
  outer: for (
    let i = hay.indexOf(first, from);
    i >= 0 && i <= hay.length - n.length;
    i = hay.indexOf(first, i + 1)
  ) {
    for (let j = 1; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return i;
  }
  return -1;
}

/** Adds the signature field and writes the signed final update; returns the whole signed file. */
export async function signPdf(
  pdf: LoadedPdf,
  writer: IncrementalWriter,
  o: PadesOptions,
): Promise<Uint8Array> {
  const { context, catalog } = pdf;
  const sigRef = context.register(
    context.obj({
      Type: "Sig",
      Filter: "Adobe.PPKLite",
      SubFilter: "ETSI.CAdES.detached",
      ByteRange: [0, 9999999999, 9999999999, 9999999999],
      Contents: PDFHexString.of("0".repeat(2 * SIGNATURE_RESERVE)),
      M: PDFString.of(pdfDate(o.time)),
      ...(o.reason ? { Reason: PDFHexString.fromText(o.reason) } : {}),
      ...(o.location ? { Location: PDFHexString.fromText(o.location) } : {}),
      Prop_Build: { App: { Name: "Notarium" } },
    }),
  );
  const last = pdf.pages[pdf.pages.length - 1] as PageInfo;
  const form = context.lookupMaybe(catalog.get(PDFName.of("AcroForm")), PDFDict);
  const oldFields = form ? context.lookupMaybe(form.get(PDFName.of("Fields")), PDFArray) : undefined;
  const taken = new Set<string>();
  for (const f of oldFields?.asArray() ?? []) {
    const t = context.lookupMaybe(f, PDFDict)?.get(PDFName.of("T"));
    if (t instanceof PDFString || t instanceof PDFHexString) taken.add(t.decodeText());
  }
  let name = o.fieldName ?? "Notarium seal";
  for (let i = 2; taken.has(name); i++) name = `${o.fieldName ?? "Notarium seal"} ${i}`;
  // A merged field/widget annotation, invisible (zero rectangle, Print|Locked): the
  // visible seal is page content, drawn before and covered by this signature.
  const widget = context.register(
    context.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Sig",
      T: PDFHexString.fromText(name),
      V: sigRef,
      F: 132,
      Rect: [0, 0, 0, 0],
      P: last.ref,
    }),
  );
  const annots = context.lookupMaybe(last.dict.get(PDFName.of("Annots")), PDFArray);
  last.dict.set(PDFName.of("Annots"), context.obj([...(annots?.asArray() ?? []), widget]));
  const fields = context.obj([...(oldFields?.asArray() ?? []), widget]);
  if (form) {
    form.set(PDFName.of("Fields"), fields);
    // SignaturesExist | AppendOnly (ISO 32000-1 §12.7.2, Table 219).
    const flags = form.lookupMaybe(PDFName.of("SigFlags"), PDFNumber)?.asNumber() ?? 0;
    form.set(PDFName.of("SigFlags"), context.obj(flags | 3));
  } else {
    catalog.set(PDFName.of("AcroForm"), context.obj({ Fields: fields, SigFlags: 3 }));
  }

  const { bytes, updateStart } = writer.commit();
  const contentsAt = indexOfAscii(bytes, `<${"0".repeat(2 * SIGNATURE_RESERVE)}>`, updateStart);
  const rangeAt = indexOfAscii(bytes, BYTE_RANGE_PLACEHOLDER, updateStart);
  if (contentsAt < 0 || rangeAt < 0)
    throw new AppError("INTERNAL", "signature placeholders not found in the update");
  const a = contentsAt;
  const b = contentsAt + 2 * SIGNATURE_RESERVE + 2;
  const range = `0 ${a} ${b} ${bytes.length - b}`.padEnd(BYTE_RANGE_PLACEHOLDER.length, " ");
  bytes.set(enc.encode(range), rangeAt);
  const digest = createSha256().update(bytes.subarray(0, a)).update(bytes.subarray(b)).digest();
  const cms = await buildCmsSignature(digest, o.signer);
  if (cms.length > SIGNATURE_RESERVE) {
    throw new AppError(
      "INTERNAL",
      `the CMS signature (${cms.length} bytes) exceeds the ${SIGNATURE_RESERVE} bytes reserved`,
    );
  }
  let hex = "";
  for (const x of cms) hex += x.toString(16).padStart(2, "0");
  bytes.set(enc.encode(hex), a + 1);
  return bytes;
}
