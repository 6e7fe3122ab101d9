import { LRUCache } from "lru-cache";
import type { HashReader } from "../merkle/hash-reader.js";
import type { NodeId } from "../merkle/node-id.js";

/** Nodes at this level and above are kept in memory: 1/256 of the leaves' count. */
export const UPPER_LEVEL = 8;
/**
 * Upper nodes are kept at indices below this on each level; past it, proofs read the
 * rest from storage as before. Level 8 reaches it at about 100 million entries; all
 * levels together then hold about 800,000 nodes in about 30 MB (measured).
 */
export const MAX_UPPER_INDEX = 400_000;
/** Below UPPER_LEVEL, this many of the most recently read nodes (about 17 MB, measured). */
export const MAX_LOWER_NODES = 65_536;

/**
 * One level's upper nodes, dense: hash i at bytes [32i, 32i+32) of one buffer, with a
 * flag per index. A Map of 32-byte arrays cost about 270 bytes of heap a node.
 */
class DenseLevel {
  #hashes = new Uint8Array(0);
  #present = new Uint8Array(0);

  set(index: number, hash: Uint8Array): void {
    if (index >= this.#present.length) {
      const n = Math.min(MAX_UPPER_INDEX, Math.max(1024, 2 * this.#present.length, index + 1));
      const hashes = new Uint8Array(32 * n);
      hashes.set(this.#hashes);
      const present = new Uint8Array(n);
      present.set(this.#present);
      this.#hashes = hashes;
      this.#present = present;
    }
    this.#hashes.set(hash, 32 * index);
    this.#present[index] = 1;
  }

  /** A copy of the hash, or undefined. */
  get(index: number): Uint8Array | undefined {
    return this.#present[index] === 1 ? this.#hashes.slice(32 * index, 32 * index + 32) : undefined;
  }
}

const slot = (level: number, index: number) => level * 2 ** 46 + index;

/**
 * Keeps tree nodes in memory in front of storage. Every proof of a log of n
 * entries needs about log2(n) nodes, and all but the lowest few are shared
 * with other proofs: the levels from UPPER_LEVEL up are all kept, so an
 * inclusion proof reads at most UPPER_LEVEL nodes from storage instead of
 * log2(n) (the receipts of fresh appends read none: see BlockProofs). Of the
 * lower levels, the nodes read most recently are kept: evidence that is
 * checked once tends to be checked again, and while deposits flow each new
 * block changes only the top of its proof, so the same lower nodes are asked
 * for again (each is a LevelDB point read, about 2 µs). Stored nodes never
 * change once written, so nothing is ever invalidated: the ledger adds upper
 * nodes as it commits them, and reads fill the rest.
 */
export class NodeCache implements HashReader {
  /** Upper levels, by level. */
  readonly #upper: DenseLevel[] = [];
  readonly #lower = new LRUCache<number, Uint8Array>({ max: MAX_LOWER_NODES });

  constructor(private readonly store: HashReader) {}

  /** A node the ledger has just committed (its bytes are copied in). */
  add(level: number, index: number, hash: Uint8Array): void {
    if (level >= UPPER_LEVEL && index < MAX_UPPER_INDEX) {
      let at = this.#upper[level];
      if (!at) {
        at = new DenseLevel();
        this.#upper[level] = at;
      }
      at.set(index, hash);
    }
  }

  /** A node just read from storage: an upper one is kept for good, a lower one while recently used. */
  #read(level: number, index: number, hash: Uint8Array): void {
    if (level >= UPPER_LEVEL) this.add(level, index, hash);
    else this.#lower.set(slot(level, index), hash.slice()); // the caller gets `hash` itself
  }

  /** The nodes a block just committed. */
  committed(nodes: readonly { level: number; index: number; hash: Uint8Array }[]): void {
    for (const n of nodes) this.add(n.level, n.index, n.hash);
  }

  async getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    // Copies out and in: a caller may scribble on the proof it was handed.
    const out: (Uint8Array | undefined)[] = ids.map((id) =>
      id.level >= UPPER_LEVEL
        ? this.#upper[id.level]?.get(id.index)
        : this.#lower.get(slot(id.level, id.index))?.slice(),
    );
    const missing: number[] = [];
    for (let k = 0; k < ids.length; k++) if (out[k] === undefined) missing.push(k);
    if (missing.length > 0) {
      const read = await this.store.getNodes(missing.map((k) => ids[k] as NodeId));
      missing.forEach((k, j) => {
        const id = ids[k] as NodeId;
        const hash = read[j] as Uint8Array;
        out[k] = hash;
        this.#read(id.level, id.index, hash);
      });
    }
    return out as Uint8Array[];
  }
}
