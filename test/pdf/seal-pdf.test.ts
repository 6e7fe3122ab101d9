import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { AppError } from "../../src/core/errors.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { corpusFile, sealOptions, sealSpec } from "./helpers.js";

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
}

describe("sealPdf", () => {
  it("gives the same bytes for the same input, options and clock", async () => {
    const input = corpusFile("agreement-3p.pdf");
    const a = await sealPdf(input, sealOptions());
    const b = await sealPdf(input, sealOptions());
    expect(b).toEqual(a);
  });

  it("changes the output when the clock changes", async () => {
    const input = corpusFile("pdf14-classic.pdf");
    const a = await sealPdf(input, sealOptions());
    const b = await sealPdf(input, sealOptions({ clock: fixedClock("2026-11-27T10:00:00Z") }));
    expect(b).not.toEqual(a);
  });

  it("can seal an already sealed document again, keeping it as a prefix", async () => {
    const once = await sealPdf(corpusFile("pdf14-classic.pdf"), sealOptions());
    const twice = await sealPdf(once, sealOptions());
    expect(twice.subarray(0, once.length)).toEqual(once);
  });

  it("refuses malformed seal descriptions and characters the font lacks", async () => {
    const input = corpusFile("pdf14-classic.pdf");
    expect(await code(sealPdf(input, sealOptions({ seal: { ...sealSpec, digest: "XYZ" } })))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(
      await code(sealPdf(input, sealOptions({ seal: { ...sealSpec, verifyUrl: "javascript:alert(1)" } }))),
    ).toBe("INVALID_ARGUMENT");
    expect(await code(sealPdf(input, sealOptions({ seal: { ...sealSpec, centreName: "" } })))).toBe(
      "INVALID_ARGUMENT",
    );
    // U+20BB7 𠮷 is outside GB 2312: refused rather than drawn as a box.
    expect(
      await code(
        sealPdf(
          input,
          sealOptions({ seal: { ...sealSpec, signers: [{ name: "𠮷野", role: "applicant" }] } }),
        ),
      ),
    ).toBe("FONT_MISSING_GLYPH");
    expect(await code(sealPdf(input, { ...sealOptions(), proofJson: "{}" as unknown as Uint8Array }))).toBe(
      "INVALID_ARGUMENT",
    );
  });
});
