import { AppError, type ErrorCode } from "../core/errors.js";

/** Exit statuses (DESIGN §10). */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;

/** Thrown by commands to end with a status and a message on stderr. */
export class CliExit extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const USAGE_CODES = new Set<ErrorCode>([
  "INVALID_ARGUMENT",
  "INVALID_DIGEST",
  "INVALID_INDEX",
  "INVALID_SIZE",
  "LEAF_TOO_LARGE",
  "MALFORMED_KEY",
  "MALFORMED_POLICY",
  "MALFORMED_PROOF",
  "MALFORMED_NOTE",
  "MALFORMED_CHECKPOINT",
  "FILE_UNREADABLE",
  "CONFIG_INVALID",
  "DATA_DIR_LOCKED",
  "KEY_FILE_UNREADABLE",
  "KEY_FILE_MALFORMED",
  "KEY_FILE_PERMISSIONS",
  // cases and signatures: input the user must fix
  "INVALID_TIME",
  "INVALID_PUBLIC_KEY",
  "INVALID_SIGNATURE_ENCODING",
  "DUPLICATE_PARTY",
  "WEBHOOK_INVALID",
  "EMPTY",
  "NOT_PDF",
  "KEY_MISMATCH",
  "PACKAGE_INVALID",
  // a data directory that cannot be read is unreadable input, not a failed check
  "STORAGE_FAILURE",
  "DATABASE_DAMAGED",
]);

/** Maps an error to an exit status: bad input 2, failed checks and missing things 1. */
export function exitStatusFor(e: unknown): number {
  if (e instanceof CliExit) return e.status;
  if (e instanceof AppError) return USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.checkFailed;
  return EXIT.usage;
}

export function describeError(e: unknown): string {
  if (e instanceof CliExit) return e.message;
  if (e instanceof AppError) return `notarium: ${e.message} [${e.code}]`;
  return `notarium: ${(e as Error)?.message ?? String(e)}`;
}

const FILE_REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ENOSPC: "no space left on the disk",
  EROFS: "the file system is read-only",
  EEXIST: "it exists already",
};

/** Why a file operation failed, in words (Node's messages repeat the path and the syscall). */
export function fileReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err?.code && FILE_REASONS[err.code]) || err?.message || String(e);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
