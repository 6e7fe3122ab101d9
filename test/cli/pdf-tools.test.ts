import { describe, expect, it } from "vitest";
import { createPdfTools } from "../../src/cli/pdf-tools.js";
import {
  clock,
  errorCode,
  HAND_PAGE,
  HAND_PAGES,
  handPdf,
  testCertificate,
  testSigner,
} from "../pdf/helpers.js";

// The centre's key never signs a trial seal: this one refuses to.
const centreSigner = {
  ...testSigner,
  sign: () => {
    throw new Error("the centre's key signed a trial seal");
  },
};
const tools = createPdfTools({
  signer: centreSigner,
  certificatePem: testCertificate.certificatePem,
  clock,
});

const codeOf = errorCode;
const PAGES = HAND_PAGES;
const PAGE = HAND_PAGE;

describe("the PDF check at registration", () => {
  it("refuses what only sealing used to find, so a case cannot be signed over a file that can never be sealed", async () => {
    const locked = handPdf([
      "<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 4 0 R >> >>",
      PAGES,
      PAGE,
      "<< /Type /Sig /Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 /V /1.2 >> >>] >>",
    ]);
    expect(await codeOf(tools.check(locked))).toBe("PDF_LOCKED");
    // Broken on a page the default seal (on the last page) never touches: an edge strip would.
    const twoPages = handPdf([
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 300 400] >>",
      "<< /Type /Page /Parent 2 0 R /Resources << /XObject 7 >> >>",
      PAGE,
    ]);
    expect(await codeOf(tools.check(twoPages))).toBe("CORRUPT");
    for (const objects of [
      ["<< /Type /Catalog /Pages 2 0 R /Names 42 >>", PAGES, PAGE],
      ["<< /Type /Catalog /Pages 2 0 R /AcroForm 7 >>", PAGES, PAGE],
      ["<< /Type /Catalog /Pages 2 0 R >>", PAGES, "<< /Type /Page /Parent 2 0 R /Annots 5 >>"],
    ]) {
      expect(await codeOf(tools.check(handPdf(objects))), objects.join(" ")).toBe("CORRUPT");
    }
  });

  it("passes a file that seals, and what it sealed on trial is not kept", async () => {
    const pdf = handPdf(["<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE]);
    const before = pdf.slice();
    expect(await codeOf(tools.check(pdf))).toBe("ok");
    expect(pdf).toEqual(before);
  });
});
