/**
 * Loaded only when a sealed PDF is dropped (a separate chunk: pdf-lib is most
 * of its weight), so the verify page's first load stays small. The very
 * modules `notarium verify` runs: verifySealedPdf for the file (PDF signature,
 * original prefix, embedded proof) and verifySealedAgreement for what it
 * proves (every entry under the policy, the registered agreement, every party).
 */
import type { TlogPolicy } from "../../../crypto/tlog-policy.js";
import { verifySealedAgreement } from "../../../esign/sealed-agreement.js";
import { verifySealedPdf } from "../../../pdf/verify-sealed-pdf.js";
import type { SealedSummary, StepCheck } from "./outcome.js";

export async function checkSealedPdf(
  bytes: Uint8Array,
  o: { policy: TlogPolicy; certificatePem?: string; sealRecorded?: boolean },
): Promise<{ valid: boolean; checks: StepCheck[]; sealed: SealedSummary }> {
  const facts = await verifySealedPdf(bytes, o.certificatePem ? { certificatePem: o.certificatePem } : {});
  const agreement = verifySealedAgreement(facts, {
    policy: o.policy,
    ...(o.sealRecorded === undefined ? {} : { sealRecorded: o.sealRecorded }),
  });
  return {
    valid: agreement.valid,
    checks: agreement.checks,
    sealed: {
      ...(agreement.case ? { case: agreement.case } : {}),
      ...(agreement.document ? { document: agreement.document } : {}),
      signers: agreement.signers,
      ...(facts.signer ? { pdfSigner: facts.signer } : {}),
      ...(facts.originalLength === undefined ? {} : { originalLength: facts.originalLength }),
    },
  };
}
