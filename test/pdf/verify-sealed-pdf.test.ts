import { beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../../src/core/bytes.js";
import { fixedClock } from "../../src/core/clock.js";
import { sha256 } from "../../src/crypto/sha256.js";
import { createPdfCertificate, pdfSignerFromPem } from "../../src/pdf/pdf-certificate.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { verifySealedPdf } from "../../src/pdf/verify-sealed-pdf.js";
import { corpusFile, proofJson, sealOptions, seededRandom, testCertificate } from "./helpers.js";

const latin1 = new TextDecoder("latin1");
let input: Uint8Array;
let sealed: Uint8Array;

function failed(v: { checks: { name: string; ok: boolean }[] }): string[] {
  return v.checks.filter((c) => !c.ok).map((c) => c.name);
}

function flip(b: Uint8Array, at: number): Uint8Array {
  const c = b.slice();
  c[at] = (c[at] as number) ^ 0x01;
  return c;
}

beforeAll(async () => {
  input = corpusFile("agreement-3p.pdf");
  sealed = await sealPdf(input, sealOptions());
});

describe("verifySealedPdf", () => {
  it("accepts an untouched sealed PDF and reports the original prefix, proof and signer", async () => {
    const v = await verifySealedPdf(sealed, { certificatePem: testCertificate.certificatePem });
    expect(failed(v)).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.originalLength).toBe(input.length);
    expect(v.originalSha256).toBe(toHex(sha256(input)));
    expect(v.proofJson).toEqual(proofJson);
    expect(v.signer?.subject).toBe("CN=示例人民调解委员会, O=Notarium test, C=CN");
    expect(v.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        "byte-range",
        "message-digest",
        "cms-signature",
        "signing-certificate-v2",
        "expected-certificate",
        "original-prefix",
        "embedded-proof",
      ]),
    );
  });

  it("detects one byte changed in the original prefix", async () => {
    const v = await verifySealedPdf(flip(sealed, Math.floor(input.length / 2)));
    expect(v.valid).toBe(false);
    expect(failed(v)).toEqual(expect.arrayContaining(["message-digest", "original-prefix"]));
  });

  it("detects one byte changed in the seal drawing", async () => {
    const text = latin1.decode(sealed);
    const at = text.indexOf("/Subtype /Form", input.length);
    expect(at).toBeGreaterThan(input.length);
    const streamAt = text.indexOf("stream", at) + 20;
    const v = await verifySealedPdf(flip(sealed, streamAt));
    expect(v.valid).toBe(false);
    expect(failed(v)).toContain("message-digest");
  });

  it("detects one byte changed in the embedded proof", async () => {
    const text = latin1.decode(sealed);
    const at = text.indexOf("/Type /EmbeddedFile", input.length);
    expect(at).toBeGreaterThan(input.length);
    const v = await verifySealedPdf(flip(sealed, text.indexOf("stream", at) + 10));
    expect(v.valid).toBe(false);
    expect(failed(v)).toContain("message-digest");
  });

  it("detects a byte changed after the signature value and bytes appended after the signature", async () => {
    const changed = await verifySealedPdf(flip(sealed, sealed.length - 20));
    expect(changed.valid).toBe(false);
    expect(failed(changed)).toContain("message-digest");
    const appended = new Uint8Array(sealed.length + 10);
    appended.set(sealed);
    appended.set(new TextEncoder().encode("\n%evil!!\n"), sealed.length);
    const v = await verifySealedPdf(appended);
    expect(v.valid).toBe(false);
    expect(failed(v)).toContain("byte-range");
  });

  it("detects a changed signature value", async () => {
    const text = latin1.decode(sealed);
    const br = text.lastIndexOf("/ByteRange");
    const contents = Number(/\[\s*0\s+(\d+)/.exec(text.slice(br))?.[1]);
    // Flip a hex digit near the end of the DER (inside the ECDSA signature).
    const der = text.slice(contents + 1, contents + 1 + 16384).replace(/(00)+$/, "");
    const at = contents + 1 + der.length - 6;
    const c = sealed.slice();
    c[at] = c[at] === 0x30 ? 0x31 : 0x30;
    const v = await verifySealedPdf(c);
    expect(v.valid).toBe(false);
    expect(failed(v)).toContain("cms-signature");
  });

  it("rejects a valid seal made with another certificate when the expected one is given", async () => {
    const other = createPdfCertificate({
      commonName: "示例人民调解委员会",
      clock: fixedClock("2026-01-01T00:00:00Z"),
      randomBytes: seededRandom("impostor"),
    });
    const forged = await sealPdf(
      input,
      sealOptions({ signer: pdfSignerFromPem(other.certificatePem, other.privateKeyPem) }),
    );
    expect((await verifySealedPdf(forged)).valid).toBe(true);
    const v = await verifySealedPdf(forged, { certificatePem: testCertificate.certificatePem });
    expect(v.valid).toBe(false);
    expect(failed(v)).toEqual(["expected-certificate"]);
  });

  it("reports unsealed, damaged and non-PDF input as invalid without throwing", async () => {
    const plain = await verifySealedPdf(input);
    expect(plain.valid).toBe(false);
    expect(failed(plain)).toEqual(expect.arrayContaining(["signature-present", "seal-record"]));
    for (const bad of [new Uint8Array(0), new TextEncoder().encode("hello"), sealed.subarray(0, 5000)]) {
      const v = await verifySealedPdf(bad);
      expect(v.valid).toBe(false);
      expect(failed(v)).toContain("pdf-structure");
    }
  });

  it("verifies a sealed 3-page agreement in well under 200 ms", async () => {
    await verifySealedPdf(sealed);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await verifySealedPdf(sealed);
    expect((performance.now() - t0) / 5).toBeLessThan(200);
  });
});
