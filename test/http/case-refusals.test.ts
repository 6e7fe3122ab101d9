import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeKeyPair } from "../helpers/cases.js";
import {
  invite,
  type NodeKey,
  nowUtc,
  openCase,
  pdf,
  postSignature,
  signed,
  uploadAgreement,
} from "./case-helpers.js";
import { type Answer, call, codeOf, multipart, startTestService, type TestService } from "./helpers.js";

/** The case services' clock, which the test moves to expire invitations. */
const offsetClock = () => {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
};

const UNKNOWN_CASE = "case_ffffffffffffffff";
const DAY = 24 * 3600 * 1000;

describe("refusals of bad case, invitation and signature requests (issue 4, Bad input)", () => {
  let s: TestService;
  const clock = offsetClock();
  const [alice, bob, other] = [nodeKeyPair(), nodeKeyPair(), nodeKeyPair()];
  let a: { id: string; document: string };
  let b: { id: string; document: string };
  let c: { id: string; document: string };
  let inv: Record<"alice" | "bob" | "dave", string>;
  let invOther: string;

  beforeAll(async () => {
    s = await startTestService({ cases: { clock }, options: { maxDocumentBytes: 4096 } });
    // Case A: alice's key given at opening, bob's bound through his link, carol never binds one.
    a = await openCase(s, [
      { id: "alice", role: "applicant", publicKey: alice.publicKey },
      { id: "bob", role: "respondent" },
      { id: "carol", role: "guarantor" },
      { id: "dave", role: "witness" },
    ]);
    inv = {
      alice: (await invite(s, a.id, "alice")).token,
      bob: (await invite(s, a.id, "bob")).token,
      dave: (await invite(s, a.id, "dave")).token,
    };
    await call(s.url, "PUT", `/api/v1/invitations/${inv.bob}/key`, { json: { publicKey: bob.publicKey } });
    await postSignature(s, a.id, signed(alice, fa("alice", "applicant")), s.tokens.mediator);
    // Case B signs in sequence: p1, then p2. Case C has no agreement yet.
    b = await openCase(
      s,
      [
        { id: "p1", role: "applicant", publicKey: alice.publicKey },
        { id: "p2", role: "respondent", publicKey: bob.publicKey },
      ],
      { signingOrder: "sequential" },
    );
    invOther = (await invite(s, b.id, "p2")).token;
    c = await openCase(s, [{ id: "x", role: "applicant", publicKey: other.publicKey }], { agreement: null });
  });
  afterAll(() => s.close());

  const fa = (signer: string, role: string) => ({ case: a.id, document: a.document, role, signer });
  const asMediator = (caseId: string, body: unknown) => postSignature(s, caseId, body, s.tokens.mediator);
  const bobSig = (over = {}) => signed(bob, fa("bob", "respondent"), over);

  /** Opens a minimal one-party case, with `change` over its fields. */
  const openWith = (change: object) =>
    call(s.url, "POST", "/api/v1/cases", {
      token: s.tokens.mediator,
      json: { caseNumber: "1", title: "t", parties: [{ id: "a", role: "r", name: "A" }], ...change },
    });

  const table: { desc: string; req: () => Promise<Answer>; status: number; code: string }[] = [
    // unknown case or signer
    {
      desc: "signature in an unknown case",
      req: () => asMediator(UNKNOWN_CASE, bobSig()),
      status: 404,
      code: "CASE_NOT_FOUND",
    },
    {
      desc: "read an unknown case",
      req: () => call(s.url, "GET", `/api/v1/cases/${UNKNOWN_CASE}`, { token: s.tokens.court }),
      status: 404,
      code: "CASE_NOT_FOUND",
    },
    {
      desc: "agreement for an unknown case",
      req: () => uploadAgreement(s, UNKNOWN_CASE, pdf("x")),
      status: 404,
      code: "CASE_NOT_FOUND",
    },
    {
      desc: "package of a malformed case ID",
      req: () => call(s.url, "GET", "/api/v1/cases/..%2F..%2Fetc/package", { token: s.tokens.court }),
      status: 404,
      code: "CASE_NOT_FOUND",
    },
    {
      desc: "invite an unknown signer",
      req: () =>
        call(s.url, "POST", `/api/v1/cases/${a.id}/invitations`, {
          token: s.tokens.mediator,
          json: { signer: "mallory" },
        }),
      status: 404,
      code: "SIGNER_NOT_FOUND",
    },
    {
      desc: "signature of an unknown signer",
      req: () => asMediator(a.id, signed(bob, fa("mallory", "respondent"))),
      status: 404,
      code: "SIGNER_NOT_FOUND",
    },
    {
      desc: "revoke an unknown signer's links",
      req: () =>
        call(s.url, "DELETE", `/api/v1/cases/${a.id}/invitations/mallory`, { token: s.tokens.mediator }),
      status: 404,
      code: "SIGNER_NOT_FOUND",
    },
    {
      desc: "attest an unknown signer",
      req: () =>
        call(s.url, "POST", `/api/v1/cases/${a.id}/identities`, {
          token: s.tokens.mediator,
          json: { signer: "mallory", method: "ctid", identity: { name: "x" } },
        }),
      status: 404,
      code: "SIGNER_NOT_FOUND",
    },
    {
      desc: "erase an unknown signer's identity",
      req: () =>
        call(s.url, "DELETE", `/api/v1/cases/${a.id}/parties/mallory/identity`, { token: s.tokens.mediator }),
      status: 404,
      code: "SIGNER_NOT_FOUND",
    },
    // keys
    {
      desc: "a second key for bob",
      req: () =>
        call(s.url, "PUT", `/api/v1/invitations/${inv.bob}/key`, { json: { publicKey: other.publicKey } }),
      status: 409,
      code: "KEY_ALREADY_BOUND",
    },
    {
      desc: "another key for alice (given at opening)",
      req: () =>
        call(s.url, "PUT", `/api/v1/invitations/${inv.alice}/key`, { json: { publicKey: other.publicKey } }),
      status: 409,
      code: "KEY_ALREADY_BOUND",
    },
    {
      desc: "bob's key for dave too (one key holder would sign for both)",
      req: () =>
        call(s.url, "PUT", `/api/v1/invitations/${inv.dave}/key`, { json: { publicKey: bob.publicKey } }),
      status: 409,
      code: "KEY_ALREADY_BOUND",
    },
    {
      desc: "a malformed key",
      req: () =>
        call(s.url, "PUT", `/api/v1/invitations/${inv.dave}/key`, { json: { publicKey: "AB".repeat(32) } }),
      status: 400,
      code: "INVALID_PUBLIC_KEY",
    },
    // Well-formed hex, but no signature could ever verify: bound, they would lock the party out.
    ...[
      ["not canonically encoded", "ff".repeat(32)],
      ["of small order (the identity)", `01${"00".repeat(31)}`],
      ["not a point on the curve", `02${"00".repeat(31)}`],
    ].map(([what, publicKey]) => ({
      desc: `a key ${what}`,
      req: () => call(s.url, "PUT", `/api/v1/invitations/${inv.dave}/key`, { json: { publicKey } }),
      status: 400,
      code: "INVALID_PUBLIC_KEY",
    })),
    {
      desc: "a party without a bound key",
      req: () => asMediator(a.id, signed(other, fa("carol", "guarantor"))),
      status: 409,
      code: "KEY_NOT_BOUND",
    },
    // signature encodings
    {
      desc: "a signature one byte short",
      req: () => asMediator(a.id, { ...bobSig(), signature: "ab".repeat(63) }),
      status: 400,
      code: "INVALID_SIGNATURE_ENCODING",
    },
    {
      desc: "a signature one byte long",
      req: () => asMediator(a.id, { ...bobSig(), signature: "ab".repeat(65) }),
      status: 400,
      code: "INVALID_SIGNATURE_ENCODING",
    },
    {
      desc: "a signature in upper-case hex",
      req: () => asMediator(a.id, { ...bobSig(), signature: bobSig().signature.toUpperCase() }),
      status: 400,
      code: "INVALID_SIGNATURE_ENCODING",
    },
    {
      desc: "a signature in base64",
      req: () =>
        asMediator(a.id, {
          ...bobSig(),
          signature: Buffer.from(bobSig().signature, "hex").toString("base64"),
        }),
      status: 400,
      code: "INVALID_SIGNATURE_ENCODING",
    },
    // what was signed
    {
      desc: "a signature over another document",
      req: () => asMediator(a.id, bobSig({ document: c.document ?? "0".repeat(64) })),
      status: 422,
      code: "SIGNATURE_INVALID",
    },
    {
      desc: "a signature over another case",
      req: () => asMediator(a.id, bobSig({ case: b.id })),
      status: 422,
      code: "SIGNATURE_INVALID",
    },
    {
      desc: "a signature over another role",
      req: () => asMediator(a.id, bobSig({ role: "applicant" })),
      status: 422,
      code: "SIGNATURE_INVALID",
    },
    {
      desc: "a signature by another key",
      req: () => asMediator(a.id, signed(other, fa("bob", "respondent"))),
      status: 422,
      code: "SIGNATURE_INVALID",
    },
    {
      desc: "a claim of another document",
      req: () => asMediator(a.id, { ...bobSig(), document: "1".repeat(64) }),
      status: 422,
      code: "DOCUMENT_MISMATCH",
    },
    {
      desc: "a claim of another role",
      req: () => asMediator(a.id, { ...bobSig(), role: "applicant" }),
      status: 422,
      code: "ROLE_MISMATCH",
    },
    {
      desc: "a time an hour ahead",
      req: () => asMediator(a.id, bobSig({ time: nowUtc(3600_000) })),
      status: 422,
      code: "TIME_OUT_OF_TOLERANCE",
    },
    {
      desc: "a time a day ago",
      req: () => asMediator(a.id, bobSig({ time: nowUtc(-DAY) })),
      status: 422,
      code: "TIME_OUT_OF_TOLERANCE",
    },
    {
      desc: "a time with an offset",
      req: () => asMediator(a.id, { ...bobSig(), time: "2026-11-26T10:00:00+08:00" }),
      status: 400,
      code: "INVALID_TIME",
    },
    {
      desc: "a time that is no calendar day",
      req: () => asMediator(a.id, { ...bobSig(), time: "2026-02-30T10:00:00Z" }),
      status: 400,
      code: "INVALID_TIME",
    },
    // order and state
    {
      desc: "alice signing twice (a replay)",
      req: () => asMediator(a.id, signed(alice, fa("alice", "applicant"))),
      status: 409,
      code: "ALREADY_SIGNED",
    },
    {
      desc: "p2 before p1 in a sequential case",
      req: () =>
        asMediator(b.id, signed(bob, { case: b.id, document: b.document, role: "respondent", signer: "p2" })),
      status: 409,
      code: "NOT_YOUR_TURN",
    },
    {
      desc: "a signature before the agreement",
      req: () =>
        asMediator(
          c.id,
          signed(other, { case: c.id, document: "0".repeat(64), role: "applicant", signer: "x" }),
        ),
      status: 409,
      code: "AGREEMENT_MISSING",
    },
    {
      desc: "a new agreement after a signature",
      req: () => uploadAgreement(s, a.id, pdf("changed")),
      status: 409,
      code: "AGREEMENT_LOCKED",
    },
    // a party acting for another, or elsewhere
    {
      desc: "bob's link posting alice's signature",
      req: () => postSignature(s, a.id, signed(alice, fa("alice", "applicant")), inv.bob),
      status: 403,
      code: "SIGNER_MISMATCH",
    },
    {
      desc: "bob's link posting dave's signature",
      req: () => postSignature(s, a.id, signed(bob, fa("dave", "witness")), inv.bob),
      status: 403,
      code: "SIGNER_MISMATCH",
    },
    {
      desc: "a case-B link used on case A",
      req: () => postSignature(s, a.id, bobSig(), invOther),
      status: 403,
      code: "CASE_MISMATCH",
    },
    {
      desc: "an unknown link as the bearer",
      req: () => postSignature(s, a.id, bobSig(), `inv_${"A".repeat(43)}`),
      status: 401,
      code: "UNAUTHENTICATED",
    },
    {
      desc: "an unknown link",
      req: () => call(s.url, "GET", `/api/v1/invitations/inv_${"A".repeat(43)}`),
      status: 404,
      code: "INVITATION_NOT_FOUND",
    },
    // tokens
    {
      desc: "a court token signing",
      req: () => postSignature(s, a.id, bobSig(), s.tokens.court),
      status: 403,
      code: "FORBIDDEN",
    },
    {
      desc: "a court token opening a case",
      req: () => call(s.url, "POST", "/api/v1/cases", { token: s.tokens.court, json: {} }),
      status: 403,
      code: "FORBIDDEN",
    },
    {
      desc: "a court token erasing identities",
      req: () =>
        call(s.url, "DELETE", `/api/v1/cases/${a.id}/parties/alice/identity`, { token: s.tokens.court }),
      status: 403,
      code: "FORBIDDEN",
    },
    {
      desc: "no token",
      req: () => call(s.url, "POST", `/api/v1/cases/${a.id}/signatures`, { json: bobSig() }),
      status: 401,
      code: "UNAUTHENTICATED",
    },
    // agreement uploads
    {
      desc: "an agreement as text/plain",
      req: () => uploadAgreement(s, c.id, pdf("x"), "text/plain"),
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      desc: "an agreement as JSON",
      req: () =>
        call(s.url, "PUT", `/api/v1/cases/${c.id}/agreement`, { token: s.tokens.mediator, json: {} }),
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
    {
      desc: "an empty agreement",
      req: () => uploadAgreement(s, c.id, new Uint8Array()),
      status: 400,
      code: "EMPTY",
    },
    {
      desc: "an agreement that is no PDF",
      req: () => uploadAgreement(s, c.id, new TextEncoder().encode("hello")),
      status: 400,
      code: "NOT_PDF",
    },
    {
      desc: "an agreement over the limit",
      req: () => uploadAgreement(s, c.id, new Uint8Array(5000).fill(0x25)),
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
    {
      desc: "a form without a file",
      req: () => {
        const f = multipart({}, undefined);
        return call(s.url, "PUT", `/api/v1/cases/${c.id}/agreement`, {
          token: s.tokens.mediator,
          body: Buffer.concat(f.chunks),
          headers: { "content-type": f.contentType },
        });
      },
      status: 400,
      code: "FILE_MISSING",
    },
    {
      desc: "the agreement before it is registered",
      req: () =>
        invite(s, c.id, "x").then((i) => call(s.url, "GET", `/api/v1/invitations/${i.token}/agreement.pdf`)),
      status: 409,
      code: "AGREEMENT_MISSING",
    },
    // malformed cases
    {
      desc: "a party listed twice",
      req: () =>
        openWith({
          parties: [
            { id: "a", role: "r", name: "A" },
            { id: "a", role: "r", name: "B" },
          ],
        }),
      status: 400,
      code: "DUPLICATE_PARTY",
    },
    {
      desc: "one key for two parties",
      req: () =>
        openWith({
          parties: [
            { id: "a", role: "r", name: "A", publicKey: alice.publicKey },
            { id: "b", role: "s", name: "B", publicKey: alice.publicKey },
          ],
        }),
      status: 400,
      code: "DUPLICATE_KEY",
    },
    ...[
      ["caseNumber", { caseNumber: "1\u0000" }],
      ["title", { title: "a\nb" }],
      ["parties.0.name", { parties: [{ id: "a", role: "r", name: "A\tB" }] }],
      // A right-to-left override or a line separator could make a name read as another.
      ["parties.0.name", { parties: [{ id: "a", role: "r", name: "A\u202eB" }] }],
      ["title", { title: "a\u2028b" }],
      // Invisible: "张\u00AD三" and "张\uFE0F三" look just like 张三.
      ["parties.0.name", { parties: [{ id: "a", role: "r", name: "张\u00AD三" }] }],
      ["parties.0.name", { parties: [{ id: "a", role: "r", name: "张\uFE0F三" }] }],
      ["parties.0.name", { parties: [{ id: "a", role: "r", name: "A\u061CB" }] }],
      ["parties.0.name", { parties: [{ id: "a", role: "r", name: "A\u200BB" }] }],
    ].map(([field, change]) => ({
      desc: `a control character in ${field}`,
      req: () => openWith(change as object),
      status: 400,
      code: "INVALID_ARGUMENT",
    })),
    {
      desc: "a party key of small order",
      req: () =>
        openWith({ parties: [{ id: "a", role: "r", name: "A", publicKey: `01${"00".repeat(31)}` }] }),
      status: 400,
      code: "INVALID_PUBLIC_KEY",
    },
    {
      desc: "a party key that is not hex",
      req: () => openWith({ parties: [{ id: "a", role: "r", name: "A", publicKey: "xyz" }] }),
      status: 400,
      code: "INVALID_PUBLIC_KEY",
    },
    {
      desc: "a webhook that is not http(s)",
      req: () => openWith({ webhook: { url: "ftp://example.com/x" } }),
      status: 400,
      code: "WEBHOOK_INVALID",
    },
    {
      desc: "a webhook url with credentials in it (every reader of the case would see them)",
      req: () => openWith({ webhook: { url: "https://user:pass@example.com/x" } }),
      status: 400,
      code: "WEBHOOK_INVALID",
    },
    {
      desc: "a case with no parties",
      req: () => openWith({ parties: [] }),
      status: 400,
      code: "INVALID_ARGUMENT",
    },
  ];

  it.each(table)("refuses $desc with $status $code", async ({ req, status, code }) => {
    const before = s.ledger.size;
    const r = await req();
    expect([r.status, codeOf(r)], r.text).toEqual([status, code]);
    expect(s.ledger.size, "nothing recorded").toBe(before);
  });

  it("refuses revoked links for every use, and records nothing", async () => {
    const before = s.ledger.size;
    const revoked = await call(s.url, "DELETE", `/api/v1/cases/${a.id}/invitations/dave`, {
      token: s.tokens.mediator,
    });
    expect(revoked.json).toEqual({ revoked: 1 });
    const uses = [
      call(s.url, "GET", `/api/v1/invitations/${inv.dave}`),
      call(s.url, "GET", `/api/v1/invitations/${inv.dave}/agreement.pdf`),
      call(s.url, "PUT", `/api/v1/invitations/${inv.dave}/key`, { json: { publicKey: other.publicKey } }),
      postSignature(s, a.id, signed(other, fa("dave", "witness")), inv.dave),
    ];
    for (const r of await Promise.all(uses))
      expect([r.status, codeOf(r)]).toEqual([410, "INVITATION_REVOKED"]);
    expect(s.ledger.size).toBe(before);
  });

  it("refuses expired links for every use, and records nothing", async () => {
    const before = s.ledger.size;
    clock.advance(15 * DAY); // past the 14-day default lifetime
    try {
      const key: NodeKey = bob;
      const uses = [
        call(s.url, "GET", `/api/v1/invitations/${inv.bob}`),
        call(s.url, "PUT", `/api/v1/invitations/${inv.bob}/key`, { json: { publicKey: key.publicKey } }),
        postSignature(s, a.id, bobSig({ time: `${clock.now().toISOString().slice(0, 19)}Z` }), inv.bob),
      ];
      for (const r of await Promise.all(uses))
        expect([r.status, codeOf(r)]).toEqual([410, "INVITATION_EXPIRED"]);
    } finally {
      clock.advance(-15 * DAY);
    }
    expect(s.ledger.size).toBe(before);
    // The same link works again once back within its lifetime: the refusals changed nothing.
    expect((await postSignature(s, a.id, bobSig(), inv.bob)).status).toBe(201);
  });

  it("refuses a second identity attestation of a party with 409, and records nothing", async () => {
    const attest = (name: string) =>
      call(s.url, "POST", `/api/v1/cases/${c.id}/identities`, {
        token: s.tokens.mediator,
        json: { signer: "x", method: "ctid", identity: { name } },
      });
    expect((await attest("张三")).status).toBe(201);
    const before = s.ledger.size;
    const again = await attest("someone else");
    expect([again.status, codeOf(again)]).toEqual([409, "IDENTITY_ALREADY_ATTESTED"]);
    expect(s.ledger.size).toBe(before);
  });
});
