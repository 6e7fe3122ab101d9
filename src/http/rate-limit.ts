import type { Request, RequestHandler, Response } from "express";
import { AppError } from "../core/errors.js";
import { INVITATION_PREFIX } from "../esign/invitation.js";
import { bearerToken } from "./auth.js";
import type { Authenticator } from "./deps.js";
import type { HttpOptions } from "./options.js";

/** What one request did to its client's budget. */
export interface Take {
  ok: boolean;
  /** Requests left in the window (0 once refused). */
  remaining: number;
  /** Milliseconds until the window, and the budget, start again. */
  resetMs: number;
}

/**
 * A fixed window per client: at most `limit` requests in `windowMs` from the
 * client's first request of the window. Synchronous and one Map lookup per
 * request; expired windows are swept once per window, so memory follows the
 * clients of the last window or two.
 */
export class WindowCounter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  #sweepAt = Number.NEGATIVE_INFINITY;

  /**
   * `maxClients` bounds the memory a flood of addresses (or of forged
   * forwarding headers behind a proxy) can take: past it, the oldest window is
   * forgotten, and that client starts afresh.
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly maxClients = 100_000,
  ) {}

  /** `now` in ms from any fixed start (monotonic, so a clock step neither extends nor resets windows). */
  take(key: string, now: number): Take {
    if (now >= this.#sweepAt) this.#sweep(now);
    let w = this.#windows.get(key);
    if (w === undefined || now >= w.resetAt) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.#windows.delete(key);
      if (this.#windows.size >= this.maxClients) {
        const oldest = this.#windows.keys().next().value;
        if (oldest !== undefined) this.#windows.delete(oldest);
      }
      this.#windows.set(key, w);
    }
    const resetMs = w.resetAt - now;
    if (w.count >= this.limit) return { ok: false, remaining: 0, resetMs };
    w.count++;
    return { ok: true, remaining: this.limit - w.count, resetMs };
  }

  /** Clients with a window open. */
  get size(): number {
    return this.#windows.size;
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (now >= w.resetAt) this.#windows.delete(key);
    this.#sweepAt = now + this.windowMs;
  }
}

/**
 * One per-client budget shared by the public endpoints (in memory, per
 * process). Token holders are not limited here: they are known, and the
 * ledger's queue pushes back on them with 503 instead.
 *
 * A counter of our own rather than a library's: it sits on every public
 * request, and answering in the same turn (no promise) measured about 4 µs
 * less per verify than rate-limiter-flexible's consume(), in a verify from
 * memory of about 85 µs in all. express-rate-limit cost about 20 µs.
 * Answers carry the IETF draft's `RateLimit-Policy` and `RateLimit`
 * headers, and a refusal `Retry-After`.
 */
export function publicRateLimit(options: HttpOptions, tokens?: Authenticator): RequestHandler | undefined {
  if (options.rateLimit === false) return undefined;
  const limited = countedRequest(options.rateLimit, options.trustProxy !== false);
  if (!tokens) return limited;
  // API token holders (mediators, courts, admins) are known and revocable: not limited. A
  // request with a token that does not authenticate counts like any other.
  return (req, res, next) => {
    const token = bearerToken(req);
    if (token === undefined || token.startsWith(INVITATION_PREFIX)) {
      limited(req, res, next);
      return;
    }
    // The principal is kept, as on token routes, so the log names who made the request.
    const known = tokens.known?.(token);
    if (known) {
      res.locals.principal = known;
      next();
      return;
    }
    tokens.authenticate(token).then(
      (principal) => {
        res.locals.principal = principal;
        next();
      },
      () => limited(req, res, next),
    );
  };
}

function countedRequest(
  { windowMs, limit }: { windowMs: number; limit: number },
  behindProxy: boolean,
): RequestHandler {
  const windowS = Math.max(1, Math.ceil(windowMs / 1000));
  const counter = new WindowCounter(limit, windowS * 1000);
  const policy = `${limit};w=${windowS}`;
  // Behind a trusted proxy the client is whom it names (express's req.ip); otherwise the
  // socket's peer, read directly (req.ip parses forwarding headers on every call).
  return (req: Request, res: Response, next) => {
    const r = counter.take(
      clientKey((behindProxy ? req.ip : req.socket.remoteAddress) ?? ""),
      performance.now(),
    );
    const resetS = Math.max(1, Math.ceil(r.resetMs / 1000));
    res.setHeader("RateLimit-Policy", policy);
    res.setHeader("RateLimit", `limit=${limit}, remaining=${r.remaining}, reset=${resetS}`);
    if (r.ok) {
      next();
      return;
    }
    res.setHeader("Retry-After", String(resetS));
    next(
      new AppError(
        "RATE_LIMITED",
        `too many requests; at most ${limit} per ${windowMs / 1000} s from one client`,
      ),
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
