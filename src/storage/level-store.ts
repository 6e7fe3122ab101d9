import { resolve } from "node:path";
import { Level } from "level";
import { concatBytes, fromUtf8, readU64be, u64be, utf8, writeU64be } from "../core/bytes.js";
import { StorageError } from "../core/errors.js";
import type { BlockWrite, LedgerStore, StoredCheckpoint, StoredEntry } from "../ledger/ledger-store.js";
import type { NodeId } from "../merkle/node-id.js";
import { dataDirInUse, openLevelDb } from "./level-open.js";
import { LevelRowReader, packedRow } from "./level-row-reader.js";

/*
 * Key layout (binary keys, big-endian integers so byte order is numeric order):
 *   'e' u64 index              -> leaf hash (32 bytes) || entry bytes (leaf data)
 *   'n' u8 level u64 index     -> 32-byte hash of a perfect subtree, levels >= 1
 * Level-0 nodes (leaf hashes) live in front of their entry: one put per entry fewer.
 *   'd' sha256[32] u64 index   -> (empty): entries recording that digest
 *   'i' id[10]                 -> u64 index: evidence-ID prefix lookup
 *   'r' ref 0x00 u64 index     -> (empty): entries tagged with a reference (e.g. case:<id>)
 *   'b' u64 blockHeight        -> JSON {size, note, time}
 *   's' u64 size               -> u64 blockHeight (first block covering an index)
 *   'm' name                   -> UTF-8 metadata value
 */
const P = {
  entry: 0x65,
  node: 0x6e,
  digest: 0x64,
  id: 0x69,
  ref: 0x72,
  block: 0x62,
  size: 0x73,
  meta: 0x6d,
} as const;

function refPrefix(ref: string): Uint8Array {
  return concatBytes(Uint8Array.of(P.ref), utf8(ref), Uint8Array.of(0));
}
const EMPTY = new Uint8Array(0);
/** Up to this many point reads at once are done synchronously (see getNodes). */
const SYNC_READS_MAX = 64;

/** Every row of the block index ('s' u64 size -> u64 blockHeight). */
function blockIndexRows(): { gte: Uint8Array; lte: Uint8Array } {
  return { gte: key1(P.size, 0), lte: key1(P.size, Number.MAX_SAFE_INTEGER) };
}

/** An entry row's value is its leaf hash (32 bytes) followed by the entry bytes. */
function entryRow(index: number, value: Uint8Array): Required<StoredEntry> {
  return { index, data: value.subarray(32), leafHash: value.subarray(0, 32) };
}

/** The row holding a node: level 0 (leaf hashes) lives in front of its entry. */
function nodeRowKey(level: number, index: number): Uint8Array {
  return level === 0 ? key1(P.entry, index) : nodeKey(level, index);
}

/** classic-level hands back Buffers; domain code gets plain Uint8Array views (no copy). */
function view(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function key1(prefix: number, n: number): Uint8Array {
  const k = new Uint8Array(9);
  k[0] = prefix;
  writeU64be(k, 1, n);
  return k;
}

function nodeKey(level: number, index: number): Uint8Array {
  const k = new Uint8Array(10);
  k[0] = P.node;
  k[1] = level;
  writeU64be(k, 2, index);
  return k;
}

function encodeCheckpoint(c: StoredCheckpoint): Uint8Array {
  return utf8(JSON.stringify({ size: c.size, note: c.note, time: c.time }));
}

function decodeCheckpoint(blockHeight: number, v: Uint8Array): StoredCheckpoint {
  const o = JSON.parse(fromUtf8(v, "stored checkpoint")) as Omit<StoredCheckpoint, "blockHeight">;
  return { blockHeight, size: o.size, note: o.note, time: o.time };
}

/** LedgerStore on LevelDB (classic-level, the engine behind `level`). Each block is one synced batch. */
export class LevelLedgerStore implements LedgerStore {
  private readonly db: Level<Uint8Array, Uint8Array>;
  /** Worker-thread readers for bulk scans (entries, nodes), made on first use. */
  #readers: { entries: LevelRowReader; nodes: LevelRowReader } | undefined;
  #readersBroken = false;
  /** Locations open in this process (resolved paths). */
  static readonly #openHere = new Set<string>();

  constructor(readonly location: string) {
    // A larger block cache than LevelDB's 8 MB default keeps the upper Merkle levels and index blocks
    // in memory, which is what proof tail latency depends on.
    this.db = new Level<Uint8Array, Uint8Array>(location, {
      keyEncoding: "view",
      valueEncoding: "view",
      cacheSize: 64 << 20,
      // Lets the bulk readers' worker threads share this handle (level opens on construction).
      multithreading: true,
    } as ConstructorParameters<typeof Level<Uint8Array, Uint8Array>>[1]);
  }

  async open(): Promise<void> {
    const held = resolve(this.location);
    if (LevelLedgerStore.#openHere.has(held)) {
      // LevelDB's own lock only guards against other processes once handles are shared
      // between threads; two ledgers on one store in one process would fork history.
      await this.db.close().catch(() => undefined);
      throw new StorageError(
        "DATA_DIR_LOCKED",
        `the data directory ${this.location} is already open in this process`,
      );
    }
    await openLevelDb(this.db, this.location, {
      what: "ledger database",
      lockedMessage: dataDirInUse(this.location),
    });
    LevelLedgerStore.#openHere.add(held);
  }

  async close(): Promise<void> {
    if (this.db.status === "open") LevelLedgerStore.#openHere.delete(resolve(this.location));
    const readers = this.#readers;
    this.#readers = undefined;
    if (readers) await Promise.all([readers.entries.close(), readers.nodes.close()]);
    await this.db.close();
  }

  /** How bulk scans read: on worker threads, or (when those cannot start) on this thread. */
  get bulkReads(): "worker" | "direct" {
    return this.#readersBroken ? "direct" : "worker";
  }

  /**
   * Values of the rows in [gte, lte] for a bulk scan: on a worker thread when it can
   * (one packed buffer per read), otherwise on this thread (one Buffer per row).
   */
  async #bulkRead(
    which: "entries" | "nodes",
    gte: Uint8Array,
    lte: Uint8Array,
    limit: number,
  ): Promise<Uint8Array[]> {
    if (!this.#readersBroken) {
      try {
        this.#readers ??= {
          entries: new LevelRowReader(this.location),
          nodes: new LevelRowReader(this.location),
        };
        const rows = await this.#readers[which].read(gte, lte, limit);
        return Array.from(rows.ends, (_, i) => packedRow(rows, i));
      } catch {
        this.#readersBroken = true; // e.g. no worker threads here: read directly from now on
      }
    }
    const it = this.db.values({ gte, lte, limit, highWaterMarkBytes: 4 << 20 });
    try {
      return (await it.nextv(limit)).map(view);
    } finally {
      await it.close();
    }
  }

  /**
   * Point reads are synchronous: a key of the ledger is small and almost always in the
   * block cache or the page cache, where a read costs microseconds, far less than a
   * hop through the thread pool and back (which is what limited verify and proof
   * routes). Range scans and writes stay asynchronous.
   */
  private async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      const v = this.db.getSync(key);
      return v === undefined ? undefined : view(v);
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", "ledger database read failed", { cause });
    }
  }

  async getMeta(name: string): Promise<string | undefined> {
    const v = await this.get(concatBytes(Uint8Array.of(P.meta), utf8(name)));
    return v === undefined ? undefined : fromUtf8(v);
  }

  async putMeta(name: string, value: string): Promise<void> {
    await this.db.put(concatBytes(Uint8Array.of(P.meta), utf8(name)), utf8(value), { sync: true });
  }

  async appendBlock(block: BlockWrite): Promise<void> {
    // A chained batch is several times cheaper per put than the array form, and
    // LevelDB copies each key and value into the batch at put(), so one scratch
    // buffer serves every key (and every small value) of the block.
    const b = this.db.batch();
    const scratch = new Uint8Array(64);
    const leaves = new Map<number, Uint8Array>();
    for (const n of block.nodes) {
      if (n.level === 0) {
        leaves.set(n.index, n.hash);
        continue;
      }
      scratch[0] = P.node;
      scratch[1] = n.level;
      writeU64be(scratch, 2, n.index);
      b.put(scratch.subarray(0, 10), n.hash);
    }
    // One slab for every entry value of the block rather than one allocation each.
    let total = 0;
    for (const e of block.entries) total += 32 + e.data.length;
    const slab = new Uint8Array(total);
    let off = 0;
    for (const e of block.entries) {
      const leaf = leaves.get(e.index);
      if (!leaf) throw new StorageError("STORAGE_FAILURE", `entry ${e.index} comes without its leaf hash`);
      const value = slab.subarray(off, off + 32 + e.data.length);
      off += value.length;
      value.set(leaf);
      value.set(e.data, 32);
      scratch[0] = P.entry;
      writeU64be(scratch, 1, e.index);
      b.put(scratch.subarray(0, 9), value);
    }
    for (const d of block.digests) {
      scratch[0] = P.digest;
      scratch.set(d.sha256, 1);
      writeU64be(scratch, 33, d.index);
      b.put(scratch.subarray(0, 41), EMPTY);
    }
    for (const d of block.ids) {
      scratch[0] = P.id;
      scratch.set(d.id, 1);
      writeU64be(scratch, 11, d.index);
      b.put(scratch.subarray(0, 1 + d.id.length), scratch.subarray(11, 19));
    }
    for (const r of block.refs) b.put(concatBytes(refPrefix(r.ref), u64be(r.index)), EMPTY);
    const c = block.checkpoint;
    b.put(key1(P.block, c.blockHeight), encodeCheckpoint(c));
    b.put(key1(P.size, c.size), u64be(c.blockHeight));
    try {
      await b.write({ sync: true });
    } catch (cause) {
      throw new StorageError(
        "STORAGE_FAILURE",
        "ledger database write failed; nothing of this block was recorded",
        {
          cause,
        },
      );
    }
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    for await (const [k, v] of this.db.iterator({
      gte: key1(P.block, 0),
      lte: key1(P.block, Number.MAX_SAFE_INTEGER),
      reverse: true,
      limit: 1,
    })) {
      return decodeCheckpoint(readU64be(k, 1), v);
    }
    return undefined;
  }

  async getCheckpoint(blockHeight: number): Promise<StoredCheckpoint | undefined> {
    const v = await this.get(key1(P.block, blockHeight));
    return v === undefined ? undefined : decodeCheckpoint(blockHeight, v);
  }

  async checkpointCovering(index: number): Promise<StoredCheckpoint | undefined> {
    for await (const [, v] of this.db.iterator({
      gt: key1(P.size, index),
      lte: key1(P.size, Number.MAX_SAFE_INTEGER),
      limit: 1,
    })) {
      return this.getCheckpoint(readU64be(v));
    }
    return undefined;
  }

  async *iterateCheckpoints(fromHeight = 0): AsyncIterable<StoredCheckpoint> {
    for await (const [k, v] of this.db.iterator({
      gte: key1(P.block, fromHeight),
      lte: key1(P.block, Number.MAX_SAFE_INTEGER),
    })) {
      yield decodeCheckpoint(readU64be(k, 1), v);
    }
  }

  async *iterateBlockIndex(): AsyncIterable<{ size: number; blockHeight: number }> {
    for await (const [k, v] of this.db.iterator(blockIndexRows())) {
      yield { size: readU64be(k, 1), blockHeight: readU64be(v) };
    }
  }

  async recentBlockSizes(count: number): Promise<{ fromHeight: number; sizes: number[] }> {
    // Sizes grow with heights: the last `count` size rows are the newest blocks'.
    const rows: [number, number][] = [];
    const it = this.db.iterator({ ...blockIndexRows(), reverse: true, limit: count });
    try {
      for (;;) {
        const batch = await it.nextv(65_536);
        if (batch.length === 0) break;
        for (const [k, v] of batch) rows.push([readU64be(v), readU64be(k, 1)]);
      }
    } finally {
      await it.close();
    }
    // Newest first: the last row is the oldest block read (a loop, not Math.min(...rows):
    // spreading half a million arguments overflows the stack).
    let fromHeight = rows.length === 0 ? 0 : Number.MAX_SAFE_INTEGER;
    for (const [h] of rows) if (h < fromHeight) fromHeight = h;
    const sizes: number[] = [];
    for (const [h, size] of rows) sizes[h - fromHeight] = size;
    return { fromHeight, sizes };
  }

  async getEntryWithLeaf(index: number): Promise<Required<StoredEntry> | undefined> {
    const v = await this.get(key1(P.entry, index));
    return v === undefined || v.length < 32 ? undefined : entryRow(index, v);
  }

  async getEntry(index: number): Promise<Uint8Array | undefined> {
    return (await this.get(key1(P.entry, index)))?.subarray(32);
  }

  /** Entries by key (each row's own index, never its position), for the mirror listing. */
  async *iterateEntries(from = 0, limit = Number.POSITIVE_INFINITY): AsyncIterable<StoredEntry> {
    if (limit <= 0) return;
    const it = this.db.iterator({
      gte: key1(P.entry, from),
      lt: key1(P.entry, Math.min(Number.MAX_SAFE_INTEGER, from + limit)),
      highWaterMarkBytes: 1 << 20,
    });
    try {
      for (;;) {
        const rows = await it.nextv(1024);
        if (rows.length === 0) return;
        for (const [k, v] of rows) {
          yield entryRow(readU64be(k, 1), view(v));
        }
      }
    } finally {
      await it.close();
    }
  }

  async readEntries(from: number, limit: number): Promise<StoredEntry[]> {
    if (limit <= 0) return [];
    try {
      const rows = await this.#bulkRead(
        "entries",
        key1(P.entry, from),
        key1(P.entry, Number.MAX_SAFE_INTEGER),
        limit,
      );
      // Values only, so rows are numbered by position (see LedgerStore.readEntries).
      return rows.map((value, i) => entryRow(from + i, value));
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", "ledger database read failed", { cause });
    }
  }

  async getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    if (ids.length === 0) return [];
    let values: (Uint8Array | undefined)[];
    const keys = ids.map((id) => nodeRowKey(id.level, id.index));
    try {
      // A proof's O(log n) reads, mostly cached, are cheaper synchronous (see get()); a block's
      // worth of receipts reads thousands, which would hold the event loop for milliseconds.
      values =
        keys.length <= SYNC_READS_MAX ? keys.map((k) => this.db.getSync(k)) : await this.db.getMany(keys);
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", "ledger database read failed", { cause });
    }
    return values.map((v, i) => {
      const id = ids[i] as NodeId;
      if (v === undefined || (id.level === 0 ? v.length < 32 : v.length !== 32)) {
        throw new StorageError(
          "LEDGER_CORRUPT",
          `Merkle node level ${id.level} index ${id.index} is missing or damaged`,
        );
      }
      return view(v).subarray(0, 32);
    });
  }

  async readNodeRange(level: number, from: number, count: number): Promise<Uint8Array[]> {
    if (count <= 0) return [];
    try {
      const rows = await this.#bulkRead(
        "nodes",
        nodeRowKey(level, from),
        nodeRowKey(level, from + count - 1),
        count,
      );
      return rows.map((v) => v.subarray(0, 32));
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", "ledger database read failed", { cause });
    }
  }

  async *iterateNodes(level: number): AsyncIterable<{ index: number; hash: Uint8Array }> {
    if (level === 0) {
      for await (const [k, v] of this.db.iterator({
        gte: key1(P.entry, 0),
        lte: key1(P.entry, Number.MAX_SAFE_INTEGER),
        highWaterMarkBytes: 1 << 20,
      })) {
        yield { index: readU64be(k, 1), hash: view(v).subarray(0, 32) };
      }
      return;
    }
    for await (const [k, v] of this.db.iterator({
      gte: nodeKey(level, 0),
      lte: nodeKey(level, Number.MAX_SAFE_INTEGER),
      highWaterMarkBytes: 1 << 20,
    })) {
      yield { index: readU64be(k, 2), hash: view(v) };
    }
  }

  async findByDigest(sha256: Uint8Array, limit = 100): Promise<number[]> {
    const prefix = concatBytes(Uint8Array.of(P.digest), sha256);
    return this.#indicesUnder(prefix, limit);
  }

  /**
   * The u64 indices that end the keys under `prefix`, in one nextv: one trip
   * through the thread pool, where `for await` takes two (it asks for one row
   * first, then for more to learn that there are none).
   */
  async #indicesUnder(prefix: Uint8Array, limit: number): Promise<number[]> {
    const it = this.db.keys({
      gte: concatBytes(prefix, u64be(0)),
      lte: concatBytes(prefix, u64be(Number.MAX_SAFE_INTEGER)),
      limit,
    });
    try {
      return (await it.nextv(limit)).map((k) => readU64be(k, k.length - 8));
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", "ledger database read failed", { cause });
    } finally {
      await it.close();
    }
  }

  async findById(id: Uint8Array): Promise<number | undefined> {
    const v = await this.get(concatBytes(Uint8Array.of(P.id), id));
    return v === undefined ? undefined : readU64be(v);
  }

  async findByRef(ref: string, limit = 10_000): Promise<number[]> {
    return this.#indicesUnder(refPrefix(ref), limit);
  }

  /** Raw access for repair tooling and tamper tests; not used by the ledger. */
  get raw(): Level<Uint8Array, Uint8Array> {
    return this.db;
  }
}
