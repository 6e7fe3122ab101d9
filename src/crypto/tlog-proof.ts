import { assertBytes, fromBase64, toBase64 } from "../core/bytes.js";
import { isAppError, ValidationError } from "../core/errors.js";
import { type ParsedCheckpoint, parseCheckpoint, parseTreeSize } from "./checkpoint.js";
import { parseNote } from "./signed-note.js";

/**
 * Offline-verifiable proofs of logging, c2sp.org/tlog-proof v1 (§Format):
 *
 *     c2sp.org/tlog-proof@v1
 *     [extra <base64>]
 *     index <decimal>
 *     <base64 hash>        (zero or more, leaf's sibling first)
 *     <empty line>
 *     <signed checkpoint, verbatim>
 *
 * Parsing checks syntax and the embedded checkpoint; it verifies no
 * signature and no inclusion proof.
 */

export const TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1";

/** A safe-integer tree has fewer than 2^53 leaves, so an inclusion proof has at most 53 hashes. */
export const MAX_TLOG_PROOF_HASHES = 64;

export interface TlogProof {
  /** §Format `extra`: opaque, unauthenticated application data; absent when there is none. */
  extra?: Uint8Array;
  /** Zero-based index of the entry in the log. */
  index: number;
  /** RFC 6962 inclusion proof, 32-byte hashes from the leaf's sibling up. */
  proof: Uint8Array[];
  /** The log's signed checkpoint note (with any cosignatures), verbatim. */
  checkpoint: string;
}

export interface ParsedTlogProof extends TlogProof {
  /** The embedded checkpoint's body, parsed (not verified). */
  parsedCheckpoint: ParsedCheckpoint;
}

function malformed(message: string, cause?: unknown): ValidationError {
  return new ValidationError("MALFORMED_PROOF", message, { cause });
}

function decode(b64: string, what: string): Uint8Array {
  try {
    return fromBase64(b64, what);
  } catch (cause) {
    throw malformed(`${what} is not canonical base64`, cause);
  }
}

function parseIndex(s: string): number {
  try {
    return parseTreeSize(s);
  } catch (cause) {
    throw malformed("index must be decimal without leading zeroes, at most 2^53 - 1", cause);
  }
}

// Receipts of one block all embed the same checkpoint: formatting parses it once
// (parsing never shares the cached object with callers).
let lastNote = "";
let lastParsed: ParsedCheckpoint | undefined;

/** The embedded checkpoint must be a signed note with a checkpoint body whose size exceeds the index. */
function checkCheckpoint(note: string, index: number, cached = false): ParsedCheckpoint {
  let cp: ParsedCheckpoint;
  if (cached && lastParsed && note === lastNote) {
    cp = lastParsed;
  } else {
    try {
      cp = parseCheckpoint(parseNote(note).text);
    } catch (cause) {
      if (isAppError(cause)) throw malformed(`embedded checkpoint: ${cause.message}`, cause);
      throw cause;
    }
    lastNote = note;
    lastParsed = cp;
  }
  if (index >= cp.size) throw malformed(`index ${index} is not below the checkpoint size ${cp.size}`);
  return cp;
}

/** Formats a proof; `extra`, when given, must be non-empty (no extra data means no `extra` line). */
export function formatTlogProof(p: TlogProof): string {
  return `${formatTlogProofHead(p)}${p.checkpoint}`;
}

/**
 * The proof up to its checkpoint (formatTlogProof is this followed by
 * `p.checkpoint` verbatim), checked the same way. Pure ASCII, unlike the
 * checkpoint's signature lines, so callers can encode the two apart.
 */
export function formatTlogProofHead(p: TlogProof, proofBase64?: readonly string[]): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0)
    throw malformed("index must be a non-negative safe integer");
  if (p.proof.length > MAX_TLOG_PROOF_HASHES) throw malformed("too many proof hashes");
  // `proofBase64`: the caller's own encodings of p.proof (shared by many proofs of one block).
  if (proofBase64 !== undefined && proofBase64.length !== p.proof.length)
    throw malformed("proofBase64 must encode every proof hash");
  let hashes = "";
  for (const b of proofBase64 ?? p.proof.map((h) => toBase64(assertBytes(h, 32, "proof hash"))))
    hashes += `${b}\n`;
  let extra = "";
  if (p.extra !== undefined) {
    if (assertBytes(p.extra, undefined, "extra").length === 0)
      throw malformed("extra data must be non-empty");
    extra = `extra ${toBase64(p.extra)}\n`;
  }
  checkCheckpoint(p.checkpoint, p.index, true);
  return `${TLOG_PROOF_HEADER}\n${extra}index ${p.index}\n${hashes}\n`;
}

/**
 * formatTlogProofHead's text escaped for inside a JSON string (each newline as
 * `\\n`), from encodings the caller made: the base64 of non-empty extra data,
 * and `hashLines`, each proof hash in base64 followed by `\\n`. For receipts
 * written straight into JSON (http/receipt-json.ts), whose pieces come from a
 * block the ledger has just made and checked; tests hold it to the same text as
 * formatTlogProofHead.
 */
export function tlogProofHeadJsonText(extraBase64: string, index: number, hashLines: string): string {
  return `${TLOG_PROOF_HEADER}\\nextra ${extraBase64}\\nindex ${index}\\n${hashLines}\\n`;
}

/** Parses a proof strictly; `formatTlogProof(parseTlogProof(x)) === x` for every accepted `x`. */
export function parseTlogProof(text: string): ParsedTlogProof {
  if (typeof text !== "string") throw malformed("proof must be a string");
  let pos = 0;
  const nextLine = (): string => {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) throw malformed("proof ends before the checkpoint");
    const line = text.slice(pos, nl);
    pos = nl + 1;
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER) throw malformed(`first line must be ${TLOG_PROOF_HEADER}`);
  let line = nextLine();
  let extra: Uint8Array | undefined;
  if (line.startsWith("extra ")) {
    extra = decode(line.slice("extra ".length), "extra");
    if (extra.length === 0) throw malformed("extra line must carry data");
    line = nextLine();
  }
  if (!line.startsWith("index ")) throw malformed("expected the index line");
  const index = parseIndex(line.slice("index ".length));
  const proof: Uint8Array[] = [];
  for (line = nextLine(); line !== ""; line = nextLine()) {
    if (proof.length === MAX_TLOG_PROOF_HASHES) throw malformed("too many proof hashes");
    const h = decode(line, "proof hash");
    if (h.length !== 32) throw malformed("proof hashes must be 32 bytes");
    proof.push(h);
  }
  const checkpoint = text.slice(pos);
  const parsedCheckpoint = checkCheckpoint(checkpoint, index);
  return extra === undefined
    ? { index, proof, checkpoint, parsedCheckpoint }
    : { extra, index, proof, checkpoint, parsedCheckpoint };
}
