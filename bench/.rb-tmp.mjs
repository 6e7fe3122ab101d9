import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { secureRandomBytes, systemClock } from "../dist/core/clock.js";
import { generateSignerKey } from "../dist/crypto/note-keys.js";
import { Ledger } from "../dist/ledger/ledger.js";
import { createLogKey } from "../dist/service/log-key.js";
import { buildReceipt } from "../dist/ledger/receipt.js";
import { LevelLedgerStore } from "../dist/storage/level-store.js";
const store = new LevelLedgerStore(join(mkdtempSync(join(tmpdir(), "b-")), "l")); await store.open();
const key = createLogKey(generateSignerKey("b.invalid/log", secureRandomBytes));
const ledger = await Ledger.open({ store, key, clock: systemClock });
let seq = 0;
const items = () => Array.from({ length: 1000 }, () => ({ type: "evidence.deposited", body: { sha256: (seq++).toString(16).padStart(64, "0") } }));
for (let i = 0; i < 5; i++) await ledger.appendAll(items());
const appended = await ledger.appendAll(items());
const proofs = await Promise.all(appended.map((a) => ledger.proveInclusion(a.index, a.block.size)));
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
let t = performance.now();
for (let r = 0; r < 20; r++) appended.map((a, i) => buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof: proofs[i] }));
console.log("build per receipt us", ((performance.now() - t) / 20).toFixed(1));
const { profile } = await session.post("Profiler.stop");
const self = new Map(); const total = profile.samples.length;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (const sId of profile.samples) { const n = byId.get(sId); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + 1); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, c]) => `${(100 * c / total).toFixed(1)}% ${k}`).join("\n"));
await store.close();
{
  const store2 = new LevelLedgerStore(join(mkdtempSync(join(tmpdir(), "b-")), "l")); await store2.open();
  const ledger2 = await Ledger.open({ store: store2, key, clock: systemClock });
  for (let i = 0; i < 3; i++) await ledger2.appendAll(items());
  const ap = await ledger2.appendAll(items());
  const pr = await Promise.all(ap.map((a) => ledger2.proveInclusion(a.index, a.block.size)));
  for (let k = 0; k < 3; k++) {
  let t = performance.now();
  for (let r = 0; r < 20; r++) { const rs = ap.map((a, i) => buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof: pr[i] })); JSON.stringify({ receipts: rs }); }
  const all = (performance.now() - t) / 20;
  t = performance.now();
  for (let r = 0; r < 20; r++) { const parts = ap.map((a, i) => JSON.stringify(buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof: pr[i] }))); const s = `{"receipts":[${parts.join(",")}]}`; }
  const one = (performance.now() - t) / 20;
  console.log(`all-then-stringify ${all.toFixed(1)} ms/1000, stringify-each ${one.toFixed(1)} ms/1000`);
  }
}
