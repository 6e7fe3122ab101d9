/** Sorted union of two ascending lists, without repeats. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Number.POSITIVE_INFINITY;
    const y = j < b.length ? (b[j] as number) : Number.POSITIVE_INFINITY;
    const v = Math.min(x, y);
    if (x === v) i++;
    if (y === v) j++;
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

export interface LookupIndexOptions {
  /** Reads the indices stored under a key, ascending, at most `limit` of them. */
  load(key: string, limit: number): Promise<number[]>;
  /** Keys kept in memory; the least recently asked leaves first. */
  maxKeys: number;
  /**
   * Most indices read per key: a key with more is read from the store on every lookup
   * (with oldestOnly, kept like any other: its oldest are all that is asked for).
   */
  loadLimit: number;
  /**
   * Callers want only the oldest `loadLimit` indices of a key (a verify lists at most
   * 1,000 matches of a digest): newer ones are not kept, so a key that keeps getting
   * entries (one file deposited again and again) does not grow a list in memory.
   */
  oldestOnly?: boolean;
}

/**
 * The entries under each key of a store index (a reference such as
 * `case:<id>`, a recorded digest), in memory for the keys recently asked
 * about: a case is looked up on every signature and a digest on every
 * verification, and a range scan of the store per lookup cost more than the
 * rest of the answer. A key is read from the store once; the ledger then
 * reports every entry it commits under a key, so a known list never goes
 * stale. Entries committed while a key is being read are merged in, so no
 * entry is lost in that window. The store's answer may also hold entries of
 * a block not yet committed: the ledger keeps only those below its tree size.
 */
export class LookupIndex {
  readonly #known = new Map<string, number[]>();
  readonly #loading = new Map<string, { extra: number[]; done: Promise<number[]> }>();
  readonly #o: LookupIndexOptions;

  constructor(options: LookupIndexOptions) {
    this.#o = options;
  }

  /** Called by the ledger after a block with an entry under `key` is durable. */
  added(key: string, index: number): void {
    const known = this.#known.get(key);
    if (known && !(this.#o.oldestOnly && known.length >= this.#o.loadLimit)) known.push(index);
    const loading = this.#loading.get(key);
    if (loading && !(this.#o.oldestOnly && loading.extra.length >= this.#o.loadLimit))
      loading.extra.push(index);
  }

  /**
   * Indices of the entries under `key`, ascending: at most loadLimit of the oldest, plus
   * newer ones (with oldestOnly, only the oldest loadLimit).
   */
  async find(key: string): Promise<number[]> {
    const known = this.#known.get(key);
    if (known) {
      // Most recently asked last: eviction takes the first.
      this.#known.delete(key);
      this.#known.set(key, known);
      return [...known];
    }
    let load = this.#loading.get(key);
    if (!load) {
      const extra: number[] = [];
      const { loadLimit } = this.#o;
      const done = this.#o.load(key, loadLimit).then(
        (stored) => {
          this.#loading.delete(key);
          const oldestOnly = this.#o.oldestOnly === true;
          let all = mergeAscending(stored, extra);
          if (oldestOnly) all = all.slice(0, loadLimit);
          // The store gave the oldest loadLimit: with more than that stored, only oldestOnly knows them all.
          if (stored.length < loadLimit || oldestOnly) this.#remember(key, all);
          return all;
        },
        (e: unknown) => {
          this.#loading.delete(key);
          throw e;
        },
      );
      load = { extra, done };
      this.#loading.set(key, load);
    }
    return [...(await load.done)];
  }

  #remember(key: string, indices: number[]): void {
    if (this.#known.size >= this.#o.maxKeys) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(key, indices);
  }
}
