// Issue 6 figures: witness add-checkpoint requests/s over loopback, and the time from a log append
// to a checkpoint cosigned by two local witnesses.
import { join } from "node:path";
import { secureRandomBytes, systemClock } from "../dist/core/clock.js";
import { createCosigner, generateSignerKey, parseSignerKey } from "../dist/crypto/note-keys.js";
import { parsePolicy } from "../dist/crypto/tlog-policy.js";
import { Ledger } from "../dist/ledger/ledger.js";
import { createLogKey } from "../dist/service/log-key.js";
import { LevelLedgerStore } from "../dist/storage/level-store.js";
import { MemoryLedgerStore } from "../dist/storage/memory-store.js";
import { LevelWitnessStore } from "../dist/storage/witness-store.js";
import { formatAddCheckpointRequest } from "../dist/witness/add-checkpoint-request.js";
import { loadOrCreateWitnessKey } from "../dist/witness/key-file.js";
import { WitnessCoordinator } from "../dist/witness/log-client.js";
import { createLogKeyring } from "../dist/witness/log-keyring.js";
import { createWitnessMetrics } from "../dist/witness/metrics.js";
import { startWitnessServer } from "../dist/witness/server.js";
import { percentile, row, tempDir } from "./lib.mjs";

const hex = (n) => n.toString(16).padStart(64, "0");

/** A log over an in-memory store (only its checkpoints and proofs are needed) and its key. */
async function memoryLog(origin) {
  const key = createLogKey(generateSignerKey(origin, secureRandomBytes));
  const store = new MemoryLedgerStore();
  await store.open();
  const ledger = await Ledger.open({ store, key, clock: systemClock });
  return { key, ledger };
}

/** A witness node as `notarium witness` runs it: its own key file and LevelDB state, over loopback. */
async function startWitness(dir, name, logVkeys) {
  const key = await loadOrCreateWitnessKey(dir, name, secureRandomBytes);
  const { seed } = parseSignerKey(key.secret);
  const store = new LevelWitnessStore(join(dir, "state"));
  await store.open();
  const server = await startWitnessServer({
    witness: {
      cosigner: createCosigner(name, seed, systemClock),
      logs: createLogKeyring(logVkeys),
      store,
      clock: systemClock,
    },
    verifierKey: key.verifierKey,
    port: 0,
    metrics: createWitnessMetrics({ processMetrics: false }),
  });
  return {
    url: server.url,
    vkey: key.verifierKey,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}

/** Runs `clients` loops, each sending its own request sequence in order; returns requests/s. */
async function drive(clients, send) {
  const t0 = performance.now();
  const counts = await Promise.all(clients.map((reqs) => send(reqs)));
  const n = counts.reduce((a, b) => a + b, 0);
  return n / ((performance.now() - t0) / 1000);
}

/** add-checkpoint requests/s: `logs` clients in parallel, each walking its own log one block at a time. */
async function addCheckpointRate({ log, quick }) {
  const logs = 4;
  const perLog = quick ? 250 : 1000;
  const t = tempDir("witness-rate");
  const made = [];
  for (let l = 0; l < logs; l++) {
    const { key, ledger } = await memoryLog(`bench.notarium.invalid/log-${l}`);
    const bodies = [];
    let old = 0;
    for (let i = 0; i < perLog; i++) {
      await ledger.append("evidence.deposited", { sha256: hex(l * 1e6 + i) });
      const size = ledger.size;
      const proof = old === 0 ? [] : await ledger.proveConsistency(old, size);
      bodies.push(formatAddCheckpointRequest({ oldSize: old, proof, checkpoint: ledger.latest().note }));
      old = size;
    }
    made.push({ key, bodies });
    await ledger.close();
  }
  log(`  prepared ${logs} × ${perLog} checkpoints with consistency proofs`);
  const w = await startWitness(
    t.dir,
    "bench.notarium.invalid/witness",
    made.map((m) => m.key.verifierKey),
  );
  try {
    const rate = await drive(
      made.map((m) => m.bodies),
      async (bodies) => {
        for (const b of bodies) {
          const res = await fetch(`${w.url}/add-checkpoint`, { method: "POST", body: b });
          await res.text();
          if (res.status !== 200) throw new Error(`witness answered ${res.status}`);
        }
        return bodies.length;
      },
    );
    const baseline = await drive(
      made.map((m) => m.bodies),
      async (bodies) => {
        for (let i = 0; i < bodies.length; i++) await (await fetch(`${w.url}/healthz`)).text();
        return bodies.length;
      },
    );
    return { rate, baseline };
  } finally {
    await w.close();
    t.remove();
  }
}

/** Time from a durable append to its checkpoint cosigned by two local witnesses (LevelDB everywhere). */
async function appendToCosigned({ log, quick }) {
  const rounds = quick ? 60 : 300;
  const t = tempDir("witness-latency");
  const key = createLogKey(generateSignerKey("bench.notarium.invalid/log", secureRandomBytes));
  const store = new LevelLedgerStore(join(t.dir, "ledger"));
  await store.open();
  const ledger = await Ledger.open({ store, key, clock: systemClock });
  const a = await startWitness(join(t.dir, "a"), "bench.notarium.invalid/court-a", [key.verifierKey]);
  const b = await startWitness(join(t.dir, "b"), "bench.notarium.invalid/court-b", [key.verifierKey]);
  const policy = parsePolicy(
    `log ${key.verifierKey}\nwitness A ${a.vkey} ${a.url}\nwitness B ${b.vkey} ${b.url}\ngroup courts all A B\nquorum courts\n`,
  );
  const coordinator = new WitnessCoordinator({
    policy,
    proveConsistency: (from, to) => ledger.proveConsistency(from, to),
    fetch,
    clock: systemClock,
  });
  try {
    const total = [];
    const appendOnly = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const appended = await ledger.append("evidence.deposited", { sha256: hex(i) });
      const t1 = performance.now();
      const round = await coordinator.witness(appended.block.note);
      if (!round.quorum) throw new Error(`no quorum: ${JSON.stringify(round.results)}`);
      total.push(performance.now() - t0);
      appendOnly.push(t1 - t0);
    }
    total.sort((x, y) => x - y);
    appendOnly.sort((x, y) => x - y);
    log(`  ${rounds} appends, each cosigned by 2 witnesses; p50 ${percentile(total, 50).toFixed(2)} ms`);
    return { p99: percentile(total, 99), appendP99: percentile(appendOnly, 99) };
  } finally {
    await a.close();
    await b.close();
    await ledger.close();
    t.remove();
  }
}

export async function run({ log, quick }) {
  const { rate, baseline } = await addCheckpointRate({ log, quick });
  const latency = await appendToCosigned({ log, quick });
  return [
    row(
      "witness add-checkpoint (4 logs in parallel, LevelDB, loopback)",
      rate,
      "req/s",
      "same server's /healthz",
      baseline,
      "≥ 100 req/s",
      rate >= 100,
    ),
    row(
      "append → checkpoint cosigned by 2 local witnesses, p99",
      latency.p99,
      "ms",
      "durable append alone, p99",
      latency.appendP99,
      "< 2000 ms",
      latency.p99 < 2000,
    ),
  ];
}
