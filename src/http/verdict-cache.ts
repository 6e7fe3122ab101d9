import { LRUCache } from "lru-cache";

/**
 * Digest verdicts (the JSON answer of POST /api/v1/verify) for the newest
 * checkpoint only. A verdict proves its matches against the checkpoint that
 * was newest when it was made, and nothing it says can change until the next
 * block: so the same question asked again, by a party reloading its page or
 * a court re-checking its evidence, is answered from memory. A new block
 * empties the cache (whoever asks next gets proofs against it), and the
 * least recently asked verdicts leave first once `maxBytes` is reached.
 */
export class VerdictCache<Head extends object> {
  #head: Head | undefined;
  /** Undefined when the cache is turned off (no bytes for it). */
  readonly #lru: LRUCache<string, string> | undefined;

  constructor(maxBytes: number) {
    this.#lru =
      maxBytes > 0
        ? new LRUCache<string, string>({
            maxSize: maxBytes,
            sizeCalculation: (json, digest) => json.length + digest.length,
          })
        : undefined;
  }

  /** The verdict made against `head`, if this digest was asked since that checkpoint became the newest. */
  get(digest: string, head: Head): string | undefined {
    if (head !== this.#head) {
      this.#lru?.clear();
      this.#head = head;
      return undefined;
    }
    return this.#lru?.get(digest);
  }

  /** Keeps a verdict made wholly against `head` (the caller checks that no block landed meanwhile). */
  set(digest: string, head: Head, json: string): void {
    if (head !== this.#head) {
      this.#lru?.clear();
      this.#head = head;
    }
    this.#lru?.set(digest, json);
  }

  /** Verdicts held. */
  get size(): number {
    return this.#lru?.size ?? 0;
  }
}
