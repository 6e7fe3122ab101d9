import { equalBytes, fromUtf8, toHex } from "../core/bytes.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf } from "../merkle/hash.js";
import { GENESIS_PREV } from "./entry.js";
import type { LedgerStore, StoredCheckpoint } from "./ledger-store.js";
import type { LogKey } from "./log-keys.js";

export interface AuditProblem {
  /** The first bad leaf index, when the problem is in an entry or the tree. */
  index?: number;
  blockHeight?: number;
  problem: string;
}

export interface AuditReport {
  ok: boolean;
  entries: number;
  blocks: number;
  root: string;
  firstProblem?: AuditProblem;
}

// The top-level tail of a canonical entry; body comes first, so the last match is the entry's own.
const TAIL =
  /,"index":(0|[1-9]\d*),"prev":"([0-9a-f]{64})","time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)","type":"([a-z.]+)","v":1}$/;
const TAIL_BYTES = 256;

/**
 * Recomputes the whole log from its entries: every leaf hash, every `prev`
 * link, every stored Merkle node, and every stored checkpoint's root and
 * signature. Stops at the first problem and names it.
 */
export async function auditLedger(
  store: LedgerStore,
  key: LogKey,
  onProgress?: (entries: number) => void,
): Promise<AuditReport> {
  const open: AsyncIterator<unknown>[] = [];
  const pending: Promise<void>[] = [];
  try {
    return await scan(store, key, open, pending, onProgress);
  } finally {
    // Leave no read in flight and no iterator open, so the caller can close the store.
    await Promise.allSettled(pending);
    await Promise.allSettled(open.map((it) => it.return?.()));
  }
}

async function scan(
  store: LedgerStore,
  key: LogKey,
  open: AsyncIterator<unknown>[],
  pending: Promise<void>[],
  onProgress?: (entries: number) => void,
): Promise<AuditReport> {
  const range = CompactRange.empty();
  const storedLevels: AsyncIterator<{ index: number; hash: Uint8Array }>[] = [];
  const checkpoints = store.iterateCheckpoints(0)[Symbol.asyncIterator]();
  open.push(checkpoints);
  let nextCp = await checkpoints.next();
  let blocks = 0;
  let prev = GENESIS_PREV;
  let expected = 0;
  let nodeProblem: AuditProblem | undefined;
  let lastTime = "";

  const reportEarliest = async (found: AuditProblem): Promise<AuditReport> => {
    // Node checks run behind the entry scan; an earlier node problem is the first one.
    await Promise.all(pending);
    const earlier = nodeProblem && (nodeProblem.index ?? 0) <= (found.index ?? Number.POSITIVE_INFINITY);
    return report(earlier ? nodeProblem : found);
  };

  const report = (firstProblem?: AuditProblem): AuditReport => ({
    ok: firstProblem === undefined,
    entries: expected,
    blocks,
    root: toHex(range.root()),
    ...(firstProblem ? { firstProblem } : {}),
  });

  // Verify every checkpoint whose size the range has reached.
  const checkCheckpoints = async (): Promise<AuditProblem | undefined> => {
    while (!nextCp.done && nextCp.value.size <= range.size) {
      const cp: StoredCheckpoint = nextCp.value;
      if (cp.blockHeight !== blocks)
        return { blockHeight: cp.blockHeight, problem: `block ${blocks} is missing` };
      if (cp.size < range.size)
        return { blockHeight: cp.blockHeight, problem: "checkpoint sizes go backwards" };
      let body: ReturnType<LogKey["openCheckpoint"]>;
      try {
        body = key.openCheckpoint(cp.note);
      } catch (e) {
        return {
          blockHeight: cp.blockHeight,
          problem: `checkpoint signature or format is bad: ${(e as Error).message}`,
        };
      }
      if (body.size !== cp.size)
        return { blockHeight: cp.blockHeight, problem: "signed size differs from the stored size" };
      if (!equalBytes(body.root, range.root())) {
        return {
          blockHeight: cp.blockHeight,
          index: cp.size - 1,
          problem: "signed root differs from the tree recomputed from the entries",
        };
      }
      blocks++;
      nextCp = await checkpoints.next();
    }
    return undefined;
  };

  const onNode = (level: number, index: number, hash: Uint8Array) => {
    let it = storedLevels[level];
    if (!it) {
      it = store.iterateNodes(level)[Symbol.asyncIterator]();
      storedLevels[level] = it;
      open.push(it);
    }
    const iter = it;
    pending.push(
      iter.next().then((r) => {
        if (nodeProblem) return;
        if (r.done || r.value.index !== index || !equalBytes(r.value.hash, hash)) {
          nodeProblem = {
            index: index * 2 ** level,
            problem: `stored Merkle node (level ${level}, index ${index}) is ${r.done || r.value.index !== index ? "missing" : "wrong"}`,
          };
        }
      }),
    );
  };

  let p = await checkCheckpoints();
  if (p) return report(p);
  for await (const { index, data } of store.iterateEntries(0)) {
    if (index !== expected)
      return reportEarliest({ index: expected, problem: `entry ${expected} is missing` });
    const tailStart = Math.max(0, data.length - TAIL_BYTES);
    let m: RegExpExecArray | null = null;
    try {
      m = TAIL.exec(fromUtf8(data.subarray(tailStart)));
    } catch {
      m = null;
    }
    if (!m) return reportEarliest({ index, problem: "entry is not a well-formed canonical entry" });
    if (Number(m[1]) !== index) return reportEarliest({ index, problem: `entry says index ${m[1]}` });
    if (m[2] !== prev) {
      const [stored] = index > 0 ? await store.getNodes([{ level: 0, index: index - 1 }]) : [];
      if (stored && toHex(stored) === m[2]) {
        return reportEarliest({
          index: index - 1,
          problem: "entry bytes were changed: its hash no longer matches the next entry's prev",
        });
      }
      return reportEarliest({
        index,
        problem: "prev does not match the previous entry's leaf hash (broken hash chain)",
      });
    }
    if ((m[3] as string) < lastTime) return reportEarliest({ index, problem: "entry time goes backwards" });
    lastTime = m[3] as string;
    const leafHash = hashLeaf(data);
    range.append(leafHash, onNode);
    prev = toHex(leafHash);
    expected++;
    if (pending.length >= 4096) {
      await Promise.all(pending);
      pending.length = 0;
      if (nodeProblem) return report(nodeProblem);
    }
    if (!nextCp.done && nextCp.value.size <= range.size) {
      p = await checkCheckpoints();
      if (p) return report(p);
    }
    if (onProgress && (expected & 0xffff) === 0) onProgress(expected);
  }
  await Promise.all(pending);
  if (nodeProblem) return report(nodeProblem);
  if (!nextCp.done) {
    return report({
      blockHeight: nextCp.value.blockHeight,
      problem: `checkpoint covers ${nextCp.value.size} entries but only ${expected} exist`,
    });
  }
  onProgress?.(expected);
  return report();
}
