import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { parseEntry } from "../../src/ledger/entry.js";
import { verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { call, codeOf, hex, startTestService, type TestService } from "./helpers.js";

describe("deposits and the evidence view", () => {
  let s: TestService;
  const deposit = (json: unknown, token = s.tokens.mediator) =>
    call(s.url, "POST", "/api/v1/evidence", { token, json });
  const batch = (items: unknown, token = s.tokens.mediator) =>
    call(s.url, "POST", "/api/v1/evidence/batch", { token, json: { items } });

  beforeAll(async () => {
    s = await startTestService({ options: { maxBatch: 50 } });
  });
  afterAll(() => s.close());

  it("records a digest and answers 201 with a receipt that verifies offline", async () => {
    const r = await deposit({ sha256: hex(0xabc), title: "contract scan", size: 1234 });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`/api/v1/evidence/${r.json.evidenceId}`);
    expect(r.json).toMatchObject({
      index: 0,
      blockHeight: 1,
      certificateUrl: `/api/v1/evidence/${r.json.evidenceId}/certificate.pdf`,
    });
    expect(parseEntry(utf8(r.json.entry)).body).toEqual({
      sha256: hex(0xabc),
      title: "contract scan",
      size: 1234,
    });
    const v = verifyTlogProof(r.json.tlogProof, { policy: s.policy, sha256: hex(0xabc) });
    expect(v.valid).toBe(true);
    expect(v.evidenceId).toBe(r.json.evidenceId);
    expect(verifyTlogProof(r.json.tlogProof, { policy: s.policy, sha256: hex(0xabd) }).valid).toBe(false);
  });

  it.each([
    [{ sha256: hex(0xabc).toUpperCase() }, "INVALID_DIGEST"],
    [{ sha256: hex(1).slice(1) }, "INVALID_DIGEST"],
    [{ sha256: `${hex(1).slice(1)}g` }, "INVALID_DIGEST"],
    [{ sha256: 42 }, "INVALID_DIGEST"],
    [{}, "INVALID_DIGEST"],
    [{ sha256: hex(1), extra: true }, "INVALID_ARGUMENT"],
    [{ sha256: hex(1), size: -1 }, "INVALID_ARGUMENT"],
    [{ sha256: hex(1), title: "x".repeat(201) }, "INVALID_ARGUMENT"],
    [{ sha256: hex(1), meta: "not-a-commitment" }, "INVALID_ARGUMENT"],
    [[{ sha256: hex(1) }], "INVALID_ARGUMENT"],
  ])("refuses the deposit %j with 400 %s and records nothing", async (body, code) => {
    const before = s.ledger.size;
    const r = await deposit(body);
    expect([r.status, codeOf(r)]).toEqual([400, code]);
    expect(s.ledger.size).toBe(before);
  });

  it("says what meta is when it is given the metadata itself", async () => {
    for (const meta of [{ author: "张三" }, "not-a-commitment"]) {
      const r = await deposit({ sha256: hex(1), meta });
      expect([r.status, codeOf(r)]).toEqual([400, "INVALID_ARGUMENT"]);
      expect(r.json.error.message).toContain("meta must be a salted SHA-256 commitment to the metadata");
    }
  });

  it("shows a deposit by evidence ID, proved against the newest checkpoint", async () => {
    const d = await deposit({ sha256: hex(0xdef) });
    await deposit({ sha256: hex(0xdf0) });
    const r = await call(s.url, "GET", `/api/v1/evidence/${d.json.evidenceId}`);
    expect(r.status).toBe(200);
    for (const k of ["evidenceId", "index", "txHash", "blockHeight", "recordedAt", "entry"])
      expect(r.json[k]).toEqual(d.json[k]);
    expect(r.json.checkpoint).not.toBe(d.json.checkpoint);
    expect(verifyTlogProof(r.json.tlogProof, { policy: s.policy, sha256: hex(0xdef) }).valid).toBe(true);
    const lower = await call(s.url, "GET", `/api/v1/evidence/${d.json.evidenceId.toLowerCase()}`);
    expect(lower.json.index).toBe(d.json.index);
  });

  it("serves the .tlog-proof as text/plain that verifies on its own", async () => {
    const d = await deposit({ sha256: hex(0x123) });
    const r = await call(s.url, "GET", `/api/v1/evidence/${d.json.evidenceId}/proof`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(r.text.startsWith("c2sp.org/tlog-proof@v1\n")).toBe(true);
    expect(verifyTlogProof(r.text, { policy: s.policy, sha256: hex(0x123) }).valid).toBe(true);
  });

  it.each([
    ["NTR-0000000000000000", 404, "EVIDENCE_NOT_FOUND"],
    ["NTR-00000000000000", 400, "INVALID_ARGUMENT"],
    ["NTR-UUUUUUUUUUUUUUUU", 400, "INVALID_ARGUMENT"],
    ["nonsense", 400, "INVALID_ARGUMENT"],
    ["x".repeat(100), 400, "INVALID_ARGUMENT"],
  ])("answers the evidence ID %s with %i %s", async (id, status, code) => {
    for (const suffix of ["", "/proof"]) {
      const r = await call(s.url, "GET", `/api/v1/evidence/${id}${suffix}`);
      expect([r.status, codeOf(r)]).toEqual([status, code]);
    }
  });

  it("records a batch in one block, receipts in order", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ sha256: hex(0x1000 + i) }));
    const r = await batch(items);
    expect(r.status).toBe(201);
    expect(r.json.receipts).toHaveLength(20);
    const blocks = new Set(r.json.receipts.map((x: { blockHeight: number }) => x.blockHeight));
    expect(blocks.size).toBe(1);
    r.json.receipts.forEach((x: { tlogProof: string; index: number }, i: number) => {
      expect(x.index).toBe(r.json.receipts[0].index + i);
      expect(verifyTlogProof(x.tlogProof, { policy: s.policy, sha256: hex(0x1000 + i) }).valid).toBe(true);
    });
  });

  it("refuses a whole batch when one item is bad, too many, or none", async () => {
    const before = s.ledger.size;
    const bad = await batch([{ sha256: hex(1) }, { sha256: "nope" }]);
    expect([bad.status, codeOf(bad)]).toEqual([400, "INVALID_DIGEST"]);
    expect(bad.json.error.message).toContain("items.1.sha256");
    const many = await batch(Array.from({ length: 51 }, (_, i) => ({ sha256: hex(i) })));
    expect([many.status, codeOf(many)]).toEqual([400, "INVALID_ARGUMENT"]);
    expect((await batch([])).status).toBe(400);
    expect(
      (await call(s.url, "POST", "/api/v1/evidence/batch", { token: s.tokens.mediator, json: { items: {} } }))
        .status,
    ).toBe(400);
    expect(s.ledger.size).toBe(before);
  });

  it("verifies by digest: 200 valid with proved matches, or 200 invalid with reasons", async () => {
    await deposit({ sha256: hex(0x777) });
    await deposit({ sha256: hex(0x777) });
    const ok = await call(s.url, "POST", "/api/v1/verify", { json: { sha256: hex(0x777) } });
    expect(ok.status).toBe(200);
    expect(ok.json.valid).toBe(true);
    expect(ok.json.matches).toHaveLength(2);
    for (const m of ok.json.matches)
      expect(verifyTlogProof(m.tlogProof, { policy: s.policy, sha256: hex(0x777) }).valid).toBe(true);
    const missing = await call(s.url, "POST", "/api/v1/verify", { json: { sha256: hex(0x778) } });
    expect(missing.status).toBe(200);
    expect(missing.json).toMatchObject({ valid: false, matches: [] });
    expect(missing.json.checks[0]).toMatchObject({ name: "digest", ok: false });
  });

  it("answers a repeated verify from memory, and at once anew when a block records the digest", async () => {
    const ask = () => call(s.url, "POST", "/api/v1/verify", { json: { sha256: hex(0x779) } });
    const none = await ask();
    expect(none.json).toMatchObject({ valid: false, matches: [] });
    expect((await ask()).text).toBe(none.text); // same checkpoint, same answer
    const first = await deposit({ sha256: hex(0x779) });
    const once = await ask();
    expect(once.json.valid).toBe(true);
    expect(once.json.matches.map((m: { index: number }) => m.index)).toEqual([first.json.index]);
    expect(once.json.matches[0].checkpoint).toBe(first.json.checkpoint);
    expect((await ask()).text).toBe(once.text);
    // A block of another digest changes nothing the answer says: it is given again, proved
    // against the checkpoint it carries (within verdictMaxAgeMs, 10 s by default).
    const other = await deposit({ sha256: hex(0x77a) });
    const later = await ask();
    expect(later.text).toBe(once.text);
    expect(later.json.matches[0].checkpoint).not.toBe(other.json.checkpoint);
    expect(
      verifyTlogProof(later.json.matches[0].tlogProof, { policy: s.policy, sha256: hex(0x779) }).valid,
    ).toBe(true);
    // A block that records the digest again: the next answer has both, against the newest checkpoint.
    const second = await deposit({ sha256: hex(0x779) });
    const twice = await ask();
    expect(twice.json.matches.map((m: { index: number }) => m.index)).toEqual([
      first.json.index,
      second.json.index,
    ]);
    for (const m of twice.json.matches) expect(m.checkpoint).toBe(second.json.checkpoint);
  });

  it("refuses a malformed verify request with 400", async () => {
    for (const json of [{}, { sha256: "x" }, { sha256: hex(1), more: 1 }, "[]", "null", "7"]) {
      const r = await call(s.url, "POST", "/api/v1/verify", { json });
      expect(r.status, JSON.stringify(json)).toBe(400);
    }
  });
});

describe("verify answers with verdictMaxAgeMs 0", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService({ options: { verdictMaxAgeMs: 0 } });
  });
  afterAll(() => s.close());

  it("are proved against the newest checkpoint after every block", async () => {
    const deposit = (n: number) =>
      call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.mediator, json: { sha256: hex(n) } });
    const ask = () => call(s.url, "POST", "/api/v1/verify", { json: { sha256: hex(0x5a) } });
    await deposit(0x5a);
    const once = await ask();
    expect((await ask()).text).toBe(once.text); // no block since: from memory
    const other = await deposit(0x5b);
    const later = await ask();
    expect(later.json.matches[0].checkpoint).toBe(other.json.checkpoint);
    expect(
      verifyTlogProof(later.json.matches[0].tlogProof, { policy: s.policy, sha256: hex(0x5a) }).valid,
    ).toBe(true);
  });
});
