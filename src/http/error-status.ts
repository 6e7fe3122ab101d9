import {
  type AppError,
  ConflictError,
  type ErrorCode,
  NotFoundError,
  OverloadedError,
  ValidationError,
  VerificationError,
} from "../core/errors.js";

/**
 * The one table from error codes to HTTP statuses. Bad input is always a 4xx;
 * 5xx means the service itself failed (or is overloaded or shutting down).
 */
export const ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_DIGEST: 400,
  INVALID_INDEX: 400,
  INVALID_SIZE: 400,
  INVALID_ENTRY: 400,
  LEAF_TOO_LARGE: 400,
  MALFORMED_NOTE: 400,
  MALFORMED_CHECKPOINT: 400,
  MALFORMED_PROOF: 400,
  MALFORMED_KEY: 400,
  MALFORMED_POLICY: 400,
  MALFORMED_JSON: 400,
  UPLOAD_INCOMPLETE: 400,
  FILE_MISSING: 400,
  INVALID_TIME: 400,
  INVALID_PUBLIC_KEY: 400,
  INVALID_SIGNATURE_ENCODING: 400,
  DUPLICATE_PARTY: 400,
  DUPLICATE_KEY: 400,
  FONT_MISSING_GLYPH: 400,
  WEBHOOK_INVALID: 400,
  EMPTY: 400,
  NOT_PDF: 400,
  ENCRYPTED: 400,
  CORRUPT: 400,
  PDF_LOCKED: 400,
  PDF_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // An invitation lets its party act only as itself, in its own case: acting outside that is forbidden.
  SIGNER_MISMATCH: 403,
  CASE_MISMATCH: 403,
  NOT_FOUND: 404,
  EVIDENCE_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  CHECKPOINT_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  SIGNER_NOT_FOUND: 404,
  INVITATION_NOT_FOUND: 404,
  IDENTITY_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  METHOD_NOT_IMPLEMENTED: 501,
  CONFLICT: 409,
  KEY_ALREADY_BOUND: 409,
  CASE_SEALED: 409,
  IDENTITY_ALREADY_ATTESTED: 409,
  KEY_NOT_BOUND: 409,
  ALREADY_SIGNED: 409,
  NOT_YOUR_TURN: 409,
  AGREEMENT_MISSING: 409,
  AGREEMENT_LOCKED: 409,
  SIGNATURES_MISSING: 409,
  // The link existed and will never work again: Gone, so clients can tell it from a mistyped one (404).
  INVITATION_EXPIRED: 410,
  INVITATION_REVOKED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PROOF_INVALID: 422,
  SIGNATURE_INVALID: 422,
  NO_TRUSTED_SIGNATURE: 422,
  ROOT_MISMATCH: 422,
  ORIGIN_MISMATCH: 422,
  QUORUM_NOT_MET: 422,
  DIGEST_MISMATCH: 422,
  // Well-formed signatures that fail a check: the wrong document or role, or a time far from now.
  DOCUMENT_MISMATCH: 422,
  ROLE_MISMATCH: 422,
  TIME_OUT_OF_TOLERANCE: 422,
  RATE_LIMITED: 429,
  STORAGE_FAILURE: 500,
  LEDGER_CORRUPT: 500,
  DATABASE_DAMAGED: 500,
  DATA_DIR_LOCKED: 500,
  KEY_FILE_UNREADABLE: 500,
  KEY_FILE_MALFORMED: 500,
  KEY_FILE_PERMISSIONS: 500,
  FILE_UNREADABLE: 500,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
  SERVER_UNREACHABLE: 502,
  OVERLOADED: 503,
  CLOSED: 503,
};

/** Status for an error: the table first, then the error's class for codes added later. */
export function statusForError(e: AppError): number {
  const s = ERROR_STATUS[e.code];
  if (s !== undefined) return s;
  if (e instanceof ValidationError) return 400;
  if (e instanceof NotFoundError) return 404;
  if (e instanceof ConflictError) return 409;
  if (e instanceof VerificationError) return 422;
  if (e instanceof OverloadedError) return 503;
  return 500;
}
