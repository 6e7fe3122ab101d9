import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/cli/config.js";
import { openLocalLedger } from "../../src/cli/open-local.js";
import { toHex } from "../../src/core/bytes.js";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { openCheckpoint } from "../../src/crypto/checkpoint.js";
import { createVerifier } from "../../src/crypto/note-keys.js";
import { auditLedger } from "../../src/ledger/audit.js";
import { verifyConsistency } from "../../src/merkle/verify.js";

const writer = fileURLToPath(new URL("../helpers/crash-writer.mjs", import.meta.url));

interface Ack {
  index: number;
  leaf: string;
  size: number;
  note: string;
}

/** Runs the writer until it has acknowledged some entries, then kills it with SIGKILL after a random delay. */
function runAndKill(dataDir: string, keysDir: string, round: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dataDir, keysDir, `r${round}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let ready = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!ready && out.startsWith("ready\n")) {
        ready = true;
        setTimeout(() => child.kill("SIGKILL"), 20 + Math.floor(Math.random() * 150));
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`writer exited on its own (round ${round}): ${err}`));
      const lines = out.split("\n");
      lines.pop(); // a line cut by the kill is not an acknowledgement
      resolve(lines.filter((l) => l !== "ready").map((l) => JSON.parse(l) as Ack));
    });
  });
}

describe("crash safety", () => {
  it("keeps every acknowledged entry and one consistent history across repeated kill -9", async () => {
    const base = mkdtempSync(join(tmpdir(), "notarium-crash-"));
    const dataDir = join(base, "data");
    const keysDir = join(base, "keys");
    const acks: Ack[] = [];
    for (let round = 0; round < 12; round++) acks.push(...(await runAndKill(dataDir, keysDir, round)));
    expect(acks.length).toBeGreaterThan(100);

    const config = parseConfig({ NOTARIUM_DATA_DIR: dataDir, NOTARIUM_KEYS_DIR: keysDir });
    const local = await openLocalLedger(config, { clock: systemClock, randomBytes: secureRandomBytes });
    try {
      const verifier = createVerifier(local.key.verifierKey);
      const head = openCheckpoint(local.ledger.latest().note, verifier).checkpoint;
      for (const a of acks) {
        expect(a.index).toBeLessThan(head.size);
        expect(toHex(await local.ledger.leafHash(a.index))).toBe(a.leaf);
      }
      // Every acknowledged checkpoint is a prefix of today's tree: no fork, ever.
      const seen = new Map(acks.map((a) => [a.size, a.note]));
      for (const note of seen.values()) {
        const old = openCheckpoint(note, verifier).checkpoint;
        verifyConsistency(
          old.size,
          head.size,
          await local.ledger.proveConsistency(old.size, head.size),
          old.root,
          head.root,
        );
      }
      const report = await auditLedger(local.store, local.key);
      expect(report).toMatchObject({ ok: true, entries: head.size });
    } finally {
      await local.close();
    }
  }, 120_000);
});
