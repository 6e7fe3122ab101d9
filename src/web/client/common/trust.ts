import { parsePolicy, type TlogPolicy } from "../../../crypto/tlog-policy.js";
import { apiJson } from "./api.js";

/** What the log publishes at GET /api/v1/log/keys, with its policy parsed for the verifiers. */
export interface LogTrust {
  origin: string;
  verifierKey: string;
  policyText: string;
  policy: TlogPolicy;
  /** PEM of the PDF seal certificate, or null until sealing is configured. */
  pdfCertificate: string | null;
}

let pending: Promise<LogTrust> | undefined;

/**
 * The trust policy every proof on these pages is checked against. It comes
 * from the same service (trust on first use); the pages show the log key so
 * a careful reader can compare it with the one the centre publishes.
 */
export function logTrust(): Promise<LogTrust> {
  pending ??= apiJson<{ origin: string; verifierKey: string; policy: string; pdfCertificate: string | null }>(
    "/api/v1/log/keys",
  ).then((k) => ({
    origin: k.origin,
    verifierKey: k.verifierKey,
    policyText: k.policy,
    policy: parsePolicy(k.policy),
    pdfCertificate: k.pdfCertificate ?? null,
  }));
  pending.catch(() => {
    pending = undefined; // let a later attempt retry
  });
  return pending;
}
