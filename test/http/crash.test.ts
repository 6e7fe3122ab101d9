import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fromHex } from "../../src/core/bytes.js";
import { openCheckpoint } from "../../src/crypto/checkpoint.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { auditLedger } from "../../src/ledger/audit.js";
import type { Receipt } from "../../src/ledger/receipt.js";
import { verifyConsistency } from "../../src/merkle/verify.js";
import { createLogKey } from "../../src/service/log-key.js";
import { LevelLedgerStore } from "../../src/storage/level-store.js";
import { call, hex } from "./helpers.js";

const bin = fileURLToPath(new URL("../../bin/notarium.js", import.meta.url));
const children = new Set<ChildProcess>();

/** Starts `notarium serve` (the built dist/, as `npm start` runs it) and resolves with its URL. */
function serve(
  dataDir: string,
  keysDir: string,
): Promise<{ child: ChildProcess; url: string; stdout: string }> {
  const child = spawn(process.execPath, [bin, "serve"], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      NOTARIUM_DATA_DIR: dataDir,
      NOTARIUM_KEYS_DIR: keysDir,
      NOTARIUM_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string, stdout: out });
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => reject(new Error(`serve exited early (${code}): ${err}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  children.clear();
});

describe("notarium serve survives kill -9", () => {
  it("keeps every acknowledged receipt and stays consistent with every checkpoint it ever published", async () => {
    const dir = mkdtempSync(join(tmpdir(), "notarium-kill9-"));
    const dataDir = join(dir, "data");
    const keysDir = join(dir, "keys");
    const acked: Receipt[] = [];
    let token = "";
    let n = 0;

    for (let round = 0; round < 3; round++) {
      const { child, url, stdout } = await serve(dataDir, keysDir);
      if (round === 0) {
        token = readFileSync(join(keysDir, "admin.token"), "utf8").trim();
        expect(stdout).toContain(token); // printed once, on first start only
      } else {
        expect(stdout).not.toContain("ntr_");
      }
      const key = createLogKey(readFileSync(join(keysDir, "log.key"), "utf8").trim());
      const verifier = createVerifier(key.verifierKey);

      // Everything acknowledged before the crash is still there, byte for byte.
      for (const r of acked) {
        const now = await call(url, "GET", `/api/v1/evidence/${r.evidenceId}`);
        expect(now.status).toBe(200);
        for (const k of ["evidenceId", "index", "txHash", "blockHeight", "recordedAt", "entry"] as const)
          expect(now.json[k]).toEqual(r[k]);
      }
      // The current tree extends every checkpoint handed out before.
      const current = openCheckpoint(
        (await call(url, "GET", "/api/v1/log/checkpoint")).text,
        verifier,
      ).checkpoint;
      for (const note of new Set(acked.map((r) => r.checkpoint))) {
        const old = openCheckpoint(note, verifier).checkpoint;
        const p = await call(url, "GET", `/api/v1/log/proof/consistency?from=${old.size}&to=${current.size}`);
        expect(p.status).toBe(200);
        verifyConsistency(
          old.size,
          current.size,
          p.json.proof.map((h: string) => fromHex(h, 32)),
          old.root,
          current.root,
        );
      }

      // Deposits in flight from 16 clients, then SIGKILL at a random moment.
      let stop = false;
      const clients = Array.from({ length: 16 }, async () => {
        while (!stop) {
          const i = n++;
          const r = await call(url, "POST", "/api/v1/evidence", { token, json: { sha256: hex(i) } }).catch(
            () => undefined,
          );
          if (r?.status === 201) acked.push(r.json as Receipt);
          else if (r === undefined) return;
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 200)));
      const gone = exited(child);
      child.kill("SIGKILL");
      await gone;
      stop = true;
      await Promise.all(clients);
    }
    expect(acked.length).toBeGreaterThan(50);

    // A clean shutdown after the crashes, and a full audit of what is on disk.
    const { child, url } = await serve(dataDir, keysDir);
    expect((await call(url, "GET", "/healthz")).status).toBe(200);
    // An upload first: its hashing thread must not keep the service from stopping.
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(3 << 20).fill(7)]), "clip.bin");
    const upload = await fetch(`${url}/api/v1/evidence`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const code = exited(child);
    child.kill("SIGTERM");
    expect(await code).toBe(0);
    const store = new LevelLedgerStore(join(dataDir, "ledger"));
    await store.open();
    try {
      const report = await auditLedger(
        store,
        createLogKey(readFileSync(join(keysDir, "log.key"), "utf8").trim()),
      );
      expect(report.ok).toBe(true);
      expect(report.entries).toBeGreaterThanOrEqual(acked.length);
    } finally {
      await store.close();
    }
  }, 45_000);
});
