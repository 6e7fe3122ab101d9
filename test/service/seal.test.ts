import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPdfTools } from "../../src/cli/pdf-tools.js";
import { equalBytes, toHex } from "../../src/core/bytes.js";
import { sha256 } from "../../src/crypto/sha256.js";
import { verifySealedAgreement } from "../../src/esign/sealed-agreement.js";
import { singleLogPolicy } from "../../src/ledger/verify-proof.js";
import { createPdfCertificate, pdfSignerFromPem } from "../../src/pdf/index.js";
import { createCase } from "../../src/service/cases/create-case.js";
import { getCase } from "../../src/service/cases/get-case.js";
import { registerAgreement } from "../../src/service/cases/register-agreement.js";
import { sealAgreement } from "../../src/service/cases/seal-agreement.js";
import { submitSignature } from "../../src/service/cases/submit-signature.js";
import { nodeKeyPair, openCaseServices, payload } from "../helpers/cases.js";
import { seededBytes } from "../helpers/ledger.js";

const AGREEMENT = new Uint8Array(
  readFileSync(new URL("../../fixtures/pdf/agreement-zh.pdf", import.meta.url)),
);
const TIME = "2026-11-26T10:00:00Z";

async function signedCase() {
  const s = await openCaseServices();
  const cert = await createPdfCertificate({
    commonName: "示例人民调解委员会 (TEST ONLY)",
    clock: s.clock,
    randomBytes: seededBytes(3),
  });
  const pdf = createPdfTools({
    signer: await pdfSignerFromPem(cert.certificatePem, cert.privateKeyPem),
    certificatePem: cert.certificatePem,
    clock: s.clock,
  });
  const keys = { alice: nodeKeyPair(), bob: nodeKeyPair() };
  const c = await createCase(
    s.ctx,
    {
      caseNumber: "示调字〔2026〕第0417号",
      title: "人民调解协议书",
      parties: [
        { id: "alice", role: "applicant", name: "张三", publicKey: keys.alice.publicKey },
        { id: "bob", role: "respondent", name: "李四", publicKey: keys.bob.publicKey },
      ],
    },
    "mediator-1",
  );
  const reg = await registerAgreement(s.ctx, c.id, AGREEMENT, (b) => pdf.check(b));
  const sign = (who: "alice" | "bob", role: string) =>
    submitSignature(
      s.ctx,
      c.id,
      {
        signer: who,
        time: TIME,
        signature: keys[who].sign(
          payload({ case: c.id, document: reg.sha256, role, signer: who, time: TIME }),
        ),
      },
      { kind: "mediator" },
    );
  return { ...s, c, pdf, sign, keys };
}

describe("sealing an agreement", () => {
  it("refuses while a signature is missing, then seals with the original as a prefix and records it", async () => {
    const { ctx, c, pdf, sign, ledger, key } = await signedCase();
    await sign("alice", "applicant");
    await expect(sealAgreement(ctx, c.id, { pdf, centreName: "示例人民调解委员会" })).rejects.toMatchObject({
      code: "SIGNATURES_MISSING",
    });
    await sign("bob", "respondent");
    const sealed = await sealAgreement(ctx, c.id, { pdf, centreName: "示例人民调解委员会" });
    expect(sealed.created).toBe(true);
    expect(equalBytes(sealed.pdf.subarray(0, AGREEMENT.length), AGREEMENT)).toBe(true);
    expect((await getCase(ctx, c.id)).status).toBe("sealed");

    const policy = singleLogPolicy(key.verifierKey);
    const recorded = (await ledger.storage.findByDigest(sha256(sealed.pdf))).length > 0;
    const v = verifySealedAgreement(await pdf.verifySealed(sealed.pdf), { policy, sealRecorded: recorded });
    expect(v.checks.filter((x) => !x.ok)).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.signers.map((x) => x.signer)).toEqual(["alice", "bob"]);

    const size = ledger.size;
    const again = await sealAgreement(ctx, c.id, { pdf, centreName: "示例人民调解委员会" });
    expect(again.created).toBe(false);
    expect(toHex(sha256(again.pdf))).toBe(sealed.sha256);
    expect(ledger.size).toBe(size);
  }, 60_000);

  it("detects a changed byte in the original part, and a PDF that Notarium never sealed", async () => {
    const { ctx, c, pdf, sign, key } = await signedCase();
    await sign("alice", "applicant");
    await sign("bob", "respondent");
    const sealed = (await sealAgreement(ctx, c.id, { pdf, centreName: "示例人民调解委员会" })).pdf;
    const policy = singleLogPolicy(key.verifierKey);
    const tampered = sealed.slice();
    const at = 200;
    tampered[at] = (tampered[at] as number) ^ 1;
    expect(verifySealedAgreement(await pdf.verifySealed(tampered), { policy }).valid).toBe(false);
    const plain = verifySealedAgreement(await pdf.verifySealed(AGREEMENT), { policy });
    expect(plain.valid).toBe(false);
  }, 60_000);

  it("refuses to register an encrypted or broken PDF", async () => {
    const { ctx, c, pdf } = await signedCase();
    const enc = new Uint8Array(
      readFileSync(new URL("../../fixtures/pdf/encrypted-user.pdf", import.meta.url)),
    );
    await expect(registerAgreement(ctx, c.id, enc, (b) => pdf.check(b))).rejects.toMatchObject({
      code: "ENCRYPTED",
    });
    const cut = new Uint8Array(readFileSync(new URL("../../fixtures/pdf/truncated.pdf", import.meta.url)));
    await expect(registerAgreement(ctx, c.id, cut, (b) => pdf.check(b))).rejects.toMatchObject({
      code: "CORRUPT",
    });
  });
});
