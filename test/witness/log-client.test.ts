import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { parseNote } from "../../src/crypto/signed-note.js";
import { parsePolicy, type TlogPolicy, verifyCheckpointWithPolicy } from "../../src/crypto/tlog-policy.js";
import type { Ledger } from "../../src/ledger/ledger.js";
import { type FetchLike, WitnessCoordinator } from "../../src/witness/index.js";
import { digest, openTestLedger, TEST_ORIGIN } from "../helpers/ledger.js";
import { NOW, recordingFetch, serveWitness, testCosigner } from "./helpers.js";

type Running = Awaited<ReturnType<typeof serveWitness>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function witnessNode(name: string, seed: number, logVkey: string, port?: number): Promise<Running> {
  const w = await serveWitness({ logs: [logVkey], name, cosignerSeed: seed, port });
  cleanups.push(() => w.server.close());
  return w;
}

/** A stand-in witness URL answering with `handler`, closed after the test. */
async function fakeServer(handler: RequestListener): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that accepts connections and never answers (a court whose node hangs). */
const hangingServer = () => fakeServer(() => {});

/** One round with court A's real witness and court B at `url` (any one of them suffices). */
async function roundWithB(url: string) {
  const { ledger, key, a } = await setup();
  const members = [
    { name: "A", vkey: a.vkey, url: a.url },
    { name: "B", vkey: testCosigner("test.notarium.invalid/court-b", 22).vkey, url },
  ];
  return coordinator(ledger, policyOf(key.verifierKey, members, "any")).witness(await grow(ledger, 2));
}

/** A URL where nothing listens. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

function policyOf(
  logVkey: string,
  witnesses: { name: string; vkey: string; url?: string }[],
  group: string,
): TlogPolicy {
  const lines = witnesses.map((w) => `witness ${w.name} ${w.vkey}${w.url ? ` ${w.url}` : ""}`);
  return parsePolicy(
    `log ${logVkey}\n${lines.join("\n")}\ngroup courts ${group} ${witnesses.map((w) => w.name).join(" ")}\nquorum courts\n`,
  );
}

function coordinator(ledger: Ledger, policy: TlogPolicy, fetchFn: FetchLike = fetch, timeoutMs = 2000) {
  return new WitnessCoordinator({
    policy,
    proveConsistency: (from, to) => ledger.proveConsistency(from, to),
    fetch: fetchFn,
    clock: fixedClock(NOW),
    timeoutMs,
  });
}

async function grow(ledger: Ledger, n: number) {
  for (let i = 0; i < n; i++)
    await ledger.append("evidence.deposited", { sha256: digest(ledger.size * 100 + i) });
  return ledger.latest().note;
}

async function setup() {
  const t = await openTestLedger();
  cleanups.push(() => t.ledger.close());
  const a = await witnessNode("test.notarium.invalid/court-a", 21, t.key.verifierKey);
  const b = await witnessNode("test.notarium.invalid/court-b", 22, t.key.verifierKey);
  const members = [
    { name: "A", vkey: a.vkey, url: a.url },
    { name: "B", vkey: b.vkey, url: b.url },
  ];
  return {
    ...t,
    a,
    b,
    members,
    all: policyOf(t.key.verifierKey, members, "all"),
    any: policyOf(t.key.verifierKey, members, "any"),
  };
}

describe("WitnessCoordinator: the log asking two court witnesses", () => {
  it("gets both cosignatures, appends them after the log's signature, and meets 2-of-2", async () => {
    const { ledger, all, any } = await setup();
    const rec = recordingFetch();
    const c = coordinator(ledger, all, rec.fetch);
    const round = await c.witness(await grow(ledger, 3));
    expect(round.results.map((r) => [r.witness, r.outcome, r.conflict])).toEqual([
      ["A", "ok", false],
      ["B", "ok", false],
    ]);
    expect(round.cosigned).toEqual(["A", "B"]);
    expect(round.quorum).toBe(true);
    expect(parseNote(round.note).signatures.map((s) => s.name)).toEqual([
      TEST_ORIGIN,
      "test.notarium.invalid/court-a",
      "test.notarium.invalid/court-b",
    ]);
    expect(verifyCheckpointWithPolicy(round.note, all).cosignatures.map((x) => x.witness)).toEqual([
      "A",
      "B",
    ]);
    expect(verifyCheckpointWithPolicy(round.note, any).cosignatures).toHaveLength(2);

    // Next round: one call per witness, from the size each acknowledged, with a proof.
    rec.calls.length = 0;
    const next = await c.witness(await grow(ledger, 4));
    expect(next.quorum).toBe(true);
    expect(rec.calls.map((x) => x.old)).toEqual([3, 3]);
  });

  it("calls each URL once per round even when the policy lists two keys there", async () => {
    const { ledger, key, a } = await setup();
    const other = testCosigner("test.notarium.invalid/court-a2", 29);
    const policy = policyOf(
      key.verifierKey,
      [
        { name: "A", vkey: a.vkey, url: a.url },
        { name: "A2", vkey: other.vkey, url: a.url },
      ],
      "any",
    );
    const rec = recordingFetch();
    const round = await coordinator(ledger, policy, rec.fetch).witness(await grow(ledger, 2));
    expect(rec.calls).toHaveLength(1);
    expect(round.results.map((r) => [r.witness, r.outcome])).toEqual([
      ["A", "ok"],
      ["A2", "invalid"],
    ]);
    expect(round.quorum).toBe(true);
  });

  it("starts from old 0 when it knows nothing, then retries once from the size in the 409", async () => {
    const { ledger, all } = await setup();
    await coordinator(ledger, all).witness(await grow(ledger, 3));
    // A restarted log process: a new coordinator with no memory of the witnesses' sizes.
    const rec = recordingFetch();
    const round = await coordinator(ledger, all, rec.fetch).witness(await grow(ledger, 2));
    expect(round.results.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(rec.calls.map((x) => x.old).sort()).toEqual([0, 0, 3, 3]);
  });

  it("still returns the other cosignature, quickly, when one witness is down", async () => {
    const { ledger, key, a } = await setup();
    const members = [
      { name: "A", vkey: a.vkey, url: a.url },
      { name: "B", vkey: testCosigner("test.notarium.invalid/court-b", 22).vkey, url: await deadUrl() },
    ];
    const started = performance.now();
    const round = await coordinator(ledger, policyOf(key.verifierKey, members, "any")).witness(
      await grow(ledger, 2),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(round.results.map((r) => [r.witness, r.outcome])).toEqual([
      ["A", "ok"],
      ["B", "unreachable"],
    ]);
    expect(round.results[1]?.detail).toMatch(/ECONNREFUSED|fetch failed/);
    expect(round.quorum).toBe(true);
    expect(parseNote(round.note).signatures).toHaveLength(2);
  });

  it("tries once more when a kept-alive connection is dropped under the request, and only once", async () => {
    const { ledger, all } = await setup();
    const dropped = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "UND_ERR_SOCKET" } });
    // Each URL's first call fails as a connection the witness closed would; the repeat gets through.
    const failedOnce = new Set<string>();
    const calls: string[] = [];
    const flaky = async (url: string, init: RequestInit) => {
      calls.push(url);
      if (!failedOnce.has(url)) {
        failedOnce.add(url);
        throw dropped();
      }
      return fetch(url, init);
    };
    const round = await coordinator(ledger, all, flaky).witness(await grow(ledger, 2));
    expect(round.results.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(calls).toHaveLength(4);
    // Always dropped: unreachable after two calls, not more.
    calls.length = 0;
    const always = async (url: string) => {
      calls.push(url);
      throw dropped();
    };
    const down = await coordinator(ledger, all, always).witness(await grow(ledger, 1));
    expect(down.results.map((r) => [r.outcome, r.detail])).toEqual([
      ["unreachable", "UND_ERR_SOCKET"],
      ["unreachable", "UND_ERR_SOCKET"],
    ]);
    expect(calls).toHaveLength(4);
    // Other failures are not repeated.
    calls.length = 0;
    const refused = async (url: string) => {
      calls.push(url);
      throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    };
    await coordinator(ledger, all, refused).witness(await grow(ledger, 1));
    expect(calls).toHaveLength(2);
  });

  it("does not follow a witness's redirect (it could point the service at its own network)", async () => {
    let followed = 0;
    const target = await fakeServer((_req, res) => {
      followed++;
      res.end();
    });
    const round = await roundWithB(
      await fakeServer((_req, res) => {
        res.writeHead(302, { location: `${target}/internal` });
        res.end();
      }),
    );
    expect(round.results[1]).toMatchObject({
      witness: "B",
      outcome: "refused",
      httpStatus: 302,
      conflict: false,
    });
    expect(round.results[1]?.detail).toContain("redirects are not followed");
    expect(followed).toBe(0);
  });

  it("reads a 409 that says text/x.tlog.size but holds no size as a broken answer, not a split view", async () => {
    const round = await roundWithB(
      await fakeServer((_req, res) => {
        res.writeHead(409, { "content-type": "text/x.tlog.size" });
        res.end("-1\n");
      }),
    );
    expect(round.results[1]).toMatchObject({
      witness: "B",
      outcome: "invalid",
      httpStatus: 409,
      conflict: false,
    });
    expect(round.results[1]?.detail).toContain('text/x.tlog.size body is not a size: "-1\\n"');
  });

  it("does not wait for a witness slower than the timeout", async () => {
    const { ledger, key, a } = await setup();
    const members = [
      { name: "A", vkey: a.vkey, url: a.url },
      { name: "B", vkey: testCosigner("test.notarium.invalid/court-b", 22).vkey, url: await hangingServer() },
    ];
    const policy = policyOf(key.verifierKey, members, "all");
    const started = performance.now();
    const round = await coordinator(ledger, policy, fetch, 300).witness(await grow(ledger, 2));
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(1500);
    expect(round.results.map((r) => [r.witness, r.outcome])).toEqual([
      ["A", "ok"],
      ["B", "unreachable"],
    ]);
    expect(round.results[1]?.detail).toMatch(/no answer within 300 ms/);
    expect(round.quorum).toBe(false);
    expect(round.cosigned).toEqual(["A"]);
  });

  it("resyncs with a witness restarted with lost state (409 with size 0, then old 0)", async () => {
    const { ledger, key, a, b, all } = await setup();
    const rec = recordingFetch();
    const c = coordinator(ledger, all, rec.fetch);
    await c.witness(await grow(ledger, 3));
    // Court A's node is restarted on the same port with an empty state, same key.
    const port = a.server.port;
    await a.server.close();
    const a2 = await witnessNode("test.notarium.invalid/court-a", 21, key.verifierKey, port);
    expect(a2.url).toBe(a.url);
    rec.calls.length = 0;
    const round = await c.witness(await grow(ledger, 2));
    expect(round.results.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    // Old 3, refused with size 0, then old 0; old 3 may come twice, when the first went out on
    // a kept-alive connection of the stopped node (tried once more on a fresh one).
    const toA = rec.calls.filter((x) => x.url.startsWith(a.url)).map((x) => x.old);
    expect([
      [3, 0],
      [3, 3, 0],
    ]).toContainEqual(toA);
    expect(rec.calls.filter((x) => x.url.startsWith(b.url)).map((x) => x.old)).toEqual([3]);
    expect(round.quorum).toBe(true);
  });

  it("flags a conflict when a witness holds a larger tree than the log's (log rolled back)", async () => {
    const { ledger, all } = await setup();
    const c = coordinator(ledger, all);
    await c.witness(await grow(ledger, 5));
    // Another log process with the same key, restored from an older backup: it only knows 2 entries.
    const old = await openTestLedger();
    cleanups.push(() => old.ledger.close());
    await grow(old.ledger, 2);
    const round = await coordinator(old.ledger, all).witness(old.ledger.latest().note);
    expect(round.results.map((r) => [r.outcome, r.httpStatus, r.witnessSize, r.conflict])).toEqual([
      ["refused", 409, 5, true],
      ["refused", 409, 5, true],
    ]);
    expect(round.note).toBe(old.ledger.latest().note);
  });

  it("keeps only cosignatures that verify against the policy's key", async () => {
    const { ledger, key, a } = await setup();
    const impostor = await witnessNode("test.notarium.invalid/court-b", 23, key.verifierKey); // not B's key
    const members = [
      { name: "A", vkey: a.vkey, url: a.url },
      { name: "B", vkey: testCosigner("test.notarium.invalid/court-b", 22).vkey, url: impostor.url },
    ];
    const round = await coordinator(ledger, policyOf(key.verifierKey, members, "all")).witness(
      await grow(ledger, 2),
    );
    expect(round.results.map((r) => [r.witness, r.outcome])).toEqual([
      ["A", "ok"],
      ["B", "invalid"],
    ]);
    expect(parseNote(round.note).signatures.map((s) => s.name)).toEqual([
      TEST_ORIGIN,
      "test.notarium.invalid/court-a",
    ]);
  });

  it("runs one round per URL at a time; a newer checkpoint replaces one still waiting", async () => {
    const { ledger, all } = await setup();
    const c = coordinator(ledger, all);
    const n1 = await grow(ledger, 1);
    const n2 = await grow(ledger, 1);
    const n3 = await grow(ledger, 1);
    const [r1, r2, r3] = await Promise.all([c.witness(n1), c.witness(n2), c.witness(n3)]);
    expect(r1?.results.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(r2?.results.map((r) => [r.outcome, r.detail])).toEqual([
      ["skipped", "superseded by a newer checkpoint"],
      ["skipped", "superseded by a newer checkpoint"],
    ]);
    expect(r2?.note).toBe(n2);
    expect(r3?.results.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    // An older checkpoint than one already cosigned is not sent at all.
    const stale = await c.witness(n1);
    expect(stale.results.map((r) => r.outcome)).toEqual(["skipped", "skipped"]);
  });

  it("asks nobody when the policy gives no witness URLs (offline policy)", async () => {
    const { ledger, key, a } = await setup();
    const policy = policyOf(key.verifierKey, [{ name: "A", vkey: a.vkey }], "any");
    const note = await grow(ledger, 1);
    const round = await coordinator(ledger, policy).witness(note);
    expect(round).toEqual({ note, results: [], cosigned: [], quorum: false });
  });
});
