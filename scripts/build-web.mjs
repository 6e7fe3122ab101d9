// Builds the web pages (DESIGN §12) from src/web into dist/web, for `npm run build`:
//   dist/web/assets/  content-hashed JS, CSS and icons (+ .gz and .br), cached for a year
//   dist/web/pages/   verify.html, sign.html, console.html (+ .gz and .br), Chinese text filled in
//   dist/web/manifest.json  what each page loads first, in bytes (the bench and tests read it)
// Browser code is bundled with esbuild straight from the shared TypeScript modules (one
// verifier for the CLI, the service and the pages); node:crypto stays external because
// src/crypto/native.ts imports it only when running under Node.
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src/web");
const out = join(root, "dist/web");
const assets = join(out, "assets");
const PAGES = ["verify", "sign", "console"];
const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  platform: "browser",
  legalComments: "eof",
  logLevel: "warning",
  metafile: true,
  entryNames: "[name]-[hash]",
  outdir: assets,
};

rmSync(assets, { recursive: true, force: true });
rmSync(join(out, "pages"), { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
mkdirSync(join(out, "pages"), { recursive: true });

const url = (file) => `/assets/${relative(assets, join(root, file)).split("\\").join("/")}`;

// 1. The hashing worker: a classic script, so it runs wherever workers do.
const worker = await esbuild.build({
  ...common,
  entryPoints: { "hash-worker": join(src, "client/verify/hash-worker.ts") },
  format: "iife",
});
const workerUrl = url(Object.keys(worker.metafile.outputs)[0]);

// PDF.js (the signing page draws the agreement with it): its worker, CMaps and standard
// fonts are served as they ship, under a versioned folder, so they cache like hashed files.
const pdfjsVersion = JSON.parse(
  readFileSync(join(root, "node_modules/pdfjs-dist/package.json"), "utf8"),
).version;
const pdfjsDir = join(assets, `pdfjs-${pdfjsVersion}`);
const pdfjsSrc = join(root, "node_modules/pdfjs-dist");
mkdirSync(pdfjsDir, { recursive: true });
copyFileSync(join(pdfjsSrc, "build/pdf.worker.min.mjs"), join(pdfjsDir, "pdf.worker.min.mjs"));
cpSync(join(pdfjsSrc, "cmaps"), join(pdfjsDir, "cmaps"), { recursive: true });
cpSync(join(pdfjsSrc, "standard_fonts"), join(pdfjsDir, "standard_fonts"), { recursive: true });

// 2. The pages' modules, split so shared code loads once and the sealed-PDF verifier
//    (pdf-lib) is a chunk fetched only when a sealed PDF is dropped.
const pages = await esbuild.build({
  ...common,
  entryPoints: {
    ...Object.fromEntries(PAGES.map((p) => [p, join(src, `client/${p}/main.ts`)])),
    app: join(src, "styles/app.css"),
  },
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  external: ["node:crypto"],
  define: {
    __HASH_WORKER_URL__: JSON.stringify(workerUrl),
    __PDFJS_BASE__: JSON.stringify(`/assets/pdfjs-${pdfjsVersion}/`),
  },
});

const names = new Map([["hash-worker.js", workerUrl]]);
for (const [file, o] of Object.entries(pages.metafile.outputs)) {
  if (o.entryPoint) names.set(`${basename(file).replace(/-[A-Z0-9]{8}(\.\w+)$/, "$1")}`, url(file));
}
const icon = readFileSync(join(src, "pages/favicon.svg"));
const iconName = `favicon-${createHash("sha256").update(icon).digest("hex").slice(0, 8).toUpperCase()}.svg`;
copyFileSync(join(src, "pages/favicon.svg"), join(assets, iconName));
names.set("favicon.svg", `/assets/${iconName}`);

// 3. HTML: partials and asset URLs. The templates carry their Chinese text (readable
//    before any script runs, and what linters and screen readers see); each data-i18n key
//    must match the message table, so the two never drift apart.
const messages = await loadMessages();
const escapeHtml = (s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const zh = (key, where) => {
  const m = messages[key];
  if (!m) throw new Error(`build-web: ${where} uses "${key}", which no message table defines`);
  return escapeHtml(m[0]);
};
const partial = (name) => readFileSync(join(src, `pages/_${name}.html`), "utf8").trimEnd();
for (const page of PAGES) {
  const html = readFileSync(join(src, `pages/${page}.html`), "utf8")
    .replace(/\{\{> (\w+)\}\}/g, (_, n) => partial(n))
    .replace(/\{\{asset:([\w.-]+)\}\}/g, (_, n) => {
      const u = names.get(n);
      if (!u) throw new Error(`build-web: no asset "${n}"`);
      return u;
    })
    .replace(/\n\s*\n/g, "\n");
  const where = `${page}.html`;
  for (const m of html.matchAll(
    /<([a-z0-9]+)\b[^>]*\sdata-i18n(?:-title)?="([\w.-]+)"[^>]*>([^<]*)<\/\1>/g,
  )) {
    if (m[3] !== zh(m[2], where))
      throw new Error(`build-web: ${where}: "${m[3]}" is not the message ${m[2]}`);
  }
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"([^>]*)>/g)) {
    for (const pair of m[1].split(";")) {
      const [attr, key] = pair.split(":").map((x) => x.trim());
      if (!m[2].includes(`${attr}="${zh(key, where)}"`))
        throw new Error(`build-web: ${where}: ${attr} is not the message ${key}`);
    }
  }
  if (/\{\{/.test(html) || /\sdata-i18n="[\w.-]+"[^>]*><\//.test(html))
    throw new Error(`build-web: ${where} has an unfilled placeholder or message`);
  writeFileSync(join(out, `pages/${page}.html`), html);
}

// 4. What each page fetches before anyone interacts: its entry and the chunks it imports statically.
const outputs = pages.metafile.outputs;
const staticClosure = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of outputs[file]?.imports ?? [])
    if (i.kind === "import-statement") staticClosure(i.path, seen);
  return seen;
};
const firstLoad = {};
for (const [file, o] of Object.entries(outputs)) {
  const page = o.entryPoint && PAGES.find((p) => o.entryPoint.endsWith(`client/${p}/main.ts`));
  if (!page) continue;
  const files = [...staticClosure(file)];
  const bytes = files.reduce((n, f) => n + statSync(join(root, f)).size, 0);
  const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(root, f)), { level: 9 }).length, 0);
  firstLoad[page] = { files: files.map(url), bytes, gzipBytes: gzip };
}

// 5. Precompressed copies: the server picks one by Accept-Encoding, no compression at request time.
const walk = (dir) =>
  readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)],
  );
for (const file of [...walk(assets), ...walk(join(out, "pages"))]) {
  const body = readFileSync(file);
  // CMaps and standard fonts are compact binary formats, fetched only for unusual PDFs.
  if (body.length < 1024 || /[\\/](cmaps|standard_fonts)[\\/]/.test(file)) continue;
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
mkdirSync(dirname(join(out, "manifest.json")), { recursive: true });
writeFileSync(
  join(out, "manifest.json"),
  `${JSON.stringify({ assets: Object.fromEntries(names), hashWorker: workerUrl, firstLoad }, null, 2)}\n`,
);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
process.stdout.write(
  `web pages built into ${relative(process.cwd(), out) || "."}: ${PAGES.map(
    (p) => `${p} ${kb(firstLoad[p].bytes)} (gzip ${kb(firstLoad[p].gzipBytes)})`,
  ).join(", ")} of first-load JavaScript\n`,
);

/** The message tables, bundled from TypeScript and imported from memory (no temp files). */
async function loadMessages() {
  const r = await esbuild.build({
    stdin: {
      contents: [
        'export { commonMessages } from "./client/common/messages.ts";',
        ...PAGES.map((p) => `export { ${p}Messages } from "./client/${p}/messages.ts";`),
        'export { checkMessages } from "./client/verify/check-words.ts";',
      ].join("\n"),
      resolveDir: src,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "warning",
  });
  const mod = await import(
    `data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString("base64")}`
  );
  return Object.assign({}, ...Object.values(mod));
}
