import { concatBytes, toHex, utf8 } from "../core/bytes.js";
import { canonicalJson } from "../core/canonical-json.js";
import { sha256 } from "../crypto/sha256.js";
import type { JsonObject } from "../ledger/entry.js";

/**
 * Salted commitment to a party's identity data (DESIGN §3):
 * SHA-256(salt ‖ JCS(identity)). The log keeps only this; the salt and the
 * data live in a deletable store, so erasing them (crypto-shredding) leaves
 * every proof valid and the commitment unopenable.
 */
export function identityCommitment(salt: Uint8Array, identity: JsonObject): string {
  return toHex(sha256(concatBytes(salt, utf8(canonicalJson(identity)))));
}
