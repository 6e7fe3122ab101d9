import { describe, expect, it } from "vitest";
import { formatSignaturePayload, parseRfc3339Utc } from "../../src/esign/signature-payload.js";
import { isValidAgreementSignature } from "../../src/esign/verify-signature.js";
import { nodeKeyPair, payload } from "../helpers/cases.js";

const fields = {
  case: "case_0123456789abcdef",
  document: "ab".repeat(32),
  role: "applicant",
  signer: "alice",
  time: "2026-11-26T10:00:00Z",
};

describe("agreement signature payload (DESIGN §6)", () => {
  it("is exactly six LF-terminated lines", () => {
    expect(formatSignaturePayload(fields)).toBe(
      `notarium/agreement-signature/v1\ncase ${fields.case}\ndocument ${fields.document}\nrole applicant\nsigner alice\ntime 2026-11-26T10:00:00Z\n`,
    );
    expect(formatSignaturePayload(fields)).toBe(payload(fields));
  });

  it("verifies signatures made by node:crypto and rejects any change of field", () => {
    const k = nodeKeyPair();
    const body = { ...fields, publicKey: k.publicKey, signature: k.sign(payload(fields)) };
    expect(isValidAgreementSignature(body)).toBe(true);
    for (const [f, v] of [
      ["case", "case_ffffffffffffffff"],
      ["document", "cd".repeat(32)],
      ["role", "respondent"],
      ["signer", "bob"],
      ["time", "2026-11-26T10:00:01Z"],
    ]) {
      expect(isValidAgreementSignature({ ...body, [f as string]: v }), f).toBe(false);
    }
    expect(isValidAgreementSignature({ ...body, publicKey: nodeKeyPair().publicKey })).toBe(false);
  });

  it("refuses fields that could smuggle lines, and non-UTC or impossible times", () => {
    for (const bad of [
      { signer: "a\nrole x" },
      { role: "" },
      { case: "a b" },
      { document: "AB".repeat(32) },
    ]) {
      expect(() => formatSignaturePayload({ ...fields, ...bad })).toThrow();
    }
    for (const t of [
      "2026-11-26T10:00:00+08:00",
      "2026-02-30T10:00:00Z",
      "2026-11-26 10:00:00Z",
      "2026-11-26T24:00:00Z",
    ]) {
      expect(() => parseRfc3339Utc(t), t).toThrow(expect.objectContaining({ code: "INVALID_TIME" }));
    }
    expect(parseRfc3339Utc("2026-11-26T10:00:00.123Z").toISOString()).toBe("2026-11-26T10:00:00.123Z");
  });
});
