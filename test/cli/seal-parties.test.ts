import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sealPartiesProblem } from "../../src/cli/pdf-tools.js";
import { AppError } from "../../src/core/errors.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { sealOptions, sealSpec } from "../pdf/helpers.js";

const input = new Uint8Array(readFileSync(new URL("../../fixtures/pdf/pdf14-classic.pdf", import.meta.url)));

/** What sealing itself says of one party: "ok" or the refusal's code. */
async function sealVerdict(name: string, role: string): Promise<string> {
  try {
    await sealPdf(input, sealOptions({ seal: { ...sealSpec, signers: [{ name, role }] } }));
    return "ok";
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
}

describe("sealPartiesProblem (what case creation refuses)", () => {
  it.each([
    ["王喆", "applicant"], // beyond GB 2312
    ["刘䶮", "applicant"], // Extension A
    ["李\u3000四", "respondent"], // ideographic space
    ["张\u00a0三", "respondent"],
    ["José", "agent"],
    ["葛\u{E0100}", "applicant"], // an ideographic variation sequence: drawn as 葛
    ["王\ufe00", "applicant"],
    ["\ufeff王", "applicant"], // trimmed away, as the seal prints it
    ["𠮷野", "applicant"], // Extension B
    ["张\u202f三", "applicant"], // narrow no-break space: not in the font
    ["张\u2028三", "applicant"],
    ["❤\ufe0f", "applicant"],
    ["😀", "applicant"],
    ["O\u0301", "applicant"], // a combining accent the font lacks
    ["张".repeat(33), "applicant"],
    ["张\t三", "applicant"],
    ["王", "a-role-longer-than-16"],
  ])("agrees with sealing on %j as %s", async (name, role) => {
    const early = sealPartiesProblem([{ name, role }]);
    expect(early?.code ?? "ok").toBe(await sealVerdict(name, role));
  });

  it("names the party, the field and each missing character", () => {
    expect(
      sealPartiesProblem([
        { name: "王喆", role: "applicant" },
        { name: "𠮷野\u202f𠮷", role: "respondent" },
      ]),
    ).toEqual({
      code: "FONT_MISSING_GLYPH",
      index: 1,
      field: "name",
      message: expect.stringMatching(
        /^the seal's font has no glyph for 𠮷 \(U\+20BB7\), \u202f \(U\+202F\), so/,
      ),
    });
    expect(sealPartiesProblem([{ name: "王", role: "x".repeat(17) }])).toMatchObject({
      code: "INVALID_ARGUMENT",
      index: 0,
      field: "role",
    });
  });

  it("refuses more parties than the seal lists", () => {
    const parties = Array.from({ length: 21 }, (_, i) => ({ name: `王${i}`, role: "applicant" }));
    expect(sealPartiesProblem(parties)).toEqual({
      code: "INVALID_ARGUMENT",
      message: "the seal lists at most 20 parties",
    });
    expect(sealPartiesProblem(parties.slice(0, 20))).toBeUndefined();
  });
});
