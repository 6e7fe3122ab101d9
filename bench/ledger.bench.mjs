// Issue 2 figures: durable appends, proof latency at 1M entries, audit speed, deposit of a 1 GiB file.
import { execFileSync, spawn } from "node:child_process";
import { hash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Level } from "level";
import { parseConfig } from "../dist/cli/config.js";
import { openLocalLedger } from "../dist/cli/open-local.js";
import { secureRandomBytes, systemClock } from "../dist/core/clock.js";
import { auditLedger } from "../dist/ledger/audit.js";
import { median, medianOf, percentile, row, sampleRss, tempDir } from "./lib.mjs";

const BIN = fileURLToPath(new URL("../bin/notarium.js", import.meta.url));
const deps = { clock: systemClock, randomBytes: secureRandomBytes };
const hex = (n) => n.toString(16).padStart(64, "0");

/** Baseline: raw LevelDB synced batch() writes of 1000 puts (array form), entry-sized values. */
export async function levelBaseline(seconds = 3) {
  const t = tempDir("level");
  const db = new Level(join(t.dir, "db"), { keyEncoding: "view", valueEncoding: "view" });
  await db.open();
  const value = new Uint8Array(200).fill(7);
  let k = 0;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const ops = [];
    for (let i = 0; i < 1000; i++) {
      const key = new Uint8Array(9);
      key[0] = 0x65;
      new DataView(key.buffer).setBigUint64(1, BigInt(k++));
      ops.push({ type: "put", key, value });
    }
    await db.batch(ops, { sync: true });
    n += 1000;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  await db.close();
  t.remove();
  return rate;
}

async function openTemp(name, opts = {}) {
  const t = tempDir(name);
  const config = parseConfig({
    NOTARIUM_DATA_DIR: join(t.dir, "data"),
    NOTARIUM_KEYS_DIR: join(t.dir, "keys"),
    NOTARIUM_ORIGIN: "bench.notarium.invalid/log",
  });
  const local = await openLocalLedger(config, { ...deps, create: true, ...opts });
  return { ...local, t, config };
}

/** Durable appends/s with enough concurrent appenders to fill every block. */
export async function appendRate(seconds = 3, appenders = 8192) {
  const l = await openTemp("append", { maxBatch: 4096, maxQueue: 1 << 20 });
  let n = 0;
  let stop = false;
  let i = 0;
  const worker = async () => {
    while (!stop) {
      await l.ledger.append("evidence.deposited", { sha256: hex(i++) });
      n++;
    }
  };
  const t0 = performance.now();
  const workers = Array.from({ length: appenders }, worker);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop = true;
  const elapsed = (performance.now() - t0) / 1000;
  const counted = n;
  await Promise.all(workers);
  await l.close();
  l.t.remove();
  return counted / elapsed;
}

/** Fills a ledger with `size` entries in blocks of 4096 (appendAll), returning it open. */
export async function filledLedger(size, log) {
  const l = await openTemp("fill", { maxBatch: 4096, maxQueue: 1 << 20 });
  const t0 = performance.now();
  for (let from = 0; from < size; from += 4096) {
    const items = Array.from({ length: Math.min(4096, size - from) }, (_, j) => ({
      type: "evidence.deposited",
      body: { sha256: hex(from + j) },
    }));
    await l.ledger.appendAll(items);
    if (from % 262144 === 0) log(`  filled ${from}/${size}`);
  }
  log(`  filled ${size} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return l;
}

export async function proofLatencies(l, samples = 20000) {
  const size = l.ledger.size;
  const incl = [];
  const cons = [];
  for (let s = 0; s < samples; s++) {
    const index = Math.floor(Math.random() * size);
    let t0 = performance.now();
    await l.ledger.proveInclusion(index, size);
    incl.push(performance.now() - t0);
    const from = 1 + Math.floor(Math.random() * (size - 1));
    t0 = performance.now();
    await l.ledger.proveConsistency(from, size);
    cons.push(performance.now() - t0);
  }
  incl.sort((a, b) => a - b);
  cons.sort((a, b) => a - b);
  return { incl, cons };
}

/** The bare SHA-256 work an audit must do: one leaf hash per entry, one node hash per interior node, same one-shot primitive. */
export async function bareHashRate(l) {
  const datas = [];
  for await (const e of l.store.iterateEntries(0)) datas.push(e.data.slice());
  const t0 = performance.now();
  const leaf = new Uint8Array(65536);
  const node = new Uint8Array(65);
  node[0] = 1;
  for (const d of datas) {
    leaf.set(d, 1);
    hash("sha256", leaf.subarray(0, d.length + 1), "buffer");
  }
  for (let i = 1; i < datas.length; i++) hash("sha256", node, "buffer");
  return datas.length / ((performance.now() - t0) / 1000);
}

function writeBigFile(path, bytes) {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(1 << 24);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  for (let done = 0; done < bytes; done += chunk.length)
    writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - done));
  closeSync(fd);
}

function timeCommand(cmd, args, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const rss = sampleRss(child.pid);
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      const peak = rss.stop();
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${err}`));
      resolve({ seconds: (performance.now() - t0) / 1000, peakRss: peak });
    });
  });
}

export async function run({ log, quick = false }) {
  const rows = [];
  const size = quick ? 100_000 : 1_000_000;

  // Baseline and appends alternate (the disk's speed drifts on this VM); the ratio is the
  // median of the per-pair ratios.
  log("durable appends vs raw LevelDB synced batches of 1000 puts (interleaved)");
  const pairs = [];
  for (let i = 0; i < 5; i++) pairs.push({ base: await levelBaseline(), appends: await appendRate() });
  log(
    `  pairs (appends/base): ${pairs.map((p) => `${Math.round(p.appends)}/${Math.round(p.base)}`).join(" ")}`,
  );
  const appendRatio = median(pairs.map((p) => p.appends / p.base));
  rows.push({
    ...row(
      "durable appends (in process, saturated)",
      median(pairs.map((p) => p.appends)),
      "entries/s",
      "LevelDB synced batch(1000 puts), interleaved",
      median(pairs.map((p) => p.base)),
      "≥ 50%",
      appendRatio >= 0.5,
    ),
    ratio: appendRatio,
  });

  log(`proof latency with ${size} entries`);
  const l = await filledLedger(size, log);
  const { incl, cons } = await proofLatencies(l);
  rows.push(
    row(
      `inclusion proof p99 (${size} entries)`,
      percentile(incl, 99),
      "ms",
      "",
      undefined,
      "< 1 ms",
      percentile(incl, 99) < 1,
    ),
  );
  rows.push(
    row(`inclusion proof p50 (${size} entries)`, percentile(incl, 50), "ms", "", undefined, "", true),
  );
  rows.push(
    row(
      `consistency proof p99 (${size} entries)`,
      percentile(cons, 99),
      "ms",
      "",
      undefined,
      "< 1 ms",
      percentile(cons, 99) < 1,
    ),
  );

  log("audit vs bare SHA-256 loop (interleaved: audit, loop, audit, loop, ...)");
  const audits = [];
  const bares = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await auditLedger(l.store, l.key);
    if (!r.ok) throw new Error(`audit failed: ${JSON.stringify(r.firstProblem)}`);
    audits.push(r.entries / ((performance.now() - t0) / 1000));
    bares.push(await bareHashRate(l));
  }
  const auditRate = median(audits);
  const bare = median(bares);
  const auditRatio = median(audits.map((a, i) => a / bares[i]));
  rows.push({
    ...row(
      `audit (${size} entries)`,
      auditRate,
      "entries/s",
      "bare SHA-256 loop, same hashes",
      bare,
      "≥ 100k/s and ≥ 40%",
      auditRate >= 100_000 && auditRatio >= 0.4,
    ),
    ratio: auditRatio,
  });
  await l.close();
  l.t.remove();

  const gib = quick ? 256 * 1024 * 1024 : 1024 * 1024 * 1024;
  log(`notarium deposit of a ${gib >> 20} MiB file vs openssl dgst -sha256`);
  const t = tempDir("deposit");
  const file = join(t.dir, "big.bin");
  writeBigFile(file, gib);
  try {
    execFileSync("openssl", ["version"]);
  } catch {
    throw new Error("openssl is needed for the deposit baseline");
  }
  const ssl = await medianOf(
    3,
    async () => gib / (await timeCommand("openssl", ["dgst", "-sha256", file], t.dir)).seconds,
  );
  let peak = 0;
  const dep = await medianOf(3, async (i) => {
    const r = await timeCommand(process.execPath, [BIN, "deposit", file, "--json"], t.dir, {
      NOTARIUM_DATA_DIR: join(t.dir, `d${i}`),
      NOTARIUM_KEYS_DIR: join(t.dir, `k${i}`),
    });
    peak = Math.max(peak, r.peakRss);
    return gib / r.seconds;
  });
  t.remove();
  rows.push(
    row(
      `notarium deposit ${gib >> 20} MiB file`,
      dep / 1048576,
      "MiB/s",
      "openssl dgst -sha256",
      ssl / 1048576,
      "≥ 70%",
      dep / ssl >= 0.7,
    ),
  );
  rows.push(
    row("notarium deposit peak RSS", peak / 1048576, "MiB", "", undefined, "< 100 MiB", peak < 100 * 1048576),
  );
  return rows;
}
