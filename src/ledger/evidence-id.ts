import { ValidationError } from "../core/errors.js";

/** Crockford base32 alphabet: no I, L, O, U, so IDs survive being read aloud or retyped. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX = "NTR-";
export const EVIDENCE_ID_BYTES = 10;
const ALPHABET_CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** "NTR-" and the 16 characters of an ID (10 bytes, 80 bits, in fives). */
const idCodes: number[] = Array.from(`${PREFIX}${"0".repeat((EVIDENCE_ID_BYTES * 8) / 5)}`, (c) =>
  c.charCodeAt(0),
);

/** Evidence ID = "NTR-" + Crockford base32 of the first 10 bytes of the leaf hash (16 characters). */
export function evidenceIdFromLeafHash(leafHash: Uint8Array): string {
  if (leafHash.length !== 32) throw new ValidationError("INVALID_ARGUMENT", "leaf hash must be 32 bytes");
  // Character codes into one reused array, made a string in one call: one flat string
  // per ID rather than a chain of 16 concatenations (an ID is made for every entry).
  let o = PREFIX.length;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < EVIDENCE_ID_BYTES; i++) {
    acc = (acc << 8) | (leafHash[i] as number);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      idCodes[o++] = ALPHABET_CODES[(acc >> bits) & 31] as number;
    }
    acc &= (1 << bits) - 1;
  }
  return String.fromCharCode.apply(null, idCodes);
}

/**
 * Decodes an evidence ID to its 10-byte leaf-hash prefix. Accepts lower case
 * and Crockford's look-alikes (O→0, I/L→1) as people type them.
 */
export function parseEvidenceId(id: string): Uint8Array {
  // ASCII only, checked before upper-casing: "ı".toUpperCase() is "I" and "ß" becomes "SS".
  if (typeof id !== "string" || !/^NTR-[0-9A-Za-z]{16}$/i.test(id)) {
    throw new ValidationError(
      "INVALID_ARGUMENT",
      "evidence ID must look like NTR- followed by 16 base32 characters",
    );
  }
  const body = id.slice(PREFIX.length).toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  const out = new Uint8Array(EVIDENCE_ID_BYTES);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const ch of body) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new ValidationError("INVALID_ARGUMENT", `evidence ID has an invalid character '${ch}'`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}
