import type { Request, Response } from "express";
import type { z } from "zod";
import type { ErrorCode } from "../core/errors.js";
import type { Principal, Role } from "../service/tokens.js";

/** A multipart upload, streamed through SHA-256 and never stored. */
export interface HashedUpload {
  sha256: string;
  size: number;
  /** Text fields sent beside the file part. */
  fields: Record<string, string>;
  /** The file itself, when it is a PDF within `keepPdfUpTo` (a sealed agreement to check whole). */
  pdf?: Uint8Array;
}

export interface UploadSpec {
  /** Text fields allowed beside the `file` part. */
  fields: readonly string[];
  /** The JSON body this upload stands for, validated by the operation's body schema. */
  toBody(upload: HashedUpload): unknown;
  /** Also keep the bytes of a PDF up to this size (other files are only hashed). */
  keepPdfUpTo?: number;
}

/** A file the service keeps (e.g. an agreement PDF), buffered whole: the raw body, or a multipart `file` part. */
export interface FileSpec {
  /** Media types accepted as the raw body, e.g. `application/pdf`. */
  types: readonly string[];
  /** Largest file, in bytes (413 above). */
  maxBytes: number;
}

/** Who holds an invitation token (`Bearer inv_…`): one party of one case. */
export interface InvitationHolder {
  caseId: string;
  signer: string;
}

export interface ResponseSpec {
  description: string;
  json?: z.ZodType;
  /** Media type of a text answer, e.g. `text/plain; charset=utf-8`. */
  text?: string;
  /** Media type of a binary answer, e.g. `application/pdf`. */
  binary?: string;
}

export interface HandlerInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** Set on authenticated routes (unless an invitation token was used instead). */
  principal: Principal | undefined;
  /** Set when an operation with `invitations` was called with a party's invitation token. */
  invitation: InvitationHolder | undefined;
  req: Request;
  res: Response;
}

/**
 * One API operation, declared once: the router, the input validation, the
 * OpenAPI document and the reference page are all derived from it.
 */
export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  id: string;
  method: "get" | "post" | "put" | "delete";
  /** Express path, e.g. `/api/v1/evidence/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Roles allowed (admin always is); absent means public. */
  roles?: readonly Role[];
  /**
   * Also accept a party's invitation token (`Bearer inv_…`) in place of a
   * role token, resolved (and refused when unknown, expired or revoked) here.
   */
  invitations?: (token: string) => Promise<InvitationHolder>;
  /**
   * The path's `:id` is a case: a mediator token may use the route only for the
   * cases it opened (checkCaseAccess); admin and court tokens for any.
   */
  caseScoped?: boolean;
  /** Public routes are rate limited unless this says otherwise. */
  rateLimited?: boolean;
  params?: P;
  query?: Q;
  /** JSON body schema (also used to validate what an upload or file stands for). */
  body?: B;
  /**
   * The hot paths' quick check of a body (JSON, or what an upload stands
   * for): the value `body` would give, or undefined to let `body` decide and
   * word any error. Tests hold it to the schema.
   */
  quickBody?: (input: unknown) => z.output<B> | undefined;
  /** Accept multipart/form-data with a `file` part as well as JSON. */
  upload?: UploadSpec;
  /** The body is a file, not JSON: `body` then validates its bytes (schemas.ts `fileBytes`). */
  file?: FileSpec;
  /** Error code for a bad value of a given input field (defaults in validate.ts). */
  codes?: Readonly<Record<string, ErrorCode>>;
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Error statuses beyond the ones every operation of its kind has (409, 410, 422…), with their codes. */
  errors?: Readonly<Record<number, string>>;
  handle(input: HandlerInput<P, Q, B>): Promise<void> | void;
}

export type AnyOperation = Operation<z.ZodType, z.ZodType, z.ZodType>;

/** Keeps each operation's handler typed by its own schemas, then erases them for the route table. */
export function defineOperation<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(op: Operation<P, Q, B>): AnyOperation {
  return op as unknown as AnyOperation;
}
