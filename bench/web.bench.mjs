// Web pages (issue 7): SHA-256 of a 1 GiB file in real Chromium, against node:crypto on the same
// file in the same run, and the JavaScript the verify page loads first.
//   - streamed: the verify page's own hashing worker (our generated WebAssembly SHA-256, the file
//     read through a BYOB stream reader); this is what the page uses: two buffers of memory at most
//   - hash-wasm (the WebAssembly package) in the same worker loop, for comparison
//   - WebCrypto: crypto.subtle.digest over the whole file read into one buffer (not streamable:
//     a multi-GB video would not fit), reported for comparison
//   - pure JS (@noble/hashes, streamed), on the first 128 MiB, reported for comparison
// Needs `npm run build` (dist/web) and Debian's chromium.
import { createHash, randomFillSync } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import express from "express";
import { chromium } from "playwright-core";
import chromiumLaunch from "../scripts/chromium.json" with { type: "json" };
import { median, row, tempDir } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = chromiumLaunch.executablePath;
const MiB = 1024 * 1024;

function makeFile(path, bytes) {
  const block = randomFillSync(Buffer.alloc(16 * MiB));
  const fd = openSync(path, "w");
  for (let done = 0; done < bytes; done += block.length) {
    block.writeUInt32LE(done / block.length, 0); // no two blocks alike
    writeSync(fd, block, 0, Math.min(block.length, bytes - done));
  }
  closeSync(fd);
}

/**
 * The native baseline at its best: one reused 8 MiB buffer (a fresh buffer per chunk, as
 * createReadStream makes, costs page faults that halved the baseline on this VM).
 */
async function nodeSha256(path) {
  const started = performance.now();
  const h = createHash("sha256");
  const fh = await open(path);
  const buf = Buffer.allocUnsafe(8 * MiB);
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return { hex: h.digest("hex"), ms: performance.now() - started };
}

/** Serves the built pages plus a bare same-origin page to drive the hashers from. */
async function startServer() {
  const { webPages, PAGES_CSP } = await import(new URL("../dist/web/serve-pages.js", import.meta.url).href);
  const noble = await esbuild.build({
    stdin: {
      contents:
        'import { sha256 } from "@noble/hashes/sha2.js"; globalThis.nobleSha256 = () => sha256.create();',
      resolveDir: root,
    },
    bundle: true,
    format: "iife",
    minify: true,
    write: false,
  });
  // The page's worker with hash-wasm in place of our module: same reading loop, other hasher.
  const hashWasm = await esbuild.build({
    stdin: {
      contents: `
        import { createSHA256 } from "hash-wasm";
        addEventListener("message", async (e) => {
          const h = await createSHA256(); h.init();
          const started = performance.now();
          const reader = e.data.file.stream().getReader({ mode: "byob" });
          const bufs = [new ArrayBuffer(8 << 20), new ArrayBuffer(8 << 20)]; let i = 0;
          let next = reader.read(new Uint8Array(bufs[i]));
          for (;;) {
            const { done, value } = await next;
            if (done) break;
            bufs[i] = value.buffer; i ^= 1; next = reader.read(new Uint8Array(bufs[i]));
            h.update(value);
          }
          postMessage({ type: "done", sha256: h.digest("hex"), ms: performance.now() - started });
        });`,
      resolveDir: root,
    },
    bundle: true,
    format: "iife",
    minify: true,
    write: false,
  });
  const app = express();
  app.get("/bench-hash-wasm.js", (_req, res) => {
    res.setHeader("Content-Security-Policy", PAGES_CSP);
    res.type("js").send(hashWasm.outputFiles[0].text);
  });
  app.use(webPages());
  app.get("/bench", (_req, res) => {
    res.setHeader("Content-Security-Policy", PAGES_CSP);
    res.type("html").send('<!doctype html><input type="file" id="f"><script src="/bench-noble.js"></script>');
  });
  app.get("/bench-noble.js", (_req, res) => res.type("js").send(noble.outputFiles[0].text));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

export async function run({ log, quick }) {
  if (!existsSync(join(root, "dist/web/manifest.json")))
    throw new Error("dist/web is missing: run `npm run build` first");
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const manifest = JSON.parse(readFileSync(join(root, "dist/web/manifest.json"), "utf8"));
  const size = quick ? 256 * MiB : 1024 * MiB;
  const runs = quick ? 1 : 5;
  const tmp = tempDir("web");
  const file = join(tmp.dir, "evidence.bin");
  const { server, url } = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumLaunch.args });
  try {
    log(`  writing a ${size / MiB} MiB file`);
    makeFile(file, size);
    const mbps = (ms, bytes = size) => bytes / 1e6 / (ms / 1000);

    const expected = (await nodeSha256(file)).hex; // also warms the page cache

    const page = await browser.newPage();
    await page.goto(`${url}/bench`);
    await page.locator("#f").setInputFiles(file);

    const inWorker = (workerUrl) =>
      page.evaluate(
        (u) =>
          new Promise((resolve, reject) => {
            const f = document.getElementById("f").files[0];
            const started = performance.now();
            const w = new Worker(u);
            w.onmessage = (e) => {
              if (e.data.type === "done") {
                w.terminate();
                resolve({ hex: e.data.sha256, ms: performance.now() - started });
              } else if (e.data.type === "error") reject(new Error(e.data.message));
            };
            w.onerror = (e) => reject(new Error(e.message));
            w.postMessage({ file: f });
          }),
        workerUrl,
      );
    // Interleaved (node:crypto, ours, hash-wasm; again), so the baseline and both hashers see the
    // same machine (it is shared and noisy); ratios are taken run by run, then their median.
    const nodeRuns = [];
    const streamed = [];
    const packaged = [];
    for (let i = 0; i < runs; i++) {
      const n = await nodeSha256(file);
      if (n.hex !== expected) throw new Error("node:crypto disagrees with itself");
      nodeRuns.push(mbps(n.ms));
      for (const [url, out] of [
        [manifest.hashWorker, streamed],
        ["/bench-hash-wasm.js", packaged],
      ]) {
        const r = await inWorker(url);
        if (r.hex !== expected) throw new Error(`${url} got ${r.hex}, node:crypto ${expected}`);
        out.push(mbps(r.ms));
      }
    }
    const nodeMbps = median(nodeRuns);
    const streamedMbps = median(streamed);
    const packagedMbps = median(packaged);
    const streamedRatio = median(streamed.map((x, i) => x / nodeRuns[i]));
    const packagedRatio = median(packaged.map((x, i) => x / nodeRuns[i]));
    log(
      `  node:crypto ${nodeMbps.toFixed(0)} MB/s; browser, streamed: ours ${streamedMbps.toFixed(0)} MB/s, hash-wasm ${packagedMbps.toFixed(0)} MB/s`,
    );

    const webcrypto = await page.evaluate(async () => {
      const f = document.getElementById("f").files[0];
      const started = performance.now();
      const d = new Uint8Array(await crypto.subtle.digest("SHA-256", await f.arrayBuffer()));
      return {
        hex: Array.from(d, (b) => b.toString(16).padStart(2, "0")).join(""),
        ms: performance.now() - started,
      };
    });
    if (webcrypto.hex !== expected) throw new Error("WebCrypto disagrees with node:crypto");
    const webcryptoMbps = mbps(webcrypto.ms);
    log(`  browser, WebCrypto (whole file in memory) ${webcryptoMbps.toFixed(0)} MB/s`);

    const jsBytes = 128 * MiB;
    const pureJs = await page.evaluate(async (n) => {
      const f = document.getElementById("f").files[0];
      const h = globalThis.nobleSha256();
      const started = performance.now();
      for (let o = 0; o < n; o += 8 * 1024 * 1024)
        h.update(new Uint8Array(await f.slice(o, o + 8 * 1024 * 1024).arrayBuffer()));
      h.digest();
      return performance.now() - started;
    }, jsBytes);
    const pureJsMbps = mbps(pureJs, jsBytes);
    log(`  browser, pure JS (noble) ${pureJsMbps.toFixed(0)} MB/s`);

    // First load of `/`: every script fetched before anyone picks a file.
    const first = await browser.newPage();
    await first.goto(`${url}/`);
    await first.waitForLoadState("networkidle");
    const js = await first.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => /\.m?js$/.test(new URL(e.name).pathname))
        .map((e) => ({ decoded: e.decodedBodySize, encoded: e.encodedBodySize })),
    );
    const decodedKb = js.reduce((n, e) => n + e.decoded, 0) / 1024;
    const encodedKb = js.reduce((n, e) => n + e.encoded, 0) / 1024;
    const gzipKb = manifest.firstLoad.verify.gzipBytes / 1024;
    log(
      `  first load of /: ${decodedKb.toFixed(1)} KB of JavaScript (${encodedKb.toFixed(1)} KB as sent, brotli)`,
    );

    const label = `${size / MiB} MiB`;
    return [
      {
        ...row(
          `browser SHA-256 of ${label}, streamed (generated WebAssembly, worker) — used`,
          streamedMbps,
          "MB/s",
          "node:crypto, interleaved",
          nodeMbps,
          ">= 25% of node:crypto",
          streamedRatio >= 0.25,
        ),
        ratio: streamedRatio,
      },
      {
        ...row(
          `browser SHA-256 of ${label}, streamed (hash-wasm package, same worker loop)`,
          packagedMbps,
          "MB/s",
          "node:crypto, interleaved",
          nodeMbps,
          "reported",
          true,
        ),
        ratio: packagedRatio,
      },
      row(
        `browser SHA-256 of ${label}, WebCrypto digest (not streamed: whole file in memory)`,
        webcryptoMbps,
        "MB/s",
        "node:crypto",
        nodeMbps,
        "reported",
        true,
      ),
      row(
        "browser SHA-256 of 128 MiB, pure JS (@noble/hashes, streamed)",
        pureJsMbps,
        "MB/s",
        "node:crypto",
        nodeMbps,
        "reported",
        true,
      ),
      row(
        "first-load JavaScript of / (uncompressed)",
        decodedKb,
        "KB",
        undefined,
        undefined,
        "< 300 KB",
        decodedKb < 300,
      ),
      row(
        "first-load JavaScript of / (brotli, as sent)",
        encodedKb,
        "KB",
        undefined,
        undefined,
        `reported (gzip ${gzipKb.toFixed(1)} KB)`,
        true,
      ),
    ];
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
    tmp.remove();
  }
}
