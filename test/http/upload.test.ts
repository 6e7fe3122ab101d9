import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utf8 } from "../../src/core/bytes.js";
import { parseEntry } from "../../src/ledger/entry.js";
import { verifyTlogProof } from "../../src/ledger/verify-proof.js";
import { call, codeOf, multipart, rawRequest, startTestService, type TestService } from "./helpers.js";

const LIMIT = 4 * 1024 * 1024;

describe("multipart uploads (streamed through SHA-256, never stored)", () => {
  let s: TestService;
  const file = randomBytes(3 * 1024 * 1024 + 17);
  const digest = createHash("sha256").update(file).digest("hex");

  const upload = (
    path: string,
    form: ReturnType<typeof multipart>,
    o: { token?: string; abortAfter?: number; headers?: Record<string, string | number> } = {},
  ) =>
    rawRequest(s.url, {
      path,
      headers: {
        "content-type": form.contentType,
        "content-length": form.length,
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...o.headers,
      },
      chunks: form.chunks,
      abortAfter: o.abortAfter,
    });

  beforeAll(async () => {
    s = await startTestService({ options: { maxUploadBytes: LIMIT } });
  });
  afterAll(() => s.close());

  it("deposits a few MB file by its SHA-256 and size, with a title field", async () => {
    const r = await upload("/api/v1/evidence", multipart({ title: "bodycam clip" }, file), {
      token: s.tokens.mediator,
    });
    if (r === "aborted") throw new Error("aborted");
    expect(r.status).toBe(201);
    const receipt = JSON.parse(r.body);
    expect(parseEntry(utf8(receipt.entry)).body).toEqual({
      sha256: digest,
      size: file.length,
      title: "bodycam clip",
    });
    expect(verifyTlogProof(receipt.tlogProof, { policy: s.policy, sha256: digest }).valid).toBe(true);
  });

  it("verifies an uploaded file by its digest (fetch with FormData, chunked)", async () => {
    const form = new FormData();
    form.append("file", new Blob([file]), "evidence.bin");
    const r = await call(s.url, "POST", "/api/v1/verify", { body: form });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ valid: true, sha256: digest });
    const other = new FormData();
    other.append("file", new Blob([file.subarray(1)]), "evidence.bin");
    expect((await call(s.url, "POST", "/api/v1/verify", { body: other })).json).toMatchObject({
      valid: false,
      matches: [],
    });
  });

  it("records nothing when the client disconnects mid-upload", async () => {
    const before = s.ledger.size;
    const big = randomBytes(2 * 1024 * 1024);
    const r = await upload("/api/v1/evidence", multipart({}, big, { chunk: 64 * 1024 }), {
      token: s.tokens.mediator,
      abortAfter: 1024 * 1024,
    });
    expect(r).toBe("aborted");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.ledger.size).toBe(before);
    expect(s.ledger.queueDepth).toBe(0);
    const check = await call(s.url, "POST", "/api/v1/verify", {
      json: { sha256: createHash("sha256").update(big).digest("hex") },
    });
    expect(check.json.valid).toBe(false);
  });

  it("answers 413 for a file over the upload limit, whether declared up front or found while streaming", async () => {
    const before = s.ledger.size;
    const big = new Uint8Array(LIMIT + 1);
    const declared = await upload("/api/v1/evidence", multipart({}, big), { token: s.tokens.mediator });
    expect(declared !== "aborted" && [declared.status, JSON.parse(declared.body).error.code]).toEqual([
      413,
      "PAYLOAD_TOO_LARGE",
    ]);
    // Chunked: no Content-Length, so the limit trips while hashing.
    const form = multipart({}, big);
    const streamed = await rawRequest(s.url, {
      path: "/api/v1/evidence",
      headers: {
        "content-type": form.contentType,
        "transfer-encoding": "chunked",
        authorization: `Bearer ${s.tokens.mediator}`,
      },
      chunks: form.chunks,
    });
    expect(streamed !== "aborted" && [streamed.status, JSON.parse(streamed.body).error.code]).toEqual([
      413,
      "PAYLOAD_TOO_LARGE",
    ]);
    expect(s.ledger.size).toBe(before);
  });

  it.each([
    ["no file part", multipart({ title: "t" }, undefined), 400, "FILE_MISSING"],
    [
      "a file part with another name",
      multipart({}, utf8("x"), { fileField: "upload" }),
      400,
      "INVALID_ARGUMENT",
    ],
    ["an unknown field", multipart({ owner: "someone" }, utf8("x")), 400, "INVALID_ARGUMENT"],
    [
      "a body cut before the closing boundary",
      multipart({}, utf8("x"), { omitEnd: true }),
      400,
      "UPLOAD_INCOMPLETE",
    ],
    ["two file parts", twoParts("file"), 400, "INVALID_ARGUMENT"],
    ["a second title after the file", twoParts("title"), 400, "INVALID_ARGUMENT"],
    [
      "a title over the field limit",
      multipart({ title: "t".repeat(5000) }, utf8("x")),
      413,
      "PAYLOAD_TOO_LARGE",
    ],
    [
      "a title the deposit schema refuses",
      multipart({ title: "t".repeat(300) }, utf8("x")),
      400,
      "INVALID_ARGUMENT",
    ],
  ])("refuses %s with %i %s and records nothing", async (_desc, form, status, code) => {
    const before = s.ledger.size;
    const r = await upload("/api/v1/evidence", form, { token: s.tokens.mediator });
    expect(r !== "aborted" && [r.status, JSON.parse(r.body).error.code]).toEqual([status, code]);
    expect(s.ledger.size).toBe(before);
  });

  it("names the part at fault", async () => {
    const form = (...parts: [string, string][]) =>
      `${parts.map(([disposition, body]) => `--B\r\nContent-Disposition: ${disposition}\r\n\r\n${body}\r\n`).join("")}--B--\r\n`;
    const file = ['form-data; name="file"; filename="a.txt"', "x"] as [string, string];
    for (const [body, message] of [
      [form(file, ['form-data; name="title"', "t"]), 'unexpected form field "title"; allowed: file'],
      [form(file, file), 'the form has a second part named "file"; send one file per request'],
      [form(['form-data; name="file"', "x"]), 'the part named "file" has no filename'],
      [form(['form-data; filename="a.txt"', "x"]), "a form part has no name"],
    ]) {
      const r = await call(s.url, "POST", "/api/v1/verify", {
        body,
        headers: { "content-type": "multipart/form-data; boundary=B" },
      });
      expect([r.status, codeOf(r)], message).toEqual([400, "INVALID_ARGUMENT"]);
      expect(r.json.error.message).toContain(message);
    }
  });

  it("refuses multipart without a boundary and other content types with 415", async () => {
    const noBoundary = await call(s.url, "POST", "/api/v1/evidence", {
      token: s.tokens.mediator,
      body: "x",
      headers: { "content-type": "multipart/form-data" },
    });
    expect([noBoundary.status, codeOf(noBoundary)]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    const form = multipart({}, utf8("x"));
    const batch = await upload("/api/v1/evidence/batch", form, { token: s.tokens.mediator });
    expect(batch !== "aborted" && batch.status).toBe(415);
  });

  it("checks the token before reading an upload", async () => {
    const r = await upload("/api/v1/evidence", multipart({}, file));
    expect(r !== "aborted" && r.status).toBe(401);
  });
});

/** A form with a title, the file, then one more part named `extra` (a file part when it is "file"). */
function twoParts(extra: string) {
  const boundary = "----notarium-test-boundary-7d2k1m";
  const form = multipart({ title: "t" }, utf8("x"), { boundary, omitEnd: true });
  const filename = extra === "file" ? '; filename="second.bin"' : "";
  form.chunks.push(
    utf8(
      `--${boundary}\r\nContent-Disposition: form-data; name="${extra}"${filename}\r\n\r\ny\r\n--${boundary}--\r\n`,
    ),
  );
  return { ...form, length: form.chunks.reduce((n, c) => n + c.length, 0) };
}
