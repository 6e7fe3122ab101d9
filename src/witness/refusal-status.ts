import { type ErrorCode, isAppError } from "../core/errors.js";

/**
 * The one table from refusal codes to the HTTP statuses c2sp.org/tlog-witness
 * v1.0.0 §add-checkpoint prescribes. Anything unlisted is the witness's own
 * failure (500), never a reason to cosign.
 */
export const WITNESS_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  // Garbage: not a request body, note or checkpoint at all. Oversized bodies too (our cap, not the spec's).
  MALFORMED_REQUEST: 400,
  MALFORMED_NOTE: 400,
  MALFORMED_CHECKPOINT: 400,
  PAYLOAD_TOO_LARGE: 400,
  // "If the checkpoint origin is unknown, the witness MUST respond with a 404 Not Found".
  UNKNOWN_ORIGIN: 404,
  // "If none of the signatures verify against a trusted public key … 403 Forbidden"; a trusted key's
  // failing line is the same 403 (C2SP/C2SP#241).
  NO_TRUSTED_SIGNATURE: 403,
  SIGNATURE_INVALID: 403,
  // "The old size MUST be equal to or lower than the checkpoint size. Otherwise … 400 Bad Request".
  OLD_SIZE_EXCEEDS_SIZE: 400,
  // Old size ≠ stored size: 409 with a text/x.tlog.size body; same size, other root: 409.
  OLD_SIZE_MISMATCH: 409,
  CONFLICTING_ROOT: 409,
  // "If the Merkle Consistency Proof doesn't verify … 422 Unprocessable Entity"; a non-empty proof from
  // 0 and a size-0 checkpoint without the empty root are proofs that cannot verify either.
  EMPTY_TREE_ROOT_INVALID: 422,
  UNEXPECTED_PROOF: 422,
  PROOF_INVALID: 422,
};

/** §add-checkpoint: the 409 for a stale old size carries the stored size in this media type. */
export const TLOG_SIZE_CONTENT_TYPE = "text/x.tlog.size";

export interface WitnessRefusal {
  status: number;
  contentType: string;
  body: string;
  code: ErrorCode;
}

/** The HTTP answer to a refusal (or an unexpected error, 500 with no detail). */
export function witnessStatusOf(e: unknown): WitnessRefusal {
  if (!isAppError(e)) {
    return {
      status: 500,
      contentType: "text/plain; charset=utf-8",
      body: "internal error\n",
      code: "INTERNAL",
    };
  }
  const status = WITNESS_STATUS[e.code] ?? 500;
  if (e.code === "OLD_SIZE_MISMATCH") {
    return {
      status,
      contentType: TLOG_SIZE_CONTENT_TYPE,
      body: `${e.details?.size as number}\n`,
      code: e.code,
    };
  }
  const message = status === 500 ? "internal error" : e.message;
  return { status, contentType: "text/plain; charset=utf-8", body: `${message}\n`, code: e.code };
}
