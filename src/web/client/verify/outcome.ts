import type { CheckedRecord } from "../common/checked-record.js";

/** One step of a verification, as the verifiers report it (name, outcome, technical detail). */
export interface StepCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SealedSummary {
  case?: string;
  document?: string;
  signers: { signer: string; role: string; time: string; index: number }[];
  pdfSigner?: { subject: string; certificateSha256: string };
  originalLength?: number;
}

/** Everything the result panel shows. */
export interface VerifyOutcome {
  kind: "file" | "sealed" | "evidence";
  valid: boolean;
  fileName?: string;
  size?: number;
  sha256?: string;
  checks: StepCheck[];
  records: CheckedRecord[];
  sealed?: SealedSummary;
}
