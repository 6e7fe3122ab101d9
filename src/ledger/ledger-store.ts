import type { NodeId } from "../merkle/node-id.js";

/** A stored, signed checkpoint: one block of the log. */
export interface StoredCheckpoint {
  /** Sequence number of the block; the first block is 0. */
  blockHeight: number;
  /** Tree size the checkpoint commits to. */
  size: number;
  /** The signed note text (c2sp.org/tlog-checkpoint in c2sp.org/signed-note). */
  note: string;
  /** When the block was written (ISO 8601). */
  time: string;
}

export interface StoredEntry {
  index: number;
  /** Leaf data: the canonical entry JSON, byte for byte. */
  data: Uint8Array;
  /** The stored leaf hash, when the store keeps it beside the entry (as LevelDB does). */
  leafHash?: Uint8Array;
}

/** Everything one group commit makes durable, written atomically. */
export interface BlockWrite {
  entries: readonly StoredEntry[];
  /** Every Merkle node completed by this block, level 0 (leaf hashes) included. */
  nodes: readonly { level: number; index: number; hash: Uint8Array }[];
  /** Lookup keys: the SHA-256 digest an entry records, if any. */
  digests: readonly { sha256: Uint8Array; index: number }[];
  /** Lookup keys: the evidence-ID prefix (first 10 bytes of the leaf hash). */
  ids: readonly { id: Uint8Array; index: number }[];
  /** Lookup keys: references such as `case:<id>` (no NUL characters), for entries about one thing. */
  refs: readonly { ref: string; index: number }[];
  checkpoint: StoredCheckpoint;
}

/**
 * The ledger's persistence port. `appendBlock` is atomic and durable before it
 * resolves: after a crash, a block is either entirely present or absent.
 * Implementations never interpret entries; all checking is done by the ledger.
 */
export interface LedgerStore {
  open(): Promise<void>;
  close(): Promise<void>;

  getMeta(name: string): Promise<string | undefined>;
  /** Durable write of a metadata value (origin, format version). */
  putMeta(name: string, value: string): Promise<void>;

  appendBlock(block: BlockWrite): Promise<void>;

  /** The newest block, or undefined for an empty log. */
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  getCheckpoint(blockHeight: number): Promise<StoredCheckpoint | undefined>;
  /** The first block whose tree contains `index` (the block that recorded it). */
  checkpointCovering(index: number): Promise<StoredCheckpoint | undefined>;
  /**
   * Tree sizes of the newest `count` blocks (all, if there are fewer), for locating
   * recent entries' blocks in memory: `sizes[i]` is block `fromHeight + i`'s, a hole
   * where the store lacks one.
   */
  recentBlockSizes(count: number): Promise<{ fromHeight: number; sizes: number[] }>;
  /** The block index (what checkpointCovering and recentBlockSizes read), in block order, for audits. */
  iterateBlockIndex(): AsyncIterable<{ size: number; blockHeight: number }>;
  /** Blocks in height order starting at `fromHeight`. */
  iterateCheckpoints(fromHeight?: number): AsyncIterable<StoredCheckpoint>;

  getEntry(index: number): Promise<Uint8Array | undefined>;
  /** An entry with its stored leaf hash, in one read. */
  getEntryWithLeaf(index: number): Promise<Required<StoredEntry> | undefined>;
  /** Entries [from, from+limit) in index order; stops early at the end of the log. */
  iterateEntries(from?: number, limit?: number): AsyncIterable<StoredEntry>;
  /**
   * Up to `limit` stored entries from `from` on, in one read, in index order.
   * For speed a store may number them by position rather than by key, so a
   * gap in a damaged log shows as a row whose own `index` field is too high:
   * callers checking integrity compare the two.
   */
  readEntries(from: number, limit: number): Promise<StoredEntry[]>;

  /** Stored hashes of perfect subtrees, in the order asked; throws StorageError if any is missing. */
  getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]>;
  /**
   * Hashes of the stored nodes [from, from+count) of one level, in index order,
   * in one range read. If some are missing there are fewer and the later ones
   * move up: a caller that finds a mismatch asks getNodes about that node.
   */
  readNodeRange(level: number, from: number, count: number): Promise<Uint8Array[]>;
  /** Every stored node of a level, in index order (for audits). */
  iterateNodes(level: number): AsyncIterable<{ index: number; hash: Uint8Array }>;

  findByDigest(sha256: Uint8Array, limit?: number): Promise<number[]>;
  findById(id: Uint8Array): Promise<number | undefined>;
  /** Indices of the entries tagged with `ref`, in index order. */
  findByRef(ref: string, limit?: number): Promise<number[]>;
}
