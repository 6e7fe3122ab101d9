import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { createToken } from "../../src/service/tokens.js";
import { TokenFile } from "../../src/storage/token-file.js";
import { nodeKeyPair } from "../helpers/cases.js";
import { invite, openCase, signed } from "./case-helpers.js";
import { call, codeOf, startTestService, type TestService } from "./helpers.js";

const AGREEMENT = new Uint8Array(
  readFileSync(new URL("../../fixtures/pdf/agreement-3p.pdf", import.meta.url)),
);

describe("a mediator token acts only on the cases it opened", () => {
  let s: TestService;
  let other: string;
  let c: { id: string; document: string };
  const alice = nodeKeyPair();
  let bobLink: string;

  beforeAll(async () => {
    s = await startTestService({ sealing: true });
    other = (
      await createToken(
        new TokenFile(join(s.dir, "tokens.json")),
        { name: "mediator-li", role: "mediator" },
        { clock: systemClock, randomBytes: secureRandomBytes },
      )
    ).token;
    c = await openCase(
      s,
      [
        { id: "alice", role: "applicant", publicKey: alice.publicKey },
        { id: "bob", role: "respondent" },
      ],
      {
        agreement: AGREEMENT,
      },
    );
    bobLink = (await invite(s, c.id, "bob")).token;
  });
  afterAll(() => s.close());

  const routes = () =>
    [
      ["GET", `/api/v1/cases/${c.id}`, undefined],
      ["GET", `/api/v1/cases/${c.id}/package`, undefined],
      ["PUT", `/api/v1/cases/${c.id}/agreement`, undefined],
      ["POST", `/api/v1/cases/${c.id}/invitations`, { signer: "bob" }],
      ["DELETE", `/api/v1/cases/${c.id}/invitations/bob`, undefined],
      [
        "POST",
        `/api/v1/cases/${c.id}/signatures`,
        signed(alice, { case: c.id, document: c.document, role: "applicant", signer: "alice" }),
      ],
      [
        "POST",
        `/api/v1/cases/${c.id}/identities`,
        { signer: "alice", method: "ctid", identity: { name: "A" } },
      ],
      ["DELETE", `/api/v1/cases/${c.id}/parties/alice/identity`, undefined],
      ["POST", `/api/v1/cases/${c.id}/seal`, undefined],
      ["DELETE", `/api/v1/cases/${c.id}/parties/alice/key`, undefined],
    ] as const;

  it("refuses another mediator's token on every route of the case with 403 FORBIDDEN, recording nothing", async () => {
    const before = s.ledger.size;
    for (const [method, path, json] of routes()) {
      const r = await call(s.url, method, path, { token: other, ...(json ? { json } : {}) });
      expect([r.status, codeOf(r)], `${method} ${path}`).toEqual([403, "FORBIDDEN"]);
      expect(r.json.error.message).toContain("a mediator token acts only on its own cases");
    }
    expect(s.ledger.size).toBe(before);
    // Bob's link still works: the refused revocation revoked nothing; alice's key is still bound.
    expect((await call(s.url, "GET", `/api/v1/invitations/${bobLink}`)).status).toBe(200);
    const view = await call(s.url, "GET", `/api/v1/cases/${c.id}`, { token: s.tokens.mediator });
    expect(view.json.parties[0].publicKey).toBe(alice.publicKey);
  });

  it("lets the case's own mediator and an admin act, and a court read", async () => {
    const sig = signed(alice, { case: c.id, document: c.document, role: "applicant", signer: "alice" });
    const own = await call(s.url, "POST", `/api/v1/cases/${c.id}/signatures`, {
      token: s.tokens.mediator,
      json: sig,
    });
    expect(own.status).toBe(201);
    const admin = await call(s.url, "POST", `/api/v1/cases/${c.id}/invitations`, {
      token: s.tokens.admin,
      json: { signer: "bob" },
    });
    expect(admin.status).toBe(201);
    for (const path of [`/api/v1/cases/${c.id}`, `/api/v1/cases/${c.id}/package`]) {
      expect((await call(s.url, "GET", path, { token: s.tokens.court })).status, path).toBe(200);
    }
    // An unknown case is "not found" for any mediator, as before.
    const unknown = await call(s.url, "GET", "/api/v1/cases/case_ffffffffffffffff", { token: other });
    expect([unknown.status, codeOf(unknown)]).toEqual([404, "CASE_NOT_FOUND"]);
  });
});
