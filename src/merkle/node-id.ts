/**
 * A node of the Merkle tree: the perfect subtree at `level` covering leaves
 * [index * 2^level, (index + 1) * 2^level). Level 0 nodes are leaf hashes.
 *
 * Only perfect (complete) subtrees are ever named or stored; the ragged right
 * edge of a tree whose size is not a power of two is always recomputed from
 * perfect subtrees (RFC 9162 §2.1.1), never persisted.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export function nodeId(level: number, index: number): NodeId {
  return { level, index };
}

/** The leaf range [begin, end) a node covers. */
export function nodeRange(id: NodeId): { begin: number; end: number } {
  const width = 2 ** id.level;
  return { begin: id.index * width, end: (id.index + 1) * width };
}
