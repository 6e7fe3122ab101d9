import { describe, expect, it } from "vitest";
import { parseCms } from "../../src/pdf/cms-verify.js";
import { derChildren, parseDer } from "../../src/pdf/der.js";
import { sealPdf } from "../../src/pdf/seal-pdf.js";
import { OID } from "../../src/pdf/x509.js";
import { corpusFile, scratchDir, sealOptions, testCertificate, tool, writeTemp } from "./helpers.js";

/** The signed bytes and the DER CMS of the last signature, read straight from the file. */
function extract(pdf: Uint8Array): { content: Uint8Array; cms: Uint8Array } {
  const text = new TextDecoder("latin1").decode(pdf);
  const m = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].pop();
  if (!m) throw new Error("no /ByteRange");
  const [, , a, b, len] = m.map(Number) as number[];
  const hex = text.slice((a as number) + 1, (b as number) - 1);
  const all = Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  const cms = all.subarray(0, parseDer(all).end);
  const content = new Uint8Array((a as number) + (len as number));
  content.set(pdf.subarray(0, a));
  content.set(pdf.subarray(b, (b as number) + (len as number)), a);
  return { content, cms };
}

describe("PAdES CMS signature", () => {
  it("verifies with openssl cms -verify over the byte ranges", async () => {
    const sealed = await sealPdf(corpusFile("agreement-3p.pdf"), sealOptions());
    const { content, cms } = extract(sealed);
    const dir = scratchDir("cms");
    const r = tool("openssl", [
      "cms",
      "-verify",
      "-binary",
      "-inform",
      "DER",
      "-in",
      writeTemp(dir, "sig.p7s", cms),
      "-content",
      writeTemp(dir, "content.bin", content),
      "-CAfile",
      writeTemp(dir, "ca.pem", new TextEncoder().encode(testCertificate.certificatePem)),
      "-purpose",
      "any",
      "-out",
      "/dev/null",
    ]);
    expect(r.stderr).toContain("CMS Verification successful");
    expect(r.status).toBe(0);
  });

  it("holds contentType, messageDigest and signing-certificate-v2, DER-sorted, and no signingTime", async () => {
    const { cms } = extract(await sealPdf(corpusFile("pdf14-classic.pdf"), sealOptions()));
    const parsed = parseCms(cms);
    expect([...parsed.attributes.keys()].sort()).toEqual(
      [OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort(),
    );
    const attrs = derChildren(parseDer(parsed.signedAttributesDer)).map((n) =>
      n.bytes.subarray(n.start, n.end),
    );
    const sorted = [...attrs].sort((x, y) => {
      for (let i = 0; i < Math.min(x.length, y.length); i++)
        if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
      return x.length - y.length;
    });
    expect(attrs).toEqual(sorted);
    expect(parsed.detached).toBe(true);
    expect(parsed.signatureAlgorithm).toBe(OID.ecdsaWithSha256);
    expect(parsed.digestAlgorithm).toBe(OID.sha256);
  });
});
