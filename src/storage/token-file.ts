import { randomBytes } from "node:crypto";
import { open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { StorageError } from "../core/errors.js";
import { type TokenRecord, type TokenStore, tokenRecordSchema } from "../service/tokens.js";

/*
 * <dataDir>/tokens.json: {"version":1,"tokens":[TokenRecord…]}, mode 0600.
 * It lives beside the LevelDB directory, not in it, because the running
 * service holds LevelDB's lock while `notarium token …` must still edit it.
 * Every write replaces the file atomically (temp file, fsync, rename, fsync
 * of the directory), so a reader sees the old set or the new one, never half.
 */
export const TOKEN_FILE = "tokens.json";

const fileSchema = z.object({ version: z.literal(1), tokens: z.array(tokenRecordSchema) }).strict();

const LOCK_WAIT_MS = 5000;
/** A lock older than this was left by a crashed writer (a write takes milliseconds). */
const LOCK_STALE_MS = 30_000;

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/** Writes `content` to `path` atomically with the given mode (temp + fsync + rename + directory fsync). */
export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.chmod(mode); // the umask may have narrowed or widened nothing, but be explicit
    await fh.writeFile(content, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dirname(path));
}

/** fsyncs a directory, so a rename or unlink in it survives a crash (where the file system allows). */
export async function syncDir(path: string): Promise<void> {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } catch {
    // some file systems refuse fsync on a directory; a rename is still atomic
  } finally {
    await dir.close();
  }
}

/** TokenStore over one JSON file, safe to share between the service and CLI processes. */
export class TokenFile implements TokenStore {
  constructor(readonly path: string) {}

  async version(): Promise<string | undefined> {
    try {
      const s = await stat(this.path, { bigint: true });
      return `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch (e) {
      if (errno(e) === "ENOENT") return undefined;
      throw new StorageError(
        "KEY_FILE_UNREADABLE",
        `cannot read the tokens file ${this.path}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  async exists(): Promise<boolean> {
    return (await this.version()) !== undefined;
  }

  async read(): Promise<{ records: TokenRecord[]; version: string | undefined }> {
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(this.path, "r");
    } catch (e) {
      if (errno(e) === "ENOENT") return { records: [], version: undefined };
      throw new StorageError(
        "KEY_FILE_UNREADABLE",
        `cannot read the tokens file ${this.path}: ${(e as Error).message}`,
        { cause: e },
      );
    }
    try {
      // Stat and read the same open file, so the version describes exactly these bytes.
      const s = await fh.stat({ bigint: true });
      if (process.platform !== "win32" && (Number(s.mode) & 0o077) !== 0) {
        throw new StorageError(
          "KEY_FILE_PERMISSIONS",
          `the tokens file ${this.path} is readable by other users (mode ${(Number(s.mode) & 0o777).toString(8)}); run: chmod 600 ${this.path}`,
        );
      }
      const text = await fh.readFile("utf8");
      return { records: this.parse(text), version: `${s.ino}:${s.mtimeNs}:${s.size}` };
    } finally {
      await fh.close();
    }
  }

  private parse(text: string): TokenRecord[] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new StorageError(
        "KEY_FILE_MALFORMED",
        `the tokens file ${this.path} is not JSON; restore it from backup`,
        { cause },
      );
    }
    const r = fileSchema.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new StorageError(
        "KEY_FILE_MALFORMED",
        `the tokens file ${this.path} is malformed at ${i?.path.join(".")}: ${i?.message}`,
      );
    }
    return r.data.tokens;
  }

  async update(change: (records: TokenRecord[]) => TokenRecord[]): Promise<void> {
    await this.withLock(async () => {
      const { records } = await this.read();
      const next = change(records);
      if (next === records) return;
      await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, tokens: next }, null, 2)}\n`);
    });
  }

  /** An O_EXCL lock file serialises writers across processes; a stale one (crashed writer) is broken. */
  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = `${this.path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fh = await open(lock, "wx", 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        break;
      } catch (e) {
        if (errno(e) !== "EEXIST") {
          throw new StorageError(
            "KEY_FILE_UNREADABLE",
            `cannot lock the tokens file ${this.path}: ${(e as Error).message}`,
            { cause: e },
          );
        }
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > LOCK_STALE_MS) {
          await unlink(lock).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) {
          throw new StorageError(
            "CONFLICT",
            `the tokens file is locked by another process (${lock}); retry, or remove the lock if no notarium command is running`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }
}
