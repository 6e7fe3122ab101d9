import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { createToken, revokeToken } from "../../src/service/tokens.js";
import { call, codeOf, hex, startTestService, type TestService } from "./helpers.js";

describe("tokens and roles", () => {
  let s: TestService;
  let logs = "";
  let revoked: string;
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });

  beforeAll(async () => {
    s = await startTestService({ logger: pino({ level: "info" }, sink) });
    revoked = (
      await createToken(
        s.tokenFile,
        { name: "old-court", role: "court" },
        { clock: systemClock, randomBytes: secureRandomBytes },
      )
    ).token;
    await revokeToken(s.tokenFile, "old-court", systemClock);
  });
  afterAll(() => s.close());

  const who = () => ({
    none: undefined,
    malformed: "not-a-token",
    unknown: `ntr_${"A".repeat(43)}`,
    revoked,
    admin: s.tokens.admin,
    mediator: s.tokens.mediator,
    court: s.tokens.court,
  });
  type Who = keyof ReturnType<typeof who>;

  // What each caller may do: [deposit, batch, entry range, public verify].
  const matrix: [Who, number, number, number, number][] = [
    ["none", 401, 401, 401, 200],
    ["malformed", 401, 401, 401, 200],
    ["unknown", 401, 401, 401, 200],
    ["revoked", 401, 401, 401, 200],
    ["admin", 201, 201, 200, 200],
    ["mediator", 201, 201, 403, 200],
    ["court", 403, 403, 200, 200],
  ];

  it.each(matrix)(
    "%s: deposit %i, batch %i, entry range %i, verify %i",
    async (name, deposit, batch, range, verify) => {
      const token = who()[name];
      const got = [
        (await call(s.url, "POST", "/api/v1/evidence", { token, json: { sha256: hex(1) } })).status,
        (
          await call(s.url, "POST", "/api/v1/evidence/batch", {
            token,
            json: { items: [{ sha256: hex(2) }] },
          })
        ).status,
        (await call(s.url, "GET", "/api/v1/log/entries?limit=1", { token })).status,
        (await call(s.url, "POST", "/api/v1/verify", { token, json: { sha256: hex(1) } })).status,
      ];
      expect(got).toEqual([deposit, batch, range, verify]);
    },
  );

  it("answers 401 with UNAUTHENTICATED and a Bearer challenge, 403 with FORBIDDEN", async () => {
    const r = await call(s.url, "POST", "/api/v1/evidence", { json: { sha256: hex(1) } });
    expect([r.status, codeOf(r)]).toEqual([401, "UNAUTHENTICATED"]);
    expect(r.headers.get("www-authenticate")).toContain("Bearer");
    const basic = await call(s.url, "POST", "/api/v1/evidence", {
      json: { sha256: hex(1) },
      headers: { authorization: `Basic ${s.tokens.admin}` },
    });
    expect(basic.status).toBe(401);
    const f = await call(s.url, "POST", "/api/v1/evidence", {
      token: s.tokens.court,
      json: { sha256: hex(1) },
    });
    expect([f.status, codeOf(f)]).toEqual([403, "FORBIDDEN"]);
  });

  it("honours tokens created and revoked while the service runs", async () => {
    const deps = { clock: systemClock, randomBytes: secureRandomBytes };
    const { token } = await createToken(s.tokenFile, { name: "late-mediator", role: "mediator" }, deps);
    expect((await call(s.url, "POST", "/api/v1/evidence", { token, json: { sha256: hex(3) } })).status).toBe(
      201,
    );
    await revokeToken(s.tokenFile, "late-mediator", systemClock);
    expect((await call(s.url, "POST", "/api/v1/evidence", { token, json: { sha256: hex(4) } })).status).toBe(
      401,
    );
  });

  it("never writes tokens, authorization headers or bodies to the log", async () => {
    await call(s.url, "POST", "/api/v1/evidence", {
      token: s.tokens.mediator,
      json: { sha256: hex(0x5ec12e7), title: "secret title" },
    });
    await call(s.url, "GET", `/api/v1/log/proof/inclusion?index=0&size=1&token=${s.tokens.admin}`);
    expect(logs).toContain('"role":"mediator"');
    for (const t of Object.values(s.tokens)) expect(logs).not.toContain(t);
    expect(logs).not.toContain(revoked);
    expect(logs).not.toContain("secret title");
    expect(logs).not.toContain(hex(0x5ec12e7));
    expect(logs.toLowerCase()).not.toContain("authorization");
  });
});
