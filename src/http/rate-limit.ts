import type { RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { AppError } from "../core/errors.js";
import type { HttpOptions } from "./options.js";

/**
 * One per-client budget shared by the public endpoints (in memory, per
 * process). Token holders are not limited here: they are known, and the
 * ledger's queue pushes back on them with 503 instead.
 */
export function publicRateLimit(options: HttpOptions): RequestHandler | undefined {
  if (options.rateLimit === false) return undefined;
  const { windowMs, limit } = options.rateLimit;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    // Our own error shape, with Retry-After for well-behaved clients.
    handler: (_req, res, next) => {
      if (!res.hasHeader("Retry-After")) res.setHeader("Retry-After", String(Math.ceil(windowMs / 1000)));
      next(
        new AppError(
          "RATE_LIMITED",
          `too many requests; at most ${limit} per ${windowMs / 1000} s from one client`,
        ),
      );
    },
  });
}
