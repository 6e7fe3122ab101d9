import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { isHexDigest, toHex } from "../core/bytes.js";
import { StorageError } from "../core/errors.js";
import { sha256 } from "../crypto/sha256.js";
import type { BlobStore } from "../esign/ports.js";

/** Content-addressed files under data/blobs/<first two hex>/<sha256>, written atomically (temp, fsync, rename). */
export class FileBlobStore implements BlobStore {
  #root: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  /** The root directory, this service's user's only (0700), also when an earlier version made it 0755. */
  #ensureRoot(): Promise<void> {
    this.#root ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700).catch(() => undefined); // not ours to change: left as it is
    })().catch((e: unknown) => {
      this.#root = undefined; // tried again next time
      throw e;
    });
    return this.#root;
  }

  private path(h: string): string {
    return join(this.dir, h.slice(0, 2), h);
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    const h = toHex(sha256(bytes));
    const final = this.path(h);
    // Agreements name the parties: this service's user only.
    await this.#ensureRoot();
    await mkdir(join(this.dir, h.slice(0, 2)), { recursive: true, mode: 0o700 });
    const tmp = `${final}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const fh = await open(tmp, "wx", 0o600);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, final);
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", `cannot store a file in ${this.dir}`, { cause });
    }
    return h;
  }

  async getBlob(h: string): Promise<Uint8Array | undefined> {
    if (!isHexDigest(h)) return undefined;
    try {
      return new Uint8Array(await readFile(this.path(h)));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StorageError("STORAGE_FAILURE", `cannot read a stored file from ${this.dir}`, { cause });
    }
  }
}
