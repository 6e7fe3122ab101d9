import { describe, expect, it } from "vitest";
import { AppError, ValidationError } from "../../src/core/errors.js";
import { inspectPdf } from "../../src/pdf/inspect-pdf.js";
import { corpusFile, seededRandom } from "./helpers.js";

async function outcome(bytes: Uint8Array, limits = {}): Promise<string> {
  try {
    await inspectPdf(bytes, limits);
    return "ok";
  } catch (e) {
    if (e instanceof ValidationError) return e.code;
    return `escaped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
}

describe("inspectPdf", () => {
  it("reports version, page boxes and rotation", async () => {
    const rotated = await inspectPdf(corpusFile("rotated.pdf"));
    expect(rotated.pages.map((p) => p.rotate)).toEqual([0, 90, 180, 270, 90]);
    expect(rotated.encrypted).toBe(false);
    const origin = await inspectPdf(corpusFile("nonzero-origin.pdf"));
    expect(origin.pages[0]?.mediaBox).toEqual([100, 200, 695, 1042]);
    expect(origin.pages[1]?.cropBox).toEqual([-250, -350, 50, 50]);
    expect(origin.pages[1]?.width).toBe(300);
    const v13 = await inspectPdf(corpusFile("pdf13-handwritten.pdf"));
    expect(v13.version).toBe("1.3");
    expect(v13.pages[0]?.cropBox).toEqual([0, 0, 612, 792]); // inherited MediaBox
    expect((await inspectPdf(corpusFile("signed-ecdsa.pdf"))).signed).toBe(true);
  });

  it("turns every single-byte mutation and truncation into a result or a ValidationError, quickly", async () => {
    const base = corpusFile("pdf15-objstm.pdf");
    const rnd = seededRandom("mutations");
    const seen = new Map<string, number>();
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) {
      const r = rnd(4);
      const m = base.slice();
      const at = ((r[0] as number) * 256 + (r[1] as number)) % m.length;
      m[at] = r[2] as number;
      const o = await outcome(m);
      seen.set(o, (seen.get(o) ?? 0) + 1);
      expect(o, `mutation at ${at}`).not.toMatch(/^escaped/);
    }
    for (let n = 0; n < base.length; n += 37) {
      const o = await outcome(base.subarray(0, n));
      expect(o, `truncated to ${n}`).not.toMatch(/^escaped/);
      if (n > 8) expect(o).not.toBe("ok");
    }
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(seen.get("ok")).toBeGreaterThan(0);
  });

  it("enforces the size, page and time budgets", async () => {
    const big = corpusFile("pages-300.pdf");
    expect(await outcome(big, { maxPages: 100 })).toBe("PDF_TOO_COMPLEX");
    expect(await outcome(big, { maxBytes: 1000 })).toBe("PDF_TOO_COMPLEX");
    expect(await outcome(big, { timeBudgetMs: 0 })).toBe("PDF_TOO_COMPLEX");
    expect(await outcome(big, { maxObjects: 50 })).toBe("PDF_TOO_COMPLEX");
  });

  it("rejects non-bytes input with INVALID_ARGUMENT", async () => {
    await expect(inspectPdf("%PDF-1.7" as unknown as Uint8Array)).rejects.toBeInstanceOf(AppError);
  });
});
