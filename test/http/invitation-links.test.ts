import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCase } from "./case-helpers.js";
import { call, startTestService, type TestService } from "./helpers.js";

describe("invitation links without a configured public URL", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
    s.cases.publicUrl = "http://localhost:1"; // what serve sets: the address it listens on
    s.cases.linksAsPaths = true; // …because NOTARIUM_PUBLIC_URL is not set
  });
  afterAll(() => s.close());

  const link = async (caseId: string) =>
    (
      await call(s.url, "POST", `/api/v1/cases/${caseId}/invitations`, {
        token: s.tokens.mediator,
        json: { signer: "a" },
      })
    ).json.url as string;

  it("are paths for the caller to complete, never the listening address parties cannot reach", async () => {
    const c = await openCase(s, [{ id: "a", role: "applicant" }]);
    expect(await link(c.id)).toMatch(/^\/sign\/inv_[A-Za-z0-9_-]+$/);
    // A configured public URL gives whole links.
    s.cases.linksAsPaths = false;
    s.cases.publicUrl = "https://mediation.example";
    expect(await link(c.id)).toMatch(/^https:\/\/mediation\.example\/sign\/inv_/);
  });
});
