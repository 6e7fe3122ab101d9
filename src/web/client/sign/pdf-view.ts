/**
 * Draws the agreement in the page with PDF.js (a chunk loaded only on the
 * signing page): phones show no PDF inside an <iframe>, and a party must be
 * able to read what it signs wherever it opens the link. The bytes drawn are
 * the bytes the page hashed. Each page's text follows its canvas, hidden from
 * sight but not from screen readers.
 */
import { GlobalWorkerOptions, getDocument } from "pdfjs-dist";
import { el, fill } from "../common/dom.js";

/** Set by scripts/build-web.mjs: where PDF.js's worker, CMaps and standard fonts are served. */
declare const __PDFJS_BASE__: string;

export async function renderPdf(
  bytes: Uint8Array,
  into: HTMLElement,
  pageLabel: (n: number, total: number) => string,
): Promise<void> {
  GlobalWorkerOptions.workerSrc = `${__PDFJS_BASE__}pdf.worker.min.mjs`;
  const doc = await getDocument({
    data: bytes.slice(), // PDF.js takes ownership of (detaches) what it is given
    isEvalSupported: false, // the CSP allows no eval
    cMapUrl: `${__PDFJS_BASE__}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${__PDFJS_BASE__}standard_fonts/`,
  }).promise;
  const pages: HTMLElement[] = [];
  const width = Math.max(280, into.clientWidth || 800);
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: (width / base.width) * ratio });
    const canvas = el("canvas", {
      width: Math.floor(viewport.width),
      height: Math.floor(viewport.height),
      "aria-hidden": "true",
    });
    const context = canvas.getContext("2d");
    if (!context) throw new Error("this browser cannot draw on a canvas");
    await page.render({ canvasContext: context, viewport }).promise;
    const text = await page.getTextContent();
    const words = text.items.map((i) => ("str" in i ? i.str : "")).join(" ");
    pages.push(
      el(
        "figure",
        { class: "pdf-page" },
        canvas,
        el(
          "figcaption",
          {},
          el("span", { class: "hint" }, pageLabel(n, doc.numPages)),
          el("span", { class: "visually-hidden" }, words),
        ),
      ),
    );
    if (n === 1)
      fill(into, ...pages); // show the first page as soon as it is drawn
    else into.appendChild(pages[pages.length - 1] as HTMLElement);
  }
  await doc.destroy();
}
