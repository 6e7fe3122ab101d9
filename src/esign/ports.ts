import type { JsonObject } from "../ledger/entry.js";
import type { CaseRecord } from "./case.js";
import type { InvitationRecord } from "./invitation.js";

/** Case metadata and invitations. `putCase` is compare-and-swap on `version`. */
export interface CaseStore {
  getCase(id: string): Promise<CaseRecord | undefined>;
  /** Writes `c` (with version = expectedVersion + 1); CONFLICT if the stored version differs. */
  putCase(c: CaseRecord, expectedVersion: number): Promise<void>;
  listCases(limit?: number): Promise<CaseRecord[]>;
  getInvitation(tokenHash: string): Promise<InvitationRecord | undefined>;
  putInvitation(inv: InvitationRecord): Promise<void>;
  listInvitations(caseId: string): Promise<InvitationRecord[]>;
}

/** Personal data behind identity commitments; erasable. */
export interface IdentityRecord {
  caseId: string;
  signer: string;
  /** Hex salt of the commitment. */
  salt: string;
  identity: JsonObject;
  method: string;
  attestedBy: string;
  attestedAt: string;
}

export interface IdentityStore {
  putIdentity(r: IdentityRecord): Promise<void>;
  getIdentity(caseId: string, signer: string): Promise<IdentityRecord | undefined>;
  /** Deletes the salt and data; true when something was deleted. */
  eraseIdentity(caseId: string, signer: string): Promise<boolean>;
}

/** Content-addressed files (registered agreements, sealed PDFs). */
export interface BlobStore {
  /** Stores bytes durably; returns their lowercase hex SHA-256. */
  putBlob(bytes: Uint8Array): Promise<string>;
  getBlob(sha256: string): Promise<Uint8Array | undefined>;
}
