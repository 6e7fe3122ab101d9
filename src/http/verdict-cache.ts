import { LRUCache } from "lru-cache";

/** What the cache needs to know of the checkpoint a verdict was made against. */
export interface VerdictHead {
  /** Tree size. */
  readonly size: number;
}

export interface VerdictCacheOptions {
  /** Memory for verdicts, in bytes; 0 turns the cache off. */
  maxBytes: number;
  /**
   * How long a verdict may still be given once its checkpoint is no longer
   * the newest, in ms; 0 for never (every answer proved against the newest).
   */
  maxAgeMs: number;
  /** Milliseconds, from any fixed start. */
  now(): number;
  /**
   * The digests recorded after tree size `size` (Ledger.digestsRecordedAfter);
   * undefined when that is no longer known.
   */
  recordedAfter(size: number): Iterable<string> | undefined;
}

interface Verdict<Head> {
  json: string;
  head: Head;
  madeAt: number;
}

/**
 * Digest verdicts (the JSON answer of POST /api/v1/verify), so the same
 * question asked again (a party reloading its page, a court re-checking its
 * evidence) is answered from memory. A verdict proves its matches against the
 * checkpoint that was newest when it was made. A new block changes what it
 * says only for the digests that block recorded: those verdicts are dropped at
 * once, so a new deposit is never missing from the next answer. The others
 * stay correct, only proved against an older checkpoint, which any verifier
 * can still check (and extend with a consistency proof); they are kept for at
 * most `maxAgeMs`, so answers follow the newest checkpoint closely, instead of
 * being remade after every block: under a steady stream of deposits, a block
 * lands every few milliseconds and the cache would otherwise never hold. The
 * least recently asked verdicts leave first once `maxBytes` is reached.
 */
export class VerdictCache<Head extends VerdictHead> {
  readonly #o: VerdictCacheOptions;
  /** The newest checkpoint seen: every verdict dropped for a digest recorded up to it. */
  #head: Head | undefined;
  /** Undefined when the cache is turned off. */
  readonly #lru: LRUCache<string, Verdict<Head>> | undefined;

  constructor(options: VerdictCacheOptions) {
    this.#o = options;
    this.#lru =
      options.maxBytes > 0
        ? new LRUCache<string, Verdict<Head>>({
            maxSize: options.maxBytes,
            sizeCalculation: (v, digest) => v.json.length + digest.length + 64,
          })
        : undefined;
  }

  /** The verdict for this digest, when nothing it says has changed as of `head` (the newest checkpoint). */
  get(digest: string, head: Head): string | undefined {
    const lru = this.#lru;
    if (lru === undefined) return undefined;
    this.#catchUp(head, lru);
    const v = lru.get(digest);
    if (v === undefined) return undefined;
    if (v.head !== head && this.#o.now() - v.madeAt > this.#o.maxAgeMs) {
      lru.delete(digest);
      return undefined;
    }
    return v.json;
  }

  /** Keeps a verdict made wholly against `head` (the caller checks that no block landed meanwhile). */
  set(digest: string, head: Head, json: string): void {
    const lru = this.#lru;
    if (lru === undefined) return;
    this.#catchUp(head, lru);
    if (head !== this.#head) return; // made against an older checkpoint than one already seen
    lru.set(digest, { json, head, madeAt: this.#o.now() });
  }

  /** Verdicts held. */
  get size(): number {
    return this.#lru?.size ?? 0;
  }

  /** Moves to `head` if it is newer, dropping the verdicts of every digest recorded since. */
  #catchUp(head: Head, lru: LRUCache<string, Verdict<Head>>): void {
    const from = this.#head;
    if (head === from) return;
    if (from !== undefined && head.size < from.size) return; // an older head: nothing to learn
    this.#head = head;
    if (from === undefined) return;
    const recorded = this.#o.maxAgeMs > 0 ? this.#o.recordedAfter(from.size) : undefined;
    if (recorded === undefined) {
      lru.clear();
      return;
    }
    for (const digest of recorded) lru.delete(digest);
  }
}
