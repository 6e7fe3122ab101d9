import { ValidationError } from "../core/errors.js";
import { createVerifier, KEY_TYPE_ED25519, type NoteVerifier } from "../crypto/note-keys.js";

/**
 * The logs a witness knows: c2sp.org/tlog-witness v1.0.0 §Introduction, "each
 * witness is configured with a list of supported log public keys", each log
 * "uniquely identified by its origin line". A log's vkey name is its origin
 * (c2sp.org/tlog-checkpoint §Signatures), so several keys of one origin (a
 * rotation) share an entry.
 */
export interface LogKeyring {
  /** Known origins, in the order first configured. */
  readonly origins: readonly string[];
  /** The trusted keys for `origin`, or undefined for an unknown origin. */
  verifiersFor(origin: string): readonly NoteVerifier[] | undefined;
}

/** Builds the keyring from log vkeys (`<origin>+<key ID>+<base64(0x01 || key)>`); MALFORMED_KEY otherwise. */
export function createLogKeyring(vkeys: readonly string[]): LogKeyring {
  if (vkeys.length === 0) throw new ValidationError("MALFORMED_KEY", "a witness needs at least one log key");
  const byOrigin = new Map<string, NoteVerifier[]>();
  for (const vkey of vkeys) {
    const v = createVerifier(vkey.trim());
    if (v.type !== KEY_TYPE_ED25519) {
      throw new ValidationError("MALFORMED_KEY", `log key ${v.name} must be an Ed25519 (0x01) note key`);
    }
    const list = byOrigin.get(v.name) ?? [];
    list.push(v);
    byOrigin.set(v.name, list);
  }
  const origins = [...byOrigin.keys()];
  return { origins, verifiersFor: (origin) => byOrigin.get(origin) };
}
