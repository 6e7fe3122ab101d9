import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { verifyCasePackage } from "../../src/esign/case-package.js";
import { parseEntry } from "../../src/ledger/entry.js";
import { verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { nodeKeyPair } from "../helpers/cases.js";
import { invite, openCase, pdf, postSignature, sha256Hex, signed, uploadAgreement } from "./case-helpers.js";
import { call, codeOf, multipart, rawRequest, startTestService, type TestService } from "./helpers.js";

describe("mediation cases over HTTP (keys made by node:crypto)", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it("runs a case from opening to a signed case whose package verifies offline", async () => {
    const [alice, bob, carol] = [nodeKeyPair(), nodeKeyPair(), nodeKeyPair()];
    const { id } = await openCase(
      s,
      [
        { id: "alice", role: "applicant", publicKey: alice.publicKey },
        { id: "bob", role: "respondent" },
        { id: "carol", role: "guarantor" },
      ],
      { agreement: null },
    );

    // A first draft as the raw body, then the final text as a multipart upload (allowed before anyone signs).
    const draft = await uploadAgreement(s, id, pdf("draft"));
    expect(draft.status, draft.text).toBe(201);
    expect(draft.json).toMatchObject({ sha256: sha256Hex(pdf("draft")), evidenceId: expect.any(String) });
    expect(draft.headers.get("location")).toBe(`/api/v1/evidence/${draft.json.evidenceId}`);
    const final = pdf("final agreement 最终协议");
    const form = multipart({}, final);
    const up = await rawRequest(s.url, {
      method: "PUT",
      path: `/api/v1/cases/${id}/agreement`,
      headers: {
        authorization: `Bearer ${s.tokens.mediator}`,
        "content-type": form.contentType,
        "content-length": form.length,
      },
      chunks: form.chunks,
    });
    if (up === "aborted") throw new Error("aborted");
    expect(up.status, up.body).toBe(201);
    const document = sha256Hex(final);
    expect(JSON.parse(up.body).sha256).toBe(document);
    const fields = (signer: string, role: string) => ({ case: id, document, role, signer });

    // Bob binds his own key through his link and signs through it; so does Alice.
    const invB = await invite(s, id, "bob");
    expect(invB.url).toBe(`${s.url}/sign/${invB.token}`);
    const view = await call(s.url, "GET", `/api/v1/invitations/${invB.token}`);
    expect(view.status).toBe(200);
    expect(view.headers.get("cache-control")).toBe("no-store");
    expect(view.json).toMatchObject({
      caseId: id,
      signer: "bob",
      role: "respondent",
      document,
      signed: false,
    });
    expect(view.json.publicKey).toBeUndefined();
    const file = await fetch(`${s.url}/api/v1/invitations/${invB.token}/agreement.pdf`);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(sha256Hex(new Uint8Array(await file.arrayBuffer()))).toBe(document);
    const bound = await call(s.url, "PUT", `/api/v1/invitations/${invB.token}/key`, {
      json: { publicKey: bob.publicKey },
    });
    expect(bound.status, bound.text).toBe(200);
    const rB = await postSignature(s, id, signed(bob, fields("bob", "respondent")), invB.token);
    expect(rB.status, rB.text).toBe(201);
    const invA = await invite(s, id, "alice");
    const rA = await postSignature(s, id, signed(alice, fields("alice", "applicant")), invA.token);
    expect(rA.status, rA.text).toBe(201);

    // The mediator submits Carol's signature for her (she signed with her own key, bound through her link).
    const invC = await invite(s, id, "carol");
    await call(s.url, "PUT", `/api/v1/invitations/${invC.token}/key`, {
      json: { publicKey: carol.publicKey },
    });
    const rC = await postSignature(s, id, signed(carol, fields("carol", "guarantor")), s.tokens.mediator);
    expect(rC.status, rC.text).toBe(201);
    expect(parseEntry(utf8(rC.json.entry)).body).toMatchObject({
      case: id,
      document,
      role: "guarantor",
      signer: "carol",
      publicKey: carol.publicKey,
    });

    // Mediator and court follow the case: every entry with a receipt that verifies offline.
    for (const token of [s.tokens.mediator, s.tokens.court]) {
      const c = await call(s.url, "GET", `/api/v1/cases/${id}`, { token });
      expect(c.status).toBe(200);
      expect(c.json).toMatchObject({ id, status: "signed", document });
      expect(c.json.parties.map((p: { signed: boolean }) => p.signed)).toEqual([true, true, true]);
      expect(c.json.signatures.map((x: { signer: string }) => x.signer).sort()).toEqual([
        "alice",
        "bob",
        "carol",
      ]);
      expect(c.json.entries.map((e: { entry: string }) => parseEntry(utf8(e.entry)).type)).toEqual([
        "agreement.registered",
        "agreement.registered",
        "agreement.signed",
        "agreement.signed",
        "agreement.signed",
      ]);
      for (const e of c.json.entries) {
        expect(verifyTlogProof(e.tlogProof, { policy: s.policy, entryData: utf8(e.entry) }).valid).toBe(true);
      }
      expect(c.text).not.toContain("whsec_");
    }

    const pkg = await call(s.url, "GET", `/api/v1/cases/${id}/package`, { token: s.tokens.court });
    expect(pkg.status).toBe(200);
    const v = verifyCasePackage(JSON.parse(pkg.text), { policy: s.policy, agreementSha256: document });
    expect(v.valid, JSON.stringify(v.checks)).toBe(true);
    expect(v.signers.map((x) => x.signer).sort()).toEqual(["alice", "bob", "carol"]);
    expect(pkg.text).not.toContain("name of alice");
  });

  it("attests an identity with only a commitment on the log, erases it over HTTP, and the package still verifies", async () => {
    const alice = nodeKeyPair();
    const { id, document } = await openCase(s, [
      { id: "alice", role: "applicant", publicKey: alice.publicKey },
    ]);
    const identity = { name: "张三", idNumber: "310101199001011234" };
    const at = await call(s.url, "POST", `/api/v1/cases/${id}/identities`, {
      token: s.tokens.mediator,
      json: { signer: "alice", method: "ctid", identity },
    });
    expect(at.status, at.text).toBe(201);
    expect(at.text).not.toContain("310101199001011234");
    expect(parseEntry(utf8(at.json.entry)).type).toBe("identity.attested");
    expect(parseEntry(utf8(at.json.entry)).body).toMatchObject({
      method: "ctid",
      attestedBy: "mediator",
      commitment: at.json.commitment,
    });
    await postSignature(
      s,
      id,
      signed(alice, { case: id, document, role: "applicant", signer: "alice" }),
      s.tokens.mediator,
    );
    const erase = () =>
      call(s.url, "DELETE", `/api/v1/cases/${id}/parties/alice/identity`, { token: s.tokens.admin });
    expect((await erase()).json).toEqual({ erased: true });
    expect((await erase()).json).toEqual({ erased: false });
    expect(await s.cases.identities.getIdentity(id, "alice")).toBeUndefined();
    const pkg = await call(s.url, "GET", `/api/v1/cases/${id}/package`, { token: s.tokens.mediator });
    const v = verifyCasePackage(pkg.json, { policy: s.policy });
    expect(v.valid).toBe(true);
    expect(pkg.json.entries.map((e: { entry: string }) => parseEntry(utf8(e.entry)).type)).toContain(
      "identity.attested",
    );
  });

  it("creates cases with a webhook secret shown once, and revokes a party's links", async () => {
    const { id, created } = await openCase(s, [{ id: "alice", role: "applicant" }], {
      webhook: "http://127.0.0.1:9/hook",
    });
    expect(created.webhookSecret).toMatch(/^whsec_/);
    expect(created.webhook).toEqual({ url: "http://127.0.0.1:9/hook" });
    const c = await call(s.url, "GET", `/api/v1/cases/${id}`, { token: s.tokens.mediator });
    expect(c.text).not.toContain(created.webhookSecret);
    const inv = await invite(s, id, "alice");
    const revoke = await call(s.url, "DELETE", `/api/v1/cases/${id}/invitations/alice`, {
      token: s.tokens.mediator,
    });
    expect(revoke.json).toEqual({ revoked: 1 });
    expect(codeOf(await call(s.url, "GET", `/api/v1/invitations/${inv.token}`))).toBe("INVITATION_REVOKED");
  });
});
