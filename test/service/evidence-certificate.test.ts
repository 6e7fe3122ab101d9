import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPdfTools } from "../../src/cli/pdf-tools.js";
import { createPdfCertificate, pdfSignerFromPem } from "../../src/pdf/index.js";
import { verifySealedPdf } from "../../src/pdf/verify-sealed-pdf.js";
import { depositEvidence } from "../../src/service/deposit-evidence.js";
import { evidenceCertificate } from "../../src/service/evidence-certificate.js";
import { digest, openTestLedger, seededBytes } from "../helpers/ledger.js";

function pdftotext(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "notarium-cert-"));
  writeFileSync(join(dir, "c.pdf"), pdf);
  try {
    return execFileSync("pdftotext", [join(dir, "c.pdf"), "-"], { encoding: "utf8" });
  } catch (e) {
    throw new Error(`pdftotext failed (apt-get install poppler-utils): ${(e as Error).message}`);
  }
}

describe("verification certificate (存证证书)", () => {
  it("states the evidence facts in Chinese and English, is sealed and signed, and names the way to check it", async () => {
    const { ledger, clock } = await openTestLedger();
    const cert = createPdfCertificate({
      commonName: "示例人民调解委员会 (TEST ONLY)",
      clock,
      randomBytes: seededBytes(5),
    });
    const pdf = createPdfTools({
      signer: pdfSignerFromPem(cert.certificatePem, cert.privateKeyPem),
      certificatePem: cert.certificatePem,
      clock,
    });
    const r = await depositEvidence(ledger, { sha256: digest(42), size: 1234, title: "聊天记录截图" });
    const out = await evidenceCertificate(ledger, r.evidenceId, {
      pdf,
      centreName: "示例人民调解委员会",
      publicUrl: "https://notarium.example.cn",
    });
    const text = pdftotext(out.pdf);
    if (process.env.NOTARIUM_WRITE_CERT) writeFileSync(process.env.NOTARIUM_WRITE_CERT, out.pdf);
    for (const s of [
      "电子数据存证证书",
      "Evidence ID",
      r.evidenceId,
      digest(42),
      r.txHash,
      "聊天记录截图",
      "notarium verify",
    ]) {
      // Long hashes wrap across lines: compare without white space.
      expect(text.replace(/\s+/g, ""), s).toContain(s.replace(/\s+/g, ""));
    }
    expect(text).toContain("the log has no witnesses configured");
    // With court witnesses that have not cosigned this entry's checkpoint yet: "not yet", not "none".
    const early = await evidenceCertificate(ledger, r.evidenceId, {
      pdf,
      centreName: "示例人民调解委员会",
      publicUrl: "https://notarium.example.cn",
      cosignatures: () => [],
    });
    const earlyText = pdftotext(early.pdf);
    expect(earlyText).toContain("尚未见证 not yet cosigned");
    expect(earlyText).not.toContain("no witnesses configured");
    const v = await verifySealedPdf(out.pdf, { certificatePem: cert.certificatePem });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(JSON.parse(new TextDecoder().decode(v.proofJson)).receipt.evidenceId).toBe(r.evidenceId);
    await expect(
      evidenceCertificate(ledger, "NTR-0000000000000000", { pdf, centreName: "x", publicUrl: "http://x" }),
    ).rejects.toMatchObject({ code: "EVIDENCE_NOT_FOUND" });
  }, 60_000);
});
