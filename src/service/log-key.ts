import { toHex } from "../core/bytes.js";
import { openCheckpoint, signCheckpoint } from "../crypto/checkpoint.js";
import { createSigner, createVerifier, formatVerifierKey, parseSignerKey } from "../crypto/note-keys.js";
import type { CheckpointBody, LogKey } from "../ledger/log-keys.js";

/** The log key from its private key string: signs and opens c2sp.org/tlog-checkpoint notes. */
export function createLogKey(secret: string): LogKey {
  const { name, seed } = parseSignerKey(secret);
  const signer = createSigner(name, seed);
  const verifierKey = formatVerifierKey(name, 0x01, signer.publicKey);
  const verifier = createVerifier(verifierKey);
  return {
    origin: name,
    verifierKey,
    signCheckpoint: (cp: CheckpointBody) => signCheckpoint(cp, signer),
    signBytes: (data: Uint8Array) => toHex(signer.sign(data)),
    openCheckpoint: (note: string) => openCheckpoint(note, verifier, name).checkpoint,
  };
}
