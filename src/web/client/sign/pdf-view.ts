/**
 * Draws the agreement in the page with PDF.js (a chunk loaded only on the
 * signing page): phones show no PDF inside an <iframe>, and a party must be
 * able to read what it signs wherever it opens the link. The bytes drawn are
 * the bytes the page hashed. Each page's text follows its canvas, hidden from
 * sight but not from screen readers.
 *
 * Only the pages near the screen are drawn, and a page scrolled far away gives
 * its pixels back: drawn whole, a 300-page agreement took some 720 MB of canvas
 * on a phone-sized screen, more than a phone's tab may have.
 */
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type RenderTask } from "pdfjs-dist";
import { el, fill } from "../common/dom.js";

/** Set by scripts/build-web.mjs: where PDF.js's worker, CMaps and standard fonts are served. */
declare const __PDFJS_BASE__: string;

/** How far beyond the screen pages are drawn ahead, and kept drawn. */
const NEAR = "1200px 0px";

/** Draws `bytes` into `into`; the answer stops the drawing and frees the document (before drawing another). */
export async function renderPdf(
  bytes: Uint8Array,
  into: HTMLElement,
  pageLabel: (n: number, total: number) => string,
  failedLabel: string,
): Promise<() => void> {
  GlobalWorkerOptions.workerSrc = `${__PDFJS_BASE__}pdf.worker.min.mjs`;
  const doc: PDFDocumentProxy = await getDocument({
    data: bytes.slice(), // PDF.js takes ownership of (detaches) what it is given
    isEvalSupported: false, // the CSP allows no eval
    cMapUrl: `${__PDFJS_BASE__}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${__PDFJS_BASE__}standard_fonts/`,
  }).promise;
  const width = Math.max(280, into.clientWidth || 800);
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  /** Each drawn (or drawing) canvas: its render, so that leaving the screen can cancel it. */
  const drawn = new Map<HTMLCanvasElement, { task?: RenderTask; done: Promise<void> }>();
  let disposed = false;

  const draw = (canvas: HTMLCanvasElement, n: number): Promise<void> => {
    const known = drawn.get(canvas);
    if (known) return known.done;
    const entry: { task?: RenderTask; done: Promise<void> } = { done: Promise.resolve() };
    entry.done = (async () => {
      const page = await doc.getPage(n);
      if (drawn.get(canvas) !== entry) return; // released while the page loaded
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (width / base.width) * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      const context = canvas.getContext("2d");
      if (!context) throw new Error("this browser cannot draw on a canvas");
      entry.task = page.render({ canvasContext: context, viewport });
      await entry.task.promise;
    })().catch((e: unknown) => {
      if (drawn.get(canvas) === entry) drawn.delete(canvas); // drawn again when next in view
      if ((e as Error)?.name === "RenderingCancelledException") return;
      canvas.width = 0;
      canvas.height = 0;
      canvas.parentElement?.setAttribute("data-failed", "true");
      canvas.parentElement?.querySelector(".hint")?.append(` · ${failedLabel}`);
      if (n === 1) throw e; // the whole agreement is not drawable here
    });
    drawn.set(canvas, entry);
    return entry.done;
  };
  const release = (canvas: HTMLCanvasElement) => {
    const entry = drawn.get(canvas);
    if (!entry) return;
    drawn.delete(canvas);
    entry.task?.cancel();
    void entry.done.finally(() => {
      if (drawn.has(canvas)) return; // drawn again meanwhile
      canvas.width = 0; // gives the pixels back; the aspect ratio keeps the page's place
      canvas.height = 0;
    });
  };
  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              const canvas = e.target as HTMLCanvasElement;
              if (e.isIntersecting) void draw(canvas, Number(canvas.dataset.page)).catch(() => undefined);
              else release(canvas);
            }
          },
          { rootMargin: NEAR },
        )
      : undefined;
  const dispose = () => {
    disposed = true;
    observer?.disconnect();
    for (const canvas of [...drawn.keys()]) release(canvas);
    void doc.destroy();
  };

  for (let n = 1; n <= doc.numPages && !disposed; n++) {
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const canvas = el("canvas", { width: 0, height: 0, "aria-hidden": "true", "data-page": String(n) });
    // Through the CSSOM, which the page's CSP allows (a style attribute it would not).
    canvas.style.aspectRatio = `${base.width} / ${base.height}`;
    const text = await page.getTextContent();
    const words = text.items.map((i) => ("str" in i ? i.str : "")).join(" ");
    const figure = el(
      "figure",
      { class: "pdf-page" },
      canvas,
      el(
        "figcaption",
        {},
        el("span", { class: "hint" }, pageLabel(n, doc.numPages)),
        el("span", { class: "visually-hidden" }, words),
      ),
    );
    if (n === 1) {
      fill(into, figure);
      try {
        await draw(canvas, 1); // the first page shows at once
      } catch (e) {
        dispose();
        throw e;
      }
    } else into.appendChild(figure);
    if (observer) observer.observe(canvas);
    else await draw(canvas, n).catch(() => undefined); // no observer here: every page, as before
  }
  return dispose;
}
