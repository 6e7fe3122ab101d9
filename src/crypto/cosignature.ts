import { equalBytes, utf8 } from "../core/bytes.js";
import { ValidationError, VerificationError } from "../core/errors.js";
import { parseCheckpoint } from "./checkpoint.js";
import { decodeTimestampedSignature } from "./cosignature-message.js";
import { type CosignatureSigner, KEY_TYPE_COSIGNATURE_V1, type NoteVerifier } from "./note-keys.js";
import {
  formatSignatureLine,
  type NoteSignature,
  type NoteSignatureFields,
  parseSignatureLine,
  type VerifiedSignature,
} from "./signed-note.js";

/**
 * Ed25519 witness cosignatures, c2sp.org/tlog-cosignature v1.0.1 (signature
 * type 0x04): a note signature over `cosignature/v1\ntime <t>\n` followed by
 * the checkpoint's note text, carried as `key ID || u64be(t) || signature`.
 * Type 0x04 verifiers from `createVerifier` check these inside `verifyNote` too.
 */

export interface Cosignature {
  /** The cosigner's key name. */
  name: string;
  /** When the cosigner signed, in POSIX seconds (§Format `timestamp`). */
  timestamp: number;
  signature: NoteSignature;
  verifier: NoteVerifier;
}

function assertCosigner(v: { type: number; name: string }): void {
  if (v.type !== KEY_TYPE_COSIGNATURE_V1) {
    throw new ValidationError("INVALID_ARGUMENT", `key ${v.name} is not a cosignature (0x04) key`);
  }
}

/**
 * Cosigns a checkpoint note text (origin, size, root and any extension
 * lines, ending in a newline) and returns the signature line, newline
 * included, ready to append to the signed checkpoint.
 */
export function cosign(checkpointText: string, signer: CosignatureSigner, timestampSeconds: number): string {
  assertCosigner(signer);
  parseCheckpoint(checkpointText);
  const signature = signer.signAt(utf8(checkpointText), timestampSeconds);
  return formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature });
}

/** The timestamp a type 0x04 signature claims, without verifying it; MALFORMED_NOTE if it is not 72 bytes. */
export function cosignatureTimestamp(sig: NoteSignatureFields): number {
  const ts = decodeTimestampedSignature(sig.signature);
  if (!ts) throw new ValidationError("MALFORMED_NOTE", `${sig.name}: not an Ed25519 timestamped signature`);
  return ts.timestamp;
}

/**
 * Verifies one cosignature (a parsed signature or its line) on a checkpoint
 * note text and returns its timestamp. A signature from another key, or one
 * that does not verify, is SIGNATURE_INVALID.
 */
export function verifyCosignature(
  checkpointText: string,
  signature: NoteSignatureFields | string,
  verifier: NoteVerifier,
): number {
  assertCosigner(verifier);
  parseCheckpoint(checkpointText);
  const sig = typeof signature === "string" ? parseSignatureLine(signature) : signature;
  if (sig.name !== verifier.name || !equalBytes(sig.keyId, verifier.keyId)) {
    throw new VerificationError(
      "SIGNATURE_INVALID",
      `signature is from ${sig.name}, not cosigner ${verifier.name}`,
    );
  }
  if (!verifier.verify(utf8(checkpointText), sig.signature)) {
    throw new VerificationError("SIGNATURE_INVALID", `invalid cosignature from ${verifier.name}`);
  }
  return cosignatureTimestamp(sig);
}

/** The cosignatures among a note's verified signatures (as returned by `verifyNote`), with their times. */
export function cosignaturesOf(verified: readonly VerifiedSignature[]): Cosignature[] {
  return verified
    .filter((s) => s.verifier.type === KEY_TYPE_COSIGNATURE_V1)
    .map(({ verifier, ...signature }) => ({
      name: signature.name,
      timestamp: cosignatureTimestamp(signature),
      signature,
      verifier,
    }));
}
