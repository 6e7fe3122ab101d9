import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Request, type Response, type Router } from "express";

/**
 * The web pages (DESIGN §12), served from what `npm run build` put in
 * dist/web (scripts/build-web.mjs): `/` verify, `/sign/:token` a party's
 * invitation, `/console` the mediators' console, `/assets/*` their
 * content-hashed scripts and styles. Everything is local: the CSP allows
 * only this origin, plus 'wasm-unsafe-eval' for the WebAssembly SHA-256
 * that hashes files in the browser (PDF.js runs with eval off).
 */
export const PAGES_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

interface StaticFile {
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  type: string;
  etag: string;
}

export interface WebPagesOptions {
  /** The built pages (default: dist/web of this package, from src/ or from dist/ alike). */
  dir?: string;
}

const defaultDir = () => fileURLToPath(new URL("../../dist/web/", import.meta.url));

function load(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  for (const sub of ["assets", "pages"]) {
    if (!existsSync(join(dir, sub))) continue;
    for (const file of walk(join(dir, sub))) {
      if (file.endsWith(".gz") || file.endsWith(".br")) continue;
      const body = readFileSync(file);
      const variant = (ext: string) => (existsSync(file + ext) ? readFileSync(file + ext) : undefined);
      const gzip = variant(".gz");
      const br = variant(".br");
      files.set(relative(dir, file).split("\\").join("/"), {
        body,
        type: TYPES[extname(file)] ?? "application/octet-stream",
        etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
        ...(gzip ? { gzip } : {}),
        ...(br ? { br } : {}),
      });
    }
  }
  return files;
}

function send(req: Request, res: Response, f: StaticFile, cacheControl: string): void {
  res.setHeader("Content-Security-Policy", PAGES_CSP);
  res.setHeader("Cache-Control", cacheControl);
  res.setHeader("Content-Type", f.type);
  res.setHeader("ETag", f.etag);
  res.setHeader("Vary", "Accept-Encoding");
  if (req.headers["if-none-match"] === f.etag) {
    res.status(304).end();
    return;
  }
  const accepts = String(req.headers["accept-encoding"] ?? "");
  const [body, encoding] =
    f.br && /\bbr\b/.test(accepts)
      ? [f.br, "br"]
      : f.gzip && /\bgzip\b/.test(accepts)
        ? [f.gzip, "gzip"]
        : [f.body, undefined];
  if (encoding) res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", body.length);
  res.status(200).end(body); // node sends no body for HEAD
}

/**
 * Serves the pages. Assets have hashed names, so they are cached for a year;
 * pages are revalidated on every visit (a new build shows at once), and a
 * signing page, whose address holds the invitation token, is never stored.
 * Files are read once, at the first request, and served from memory.
 */
export function webPages(o: WebPagesOptions = {}): Router {
  const dir = o.dir ?? defaultDir();
  const router = express.Router();
  let files: Map<string, StaticFile> | undefined;
  const get = () => {
    files ??= load(dir);
    return files;
  };
  const page = (name: string, cacheControl: string) => (req: Request, res: Response) => {
    const f = get().get(`pages/${name}.html`);
    if (!f) {
      res
        .status(503)
        .type("text/plain")
        .send("The web pages are not built: run `npm run build` (it bundles src/web into dist/web).\n");
      return;
    }
    send(req, res, f, cacheControl);
  };
  router.get("/", page("verify", "no-cache"));
  router.get("/console", page("console", "no-cache"));
  router.get("/sign/:token", page("sign", "no-store"));
  router.get(/^\/assets\/.+/, (req, res, next) => {
    const f = get().get(req.path.slice(1));
    if (!f) {
      next();
      return;
    }
    send(req, res, f, "public, max-age=31536000, immutable");
  });
  return router;
}
