import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { toHex } from "../core/bytes.js";
import type { RandomBytes } from "../core/clock.js";
import { AppError, StorageError } from "../core/errors.js";
import { generateSignerKey, parseSignerKey } from "../crypto/note-keys.js";

/*
 * keys/log.key holds the log's Ed25519 private key as one line in the Go
 * golang.org/x/mod/sumdb/note format, `PRIVATE+KEY+<origin>+<key id hex>+<base64(0x01||seed)>`,
 * so the key name (= checkpoint origin) is bound to the key. Mode 0600.
 * keys/log.vkey holds the matching verifier key (public; any mode).
 */
export const LOG_KEY_FILE = "log.key";
export const LOG_VKEY_FILE = "log.vkey";

/** Reads a secret file, refusing one that other users could read. */
export async function readSecretFile(path: string, what: string): Promise<string | undefined> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StorageError(
      "KEY_FILE_UNREADABLE",
      `cannot read ${what} ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new StorageError(
      "KEY_FILE_PERMISSIONS",
      `${what} ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    );
  }
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new StorageError(
      "KEY_FILE_UNREADABLE",
      `cannot read ${what} ${path}: ${(cause as Error).message}; check its owner and mode`,
      {
        cause,
      },
    );
  }
}

/** Writes a secret file with mode 0600, never overwriting an existing one. */
export async function writeSecretFile(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600, flag: "wx" });
  await chmod(path, 0o600);
}

export interface LoadedLogKey {
  /** The private key string (never log it). */
  secret: string;
  origin: string;
  created: boolean;
}

/**
 * Loads keys/log.key, or creates it on first start. `origin` (from config)
 * names a new key; for an existing key it must match the key's name.
 */
export async function loadOrCreateLogKey(
  dir: string,
  options: { origin?: string; randomBytes: RandomBytes; create?: boolean },
): Promise<LoadedLogKey> {
  const path = join(dir, LOG_KEY_FILE);
  const text = await readSecretFile(path, "log key file");
  if (text !== undefined) {
    let parsed: ReturnType<typeof parseSignerKey>;
    try {
      parsed = parseSignerKey(text.trim());
    } catch (cause) {
      throw new StorageError(
        "KEY_FILE_MALFORMED",
        `log key file ${path} is not a PRIVATE+KEY+<name>+<id>+<key> line; restore it from backup (a new key would start a different log)`,
        { cause },
      );
    }
    if (options.origin !== undefined && options.origin !== parsed.name) {
      throw new StorageError(
        "CONFIG_INVALID",
        `NOTARIUM_ORIGIN is "${options.origin}" but ${path} belongs to the log "${parsed.name}"; unset NOTARIUM_ORIGIN or use another keys directory`,
      );
    }
    return { secret: text.trim(), origin: parsed.name, created: false };
  }
  if (options.create === false) {
    throw new StorageError(
      "KEY_FILE_UNREADABLE",
      `no log key at ${path}; start the service once (npm start) to create one`,
    );
  }
  const origin = options.origin ?? `notarium.local/${toHex(options.randomBytes(4))}`;
  let secret: string;
  try {
    secret = generateSignerKey(origin, options.randomBytes);
  } catch (cause) {
    if (cause instanceof AppError)
      throw new StorageError("CONFIG_INVALID", `invalid origin "${origin}": ${cause.message}`, { cause });
    throw cause;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeSecretFile(path, `${secret}\n`);
  return { secret, origin, created: true };
}

export async function writeVerifierKeyFile(dir: string, vkey: string): Promise<void> {
  await writeFile(join(dir, LOG_VKEY_FILE), `${vkey}\n`, { mode: 0o644 });
}
