import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { toHex, utf8 } from "../core/bytes.js";
import { StorageError } from "../core/errors.js";
import type { IdentityRecord, IdentityStore } from "../esign/ports.js";
import { syncDir, writeFileAtomic } from "./token-file.js";

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/**
 * Identity records (the salt and personal data behind an identity commitment)
 * as one file each, under data/identities/, so that erasing one really removes
 * it. In LevelDB a deleted value stays in older table files until a compaction
 * happens to rewrite them, and a manual compaction does not reach every level:
 * an audit recovered an erased ID number and its salt from the state database.
 * Here a record is written atomically (temp, fsync, rename) and erased by
 * overwriting it with zeros, syncing, and unlinking it.
 */
export class IdentityFiles implements IdentityStore {
  constructor(readonly dir: string) {}

  /** File names carry the IDs in hex: any case or party ID makes a safe name. */
  private path(caseId: string, signer: string): string {
    return join(this.dir, `${toHex(utf8(caseId))}.${toHex(utf8(signer))}.json`);
  }

  async putIdentity(r: IdentityRecord): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
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
    return JSON.parse(text) as IdentityRecord;
  }

  async eraseIdentity(caseId: string, signer: string): Promise<boolean> {
    const path = this.path(caseId, signer);
    try {
      let fh: Awaited<ReturnType<typeof open>>;
      try {
        fh = await open(path, "r+");
      } catch (cause) {
        if (errno(cause) === "ENOENT") return false;
        throw cause;
      }
      try {
        const { size } = await fh.stat();
        await fh.write(new Uint8Array(size), 0, size, 0);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await unlink(path);
      await syncDir(this.dir);
      return true;
    } catch (cause) {
      throw new StorageError("STORAGE_FAILURE", `cannot erase identity data in ${this.dir}`, { cause });
    }
  }
}
