/** A party to a mediation case (DESIGN §5): who must sign, in which role. */
export interface Party {
  id: string;
  role: string;
  /** Display name; kept in the case store, never on the log. */
  name: string;
  /** The party's Ed25519 public key (hex), once known; bound at most once. */
  publicKey?: string;
}

export type SigningOrder = "parallel" | "sequential";

export interface RegisteredAgreement {
  sha256: string;
  size: number;
  evidenceId: string;
  index: number;
  registeredAt: string;
}

/** Mutable case metadata. Everything provable (registration, signatures, seal) lives on the log. */
export interface CaseRecord {
  id: string;
  caseNumber: string;
  title: string;
  /** Name of the mediator token that created the case. */
  mediator: string;
  parties: Party[];
  signingOrder: SigningOrder;
  createdAt: string;
  agreement?: RegisteredAgreement;
  /** Where case events are delivered, with the HMAC secret that signs them. */
  webhook?: { url: string; secret: string };
  /** Optimistic-concurrency version, bumped on every write. */
  version: number;
}

export function findParty(c: CaseRecord, signer: string): Party | undefined {
  return c.parties.find((p) => p.id === signer);
}

/** The public view of a case: no webhook secret. */
export function publicCase(
  c: CaseRecord,
): Omit<CaseRecord, "webhook" | "version"> & { webhook?: { url: string } } {
  const { webhook, version: _version, ...rest } = c;
  return webhook ? { ...rest, webhook: { url: webhook.url } } : rest;
}
