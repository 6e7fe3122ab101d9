import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secureRandomBytes, systemClock } from "../../src/core/clock.js";
import { createToken, revokeToken } from "../../src/service/tokens.js";
import { call, codeOf, hex, rawConnection, startTestService, type TestService } from "./helpers.js";

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
    s = await startTestService({
      logger: pino({ level: "info" }, sink),
      // Limited public routes, so that a token holder's exemption is exercised (and logged).
      options: { rateLimit: { windowMs: 60_000, limit: 1_000_000 } },
    });
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
    // An invitation link is a capability in the path: logged only as redacted.
    const link = `inv_${"Q".repeat(43)}`;
    await call(s.url, "GET", `/api/v1/invitations/${link}`);
    await call(s.url, "PUT", `/api/v1/invitations/${link}/key`, { json: { publicKey: hex(1) } });
    await call(s.url, "GET", `/api/v1/invitations/%69nv_${"Q".repeat(43)}`); // the same, percent-encoded
    expect(logs).not.toContain("Q".repeat(43));
    // A token holder on a public route is not rate limited, and the log still names it.
    await call(s.url, "GET", "/api/v1/log/checkpoint", { token: s.tokens.court });
    expect(logs).toMatch(/"path":"\/api\/v1\/log\/checkpoint"[^\n]*"role":"court"/);
    expect(logs).toContain('"path":"/api/v1/invitations/inv_[redacted]/key"');
    expect(logs).toContain('"role":"mediator"');
    for (const t of Object.values(s.tokens)) expect(logs).not.toContain(t);
    expect(logs).not.toContain(revoked);
    expect(logs).not.toContain("secret title");
    expect(logs).not.toContain(hex(0x5ec12e7));
    expect(logs.toLowerCase()).not.toContain("authorization");
  });
});

describe("tokens with the service's re-check window (a known token is decided at once)", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService({ options: { tokenRecheckMs: 60_000 } });
    // The first use of a token reads the token file; later ones take the synchronous path.
    await call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.admin, json: { sha256: hex(0x51) } });
  });
  afterAll(() => s.close());

  it("gives each role what the matrix says", async () => {
    const got = [];
    for (const [token, path, json] of [
      [s.tokens.mediator, "/api/v1/evidence", { sha256: hex(0x52) }],
      [s.tokens.court, "/api/v1/evidence", { sha256: hex(0x53) }],
      [s.tokens.court, "/api/v1/evidence/batch", { items: [{ sha256: hex(0x54) }] }],
      [s.tokens.admin, "/api/v1/evidence/batch", { items: [{ sha256: hex(0x55) }] }],
      [`ntr_${"B".repeat(43)}`, "/api/v1/evidence", { sha256: hex(0x56) }],
    ] as const) {
      const r = await call(s.url, "POST", path, { token, json });
      got.push([r.status, codeOf(r) ?? "ok"]);
    }
    expect(got).toEqual([
      [201, "ok"],
      [403, "FORBIDDEN"],
      [403, "FORBIDDEN"],
      [201, "ok"],
      [401, "UNAUTHENTICATED"],
    ]);
  });

  it("answers requests pipelined on one connection, and a body that comes after its headers", async () => {
    const socket = await rawConnection(s.url);
    const { statuses } = socket;
    const post = (path: string, body: string, token?: string) =>
      `POST ${path} HTTP/1.1\r\nHost: x\r\n${token ? `Authorization: Bearer ${token}\r\n` : ""}` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const deposit = JSON.stringify({ sha256: hex(0x57) });
    const verify = JSON.stringify({ sha256: hex(0x57) });
    socket.write(post("/api/v1/evidence", deposit, s.tokens.mediator) + post("/api/v1/verify", verify));
    const late = post("/api/v1/evidence", JSON.stringify({ sha256: hex(0x58) }), s.tokens.mediator);
    const split = late.indexOf("\r\n\r\n") + 4;
    // Node handles pipelined requests at once and answers them in order: the verify may have
    // been made before the deposit's block, but the next question sees the deposit.
    expect(await statuses(2)).toEqual(["201", "200"]);
    const after = await call(s.url, "POST", "/api/v1/verify", { json: { sha256: hex(0x57) } });
    expect(after.json.valid).toBe(true);
    socket.write(late.slice(0, split));
    await new Promise((r) => setTimeout(r, 30));
    socket.write(late.slice(split));
    expect(await statuses(3)).toEqual(["201", "200", "201"]);
    socket.close();
  });
});
