import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { toHex } from "../core/bytes.js";
import type { RandomBytes } from "../core/clock.js";
import { routeOf } from "./metrics.js";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** A path segment that is, once percent-decoded, an invitation link's token: a capability, never logged. */
function isInvitationSegment(segment: string): boolean {
  if (segment.startsWith("inv_")) return true;
  if (!segment.includes("%")) return false;
  try {
    return decodeURIComponent(segment).startsWith("inv_");
  } catch {
    return false;
  }
}

/** The path as logged: at most 200 characters, invitation tokens (/sign/inv_…, /api/v1/invitations/inv_…) replaced. */
export function loggedPath(path: string): string {
  const safe =
    path.includes("inv_") || path.includes("%")
      ? path
          .split("/")
          .map((s) => (isInvitationSegment(s) ? "inv_[redacted]" : s))
          .join("/")
      : path;
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe;
}

/**
 * Gives every request an ID (the caller's X-Request-Id when it is a plain
 * token, else our own), echoes it in the answer, and logs one line per
 * request: method, route, path, status, time, and who (token ID and role).
 * Never headers, query strings, bodies or tokens (invitation tokens in a
 * path are replaced).
 */
export function requestLog(logger: Logger, randomBytes: RandomBytes): RequestHandler {
  const boot = toHex(randomBytes(4));
  let seq = 0;
  return (req, res, next) => {
    const incoming = req.headers["x-request-id"];
    const reqId =
      typeof incoming === "string" && SAFE_ID.test(incoming) ? incoming : `${boot}-${(++seq).toString(36)}`;
    res.locals.requestId = reqId;
    res.setHeader("X-Request-Id", reqId);
    const start = performance.now();
    const line = () => ({
      reqId,
      method: req.method,
      route: routeOf(req),
      path: loggedPath(req.path),
      status: res.statusCode,
      ms: Math.round((performance.now() - start) * 100) / 100,
      token: res.locals.principal?.id,
      role: res.locals.principal?.role,
      code: res.locals.errorCode,
    });
    if (!logger.isLevelEnabled("info")) {
      // Quiet logger: only failures are worth the bookkeeping.
      res.once("close", () => {
        if (res.statusCode >= 500 && logger.isLevelEnabled("error")) logger.error(line(), "request failed");
      });
      next();
      return;
    }
    res.once("close", () => {
      if (!res.writableFinished)
        logger.warn({ ...line(), aborted: true }, "client went away before the answer");
      else if (res.statusCode >= 500) logger.error(line(), "request failed");
      else logger.info(line(), "request");
    });
    next();
  };
}
