/**
 * `inspectPdf`: what a PDF is, or a specific refusal (EMPTY, NOT_PDF,
 * ENCRYPTED, CORRUPT, PDF_TOO_COMPLEX) within the time budget.
 */

import { hasSignatures, loadPdf } from "./load-pdf.js";
import type { Box } from "./page-tree.js";
import type { PdfLimits } from "./pdf-limits.js";

export interface PdfPageSummary {
  /** 0-based page index. */
  index: number;
  /** Width and height of the crop box in points, before /Rotate. */
  width: number;
  height: number;
  /** Clockwise display rotation: 0, 90, 180 or 270. */
  rotate: number;
  /** [llx, lly, urx, ury], clipped to the media box. */
  cropBox: Box;
  mediaBox: Box;
}

export interface PdfInspection {
  /** "1.3" … "2.0" */
  version: string;
  pages: PdfPageSummary[];
  /** Whether the document already carries a signature dictionary. */
  signed: boolean;
  /** Always false: encrypted files are refused with ENCRYPTED. */
  encrypted: false;
}

export async function inspectPdf(bytes: Uint8Array, limits?: Partial<PdfLimits>): Promise<PdfInspection> {
  const pdf = await loadPdf(bytes, limits);
  return {
    version: pdf.version,
    pages: pdf.pages.map((p) => ({
      index: p.index,
      width: p.cropBox[2] - p.cropBox[0],
      height: p.cropBox[3] - p.cropBox[1],
      rotate: p.rotate,
      cropBox: p.cropBox,
      mediaBox: p.mediaBox,
    })),
    signed: hasSignatures(pdf),
    encrypted: false,
  };
}
