import type { Request, RequestHandler, Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../core/errors.js";
import type { HttpOptions } from "./options.js";

/**
 * One per-client budget shared by the public endpoints (in memory, per
 * process). Token holders are not limited here: they are known, and the
 * ledger's queue pushes back on them with 503 instead.
 *
 * rate-limiter-flexible rather than express-rate-limit: measured on bare
 * express, the latter cost about 20 µs a request against about 6, and an
 * answer to a verify from memory costs about 120 µs in all. Answers carry
 * the IETF draft's `RateLimit-Policy` and `RateLimit` headers, and a
 * refusal `Retry-After`.
 */
export function publicRateLimit(options: HttpOptions): RequestHandler | undefined {
  if (options.rateLimit === false) return undefined;
  const { windowMs, limit } = options.rateLimit;
  const windowS = Math.max(1, Math.ceil(windowMs / 1000));
  const limiter = new RateLimiterMemory({ points: limit, duration: windowS });
  const policy = `${limit};w=${windowS}`;
  // Behind a trusted proxy the client is whom it names (express's req.ip); otherwise the
  // socket's peer, read directly (req.ip parses forwarding headers on every call).
  const behindProxy = options.trustProxy !== false;
  const headers = (res: Response, r: RateLimiterRes) => {
    res.setHeader("RateLimit-Policy", policy);
    res.setHeader(
      "RateLimit",
      `limit=${limit}, remaining=${r.remainingPoints}, reset=${Math.ceil(r.msBeforeNext / 1000)}`,
    );
  };
  return (req: Request, res: Response, next) => {
    limiter.consume(clientKey((behindProxy ? req.ip : req.socket.remoteAddress) ?? "")).then(
      (r) => {
        headers(res, r);
        next();
      },
      (r: unknown) => {
        if (!(r instanceof RateLimiterRes)) {
          next(r);
          return;
        }
        headers(res, r);
        res.setHeader("Retry-After", String(Math.max(1, Math.ceil(r.msBeforeNext / 1000))));
        next(
          new AppError(
            "RATE_LIMITED",
            `too many requests; at most ${limit} per ${windowMs / 1000} s from one client`,
          ),
        );
      },
    );
  };
}

/**
 * The budget a client address counts against: an IPv4 address as is (also
 * when written IPv4-mapped, ::ffff:a.b.c.d), an IPv6 address by its /56
 * prefix, the smallest block commonly assigned to one customer, so that
 * hopping between addresses of one's own network does not buy more requests.
 */
export function clientKey(address: string): string {
  const zone = address.indexOf("%"); // a zone (fe80::1%eth0) names a local interface
  const ip = zone < 0 ? address : address.slice(0, zone);
  if (!ip.includes(":")) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  const [head = "", tail] = ip.split("::");
  const groups = (s: string) =>
    s === "" ? [] : s.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [g]));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  const word = (i: number) => Number.parseInt(all[i] ?? "0", 16) || 0;
  return `${word(0).toString(16)}:${word(1).toString(16)}:${word(2).toString(16)}:${(word(3) & 0xff00).toString(16)}::/56`;
}
