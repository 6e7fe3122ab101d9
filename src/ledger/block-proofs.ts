import { toBase64, toHex } from "../core/bytes.js";
import { StorageError, ValidationError } from "../core/errors.js";
import type { NodeId } from "../merkle/node-id.js";
import { rangeInclusionProofs } from "../merkle/range-proofs.js";
import type { BlockWrite } from "./ledger-store.js";

/** A node the block completed (CompactRange.append's onNode), as the block writes it. */
type BlockNode = BlockWrite["nodes"][number];

/**
 * The inclusion proofs of a block's entries against the block's own
 * checkpoint, made from what the block already holds in memory: the nodes it
 * completed and the border of the tree before it. Nothing is read from
 * storage, and the first proof asked for makes them all at once (they share
 * most elements), so receipts for a whole block cost little more than their
 * encoding. Ledger appends that nobody asks a receipt for cost nothing here.
 */
export class BlockProofs {
  readonly #start: number;
  readonly #nodes: readonly BlockNode[];
  readonly #border: readonly { id: NodeId; hash: Uint8Array }[];
  #proofs: Uint8Array[][] | undefined;
  /** Hex and base64 of each distinct proof element, made once for the whole block. */
  readonly #encoded = new Map<Uint8Array, { hex: string; base64: string }>();
  #texts: { hex: string[]; lines: string[] } | undefined;

  /** `nodes` may still grow until the block is written: it is read on first use. */
  constructor(
    start: number,
    nodes: readonly BlockNode[],
    border: readonly { id: NodeId; hash: Uint8Array }[],
  ) {
    this.#start = start;
    this.#nodes = nodes;
    this.#border = border;
  }

  /** PATH(index, D[size]) for an entry of this block; its arrays are shared: never change them. */
  proof(index: number): readonly Uint8Array[] {
    this.#proofs ??= this.#make();
    const k = index - this.#start;
    if (!Number.isSafeInteger(index) || k < 0 || k >= this.#proofs.length)
      throw new ValidationError("INVALID_INDEX", `entry ${index} is not in this block`);
    return this.#proofs[k] as Uint8Array[];
  }

  /** proof(index) in hex and in base64, each element encoded once per block. */
  text(index: number): { hex: string[]; base64: string[] } {
    const proof = this.proof(index);
    const hex: string[] = [];
    const base64: string[] = [];
    for (const h of proof) {
      const t = this.#encode(h);
      hex.push(t.hex);
      base64.push(t.base64);
    }
    return { hex, base64 };
  }

  #encode(h: Uint8Array): { hex: string; base64: string } {
    let t = this.#encoded.get(h);
    if (!t) {
      t = { hex: toHex(h), base64: toBase64(h) };
      this.#encoded.set(h, t);
    }
    return t;
  }

  /**
   * proof(index) as text for a JSON string, both ASCII: `hex` is the hashes in hex
   * joined by `","` (the inside of `["…"]`, empty for an empty proof), `lines` is
   * each hash in base64 followed by an escaped newline (`\\n`), as a tlog-proof
   * lists them. Made for the whole block at once: neighbouring entries' proofs end
   * in the same elements, so each text is the entry's own lowest elements joined
   * to a tail shared with the entry before it, and every element is encoded once.
   */
  jsonText(index: number): { hex: string; lines: string } {
    this.proof(index); // checks the index
    this.#texts ??= this.#makeTexts();
    const k = index - this.#start;
    return { hex: this.#texts.hex[k] as string, lines: this.#texts.lines[k] as string };
  }

  #makeTexts(): { hex: string[]; lines: string[] } {
    const proofs = this.#proofs as Uint8Array[][];
    const hex: string[] = [];
    const lines: string[] = [];
    // For the previous proof: its last d elements as text, at [d].
    let prev: readonly Uint8Array[] = [];
    const tailHex = [""];
    const tailLines = [""];
    for (const proof of proofs) {
      const n = proof.length;
      let same = 0;
      while (same < n && same < prev.length && proof[n - 1 - same] === prev[prev.length - 1 - same]) same++;
      for (let d = same + 1; d <= n; d++) {
        const t = this.#encode(proof[n - d] as Uint8Array);
        tailHex[d] = d === 1 ? t.hex : `${t.hex}","${tailHex[d - 1]}`;
        tailLines[d] = `${t.base64}\\n${tailLines[d - 1]}`;
      }
      hex.push(tailHex[n] as string);
      lines.push(tailLines[n] as string);
      prev = proof;
    }
    return { hex, lines };
  }

  /** Per level, the block's nodes are consecutive; the border adds at most one before them. */
  #make(): Uint8Array[][] {
    const levels: { first: number; hashes: Uint8Array[] }[] = [];
    for (const n of this.#nodes) {
      let at = levels[n.level];
      if (!at) {
        at = { first: n.index, hashes: [] };
        levels[n.level] = at;
      }
      if (n.index !== at.first + at.hashes.length)
        throw new StorageError("LEDGER_CORRUPT", `block nodes at level ${n.level} are not consecutive`);
      at.hashes.push(n.hash);
    }
    const border = new Map(this.#border.map((b) => [b.id.level, b]));
    const node = (level: number, index: number): Uint8Array => {
      const at = levels[level];
      const k = at ? index - at.first : -1;
      if (at && k >= 0 && k < at.hashes.length) return at.hashes[k] as Uint8Array;
      const b = border.get(level);
      if (b && b.id.index === index) return b.hash;
      throw new StorageError(
        "LEDGER_CORRUPT",
        `block proof needs node ${level}/${index}, which the block lacks`,
      );
    };
    // The block's leaves are its level-0 nodes.
    return rangeInclusionProofs(this.#start, this.#start + (levels[0]?.hashes.length ?? 0), node);
  }
}
