import { Level } from "level";
import { fromBase64, toBase64, toHex, utf8 } from "../core/bytes.js";
import { KeyedLock } from "../core/keyed-lock.js";
import { sha256 } from "../crypto/sha256.js";
import { CONCLUSIVE } from "../witness/misbehaviour.js";
import {
  LEADS_KEPT,
  MISBEHAVIOUR_PAGE,
  type MisbehaviourDetails,
  type MisbehaviourReason,
  type MisbehaviourRecord,
  type WitnessState,
  type WitnessStore,
} from "../witness/witness-store.js";
import { openLevelDb } from "./level-open.js";

/*
 * A court witness's state in its own LevelDB (<witness data>/state), JSON values:
 *   state!<origin>        -> {size, root (base64), note?}   latest cosigned checkpoint
 *   evidence!<seq, 16 d>  -> MisbehaviourRecord              conclusive records (fork, bad empty root), oldest first
 *   lead!<seq, 16 d>      -> MisbehaviourRecord              the other refused-but-signed checkpoints, newest LEADS_KEPT
 *   evkey!<sha256 hex>    -> <its record's key>              dedupe of (origin, reason, note)
 *   meta!layout           -> "2"                              leads moved out of evidence! (older data)
 * Origins are never deleted (a witness that forgot a log could be made to cosign a fork).
 * Conclusive records need the log's key to make, so they are kept for ever; leads (a
 * smaller checkpoint, a bad proof) can be made by anyone replaying the log's old
 * checkpoints, so only the newest are kept, and they never crowd out a conclusive one.
 */
interface StoredState {
  size: number;
  root: string;
  note?: string;
}

const SEQ_DIGITS = 16;
/** Layout 2: leads under lead! (see above); older data is moved at the first open. */
const LAYOUT_KEY = "meta!layout";
const LAYOUT = "2";
type Op = { type: "put"; key: string; value: string } | { type: "del"; key: string };
const seqKey = (prefix: string, seq: number) => `${prefix}${String(seq).padStart(SEQ_DIGITS, "0")}`;
const dedupeKey = (r: { origin: string; reason: string; note: string }) =>
  `evkey!${toHex(sha256(utf8(`${r.origin}\n${r.reason}\n${r.note}`)))}`;

export class LevelWitnessStore implements WitnessStore {
  private readonly db: Level<string, string>;
  // LevelDB has no transactions, and the directory lock keeps other processes
  // out, so an in-process lock per origin makes read-compare-write atomic.
  private readonly lock = new KeyedLock();
  private nextSeq = 0;
  private firstLead = 0;
  private nextLead = 0;

  constructor(
    readonly location: string,
    private readonly leadsKept = LEADS_KEPT,
  ) {
    this.db = new Level<string, string>(location, { keyEncoding: "utf8", valueEncoding: "utf8" });
  }

  async open(): Promise<void> {
    await openLevelDb(this.db, this.location, {
      what: "witness database",
      lockedMessage: `the witness data directory ${this.location} is in use by another process (a running witness?)`,
      mode: 0o700,
    });
    for await (const k of this.db.keys({ gte: "evidence!", lt: 'evidence"', reverse: true, limit: 1 })) {
      this.nextSeq = Number(k.slice("evidence!".length)) + 1;
    }
    for await (const k of this.db.keys({ gte: "lead!", lt: 'lead"', reverse: true, limit: 1 })) {
      this.nextLead = Number(k.slice("lead!".length)) + 1;
    }
    for await (const k of this.db.keys({ gte: "lead!", lt: 'lead"', limit: 1 })) {
      this.firstLead = Number(k.slice("lead!".length));
    }
    if ((await this.db.get(LAYOUT_KEY)) !== LAYOUT) await this.moveOldLeads();
    await this.trimLeads();
  }

  /**
   * Witness data written before leads had their own place kept them under
   * evidence!, where a flood of them would list before a later fork: moved to
   * lead!, oldest first, in batches (a crash midway moves the rest next time).
   */
  private async moveOldLeads(): Promise<void> {
    let ops: Op[] = [];
    for await (const [key, value] of this.db.iterator({ gte: "evidence!", lt: 'evidence"' })) {
      const record = JSON.parse(value) as MisbehaviourRecord;
      if (CONCLUSIVE[record.reason]) continue;
      const lead = seqKey("lead!", this.nextLead++);
      ops.push(
        { type: "del", key },
        { type: "put", key: lead, value },
        { type: "put", key: dedupeKey(record), value: lead },
      );
      if (ops.length >= 3_000) {
        await this.db.batch(ops, { sync: true });
        ops = [];
      }
    }
    ops.push({ type: "put", key: LAYOUT_KEY, value: LAYOUT });
    await this.db.batch(ops, { sync: true });
  }

  /** Drops the oldest leads beyond the cap (after a move, or a lower cap than before). */
  private async trimLeads(): Promise<void> {
    while (this.nextLead - this.firstLead > this.leadsKept) {
      const ops: Op[] = [];
      const n = Math.min(1_000, this.nextLead - this.firstLead - this.leadsKept);
      for await (const [key, value] of this.db.iterator({ gte: "lead!", lt: 'lead"', limit: n })) {
        ops.push(
          { type: "del", key },
          { type: "del", key: dedupeKey(JSON.parse(value) as MisbehaviourRecord) },
        );
        this.firstLead = Number(key.slice("lead!".length)) + 1;
      }
      if (ops.length === 0) {
        this.firstLead = this.nextLead - this.leadsKept; // no rows left below: only the count was off
        break;
      }
      await this.db.batch(ops, { sync: true });
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async get(origin: string): Promise<WitnessState | undefined> {
    const v = await this.db.get(`state!${origin}`);
    if (v === undefined) return undefined;
    const s = JSON.parse(v) as StoredState;
    return {
      size: s.size,
      root: fromBase64(s.root, "stored root"),
      ...(s.note === undefined ? {} : { note: s.note }),
    };
  }

  compareAndSwap(
    origin: string,
    expectedSize: number | undefined,
    newSize: number,
    newRoot: Uint8Array,
    note?: string,
  ): Promise<boolean> {
    return this.lock.run(`state!${origin}`, async () => {
      if ((await this.get(origin))?.size !== expectedSize) return false;
      const value: StoredState = {
        size: newSize,
        root: toBase64(newRoot),
        ...(note === undefined ? {} : { note }),
      };
      // tlog-witness §add-checkpoint: "The witness MUST persist the new checkpoint before responding".
      await this.db.put(`state!${origin}`, JSON.stringify(value), { sync: true });
      return true;
    });
  }

  recordMisbehaviour(
    origin: string,
    note: string,
    reason: MisbehaviourReason,
    details: MisbehaviourDetails,
  ): Promise<boolean> {
    return this.lock.run("evidence", async () => {
      const record: MisbehaviourRecord = { origin, reason, note, ...details };
      const dedupe = dedupeKey(record);
      if ((await this.db.get(dedupe)) !== undefined) return false;
      const conclusive = CONCLUSIVE[reason];
      const key = conclusive ? seqKey("evidence!", this.nextSeq) : seqKey("lead!", this.nextLead);
      const ops: Op[] = [
        { type: "put", key, value: JSON.stringify(record) },
        { type: "put", key: dedupe, value: key },
      ];
      const dropped = !conclusive && this.nextLead + 1 - this.firstLead > this.leadsKept;
      if (dropped) {
        const oldest = seqKey("lead!", this.firstLead);
        const old = await this.db.get(oldest);
        ops.push({ type: "del", key: oldest });
        if (old !== undefined)
          ops.push({ type: "del", key: dedupeKey(JSON.parse(old) as MisbehaviourRecord) });
      }
      await this.db.batch(ops, { sync: true });
      if (conclusive) this.nextSeq++;
      else this.nextLead++;
      if (dropped) this.firstLead++;
      return true;
    });
  }

  async listMisbehaviour(limit = MISBEHAVIOUR_PAGE): Promise<MisbehaviourRecord[]> {
    const out: MisbehaviourRecord[] = [];
    const n = Math.max(0, Math.min(limit, MISBEHAVIOUR_PAGE));
    for (const prefix of ["evidence!", "lead!"]) {
      if (out.length >= n) break;
      const range = { gte: prefix, lt: `${prefix.slice(0, -1)}"`, limit: n - out.length };
      for await (const v of this.db.values(range)) out.push(JSON.parse(v) as MisbehaviourRecord);
    }
    return out;
  }
}
