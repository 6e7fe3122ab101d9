/**
 * The proof travels inside the sealed PDF as an embedded file
 * (ISO 32000-1 §7.11.4): an EmbeddedFile stream (MIME application/json),
 * its file specification in the catalog's /EmbeddedFiles name tree (§7.9.6,
 * §7.7.4) and, as PDF 2.0 associated files prescribe (ISO 32000-2 §14.13),
 * in the catalog's /AF array with /AFRelationship /Supplement.
 */
import {
  decodePDFRawStream,
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  type PDFRef,
  PDFString,
} from "pdf-lib";
import { ValidationError } from "../core/errors.js";
import { type LoadedPdf, loadPdf } from "./load-pdf.js";
import { pdfDate } from "./pdf-date.js";
import type { PdfLimits } from "./pdf-limits.js";
import { readSealRecord } from "./seal-record.js";

export const PROOF_FILE_NAME = "notarium-proof.json";
const MAX_NAME_TREE_ENTRIES = 10_000;

type Entry = [PDFString | PDFHexString, PDFObject];

function keyBytes(k: PDFString | PDFHexString): Uint8Array {
  return k.asBytes();
}

function compareKeys(a: Entry, b: Entry): number {
  const x = keyBytes(a[0]);
  const y = keyBytes(b[0]);
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/** All (key, value) pairs of a name tree (§7.9.6), walked with a visited set and a size bound. */
export function nameTreeEntries(context: PDFContext, root: PDFObject | undefined): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<PDFDict>();
  const stack: (PDFObject | undefined)[] = [root];
  while (stack.length > 0) {
    const node = context.lookupMaybe(stack.pop() as PDFRef, PDFDict);
    if (!node || seen.has(node)) continue;
    seen.add(node);
    const names = context.lookupMaybe(node.get(PDFName.of("Names")), PDFArray);
    if (names) {
      for (let i = 0; i + 1 < names.size(); i += 2) {
        const k = context.lookup(names.get(i));
        if (k instanceof PDFString || k instanceof PDFHexString) out.push([k, names.get(i + 1)]);
      }
    }
    const kids = context.lookupMaybe(node.get(PDFName.of("Kids")), PDFArray);
    if (kids) for (let i = kids.size() - 1; i >= 0; i--) stack.push(kids.get(i));
    if (out.length > MAX_NAME_TREE_ENTRIES)
      throw new ValidationError("PDF_TOO_COMPLEX", "the embedded-files tree is too large");
  }
  return out;
}

/** Adds `proofJson` as notarium-proof.json; returns the file specification's reference. */
export function embedProof(pdf: LoadedPdf, proofJson: Uint8Array, time: Date): PDFRef {
  const { context, catalog } = pdf;
  const file = context.register(
    context.flateStream(proofJson, {
      Type: "EmbeddedFile",
      Subtype: "application/json",
      Params: { Size: proofJson.length, ModDate: PDFString.of(pdfDate(time)) },
    }),
  );
  const spec = context.register(
    context.obj({
      Type: "Filespec",
      F: PDFString.of(PROOF_FILE_NAME),
      UF: PDFHexString.fromText(PROOF_FILE_NAME),
      EF: { F: file, UF: file },
      Desc: PDFHexString.fromText("Notarium proof: ledger entries, party signatures, tlog proofs, policy"),
      AFRelationship: "Supplement",
    }),
  );
  // Names dictionary: edit it where it lives (direct in the catalog or indirect).
  let names = context.lookupMaybe(catalog.get(PDFName.of("Names")), PDFDict);
  if (!names) {
    names = context.obj({});
    catalog.set(PDFName.of("Names"), names);
  }
  const entries = nameTreeEntries(context, names.get(PDFName.of("EmbeddedFiles")));
  const taken = new Set(entries.map(([k]) => k.decodeText()));
  let key = PROOF_FILE_NAME;
  for (let i = 2; taken.has(key); i++) key = `${PROOF_FILE_NAME} (${i})`;
  entries.push([PDFString.of(key), spec]);
  entries.sort(compareKeys);
  const flat: PDFObject[] = entries.flat();
  names.set(PDFName.of("EmbeddedFiles"), context.register(context.obj({ Names: flat })));
  const af = context.lookupMaybe(catalog.get(PDFName.of("AF")), PDFArray);
  catalog.set(PDFName.of("AF"), context.obj([...(af ? af.asArray() : []), spec]));
  return spec;
}

/** The bytes of an embedded file specification's stream, or undefined. */
export function fileSpecBytes(context: PDFContext, specRef: PDFObject | undefined): Uint8Array | undefined {
  const spec = context.lookupMaybe(specRef as PDFRef, PDFDict);
  const ef = spec && context.lookupMaybe(spec.get(PDFName.of("EF")), PDFDict);
  const target = ef && (ef.get(PDFName.of("UF")) ?? ef.get(PDFName.of("F")));
  const stream = target && context.lookup(target);
  if (!(stream instanceof PDFRawStream)) return undefined;
  try {
    return decodePDFRawStream(stream).decode();
  } catch (cause) {
    throw new ValidationError("CORRUPT", "the embedded proof cannot be decompressed", { cause });
  }
}

/** The proof of a loaded sealed PDF: the one the seal record names, else the newest notarium-proof.json. */
export function findProof(pdf: LoadedPdf): Uint8Array | undefined {
  const { context, catalog } = pdf;
  const record = readSealRecord(context, catalog);
  if (record?.proof) return fileSpecBytes(context, record.proof);
  const names = context.lookupMaybe(catalog.get(PDFName.of("Names")), PDFDict);
  const hits = nameTreeEntries(context, names?.get(PDFName.of("EmbeddedFiles"))).filter(([k]) =>
    k.decodeText().startsWith(PROOF_FILE_NAME),
  );
  const last = hits[hits.length - 1];
  return last ? fileSpecBytes(context, last[1]) : undefined;
}

/** Reads notarium-proof.json back out of a sealed PDF; undefined when there is none. */
export async function extractEmbeddedProof(
  bytes: Uint8Array,
  limits?: Partial<PdfLimits>,
): Promise<Uint8Array | undefined> {
  return findProof(await loadPdf(bytes, limits));
}
