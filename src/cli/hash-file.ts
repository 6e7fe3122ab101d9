import { open, stat } from "node:fs/promises";
import { toHex } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";
import { createSha256 } from "../crypto/sha256.js";

export interface HashedFile {
  path: string;
  sha256: string;
  size: number;
}

const CHUNK = 4 << 20;

/**
 * Hashes a file with flat memory whatever its size: two reused 4 MiB buffers,
 * the next read in flight (on libuv's thread pool) while the current chunk is
 * hashed, so disk and SHA-256 overlap instead of taking turns. Streams would
 * allocate a fresh buffer per chunk, which costs page faults and GC.
 */
export async function hashFile(
  path: string,
  onBytes?: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<HashedFile> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ValidationError("FILE_UNREADABLE", `${path} is not a regular file`);
    fh = await open(path, "r");
    const file = fh;
    const h = createSha256();
    const bufs = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
    let size = 0;
    let which = 0;
    let reading = file.read(bufs[0] as Uint8Array, 0, CHUNK, null);
    for (;;) {
      const { bytesRead } = await reading;
      signal?.throwIfAborted();
      if (bytesRead === 0) break;
      const current = bufs[which] as Uint8Array;
      which ^= 1;
      reading = file.read(bufs[which] as Uint8Array, 0, CHUNK, null);
      h.update(bytesRead === CHUNK ? current : current.subarray(0, bytesRead));
      size += bytesRead;
      onBytes?.(size);
    }
    return { path, sha256: toHex(h.digest()), size };
  } catch (cause) {
    if (cause instanceof ValidationError || signal?.aborted) throw cause;
    throw new ValidationError("FILE_UNREADABLE", `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  } finally {
    // Let a read still in flight finish before closing (it targets our buffer).
    await fh?.close().catch(() => undefined);
  }
}
