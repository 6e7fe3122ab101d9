import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { toHex } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";
import { sha256Stream } from "../crypto/sha256.js";

export interface HashedFile {
  path: string;
  sha256: string;
  size: number;
}

/** Streams a file through SHA-256 in 1 MiB reads; memory stays flat whatever its size. */
export async function hashFile(path: string, onBytes?: (bytes: number) => void): Promise<HashedFile> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ValidationError("FILE_UNREADABLE", `${path} is not a regular file`);
    const { digest, size } = await sha256Stream(createReadStream(path, { highWaterMark: 1 << 20 }), onBytes);
    return { path, sha256: toHex(digest), size };
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    throw new ValidationError("FILE_UNREADABLE", `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}
