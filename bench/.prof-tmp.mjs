import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import * as b from "./http.bench.mjs";

const kind = process.argv[2] ?? "deposit";
const src = readFileSync(new URL("./http.bench.mjs", import.meta.url), "utf8");
const code = eval(src.slice(src.indexOf("const WORKER = `") + 15, src.indexOf("`;\n\nfunction load")) + "`");
const { startService } = b;
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const { service, store, token, port } = await startService(dir);
const run = (wd) =>
  new Promise((res) => {
    const w = new Worker(code, { eval: true, workerData: wd });
    w.once("message", (r) => {
      w.terminate();
      res(r);
    });
  });
const paths = {
  deposit: ["POST", "/api/v1/evidence"],
  verify: ["POST", "/api/v1/verify"],
  get: ["GET", "/healthz"],
  batch: ["POST", "/api/v1/evidence/batch"],
};
await run({
  port,
  connections: 64,
  seconds: 1,
  mode: "closed",
  kind: "deposit",
  method: "POST",
  path: "/api/v1/evidence",
  token,
  seqStart: 1e12,
});
if (process.argv[3] === "elu") {
  for (const k of ["get", "deposit", "verify", "get", "deposit", "verify"]) {
    const e0 = performance.eventLoopUtilization();
    const r = await run({
      port,
      connections: 64,
      seconds: 3,
      mode: "closed",
      kind: k,
      verifyBase: 1e12,
      verifyPool: 1000,
      method: paths[k][0],
      path: paths[k][1],
      token,
      seqStart: 6e12 + Math.random() * 1e9,
    });
    const e = performance.eventLoopUtilization(e0);
    console.log(
      k,
      Math.round(r.n / r.seconds),
      "rps; busy us/req",
      ((e.active / r.n) * 1000).toFixed(1),
      "elu",
      e.utilization.toFixed(2),
    );
  }
  process.exit(0);
}
const { Session } = await import("node:inspector/promises");
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.start");
const r = await run({
  port,
  connections: kind === "batch" ? 8 : 64,
  seconds: 4,
  mode: "closed",
  kind,
  batch: 1000,
  verifyBase: 1e12,
  verifyPool: 1000,
  method: paths[kind][0],
  path: paths[kind][1],
  token,
  seqStart: 5e12,
});
const { profile } = await session.post("Profiler.stop");
console.log(kind, Math.round(r.n / r.seconds), JSON.stringify(r.status));
// self time by function
const self = new Map();
const total = profile.samples.length;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
for (const [id, c] of counts) {
  const n = byId.get(id);
  const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + c);
}
console.log(
  [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(([k, c]) => `${((100 * c) / total).toFixed(1)}% ${k}`)
    .join("\n"),
);
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const chains = new Map();
for (const [id, c] of counts) {
  const n = byId.get(id);
  if (
    n.callFrame.url !== "" ||
    ["(idle)", "(garbage collector)", "(program)"].includes(n.callFrame.functionName)
  )
    continue;
  let p = parent.get(id);
  const names = [];
  while (p !== undefined && names.length < 4) {
    const pn = byId.get(p);
    names.push(`${pn.callFrame.functionName}@${pn.callFrame.url.split("/").slice(-1)[0]}`);
    p = parent.get(p);
  }
  const k = `${n.callFrame.functionName} <- ${names.join(" <- ")}`;
  chains.set(k, (chains.get(k) ?? 0) + c);
}
console.log("--- native by caller");
console.log(
  [...chains]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, c]) => `${((100 * c) / total).toFixed(1)}% ${k}`)
    .join("\n"),
);
await service.stop();
await store.close();
process.exit(0);
