import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webPages } from "../../src/web/serve-pages.js";

let dir: string;
let server: Server;
let base: string;
const html = `<!doctype html><title>verify</title>${"x".repeat(2000)}`;

async function serve(app: express.Express): Promise<{ server: Server; url: string }> {
  const s = await new Promise<Server>((resolve) => {
    const l = app.listen(0, "127.0.0.1", () => resolve(l));
  });
  return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "notarium-web-"));
  mkdirSync(join(dir, "pages"));
  mkdirSync(join(dir, "assets"));
  for (const p of ["verify", "sign", "console"])
    writeFileSync(join(dir, `pages/${p}.html`), html.replace("verify", p));
  writeFileSync(join(dir, "pages/verify.html.gz"), gzipSync(html));
  writeFileSync(join(dir, "assets/verify-ABCDEFGH.js"), "console.log(1)");
  const app = express();
  app.use(webPages({ dir }));
  app.use((_req, res) => {
    res.status(404).end();
  });
  ({ server, url: base } = await serve(app));
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("webPages()", () => {
  it("serves the verify page, revalidated on every visit, under a CSP that allows only this origin", async () => {
    const r = await fetch(`${base}/`, { headers: { "accept-encoding": "identity" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("no-cache");
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|unsafe-inline|'unsafe-eval'/);
    expect(await r.text()).toBe(html);
    const again = await fetch(`${base}/`, { headers: { "if-none-match": r.headers.get("etag") as string } });
    expect(again.status).toBe(304);
  });

  it("sends the precompressed copy when the client takes it", async () => {
    const r = await fetch(`${base}/`, { headers: { "accept-encoding": "gzip" } });
    expect(r.headers.get("content-encoding")).toBe("gzip");
    expect(r.headers.get("vary")).toBe("Accept-Encoding");
    expect(await r.text()).toBe(html); // fetch decodes it
  });

  it("never lets a signing page (its address holds the token) be stored", async () => {
    const r = await fetch(`${base}/sign/inv_abc`);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(await r.text()).toContain("<title>sign</title>");
    expect((await fetch(`${base}/console`)).headers.get("cache-control")).toBe("no-cache");
  });

  it("caches hashed assets for a year and passes unknown ones on", async () => {
    const r = await fetch(`${base}/assets/verify-ABCDEFGH.js`);
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(r.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await fetch(`${base}/assets/nothing.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/../pages/verify.html`)).status).toBe(404);
  });

  it("says how to build the pages when they are missing", async () => {
    const app = express();
    app.use(webPages({ dir: join(dir, "missing") }));
    const s = await serve(app);
    const r = await fetch(`${s.url}/`);
    expect(r.status).toBe(503);
    expect(await r.text()).toContain("npm run build");
    s.server.close();
  });
});
