import type { HashReader } from "../merkle/hash-reader.js";
import type { NodeId } from "../merkle/node-id.js";

/** Nodes at this level and above are kept in memory: 1/256 of the leaves' count. */
export const UPPER_LEVEL = 8;
/** At most this many (about 40 MB); past it, proofs read the rest from storage as before. */
const MAX_NODES = 400_000;

const slot = (level: number, index: number) => level * 2 ** 46 + index;

/**
 * Keeps the upper levels of the tree in memory in front of storage. Every
 * proof of a log of n entries needs about log2(n) nodes and all but the lowest
 * few are shared with other proofs, so after this an inclusion proof reads
 * UPPER_LEVEL nodes from storage instead of log2(n) (the receipts of fresh
 * appends read none: see BlockProofs). Stored nodes never change
 * once written, so nothing is ever invalidated: the ledger adds nodes as it
 * commits them, and reads fill the rest.
 */
export class UpperNodeCache implements HashReader {
  readonly #nodes = new Map<number, Uint8Array>();

  constructor(private readonly store: HashReader) {}

  /** A node the ledger has just committed (kept as is: the caller must not change it). */
  add(level: number, index: number, hash: Uint8Array): void {
    if (level >= UPPER_LEVEL && this.#nodes.size < MAX_NODES) this.#nodes.set(slot(level, index), hash);
  }

  /** The nodes a block just committed (kept as is: the caller must not change them). */
  committed(nodes: readonly { level: number; index: number; hash: Uint8Array }[]): void {
    for (const n of nodes) this.add(n.level, n.index, n.hash);
  }

  async getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    // Copies out and in: a caller may scribble on the proof it was handed.
    const out: (Uint8Array | undefined)[] = ids.map((id) => {
      const key = slot(id.level, id.index);
      return (id.level >= UPPER_LEVEL ? this.#nodes.get(key) : undefined)?.slice();
    });
    const missing: number[] = [];
    for (let k = 0; k < ids.length; k++) if (out[k] === undefined) missing.push(k);
    if (missing.length > 0) {
      const read = await this.store.getNodes(missing.map((k) => ids[k] as NodeId));
      missing.forEach((k, j) => {
        const id = ids[k] as NodeId;
        const hash = read[j] as Uint8Array;
        out[k] = hash;
        this.add(id.level, id.index, hash.slice());
      });
    }
    return out as Uint8Array[];
  }
}
