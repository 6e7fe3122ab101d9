import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHex } from "../../src/core/bytes.js";
import { evidenceIdFromLeafHash, parseEvidenceId } from "../../src/ledger/evidence-id.js";

describe("evidence IDs", () => {
  it("are NTR- and 16 Crockford base32 characters of the leaf hash's first 10 bytes", () => {
    const leaf = fromHex(`${"00".repeat(9)}01${"ff".repeat(22)}`);
    expect(evidenceIdFromLeafHash(leaf)).toBe("NTR-0000000000000001");
    expect(evidenceIdFromLeafHash(new Uint8Array(32).fill(0xff))).toBe("NTR-ZZZZZZZZZZZZZZZZ");
  });

  it("decode back to the leaf-hash prefix, tolerating case and look-alike letters", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (leaf) => {
        const id = evidenceIdFromLeafHash(leaf);
        expect(parseEvidenceId(id)).toEqual(leaf.subarray(0, 10));
        expect(parseEvidenceId(id.toLowerCase())).toEqual(leaf.subarray(0, 10));
      }),
    );
    expect(parseEvidenceId("NTR-OOOOOOOOOOOOOOOI")).toEqual(parseEvidenceId("NTR-0000000000000001"));
  });

  it("reject malformed IDs with INVALID_ARGUMENT", () => {
    for (const id of [
      "",
      "NTR-",
      "NTR-000000000000000",
      "XYZ-0000000000000000",
      "NTR-000000000000000U",
      "NTR-0000000000000000X",
      // Letters that upper-case into ASCII ("ı" to I, "ſ" to S, "ß" to SS) are not Crockford base32.
      "NTR-\u01310000000000000000".slice(0, 20),
      "NTR-000000000000000\u017f",
      "NTR-000000000000000\u00df",
    ]) {
      expect(() => parseEvidenceId(id), id).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    }
  });
});
