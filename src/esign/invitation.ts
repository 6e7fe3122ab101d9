import { toBase64, toHex, utf8 } from "../core/bytes.js";
import type { RandomBytes } from "../core/clock.js";
import { sha256 } from "../crypto/sha256.js";

/** A single-case capability for one party: read the agreement, bind a key once, sign as itself. */
export interface InvitationRecord {
  /** Hex SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  caseId: string;
  signer: string;
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
}

export const INVITATION_PREFIX = "inv_";

export function createInvitationToken(randomBytes: RandomBytes): string {
  return `${INVITATION_PREFIX}${toBase64(randomBytes(32)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

export function isInvitationToken(t: unknown): t is string {
  return typeof t === "string" && /^inv_[A-Za-z0-9_-]{43}$/.test(t);
}

export function hashInvitationToken(token: string): string {
  return toHex(sha256(utf8(token)));
}

export type InvitationProblem = "revoked" | "expired" | undefined;

export function invitationProblem(inv: InvitationRecord, now: Date): InvitationProblem {
  if (inv.revoked) return "revoked";
  if (Date.parse(inv.expiresAt) <= now.getTime()) return "expired";
  return undefined;
}
