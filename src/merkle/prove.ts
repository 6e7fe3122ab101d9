import { ValidationError } from "../core/errors.js";
import { EMPTY_ROOT, hashChildren, isHash } from "./hash.js";
import { type HashReader, readNodes } from "./hash-reader.js";
import { consistencyPlan, inclusionPlan, type ProofPlan, rootPlan } from "./proof-plan.js";
import { checkSize } from "./validate.js";

/**
 * Turns the hashes of `plan.ids` (same order) into proof elements by
 * collapsing the ephemeral run, right to left, into one node hash.
 */
export function foldProof(plan: ProofPlan, hashes: readonly Uint8Array[]): Uint8Array[] {
  if (hashes.length !== plan.ids.length || !hashes.every(isHash)) {
    throw new ValidationError("INVALID_ARGUMENT", `expected ${plan.ids.length} hashes of 32 bytes`);
  }
  const { foldBegin, foldEnd } = plan;
  if (foldEnd - foldBegin < 2) return hashes.slice();
  let ephemeral = hashes[foldEnd - 1] as Uint8Array;
  for (let k = foldEnd - 2; k >= foldBegin; k--) ephemeral = hashChildren(hashes[k] as Uint8Array, ephemeral);
  return [...hashes.slice(0, foldBegin), ephemeral, ...hashes.slice(foldEnd)];
}

async function prove(plan: ProofPlan, reader: HashReader): Promise<Uint8Array[]> {
  // An empty plan (one-leaf tree, equal sizes) needs no read at all.
  if (plan.ids.length === 0) return [];
  return foldProof(plan, await readNodes(reader, plan.ids));
}

/** Inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
export async function proveInclusion(index: number, size: number, reader: HashReader): Promise<Uint8Array[]> {
  return prove(inclusionPlan(index, size), reader);
}

/** Consistency proof from tree size `size1` to `size2` (RFC 9162 §2.1.4.1); 0 < size1 <= size2. */
export async function proveConsistency(
  size1: number,
  size2: number,
  reader: HashReader,
): Promise<Uint8Array[]> {
  return prove(consistencyPlan(size1, size2), reader);
}

/** MTH(D[size]) (RFC 6962 §2.1) from the stored perfect subtrees; EMPTY_ROOT for 0. */
export async function rootAt(size: number, reader: HashReader): Promise<Uint8Array> {
  if (checkSize(size) === 0) return EMPTY_ROOT.slice();
  const [root] = await prove(rootPlan(size), reader);
  return root as Uint8Array;
}
