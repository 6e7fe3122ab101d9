import { fromBase64, fromHex, toBase64, toHex, utf8 } from "../core/bytes.js";
import type { RandomBytes } from "../core/clock.js";
import { ValidationError, VerificationError } from "../core/errors.js";
import { ed25519Portable } from "../crypto/ed25519.js";

/*
 * A party's Ed25519 key file (notarium/party-key/v1), made by `notarium keygen`
 * or the signing page. Encrypted with a passphrase through WebCrypto only
 * (PBKDF2-SHA256 → AES-256-GCM, the public key as associated data), so the same
 * file opens in a browser and in Node:
 *   {"format":"notarium/party-key/v1","publicKey":"<hex>",
 *    "encryption":{"kdf":"PBKDF2-SHA256","iterations":600000,"salt":"<b64>","cipher":"AES-256-GCM","iv":"<b64>"},
 *    "ciphertext":"<b64 of seed+tag>"}
 * or, unencrypted (discouraged): {"format":…,"publicKey":…,"encryption":"none","seed":"<hex>"}.
 */
export const PARTY_KEY_FORMAT = "notarium/party-key/v1";
export const PBKDF2_ITERATIONS = 600_000; // OWASP 2023 guidance for PBKDF2-HMAC-SHA256

export interface PartyKeyFile {
  format: typeof PARTY_KEY_FORMAT;
  publicKey: string;
  encryption:
    | "none"
    | { kdf: "PBKDF2-SHA256"; iterations: number; salt: string; cipher: "AES-256-GCM"; iv: string };
  seed?: string;
  ciphertext?: string;
}

/** TypeScript's DOM types want ArrayBuffer-backed views; ours always are. */
const bs = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new ValidationError("INVALID_ARGUMENT", "WebCrypto is not available here");
  return s;
}

async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey("raw", bs(utf8(passphrase.normalize("NFC"))), "PBKDF2", false, [
    "deriveKey",
  ]);
  return subtle().deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: bs(salt), iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Writes a key file for `seed`, encrypted unless passphrase is undefined. */
export async function createPartyKeyFile(
  seed: Uint8Array,
  passphrase: string | undefined,
  randomBytes: RandomBytes,
  iterations = PBKDF2_ITERATIONS,
): Promise<PartyKeyFile> {
  const publicKey = toHex(ed25519Portable.publicKey(seed));
  if (passphrase === undefined)
    return { format: PARTY_KEY_FORMAT, publicKey, encryption: "none", seed: toHex(seed) };
  if (passphrase.length < 8)
    throw new ValidationError("INVALID_ARGUMENT", "use a passphrase of at least 8 characters");
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, iterations);
  const ct = new Uint8Array(
    await subtle().encrypt(
      { name: "AES-GCM", iv: bs(iv), additionalData: bs(utf8(publicKey)) },
      key,
      bs(seed),
    ),
  );
  return {
    format: PARTY_KEY_FORMAT,
    publicKey,
    encryption: {
      kdf: "PBKDF2-SHA256",
      iterations,
      salt: toBase64(salt),
      cipher: "AES-256-GCM",
      iv: toBase64(iv),
    },
    ciphertext: toBase64(ct),
  };
}

export function parsePartyKeyFile(text: string): PartyKeyFile {
  let o: PartyKeyFile;
  try {
    o = JSON.parse(text) as PartyKeyFile;
  } catch (cause) {
    throw new ValidationError("MALFORMED_KEY", "the key file is not JSON", { cause });
  }
  if (
    o?.format !== PARTY_KEY_FORMAT ||
    typeof o.publicKey !== "string" ||
    !/^[0-9a-f]{64}$/.test(o.publicKey)
  ) {
    throw new ValidationError("MALFORMED_KEY", `not a ${PARTY_KEY_FORMAT} key file`);
  }
  return o;
}

/** Opens a key file, returning the 32-byte seed; a wrong passphrase is a VerificationError. */
export async function openPartyKeyFile(
  file: PartyKeyFile,
  passphrase: string | undefined,
): Promise<Uint8Array> {
  let seed: Uint8Array;
  if (file.encryption === "none") {
    seed = fromHex(file.seed ?? "", 32, "seed");
  } else {
    const e = file.encryption;
    if (
      e.kdf !== "PBKDF2-SHA256" ||
      e.cipher !== "AES-256-GCM" ||
      !Number.isSafeInteger(e.iterations) ||
      e.iterations < 100_000
    ) {
      throw new ValidationError("MALFORMED_KEY", "unsupported key file encryption");
    }
    if (passphrase === undefined)
      throw new ValidationError("INVALID_ARGUMENT", "this key file is encrypted: a passphrase is needed");
    const key = await deriveKey(passphrase, fromBase64(e.salt), e.iterations);
    try {
      seed = new Uint8Array(
        await subtle().decrypt(
          { name: "AES-GCM", iv: bs(fromBase64(e.iv)), additionalData: bs(utf8(file.publicKey)) },
          key,
          bs(fromBase64(file.ciphertext ?? "")),
        ),
      );
    } catch (cause) {
      throw new VerificationError("SIGNATURE_INVALID", "wrong passphrase, or the key file was altered", {
        cause,
      });
    }
  }
  if (toHex(ed25519Portable.publicKey(seed)) !== file.publicKey) {
    throw new VerificationError("KEY_MISMATCH", "the key file's private key does not match its public key");
  }
  return seed;
}
