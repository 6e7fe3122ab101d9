import { equalBytes, toHex } from "../core/bytes.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf } from "../merkle/hash.js";
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

/** The interior nodes one chunk of leaves completes on one level: contiguous indices. */
interface LevelRun {
  first: number;
  hashes: Uint8Array[];
}

/**
 * Compares recomputed Merkle nodes with the stored ones. A chunk of leaves
 * completes a contiguous run of nodes on each level, so each level is one
 * range read (sequential, far cheaper than a random read per node). The first
 * mismatch on a level is looked up by key to tell a missing node from a wrong one.
 */
async function compareNodes(
  store: LedgerStore,
  runs: (LevelRun | undefined)[],
): Promise<AuditProblem | undefined> {
  const reads = Array.from(runs, async (run, level): Promise<AuditProblem | undefined> => {
    if (!run) return undefined;
    const stored = await store.readNodeRange(level, run.first, run.hashes.length).catch(() => []);
    for (let k = 0; k < run.hashes.length; k++) {
      const s = stored[k];
      if (s && equalBytes(s, run.hashes[k] as Uint8Array)) continue;
      const index = run.first + k;
      const present = await store.getNodes([{ level, index }]).then(
        () => true,
        () => false,
      );
      return {
        index: index * 2 ** level,
        problem: `stored Merkle node (level ${level}, index ${index}) is ${present ? "wrong" : "missing"}`,
      };
    }
    return undefined;
  });
  const problems = (await Promise.all(reads)).filter((p): p is AuditProblem => p !== undefined);
  return problems.sort((x, y) => (x.index ?? 0) - (y.index ?? 0))[0];
}

const ZERO = new Uint8Array(32); // GENESIS_PREV: entry 0's prev is 64 zeros

const TIME_LENGTH = 24;

/** Byte order of ISO 8601 times is time order; no time (`last` empty) comes before any. */
function compareTime(data: Uint8Array, at: number, last: Uint8Array, lastAt: number): number {
  if (last.length === 0) return 1;
  for (let i = 0; i < TIME_LENGTH; i++) {
    const d = (data[at + i] as number) - (last[lastAt + i] as number);
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
  const blockIndex = store.iterateBlockIndex()[Symbol.asyncIterator]();
  try {
    return await scan(store, key, checkpoints, blockIndex, onProgress);
  } finally {
    await checkpoints.return?.();
    await blockIndex.return?.();
  }
}

async function scan(
  store: LedgerStore,
  key: LogKey,
  checkpoints: AsyncIterator<StoredCheckpoint>,
  blockIndex: AsyncIterator<{ size: number; blockHeight: number }>,
  onProgress?: (entries: number) => void,
): Promise<AuditReport> {
  const range = CompactRange.empty();
  let nextCp = await checkpoints.next();
  let blocks = 0;
  let prevHash: Uint8Array | undefined;
  let lastTime: Uint8Array = new Uint8Array(0);
  let lastTimeAt = 0;

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
      // The block index (tree size to block) must list this block: receipts name an old
      // entry's block from it.
      const listed = await blockIndex.next();
      if (listed.done || listed.value.size !== cp.size || listed.value.blockHeight !== cp.blockHeight)
        return {
          blockHeight: cp.blockHeight,
          problem: `the block index does not list block ${cp.blockHeight} (tree size ${cp.size}) in its place`,
        };
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
    const runs: (LevelRun | undefined)[] = [];
    let leafChecked = false;
    const onNode = (level: number, index: number, hash: Uint8Array) => {
      if (level === 0 && leafChecked) return; // already compared with the entry row's leaf hash
      const run = runs[level] ?? { first: index, hashes: [] };
      runs[level] = run;
      run.hashes.push(hash);
    };
    for (const { index, data, leafHash: storedLeaf } of chunk) {
      const expected = range.size;
      if (index !== expected) return fail({ index: expected, problem: `entry ${expected} is missing` });
      const tail = readEntryTail(data);
      if (!tail) return fail({ index, problem: "entry is not a well-formed canonical entry" });
      // Stores may number rows by position: a row naming a later index means this one is gone.
      if (tail.index !== index) {
        const gone = tail.index > index && (await store.getEntry(index).catch(() => undefined)) === undefined;
        return fail({
          index,
          problem: gone ? `entry ${index} is missing` : `entry says index ${tail.index}`,
        });
      }
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
      if (compareTime(data, tail.timeAt, lastTime, lastTimeAt) < 0)
        return fail({ index, problem: "entry time goes backwards" });
      lastTime = data;
      lastTimeAt = tail.timeAt;
      const leafHash = hashLeaf(data);
      if (storedLeaf && !equalBytes(storedLeaf, leafHash)) {
        return fail({
          index,
          problem: "entry bytes were changed: they no longer hash to the stored leaf hash",
        });
      }
      leafChecked = storedLeaf !== undefined;
      // The other nodes this completes are read in one batch per level below.
      range.append(leafHash, onNode);
      prevHash = leafHash;
      if (!nextCp.done && nextCp.value.size <= range.size) {
        p = await checkCheckpoints();
        if (p) return fail(p);
      }
    }
    // This chunk's stored nodes are read while the next chunk is hashed.
    const nodeProblem = await nodeCheck;
    if (nodeProblem) return report(nodeProblem);
    nodeCheck = compareNodes(store, runs);
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
  const extra = await blockIndex.next();
  if (!extra.done) {
    return report({
      blockHeight: extra.value.blockHeight,
      problem: `the block index lists a block ${extra.value.blockHeight} (tree size ${extra.value.size}) beyond the newest checkpoint`,
    });
  }
  return report();
}
