import { mkdir, readFile, writeFile } from "node:fs/promises";
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
  } catch (cause) {
    throw new StorageError("STORAGE_FAILURE", `cannot create ${location}: ${deepestMessage(cause)}`, {
      cause,
    });
  }
  const marked = await readFile(join(location, DAMAGE_MARK), "utf8").catch(() => undefined);
  if (marked !== undefined) throw damaged(o.what, location, marked);
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
  const dropped = droppedInRecovery(await readFile(join(location, "LOG"), "utf8").catch(() => ""));
  if (dropped.length > 0) {
    await db.close().catch(() => undefined);
    const report = `${dropped.join("\n")}\n`;
    await writeFile(join(location, DAMAGE_MARK), report).catch(() => undefined);
    throw damaged(o.what, location, report);
  }
}

/** Lines of LevelDB's info log that report data it dropped or could not read while opening. */
export function droppedInRecovery(log: string): string[] {
  return log.split("\n").filter((line) => /\bCorruption:|\(ignoring error\)|dropping \d+ bytes/.test(line));
}

function damaged(what: string, location: string, report: string): StorageError {
  const first = report.split("\n")[0]?.trim() ?? "";
  return new StorageError(
    "DATABASE_DAMAGED",
    `the ${what} at ${location} is damaged: LevelDB dropped records while opening it ("${first}"), ` +
      `so things it acknowledged may be missing. Not using it, so that nothing is signed over the gap: ` +
      `restore ${location} from a backup and run \`notarium audit\`; once the loss is understood, ` +
      `deleting ${join(location, DAMAGE_MARK)} lets it open as it is`,
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
