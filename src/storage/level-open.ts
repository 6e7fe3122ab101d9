import { chmod, mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { StorageError } from "../core/errors.js";

/** Left in a database's directory once LevelDB is seen dropping data; every later open refuses while it is there. */
export const DAMAGE_MARK = "NOTARIUM-DAMAGED";

/**
 * Creates `location` if needed and opens a LevelDB there, naming what went
 * wrong: DATA_DIR_LOCKED when another process holds it (`lockedMessage` says
 * which and what to do), STORAGE_FAILURE otherwise.
 *
 * LevelDB recovers a damaged write-ahead log by dropping the records that
 * fail their checksum and carrying on (classic-level has no paranoid mode),
 * then deletes that log: a flipped bit on disk would silently take
 * acknowledged entries with it, and the ledger would sign new ones at their
 * indices, a fork of history. Its recovery writes what it dropped to the
 * database's info LOG, so an open that finds such a line refuses
 * (DATABASE_DAMAGED), and leaves a mark so that every later open refuses too
 * until someone restores the directory or decides the loss is known.
 */
export async function openLevelDb(
  db: { open(): Promise<void>; close(): Promise<void> },
  location: string,
  o: { what: string; lockedMessage: string; mode?: number },
): Promise<void> {
  try {
    await mkdir(location, { recursive: true, ...(o.mode === undefined ? {} : { mode: o.mode }) });
    // mkdir leaves an existing directory as it is: one made by an earlier version gets the mode too.
    if (o.mode !== undefined) await chmod(location, o.mode).catch(() => undefined); // not ours: as it is
  } catch (cause) {
    throw new StorageError("STORAGE_FAILURE", `cannot create ${location}: ${deepestMessage(cause)}`, {
      cause,
    });
  }
  const marked = await readMark(location);
  if (marked !== undefined) throw damaged(o.what, location, marked);
  // LevelDB starts a new LOG at every open, before it takes the lock: another process failing
  // to open the store could rotate ours to LOG.old right after our recovery. Both are read,
  // LOG.old from a little before this open started.
  const openedAt = Date.now() - 2_000;
  try {
    await db.open();
  } catch (cause) {
    const locked = (cause as { cause?: { code?: string } }).cause?.code === "LEVEL_LOCKED";
    throw new StorageError(
      locked ? "DATA_DIR_LOCKED" : "STORAGE_FAILURE",
      locked ? o.lockedMessage : `cannot open the ${o.what} at ${location}: ${deepestMessage(cause)}`,
      { cause },
    );
  }
  const log = async (name: string) => readFile(join(location, name), "utf8").catch(() => "");
  const dropped = [
    ...droppedInRecovery(await log("LOG.old"), openedAt),
    ...droppedInRecovery(await log("LOG")),
  ];
  if (dropped.length > 0) {
    const report = `${[...new Set(dropped)].join("\n")}\n`;
    // The mark first, synced: LevelDB has deleted the damaged log already, and the next open
    // of the store would find nothing else to say so.
    const unmarked = await writeMark(location, report).then(
      () => undefined,
      (e: unknown) => deepestMessage(e),
    );
    await db.close().catch(() => undefined);
    throw damaged(o.what, location, report, unmarked);
  }
}

async function readMark(location: string): Promise<string | undefined> {
  try {
    return await readFile(join(location, DAMAGE_MARK), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StorageError(
      "STORAGE_FAILURE",
      `cannot read ${join(location, DAMAGE_MARK)}: ${deepestMessage(e)}`,
      { cause: e },
    );
  }
}

async function writeMark(location: string, report: string): Promise<void> {
  const file = await open(join(location, DAMAGE_MARK), "w");
  try {
    await file.writeFile(report);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** LevelDB's info-log time stamp, `2026/11/28-01:28:23.124871`, in local time. */
const STAMP = /^(\d{4})\/(\d{2})\/(\d{2})-(\d{2}):(\d{2}):(\d{2})\.(\d{3})/;

/**
 * Lines of LevelDB's info log that report data it dropped or could not read
 * while opening (`(ignoring error) … dropping N bytes; Corruption: …` from a
 * log's checksums, `Ignoring error IO error: …` from an unreadable one); with
 * `since`, only lines stamped from then on.
 */
export function droppedInRecovery(log: string, since?: number): string[] {
  return log.split("\n").filter((line) => {
    if (!/\bCorruption:|\(ignoring error\)|\bIgnoring error\b|dropping \d+ bytes/.test(line)) return false;
    if (since === undefined) return true;
    const m = STAMP.exec(line);
    if (!m) return true;
    const [y, mo, d, h, mi, sec, ms] = m.slice(1).map(Number) as number[];
    return new Date(y as number, (mo as number) - 1, d, h, mi, sec, ms).getTime() >= since;
  });
}

function damaged(what: string, location: string, report: string, unmarked?: string): StorageError {
  const first = report.split("\n")[0]?.trim() ?? "";
  return new StorageError(
    "DATABASE_DAMAGED",
    `the ${what} at ${location} is damaged: LevelDB dropped or could not read records while opening it ` +
      `("${first}"). After a power cut this may be only the last write, which nobody was told was ` +
      `recorded; otherwise things it acknowledged may be missing. Not using it, so that nothing is ` +
      `signed over a gap. To check: delete ${join(location, DAMAGE_MARK)}, run \`notarium audit\` ` +
      `(not serve) and compare its size with the newest checkpoint others hold (receipts, court ` +
      `witnesses); if entries are missing, restore ${location} from a backup at least that new ` +
      `(docs/witness.md) before serving again` +
      (unmarked ? `. Could not leave that mark (${unmarked}): the next start will not refuse` : ""),
  );
}

/** The innermost cause's words (LevelDB's own, e.g. "Corruption: …", sit under its wrappers). */
function deepestMessage(e: unknown): string {
  let at = e as { message?: string; cause?: unknown } | undefined;
  while (at?.cause && typeof at.cause === "object") at = at.cause as typeof at;
  return at?.message ?? String(e);
}

/** What a service's data directory says when another process holds it. */
export const dataDirInUse = (location: string) =>
  `the data directory ${location} is in use by another process (a running service?); stop it, or talk to it with --server URL`;
