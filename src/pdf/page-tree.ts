/**
 * Walks the page tree (ISO 32000-1 §7.7.3) iteratively with a visited set,
 * so a cyclic /Kids, an absurd /Count or a deep tree becomes a clean
 * `CORRUPT`/`PDF_TOO_COMPLEX` instead of a stack overflow. Resolves the
 * inheritable attributes (§7.7.3.4, Table 30): MediaBox, CropBox, Rotate.
 */
import { PDFArray, type PDFContext, PDFDict, PDFName, PDFNumber, PDFRef } from "pdf-lib";
import { ValidationError } from "../core/errors.js";
import type { Budget } from "./pdf-limits.js";

export type Box = [number, number, number, number];

export interface PageInfo {
  index: number;
  ref: PDFRef;
  dict: PDFDict;
  mediaBox: Box;
  /** The crop box clipped to the media box (§14.11.2), normalised (llx < urx, lly < ury). */
  cropBox: Box;
  /** 0, 90, 180 or 270: the clockwise display rotation. */
  rotate: number;
}

const corrupt = (msg: string) => new ValidationError("CORRUPT", `damaged PDF: ${msg}`);

function readBox(context: PDFContext, v: unknown): Box | undefined {
  const arr = context.lookupMaybe(v as PDFRef, PDFArray);
  if (arr?.size() !== 4) return undefined;
  const n: number[] = [];
  for (let i = 0; i < 4; i++) {
    const x = context.lookupMaybe(arr.get(i), PDFNumber);
    if (!x || !Number.isFinite(x.asNumber())) return undefined;
    n.push(x.asNumber());
  }
  const [a, b, c, d] = n as Box;
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

interface Inherited {
  mediaBox?: Box;
  cropBox?: Box;
  rotate?: number;
}

export function walkPageTree(
  context: PDFContext,
  pagesRef: unknown,
  maxPages: number,
  budget: Budget,
): PageInfo[] {
  if (!(pagesRef instanceof PDFRef)) throw corrupt("the catalog's /Pages is not an indirect reference");
  const root = context.lookupMaybe(pagesRef, PDFDict);
  if (!root) throw corrupt("the page tree root is missing");
  const declared = root.lookupMaybe(PDFName.of("Count"), PDFNumber)?.asNumber();
  if (declared === undefined || !Number.isInteger(declared) || declared < 0)
    throw corrupt("the page tree has no valid /Count");
  const pages: PageInfo[] = [];
  const visited = new Set<PDFRef>();
  // Explicit stack of [node ref, inherited attrs, depth]; kids pushed in reverse keep document order.
  const stack: [PDFRef, Inherited, number][] = [[pagesRef, {}, 0]];
  while (stack.length > 0) {
    const [ref, inherited, depth] = stack.pop() as [PDFRef, Inherited, number];
    if (visited.has(ref))
      throw corrupt("the page tree has a cycle (a node is its own ancestor or appears twice)");
    visited.add(ref);
    if (depth > 64) throw corrupt("the page tree is more than 64 levels deep");
    if ((visited.size & 255) === 0) budget.check();
    const node = context.lookupMaybe(ref, PDFDict);
    if (!node) throw corrupt(`page tree node ${ref} is missing`);
    const here: Inherited = { ...inherited };
    const mb = node.get(PDFName.of("MediaBox"));
    if (mb) here.mediaBox = readBox(context, mb) ?? inherited.mediaBox;
    const cb = node.get(PDFName.of("CropBox"));
    if (cb) here.cropBox = readBox(context, cb) ?? inherited.cropBox;
    const rot = context.lookupMaybe(node.get(PDFName.of("Rotate")), PDFNumber);
    if (rot) here.rotate = rot.asNumber();
    const type = node.get(PDFName.of("Type"));
    if (type === PDFName.of("Pages")) {
      const kids = context.lookupMaybe(node.get(PDFName.of("Kids")), PDFArray);
      if (!kids) throw corrupt(`page tree node ${ref} has no /Kids`);
      for (let i = kids.size() - 1; i >= 0; i--) {
        const kid = kids.get(i);
        if (!(kid instanceof PDFRef)) throw corrupt("a /Kids entry is not an indirect reference");
        stack.push([kid, here, depth + 1]);
      }
    } else if (type === PDFName.of("Page")) {
      if (pages.length >= maxPages) {
        throw new ValidationError("PDF_TOO_COMPLEX", `the document has more than ${maxPages} pages`);
      }
      if (!here.mediaBox) throw corrupt(`page ${pages.length + 1} has no valid /MediaBox`);
      const [mx0, my0, mx1, my1] = here.mediaBox;
      if (mx1 - mx0 < 1 || my1 - my0 < 1 || mx1 - mx0 > 200_000 || my1 - my0 > 200_000) {
        throw corrupt(`page ${pages.length + 1} has an unusable /MediaBox`);
      }
      let crop: Box = here.mediaBox;
      if (here.cropBox) {
        const c: Box = [
          Math.max(mx0, here.cropBox[0]),
          Math.max(my0, here.cropBox[1]),
          Math.min(mx1, here.cropBox[2]),
          Math.min(my1, here.cropBox[3]),
        ];
        if (c[2] - c[0] >= 1 && c[3] - c[1] >= 1) crop = c;
      }
      const r = Math.round((here.rotate ?? 0) / 90) * 90;
      pages.push({
        index: pages.length,
        ref,
        dict: node,
        mediaBox: here.mediaBox,
        cropBox: crop,
        rotate: ((r % 360) + 360) % 360,
      });
    } else {
      throw corrupt(`page tree node ${ref} is neither /Pages nor /Page`);
    }
  }
  if (pages.length === 0) throw corrupt("the document has no pages");
  if (pages.length !== declared)
    throw corrupt(`the page tree declares /Count ${declared} but holds ${pages.length} pages`);
  return pages;
}
