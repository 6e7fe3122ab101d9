/**
 * Loads untrusted PDF bytes into pdf-lib's object model, or refuses them with
 * a specific `ValidationError` code: EMPTY, NOT_PDF, ENCRYPTED, CORRUPT,
 * PDF_TOO_COMPLEX. Checks run cheapest first (header, trailer, xref chain,
 * /Encrypt) so most bad files never reach the full parse, and the full parse
 * runs under an object-count and time budget.
 */
import {
  PDFContext as Ctx,
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFParser,
  type PDFRef,
} from "pdf-lib";
import { AppError, ValidationError } from "../core/errors.js";
import { type PageInfo, walkPageTree } from "./page-tree.js";
import { Budget, type PdfLimits, resolveLimits } from "./pdf-limits.js";
import { readXrefChain, trailerRef, type XrefChain } from "./xref-chain.js";

export interface LoadedPdf {
  bytes: Uint8Array;
  /** Effective version: the header's, raised by the catalog's /Version (ISO 32000-1 §7.7.2). */
  version: string;
  context: PDFContext;
  catalogRef: PDFRef;
  catalog: PDFDict;
  xref: XrefChain;
  pages: PageInfo[];
}

const HEADER = /^%PDF-([12])\.(\d)/;

export function headerVersion(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new ValidationError("EMPTY", "the file is empty (0 bytes)");
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 16));
  const m = HEADER.exec(head);
  if (!m)
    throw new ValidationError("NOT_PDF", "not a PDF: the file does not start with %PDF-1.x or %PDF-2.0");
  return `${m[1]}.${m[2]}`;
}

const versionNumber = (v: string) => Number(v);

async function parseObjects(bytes: Uint8Array, limits: PdfLimits, budget: Budget): Promise<PDFContext> {
  const parser = PDFParser.forBytesWithOptions(bytes, Number.POSITIVE_INFINITY, true, false);
  let count = 0;
  let tooMany = false;
  // pdf-lib calls this once per parsed object: our hook for the time and count budget.
  (parser as unknown as { shouldWaitForTick: () => boolean }).shouldWaitForTick = () => {
    if (++count > limits.maxObjects) {
      tooMany = true;
      throw new Error("object budget exceeded");
    }
    if ((count & 255) === 0) budget.check();
    return false;
  };
  try {
    return await parser.parseDocument();
  } catch (cause) {
    if (budget.exceeded) throw budget.error();
    if (tooMany)
      throw new ValidationError("PDF_TOO_COMPLEX", `the PDF has more than ${limits.maxObjects} objects`);
    const what =
      cause instanceof RangeError
        ? "nesting too deep to parse"
        : ((cause as Error)?.message ?? String(cause));
    throw new ValidationError("CORRUPT", `damaged PDF: cannot parse its objects (${what})`, { cause });
  }
}

export async function loadPdf(bytes: Uint8Array, limitsIn?: Partial<PdfLimits>): Promise<LoadedPdf> {
  if (!(bytes instanceof Uint8Array))
    throw new ValidationError("INVALID_ARGUMENT", "pdf: expected Uint8Array");
  const limits = resolveLimits(limitsIn);
  const header = headerVersion(bytes);
  if (bytes.length > limits.maxBytes) {
    throw new ValidationError("PDF_TOO_COMPLEX", `the PDF is larger than ${limits.maxBytes} bytes`);
  }
  const budget = new Budget(limits.timeBudgetMs);
  try {
    const xref = readXrefChain(bytes, Ctx.create(), budget);
    if (xref.trailer.get(PDFName.of("Encrypt"))) {
      throw new ValidationError(
        "ENCRYPTED",
        "the PDF is encrypted (user or owner password); remove the protection before registering it",
      );
    }
    const context = await parseObjects(bytes, limits, budget);
    const catalogRef = trailerRef(xref.trailer, "Root");
    const catalog = catalogRef && context.lookupMaybe(catalogRef, PDFDict);
    if (!catalogRef || !catalog)
      throw new ValidationError("CORRUPT", "damaged PDF: the trailer's /Root catalog is missing");
    context.trailerInfo = {
      Root: catalogRef,
      Info: xref.trailer.get(PDFName.of("Info")),
      ID: xref.trailer.get(PDFName.of("ID")),
      Encrypt: undefined,
    };
    const pages = walkPageTree(context, catalog.get(PDFName.of("Pages")), limits.maxPages, budget);
    let version = header;
    const cv = catalog.lookupMaybe(PDFName.of("Version"), PDFName)?.decodeText();
    if (cv && /^[12]\.\d$/.test(cv) && versionNumber(cv) > versionNumber(header)) version = cv;
    return { bytes, version, context, catalogRef, catalog, xref, pages };
  } catch (e) {
    if (e instanceof AppError) throw e;
    // RangeError (deep recursion), TypeError and pdf-lib's own errors: never escape raw.
    throw new ValidationError("CORRUPT", `damaged PDF: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

/** Whether any signature dictionary (/ByteRange + /Contents, ISO 32000-1 §12.8.1) is present. */
export function hasSignatures(pdf: LoadedPdf): boolean {
  for (const [, obj] of pdf.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFDict && obj.has(PDFName.of("ByteRange")) && obj.has(PDFName.of("Contents")))
      return true;
  }
  return false;
}

/**
 * The DocMDP permission of a certification signature (ISO 32000-1 §12.8.2.2):
 * 1 = no changes allowed, 2 = form filling and signing, 3 = also annotations.
 */
export function docMdpPermission(pdf: LoadedPdf): number | undefined {
  const { context, catalog } = pdf;
  const perms = catalog.lookupMaybe(PDFName.of("Perms"), PDFDict);
  const sig = perms && context.lookupMaybe(perms.get(PDFName.of("DocMDP")), PDFDict);
  const refs = sig && context.lookupMaybe(sig.get(PDFName.of("Reference")), PDFArray);
  if (!refs) return undefined;
  for (let i = 0; i < refs.size(); i++) {
    const r = context.lookupMaybe(refs.get(i), PDFDict);
    if (r?.get(PDFName.of("TransformMethod")) !== PDFName.of("DocMDP")) continue;
    const params = context.lookupMaybe(r.get(PDFName.of("TransformParams")), PDFDict);
    return params?.lookupMaybe(PDFName.of("P"), PDFNumber)?.asNumber() ?? 2;
  }
  return undefined;
}
