import { equalBytes, fromHex, toHex } from "../core/bytes.js";
import { canonicalJson } from "../core/canonical-json.js";
import type { Clock } from "../core/clock.js";
import { AppError, OverloadedError, StorageError, ValidationError } from "../core/errors.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf } from "../merkle/hash.js";
import type { NodeId } from "../merkle/node-id.js";
import { proveConsistency, proveInclusion, rootAt } from "../merkle/prove.js";
import { BlockProofs } from "./block-proofs.js";
import { DigestJournal } from "./digest-journal.js";
import {
  checkLeafSize,
  ENTRY_TYPES,
  type Entry,
  type EntryType,
  entryDigest,
  entryRef,
  entryText,
  formatEntryText,
  GENESIS_PREV,
  isEntryType,
  type JsonObject,
  utf8Length,
} from "./entry.js";
import { EntryCache } from "./entry-cache.js";
import { EVIDENCE_ID_BYTES, evidenceIdFromLeafHash } from "./evidence-id.js";
import type { BlockWrite, LedgerStore, StoredCheckpoint, StoredEntry } from "./ledger-store.js";
import type { LogKey } from "./log-keys.js";
import { LookupIndex } from "./lookup-index.js";
import { NodeCache } from "./node-cache.js";

export interface LedgerOptions {
  store: LedgerStore;
  key: LogKey;
  clock: Clock;
  /** Called after each block is durable and its checkpoint published (e.g. to ask witnesses to cosign). */
  onBlock?: (checkpoint: StoredCheckpoint) => void;
  /** Most entries in one block (one synced write, one signature). */
  maxBatch?: number;
  /** Most entries waiting for a block before append() answers OVERLOADED. */
  maxQueue?: number;
  /** Newest blocks whose sizes stay in memory, to find a recent entry's block without a read. */
  recentBlocks?: number;
}

/** An entry made durable and covered by a signed checkpoint. */
export interface Appended {
  index: number;
  leafHash: Uint8Array;
  evidenceId: string;
  entry: Entry;
  data: Uint8Array;
  /** `data` as text (the canonical entry JSON) and `leafHash` in hex, as the block made them. */
  text: string;
  leafHex: string;
  /** The block that recorded the entry, with its signed checkpoint. */
  block: StoredCheckpoint;
  /** The inclusion proofs of that block's entries against its checkpoint, made in memory. */
  proofs: BlockProofs;
}

const encoder = new TextEncoder();
/** Newest blocks whose sizes the ledger keeps in memory by default (8 MiB at most, twice this many). */
const RECENT_BLOCKS = 1 << 19;
/** Most entries findByDigest gives for one digest. */
export const MAX_DIGEST_MATCHES = 1000;

/** A caller's entries, recorded together in one block or not at all. */
interface Pending {
  items: readonly { type: EntryType; body: JsonObject }[];
  /** Resolve with the one entry rather than an array (plain append). */
  single: boolean;
  resolve(a: Appended | Appended[]): void;
  reject(e: unknown): void;
}

/**
 * The append-only, hash-chained log. Appends are group-committed: whatever
 * arrives while a block is being written goes into the next block, which is
 * one atomic synced store write plus one checkpoint signature. A block's
 * checkpoint is signed before the write and published only after it, so a
 * crash can lose only unacknowledged entries and never leaves a signed,
 * published checkpoint that a later one could contradict.
 */
export class Ledger {
  private readonly store: LedgerStore;
  /** Proofs read through this: the tree's upper levels and recently read nodes stay in memory. */
  private readonly nodes: NodeCache;
  /** Entries read through this: the ones recently proved stay in memory. */
  private readonly entries: EntryCache;
  private readonly refs: LookupIndex;
  /** Digest (hex) to the entries recording it, for the digests recently verified. */
  private readonly digestIndex: LookupIndex;
  /** The digests of the newest blocks, for caches of answers about digests. */
  private readonly recorded: DigestJournal;
  readonly key: LogKey;
  private readonly clock: Clock;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly onBlock: ((checkpoint: StoredCheckpoint) => void) | undefined;
  private range: CompactRange;
  private prev: string;
  private lastTime: number;
  private head: StoredCheckpoint;
  /**
   * Tree sizes of the newest blocks, `recentSizes[i]` being block `recentFrom + i`'s, to
   * find a recent entry's block without a read. Bounded (between recentBlocks and twice
   * that): a service writing hundreds of blocks a second would otherwise hold a number
   * per block for ever, and read them all at every start.
   */
  private recentSizes: number[];
  private recentFrom: number;
  private readonly recentBlocks: number;
  private queue: Pending[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    o: LedgerOptions,
    range: CompactRange,
    prev: string,
    head: StoredCheckpoint,
    recent: { fromHeight: number; sizes: number[] },
  ) {
    this.recentSizes = recent.sizes;
    this.recentFrom = recent.fromHeight;
    this.recentBlocks = o.recentBlocks ?? RECENT_BLOCKS;
    this.store = o.store;
    this.nodes = new NodeCache(o.store);
    this.entries = new EntryCache(o.store);
    this.refs = new LookupIndex({
      load: (ref, limit) => o.store.findByRef(ref, limit),
      maxKeys: 20_000,
      loadLimit: 10_000,
    });
    this.digestIndex = new LookupIndex({
      load: (hex, limit) => o.store.findByDigest(fromHex(hex, 32), limit),
      maxKeys: 50_000,
      loadLimit: MAX_DIGEST_MATCHES,
      oldestOnly: true,
    });
    this.recorded = new DigestJournal(head.size);
    this.key = o.key;
    this.clock = o.clock;
    this.maxBatch = o.maxBatch ?? 4096;
    this.maxQueue = o.maxQueue ?? 65_536;
    this.onBlock = o.onBlock;
    this.range = range;
    this.prev = prev;
    this.head = head;
    this.lastTime = Date.parse(head.time);
  }

  /**
   * Opens the ledger over an opened store. A new store gets a signed size-0
   * genesis checkpoint (block 0). An existing one must match: same origin,
   * the newest checkpoint signed by this key, and its root recomputed from
   * the stored tree; otherwise LEDGER_CORRUPT and nothing is signed.
   */
  static async open(o: LedgerOptions): Promise<Ledger> {
    const { store, key } = o;
    if (o.recentBlocks !== undefined && !(Number.isSafeInteger(o.recentBlocks) && o.recentBlocks >= 1))
      throw new ValidationError("INVALID_ARGUMENT", "recentBlocks must be a whole number of at least 1");
    const origin = await store.getMeta("origin");
    if (origin !== undefined && origin !== key.origin) {
      throw new StorageError(
        "CONFIG_INVALID",
        `this data directory holds the log "${origin}", but the configured origin is "${key.origin}"; unset NOTARIUM_ORIGIN or point --data elsewhere`,
      );
    }
    let head = await store.latestCheckpoint();
    if (!head) {
      if (origin === undefined) await store.putMeta("origin", key.origin);
      const range = CompactRange.empty();
      const time = o.clock.now().toISOString();
      head = {
        blockHeight: 0,
        size: 0,
        time,
        note: key.signCheckpoint({ origin: key.origin, size: 0, root: range.root() }),
      };
      await store.appendBlock({ entries: [], nodes: [], digests: [], ids: [], refs: [], checkpoint: head });
      return new Ledger(o, range, GENESIS_PREV, head, { fromHeight: 0, sizes: [0] });
    }
    const range = await Ledger.checkHead(store, key, head);
    const prev =
      head.size === 0
        ? GENESIS_PREV
        : toHex((await store.getNodes([{ level: 0, index: head.size - 1 }]))[0] as Uint8Array);
    const recent = await store.recentBlockSizes(o.recentBlocks ?? RECENT_BLOCKS);
    const { fromHeight, sizes } = recent;
    if (
      fromHeight + sizes.length !== head.blockHeight + 1 ||
      sizes[sizes.length - 1] !== head.size ||
      Array.from(sizes, (n) => n).some((n) => n === undefined)
    ) {
      throw new StorageError("LEDGER_CORRUPT", "the block index is incomplete; run `notarium audit`");
    }
    return new Ledger(o, range, prev, head, recent);
  }

  private static async checkHead(
    store: LedgerStore,
    key: LogKey,
    head: StoredCheckpoint,
  ): Promise<CompactRange> {
    const corrupt = (what: string, cause?: unknown) =>
      new StorageError(
        "LEDGER_CORRUPT",
        `refusing to sign: ${what} (block ${head.blockHeight}); run \`notarium audit\``,
        {
          cause,
          details: { blockHeight: head.blockHeight, size: head.size },
        },
      );
    let cp: ReturnType<LogKey["openCheckpoint"]>;
    try {
      cp = key.openCheckpoint(head.note);
    } catch (cause) {
      throw corrupt("the newest stored checkpoint is not signed by this log's key", cause);
    }
    if (cp.size !== head.size || cp.origin !== key.origin)
      throw corrupt("the newest checkpoint does not match its record");
    let range: CompactRange;
    try {
      range = await CompactRange.load(head.size, store);
    } catch (cause) {
      throw corrupt("the stored Merkle tree is incomplete", cause);
    }
    if (!equalBytes(range.root(), cp.root))
      throw corrupt("the stored tree's root differs from the signed checkpoint");
    if (head.size > 0 && (await store.getEntry(head.size - 1)) === undefined)
      throw corrupt(`entry ${head.size - 1} is missing`);
    if ((await store.getEntry(head.size)) !== undefined)
      throw corrupt(`entry ${head.size} exists beyond the signed tree`);
    return range;
  }

  /** The newest signed checkpoint (block). */
  latest(): StoredCheckpoint {
    return this.head;
  }

  get size(): number {
    return this.head.size;
  }

  /** Entries waiting for a block (for metrics and back-pressure). */
  get queueDepth(): number {
    return this.queued;
  }

  /** Records an entry; resolves once a durable block with a signed checkpoint covers it. */
  append(type: EntryType, body: JsonObject): Promise<Appended> {
    return this.enqueue([{ type, body }], true) as Promise<Appended>;
  }

  /** Records several entries in order, all in one block or none of them. */
  appendAll(items: readonly { type: EntryType; body: JsonObject }[]): Promise<Appended[]> {
    return this.enqueue(items, false) as Promise<Appended[]>;
  }

  private enqueue(
    items: readonly { type: EntryType; body: JsonObject }[],
    single: boolean,
  ): Promise<Appended | Appended[]> {
    if (this.closed) return Promise.reject(new StorageError("CLOSED", "the ledger is shutting down"));
    if (items.length === 0 || items.length > this.maxBatch) {
      return Promise.reject(
        new ValidationError("INVALID_ARGUMENT", `give between 1 and ${this.maxBatch} entries per call`),
      );
    }
    if (this.queued + items.length > this.maxQueue) {
      return Promise.reject(
        new OverloadedError(`append queue is full (${this.queued} waiting); retry shortly`),
      );
    }
    return new Promise<Appended | Appended[]>((resolve, reject) => {
      this.queue.push({ items, single, resolve, reject });
      this.queued += items.length;
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = (async () => {
      try {
        // A block starts after this turn of the event loop, not at its first append: the appends
        // of every request read in the same turn then share one block. Started at once, an idle
        // ledger wrote a turn's first few appends as a block of their own (64 connections: a
        // tenth of the blocks held 3 entries or fewer) and the rest waited for the next one.
        // In A/B runs, single deposits went from 54-59% to 64% of /healthz's rate.
        await new Promise((r) => setImmediate(r));
        while (this.queue.length > 0) {
          let n = 0;
          let take = 0;
          while (
            take < this.queue.length &&
            n + (this.queue[take] as Pending).items.length <= this.maxBatch
          ) {
            n += (this.queue[take] as Pending).items.length;
            take++;
          }
          this.queued -= n;
          await this.writeBlock(this.queue.splice(0, take));
        }
      } finally {
        this.writing = undefined;
      }
    })();
  }

  private async writeBlock(batch: Pending[]): Promise<void> {
    const time = new Date(Math.max(this.clock.now().getTime(), this.lastTime));
    const iso = time.toISOString();
    // Pass 1: canonicalise and size-check every group before touching the tree, so
    // a refused group leaves no trace. Everything but the body is ASCII of a length
    // known in advance (prev is always 64 hex digits), so sizes are exact.
    // The template's length without the index's digits, the type and the body
    // (entryText checks the block's time here, once).
    const probe = ENTRY_TYPES[0];
    let fixed: number;
    try {
      fixed =
        entryText({ v: 1, index: 0, prev: GENESIS_PREV, time: iso, type: probe, body: {} }, "").length -
        "0".length -
        probe.length;
    } catch (e) {
      // A clock beyond what ISO 8601 can say (year 10000): nothing of this block can be recorded.
      for (const p of batch) p.reject(e);
      return;
    }
    const groups: { p: Pending; bodies: string[]; lengths: number[]; digests: (string | undefined)[] }[] = [];
    let index = this.range.size;
    let total = 0;
    for (const p of batch) {
      try {
        const bodies: string[] = [];
        const lengths: number[] = [];
        const digests: (string | undefined)[] = [];
        for (const it of p.items) {
          if (!isEntryType(it.type))
            throw new ValidationError("INVALID_ENTRY", `unknown entry type ${String(it.type)}`);
          const bodyJson = canonicalJson(it.body);
          const n = fixed + String(index + bodies.length).length + it.type.length + utf8Length(bodyJson);
          checkLeafSize(n);
          bodies.push(bodyJson);
          lengths.push(n);
          digests.push(entryDigest(it));
        }
        groups.push({ p, bodies, lengths, digests });
        index += bodies.length;
        for (const n of lengths) total += n;
      } catch (e) {
        p.reject(e);
      }
    }
    if (groups.length === 0) return;
    // Pass 2: chain and hash. One slab holds every entry of the block: a few
    // large allocations instead of one per entry keeps the GC out of the way.
    const slab = new Uint8Array(total);
    let off = 0;
    const start = this.range.size;
    const border = this.range.nodes();
    const range = this.range.clone();
    let prev = this.prev;
    const entries: BlockWrite["entries"][number][] = [];
    const nodes: BlockWrite["nodes"][number][] = [];
    const digests: BlockWrite["digests"][number][] = [];
    const ids: BlockWrite["ids"][number][] = [];
    const refs: BlockWrite["refs"][number][] = [];
    const onNode = (level: number, index: number, hash: Uint8Array) => nodes.push({ level, index, hash });
    // Lazy: it reads `nodes` once the block is complete, and only if a receipt is asked for.
    const proofs = new BlockProofs(start, nodes, border);
    const accepted: { p: Pending; done: Appended[] }[] = [];
    /** The block's digests in hex, for the in-memory indexes once it is durable. */
    const blockDigests: { hex: string; index: number }[] = [];
    for (const g of groups) {
      const done: Appended[] = [];
      g.p.items.forEach((it, i) => {
        const entry: Entry = { v: 1, index: range.size, prev, time: iso, type: it.type, body: it.body };
        const text = formatEntryText(entry.index, prev, iso, it.type, g.bodies[i] as string);
        const data = slab.subarray(off, off + (g.lengths[i] as number));
        encoder.encodeInto(text, data);
        off += data.length;
        const leafHash = hashLeaf(data);
        entries.push({ index: entry.index, data });
        const digest = g.digests[i];
        if (digest) {
          digests.push({ sha256: fromHex(digest), index: entry.index });
          blockDigests.push({ hex: digest, index: entry.index });
        }
        const ref = entryRef(entry);
        if (ref) refs.push({ ref, index: entry.index });
        // A copy, not a view: a view of a hash this small makes V8 move it off its heap first.
        ids.push({ id: leafHash.slice(0, EVIDENCE_ID_BYTES), index: entry.index });
        range.append(leafHash, onNode);
        prev = toHex(leafHash);
        done.push({
          index: entry.index,
          leafHash,
          evidenceId: evidenceIdFromLeafHash(leafHash),
          entry,
          data,
          text,
          leafHex: prev,
          block: this.head,
          proofs,
        });
      });
      accepted.push({ p: g.p, done });
    }
    const checkpoint: StoredCheckpoint = {
      blockHeight: this.head.blockHeight + 1,
      size: range.size,
      time: iso,
      note: this.key.signCheckpoint({ origin: this.key.origin, size: range.size, root: range.root() }),
    };
    try {
      await this.store.appendBlock({ entries, nodes, digests, ids, refs, checkpoint });
    } catch (e) {
      const err =
        e instanceof AppError ? e : new StorageError("STORAGE_FAILURE", "ledger write failed", { cause: e });
      for (const a of accepted) a.p.reject(err);
      return;
    }
    // Durable from here: the in-memory indexes learn what the block holds.
    this.nodes.committed(nodes);
    for (const r of refs) this.refs.added(r.ref, r.index);
    for (const d of blockDigests) this.digestIndex.added(d.hex, d.index);
    this.recorded.add(
      checkpoint.size,
      blockDigests.map((d) => d.hex),
    );
    this.range = range;
    this.prev = prev;
    this.head = checkpoint;
    this.recentSizes.push(checkpoint.size);
    if (this.recentSizes.length >= 2 * this.recentBlocks) {
      const drop = this.recentSizes.length - this.recentBlocks;
      this.recentSizes = this.recentSizes.slice(drop);
      this.recentFrom += drop;
    }
    this.lastTime = time.getTime();
    try {
      this.onBlock?.(checkpoint);
    } catch {
      // a listener's failure must never affect the append path
    }
    for (const a of accepted) {
      for (const d of a.done) d.block = checkpoint;
      a.p.resolve(a.p.single ? (a.done[0] as Appended) : a.done);
    }
  }

  /**
   * The digests (hex) recorded after tree size `size`, up to the newest
   * block, possibly repeated; undefined when `size` is too far back to tell
   * (the last few thousand blocks are known).
   */
  digestsRecordedAfter(size: number): string[] | undefined {
    return this.recorded.recordedAfter(size);
  }

  /** Waits until everything queued so far is written (or refused). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Stops accepting appends and flushes what is queued. The store stays open (caller owns it). */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  private checkSize(size: number, label = "size"): void {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new ValidationError("INVALID_SIZE", `${label} must be a non-negative integer`);
    if (size > this.head.size) {
      throw new ValidationError(
        "INVALID_SIZE",
        `${label} ${size} is beyond the current tree size ${this.head.size}`,
      );
    }
  }

  /** Stored tree nodes, through the ones kept in memory (see NodeCache). */
  readNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    return this.nodes.getNodes(ids);
  }

  /** Indices of the committed entries tagged `ref` (such as `case:<id>`), ascending. */
  async findByRef(ref: string): Promise<number[]> {
    return this.committed(await this.refs.find(ref));
  }

  /** Indices of the committed entries recording this SHA-256 digest (hex), oldest first, at most `limit`. */
  async findByDigest(sha256: string, limit = 100): Promise<number[]> {
    return this.committed(await this.digestIndex.find(sha256)).slice(0, Math.min(limit, MAX_DIGEST_MATCHES));
  }

  /** The indices below the tree size: a store may show a block's entries just before it is committed. */
  private committed(indices: number[]): number[] {
    const size = this.head.size;
    const last = indices.at(-1);
    return last === undefined || last < size ? indices : indices.filter((i) => i < size);
  }

  async proveInclusion(index: number, size = this.head.size): Promise<Uint8Array[]> {
    this.checkSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new ValidationError("INVALID_INDEX", `index must be an integer in [0, ${size})`);
    }
    return proveInclusion(index, size, this.nodes);
  }

  async proveConsistency(from: number, to: number): Promise<Uint8Array[]> {
    this.checkSize(to, "to");
    this.checkSize(from, "from");
    if (from > to) throw new ValidationError("INVALID_SIZE", "from must not exceed to");
    if (from === 0)
      throw new ValidationError(
        "INVALID_SIZE",
        "a consistency proof needs from >= 1 (every tree is consistent with the empty one)",
      );
    return proveConsistency(from, to, this.nodes);
  }

  async rootAt(size: number): Promise<Uint8Array> {
    this.checkSize(size);
    return rootAt(size, this.nodes);
  }

  /** A committed entry with its leaf hash (undefined beyond the tree), through the ones kept in memory. */
  async entryWithLeaf(index: number): Promise<Required<StoredEntry> | undefined> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.head.size) return undefined;
    return this.entries.get(index, () => this.head.size);
  }

  async leafHash(index: number): Promise<Uint8Array> {
    this.checkSize(index + 1, "index");
    return (await this.store.getNodes([{ level: 0, index }]))[0] as Uint8Array;
  }

  /**
   * The height of the block that recorded entry `index`: found in memory for the
   * newest blocks' entries, read from the store's block index for older ones.
   */
  async blockOf(index: number): Promise<number> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.head.size) {
      throw new ValidationError("INVALID_INDEX", `index must be an integer in [0, ${this.head.size})`);
    }
    const sizes = this.recentSizes;
    // Block h records the entries [size of h-1, size of h): memory knows the blocks after its first.
    if (index >= (sizes[0] as number)) {
      let lo = 1;
      let hi = sizes.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((sizes[mid] as number) > index) hi = mid;
        else lo = mid + 1;
      }
      return this.recentFrom + lo;
    }
    const cp = await this.store.checkpointCovering(index);
    if (!cp)
      throw new StorageError("LEDGER_CORRUPT", `no block covers entry ${index}; run \`notarium audit\``);
    return cp.blockHeight;
  }

  get storage(): LedgerStore {
    return this.store;
  }
}
