import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { verifyCosignature } from "../../src/crypto/cosignature.js";
import { createSigner, createVerifier } from "../../src/crypto/note-keys.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { parseWitnessOptions } from "../../src/witness/config.js";
import { WITNESS_KEY_FILE, WITNESS_VKEY_FILE } from "../../src/witness/key-file.js";
import { startWitnessServer, type WitnessServer } from "../../src/witness/server.js";
import { startWitnessNode } from "../../src/witness/witness-node.js";
import { testBytes } from "../crypto/helpers.js";
import { seededBytes } from "../helpers/ledger.js";
import {
  body,
  HAND_ORIGIN,
  handTree,
  NOW,
  NOW_SECONDS,
  signedBy,
  testLog,
  witnessContext,
} from "./helpers.js";

const log = testLog();
const tree = handTree(16);
const fork = handTree(16, "fork", 2);
const cp = (n: number) => log.sign(n, tree.root(n));

const post = (url: string, text: string | Uint8Array) =>
  fetch(`${url}/add-checkpoint`, {
    method: "POST",
    body: typeof text === "string" ? text : new Blob([new Uint8Array(text)]),
  });

describe("witness HTTP server (tlog-witness v1.0.0 over a real socket)", () => {
  let server: WitnessServer;
  let ctx: ReturnType<typeof witnessContext>;
  beforeEach(async () => {
    ctx = witnessContext();
    server = await startWitnessServer({ witness: ctx, verifierKey: ctx.vkey, port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it("answers 200 with the cosignature line for a good checkpoint", async () => {
    const res = await post(server.url, body(0, [], cp(3)));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const line = await res.text();
    expect(verifyCosignature(parseNote(cp(3)).text, line, createVerifier(ctx.vkey))).toBe(NOW_SECONDS);
  });

  it("answers every refusal with the spec's status", async () => {
    await post(server.url, body(0, [], cp(3)));
    const stranger = createSigner(HAND_ORIGIN, seededBytes(99)(32));
    const cases: [string, string | Uint8Array, number][] = [
      ["unknown origin", body(0, [], testLog("other.invalid/log", 13).sign(1, tree.root(1))), 404],
      ["no trusted signature", body(3, [], signedBy(HAND_ORIGIN, 3, tree.root(3), [stranger])), 403],
      ["old > size", body(5, [], cp(4)), 400],
      ["garbage", "GET / HTTP/1.1\r\n\r\n", 400],
      ["binary garbage", testBytes(300), 400],
      ["bad proof", body(3, [testBytes(32)], cp(7)), 422],
      ["fork", body(3, [], log.sign(3, fork.root(3))), 409],
    ];
    for (const [desc, b, status] of cases) {
      const res = await post(server.url, b);
      expect({ desc, status: res.status }).toEqual({ desc, status });
      await res.text();
    }
    const empty = witnessContext();
    const other = await startWitnessServer({ witness: empty, verifierKey: empty.vkey, port: 0 });
    try {
      expect((await post(other.url, body(0, [], log.sign(0, testBytes(32))))).status).toBe(422);
      expect((await post(other.url, body(0, [testBytes(32)], cp(3)))).status).toBe(422);
    } finally {
      await other.close();
    }
  });

  it("answers a stale old size with 409, text/x.tlog.size and `<size>\\n`; a fork's 409 carries no size", async () => {
    await post(server.url, body(0, [], cp(3)));
    const res = await post(server.url, body(0, [], cp(7)));
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("text/x.tlog.size");
    expect(await res.text()).toBe("3\n");
    const forked = await post(server.url, body(3, [], log.sign(3, fork.root(3))));
    expect(forked.status).toBe(409);
    expect(forked.headers.get("content-type")).not.toBe("text/x.tlog.size");
    await forked.text();
  });

  it("refuses an oversized body with 400, declared or streamed", async () => {
    const big = new Uint8Array(64 * 1024 + 1).fill(0x41);
    const res = await post(server.url, big);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/exceeds/);
    // Chunked, without a Content-Length: caught while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${server.url}/add-checkpoint`);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST" }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 70; i++) req.write(new Uint8Array(1024).fill(0x41));
      req.end();
    });
    expect(status).toBe(400);
  });

  it("allows only POST on /add-checkpoint and GET on the rest; unknown paths are 404", async () => {
    const get = await fetch(`${server.url}/add-checkpoint`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await fetch(`${server.url}/healthz`, { method: "POST", body: "x" })).status).toBe(405);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it("serves /healthz, /metrics and /misbehaviour", async () => {
    await post(server.url, body(0, [], cp(3)));
    await (await post(server.url, body(3, [], log.sign(3, fork.root(3))))).text();
    await (await post(server.url, body(0, [], cp(9)))).text();
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toEqual({
      status: "ok",
      name: ctx.cosigner.name,
      verifierKey: ctx.vkey,
      logs: [HAND_ORIGIN],
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(`notarium_witness_cosignatures_total{origin="${HAND_ORIGIN}"} 1`);
    expect(metrics).toContain('notarium_witness_refusals_total{code="CONFLICTING_ROOT"} 1');
    expect(metrics).toContain('notarium_witness_refusals_total{code="OLD_SIZE_MISMATCH"} 1');
    expect(metrics).toContain('notarium_witness_misbehaviour_total{reason="fork"} 1');
    expect(metrics).toContain('notarium_witness_http_requests_total{route="add-checkpoint",status="409"} 2');
    const { evidence } = await (await fetch(`${server.url}/misbehaviour`)).json();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({
      origin: HAND_ORIGIN,
      reason: "fork",
      conclusive: true,
      conflictsWith: cp(3),
    });
  });
});

describe("witness node (LevelDB state, key files)", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const deps = { clock: fixedClock(NOW), randomBytes: seededBytes(31), processMetrics: false };

  it("makes its key on first run, keeps it and its state across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "notarium-witness-node-"));
    dirs.push(dataDir);
    const options = parseWitnessOptions({
      name: "test.notarium.invalid/court-a",
      logs: [log.vkey],
      port: 0,
      host: "127.0.0.1",
      dataDir,
    });
    const first = await startWitnessNode(options, deps);
    expect(first.keyCreated).toBe(true);
    expect(statSync(join(dataDir, WITNESS_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, WITNESS_KEY_FILE), "utf8")).toMatch(
      /^PRIVATE\+KEY\+test\.notarium\.invalid\/court-a\+[0-9a-f]{8}\+B/,
    );
    expect(readFileSync(join(dataDir, WITNESS_VKEY_FILE), "utf8")).toBe(`${first.verifierKey}\n`);
    expect(createVerifier(first.verifierKey).type).toBe(0x04);
    expect((await post(first.url, body(0, [], cp(3)))).status).toBe(200);
    await (await post(first.url, body(3, [], log.sign(3, fork.root(3))))).text();
    await first.close();

    const second = await startWitnessNode(options, deps);
    try {
      expect(second.keyCreated).toBe(false);
      expect(second.verifierKey).toBe(first.verifierKey);
      const res = await post(second.url, body(0, [], cp(7)));
      expect(res.status).toBe(409);
      expect(await res.text()).toBe("3\n");
      const ok = await post(second.url, body(3, tree.consistencyProof(3, 7), cp(7)));
      expect(
        verifyCosignature(parseNote(cp(7)).text, await ok.text(), createVerifier(second.verifierKey)),
      ).toBe(NOW_SECONDS);
      const { evidence } = await (await fetch(`${second.url}/misbehaviour`)).json();
      expect(evidence.map((e: { reason: string }) => e.reason)).toEqual(["fork"]);
    } finally {
      await second.close();
    }
    // The key belongs to its name: another --name on the same directory is refused.
    await expect(
      startWitnessNode({ ...options, name: "test.notarium.invalid/court-b" }, deps),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
  });

  it("parses its options strictly", () => {
    expect(parseWitnessOptions({ name: "court.invalid/w", logs: [log.vkey] })).toMatchObject({
      port: 7380,
      host: "0.0.0.0",
      dataDir: "witness-data",
      maxBodyBytes: 65536,
    });
    const bad = [
      { name: "has space", logs: [log.vkey] },
      { name: "court.invalid/w", logs: [] },
      { name: "court.invalid/w", logs: ["not-a-key"] },
      { name: "court.invalid/w", logs: [witnessContext().vkey] },
      { name: "court.invalid/w", logs: [log.vkey], port: "70000" },
    ];
    for (const raw of bad)
      expect(() => parseWitnessOptions(raw)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });
});
