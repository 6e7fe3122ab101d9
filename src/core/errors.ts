/**
 * One error type per area, each with a stable string `code` that callers and
 * tests match on (the message is for people and may change). `cause` keeps
 * the underlying error for logs.
 */
export type ErrorCode =
  // input shape
  | "INVALID_ARGUMENT"
  | "INVALID_DIGEST"
  | "INVALID_INDEX"
  | "INVALID_SIZE"
  | "INVALID_ENTRY"
  | "LEAF_TOO_LARGE"
  | "MALFORMED_NOTE"
  | "MALFORMED_CHECKPOINT"
  | "MALFORMED_PROOF"
  | "MALFORMED_KEY"
  | "MALFORMED_POLICY"
  // PDF input (src/pdf): refused documents and seal content (EMPTY and NOT_PDF are below)
  | "ENCRYPTED"
  | "CORRUPT"
  | "PDF_TOO_COMPLEX"
  | "PDF_LOCKED"
  | "FONT_MISSING_GLYPH"
  // verification
  | "PROOF_INVALID"
  | "SIGNATURE_INVALID"
  | "NO_TRUSTED_SIGNATURE"
  | "ROOT_MISMATCH"
  | "ORIGIN_MISMATCH"
  | "QUORUM_NOT_MET"
  | "DIGEST_MISMATCH"
  // lookups
  | "NOT_FOUND"
  | "EVIDENCE_NOT_FOUND"
  | "ENTRY_NOT_FOUND"
  | "CHECKPOINT_NOT_FOUND"
  // state
  | "CONFLICT"
  | "OVERLOADED"
  | "CLOSED"
  // storage and keys
  | "STORAGE_FAILURE"
  | "LEDGER_CORRUPT"
  | "DATABASE_DAMAGED"
  | "DATA_DIR_LOCKED"
  | "KEY_FILE_UNREADABLE"
  | "KEY_FILE_MALFORMED"
  | "KEY_FILE_PERMISSIONS"
  | "FILE_UNREADABLE"
  | "CONFIG_INVALID"
  // cases, invitations and party signatures
  | "INVALID_TIME"
  | "INVALID_PUBLIC_KEY"
  | "INVALID_SIGNATURE_ENCODING"
  | "CASE_NOT_FOUND"
  | "SIGNER_NOT_FOUND"
  | "DUPLICATE_PARTY"
  | "DUPLICATE_KEY"
  | "INVITATION_NOT_FOUND"
  | "INVITATION_EXPIRED"
  | "INVITATION_REVOKED"
  | "KEY_ALREADY_BOUND"
  | "CASE_SEALED"
  | "IDENTITY_ALREADY_ATTESTED"
  | "KEY_NOT_BOUND"
  | "KEY_MISMATCH"
  | "ALREADY_SIGNED"
  | "NOT_YOUR_TURN"
  | "AGREEMENT_MISSING"
  | "AGREEMENT_LOCKED"
  | "TIME_OUT_OF_TOLERANCE"
  | "DOCUMENT_MISMATCH"
  | "CASE_MISMATCH"
  | "ROLE_MISMATCH"
  | "SIGNER_MISMATCH"
  | "IDENTITY_NOT_FOUND"
  | "SIGNATURES_MISSING"
  | "WEBHOOK_INVALID"
  | "PACKAGE_INVALID"
  // uploaded documents
  | "EMPTY"
  | "NOT_PDF"
  // HTTP API and tokens
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "TOKEN_NOT_FOUND"
  | "MALFORMED_JSON"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UPLOAD_INCOMPLETE"
  | "FILE_MISSING"
  | "ROUTE_NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "METHOD_NOT_IMPLEMENTED"
  | "REQUEST_TIMEOUT"
  | "HEADERS_TOO_LARGE"
  | "RATE_LIMITED"
  | "SERVER_UNREACHABLE"
  // court witness (c2sp.org/tlog-witness add-checkpoint refusals)
  | "MALFORMED_REQUEST"
  | "UNKNOWN_ORIGIN"
  | "OLD_SIZE_EXCEEDS_SIZE"
  | "OLD_SIZE_MISMATCH"
  | "EMPTY_TREE_ROOT_INVALID"
  | "UNEXPECTED_PROOF"
  | "CONFLICTING_ROOT"
  | "INTERNAL";

export interface ErrorOptions {
  cause?: unknown;
  /** Extra machine-readable detail (e.g. the first bad index of an audit). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** The caller sent something malformed: fix the input and retry. */
export class ValidationError extends AppError {}
/** Well-formed input that fails a cryptographic or consistency check. */
export class VerificationError extends AppError {}
/** A referenced thing (entry, evidence, checkpoint) does not exist. */
export class NotFoundError extends AppError {}
/** The request conflicts with current state (duplicate, wrong order). */
export class ConflictError extends AppError {}
/** Persistent state is unavailable, locked or inconsistent. */
export class StorageError extends AppError {}
/** The service is temporarily unable to accept work; retry later. */
export class OverloadedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 1, options: ErrorOptions = {}) {
    super("OVERLOADED", message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
