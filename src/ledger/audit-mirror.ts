import { equalBytes, toHex, utf8 } from "../core/bytes.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf } from "../merkle/hash.js";
import type { AuditProblem } from "./audit.js";
import { hexEquals, readEntryTail } from "./entry-tail.js";

export interface MirrorPage {
  entries: { index: number; txHash: string; entry: string }[];
}

export interface MirrorReport {
  ok: boolean;
  entries: number;
  root: string;
  firstProblem?: AuditProblem;
}

const ZERO = new Uint8Array(32);

/**
 * A court's own check of a log it does not run: fetch every entry (pages in
 * order, e.g. GET /api/v1/log/entries), recompute each leaf hash and `prev`
 * link and the RFC 6962 tree, and require the root at `size` to equal the
 * root of a checkpoint the caller has already verified (log signature and
 * witness quorum). Names the first bad index.
 */
export async function auditMirror(
  fetchPage: (from: number) => Promise<MirrorPage>,
  checkpoint: { size: number; root: Uint8Array },
  onProgress?: (entries: number) => void,
): Promise<MirrorReport> {
  const range = CompactRange.empty();
  let prev: Uint8Array = ZERO;
  const report = (firstProblem?: AuditProblem): MirrorReport => ({
    ok: firstProblem === undefined,
    entries: range.size,
    root: toHex(range.root()),
    ...(firstProblem ? { firstProblem } : {}),
  });
  while (range.size < checkpoint.size) {
    const page = await fetchPage(range.size);
    if (page.entries.length === 0)
      return report({ index: range.size, problem: `the log served no entry ${range.size}` });
    for (const e of page.entries) {
      if (range.size >= checkpoint.size) break;
      const index = range.size;
      if (e.index !== index) return report({ index, problem: `expected entry ${index}, got ${e.index}` });
      const data = utf8(e.entry);
      const tail = readEntryTail(data);
      if (!tail || tail.index !== index)
        return report({ index, problem: "entry is not a well-formed canonical entry for this index" });
      if (!hexEquals(data, tail.prevAt, prev))
        return report({ index, problem: "prev does not match the previous entry's leaf hash" });
      const leaf = hashLeaf(data);
      if (toHex(leaf) !== e.txHash)
        return report({ index, problem: "the served txHash is not the entry's leaf hash" });
      range.append(leaf);
      prev = leaf;
    }
    onProgress?.(range.size);
  }
  if (!equalBytes(range.root(), checkpoint.root)) {
    return report({
      index: checkpoint.size - 1,
      problem: "the entries do not rebuild the root of the verified checkpoint",
    });
  }
  return report();
}
