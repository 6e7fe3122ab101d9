import { fromUtf8 } from "../core/bytes.js";
import type { TlogPolicy } from "../crypto/tlog-policy.js";
import { type PackageCheck, parseCasePackage, verifyCasePackage } from "./case-package.js";

/** What the PDF layer reports about a sealed file (src/pdf verifySealedPdf), as the domain needs it. */
export interface SealedPdfFacts {
  valid: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  originalSha256?: string;
  proofJson?: Uint8Array;
}

export interface SealedAgreementVerification {
  valid: boolean;
  case?: string;
  document?: string;
  signers: { signer: string; role: string; time: string; index: number }[];
  checks: PackageCheck[];
}

/**
 * Everything a sealed agreement must satisfy, offline: the PDF checks (the
 * signature covers the whole file, the original is an unchanged prefix), the
 * embedded proof is a case package whose every entry is proved under the
 * policy, the prefix is exactly the registered agreement, and every party
 * signed it. `sealRecorded`, when the ledger is at hand, says whether an
 * `agreement.sealed` entry records this very file.
 */
export function verifySealedAgreement(
  pdf: SealedPdfFacts,
  opts: { policy: TlogPolicy; sealRecorded?: boolean },
): SealedAgreementVerification {
  const checks: PackageCheck[] = [...pdf.checks];
  if (!pdf.proofJson) {
    checks.push({
      name: "embedded-proof",
      ok: false,
      detail:
        "the PDF carries no notarium-proof.json: it was not sealed by Notarium, or it is incomplete (cut short, not fully downloaded)",
    });
    return { valid: false, signers: [], checks };
  }
  let text: string;
  try {
    text = fromUtf8(pdf.proofJson);
  } catch {
    text = "";
  }
  const pkg = verifyCasePackage(parseCasePackage(text), {
    policy: opts.policy,
    ...(pdf.originalSha256 ? { agreementSha256: pdf.originalSha256 } : {}),
  });
  checks.push(
    ...pkg.checks.map((c) => ({ ...c, name: c.name === "document" ? "original-is-registered" : c.name })),
  );
  if (opts.sealRecorded !== undefined) {
    checks.push({
      name: "seal-recorded",
      ok: opts.sealRecorded,
      detail: opts.sealRecorded
        ? "the ledger records the sealing of this exact file"
        : "no agreement.sealed entry records this file's SHA-256",
    });
  }
  return {
    valid: pdf.valid && pkg.valid && opts.sealRecorded !== false && checks.every((c) => c.ok),
    case: pkg.case || undefined,
    document: pkg.document,
    signers: pkg.signers,
    checks,
  };
}
