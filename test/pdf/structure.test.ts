import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { inspectPdf } from "../../src/pdf/inspect-pdf.js";
import type { PageInfo } from "../../src/pdf/page-tree.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { displayFrame } from "../../src/pdf/stamp-seal.js";
import { errorCode, HAND_PAGE, HAND_PAGES, handPdf, sealOptions } from "./helpers.js";

const code = errorCode;
const PAGES = HAND_PAGES;
const PAGE = HAND_PAGE;

describe("structure the standard does not allow", () => {
  it("refuses dictionaries holding the wrong types with CORRUPT, not a pdf-lib error", async () => {
    for (const catalog of [
      "<< /Type /Catalog /Pages 2 0 R /Names 42 >>",
      "<< /Type /Catalog /Pages 2 0 R /AcroForm (text) >>",
      "<< /Type /Catalog /Pages 2 0 R /AF /NotAnArray >>",
    ]) {
      expect(await code(sealPdf(handPdf([catalog, PAGES, PAGE]), sealOptions())), catalog).toBe("CORRUPT");
    }
    expect(
      await code(
        inspectPdf(
          handPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids 5 /Count 1 >>", PAGE]),
        ),
      ),
    ).toBe("CORRUPT");
    expect(
      await code(
        inspectPdf(
          handPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE]),
        ),
      ),
    ).toBe(
      "CORRUPT", // no MediaBox anywhere
    );
  });

  it("refuses a certification signature that allows no changes (DocMDP P=1) with PDF_LOCKED", async () => {
    const pdf = handPdf([
      "<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 4 0 R >> >>",
      PAGES,
      PAGE,
      "<< /Type /Sig /Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 /V /1.2 >> >>] >>",
    ]);
    expect(await code(sealPdf(pdf, sealOptions()))).toBe("PDF_LOCKED");
  });

  it("accepts a minimal valid hand-written PDF", async () => {
    const out = await sealPdf(handPdf(["<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE]), sealOptions());
    expect((await inspectPdf(out)).pages).toHaveLength(1);
  });
});

describe("displayFrame (display space → default user space)", () => {
  const page = (rotate: number): PageInfo =>
    ({ index: 0, cropBox: [10, 20, 310, 420], mediaBox: [0, 0, 400, 500], rotate }) as unknown as PageInfo;
  const apply = (m: number[], x: number, y: number) => [
    (m[0] as number) * x + (m[2] as number) * y + (m[4] as number),
    (m[1] as number) * x + (m[3] as number) * y + (m[5] as number),
  ];

  for (const rotate of [0, 90, 180, 270]) {
    it(`maps the displayed page onto the crop box and "up" onto the reader's up for /Rotate ${rotate}`, () => {
      const { width, height, matrix } = displayFrame(page(rotate));
      expect([width, height]).toEqual(rotate % 180 ? [400, 300] : [300, 400]);
      const corners = [
        apply(matrix, 0, 0),
        apply(matrix, width, 0),
        apply(matrix, 0, height),
        apply(matrix, width, height),
      ];
      const xs = corners.map((c) => c[0] as number);
      const ys = corners.map((c) => c[1] as number);
      expect([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]).toEqual([
        10, 20, 310, 420,
      ]);
      // A viewer turns the page clockwise by /Rotate; the display "up" vector must come out as screen up.
      const [ux, uy] = apply([matrix[0], matrix[1], matrix[2], matrix[3], 0, 0] as number[], 0, 1) as [
        number,
        number,
      ];
      const r = (-rotate * Math.PI) / 180;
      const screen = [
        Math.round(ux * Math.cos(r) - uy * Math.sin(r)) + 0,
        Math.round(ux * Math.sin(r) + uy * Math.cos(r)) + 0,
      ];
      expect(screen).toEqual([0, 1]);
    });
  }
});

describe("src/pdf boundaries", () => {
  const dir = fileURLToPath(new URL("../../src/pdf/", import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));

  it("touches the disk only in the font and certificate file loaders", () => {
    const fsUsers = files.filter((f) => /from "node:fs|from "fs/.test(readFileSync(join(dir, f), "utf8")));
    expect(fsUsers.sort()).toEqual(["certificate-files.ts", "font-file.ts"]);
  });

  it("imports no HTTP or storage code", () => {
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      expect(text, f).not.toMatch(
        /from "(express|level|classic-level)|from "\.\.\/(http|storage|service|cli)\//,
      );
    }
  });
});
