import { NotFoundError, StorageError, ValidationError } from "../core/errors.js";
import { isHash } from "./hash.js";
import type { NodeId } from "./node-id.js";

/**
 * The port through which proofs read the tree. Storage keeps every perfect
 * node at every level (level 0 = leaf hashes), so any proof or root needs
 * O(log n) nodes, fetched in one batch.
 */
export interface HashReader {
  /** The hashes of `ids`, in the same order; rejects if any is missing. */
  getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]>;
}

/** A synchronous, possibly partial source of nodes (e.g. a batch not yet committed). */
export interface NodeLookup {
  get(level: number, index: number): Uint8Array | undefined;
}

/** Receives a newly completed node, as emitted by CompactRange.append. */
export type NodeSink = (level: number, index: number, hash: Uint8Array) => void;

/**
 * Reads `ids` and checks the reader kept its contract, so a storage bug
 * surfaces as a storage error rather than as a bogus proof.
 */
export async function readNodes(reader: HashReader, ids: readonly NodeId[]): Promise<Uint8Array[]> {
  const hashes = await reader.getNodes(ids);
  if (!Array.isArray(hashes) || hashes.length !== ids.length) {
    throw new StorageError(
      "LEDGER_CORRUPT",
      `reader returned ${hashes?.length} hashes for ${ids.length} nodes`,
    );
  }
  hashes.forEach((h, k) => {
    if (!isHash(h)) {
      throw new StorageError("LEDGER_CORRUPT", "reader returned a malformed hash", {
        details: { ...ids[k] },
      });
    }
  });
  return hashes;
}

/**
 * In-memory node store, for tests and as the top layer over real storage.
 * It never hands out its own arrays, so callers may mutate what they get.
 */
export class MemoryHashReader implements HashReader, NodeLookup {
  // One map per level: numeric keys avoid building a string per lookup.
  readonly #levels: Map<number, Uint8Array>[] = [];
  #count = 0;

  /** Number of stored nodes. */
  get count(): number {
    return this.#count;
  }

  /** Stores (a copy of) a node; usable as a CompactRange.append onNode sink. */
  set(level: number, index: number, hash: Uint8Array): void {
    if (!Number.isSafeInteger(level) || level < 0 || level > 63) {
      throw new ValidationError("INVALID_ARGUMENT", "level: expected an integer in [0, 63]");
    }
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new ValidationError("INVALID_INDEX", "index: expected a safe integer");
    }
    if (!isHash(hash)) throw new ValidationError("INVALID_ARGUMENT", "hash: expected 32 bytes");
    let map = this.#levels[level];
    if (map === undefined) {
      map = new Map();
      this.#levels[level] = map;
    }
    if (!map.has(index)) this.#count++;
    map.set(index, hash.slice());
  }

  get(level: number, index: number): Uint8Array | undefined {
    return this.#levels[level]?.get(index)?.slice();
  }

  has(level: number, index: number): boolean {
    return this.#levels[level]?.has(index) ?? false;
  }

  async getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    return ids.map(({ level, index }) => {
      const h = this.get(level, index);
      if (h === undefined) {
        throw new NotFoundError("NOT_FOUND", `no node at level ${level}, index ${index}`, {
          details: { level, index },
        });
      }
      return h;
    });
  }
}

/**
 * Serves what `first` has and asks `fallback` for the rest in a single call
 * (none if `first` had everything), keeping one read per proof.
 */
export function layeredReader(first: NodeLookup, fallback: HashReader): HashReader {
  return {
    async getNodes(ids) {
      const out: Uint8Array[] = new Array(ids.length);
      const missing: NodeId[] = [];
      const slots: number[] = [];
      ids.forEach((id, k) => {
        const h = first.get(id.level, id.index);
        if (h === undefined) {
          missing.push(id);
          slots.push(k);
        } else {
          out[k] = h;
        }
      });
      if (missing.length > 0) {
        const got = await readNodes(fallback, missing);
        slots.forEach((slot, k) => {
          out[slot] = got[k] as Uint8Array;
        });
      }
      return out;
    },
  };
}
