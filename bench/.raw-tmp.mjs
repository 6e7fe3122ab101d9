import http from "node:http";
import { createHash } from "node:crypto";
import { execFile, execFileSync } from "node:child_process";
import { openSync, mkdtempSync } from "node:fs";
import { join } from "node:path"; import { tmpdir } from "node:os";
import busboy from "busboy";
const mode = process.argv[2];
const server = http.createServer((req, res) => {
  const h = createHash("sha256");
  if (mode === "raw") { req.on("data", (c) => h.update(c)); req.on("end", () => res.end(h.digest("hex"))); return; }
  const bb = busboy({ headers: req.headers, highWaterMark: 1 << 20, fileHwm: 1 << 20 });
  bb.on("file", (n, s) => { s.on("data", (c) => h.update(c)); });
  bb.on("close", () => res.end(h.digest("hex")));
  req.pipe(bb);
}).listen(0, "127.0.0.1", async () => {
  const port = server.address().port;
  const dir = mkdtempSync(join(tmpdir(), "raw-")); const f = join(dir, "f.bin");
  execFileSync("head", ["-c", String(256 * 2 ** 20), "/dev/urandom"], { stdio: ["ignore", openSync(f, "w"), "inherit"] });
  for (let i = 0; i < 3; i++) {
    let t = performance.now(); execFileSync("openssl", ["dgst", "-sha256", f]); const o = performance.now() - t;
    const c0 = process.cpuUsage(); t = performance.now();
    const args = mode === "raw" ? ["-s", "-o", "/dev/null", "--data-binary", `@${f}`, "-H", "content-type: application/octet-stream"] : ["-s", "-o", "/dev/null", "-F", `file=@${f}`];
    await new Promise((r) => execFile("curl", [...args, `http://127.0.0.1:${port}/`], r));
    const c = performance.now() - t; const cu = process.cpuUsage(c0);
    console.log(mode, `openssl ${(268 / o * 1000).toFixed(0)} MB/s, upload ${(268 / c * 1000).toFixed(0)} MB/s, user ${(cu.user / 1000).toFixed(0)} sys ${(cu.system / 1000).toFixed(0)} ms`);
  }
  process.exit(0);
});
