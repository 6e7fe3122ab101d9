import { dirname, join } from "node:path";
import { Level } from "level";
import { ConflictError } from "../core/errors.js";
import type { CaseRecord } from "../esign/case.js";
import type { InvitationRecord } from "../esign/invitation.js";
import type { CaseStore, IdentityRecord, IdentityStore } from "../esign/ports.js";
import { IdentityFiles } from "./identity-files.js";
import { dataDirInUse, openLevelDb } from "./level-open.js";

/*
 * Mutable service state in its own LevelDB (data/state), JSON values:
 *   case!<id>                 -> CaseRecord
 *   inv!<tokenHash>           -> InvitationRecord
 *   invcase!<caseId>!<hash>   -> "" (invitations of a case)
 * Nothing here is evidence: the log is. Identity records (erasable personal data) are
 * files of their own beside this database (identity-files.ts): a value deleted from
 * LevelDB can outlive its deletion in older table files. Records that an earlier
 * version kept here under identity!<caseId>!<signer> move there on open.
 */
/** Freezes `o` and everything in it, so a cached record can be shared safely. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const MAX_CACHED_CASES = 10_000;

export class LevelStateStore implements CaseStore, IdentityStore {
  private readonly db: Level<string, string>;
  /**
   * Parsed case records, frozen and shared: every signature reads its case (and the
   * webhook dispatcher reads it again), and parsing a ten-party record costs more
   * than the read. This store is the only writer, so putCase keeps it current.
   */
  readonly #cases = new Map<string, CaseRecord>();

  readonly #identities: IdentityFiles;

  /** `identitiesDir`: where identity records live (default: `identities` beside `location`). */
  constructor(
    readonly location: string,
    identitiesDir = join(dirname(location), "identities"),
  ) {
    this.db = new Level<string, string>(location, { keyEncoding: "utf8", valueEncoding: "utf8" });
    this.#identities = new IdentityFiles(identitiesDir);
  }

  async open(): Promise<void> {
    await openLevelDb(this.db, this.location, {
      what: "state database",
      lockedMessage: dataDirInUse(this.location),
      mode: 0o700, // parties' names: LevelDB's own files are world-readable (0644)
    });
    try {
      await this.#identities.open();
      await this.#moveIdentities();
    } catch (e) {
      await this.db.close();
      throw e;
    }
  }

  /** Moves identity records an earlier version kept in this database to their files (each file first, synced). */
  async #moveIdentities(): Promise<void> {
    const old: string[] = [];
    for await (const [k, v] of this.db.iterator({ gte: "identity!", lt: "identity!\uffff" })) {
      await this.#identities.putIdentity(JSON.parse(v) as IdentityRecord);
      old.push(k);
    }
    if (old.length === 0) return;
    await this.db.batch(
      old.map((key) => ({ type: "del" as const, key })),
      { sync: true },
    );
    // Best effort for the moved values: LevelDB rewrites only the levels a manual compaction reaches.
    await (this.db as unknown as { compactRange(a: string, b: string): Promise<void> }).compactRange(
      "identity!",
      "identity!\uffff",
    );
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

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const cached = this.#cases.get(id);
    if (cached) return cached;
    const c = await this.getJson<CaseRecord>(`case!${id}`);
    if (c) this.#remember(deepFreeze(c));
    return c;
  }

  #remember(c: CaseRecord): void {
    this.#cases.delete(c.id);
    if (this.#cases.size >= MAX_CACHED_CASES) this.#cases.delete(this.#cases.keys().next().value as string);
    this.#cases.set(c.id, c);
  }

  // Writers are serialised per case by the service; this check catches anything that slips past.
  async putCase(c: CaseRecord, expectedVersion: number): Promise<void> {
    const current = await this.getCase(c.id);
    if ((current?.version ?? 0) !== expectedVersion) {
      throw new ConflictError("CONFLICT", `case ${c.id} changed meanwhile; retry`);
    }
    const next = { ...c, version: expectedVersion + 1 };
    const json = JSON.stringify(next);
    try {
      await this.db.put(`case!${c.id}`, json, { sync: true });
    } catch (e) {
      this.#cases.delete(c.id);
      throw e;
    }
    this.#remember(deepFreeze(JSON.parse(json) as CaseRecord));
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

  putIdentity(r: IdentityRecord): Promise<void> {
    return this.#identities.putIdentity(r);
  }

  getIdentity(caseId: string, signer: string): Promise<IdentityRecord | undefined> {
    return this.#identities.getIdentity(caseId, signer);
  }

  eraseIdentity(caseId: string, signer: string): Promise<boolean> {
    return this.#identities.eraseIdentity(caseId, signer);
  }
}
