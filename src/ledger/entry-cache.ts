import { LRUCache } from "lru-cache";
import type { LedgerStore, StoredEntry } from "./ledger-store.js";

/** About 6 MB of entries of a few hundred bytes each. */
export const MAX_CACHED_ENTRIES = 16_384;

/**
 * The entries read most recently (bytes and leaf hash), in front of storage.
 * A verification proves its entries against the newest checkpoint, so after
 * every block the same entries are proved again; a store read per entry goes
 * through the thread pool, which costs the event loop more than the proof.
 * Committed entries never change, so nothing is ever invalidated; the caller
 * caches only what lies within the signed tree.
 */
export class EntryCache {
  readonly #lru = new LRUCache<number, Required<StoredEntry>>({ max: MAX_CACHED_ENTRIES });

  constructor(private readonly store: Pick<LedgerStore, "getEntryWithLeaf">) {}

  /** The entry and its leaf hash, copied out (a caller may change what it is handed). */
  async get(index: number, committedSize: () => number): Promise<Required<StoredEntry> | undefined> {
    const hit = this.#lru.get(index);
    if (hit) return copy(hit);
    const read = await this.store.getEntryWithLeaf(index);
    if (read && index < committedSize()) this.#lru.set(index, copy(read));
    return read;
  }
}

const copy = (e: Required<StoredEntry>): Required<StoredEntry> => ({
  index: e.index,
  data: e.data.slice(),
  leafHash: e.leafHash.slice(),
});
