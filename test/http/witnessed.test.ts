import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseNote } from "../../src/crypto/signed-note.js";
import { parsePolicy, type TlogPolicy } from "../../src/crypto/tlog-policy.js";
import { verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { extractEmbeddedProof } from "../../src/pdf/embed-proof.js";
import { testLogKey } from "../helpers/ledger.js";
import { serveWitness } from "../witness/helpers.js";
import { call, hex, startTestService, type TestService } from "./helpers.js";

/*
 * A service whose checkpoints two court witnesses cosign (2 of 2): every
 * answer a court keeps (the .tlog-proof, the docking answer's proofs, the
 * certificate) is proved against a checkpoint that meets the quorum, so it
 * verifies under the policy the service publishes.
 */
function pdftotext(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "notarium-witnessed-"));
  writeFileSync(join(dir, "c.pdf"), pdf);
  return execFileSync("pdftotext", [join(dir, "c.pdf"), "-"], { encoding: "utf8" });
}

describe("a service with court witnesses", () => {
  let s: TestService;
  let policy: TlogPolicy;
  const witnesses: Awaited<ReturnType<typeof serveWitness>>[] = [];

  beforeAll(async () => {
    const logVkey = testLogKey().verifierKey;
    for (const [i, name] of ["court-a", "court-b"].entries())
      witnesses.push(
        await serveWitness({ logs: [logVkey], name: `test.notarium.invalid/${name}`, cosignerSeed: 31 + i }),
      );
    policy = parsePolicy(
      [
        `log ${logVkey}`,
        ...witnesses.map((w, i) => `witness ${"AB"[i]} ${w.vkey} ${w.url}`),
        "group courts 2 A B",
        "quorum courts",
        "",
      ].join("\n"),
    );
    s = await startTestService({ sealing: true, witnesses: { policy } });
  });
  afterAll(async () => {
    await s.close();
    for (const w of witnesses) await w.server.close();
  });

  it("proves docking answers and certificates against a checkpoint the courts cosigned", async () => {
    const sha256 = hex(4242);
    const dep = await call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.mediator, json: { sha256 } });
    expect(dep.status).toBe(201);
    // The witness round runs after the block; wait for the checkpoint to carry both cosignatures.
    const deadline = Date.now() + 10_000;
    while (parseNote((await call(s.url, "GET", "/api/v1/log/checkpoint")).text).signatures.length < 3) {
      if (Date.now() > deadline) throw new Error("the witnesses did not cosign within 10 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    const keys = await call(s.url, "GET", "/api/v1/log/keys");
    const published = parsePolicy(keys.json.policy);

    const dock = await call(s.url, "POST", "/api/v1/docking/verify", {
      token: s.tokens.court,
      json: { items: [{ sha256 }, { evidenceId: dep.json.evidenceId }] },
    });
    expect(dock.status).toBe(200);
    // Asked by evidence ID, the answer still names the digest and the kind of entry.
    expect(dock.json.results[1]).toMatchObject({ valid: true, sha256, type: "evidence.deposited" });
    for (const r of dock.json.results) {
      const v = verifyTlogProof(r.tlogProof, { policy: published, sha256 });
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
      expect(v.valid).toBe(true);
    }
    const proof = await call(s.url, "GET", `/api/v1/evidence/${dep.json.evidenceId}/proof`);
    expect(verifyTlogProof(proof.text, { policy, sha256 }).valid).toBe(true);

    const cert = await fetch(`${s.url}/api/v1/evidence/${dep.json.evidenceId}/certificate.pdf`);
    expect(cert.status).toBe(200);
    const certPdf = new Uint8Array(await cert.arrayBuffer());
    // The certificate names both courts (by their policy names), each with its cosignature's time (the witnesses' clock).
    const text = pdftotext(certPdf).replace(/\s+/g, " ");
    expect(text).toContain(
      "法院见证 A 2026-11-26T10:00:00.000Z；B 2026-11-26T10:00:00.000Z Court cosignatures",
    );
    const embedded = await extractEmbeddedProof(certPdf);
    const { receipt } = JSON.parse(new TextDecoder().decode(embedded));
    expect(parseNote(receipt.checkpoint).signatures.map((x) => x.name)).toEqual([
      expect.any(String),
      "test.notarium.invalid/court-a",
      "test.notarium.invalid/court-b",
    ]);
    expect(verifyTlogProof(receipt.tlogProof, { policy, sha256 }).valid).toBe(true);
  });
});
