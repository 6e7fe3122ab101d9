import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex, toHex, utf8 } from "../../src/core/bytes.js";
import { openCheckpoint } from "../../src/crypto/checkpoint.js";
import { createVerifier, parseVerifierKey } from "../../src/crypto/note-keys.js";
import { parsePolicy } from "../../src/crypto/tlog-policy.js";
import { parseEntry } from "../../src/ledger/entry.js";
import { hashLeaf } from "../../src/merkle/hash.js";
import { verifyConsistency, verifyInclusion } from "../../src/merkle/verify.js";
import { call, codeOf, hex, startTestService, type TestService } from "./helpers.js";

describe("public log API", () => {
  let s: TestService;
  const get = (path: string, token?: string) => call(s.url, "GET", path, { token });

  beforeAll(async () => {
    s = await startTestService();
    for (let i = 0; i < 3; i++) {
      const r = await call(s.url, "POST", "/api/v1/evidence/batch", {
        token: s.tokens.mediator,
        json: { items: Array.from({ length: 4 }, (_, j) => ({ sha256: hex(i * 4 + j) })) },
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => s.close());

  it("answers /healthz with the tree size", async () => {
    const r = await get("/healthz");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: "ok", size: 12 });
  });

  it("serves the latest checkpoint as text/plain, signed by the log key", async () => {
    const r = await get("/api/v1/log/checkpoint");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const cp = openCheckpoint(r.text, createVerifier(s.key.verifierKey), s.key.origin).checkpoint;
    expect(cp.size).toBe(12);
  });

  it("publishes the verifier key, the raw public key and a tlog-policy with the log line and no quorum", async () => {
    const r = await get("/api/v1/log/keys");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      origin: s.key.origin,
      verifierKey: s.key.verifierKey,
      witnesses: [],
      pdfCertificate: null,
    });
    expect(r.json.publicKey).toBe(toHex(parseVerifierKey(s.key.verifierKey).publicKey));
    expect(r.json.policy).toBe(`log ${s.key.verifierKey}\nquorum none\n`);
    expect(parsePolicy(r.json.policy).logs[0]?.vkey).toBe(s.key.verifierKey);
  });

  it("returns an entry by index, byte for byte the leaf data", async () => {
    const r = await get("/api/v1/log/entries/5");
    expect(r.status).toBe(200);
    expect(r.json.index).toBe(5);
    expect(parseEntry(utf8(r.json.entry)).body).toEqual({ sha256: hex(5) });
    expect(r.json.txHash).toBe(toHex(await s.ledger.leafHash(5)));
    expect(toHex(hashLeaf((await s.store.getEntry(5)) as Uint8Array))).toBe(r.json.txHash);
  });

  it.each([
    ["-1", 400, "INVALID_INDEX"],
    ["abc", 400, "INVALID_INDEX"],
    ["01", 400, "INVALID_INDEX"],
    ["1.5", 400, "INVALID_INDEX"],
    ["1e3", 400, "INVALID_INDEX"],
    ["99999999999999999999", 400, "INVALID_INDEX"],
    ["12", 404, "ENTRY_NOT_FOUND"],
    ["9007199254740991", 404, "ENTRY_NOT_FOUND"],
  ])("refuses entry index %s with %i %s", async (index, status, code) => {
    const r = await get(`/api/v1/log/entries/${index}`);
    expect([r.status, codeOf(r)]).toEqual([status, code]);
  });

  it("pages through entries for court and admin tokens", async () => {
    const first = await get("/api/v1/log/entries?from=0&limit=5", s.tokens.court);
    expect(first.status).toBe(200);
    expect(first.json.entries.map((e: { index: number }) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(first.json.next).toBe(5);
    const last = await get("/api/v1/log/entries?from=10&limit=1000", s.tokens.admin);
    expect(last.json).toMatchObject({ size: 12, next: null });
    expect(last.json.entries).toHaveLength(2);
    const beyond = await get("/api/v1/log/entries?from=50", s.tokens.court);
    expect(beyond.json).toMatchObject({ entries: [], next: null });
  });

  it("refuses entry ranges without a court token, or with a bad limit", async () => {
    expect(codeOf(await get("/api/v1/log/entries"))).toBe("UNAUTHENTICATED");
    expect((await get("/api/v1/log/entries")).status).toBe(401);
    const mediator = await get("/api/v1/log/entries", s.tokens.mediator);
    expect([mediator.status, codeOf(mediator)]).toEqual([403, "FORBIDDEN"]);
    for (const q of ["limit=0", "limit=1001", "limit=-1", "from=x", "from=1&from=2"]) {
      const r = await get(`/api/v1/log/entries?${q}`, s.tokens.court);
      expect(r.status, q).toBe(400);
    }
  });

  it("proves inclusion against the signed root, at the current size by default", async () => {
    const cp = openCheckpoint(
      (await get("/api/v1/log/checkpoint")).text,
      createVerifier(s.key.verifierKey),
    ).checkpoint;
    const r = await get("/api/v1/log/proof/inclusion?index=7");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ index: 7, size: 12, root: toHex(cp.root) });
    verifyInclusion(
      await s.ledger.leafHash(7),
      7,
      12,
      r.json.proof.map((h: string) => fromHex(h, 32)),
      cp.root,
    );
    const older = await get("/api/v1/log/proof/inclusion?index=2&size=4");
    expect(older.status).toBe(200);
    verifyInclusion(
      await s.ledger.leafHash(2),
      2,
      4,
      older.json.proof.map((h: string) => fromHex(h, 32)),
      fromHex(older.json.root),
    );
    expect(older.headers.get("cache-control")).toContain("immutable");
  });

  it.each([
    ["index=12", "INVALID_INDEX"],
    ["index=4&size=4", "INVALID_INDEX"],
    ["index=5&size=3", "INVALID_INDEX"],
    ["index=0&size=13", "INVALID_SIZE"],
    ["index=0&size=0", "INVALID_INDEX"],
    ["index=-1", "INVALID_INDEX"],
    ["index=0&size=x", "INVALID_SIZE"],
    ["size=3", "INVALID_INDEX"],
    ["", "INVALID_INDEX"],
  ])("refuses the inclusion query %s with 400 %s", async (q, code) => {
    const r = await get(`/api/v1/log/proof/inclusion?${q}`);
    expect([r.status, codeOf(r)]).toEqual([400, code]);
  });

  it("says plainly when a query parameter is missing or repeated", async () => {
    expect((await get("/api/v1/log/proof/inclusion?size=3")).json.error.message).toBe(
      "query index: is required",
    );
    expect((await get("/api/v1/log/proof/inclusion?index=1&index=2")).json.error.message).toBe(
      "query index: is given more than once; give it once",
    );
    // In a JSON body an array is just the wrong type.
    const array = await call(s.url, "POST", "/api/v1/verify", { json: { sha256: ["ab"] } });
    expect(array.json.error.message).not.toContain("more than once");
  });

  it("proves consistency between tree sizes", async () => {
    const r = await get("/api/v1/log/proof/consistency?from=4&to=12");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ from: 4, to: 12 });
    verifyConsistency(
      4,
      12,
      r.json.proof.map((h: string) => fromHex(h, 32)),
      fromHex(r.json.oldRoot),
      fromHex(r.json.newRoot),
    );
    expect(r.json.newRoot).toBe(toHex(await s.ledger.rootAt(12)));
    const same = await get("/api/v1/log/proof/consistency?from=12&to=12");
    expect(same.json.proof).toEqual([]);
  });

  it.each([
    ["from=0&to=4", "INVALID_SIZE"],
    ["from=5&to=4", "INVALID_SIZE"],
    ["from=4&to=13", "INVALID_SIZE"],
    ["from=4", "INVALID_SIZE"],
    ["from=a&to=4", "INVALID_SIZE"],
    ["from=04&to=5", "INVALID_SIZE"],
  ])("refuses the consistency query %s with 400 %s", async (q, code) => {
    const r = await get(`/api/v1/log/proof/consistency?${q}`);
    expect([r.status, codeOf(r)]).toEqual([400, code]);
  });
});
