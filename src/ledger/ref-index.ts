import type { LedgerStore } from "./ledger-store.js";

const MAX_REFS = 20_000;
/** The store's default limit: a ref with this many entries or more is not kept in memory. */
const STORE_LIMIT = 10_000;

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

/**
 * The entries of each reference (`case:<id>`) in memory, for the refs recently
 * asked about: a case is looked up on every signature, and a range scan of the
 * store per lookup cost more than the rest of the check. A ref is read from the
 * store once; the ledger then reports every entry it commits under a ref, so a
 * known list never goes stale. Entries committed while a ref is being read are
 * merged in, so no entry is lost in that window.
 */
export class RefIndex {
  readonly #known = new Map<string, number[]>();
  readonly #loading = new Map<string, { extra: number[]; done: Promise<number[]> }>();

  constructor(private readonly store: Pick<LedgerStore, "findByRef">) {}

  /** Called by the ledger after a block with an entry tagged `ref` is durable. */
  added(ref: string, index: number): void {
    this.#known.get(ref)?.push(index);
    this.#loading.get(ref)?.extra.push(index);
  }

  /** Indices of the entries tagged `ref`, ascending. */
  async find(ref: string): Promise<number[]> {
    const known = this.#known.get(ref);
    if (known) return [...known];
    let load = this.#loading.get(ref);
    if (!load) {
      const extra: number[] = [];
      const done = this.store.findByRef(ref, STORE_LIMIT).then(
        (stored) => {
          this.#loading.delete(ref);
          const all = mergeAscending(stored, extra);
          if (stored.length < STORE_LIMIT) this.#remember(ref, all);
          return all;
        },
        (e: unknown) => {
          this.#loading.delete(ref);
          throw e;
        },
      );
      load = { extra, done };
      this.#loading.set(ref, load);
    }
    return [...(await load.done)];
  }

  #remember(ref: string, indices: number[]): void {
    if (this.#known.size >= MAX_REFS) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(ref, indices);
  }
}
