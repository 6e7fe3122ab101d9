import { chmodSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { AppError } from "../../src/core/errors.js";
import { loadOrCreatePdfCertificate, PDF_CERT_FILE, PDF_KEY_FILE } from "../../src/pdf/certificate-files.js";
import { createPdfCertificate, pdfSignerFromPem } from "../../src/pdf/pdf-certificate.js";
import { parseCertificate } from "../../src/pdf/x509.js";
import { scratchDir, seededRandom, tool, writeTemp } from "./helpers.js";

const clock = fixedClock("2026-11-26T10:00:00Z");
const make = (seed = "a") =>
  createPdfCertificate({
    commonName: "示例人民调解委员会",
    organization: "Notarium",
    clock,
    randomBytes: seededRandom(seed),
  });

async function code(f: () => unknown): Promise<string | undefined> {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
}

describe("createPdfCertificate", () => {
  it("is reproducible from injected clock and randomness", () => {
    expect(make("a").certificatePem).toBe(make("a").certificatePem);
    expect(make("a").certificatePem).not.toBe(make("b").certificatePem);
  });

  it("makes a self-signed P-256 certificate that OpenSSL reads as the issue specifies", () => {
    const dir = scratchDir("cert");
    const c = make();
    const path = writeTemp(dir, "c.pem", new TextEncoder().encode(c.certificatePem));
    const text = tool("openssl", ["x509", "-in", path, "-noout", "-text", "-nameopt", "utf8"]).stdout;
    expect(text).toContain("Subject: O=Notarium, CN=示例人民调解委员会");
    expect(text).toContain("ecdsa-with-SHA256");
    expect(text).toContain("NIST CURVE: P-256");
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toContain("Not Before: Nov 26 09:59:00 2026 GMT");
    expect(text).toContain("Not After : Nov 26 09:59:00 2036 GMT");
    // Self-signature verifies.
    expect(tool("openssl", ["verify", "-CAfile", path, "-partial_chain", path]).stdout).toContain("OK");
    // The PKCS#8 key is readable by OpenSSL and matches.
    const key = writeTemp(dir, "k.pem", new TextEncoder().encode(c.privateKeyPem));
    const pubFromKey = tool("openssl", ["pkey", "-in", key, "-pubout"]).stdout;
    const pubFromCert = tool("openssl", ["x509", "-in", path, "-noout", "-pubkey"]).stdout;
    expect(pubFromKey).toBe(pubFromCert);
  });

  it("gives a signer whose DER ECDSA signatures verify against the certificate", async () => {
    const c = make();
    const signer = pdfSignerFromPem(c.certificatePem, c.privateKeyPem);
    const msg = new TextEncoder().encode("signed attributes");
    const sig = await signer.sign(msg);
    expect(sig[0]).toBe(0x30);
    expect(p256.verify(sig, msg, parseCertificate(signer.certificateDer).publicKey, { format: "der" })).toBe(
      true,
    );
    expect(await signer.sign(msg)).toEqual(sig); // RFC 6979: deterministic
  });

  it("refuses a key that does not match the certificate, and malformed PEM", async () => {
    expect(await code(() => pdfSignerFromPem(make("a").certificatePem, make("b").privateKeyPem))).toBe(
      "MALFORMED_KEY",
    );
    expect(await code(() => pdfSignerFromPem("nope", make().privateKeyPem))).toBe("MALFORMED_KEY");
    expect(
      await code(() =>
        pdfSignerFromPem(
          make().certificatePem,
          "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ),
      ),
    ).toBe("MALFORMED_KEY");
    expect(
      await code(() => createPdfCertificate({ commonName: "", clock, randomBytes: seededRandom("x") })),
    ).toBe("INVALID_ARGUMENT");
  });
});

describe("loadOrCreatePdfCertificate", () => {
  const opts = { commonName: "示例人民调解委员会", clock, randomBytes: seededRandom("files") };

  it("creates the pair with a 0600 key, then loads the same certificate", async () => {
    const dir = join(scratchDir("certfiles"), "keys");
    const a = await loadOrCreatePdfCertificate(dir, opts);
    expect(a.created).toBe(true);
    expect(statSync(join(dir, PDF_KEY_FILE)).mode & 0o777).toBe(0o600);
    const b = await loadOrCreatePdfCertificate(dir, opts);
    expect(b.created).toBe(false);
    expect(b.certificatePem).toBe(a.certificatePem);
    expect(b.signer.certificateDer).toEqual(a.signer.certificateDer);
  });

  it("refuses a key file that group or others can read, and half a pair", async () => {
    const dir = join(scratchDir("certperm"), "keys");
    await loadOrCreatePdfCertificate(dir, opts);
    chmodSync(join(dir, PDF_KEY_FILE), 0o644);
    expect(await code(() => loadOrCreatePdfCertificate(dir, opts))).toBe("KEY_FILE_PERMISSIONS");
    const lone = join(scratchDir("certlone"), "keys");
    mkdirSync(lone, { recursive: true });
    writeFileSync(join(lone, PDF_CERT_FILE), make().certificatePem);
    expect(await code(() => loadOrCreatePdfCertificate(lone, opts))).toBe("KEY_FILE_UNREADABLE");
  });
});
