import { assertBytes, fromBase64, toBase64 } from "../core/bytes.js";
import { ValidationError, VerificationError } from "../core/errors.js";
import { KEY_TYPE_ED25519, type NoteSigner, type NoteVerifier } from "./note-keys.js";
import {
  isNoteSafeString,
  type Note,
  parseNote,
  signNote,
  type VerifiedNote,
  verifyNote,
} from "./signed-note.js";

/**
 * Transparency log checkpoints, c2sp.org/tlog-checkpoint v1.0.0: a signed
 * note whose text is the origin, the tree size and the base64 root hash, one
 * per line, optionally followed by extension lines.
 */

export interface Checkpoint {
  /** §Note text 1: the log identity; non-empty. */
  origin: string;
  /** §Note text 2: the number of leaves. */
  size: number;
  /** §Note text 3: the 32-byte RFC 6962 root hash. */
  root: Uint8Array;
}

export interface ParsedCheckpoint extends Checkpoint {
  /** §Note text 4: opaque, non-empty extension lines (we accept them but never emit any). */
  extensions: string[];
}

export interface OpenedCheckpoint {
  checkpoint: ParsedCheckpoint;
  note: Note;
  /** The log's verified signature (and any other known key's). */
  verified: VerifiedNote;
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

function malformed(message: string): ValidationError {
  return new ValidationError("MALFORMED_CHECKPOINT", message);
}

/** §Note text 2: ASCII decimal, no leading zeroes, no sign; we also require a safe integer. */
export function parseTreeSize(s: string): number {
  if (!DECIMAL.test(s)) throw malformed("tree size must be decimal without leading zeroes");
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw malformed("tree size exceeds Number.MAX_SAFE_INTEGER");
  return n;
}

function assertCheckpoint(cp: Checkpoint): void {
  if (typeof cp.origin !== "string" || cp.origin.length === 0 || cp.origin.includes("\n")) {
    throw malformed("origin must be a non-empty single line");
  }
  if (!isNoteSafeString(cp.origin)) throw malformed("origin contains control characters or invalid UTF-8");
  if (!Number.isSafeInteger(cp.size) || cp.size < 0)
    throw malformed("size must be a non-negative safe integer");
  assertBytes(cp.root, 32, "root hash");
}

/** `origin\nsize\nbase64(root)\n`. We never emit extension lines (§Note text 4: NOT RECOMMENDED). */
export function formatCheckpoint(cp: Checkpoint & { extensions?: readonly string[] }): string {
  assertCheckpoint(cp);
  if (cp.extensions !== undefined && cp.extensions.length > 0) {
    throw new ValidationError("INVALID_ARGUMENT", "checkpoints with extension lines are not emitted");
  }
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.root)}\n`;
}

/** Parses a checkpoint note text strictly (§Note text); extension lines are returned as they are. */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  if (typeof text !== "string" || !text.endsWith("\n")) throw malformed("checkpoint must end with a newline");
  if (!isNoteSafeString(text)) throw malformed("checkpoint contains control characters or invalid UTF-8");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw malformed("checkpoint needs origin, size and root hash lines");
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw malformed("origin must be non-empty");
  const size = parseTreeSize(sizeLine);
  let root: Uint8Array;
  try {
    root = fromBase64(rootLine, "root hash");
  } catch (cause) {
    throw new ValidationError("MALFORMED_CHECKPOINT", "root hash is not canonical base64", { cause });
  }
  if (root.length !== 32) throw malformed("root hash must be 32 bytes");
  if (extensions.some((l) => l.length === 0)) throw malformed("extension lines must be non-empty");
  return { origin, size, root, extensions };
}

/** Signs a checkpoint with the log's Ed25519 key, whose name must be the origin (§Signatures). */
export function signCheckpoint(cp: Checkpoint, logSigner: NoteSigner): string {
  if (logSigner.type !== KEY_TYPE_ED25519)
    throw new ValidationError("INVALID_ARGUMENT", "log keys are Ed25519 (0x01)");
  if (logSigner.name !== cp.origin) {
    throw new ValidationError(
      "ORIGIN_MISMATCH",
      `log key "${logSigner.name}" does not match origin "${cp.origin}"`,
    );
  }
  return signNote(formatCheckpoint(cp), [logSigner]);
}

/**
 * Parses a signed checkpoint and verifies the log's signature. Only log keys
 * named after the checkpoint's origin are used (ORIGIN_MISMATCH if none is);
 * other signatures, such as witness cosignatures, are ignored here.
 */
export function openCheckpoint(
  noteText: string | Uint8Array,
  logVerifier: NoteVerifier | readonly NoteVerifier[],
  expectedOrigin?: string,
): OpenedCheckpoint {
  const note = parseNote(noteText);
  const checkpoint = parseCheckpoint(note.text);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw new VerificationError(
      "ORIGIN_MISMATCH",
      `checkpoint origin "${checkpoint.origin}" is not "${expectedOrigin}"`,
    );
  }
  const candidates = (Array.isArray(logVerifier) ? logVerifier : [logVerifier]) as readonly NoteVerifier[];
  const logs = candidates.filter((v) => v.name === checkpoint.origin && v.type === KEY_TYPE_ED25519);
  if (logs.length === 0) {
    throw new VerificationError("ORIGIN_MISMATCH", `no log key is named after origin "${checkpoint.origin}"`);
  }
  return { checkpoint, note, verified: verifyNote(note, logs) };
}
