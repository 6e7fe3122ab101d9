import { toHex } from "../core/bytes.js";
import { ConflictError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";
import type { CaseRecord } from "../esign/case.js";
import type { InvitationRecord } from "../esign/invitation.js";
import type { BlobStore, CaseStore, IdentityRecord, IdentityStore } from "../esign/ports.js";

/** In-memory case, invitation, identity and blob stores for tests. */
export class MemoryStateStore implements CaseStore, IdentityStore, BlobStore {
  private cases = new Map<string, string>();
  private invitations = new Map<string, InvitationRecord>();
  private identities = new Map<string, IdentityRecord>();
  private blobs = new Map<string, Uint8Array>();

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const v = this.cases.get(id);
    return v === undefined ? undefined : (JSON.parse(v) as CaseRecord);
  }

  async putCase(c: CaseRecord, expectedVersion: number): Promise<void> {
    const current = await this.getCase(c.id);
    if ((current?.version ?? 0) !== expectedVersion)
      throw new ConflictError("CONFLICT", `case ${c.id} changed meanwhile`);
    this.cases.set(c.id, JSON.stringify({ ...c, version: expectedVersion + 1 }));
  }

  async listCases(limit = 200): Promise<CaseRecord[]> {
    return [...this.cases.values()].slice(0, limit).map((v) => JSON.parse(v) as CaseRecord);
  }

  async getInvitation(tokenHash: string): Promise<InvitationRecord | undefined> {
    const v = this.invitations.get(tokenHash);
    return v && { ...v };
  }

  async putInvitation(inv: InvitationRecord): Promise<void> {
    this.invitations.set(inv.tokenHash, { ...inv });
  }

  async listInvitations(caseId: string): Promise<InvitationRecord[]> {
    return [...this.invitations.values()].filter((i) => i.caseId === caseId);
  }

  async putIdentity(r: IdentityRecord): Promise<void> {
    this.identities.set(`${r.caseId}!${r.signer}`, structuredClone(r));
  }

  async getIdentity(caseId: string, signer: string): Promise<IdentityRecord | undefined> {
    const r = this.identities.get(`${caseId}!${signer}`);
    return r && structuredClone(r);
  }

  async eraseIdentity(caseId: string, signer: string): Promise<boolean> {
    return this.identities.delete(`${caseId}!${signer}`);
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    const h = toHex(sha256(bytes));
    this.blobs.set(h, bytes.slice());
    return h;
  }

  async getBlob(h: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(h)?.slice();
  }
}
