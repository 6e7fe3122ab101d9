import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, codeOf, hex, rawConnection, startTestService, type TestService } from "./helpers.js";

describe("HTTP error handling", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService({ options: { corsOrigins: ["https://court.example"] } });
  });
  afterAll(() => s.close());

  const post = (path: string, o: Parameters<typeof call>[3]) =>
    call(s.url, "POST", path, { token: s.tokens.mediator, ...o });

  it("answers malformed JSON with 400 MALFORMED_JSON", async () => {
    for (const body of ["", "{", '{"sha256":', "{'a':1}", "\u0000", "[1,]"]) {
      const r = await post("/api/v1/evidence", { json: body });
      expect([r.status, codeOf(r)], body).toEqual([400, "MALFORMED_JSON"]);
    }
  });

  it("records no text that is not what was sent: invalid UTF-8 and text outside I-JSON are refused", async () => {
    const before = s.ledger.size;
    const raw = (tail: number[]) =>
      new Uint8Array([
        ...Buffer.from(`{"sha256":"${hex(0xbad)}","title":"a`),
        ...tail,
        ...Buffer.from('b"}'),
      ]);
    // A stray byte, an overlong "/", an encoded surrogate: never decoded into U+FFFD and kept.
    for (const tail of [
      [0xff, 0xfe],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]) {
      const r = await post("/api/v1/evidence", {
        body: raw(tail) as Uint8Array<ArrayBuffer>,
        headers: { "content-type": "application/json" },
      });
      expect([r.status, codeOf(r), r.json.error.message], String(tail)).toEqual([
        400,
        "MALFORMED_JSON",
        "the request body is not valid UTF-8",
      ]);
    }
    // Well-formed JSON escapes for a lone surrogate or a noncharacter (RFC 7493 §2.1).
    for (const title of ["a\\ud800b", "\\uffff"]) {
      const r = await post("/api/v1/evidence", { json: `{"sha256":"${hex(0xbad)}","title":"${title}"}` });
      expect([r.status, codeOf(r)], title).toEqual([400, "INVALID_ARGUMENT"]);
      expect(r.json.error.message).toMatch(/title: text holds a lone surrogate or a noncharacter/);
    }
    // A form field is raw bytes too (FormData would encode a string as UTF-8, so by hand).
    const part = (headers: string, bytes: number[]) => [
      ...Buffer.from(`--B\r\n${headers}\r\n\r\n`),
      ...bytes,
      ...Buffer.from("\r\n"),
    ];
    const multipart = new Uint8Array([
      ...part('Content-Disposition: form-data; name="file"; filename="e.txt"', [...Buffer.from("evidence")]),
      ...part('Content-Disposition: form-data; name="title"', [0x61, 0xff, 0x62]),
      ...Buffer.from("--B--\r\n"),
    ]);
    const upload = await post("/api/v1/evidence", {
      body: multipart as Uint8Array<ArrayBuffer>,
      headers: { "content-type": "multipart/form-data; boundary=B" },
    });
    expect([upload.status, codeOf(upload)]).toEqual([400, "INVALID_ARGUMENT"]);
    expect(upload.json.error.message).toContain('form field "title" is not valid UTF-8');
    expect(s.ledger.size).toBe(before);
  });

  it("answers JSON bodies over 1 MiB with 413 PAYLOAD_TOO_LARGE", async () => {
    const r = await post("/api/v1/evidence/batch", {
      json: { items: [{ sha256: hex(1), title: "x".repeat(1024 * 1024) }] },
    });
    expect([r.status, codeOf(r)]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("reads a JSON body that comes with its headers, after them or in pieces, on one kept-alive connection", async () => {
    const socket = await rawConnection(s.url);
    const { statuses } = socket;
    const request = (i: number) => {
      const body = JSON.stringify({ sha256: hex(9000 + i) });
      const head = `POST /api/v1/evidence HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.tokens.mediator}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      return { head, body };
    };
    const a = request(1); // all in one write: taken from the buffer at once
    socket.write(a.head + a.body);
    expect(await statuses(1)).toEqual(["201"]);
    const b = request(2); // headers first, the body later and in two pieces
    socket.write(b.head);
    await new Promise((r) => setTimeout(r, 30));
    socket.write(b.body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 30));
    socket.write(b.body.slice(10));
    expect(await statuses(2)).toEqual(["201", "201"]);
    const c = request(3);
    socket.write(c.head + c.body);
    expect(await statuses(3)).toEqual(["201", "201", "201"]);
    socket.close();
  });

  it("answers other content types with 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const r = await post("/api/v1/evidence", {
        body: `sha256=${hex(1)}`,
        headers: { "content-type": type },
      });
      expect([r.status, codeOf(r)], type).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    }
    expect(
      (
        await post("/api/v1/verify", {
          json: { sha256: hex(1) },
          headers: { "content-type": "application/json; charset=latin1" },
        })
      ).status,
    ).toBe(415);
    expect((await post("/api/v1/evidence", {})).status).toBe(415);
  });

  it("answers unknown routes with JSON 404 and other methods with 405 and Allow", async () => {
    const r = await call(s.url, "GET", "/api/v1/nothing-here");
    expect([r.status, codeOf(r)]).toEqual([404, "ROUTE_NOT_FOUND"]);
    expect(r.headers.get("content-type")).toContain("application/json");
    const m = await call(s.url, "DELETE", "/api/v1/evidence");
    expect([m.status, codeOf(m)]).toEqual([405, "METHOD_NOT_ALLOWED"]);
    expect(m.headers.get("allow")).toBe("POST");
    expect((await call(s.url, "PUT", "/api/v1/log/checkpoint")).headers.get("allow")).toBe("GET, HEAD");
    // A known path that a parameter of another route would also match (GET /evidence/:id).
    for (const method of ["GET", "HEAD"]) {
      const batch = await call(s.url, method, "/api/v1/evidence/batch");
      expect([batch.status, batch.headers.get("allow")], method).toEqual([405, "POST"]);
    }
    expect((await call(s.url, "OPTIONS", "/api/v1/evidence/batch")).status).toBe(204);
    expect(
      (await post("/api/v1/evidence/batch", { json: { items: [{ sha256: hex(0xba7c) }] } })).status,
    ).toBe(201);
    expect((await call(s.url, "GET", "/api/v1/log/entries/%E0%A4%A")).status).toBe(400);
  });

  it("answers requests HTTP itself refuses with the API's JSON errors, then closes", async () => {
    const exchange = async (text: string) => {
      const socket = connect(Number(new URL(s.url).port), "127.0.0.1");
      socket.end(text);
      let got = "";
      for await (const d of socket) got += d.toString("latin1");
      const [head = "", body = ""] = got.split("\r\n\r\n");
      return { status: Number(head.slice(9, 12)), head, json: JSON.parse(body) };
    };
    const unknown = await exchange("FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expect([unknown.status, unknown.json.error.code]).toEqual([501, "METHOD_NOT_IMPLEMENTED"]);
    const garbled = await exchange("GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n");
    expect([garbled.status, garbled.json.error.code]).toEqual([400, "MALFORMED_REQUEST"]);
    expect(garbled.head).toContain("Content-Type: application/json");
    const huge = await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect([huge.status, huge.json.error.code]).toEqual([431, "HEADERS_TOO_LARGE"]);
  });

  it("sends security headers, request IDs, and no CORS headers to unknown origins", async () => {
    const r = await call(s.url, "GET", "/healthz", { headers: { origin: "https://evil.example" } });
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(r.headers.get("x-powered-by")).toBeNull();
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-/);
    const mine = await call(s.url, "GET", "/healthz", { headers: { "x-request-id": "court-42" } });
    expect(mine.headers.get("x-request-id")).toBe("court-42");
  });

  it("opens CORS only to the configured origins", async () => {
    const r = await call(s.url, "GET", "/api/v1/log/keys", { headers: { origin: "https://court.example" } });
    expect(r.headers.get("access-control-allow-origin")).toBe("https://court.example");
    const pre = await call(s.url, "OPTIONS", "/api/v1/evidence", {
      headers: { origin: "https://court.example", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it("never answers 500 to arbitrary bodies, paths and queries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/api/v1/evidence", "/api/v1/evidence/batch", "/api/v1/verify"),
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ sha256: v })),
          fc.jsonValue().map((v) => JSON.stringify({ items: v })),
        ),
        async (path, body) => {
          const r = await post(path, { json: body });
          expect(r.status, `${path} ${body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (a, b) => {
        const q = `index=${encodeURIComponent(a)}&size=${encodeURIComponent(b)}`;
        for (const path of [
          `/api/v1/log/proof/inclusion?${q}`,
          `/api/v1/log/entries/${encodeURIComponent(a) || "x"}`,
          `/api/v1/evidence/${encodeURIComponent(a) || "x"}`,
        ]) {
          const r = await call(s.url, "GET", path);
          expect(r.status, path).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("back-pressure and rate limits", () => {
  it("answers 503 with Retry-After when the append queue is full, and records every accepted deposit", async () => {
    const s = await startTestService({ maxQueue: 2, maxBatch: 2 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          call(s.url, "POST", "/api/v1/evidence", { token: s.tokens.mediator, json: { sha256: hex(i) } }),
        ),
      );
      const busy = answers.filter((a) => a.status === 503);
      const ok = answers.filter((a) => a.status === 201);
      expect(busy.length).toBeGreaterThan(0);
      expect(ok.length + busy.length).toBe(60);
      for (const b of busy) {
        expect(codeOf(b)).toBe("OVERLOADED");
        expect(Number(b.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      expect(s.ledger.size).toBe(ok.length);
    } finally {
      await s.close();
    }
  });

  it("limits public requests per client with 429 and Retry-After, but not health checks or token holders", async () => {
    const s = await startTestService({ options: { rateLimit: { windowMs: 60_000, limit: 3 } } });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await call(s.url, "GET", "/api/v1/log/checkpoint"));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      // The IETF draft's headers tell a client its budget before it runs out.
      expect(answers.map((a) => a.headers.get("ratelimit-policy"))).toEqual(Array(4).fill("3;w=60"));
      expect(answers.map((a) => /remaining=(\d+)/.exec(a.headers.get("ratelimit") ?? "")?.[1])).toEqual([
        "2",
        "1",
        "0",
        "0",
      ]);
      const limited = await call(s.url, "POST", "/api/v1/verify", { json: { sha256: hex(1) } });
      expect([limited.status, codeOf(limited)]).toEqual([429, "RATE_LIMITED"]);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await call(s.url, "GET", "/healthz")).status).toBe(200);
      // A token holder on a public route: not limited, and not counted.
      for (const token of [s.tokens.court, s.tokens.court, s.tokens.mediator]) {
        const held = await call(s.url, "GET", "/api/v1/log/checkpoint", { token });
        expect(held.status).toBe(200);
        expect(held.headers.get("ratelimit")).toBeNull();
      }
      // A token that does not authenticate counts like none; so does an invitation's.
      const wrong = `${s.tokens.court.slice(0, -1)}${s.tokens.court.endsWith("A") ? "B" : "A"}`;
      for (const token of [wrong, "inv_not-a-real-invitation", "not a token"]) {
        const r = await call(s.url, "GET", "/api/v1/log/checkpoint", { token });
        expect([r.status, codeOf(r)], token).toEqual([429, "RATE_LIMITED"]);
      }
      expect(
        (
          await call(s.url, "POST", "/api/v1/evidence", {
            token: s.tokens.mediator,
            json: { sha256: hex(1) },
          })
        ).status,
      ).toBe(201);
    } finally {
      await s.close();
    }
  });
});
