import { fromBase64, toBase64 } from "../core/bytes.js";
import { ValidationError } from "../core/errors.js";

/**
 * The `add-checkpoint` request body, c2sp.org/tlog-witness v1.0.0
 * §add-checkpoint: an old size line, zero or more consistency proof lines, an
 * empty line, then the signed checkpoint. Every line ends in U+000A.
 */

export interface AddCheckpointRequest {
  /** The size of the previous checkpoint the client believes the witness cosigned. */
  oldSize: number;
  /** RFC 6962 §2.1.2 consistency proof from `oldSize` to the checkpoint's size. */
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim (it "MAY include multiple signatures"). */
  checkpoint: string;
}

/** §add-checkpoint: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_PROOF_LINES = 63;

/**
 * Our cap on a request body (the spec sets none): a checkpoint with 63 proof
 * lines and a hundred signatures is well under 16 KiB.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const OLD_LINE = /^old (0|[1-9][0-9]*)$/;
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function malformed(message: string, cause?: unknown): ValidationError {
  return new ValidationError("MALFORMED_REQUEST", message, { cause });
}

/**
 * Parses a request body strictly; anything else is MALFORMED_REQUEST (a 400).
 * The checkpoint is returned unparsed: it is the note layer's to judge.
 */
export function parseAddCheckpointRequest(body: Uint8Array | string): AddCheckpointRequest {
  let s: string;
  if (typeof body === "string") {
    s = body;
  } else {
    try {
      s = decoder.decode(body);
    } catch (cause) {
      throw malformed("request body is not valid UTF-8", cause);
    }
  }
  let nl = s.indexOf("\n");
  if (nl < 0) throw malformed("request body must start with an 'old <size>' line");
  const m = OLD_LINE.exec(s.slice(0, nl));
  // §add-checkpoint: ASCII decimal "with no leading zeroes (unless the size is zero …)".
  if (!m) throw malformed("first line must be 'old <size>' in decimal without leading zeroes");
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw malformed("old size exceeds Number.MAX_SAFE_INTEGER");
  const proof: Uint8Array[] = [];
  let pos = nl + 1;
  for (;;) {
    nl = s.indexOf("\n", pos);
    if (nl < 0) throw malformed("missing the empty line before the checkpoint");
    const line = s.slice(pos, nl);
    pos = nl + 1;
    if (line === "") break;
    if (proof.length === MAX_PROOF_LINES) throw malformed(`more than ${MAX_PROOF_LINES} proof lines`);
    let hash: Uint8Array;
    try {
      hash = fromBase64(line, "proof line");
    } catch (cause) {
      throw malformed(`proof line ${proof.length + 1} is not canonical base64`, cause);
    }
    if (hash.length !== 32) throw malformed(`proof line ${proof.length + 1} is not a 32-byte hash`);
    proof.push(hash);
  }
  const checkpoint = s.slice(pos);
  if (checkpoint.length === 0) throw malformed("missing the signed checkpoint after the empty line");
  return { oldSize, proof, checkpoint };
}

/** Formats a request body; `parseAddCheckpointRequest` gives it back. */
export function formatAddCheckpointRequest(req: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(req.oldSize) || req.oldSize < 0) {
    throw new ValidationError("INVALID_ARGUMENT", "old size must be a non-negative safe integer");
  }
  if (req.proof.length > MAX_PROOF_LINES) {
    throw new ValidationError("INVALID_ARGUMENT", `at most ${MAX_PROOF_LINES} proof hashes`);
  }
  if (req.proof.some((h) => !(h instanceof Uint8Array) || h.length !== 32)) {
    throw new ValidationError("INVALID_ARGUMENT", "proof hashes must be 32 bytes");
  }
  const lines = req.proof.map((h) => `${toBase64(h)}\n`).join("");
  return `old ${req.oldSize}\n${lines}\n${req.checkpoint}`;
}
