import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { AppError, type ErrorCode, OverloadedError } from "../core/errors.js";
import { statusForError } from "./error-status.js";

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  404: "ROUTE_NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

/** Anything thrown becomes an AppError; errors from express itself (e.g. a bad %-escape) keep their 4xx meaning. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: unknown; message?: unknown } | undefined;
  const status = typeof e?.status === "number" ? e.status : 500;
  if (status >= 400 && status < 500) {
    return new AppError(
      BY_STATUS[status] ?? "INVALID_ARGUMENT",
      typeof e?.message === "string" ? e.message : "bad request",
      { cause: err },
    );
  }
  return new AppError("INTERNAL", "internal error", { cause: err });
}

/** Every error answers `{"error":{"code","message"}}`; 5xx details go to the log, never to the client. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const e = toAppError(err);
    const status = statusForError(e);
    res.locals.errorCode = e.code;
    if (res.headersSent) {
      logger.warn(
        { reqId: res.locals.requestId, code: e.code },
        "error after the answer started; closing the connection",
      );
      next(err); // express closes the connection
      return;
    }
    let message = e.message;
    if (status >= 500 && status !== 503) {
      logger.error({ reqId: res.locals.requestId, code: e.code, err: e.cause ?? e }, "internal error");
      message = `internal error; quote request ID ${res.locals.requestId} to the operator`;
    }
    if (status === 503)
      res.setHeader("Retry-After", String(e instanceof OverloadedError ? e.retryAfterSeconds : 5));
    if (status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="notarium"');
    // Refused before its body was read (auth, media type, size): answer and drop the connection
    // rather than read, say, 2 GiB of an upload nobody will use.
    if (
      !req.complete &&
      (req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined)
    ) {
      res.setHeader("Connection", "close");
    }
    res.status(status).json({ error: { code: e.code, message } });
  };
}

/** The catch-all after every route. */
export const notFound: RequestHandler = (req) => {
  throw new AppError(
    "ROUTE_NOT_FOUND",
    `no route ${req.method} ${req.path.slice(0, 200)}; see /api/v1/openapi.json`,
  );
};
