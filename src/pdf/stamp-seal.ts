/**
 * Puts the seal on pages of a loaded document, in place (the incremental
 * writer then appends what changed). Drawing happens in "display space":
 * the crop box as a reader sees it after /Rotate (ISO 32000-1 §8.3.2.3,
 * §14.11.2, Table 30), so the seal is upright, inside the crop box and
 * clear of non-zero MediaBox origins on every page. Each stamped page gets
 * its original content wrapped in q … Q and a new stream that draws the
 * seal and panel form XObjects; shared resource dictionaries are copied,
 * never edited, so other pages are untouched.
 */
import { PDFArray, type PDFContext, PDFDict, PDFName, type PDFObject, PDFRef } from "pdf-lib";
import { Content } from "./content-builder.js";
import type { LoadedPdf } from "./load-pdf.js";
import type { PageInfo } from "./page-tree.js";
import {
  PANEL_HEIGHT,
  PANEL_WIDTH,
  panelArtwork,
  SEAL_OVERLAP,
  SEAL_RADIUS,
  sealArtwork,
} from "./seal-artwork.js";
import { SealFont } from "./seal-font.js";
import type { ResolvedSealSpec } from "./seal-spec.js";

type Matrix = [number, number, number, number, number, number];

/** Width/height as displayed and the matrix from display space to default user space. */
export function displayFrame(p: PageInfo): { width: number; height: number; matrix: Matrix } {
  const [x0, y0, x1, y1] = p.cropBox;
  const w = x1 - x0;
  const h = y1 - y0;
  switch (p.rotate) {
    case 90:
      return { width: h, height: w, matrix: [0, 1, -1, 0, x1, y0] };
    case 180:
      return { width: w, height: h, matrix: [-1, 0, 0, -1, x1, y1] };
    case 270:
      return { width: h, height: w, matrix: [0, -1, 1, 0, x0, y1] };
    default:
      return { width: w, height: h, matrix: [1, 0, 0, 1, x0, y0] };
  }
}

/** Most pages one 骑缝章 impression spans, so each slice stays at least ~10 pt wide. */
const MAX_PAGES_PER_EDGE_SEAL = 10;

export interface StampResult {
  /** 0-based indices of the pages that got a full seal. */
  sealedPages: number[];
  /** 0-based indices of the pages that got an edge slice. */
  edgePages: number[];
}

function effectiveResources(context: PDFContext, page: PDFDict): PDFDict | undefined {
  const seen = new Set<PDFDict>();
  for (let node: PDFDict | undefined = page; node && !seen.has(node); ) {
    seen.add(node);
    const r = context.lookupMaybe(node.get(PDFName.of("Resources")), PDFDict);
    if (r) return r;
    node = context.lookupMaybe(node.get(PDFName.of("Parent")), PDFDict);
  }
  return undefined;
}

function copyDict(context: PDFContext, d: PDFDict | undefined): PDFDict {
  const out = context.obj({});
  if (d) for (const [k, v] of d.entries()) out.set(k, v);
  return out;
}

/** Gives `page` its own Resources with our XObjects added under fresh names; returns the names. */
function addXObjects(
  context: PDFContext,
  page: PDFDict,
  xobjects: Record<string, PDFRef>,
): Record<string, string> {
  const res = copyDict(context, effectiveResources(context, page));
  const xo = copyDict(context, context.lookupMaybe(res.get(PDFName.of("XObject")), PDFDict));
  const names: Record<string, string> = {};
  for (const [base, ref] of Object.entries(xobjects)) {
    let name = base;
    for (let i = 1; xo.has(PDFName.of(name)); i++) name = `${base}${i}`;
    xo.set(PDFName.of(name), ref);
    names[base] = name;
  }
  res.set(PDFName.of("XObject"), xo);
  page.set(PDFName.of("Resources"), res);
  return names;
}

function appendContent(context: PDFContext, page: PDFDict, pushRef: PDFRef, streamRef: PDFRef): void {
  const cur = page.get(PDFName.of("Contents"));
  let items: PDFObject[] = [];
  if (cur instanceof PDFRef) {
    const target = context.lookup(cur);
    items = target instanceof PDFArray ? target.asArray() : [cur];
  } else if (cur instanceof PDFArray) items = cur.asArray();
  page.set(PDFName.of("Contents"), context.obj([pushRef, ...items, streamRef]));
}

function groupSizes(n: number): number[] {
  const groups = Math.ceil(n / MAX_PAGES_PER_EDGE_SEAL);
  const base = Math.floor(n / groups);
  return Array.from({ length: groups }, (_, i) => base + (i < n % groups ? 1 : 0));
}

export async function stampSeal(
  pdf: LoadedPdf,
  spec: ResolvedSealSpec,
  fontBytes: Uint8Array,
): Promise<StampResult> {
  const { context } = pdf;
  const font = await SealFont.create(fontBytes);
  const fontRef = context.nextRef();
  const ink = context.obj({ Type: "ExtGState", ca: 0.92, CA: 0.92, BM: "Multiply" });
  const opaque = context.obj({ Type: "ExtGState", ca: 1, CA: 1, BM: "Normal" });
  const R = SEAL_RADIUS;
  const sealRef = context.register(
    context.flateStream(sealArtwork(font, spec), {
      Type: "XObject",
      Subtype: "Form",
      BBox: [-R, -R, R, R],
      Resources: { Font: { F0: fontRef }, ExtGState: { G0: ink } },
    }),
  );
  const panelRef = context.register(
    context.flateStream(panelArtwork(font, spec), {
      Type: "XObject",
      Subtype: "Form",
      BBox: [0, 0, PANEL_WIDTH, PANEL_HEIGHT],
      Resources: { Font: { F0: fontRef }, ExtGState: { G0: ink, G1: opaque } },
    }),
  );
  await font.embed(context, fontRef);
  const pushRef = context.register(context.stream("q\n"));

  const draw = new Map<number, Content>();
  const frames = pdf.pages.map(displayFrame);
  const contentFor = (i: number) => {
    let c = draw.get(i);
    if (!c) {
      c = new Content()
        .Q()
        .q()
        .cm(...(frames[i] as ReturnType<typeof displayFrame>).matrix);
      draw.set(i, c);
    }
    return c;
  };
  const result: StampResult = { sealedPages: [], edgePages: [] };
  const names = new Map<number, Record<string, string>>();
  const xobjectsOf = (i: number) => {
    let n = names.get(i);
    if (!n) {
      n = addXObjects(context, (pdf.pages[i] as PageInfo).dict, { NtrmSeal: sealRef, NtrmPanel: panelRef });
      names.set(i, n);
    }
    return n;
  };

  if (spec.pages === "all-edge" && pdf.pages.length > 1) {
    let first = 0;
    for (const g of groupSizes(pdf.pages.length)) {
      for (let k = 0; k < g; k++) {
        const i = first + k;
        const { width: W, height: H } = frames[i] as ReturnType<typeof displayFrame>;
        const s = Math.min(1, (0.3 * H) / (2 * R), (0.3 * W) / (2 * R));
        const d = 2 * R * s;
        const w = d / g;
        const cx = W - w * (k + 1) + d / 2; // slice k of the seal lands on this page's right edge
        const cy = H / 2;
        const c = contentFor(i);
        c.q()
          .rect(W - w, cy - d / 2 - 2, w, d + 4)
          .clip()
          .cm(s, 0, 0, s, cx, cy)
          .doXObject(xobjectsOf(i).NtrmSeal as string)
          .Q();
        result.edgePages.push(i);
      }
      first += g;
    }
  }

  const last = pdf.pages.length - 1;
  const { width: W, height: H } = frames[last] as ReturnType<typeof displayFrame>;
  const blockW = PANEL_WIDTH + 2 * R - SEAL_OVERLAP;
  const margin = Math.max(8, Math.min(28, 0.04 * Math.min(W, H)));
  const s = Math.min(1, (W - 2 * margin) / blockW, (0.4 * H) / PANEL_HEIGHT);
  const u0 = W - margin - blockW * s;
  const v0 = margin;
  const n = xobjectsOf(last);
  contentFor(last)
    .q()
    .cm(s, 0, 0, s, u0, v0)
    .doXObject(n.NtrmPanel as string)
    .Q()
    .q()
    .cm(s, 0, 0, s, u0 + (PANEL_WIDTH - SEAL_OVERLAP + R) * s, v0 + (PANEL_HEIGHT / 2) * s)
    .doXObject(n.NtrmSeal as string)
    .Q();
  result.sealedPages.push(last);

  for (const [i, c] of [...draw.entries()].sort((a, b) => a[0] - b[0])) {
    c.Q();
    const ref = context.register(context.flateStream(c.toString()));
    appendContent(context, (pdf.pages[i] as PageInfo).dict, pushRef, ref);
  }
  result.edgePages.sort((a, b) => a - b);
  return result;
}
