import { mkdir } from "node:fs/promises";
import { Level } from "level";
import { ConflictError, StorageError } from "../core/errors.js";
import type { CaseRecord } from "../esign/case.js";
import type { InvitationRecord } from "../esign/invitation.js";
import type { CaseStore, IdentityRecord, IdentityStore } from "../esign/ports.js";

/*
 * Mutable service state in its own LevelDB (data/state), JSON values:
 *   case!<id>                 -> CaseRecord
 *   inv!<tokenHash>           -> InvitationRecord
 *   invcase!<caseId>!<hash>   -> "" (invitations of a case)
 *   identity!<caseId>!<signer>-> IdentityRecord (erasable personal data)
 * Nothing here is evidence: the log is. Identity records are deleted outright on erase.
 */
export class LevelStateStore implements CaseStore, IdentityStore {
  private readonly db: Level<string, string>;

  constructor(readonly location: string) {
    this.db = new Level<string, string>(location, { keyEncoding: "utf8", valueEncoding: "utf8" });
  }

  async open(): Promise<void> {
    try {
      await mkdir(this.location, { recursive: true });
      await this.db.open();
    } catch (cause) {
      const code = (cause as { cause?: { code?: string } }).cause?.code;
      throw new StorageError(
        code === "LEVEL_LOCKED" ? "DATA_DIR_LOCKED" : "STORAGE_FAILURE",
        code === "LEVEL_LOCKED"
          ? `the data directory ${this.location} is in use by another process (a running service?); stop it, or talk to it with --server URL`
          : `cannot open the state database at ${this.location}`,
        { cause },
      );
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /**
   * A point read, synchronous: this store is small and hot (cases, invitations), and an
   * async read costs a thread-pool round trip (tens of µs under load) against about 2 µs
   * here, on every signature and invitation request.
   */
  private async getJson<T>(key: string): Promise<T | undefined> {
    const v = this.db.getSync(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  getCase(id: string): Promise<CaseRecord | undefined> {
    return this.getJson<CaseRecord>(`case!${id}`);
  }

  // Writers are serialised per case by the service; this check catches anything that slips past.
  async putCase(c: CaseRecord, expectedVersion: number): Promise<void> {
    const current = await this.getCase(c.id);
    if ((current?.version ?? 0) !== expectedVersion) {
      throw new ConflictError("CONFLICT", `case ${c.id} changed meanwhile; retry`);
    }
    await this.db.put(`case!${c.id}`, JSON.stringify({ ...c, version: expectedVersion + 1 }), { sync: true });
  }

  async listCases(limit = 200): Promise<CaseRecord[]> {
    const out: CaseRecord[] = [];
    for await (const v of this.db.values({ gte: "case!", lt: 'case"', limit }))
      out.push(JSON.parse(v) as CaseRecord);
    return out;
  }

  getInvitation(tokenHash: string): Promise<InvitationRecord | undefined> {
    return this.getJson<InvitationRecord>(`inv!${tokenHash}`);
  }

  async putInvitation(inv: InvitationRecord): Promise<void> {
    await this.db.batch(
      [
        { type: "put", key: `inv!${inv.tokenHash}`, value: JSON.stringify(inv) },
        { type: "put", key: `invcase!${inv.caseId}!${inv.tokenHash}`, value: "" },
      ],
      { sync: true },
    );
  }

  async listInvitations(caseId: string): Promise<InvitationRecord[]> {
    const out: InvitationRecord[] = [];
    const prefix = `invcase!${caseId}!`;
    for await (const k of this.db.keys({ gte: prefix, lt: `${prefix}\uffff` })) {
      const inv = await this.getInvitation(k.slice(prefix.length));
      if (inv) out.push(inv);
    }
    return out;
  }

  async putIdentity(r: IdentityRecord): Promise<void> {
    await this.db.put(`identity!${r.caseId}!${r.signer}`, JSON.stringify(r), { sync: true });
  }

  getIdentity(caseId: string, signer: string): Promise<IdentityRecord | undefined> {
    return this.getJson<IdentityRecord>(`identity!${caseId}!${signer}`);
  }

  async eraseIdentity(caseId: string, signer: string): Promise<boolean> {
    const key = `identity!${caseId}!${signer}`;
    if ((await this.db.get(key)) === undefined) return false;
    await this.db.del(key, { sync: true });
    // LevelDB keeps deleted values in older files until compaction; compact the range so the data is really gone.
    await (this.db as unknown as { compactRange(a: string, b: string): Promise<void> }).compactRange(
      key,
      `${key}\uffff`,
    );
    return true;
  }
}
