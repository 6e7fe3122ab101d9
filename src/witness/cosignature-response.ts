import { equalBytes } from "../core/bytes.js";
import { verifyCosignature } from "../crypto/cosignature.js";
import type { NoteVerifier } from "../crypto/note-keys.js";
import { type NoteSignature, parseSignatureLine } from "../crypto/signed-note.js";

/**
 * Reading a 200 answer of c2sp.org/tlog-witness v1.0.0 §add-checkpoint: "a
 * sequence of one or more note signature lines". The client "MUST ignore any
 * cosignatures from unknown keys", so for one trusted witness key we look for
 * a line with its name and key ID that verifies over the checkpoint text
 * (tlog-cosignature v1.0.1), and ignore every other line.
 */
export type PickedCosignature = { ok: true; line: string; timestamp: number } | { ok: false; detail: string };

export function pickCosignature(
  checkpointText: string,
  body: string,
  verifier: NoteVerifier,
  /** Latest acceptable timestamp (tlog-cosignature §Format: verifiers MAY reject future ones). */
  notAfter: number,
): PickedCosignature {
  let detail = "no cosignature line from this witness's key";
  for (const l of body.split("\n")) {
    if (l.length === 0) continue;
    let sig: NoteSignature;
    try {
      sig = parseSignatureLine(`${l}\n`);
    } catch {
      continue;
    }
    if (sig.name !== verifier.name || !equalBytes(sig.keyId, verifier.keyId)) continue;
    try {
      const timestamp = verifyCosignature(checkpointText, sig, verifier);
      if (timestamp <= notAfter) return { ok: true, line: sig.line, timestamp };
      detail = `cosignature time ${timestamp} is in the future`;
    } catch (e) {
      detail = (e as Error).message;
    }
  }
  return { ok: false, detail };
}
