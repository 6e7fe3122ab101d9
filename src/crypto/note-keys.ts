import { assertBytes, concatBytes, equalBytes, fromBase64, toBase64, toHex, utf8 } from "../core/bytes.js";
import { type Clock, type RandomBytes, systemClock } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import {
  cosignatureMessage,
  decodeTimestampedSignature,
  encodeTimestampedSignature,
} from "./cosignature-message.js";
import { type Ed25519, ed25519 } from "./ed25519.js";
import { sha256 } from "./sha256.js";

/**
 * Signed-note keys (c2sp.org/signed-note v1.0.0 §Signatures) in the text forms
 * of golang.org/x/mod/sumdb/note: verifier keys `<name>+<hex key ID>+<base64(type || public key)>`
 * and signer keys `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`.
 */

/** §Signature types: 0x01 Ed25519 note signatures. */
export const KEY_TYPE_ED25519 = 0x01;
/** §Signature types: 0x04 timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature). */
export const KEY_TYPE_COSIGNATURE_V1 = 0x04;
export type NoteKeyType = typeof KEY_TYPE_ED25519 | typeof KEY_TYPE_COSIGNATURE_V1;

export interface VerifierKey {
  readonly name: string;
  /** SHA-256(name || 0x0A || type || public key)[:4]. */
  readonly keyId: Uint8Array;
  readonly type: NoteKeyType;
  readonly publicKey: Uint8Array;
}

export interface NoteVerifier extends VerifierKey {
  /**
   * Whether `signature` (the signature bytes after the 4-byte key ID) is valid
   * for the note text `message`. For type 0x04 the bytes are a
   * `timestamped_signature`, and the cosigned message is rebuilt from its timestamp.
   */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner extends VerifierKey {
  /** Signature bytes to follow the key ID in a signature line, over the note text `message`. */
  sign(message: Uint8Array): Uint8Array;
}

export interface CosignatureSigner extends NoteSigner {
  readonly type: typeof KEY_TYPE_COSIGNATURE_V1;
  /** A `timestamped_signature` for an explicit POSIX time (`sign` uses the injected clock). */
  signAt(message: Uint8Array, timestamp: number): Uint8Array;
}

export interface SignerKey extends VerifierKey {
  readonly seed: Uint8Array;
}

const BAD_NAME_CHAR = /[\p{White_Space}\p{Cc}\p{Cs}+]/u;
const KEY_ID_HEX = /^[0-9a-f]{8}$/;
const PRIVATE_PREFIX = "PRIVATE+KEY+";

function malformed(message: string): ValidationError {
  return new ValidationError("MALFORMED_KEY", message);
}

/**
 * §Format: key names are non-empty and contain no Unicode spaces and no `+`;
 * we also refuse control characters and lone surrogates (not valid UTF-8).
 */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === "string" && name.length > 0 && !BAD_NAME_CHAR.test(name);
}

function assertKeyName(name: string): string {
  if (!isValidKeyName(name))
    throw malformed("key name must be non-empty with no spaces, '+' or control characters");
  return name;
}

function assertKeyType(type: number): NoteKeyType {
  if (type !== KEY_TYPE_ED25519 && type !== KEY_TYPE_COSIGNATURE_V1) {
    throw malformed(`unsupported signature type 0x${type.toString(16).padStart(2, "0")}`);
  }
  return type;
}

/** §Signatures: key ID = SHA-256(key name || 0x0A || signature type || public key)[:4]. */
export function computeKeyId(name: string, type: NoteKeyType, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(assertKeyName(name)), Uint8Array.of(0x0a, type), publicKey)).slice(0, 4);
}

/** Splits `a+b+c` at the first two `+` only: the base64 part may itself contain `+`. */
function splitKey(s: string): [string, string, string] {
  const i = s.indexOf("+");
  const j = i < 0 ? -1 : s.indexOf("+", i + 1);
  if (j < 0) throw malformed("key must have the form <name>+<hex key ID>+<base64 key>");
  return [s.slice(0, i), s.slice(i + 1, j), s.slice(j + 1)];
}

function decodeTypedKey(b64: string): { type: NoteKeyType; key: Uint8Array } {
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64, "key");
  } catch (cause) {
    throw new ValidationError("MALFORMED_KEY", "key material is not canonical base64", { cause });
  }
  if (raw.length !== 33) throw malformed("key material must be a type byte and 32 key bytes");
  return { type: assertKeyType(raw[0] as number), key: raw.slice(1) };
}

function checkKeyId(hex: string, expected: Uint8Array): Uint8Array {
  if (!KEY_ID_HEX.test(hex)) throw malformed("key ID must be 8 lowercase hex digits");
  if (toHex(expected) !== hex) throw malformed("key ID does not match the name and key");
  return expected;
}

/** `<name>+<hex key ID>+<base64(type || public key)>`. */
export function formatVerifierKey(name: string, type: NoteKeyType, publicKey: Uint8Array): string {
  assertBytes(publicKey, 32, "public key");
  const keyId = computeKeyId(name, assertKeyType(type), publicKey);
  return `${name}+${toHex(keyId)}+${toBase64(concatBytes(Uint8Array.of(type), publicKey))}`;
}

/** Parses a verifier key strictly: valid name, lowercase key ID that recomputes, type 0x01/0x04, 32-byte key. */
export function parseVerifierKey(vkey: string): VerifierKey {
  if (typeof vkey !== "string") throw malformed("verifier key must be a string");
  const [name, hex, b64] = splitKey(vkey);
  assertKeyName(name);
  const { type, key } = decodeTypedKey(b64);
  const keyId = checkKeyId(hex, computeKeyId(name, type, key));
  return { name, keyId, type, publicKey: key };
}

/** `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`, as golang.org/x/mod/sumdb/note. */
export function formatSignerKey(
  name: string,
  seed: Uint8Array,
  type: NoteKeyType = KEY_TYPE_ED25519,
  backend: Ed25519 = ed25519,
): string {
  const publicKey = backend.publicKey(assertBytes(seed, 32, "Ed25519 seed"));
  const keyId = computeKeyId(name, assertKeyType(type), publicKey);
  return `${PRIVATE_PREFIX}${name}+${toHex(keyId)}+${toBase64(concatBytes(Uint8Array.of(type), seed))}`;
}

/** Parses a signer key; the key ID must match the public key derived from the seed. */
export function parseSignerKey(skey: string, backend: Ed25519 = ed25519): SignerKey {
  if (typeof skey !== "string" || !skey.startsWith(PRIVATE_PREFIX)) {
    throw malformed("signer key must start with PRIVATE+KEY+");
  }
  const [name, hex, b64] = splitKey(skey.slice(PRIVATE_PREFIX.length));
  assertKeyName(name);
  const { type, key: seed } = decodeTypedKey(b64);
  const publicKey = backend.publicKey(seed);
  const keyId = checkKeyId(hex, computeKeyId(name, type, publicKey));
  return { name, keyId, type, publicKey, seed };
}

/** An Ed25519 (type 0x01) note signer. */
export function createSigner(name: string, seed: Uint8Array, backend: Ed25519 = ed25519): NoteSigner {
  const key = assertBytes(seed, 32, "Ed25519 seed").slice();
  const publicKey = backend.publicKey(key);
  const keyId = computeKeyId(name, KEY_TYPE_ED25519, publicKey);
  return { name, keyId, type: KEY_TYPE_ED25519, publicKey, sign: (message) => backend.sign(message, key) };
}

/** A tlog-cosignature v1 (type 0x04) signer; `sign` stamps the time from `clock` (whole seconds). */
export function createCosigner(
  name: string,
  seed: Uint8Array,
  clock: Clock = systemClock,
  backend: Ed25519 = ed25519,
): CosignatureSigner {
  const key = assertBytes(seed, 32, "Ed25519 seed").slice();
  const publicKey = backend.publicKey(key);
  const keyId = computeKeyId(name, KEY_TYPE_COSIGNATURE_V1, publicKey);
  const signAt = (message: Uint8Array, timestamp: number) =>
    encodeTimestampedSignature(timestamp, backend.sign(cosignatureMessage(message, timestamp), key));
  return {
    name,
    keyId,
    type: KEY_TYPE_COSIGNATURE_V1,
    publicKey,
    signAt,
    sign: (message) => signAt(message, Math.floor(clock.now().getTime() / 1000)),
  };
}

/** A signer from a `PRIVATE+KEY+…` string, of whichever type it declares. */
export function createSignerFromKey(
  skey: string,
  clock: Clock = systemClock,
  backend: Ed25519 = ed25519,
): NoteSigner {
  const k = parseSignerKey(skey, backend);
  return k.type === KEY_TYPE_COSIGNATURE_V1
    ? createCosigner(k.name, k.seed, clock, backend)
    : createSigner(k.name, k.seed, backend);
}

/** A verifier from a vkey string (or an already parsed key). */
export function createVerifier(vkey: string | VerifierKey, backend: Ed25519 = ed25519): NoteVerifier {
  const k = typeof vkey === "string" ? parseVerifierKey(vkey) : vkey;
  assertBytes(k.publicKey, 32, "public key");
  if (!equalBytes(computeKeyId(k.name, assertKeyType(k.type), k.publicKey), k.keyId)) {
    throw malformed("key ID does not match the name and key");
  }
  const publicKey = k.publicKey.slice();
  const base = { name: k.name, keyId: k.keyId.slice(), type: k.type, publicKey };
  if (k.type === KEY_TYPE_ED25519) {
    return { ...base, verify: (message, signature) => backend.verify(signature, message, publicKey) };
  }
  return {
    ...base,
    verify(message, signature) {
      const ts = decodeTimestampedSignature(signature);
      return (
        ts !== undefined && backend.verify(ts.signature, cosignatureMessage(message, ts.timestamp), publicKey)
      );
    },
  };
}

/**
 * A fresh signer key string (`PRIVATE+KEY+…`) from 32 injected random bytes
 * (e.g. `secureRandomBytes`). The verifier key follows from it:
 * `formatVerifierKey(name, type, createSignerFromKey(skey).publicKey)`.
 */
export function generateSignerKey(
  name: string,
  randomBytes: RandomBytes,
  type: NoteKeyType = KEY_TYPE_ED25519,
  backend: Ed25519 = ed25519,
): string {
  return formatSignerKey(name, assertBytes(randomBytes(32), 32, "random seed"), type, backend);
}
