import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * Security headers (helmet defaults: strict CSP, nosniff, frame denial,
 * same-origin resource policy). HSTS and upgrade-insecure-requests only when
 * served over HTTPS: on a plain-HTTP LAN deployment they would break pages.
 */
export function securityHeaders(opts: { https: boolean }): RequestHandler {
  return helmet({
    strictTransportSecurity: opts.https,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: opts.https ? [] : null } },
  });
}

/**
 * CORS is closed unless origins are listed: browsers on other sites then get
 * no Access-Control-* headers and cannot read answers. Listed origins may
 * call everything with a bearer token (no cookies are ever used).
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) {
      next();
      return;
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Expose-Headers", "Retry-After, X-Request-Id, Location");
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE");
      res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    next();
  };
}
