import { fromHex, isHexDigest, utf8 } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";
import { ed25519, isUsablePublicKey } from "../crypto/ed25519.js";
import { formatSignaturePayload, type SignatureFields } from "./signature-payload.js";

const HEX_KEY = /^[0-9a-f]{64}$/;
const HEX_SIG = /^[0-9a-f]{128}$/;

export function parsePublicKeyHex(hex: unknown): Uint8Array {
  if (typeof hex !== "string" || !HEX_KEY.test(hex)) {
    throw new ValidationError(
      "INVALID_PUBLIC_KEY",
      "publicKey must be a 32-byte Ed25519 key as 64 lowercase hex characters",
    );
  }
  return fromHex(hex, 32);
}

/**
 * parsePublicKeyHex, and the key must be usable (isUsablePublicKey): for a key
 * about to be bound to a party, which can never be replaced afterwards.
 */
export function parseUsablePublicKeyHex(hex: unknown): Uint8Array {
  const key = parsePublicKeyHex(hex);
  if (!isUsablePublicKey(key)) {
    throw new ValidationError(
      "INVALID_PUBLIC_KEY",
      "publicKey is not a usable Ed25519 public key (not a point on the curve, not canonically encoded, or of small order); no signature could ever verify against it",
    );
  }
  return key;
}

export function parseSignatureHex(hex: unknown): Uint8Array {
  if (typeof hex !== "string" || !HEX_SIG.test(hex)) {
    throw new ValidationError(
      "INVALID_SIGNATURE_ENCODING",
      "signature must be a 64-byte Ed25519 signature as 128 lowercase hex characters",
    );
  }
  return fromHex(hex, 64);
}

/** An `agreement.signed` entry body: the signed fields plus key and signature, enough for anyone to re-verify. */
export interface SignedAgreementBody extends SignatureFields {
  publicKey: string;
  signature: string;
}

/** A body's signature, signed payload and key (ed25519.verify's arguments); undefined when its document is not a digest. */
export function agreementSignatureParts(
  body: SignedAgreementBody,
): [Uint8Array, Uint8Array, Uint8Array] | undefined {
  const key = parsePublicKeyHex(body.publicKey);
  const sig = parseSignatureHex(body.signature);
  if (!isHexDigest(body.document)) return undefined;
  return [sig, utf8(formatSignaturePayload(body)), key];
}

/** Whether the signature verifies over the DESIGN §6 payload under the given key (strict RFC 8032). */
export function isValidAgreementSignature(body: SignedAgreementBody): boolean {
  const parts = agreementSignatureParts(body);
  return parts !== undefined && ed25519.verify(...parts);
}
