interface JournalBlock {
  /** Tree size after the block. */
  to: number;
  digests: readonly string[];
}

/** What a dropped block's slot holds until the array is compacted: nothing. */
const DROPPED: JournalBlock = Object.freeze({ to: 0, digests: Object.freeze([]) });

/**
 * The digests that the newest blocks recorded, for caches of answers about
 * digests (the verify route's verdicts): after a new block, such a cache must
 * forget what it said about exactly these digests, and may keep the rest.
 * Bounded: it holds the last `maxBlocks` blocks and about `maxDigests`
 * digests at most; asked about an older tree size, it says it does not know
 * (undefined), and the cache then forgets everything.
 */
export class DigestJournal {
  /** Blocks oldest first; those before #first were dropped. */
  #blocks: JournalBlock[] = [];
  #first = 0;
  #digests = 0;
  /** Tree size before the oldest block kept: what the journal knows about starts here. */
  #knownFrom: number;

  constructor(
    size: number,
    private readonly limits = { maxBlocks: 4096, maxDigests: 65_536 },
  ) {
    this.#knownFrom = size;
  }

  /** A durable block that grew the tree to `to` entries, recording `digests` (hex). */
  add(to: number, digests: readonly string[]): void {
    this.#blocks.push({ to, digests });
    this.#digests += digests.length;
    const { maxBlocks, maxDigests } = this.limits;
    while (
      this.#blocks.length - this.#first > 1 &&
      (this.#blocks.length - this.#first > maxBlocks || this.#digests > maxDigests)
    ) {
      const dropped = this.#blocks[this.#first] as JournalBlock;
      // Released now, not at the next compaction: up to 1,024 dropped blocks wait for it, and
      // blocks of batch deposits hold thousands of digests each (millions of strings held).
      this.#blocks[this.#first++] = DROPPED;
      this.#digests -= dropped.digests.length;
      this.#knownFrom = dropped.to;
    }
    if (this.#first >= 1024) {
      this.#blocks = this.#blocks.slice(this.#first);
      this.#first = 0;
    }
  }

  /** Digests the journal still references, dropped blocks included: what its memory holds. */
  get heldDigests(): number {
    let n = 0;
    for (const b of this.#blocks) n += b.digests.length;
    return n;
  }

  /**
   * Every digest recorded after tree size `size`, possibly with repeats;
   * undefined when the journal no longer reaches back that far.
   */
  recordedAfter(size: number): string[] | undefined {
    if (size < this.#knownFrom) return undefined;
    const out: string[] = [];
    for (let i = this.#blocks.length - 1; i >= this.#first; i--) {
      const b = this.#blocks[i] as JournalBlock;
      if (b.to <= size) break;
      for (const d of b.digests) out.push(d);
    }
    return out;
  }
}
