import { mkdir } from "node:fs/promises";
import { StorageError } from "../core/errors.js";

/**
 * Creates `location` if needed and opens a LevelDB there, naming what went
 * wrong: DATA_DIR_LOCKED when another process holds it (`lockedMessage` says
 * which and what to do), STORAGE_FAILURE otherwise.
 */
export async function openLevelDb(
  db: { open(): Promise<void> },
  location: string,
  o: { what: string; lockedMessage: string; mode?: number },
): Promise<void> {
  try {
    await mkdir(location, { recursive: true, ...(o.mode === undefined ? {} : { mode: o.mode }) });
    await db.open();
  } catch (cause) {
    const locked = (cause as { cause?: { code?: string } }).cause?.code === "LEVEL_LOCKED";
    throw new StorageError(
      locked ? "DATA_DIR_LOCKED" : "STORAGE_FAILURE",
      locked ? o.lockedMessage : `cannot open the ${o.what} at ${location}`,
      { cause },
    );
  }
}

/** What a service's data directory says when another process holds it. */
export const dataDirInUse = (location: string) =>
  `the data directory ${location} is in use by another process (a running service?); stop it, or talk to it with --server URL`;
