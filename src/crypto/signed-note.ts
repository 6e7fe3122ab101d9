import { assertBytes, concatBytes, equalBytes, fromBase64, toBase64, toHex, utf8 } from "../core/bytes.js";
import { ValidationError, VerificationError } from "../core/errors.js";
import { isValidKeyName, type NoteSigner, type NoteVerifier } from "./note-keys.js";

/**
 * Signed notes, c2sp.org/signed-note v1.0.0: a text ending in a newline, a
 * blank line, then one or more signature lines `— <key name> <base64(key ID || signature)>`.
 */

/** §Format: verifiers SHOULD cap the signature count and MUST accept 16; we accept 100 (as Go's note package). */
export const MAX_NOTE_SIGNATURES = 100;

/** The em dash (U+2014) and space that open every signature line (§Format). */
export const SIGNATURE_LINE_PREFIX = "\u2014 ";

export interface NoteSignatureFields {
  name: string;
  /** The 4-byte key ID that prefixes the decoded signature. */
  keyId: Uint8Array;
  /** The signature bytes after the key ID (at least one byte). */
  signature: Uint8Array;
}

export interface NoteSignature extends NoteSignatureFields {
  /** The signature line exactly as it appears in the note, including its final newline. */
  line: string;
}

export interface Note {
  /** The note text, including its final newline but not the separating blank line. */
  text: string;
  signatures: NoteSignature[];
}

export interface VerifiedSignature extends NoteSignature {
  verifier: NoteVerifier;
}

export interface VerifiedNote {
  text: string;
  /** Signatures that verified, at most one per known key (the first), in note order. */
  verified: VerifiedSignature[];
  /** Signatures whose (name, key ID) match no known key: ignored, as §Signatures requires. */
  unknown: NoteSignature[];
}

/**
 * §Format: notes are valid UTF-8 with no ASCII control characters (below
 * U+0020) other than newline. In a JS string, invalid UTF-8 shows up as lone surrogates.
 */
export function isNoteSafeString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x0a) return false;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function malformed(message: string): ValidationError {
  return new ValidationError("MALFORMED_NOTE", message);
}

/** Throws MALFORMED_NOTE unless `text` is a valid note text: non-empty, newline-terminated, no control characters. */
export function assertNoteText(text: string): string {
  if (typeof text !== "string" || !text.endsWith("\n")) throw malformed("note text must end with a newline");
  if (!isNoteSafeString(text)) throw malformed("note text contains control characters or invalid UTF-8");
  return text;
}

/** One signature line, with its final newline: `— <name> <base64(key ID || signature)>\n`. */
export function formatSignatureLine(sig: NoteSignatureFields): string {
  if (!isValidKeyName(sig.name)) throw malformed("invalid key name in signature");
  assertBytes(sig.keyId, 4, "key ID");
  if (!(sig.signature instanceof Uint8Array) || sig.signature.length === 0)
    throw malformed("empty signature");
  return `${SIGNATURE_LINE_PREFIX}${sig.name} ${toBase64(concatBytes(sig.keyId, sig.signature))}\n`;
}

/** Parses one signature line; a final newline is required. */
export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX) || !line.endsWith("\n")) {
    throw malformed("signature line must be '— <name> <base64>' and end with a newline");
  }
  const body = line.slice(SIGNATURE_LINE_PREFIX.length, -1);
  const space = body.indexOf(" ");
  const name = space < 0 ? body : body.slice(0, space);
  const b64 = space < 0 ? "" : body.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed("invalid key name in signature line");
  if (body.includes("\n") || !isNoteSafeString(body))
    throw malformed("signature line contains control characters");
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64, "signature");
  } catch (cause) {
    throw new ValidationError("MALFORMED_NOTE", "signature is not canonical base64", { cause });
  }
  if (raw.length < 5) throw malformed("signature must be a 4-byte key ID and at least one byte");
  return { name, keyId: raw.slice(0, 4), signature: raw.slice(4), line };
}

/** Parses a signed note (§Format), without verifying anything. */
export function parseNote(input: string | Uint8Array): Note {
  let s: string;
  if (typeof input === "string") {
    s = input;
  } else {
    try {
      s = decoder.decode(input);
    } catch (cause) {
      throw new ValidationError("MALFORMED_NOTE", "note is not valid UTF-8", { cause });
    }
  }
  if (!isNoteSafeString(s)) throw malformed("note contains control characters or invalid UTF-8");
  // The text is separated from the signatures by the last empty line.
  const split = s.lastIndexOf("\n\n");
  if (split < 0) throw malformed("note has no blank line before its signatures");
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block.length === 0 || !block.endsWith("\n")) throw malformed("note must end with signature lines");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES)
    throw malformed(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  return { text, signatures: lines.map((l) => parseSignatureLine(`${l}\n`)) };
}

/** Formats a note; `parseNote(formatNote(n))` gives back the same text and signatures. */
export function formatNote(note: { text: string; signatures: readonly NoteSignatureFields[] }): string {
  assertNoteText(note.text);
  if (note.signatures.length === 0) throw malformed("a signed note needs at least one signature");
  if (note.signatures.length > MAX_NOTE_SIGNATURES) throw malformed("too many signatures");
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join("")}`;
}

/** Signs `text` with every signer, in order, and returns the signed note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  const message = utf8(assertNoteText(text));
  const signatures = signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(message) }));
  return formatNote({ text, signatures });
}

function lookupKey(name: string, keyId: Uint8Array): string {
  return `${name}\n${toHex(keyId)}`;
}

function sameKey(a: NoteVerifier, b: NoteVerifier): boolean {
  return a.type === b.type && equalBytes(a.publicKey, b.publicKey);
}

/**
 * Verifies a signed note against known keys (§Signatures): lines whose (name,
 * key ID) match no known key are ignored; a known key's failing signature
 * rejects the note (SIGNATURE_INVALID); no verified signature at all is
 * NO_TRUSTED_SIGNATURE.
 */
export function verifyNote(
  note: string | Uint8Array | Note,
  verifiers: readonly NoteVerifier[],
): VerifiedNote {
  const parsed = typeof note === "string" || note instanceof Uint8Array ? parseNote(note) : note;
  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    const k = lookupKey(v.name, v.keyId);
    const prev = known.get(k);
    if (prev && !sameKey(prev, v)) {
      throw new ValidationError("INVALID_ARGUMENT", `ambiguous verifiers for ${v.name}+${toHex(v.keyId)}`);
    }
    known.set(k, prev ?? v);
  }
  const message = utf8(assertNoteText(parsed.text));
  const verified: VerifiedSignature[] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of parsed.signatures) {
    const k = lookupKey(sig.name, sig.keyId);
    const verifier = known.get(k);
    if (!verifier) {
      unknown.push(sig);
      continue;
    }
    if (!verifier.verify(message, sig.signature)) {
      throw new VerificationError(
        "SIGNATURE_INVALID",
        `invalid signature from ${sig.name}+${toHex(sig.keyId)}`,
        {
          details: { name: sig.name, keyId: toHex(sig.keyId) },
        },
      );
    }
    if (!seen.has(k)) verified.push({ ...sig, verifier });
    seen.add(k);
  }
  if (verified.length === 0)
    throw new VerificationError("NO_TRUSTED_SIGNATURE", "no signature from a known key");
  return { text: parsed.text, verified, unknown };
}
