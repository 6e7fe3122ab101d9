import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { parsePolicy, verifyCheckpointWithPolicy } from "../../src/crypto/tlog-policy.js";
import { createMetrics } from "../../src/http/metrics.js";
import { Ledger } from "../../src/ledger/ledger.js";
import { verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { receiptForIndex } from "../../src/service/receipts.js";
import { Witnessing } from "../../src/service/witnessing.js";
import { MemoryLedgerStore } from "../../src/storage/memory-store.js";
import { WitnessCoordinator } from "../../src/witness/log-client.js";
import { digest, testLogKey } from "../helpers/ledger.js";
import { serveWitness } from "../witness/helpers.js";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(quorum: "2" | "1") {
  const key = testLogKey();
  const a = await serveWitness({
    logs: [key.verifierKey],
    name: "test.notarium.invalid/court-a",
    cosignerSeed: 31,
  });
  const b = await serveWitness({
    logs: [key.verifierKey],
    name: "test.notarium.invalid/court-b",
    cosignerSeed: 32,
  });
  servers.push(a.server, b.server);
  const policy = parsePolicy(
    `log ${key.verifierKey}\nwitness courtA ${a.vkey} ${a.url}\nwitness courtB ${b.vkey} ${b.url}\ngroup courts ${quorum} courtA courtB\nquorum courts\n`,
  );
  const store = new MemoryLedgerStore();
  await store.open();
  const clock = fixedClock("2026-11-26T10:00:00.000Z", 1);
  let witnessing: Witnessing | undefined;
  const ledger = await Ledger.open({ store, key, clock, onBlock: (cp) => witnessing?.onBlock(cp) });
  const coordinator = new WitnessCoordinator({
    policy,
    proveConsistency: (f, t) => ledger.proveConsistency(f, t),
    fetch,
    clock,
    timeoutMs: 2000,
  });
  witnessing = await Witnessing.open(ledger, coordinator);
  return { ledger, witnessing, policy, a, b, store, key, clock };
}

describe("witnessed checkpoints", () => {
  it("publishes the newest checkpoint with both courts' cosignatures, and proofs against it meet a 2-of-2 quorum", async () => {
    const { ledger, witnessing, policy } = await setup("2");
    const appended = await ledger.append("evidence.deposited", { sha256: digest(1) });
    await witnessing.close();
    const cp = witnessing.checkpoint();
    expect(cp.size).toBe(ledger.size);
    const v = verifyCheckpointWithPolicy(cp.note, policy);
    expect(v.cosignatures.map((c) => c.witness).sort()).toEqual(["courtA", "courtB"]);
    const receipt = await receiptForIndex(ledger, appended.index, witnessing.checkpointFor(appended.index));
    expect(verifyTlogProof(receipt.tlogProof, { policy }).valid).toBe(true);
  });

  it("keeps serving (1-of-2) when one court is down, and never blocks appends", async () => {
    const { ledger, witnessing, policy, b } = await setup("1");
    await b.server.close();
    const t0 = Date.now();
    await ledger.append("evidence.deposited", { sha256: digest(2) });
    expect(Date.now() - t0).toBeLessThan(1000);
    await witnessing.close();
    const v = verifyCheckpointWithPolicy(witnessing.checkpoint().note, policy);
    expect(v.cosignatures.map((c) => c.witness)).toEqual(["courtA"]);
  });

  it("counts every court's answer in the service's Prometheus metrics", async () => {
    const { ledger, witnessing, b } = await setup("2");
    const metrics = createMetrics({ ledger, processMetrics: false, witnessing });
    await ledger.append("evidence.deposited", { sha256: digest(4) });
    await witnessing.close();
    await b.server.close();
    await ledger.append("evidence.deposited", { sha256: digest(5) });
    await witnessing.close();
    const text = await metrics.registry.metrics();
    // Opening the ledger resynchronised the witnesses once (block 0), then one round per block.
    expect(text).toMatch(/notarium_witness_results_total\{witness="courtA",outcome="ok"\} 3/);
    expect(text).toMatch(/notarium_witness_results_total\{witness="courtB",outcome="ok"\} 2/);
    expect(text).toMatch(/notarium_witness_results_total\{witness="courtB",outcome="unreachable"\} 1/);
    expect(text).toMatch(/notarium_witness_rounds_total\{quorum="false"\} 1/);
    // The newest block lacks courtB's cosignature, so it is one entry past the last 2-of-2 checkpoint.
    expect(text).toMatch(/notarium_witness_quorum_lag_entries 1/);
    expect(text).toMatch(/notarium_witness_request_duration_seconds_count\{witness="courtA"\} 3/);
  });

  it("counts a witness's conflicting view as a possible split view", async () => {
    const key = testLogKey();
    const store = new MemoryLedgerStore();
    await store.open();
    const ledger = await Ledger.open({ store, key, clock: fixedClock("2026-11-26T10:00:00.000Z", 1) });
    const conflicted = {
      witness: async (note: string) => ({
        note,
        cosigned: [],
        quorum: false,
        results: [
          { witness: "courtA", url: "http://a.invalid", outcome: "refused", conflict: true, elapsedMs: 3 },
        ],
      }),
    };
    const w = await Witnessing.open(ledger, conflicted);
    const metrics = createMetrics({ ledger, processMetrics: false, witnessing: w });
    w.onBlock(ledger.latest());
    await w.close();
    const text = await metrics.registry.metrics();
    // Two rounds: the start-up one (over before the metrics existed, and counted still) and this block's.
    expect(text).toMatch(/notarium_witness_conflicts_total\{witness="courtA"\} 2/);
    expect(text).toMatch(/notarium_witness_results_total\{witness="courtA",outcome="refused"\} 2/);
  });

  it("remembers the last cosigned checkpoint across a restart", async () => {
    const { ledger, witnessing, store, key, clock } = await setup("2");
    await ledger.append("evidence.deposited", { sha256: digest(3) });
    await witnessing.close();
    const note = witnessing.checkpoint().note;
    const again = await Ledger.open({ store, key, clock });
    const reopened = await Witnessing.open(again, undefined);
    expect(reopened.checkpoint().note).toBe(note);
  });
});
