import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RandomBytes } from "../core/clock.js";
import { StorageError } from "../core/errors.js";
import {
  createCosigner,
  formatVerifierKey,
  generateSignerKey,
  KEY_TYPE_COSIGNATURE_V1,
  parseSignerKey,
} from "../crypto/note-keys.js";
import { readSecretFile, writeSecretFile } from "../storage/key-files.js";

/*
 * Adapter (node:fs): the witness's own Ed25519 cosigner key in <data>/witness.key
 * (`PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || seed)>`, mode 0600) and its
 * verifier key in <data>/witness.vkey. tlog-cosignature v1.0.1 §Format: one
 * Ed25519 key MUST NOT serve several cosigners, so every witness makes its own.
 */
export const WITNESS_KEY_FILE = "witness.key";
export const WITNESS_VKEY_FILE = "witness.vkey";

export interface LoadedWitnessKey {
  /** The private key string (never log it). */
  secret: string;
  /** The type 0x04 verifier key to give to logs and verifiers. */
  verifierKey: string;
  created: boolean;
}

/** Loads <dir>/witness.key, or creates it (and witness.vkey) on first run. */
export async function loadOrCreateWitnessKey(
  dir: string,
  name: string,
  randomBytes: RandomBytes,
): Promise<LoadedWitnessKey> {
  const path = join(dir, WITNESS_KEY_FILE);
  const text = await readSecretFile(path, "witness key file");
  let secret: string;
  let created = false;
  if (text === undefined) {
    secret = generateSignerKey(name, randomBytes, KEY_TYPE_COSIGNATURE_V1);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeSecretFile(path, `${secret}\n`);
    created = true;
  } else {
    secret = text.trim();
    let parsed: ReturnType<typeof parseSignerKey>;
    try {
      parsed = parseSignerKey(secret);
    } catch (cause) {
      throw new StorageError(
        "KEY_FILE_MALFORMED",
        `${path} is not a PRIVATE+KEY+… line; restore it from backup`,
        {
          cause,
        },
      );
    }
    if (parsed.type !== KEY_TYPE_COSIGNATURE_V1) {
      throw new StorageError("KEY_FILE_MALFORMED", `${path} is not a cosignature (type 0x04) key`);
    }
    if (parsed.name !== name) {
      throw new StorageError(
        "CONFIG_INVALID",
        `${path} belongs to the witness "${parsed.name}", not "${name}"; use --name ${parsed.name} or another --data directory`,
      );
    }
  }
  const { seed } = parseSignerKey(secret);
  const verifierKey = formatVerifierKey(name, KEY_TYPE_COSIGNATURE_V1, createCosigner(name, seed).publicKey);
  // Public; rewritten every start so it always matches the key.
  await writeFile(join(dir, WITNESS_VKEY_FILE), `${verifierKey}\n`, { mode: 0o644 });
  return { secret, verifierKey, created };
}
