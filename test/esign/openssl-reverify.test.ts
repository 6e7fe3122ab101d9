import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatSignaturePayload } from "../../src/esign/signature-payload.js";
import { nodeKeyPair } from "../helpers/cases.js";

/** Re-verifies an agreement.signed body with the openssl command, as the docs tell a court to. */
function opensslVerifies(body: {
  case: string;
  document: string;
  role: string;
  signer: string;
  time: string;
  publicKey: string;
  signature: string;
}): boolean {
  const dir = mkdtempSync(join(tmpdir(), "notarium-openssl-"));
  writeFileSync(join(dir, "payload.txt"), formatSignaturePayload(body));
  writeFileSync(join(dir, "pub.der"), Buffer.from(`302a300506032b6570032100${body.publicKey}`, "hex"));
  writeFileSync(join(dir, "sig.bin"), Buffer.from(body.signature, "hex"));
  try {
    const out = execFileSync(
      "openssl",
      [
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "pub.der",
        "-keyform",
        "DER",
        "-rawin",
        "-in",
        "payload.txt",
        "-sigfile",
        "sig.bin",
      ],
      { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    return /Signature Verified Successfully/.test(out);
  } catch {
    return false;
  }
}

describe("agreement.signed bodies", () => {
  it("re-verify with the openssl command line, and fail when a field changes", () => {
    const k = nodeKeyPair();
    const fields = {
      case: "case_0123456789abcdef",
      document: "ab".repeat(32),
      role: "applicant",
      signer: "alice",
      time: "2026-11-26T10:00:00Z",
    };
    const body = { ...fields, publicKey: k.publicKey, signature: k.sign(formatSignaturePayload(fields)) };
    expect(opensslVerifies(body)).toBe(true);
    expect(opensslVerifies({ ...body, role: "respondent" })).toBe(false);
  });
});
