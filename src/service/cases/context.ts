import type { Clock, RandomBytes } from "../../core/clock.js";
import { KeyedLock } from "../../core/keyed-lock.js";
import type { BlobStore, CaseStore, IdentityStore } from "../../esign/ports.js";
import type { Ledger } from "../../ledger/ledger.js";
import { EntryCache } from "./entry-cache.js";

/** Something that happened to a case, for webhooks. */
export interface CaseEvent {
  type:
    | "case.created"
    | "agreement.registered"
    | "agreement.signed"
    | "case.signed"
    | "identity.attested"
    | "party.key_reset"
    | "agreement.sealed";
  caseId: string;
  data: Record<string, unknown>;
}

export interface CaseServices {
  ledger: Ledger;
  cases: CaseStore;
  identities: IdentityStore;
  blobs: BlobStore;
  clock: Clock;
  randomBytes: RandomBytes;
  /** Base URL for invitation links and seals' QR codes, e.g. http://localhost:8080. */
  publicUrl: string;
  /**
   * No public URL was configured (publicUrl is only the address the service listens on,
   * often http://localhost:…, which parties' phones cannot reach): an invitation link is then
   * a path, /sign/inv_…, for the caller to complete with the address it reached the service at.
   */
  linksAsPaths?: boolean;
  /** Why a case's webhook URL could never be delivered to (e.g. a private address), or undefined. */
  webhookUrlProblem?: (url: URL) => string | undefined;
  /** How far a signer's asserted time may be from the server's clock. */
  signatureToleranceMs: number;
  invitationTtlMs: number;
  /** Receives case events after they are recorded (webhook delivery). */
  onEvent?: (e: CaseEvent) => void;
  locks: KeyedLock;
  /** Parsed entries of the signed tree, which never change. */
  entries: EntryCache;
}

export function caseServices(
  o: Omit<CaseServices, "locks" | "entries" | "signatureToleranceMs" | "invitationTtlMs"> &
    Partial<Pick<CaseServices, "signatureToleranceMs" | "invitationTtlMs">>,
): CaseServices {
  return {
    signatureToleranceMs: 10 * 60 * 1000,
    invitationTtlMs: 14 * 24 * 3600 * 1000,
    ...o,
    locks: new KeyedLock(),
    entries: new EntryCache(),
  };
}
