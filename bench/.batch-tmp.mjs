import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { secureRandomBytes, systemClock } from "../dist/core/clock.js";
import { generateSignerKey } from "../dist/crypto/note-keys.js";
import { Ledger } from "../dist/ledger/ledger.js";
import { depositEvidenceBatch } from "../dist/service/deposit-evidence.js";
import { createLogKey } from "../dist/service/log-key.js";
import { LevelLedgerStore } from "../dist/storage/level-store.js";

const store = new LevelLedgerStore(join(mkdtempSync(join(tmpdir(), "b-")), "l"));
await store.open();
const key = createLogKey(generateSignerKey("b.invalid/log", secureRandomBytes));
const ledger = await Ledger.open({ store, key, clock: systemClock });
let seq = 0;
const items = () => Array.from({ length: 1000 }, () => ({ sha256: (seq++).toString(16).padStart(64, "0") }));
for (let r = 0; r < 3; r++) {
  let tA = 0,
    tR = 0,
    tS = 0,
    tB = 0;
  const n = 20;
  for (let i = 0; i < n; i++) {
    const it = items();
    let t = performance.now();
    const appended = await ledger.appendAll(it.map((b) => ({ type: "evidence.deposited", body: b })));
    tA += performance.now() - t;
    t = performance.now();
    const { receiptForAppended } = await import("../dist/service/receipts.js");
    const rs = await Promise.all(appended.map((a) => receiptForAppended(ledger, a)));
    tR += performance.now() - t;
    t = performance.now();
    const s = JSON.stringify({ receipts: rs });
    tS += performance.now() - t;
    t = performance.now();
    Buffer.from(s);
    tB += performance.now() - t;
    if (i === 0 && r === 0) console.log("bytes", s.length);
  }
  console.log(
    `per batch of 1000: append ${(tA / n).toFixed(1)} ms, receipts ${(tR / n).toFixed(1)} ms, stringify ${(tS / n).toFixed(1)} ms, buffer ${(tB / n).toFixed(1)} ms`,
  );
}
await store.close();
{
  const { buildReceipt } = await import("../dist/ledger/receipt.js");
  const { inclusionPlan } = await import("../dist/merkle/proof-plan.js");
  const { foldProof } = await import("../dist/merkle/prove.js");
  const store2 = new LevelLedgerStore(join(mkdtempSync(join(tmpdir(), "b-")), "l"));
  await store2.open();
  const ledger2 = await Ledger.open({ store: store2, key, clock: systemClock });
  for (let r = 0; r < 3; r++) {
    const appended = await ledger2.appendAll(items().map((b) => ({ type: "evidence.deposited", body: b })));
    let t = performance.now();
    const proofs = await Promise.all(appended.map((a) => ledger2.proveInclusion(a.index, a.block.size)));
    const tP = performance.now() - t;
    t = performance.now();
    const rs = appended.map((a, i) =>
      buildReceipt({ ...a, recordedIn: a.block, checkpoint: a.block, proof: proofs[i] }),
    );
    const tB = performance.now() - t;
    t = performance.now();
    // one getMany for the union
    const plans = appended.map((a) => inclusionPlan(a.index, a.block.size));
    const keyOf = (id) => id.level * 2 ** 40 + id.index;
    const uniq = new Map();
    for (const p of plans) for (const id of p.ids) uniq.set(keyOf(id), id);
    const ids = [...uniq.values()];
    const hashes = await store2.getNodes(ids);
    const byKey = new Map(ids.map((id, i) => [keyOf(id), hashes[i]]));
    const proofs2 = plans.map((p) =>
      foldProof(
        p,
        p.ids.map((id) => byKey.get(keyOf(id))),
      ),
    );
    const tU = performance.now() - t;
    console.log(
      `proofs ${tP.toFixed(1)} ms, build ${tB.toFixed(1)} ms, union proofs ${tU.toFixed(1)} ms (${ids.length} nodes)`,
      proofs2.length,
    );
  }
}
