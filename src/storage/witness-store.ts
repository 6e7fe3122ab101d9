import { Level } from "level";
import { fromBase64, toBase64, toHex, utf8 } from "../core/bytes.js";
import { KeyedLock } from "../core/keyed-lock.js";
import { sha256 } from "../crypto/sha256.js";
import {
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
 *   evidence!<seq, 16 d>  -> MisbehaviourRecord              refused-but-signed checkpoints, oldest first
 *   evkey!<sha256 hex>    -> <seq>                           dedupe of (origin, reason, note)
 * Origins are never deleted (a witness that forgot a log could be made to cosign a fork).
 */
interface StoredState {
  size: number;
  root: string;
  note?: string;
}

const SEQ_DIGITS = 16;

export class LevelWitnessStore implements WitnessStore {
  private readonly db: Level<string, string>;
  // LevelDB has no transactions, and the directory lock keeps other processes
  // out, so an in-process lock per origin makes read-compare-write atomic.
  private readonly lock = new KeyedLock();
  private nextSeq = 0;

  constructor(readonly location: string) {
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
  ): Promise<void> {
    return this.lock.run("evidence", async () => {
      const dedupe = `evkey!${toHex(sha256(utf8(`${origin}\n${reason}\n${note}`)))}`;
      if ((await this.db.get(dedupe)) !== undefined) return;
      const seq = String(this.nextSeq).padStart(SEQ_DIGITS, "0");
      const record: MisbehaviourRecord = { origin, reason, note, ...details };
      await this.db.batch(
        [
          { type: "put", key: `evidence!${seq}`, value: JSON.stringify(record) },
          { type: "put", key: dedupe, value: seq },
        ],
        { sync: true },
      );
      this.nextSeq++;
    });
  }

  async listMisbehaviour(limit = MISBEHAVIOUR_PAGE): Promise<MisbehaviourRecord[]> {
    const out: MisbehaviourRecord[] = [];
    const n = Math.max(0, Math.min(limit, MISBEHAVIOUR_PAGE));
    if (n === 0) return out;
    for await (const v of this.db.values({ gte: "evidence!", lt: 'evidence"', limit: n })) {
      out.push(JSON.parse(v) as MisbehaviourRecord);
    }
    return out;
  }
}
