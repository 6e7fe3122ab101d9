/**
 * The witness's persistent state, as a port (implemented in memory for tests
 * and on LevelDB in `storage/witness-store.ts`).
 *
 * c2sp.org/tlog-witness v1.0.0 §add-checkpoint: "For each log, uniquely
 * identified by its origin line, the witness is only required to keep track
 * of the latest checkpoint it observed and verified", and checking the old
 * size and persisting the new checkpoint "must be performed atomically".
 */

/** The latest cosigned checkpoint of one log. */
export interface WitnessState {
  size: number;
  /** The 32-byte root hash. */
  root: Uint8Array;
  /** The signed checkpoint as submitted (kept so that a later fork can be shown beside it). */
  note?: string;
}

/**
 * Why a signed checkpoint was refused and kept (§add-checkpoint: the witness
 * "MAY log the request … as it might be proof of log misbehavior"):
 * - `fork`: same size as the cosigned checkpoint, another root (a split view, on its own proof);
 * - `bad-empty-root`: a size-0 checkpoint whose root is not SHA-256("") (no honest log signs it);
 * - `rollback`: smaller than a checkpoint already cosigned (a split view if the log presents it as current);
 * - `bad-proof`: the consistency proof did not verify (weakest: anyone may attach a bad proof).
 */
export type MisbehaviourReason = "fork" | "bad-empty-root" | "rollback" | "bad-proof";

export interface MisbehaviourDetails {
  /** When the witness refused it (ISO 8601). */
  recordedAt: string;
  /** The refusal's error code and HTTP status. */
  code: string;
  status: number;
  /** The cosigned checkpoint it contradicts, when the witness has one. */
  conflictsWith?: string;
  /** The request's old size and proof lines (base64), so a reviewer can recheck a `bad-proof`. */
  oldSize?: number;
  proof?: string[];
}

export interface MisbehaviourRecord extends MisbehaviourDetails {
  origin: string;
  reason: MisbehaviourReason;
  /** The refused checkpoint, with the log's valid signature. */
  note: string;
}

export interface WitnessStore {
  open(): Promise<void>;
  close(): Promise<void>;
  /** The latest cosigned checkpoint for `origin`, or undefined if the witness never cosigned one. */
  get(origin: string): Promise<WitnessState | undefined>;
  /**
   * Atomically: if the stored size is `expectedSize` (undefined: nothing
   * stored), store (newSize, newRoot, note) and resolve true; otherwise change
   * nothing and resolve false. Durable before it resolves true.
   *
   * Comparing sizes suffices: the witness only ever stores a larger size, or
   * the same size with the same root, so a size is never stored twice with
   * different roots and never comes back once left.
   */
  compareAndSwap(
    origin: string,
    expectedSize: number | undefined,
    newSize: number,
    newRoot: Uint8Array,
    note?: string,
  ): Promise<boolean>;
  /**
   * Keeps a refused-but-signed checkpoint as evidence. Recording the same
   * (origin, reason, note) again keeps the first record, so replays cannot
   * grow the store beyond what the log actually signed.
   */
  recordMisbehaviour(
    origin: string,
    note: string,
    reason: MisbehaviourReason,
    details: MisbehaviourDetails,
  ): Promise<boolean>;
  /**
   * Kept evidence, at most `limit` records: the conclusive ones (fork, bad
   * empty root) first, then the newest LEADS_KEPT others, each oldest first.
   * `recordMisbehaviour` resolves false for a record it already holds.
   */
  listMisbehaviour(limit?: number): Promise<MisbehaviourRecord[]>;
}

/**
 * Leads (a smaller checkpoint, a bad proof) kept at most: anyone can make them
 * by replaying the log's old checkpoints, so older ones are dropped.
 */
export const LEADS_KEPT = 10_000;

/** Default and largest page of `listMisbehaviour`. */
export const MISBEHAVIOUR_PAGE = 1000;
