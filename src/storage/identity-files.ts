import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { toHex, utf8 } from "../core/bytes.js";
import { StorageError } from "../core/errors.js";
import type { IdentityRecord, IdentityStore } from "../esign/ports.js";
import { syncDir, writeFileAtomic } from "./token-file.js";

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

/**
 * Identity records (the salt and personal data behind an identity commitment)
 * as one file each, under data/identities/, so that erasing one really removes
 * it. In LevelDB a deleted value stays in older table files until a compaction
 * happens to rewrite them, and a manual compaction does not reach every level:
 * an audit recovered an erased ID number and its salt from the state database.
 *
 * A record is written atomically (temp, fsync, rename). Erasing first renames
 * it out of the way (so a read, or a second erase, finds nothing at once), then
 * overwrites it with zeros, syncs and unlinks it. A crash midway leaves only
 * `*.erasing` or `*.tmp` files, which the next open zeroes and removes.
 */
export class IdentityFiles implements IdentityStore {
  constructor(readonly dir: string) {}

  /** Makes the directory (0700), and finishes what a crash left: half-erased and half-written records. */
  async open(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700).catch(() => undefined); // one made by hand: 0700 if ours
      for (const name of await readdir(this.dir)) {
        if (name.endsWith(".erasing") || name.endsWith(".tmp")) await this.#shred(join(this.dir, name));
      }
    } catch (cause) {
      throw new StorageError(
        "STORAGE_FAILURE",
        `cannot use ${this.dir} for identity data: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /** File names carry the IDs in hex: any case or party ID makes a safe name. */
  private path(caseId: string, signer: string): string {
    return join(this.dir, `${toHex(utf8(caseId))}.${toHex(utf8(signer))}.json`);
  }

  async putIdentity(r: IdentityRecord): Promise<void> {
    try {
      await writeFileAtomic(this.path(r.caseId, r.signer), JSON.stringify(r));
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", `cannot store identity data in ${this.dir}`, { cause });
    }
  }

  async getIdentity(caseId: string, signer: string): Promise<IdentityRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(caseId, signer), "utf8");
    } catch (cause) {
      if (errno(cause) === "ENOENT") return undefined;
      throw new StorageError("STORAGE_FAILURE", `cannot read identity data from ${this.dir}`, { cause });
    }
    try {
      return JSON.parse(text) as IdentityRecord;
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", `the identity data of ${signer} in ${caseId} is damaged`, {
        cause,
      });
    }
  }

  async eraseIdentity(caseId: string, signer: string): Promise<boolean> {
    const path = this.path(caseId, signer);
    const erasing = `${path}.${randomBytes(6).toString("hex")}.erasing`;
    try {
      try {
        await rename(path, erasing);
      } catch (cause) {
        if (errno(cause) === "ENOENT") return false; // nothing there, or erased meanwhile
        throw cause;
      }
      await this.#shred(erasing);
      return true;
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", `cannot erase identity data in ${this.dir}`, { cause });
    }
  }

  /** Overwrites `path` with zeros, syncs it, and unlinks it. */
  async #shred(path: string): Promise<void> {
    const fh = await open(path, "r+");
    try {
      const { size } = await fh.stat();
      await fh.write(new Uint8Array(size), 0, size, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await unlink(path);
    await syncDir(this.dir);
  }
}
