import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCase } from "./case-helpers.js";
import { startTestService, type TestService } from "./helpers.js";

/** POST with a chosen Host header (fetch may not set one). */
function postWithHost(s: TestService, path: string, host: string, body: unknown) {
  return new Promise<{ status: number; json: { url: string } }>((resolve, reject) => {
    const u = new URL(s.url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: "POST",
        path,
        headers: { host, authorization: `Bearer ${s.tokens.mediator}`, "content-type": "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("invitation links without a configured public URL", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
    s.cases.publicUrl = "http://localhost:1"; // what serve sets: the address it listens on
    s.cases.linksFromRequest = true; // …because NOTARIUM_PUBLIC_URL is not set
  });
  afterAll(() => s.close());

  it("use the address the request reached, so parties on the mediator's network can open them", async () => {
    const c = await openCase(s, [{ id: "a", role: "applicant" }]);
    const lan = await postWithHost(s, `/api/v1/cases/${c.id}/invitations`, "192.0.2.2:8091", { signer: "a" });
    expect(lan.status).toBe(201);
    expect(lan.json.url).toMatch(/^http:\/\/192\.0\.2\.2:8091\/sign\/inv_/);
    // A Host that is not a plain host and port is not trusted for a link: the service's own address.
    const odd = await postWithHost(s, `/api/v1/cases/${c.id}/invitations`, "evil.example/path?x", {
      signer: "a",
    });
    expect(odd.json.url).toMatch(/^http:\/\/localhost:1\/sign\/inv_/);
    // A configured public URL always wins.
    s.cases.linksFromRequest = false;
    s.cases.publicUrl = "https://mediation.example";
    const set = await postWithHost(s, `/api/v1/cases/${c.id}/invitations`, "192.0.2.2:8091", { signer: "a" });
    expect(set.json.url).toMatch(/^https:\/\/mediation\.example\/sign\/inv_/);
  });
});
