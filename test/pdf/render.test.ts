import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import {
  CORPUS_DIR,
  corpusFile,
  noCjkFontEnv,
  parsePnm,
  type Raster,
  renderPage,
  scratchDir,
  sealOptions,
  sealSpec,
  writeTemp,
} from "./helpers.js";

// The seal block of a sealed A4 page, in pixels at 100 dpi (layout: 348×100 pt at 23.8 pt from the bottom-right).
const DPI = 100;
const CROP: [number, number, number, number] = [303, 990, 497, 156];
const EXPECTED = join(CORPUS_DIR, "expected", "seal-region-100dpi.pgm");
const dir = scratchDir("render");
let env: NodeJS.ProcessEnv;
let sealedPath: string;

/** 2×2 box-filtered copy of a grey raster, so antialiasing differences between poppler builds average out. */
function downscale(r: Raster): Raster {
  const w = Math.floor(r.width / 2);
  const h = Math.floor(r.height / 2);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = 2 * y * r.width + 2 * x;
      out[y * w + x] =
        ((r.data[i] as number) +
          (r.data[i + 1] as number) +
          (r.data[i + r.width] as number) +
          (r.data[i + r.width + 1] as number)) >>
        2;
    }
  return { width: w, height: h, channels: 1, data: out };
}

function meanAbsDiff(a: Raster, b: Raster): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return s / a.data.length;
}

/** Dark pixels in the right part of the block: the round seal, whose ink is mostly the CJK arc text. */
function sealInk(r: Raster): number {
  let n = 0;
  for (let y = 0; y < r.height; y++)
    for (let x = Math.floor(r.width * 0.7); x < r.width; x++)
      if ((r.data[y * r.width + x] as number) < 200) n++;
  return n;
}

function renderSealRegion(path: string): Raster {
  return renderPage(path, 3, { dpi: DPI, gray: true, crop: CROP, env, dir });
}

beforeAll(async () => {
  env = noCjkFontEnv(dir);
  sealedPath = writeTemp(dir, "sealed.pdf", await sealPdf(corpusFile("agreement-3p.pdf"), sealOptions()));
  // NOTARIUM_UPDATE_RENDER=1 rewrites the expected image after a deliberate change of the artwork.
  if (process.env.NOTARIUM_UPDATE_RENDER === "1") {
    renderSealRegion(sealedPath);
    writeFileSync(EXPECTED, readFileSync(join(dir, "render-3-100-g.pgm")));
  }
  if (!existsSync(EXPECTED))
    throw new Error(`missing ${EXPECTED}; run this test once with NOTARIUM_UPDATE_RENDER=1`);
});

describe("seal rendering with system CJK fonts hidden", () => {
  it("matches the committed rendering (embedded CJK subset draws every glyph)", () => {
    const got = renderSealRegion(sealedPath);
    const want = parsePnm(new Uint8Array(readFileSync(EXPECTED)));
    const diff = meanAbsDiff(downscale(got), downscale(want));
    expect(diff, "mean grey difference against fixtures/pdf/expected").toBeLessThan(4);
    const ink = sealInk(got);
    expect(Math.abs(ink - sealInk(want)) / sealInk(want)).toBeLessThan(0.08);
  });

  it("would fail if the CJK glyphs were missing (negative control: font program removed)", () => {
    const bytes = new Uint8Array(readFileSync(sealedPath));
    const text = new TextDecoder("latin1").decode(bytes);
    // Renaming /FontFile3 (same length) leaves poppler without the embedded font and no system CJK font to fall back on.
    let at = text.indexOf("/FontFile3");
    expect(at).toBeGreaterThan(0);
    while (at >= 0) {
      bytes.set(new TextEncoder().encode("/FontFileX"), at);
      at = text.indexOf("/FontFile3", at + 1);
    }
    const broken = renderSealRegion(writeTemp(dir, "broken.pdf", bytes));
    const want = parsePnm(new Uint8Array(readFileSync(EXPECTED)));
    const diff = meanAbsDiff(downscale(broken), downscale(want));
    const inkRatio = sealInk(broken) / sealInk(want);
    expect(diff > 4 || Math.abs(inkRatio - 1) > 0.08, `diff ${diff}, ink ratio ${inkRatio}`).toBe(true);
  });

  it("would fail if the seal text changed (negative control: another centre name)", async () => {
    const other = await sealPdf(
      corpusFile("agreement-3p.pdf"),
      sealOptions({ seal: { ...sealSpec, centreName: "另一个人民调解委员会" } }),
    );
    const got = renderSealRegion(writeTemp(dir, "other.pdf", other));
    const want = parsePnm(new Uint8Array(readFileSync(EXPECTED)));
    expect(meanAbsDiff(downscale(got), downscale(want))).toBeGreaterThan(1);
  });
});

/** Bounding box and left/right balance of seal-red pixels in a colour render. */
function redPixels(r: Raster): {
  n: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  leftQuarter: number;
  rightQuarter: number;
} {
  let n = 0;
  let x0 = r.width;
  let x1 = -1;
  let y0 = r.height;
  let y1 = -1;
  const red = (x: number, y: number) => {
    const i = 3 * (y * r.width + x);
    return (r.data[i] as number) > 150 && (r.data[i + 1] as number) < 120 && (r.data[i + 2] as number) < 120;
  };
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++)
      if (red(x, y)) {
        n++;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  let leftQuarter = 0;
  let rightQuarter = 0;
  const q = (x1 - x0) / 4;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (red(x, y)) {
        if (x < x0 + q) leftQuarter++;
        if (x > x1 - q) rightQuarter++;
      }
  return { n, x0, x1, y0, y1, leftQuarter, rightQuarter };
}

describe("seal placement as a reader sees the page", () => {
  for (const [name, page] of [
    ["rotated.pdf", 5],
    ["mixed-sizes.pdf", 5],
    ["nonzero-origin.pdf", 2],
    ["pdf13-handwritten.pdf", 1],
  ] as const) {
    it(`${name}: the seal block is upright, bottom-right and inside the crop box`, async () => {
      const path = writeTemp(dir, `place-${name}`, await sealPdf(corpusFile(name), sealOptions()));
      const img = renderPage(path, page, { dpi: 36, dir });
      const red = redPixels(img);
      expect(red.n).toBeGreaterThan(200);
      // Landscape block (not turned by /Rotate), round seal on the right, panel on the left.
      expect((red.x1 - red.x0) / (red.y1 - red.y0)).toBeGreaterThan(2.5);
      expect(red.rightQuarter).toBeGreaterThan(1.5 * red.leftQuarter);
      // Inside the visible page, in its lower right corner.
      expect(red.x0).toBeGreaterThan(1);
      expect(red.y0).toBeGreaterThan(1);
      expect(red.x1).toBeLessThan(img.width - 2);
      expect(red.y1).toBeLessThan(img.height - 2);
      expect(red.y0).toBeGreaterThan(img.height / 2);
      expect(red.x1).toBeGreaterThan(img.width * 0.75);
    });
  }

  it("all-edge puts a slice of the seal on the right edge of every page, across rotations", async () => {
    const path = writeTemp(
      dir,
      "edge-rotated.pdf",
      await sealPdf(corpusFile("rotated.pdf"), sealOptions({ seal: { ...sealSpec, pages: "all-edge" } })),
    );
    for (let p = 1; p <= 5; p++) {
      const img = renderPage(path, p, { dpi: 36, dir });
      let edge = 0;
      let ys = 0;
      for (let y = 0; y < img.height; y++)
        for (let x = img.width - 3; x < img.width; x++) {
          const i = 3 * (y * img.width + x);
          if ((img.data[i] as number) > 150 && (img.data[i + 1] as number) < 120) {
            edge++;
            ys += y;
          }
        }
      expect(edge, `page ${p}: red at the right edge`).toBeGreaterThan(3);
      expect(Math.abs(ys / edge - img.height / 2), `page ${p}: slice centred vertically`).toBeLessThan(
        img.height * 0.1,
      );
    }
  });
});
