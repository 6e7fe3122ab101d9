import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseEvent } from "../../src/service/cases/context.js";
import { nodeKeyPair } from "../helpers/cases.js";
import { invite, openCase, postSignature, signed } from "./case-helpers.js";
import { call, codeOf, startTestService, type TestService } from "./helpers.js";

describe("a party's key unbound by the mediator before the party signs", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it("lets a party that lost its key bind a new one through the same link, and never unbinds a key that signed", async () => {
    const c = await openCase(s, [
      { id: "alice", role: "applicant" },
      { id: "bob", role: "respondent" },
    ]);
    const link = (await invite(s, c.id, "bob")).token;
    const [lost, fresh] = [nodeKeyPair(), nodeKeyPair()];
    const bind = (token: string, publicKey: string) =>
      call(s.url, "PUT", `/api/v1/invitations/${token}/key`, { json: { publicKey } });
    const reset = (signer: string) =>
      call(s.url, "DELETE", `/api/v1/cases/${c.id}/parties/${signer}/key`, { token: s.tokens.mediator });
    const bobKey = async () =>
      (await call(s.url, "GET", `/api/v1/cases/${c.id}`, { token: s.tokens.mediator })).json.parties.find(
        (p: { id: string }) => p.id === "bob",
      ).publicKey;
    const events: CaseEvent[] = [];
    const deliver = s.cases.onEvent;
    s.cases.onEvent = (e) => {
      events.push(e);
      deliver?.(e);
    };

    expect((await bind(link, lost.publicKey)).status).toBe(200);
    expect(codeOf(await bind(link, fresh.publicKey))).toBe("KEY_ALREADY_BOUND");
    const before = s.ledger.size;
    const r = await reset("bob");
    expect([r.status, r.json]).toEqual([200, { reset: true }]);
    expect(s.ledger.size).toBe(before);
    expect(await bobKey()).toBeUndefined();
    // Told to the case's webhook, with the key removed; whoever holds the old link (a lost
    // phone, say) can no longer bind a key of their own with it.
    expect(events).toEqual([
      {
        type: "party.key_reset",
        caseId: c.id,
        data: { signer: "bob", publicKey: lost.publicKey, invitationsRevoked: 1 },
      },
    ]);
    expect(codeOf(await bind(link, fresh.publicKey))).toBe("INVITATION_REVOKED");
    expect((await reset("alice")).json).toEqual({ reset: false });

    const again = (await invite(s, c.id, "bob")).token;
    expect((await bind(again, fresh.publicKey)).status).toBe(200);
    const f = { case: c.id, document: c.document, role: "respondent", signer: "bob" };
    expect((await postSignature(s, c.id, signed(lost, f), again)).status).toBe(422); // the lost key no longer signs
    expect((await postSignature(s, c.id, signed(fresh, f), again)).status).toBe(201);

    const late = await reset("bob");
    expect([late.status, codeOf(late)]).toEqual([409, "ALREADY_SIGNED"]);
    expect(await bobKey()).toBe(fresh.publicKey);
    const unknown = await reset("mallory");
    expect([unknown.status, codeOf(unknown)]).toEqual([404, "SIGNER_NOT_FOUND"]);
    // Parties cannot do it themselves, with their link.
    const byParty = await call(s.url, "DELETE", `/api/v1/cases/${c.id}/parties/bob/key`, { token: again });
    expect(byParty.status).toBe(401);
  });
});
