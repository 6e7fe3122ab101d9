import { equalBytes, toHex } from "../core/bytes.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf } from "../merkle/hash.js";
import type { NodeId } from "../merkle/node-id.js";
import { hexEquals, readEntryTail } from "./entry-tail.js";
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

/**
 * Compares recomputed Merkle nodes with the stored ones. A chunk of leaves
 * completes a contiguous run of nodes on each level, so each level is one
 * range read (sequential, far cheaper than a random read per node).
 */
async function compareNodes(
  store: LedgerStore,
  ids: NodeId[],
  hashes: Uint8Array[],
): Promise<AuditProblem | undefined> {
  const byLevel = new Map<number, number[]>();
  ids.forEach((id, i) => {
    const list = byLevel.get(id.level) ?? [];
    list.push(i);
    byLevel.set(id.level, list);
  });
  const reads = [...byLevel].map(async ([level, positions]): Promise<AuditProblem | undefined> => {
    const first = (ids[positions[0] as number] as NodeId).index;
    const stored = await store.readNodeRange(level, first, positions.length).catch(() => []);
    for (const [k, pos] of positions.entries()) {
      const id = ids[pos] as NodeId;
      const s = stored[k];
      if (!s || s.index !== id.index || !equalBytes(s.hash, hashes[pos] as Uint8Array)) {
        return {
          index: id.index * 2 ** id.level,
          problem: `stored Merkle node (level ${id.level}, index ${id.index}) is ${s && s.index === id.index ? "wrong" : "missing"}`,
        };
      }
    }
    return undefined;
  });
  const problems = (await Promise.all(reads)).filter((p): p is AuditProblem => p !== undefined);
  return problems.sort((x, y) => (x.index ?? 0) - (y.index ?? 0))[0];
}

const ZERO = new Uint8Array(32); // GENESIS_PREV: entry 0's prev is 64 zeros

/** Byte order of ISO 8601 times is time order. */
function compareTime(data: Uint8Array, at: number, last: Uint8Array): number {
  for (let i = 0; i < last.length; i++) {
    const d = (data[at + i] as number) - (last[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}
const CHUNK = 4096;

/**
 * Recomputes the whole log from its entries: every leaf hash, every `prev`
 * link, every stored Merkle node, and every stored checkpoint's root and
 * signature. Stops at the first problem and names it. Reads in chunks (one
 * range read of entries and one batched read of stored nodes per chunk).
 */
export async function auditLedger(
  store: LedgerStore,
  key: LogKey,
  onProgress?: (entries: number) => void,
): Promise<AuditReport> {
  const checkpoints = store.iterateCheckpoints(0)[Symbol.asyncIterator]();
  try {
    return await scan(store, key, checkpoints, onProgress);
  } finally {
    await checkpoints.return?.();
  }
}

async function scan(
  store: LedgerStore,
  key: LogKey,
  checkpoints: AsyncIterator<StoredCheckpoint>,
  onProgress?: (entries: number) => void,
): Promise<AuditReport> {
  const range = CompactRange.empty();
  let nextCp = await checkpoints.next();
  let blocks = 0;
  let prevHash: Uint8Array | undefined;
  let lastTime: Uint8Array = new Uint8Array(0);

  const report = (firstProblem?: AuditProblem): AuditReport => ({
    ok: firstProblem === undefined,
    entries: range.size,
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

  let p = await checkCheckpoints();
  if (p) return report(p);
  let nodeCheck: Promise<AuditProblem | undefined> = Promise.resolve(undefined);
  // A node problem of the previous chunk lies before anything found in this one.
  const fail = async (found: AuditProblem) => report((await nodeCheck) ?? found);
  // Read ahead: the next chunk loads while this one is hashed.
  let ahead = store.readEntries(0, CHUNK);
  for (;;) {
    const chunk = await ahead;
    if (chunk.length === 0) break;
    ahead = store.readEntries(range.size + chunk.length, CHUNK);
    ahead.catch(() => undefined); // an early return below must not leave an unhandled rejection
    const ids: NodeId[] = [];
    const hashes: Uint8Array[] = [];
    const onNode = (level: number, index: number, hash: Uint8Array) => {
      ids.push({ level, index });
      hashes.push(hash);
    };
    for (const { index, data, leafHash: storedLeaf } of chunk) {
      const expected = range.size;
      if (index !== expected) return fail({ index: expected, problem: `entry ${expected} is missing` });
      const tail = readEntryTail(data);
      if (!tail) return fail({ index, problem: "entry is not a well-formed canonical entry" });
      if (tail.index !== index) return fail({ index, problem: `entry says index ${tail.index}` });
      if (prevHash ? !hexEquals(data, tail.prevAt, prevHash) : !hexEquals(data, tail.prevAt, ZERO)) {
        // Either this entry's prev was edited, or the previous entry's bytes were:
        // if the stored leaf hash of the previous entry is what prev says, it was the bytes.
        const [storedPrev] =
          index > 0 ? await store.getNodes([{ level: 0, index: index - 1 }]).catch(() => []) : [];
        if (storedPrev && hexEquals(data, tail.prevAt, storedPrev)) {
          return fail({
            index: index - 1,
            problem: "entry bytes were changed: they no longer hash to the recorded leaf hash",
          });
        }
        return fail({
          index,
          problem: "prev does not match the previous entry's leaf hash (broken hash chain)",
        });
      }
      if (compareTime(data, tail.timeAt, lastTime) < 0)
        return fail({ index, problem: "entry time goes backwards" });
      lastTime = data.subarray(tail.timeAt, tail.timeAt + 24);
      const leafHash = hashLeaf(data);
      if (storedLeaf && !equalBytes(storedLeaf, leafHash)) {
        return fail({
          index,
          problem: "entry bytes were changed: they no longer hash to the stored leaf hash",
        });
      }
      // The store handed back level 0 with the entry (checked above); the other nodes are read in one batch below.
      range.append(leafHash, storedLeaf ? (level, i, h) => level > 0 && onNode(level, i, h) : onNode);
      prevHash = leafHash;
      if (!nextCp.done && nextCp.value.size <= range.size) {
        p = await checkCheckpoints();
        if (p) return fail(p);
      }
    }
    // This chunk's stored nodes are read while the next chunk is hashed.
    const nodeProblem = await nodeCheck;
    if (nodeProblem) return report(nodeProblem);
    nodeCheck = compareNodes(store, ids, hashes);
    onProgress?.(range.size);
  }
  await ahead.catch(() => undefined);
  const lastNodeProblem = await nodeCheck;
  if (lastNodeProblem) return report(lastNodeProblem);
  if (!nextCp.done) {
    return report({
      blockHeight: nextCp.value.blockHeight,
      problem: `checkpoint covers ${nextCp.value.size} entries but only ${range.size} exist`,
    });
  }
  return report();
}
