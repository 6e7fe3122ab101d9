import { describe, expect, it } from "vitest";
import { secureRandomBytes } from "../../src/core/clock.js";
import { createPartyKeyFile, openPartyKeyFile, parsePartyKeyFile } from "../../src/esign/party-key.js";

describe("party key files", () => {
  const seed = secureRandomBytes(32);

  it("round-trip encrypted with a passphrase and refuse a wrong one", async () => {
    const f = await createPartyKeyFile(seed, "correct horse battery", secureRandomBytes, 100_000);
    const text = JSON.stringify(f);
    expect(text).not.toContain(Buffer.from(seed).toString("hex"));
    expect(await openPartyKeyFile(parsePartyKeyFile(text), "correct horse battery")).toEqual(seed);
    await expect(openPartyKeyFile(parsePartyKeyFile(text), "wrong passphrase")).rejects.toMatchObject({
      code: "SIGNATURE_INVALID",
    });
    await expect(openPartyKeyFile(parsePartyKeyFile(text), undefined)).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("detect a swapped public key and malformed files", async () => {
    const f = await createPartyKeyFile(seed, "correct horse battery", secureRandomBytes, 100_000);
    const other = await createPartyKeyFile(secureRandomBytes(32), undefined, secureRandomBytes);
    await expect(
      openPartyKeyFile({ ...f, publicKey: other.publicKey }, "correct horse battery"),
    ).rejects.toMatchObject({ code: "SIGNATURE_INVALID" });
    await expect(openPartyKeyFile({ ...other, publicKey: f.publicKey }, undefined)).rejects.toMatchObject({
      code: "KEY_MISMATCH",
    });
    expect(() => parsePartyKeyFile("{}")).toThrow(expect.objectContaining({ code: "MALFORMED_KEY" }));
    expect(() => parsePartyKeyFile("nope")).toThrow(expect.objectContaining({ code: "MALFORMED_KEY" }));
    await expect(createPartyKeyFile(seed, "short", secureRandomBytes)).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});
