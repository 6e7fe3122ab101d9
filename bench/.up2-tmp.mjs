import { mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, execFile } from "node:child_process";
import { startService } from "./http.bench.mjs";
const dir = mkdtempSync(join(tmpdir(), "up-"));
const { service, store, token, port } = await startService(dir);
const f = join(dir, "f.bin");
execFileSync("head", ["-c", String(256 * 2 ** 20), "/dev/urandom"], { stdio: ["ignore", openSync(f, "w"), "inherit"] });
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  execFileSync("openssl", ["dgst", "-sha256", f]);
  const o = performance.now() - t;
  t = performance.now();
  const e0 = performance.eventLoopUtilization(); const c0 = process.cpuUsage();
  await new Promise((res, rej) => execFile("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-F", `file=@${f}`, `http://127.0.0.1:${port}/api/v1/verify`], (err, out) => err ? rej(err) : res(out)));
  const c = performance.now() - t;
  const e = performance.eventLoopUtilization(e0); const cu = process.cpuUsage(c0); console.log("user ms", cu.user/1000, "sys ms", cu.system/1000, "wall ms", c);
  console.log(`openssl ${(268.4 / o * 1000).toFixed(0)} MB/s; curl upload ${(268.4 / c * 1000).toFixed(0)} MB/s; server elu ${e.utilization.toFixed(2)}`);
}
const { profile } = await session.post("Profiler.stop"); process.exit(0);
const self = new Map(); const total = profile.samples.length;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
for (const sId of profile.samples) { const n = byId.get(sId); let k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`; if (n.callFrame.url === "") { const p = byId.get(parent.get(sId)); k += " <- " + (p ? p.callFrame.functionName + "@" + p.callFrame.url.split("/").slice(-1)[0] : ""); } self.set(k, (self.get(k) ?? 0) + 1); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, c]) => `${(100 * c / total).toFixed(1)}% ${k}`).join("\n"));
await service.stop(); await store.close(); process.exit(0);
