import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { AppError } from "../../src/core/errors.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { corpusFile, scratchDir, sealOptions, sealSpec, tool, writeTemp } from "./helpers.js";

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

  it("shows names beyond GB 2312: 喆 and 堃 (CJK Unified Ideographs) and 䶮 (Extension A)", async () => {
    const signers = [
      { name: "王喆", role: "applicant" },
      { name: "李堃", role: "respondent" },
      { name: "刘䶮", role: "mediator" },
    ];
    const sealed = await sealPdf(
      corpusFile("pdf14-classic.pdf"),
      sealOptions({ seal: { ...sealSpec, signers } }),
    );
    expect(sealed.length).toBeGreaterThan(corpusFile("pdf14-classic.pdf").length);
  });

  it("keeps the count of parties not listed, however long the last listed name", async () => {
    // 20 parties with names of 32 characters, the most a case may have: three lines hold three.
    const signers = Array.from({ length: 20 }, (_, i) => ({
      name: `${"调解协议当事人".repeat(4)}${String(i).padStart(4, "0")}`,
      role: "respondent",
    }));
    const sealed = await sealPdf(
      corpusFile("pdf14-classic.pdf"),
      sealOptions({ seal: { ...sealSpec, signers } }),
    );
    const dir = scratchDir("signers");
    const file = writeTemp(dir, "sealed.pdf", sealed);
    const text = tool("pdftotext", ["-layout", file, "-"]).stdout.replace(/\s+/g, "");
    expect(text).toContain("等18人");
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
    // U+20BB7 𠮷 (CJK Extension B) is not in the font: refused, naming it, rather than drawn as a box.
    const refused = await sealPdf(
      input,
      sealOptions({ seal: { ...sealSpec, signers: [{ name: "𠮷野", role: "applicant" }] } }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("FONT_MISSING_GLYPH");
    expect((refused as AppError).message).toContain("𠮷 (U+20BB7)");
    expect((refused as AppError).message).not.toContain("野");
    expect(await code(sealPdf(input, { ...sealOptions(), proofJson: "{}" as unknown as Uint8Array }))).toBe(
      "INVALID_ARGUMENT",
    );
  });
});
