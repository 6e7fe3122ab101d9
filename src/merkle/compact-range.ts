import { ValidationError } from "../core/errors.js";
import { EMPTY_ROOT, hashChildren, isHash } from "./hash.js";
import { type HashReader, type NodeSink, readNodes } from "./hash-reader.js";
import type { NodeId } from "./node-id.js";
import { perfectRoots } from "./proof-plan.js";
import { checkSize } from "./validate.js";

/**
 * The leaves [0, size) summarised by the roots of its perfect subtrees, one
 * per set bit of `size`, largest first (the tree's right border). That is all
 * an append needs, so appends never read storage, and the root is MTH(D[size])
 * (RFC 6962 §2.1) folded from these right to left.
 *
 * Stored hashes are never mutated in place and never handed out, which is what
 * lets clone() share them.
 */
export class CompactRange {
  #size: number;
  readonly #hashes: Uint8Array[];

  private constructor(size: number, hashes: Uint8Array[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** Rebuilds the range of a stored tree from its O(log size) perfect roots, in one read. */
  static async load(size: number, reader: HashReader): Promise<CompactRange> {
    const ids = perfectRoots(checkSize(size));
    const hashes = ids.length === 0 ? [] : await readNodes(reader, ids);
    // Copied because the reader may hand out arrays it keeps using.
    return new CompactRange(
      size,
      hashes.map((h) => h.slice()),
    );
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf hash. `onNode` sees every node this completes, bottom-up,
   * starting with the leaf itself at level 0, so storage can keep every
   * perfect node. It must not mutate the hashes. If it throws, the range is
   * left unchanged.
   */
  append(leafHash: Uint8Array, onNode?: NodeSink): void {
    if (!isHash(leafHash)) throw new ValidationError("INVALID_ARGUMENT", "leafHash: expected 32 bytes");
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new ValidationError("INVALID_SIZE", "tree is full");
    onNode?.(0, this.#size, leafHash);
    // Each trailing 1 bit of the old size is a border subtree of the same
    // width as the one being carried, so the two merge into their parent.
    let hash = leafHash;
    let top = this.#hashes.length;
    let level = 0;
    for (let index = this.#size; index % 2 === 1; ) {
      top--;
      hash = hashChildren(this.#hashes[top] as Uint8Array, hash);
      index = (index - 1) / 2;
      level++;
      onNode?.(level, index, hash);
    }
    // Mutate only after every onNode call returned.
    this.#hashes.length = top;
    // Copy a leaf kept as is: the caller still owns that array.
    this.#hashes.push(hash === leafHash ? leafHash.slice() : hash);
    this.#size++;
  }

  /** MTH(D[size]); EMPTY_ROOT for the empty range. */
  root(): Uint8Array {
    const hashes = this.#hashes;
    if (hashes.length === 0) return EMPTY_ROOT.slice();
    let root = hashes[hashes.length - 1] as Uint8Array;
    if (hashes.length === 1) return root.slice();
    for (let k = hashes.length - 2; k >= 0; k--) root = hashChildren(hashes[k] as Uint8Array, root);
    return root;
  }

  clone(): CompactRange {
    return new CompactRange(this.#size, this.#hashes.slice());
  }

  /** The border: the perfect subtree roots, largest (leftmost) first. */
  nodes(): { id: NodeId; hash: Uint8Array }[] {
    return perfectRoots(this.#size).map((id, k) => ({ id, hash: (this.#hashes[k] as Uint8Array).slice() }));
  }
}
