import { createPublicKey, verify } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { parseVerifierKey } from "../../src/crypto/note-keys.js";
import { nodeKeyPair } from "../helpers/cases.js";
import { runCliAsync } from "../helpers/run-cli.js";
import { invite, openCase, postSignature, sha256Hex, signed } from "./case-helpers.js";
import { call, startTestService, type TestService } from "./helpers.js";

const AGREEMENT = new Uint8Array(
  readFileSync(new URL("../../fixtures/pdf/agreement-3p.pdf", import.meta.url)),
);

describe("sealing over HTTP", () => {
  let s: TestService;
  beforeAll(async () => {
    // A document limit just above the agreement's size: its sealed file, larger, must still be
    // checked whole by POST /verify.
    s = await startTestService({ sealing: true, options: { maxDocumentBytes: 16 * 1024 } });
  });
  afterAll(() => s.close());

  async function signedCase() {
    const alice = nodeKeyPair();
    const bob = nodeKeyPair();
    const c = await openCase(
      s,
      [
        { id: "alice", role: "applicant", publicKey: alice.publicKey },
        { id: "bob", role: "respondent", publicKey: bob.publicKey },
      ],
      { agreement: AGREEMENT },
    );
    const f = (signer: string, role: string) => ({ case: c.id, document: c.document, role, signer });
    return {
      c,
      sign: async (who: "alice" | "bob") => {
        const inv = await invite(s, c.id, who);
        const r = await postSignature(
          s,
          c.id,
          signed(who === "alice" ? alice : bob, f(who, who === "alice" ? "applicant" : "respondent")),
          inv.token,
        );
        expect(r.status, r.text).toBe(201);
      },
    };
  }

  it("refuses, when the case is opened, a party name the seal could not show", async () => {
    const open = (name: string) =>
      call(s.url, "POST", "/api/v1/cases", {
        token: s.tokens.mediator,
        json: {
          caseNumber: "(2026)沪调字第7号",
          title: "货款纠纷",
          parties: [
            { id: "alice", role: "applicant", name: "王喆" },
            { id: "bob", role: "respondent", name },
          ],
        },
      });
    const refused = await open("𠮷野");
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe("FONT_MISSING_GLYPH");
    expect(refused.json.error.message).toMatch(/^parties\.1\.name: .*𠮷 \(U\+20BB7\)/);
    expect(refused.json.error.message).not.toContain("野");
    const long = await open("张".repeat(33));
    expect([long.status, long.json.error.code]).toEqual([400, "INVALID_ARGUMENT"]);
    expect(long.json.error.message).toBe(
      "body parties.1.name: is longer than the 32 characters the seal shows",
    );
    // Beyond GB 2312 but in the font (Extension A): opened.
    expect((await open("刘䶮")).status).toBe(201);
    // Typed decomposed, e + U+0301 (a mark the font lacks): kept composed (NFC), which it draws.
    const decomposed = await open("Jose\u0301");
    expect(decomposed.status, decomposed.text).toBe(201);
    expect(decomposed.json.parties[1].name).toBe("Jos\u00e9");
    expect((await open("Zoe\u0308\u0301")).json.error.code).toBe("FONT_MISSING_GLYPH");
    const crowd = await call(s.url, "POST", "/api/v1/cases", {
      token: s.tokens.mediator,
      json: {
        caseNumber: "(2026)沪调字第8号",
        title: "群体纠纷",
        parties: Array.from({ length: 21 }, (_, i) => ({ id: `p${i}`, role: "applicant", name: `王${i}` })),
      },
    });
    expect([crowd.status, crowd.json.error.message]).toEqual([
      400,
      "body parties: the seal lists at most 20 parties",
    ]);
  });

  it("seals a signed agreement, returns the same file again, and the CLI verifies it against the server", async () => {
    const { c, sign } = await signedCase();
    await sign("alice");
    const early = await call(s.url, "POST", `/api/v1/cases/${c.id}/seal`, { token: s.tokens.mediator });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe("SIGNATURES_MISSING");
    await sign("bob");
    const sealed = await fetch(`${s.url}/api/v1/cases/${c.id}/seal`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.tokens.mediator}` },
    });
    expect(sealed.status).toBe(200);
    expect(sealed.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await sealed.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, AGREEMENT.length)).equals(Buffer.from(AGREEMENT))).toBe(true);
    const again = new Uint8Array(
      await (
        await fetch(`${s.url}/api/v1/cases/${c.id}/seal`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.tokens.mediator}` },
        })
      ).arrayBuffer(),
    );
    expect(sha256Hex(again)).toBe(sha256Hex(bytes));
    expect(
      (await call(s.url, "GET", `/api/v1/cases/${c.id}`, { token: s.tokens.mediator })).json.status,
    ).toBe("sealed");
    // Nothing is left to sign: no new invitation links for a sealed case.
    const late = await call(s.url, "POST", `/api/v1/cases/${c.id}/invitations`, {
      token: s.tokens.mediator,
      json: { signer: "bob" },
    });
    expect([late.status, late.json.error.code]).toEqual([409, "CASE_SEALED"]);
    // …but links can still be shut off: until they expire they read the agreement and the names.
    const revoked = await call(s.url, "DELETE", `/api/v1/cases/${c.id}/invitations/bob`, {
      token: s.tokens.mediator,
    });
    expect([revoked.status, revoked.json.revoked]).toEqual([200, 1]);

    const dir = mkdtempSync(join(tmpdir(), "notarium-sealed-"));
    writeFileSync(join(dir, "sealed.pdf"), bytes);
    const ok = await runCliAsync(["verify", "sealed.pdf", "--server", s.url, "--json"], { cwd: dir });
    expect(ok.status, ok.stderr + ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).checks.find((x: { name: string }) => x.name === "seal-recorded")?.ok).toBe(
      true,
    );
    const tampered = bytes.slice();
    tampered[100] = (tampered[100] as number) ^ 1;
    writeFileSync(join(dir, "tampered.pdf"), tampered);
    expect((await runCliAsync(["verify", "tampered.pdf", "--server", s.url], { cwd: dir })).status).toBe(1);
    // POST /api/v1/verify checks a sealed agreement whole, and catches the tampered copy.
    const form = (b: Uint8Array) => {
      const f = new FormData();
      f.append("file", new Blob([b as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), "sealed.pdf");
      return f;
    };
    expect(bytes.length).toBeGreaterThan(16 * 1024);
    const good = await (await fetch(`${s.url}/api/v1/verify`, { method: "POST", body: form(bytes) })).json();
    expect(good.valid).toBe(true);
    expect(good.sealed.signers.map((x: { signer: string }) => x.signer)).toEqual(["alice", "bob"]);
    expect(good.checks.find((x: { name: string }) => x.name === "seal-recorded")?.ok).toBe(true);
    const bad = await (
      await fetch(`${s.url}/api/v1/verify`, { method: "POST", body: form(tampered) })
    ).json();
    expect(bad.valid).toBe(false);
    // Offline, with the service's certificate and log key only.
    const keys = (await call(s.url, "GET", "/api/v1/log/keys")).json;
    expect(keys.pdfCertificate).toMatch(/BEGIN CERTIFICATE/);
    writeFileSync(join(dir, "cert.pem"), keys.pdfCertificate);
    const offline = await runCliAsync(
      ["verify", "sealed.pdf", "--cert", "cert.pem", "--key", keys.verifierKey],
      { cwd: dir },
    );
    expect(offline.status, offline.stderr + offline.stdout).toBe(0);
  }, 60_000);

  it("seals with a 骑缝章 edge strip on every page when asked, and refuses an unknown layout", async () => {
    const { c, sign } = await signedCase();
    await sign("alice");
    await sign("bob");
    expect(
      (await call(s.url, "POST", `/api/v1/cases/${c.id}/seal?pages=sideways`, { token: s.tokens.mediator }))
        .status,
    ).toBe(400);
    const r = await fetch(`${s.url}/api/v1/cases/${c.id}/seal?pages=all-edge`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.tokens.mediator}` },
    });
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const good = await (
      await fetch(`${s.url}/api/v1/verify`, {
        method: "POST",
        body: (() => {
          const f = new FormData();
          f.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "s.pdf");
          return f;
        })(),
      })
    ).json();
    expect(good.valid).toBe(true);
  }, 60_000);

  it("serves a sealed certificate for any evidence, and court batch checks signed by the log key", async () => {
    const dep = await call(s.url, "POST", "/api/v1/evidence", {
      token: s.tokens.mediator,
      json: { sha256: "ab".repeat(32) },
    });
    const cert = await fetch(`${s.url}/api/v1/evidence/${dep.json.evidenceId}/certificate.pdf`);
    expect(cert.status).toBe(200);
    expect(cert.headers.get("content-type")).toBe("application/pdf");
    expect((await fetch(`${s.url}/api/v1/evidence/NTR-0000000000000000/certificate.pdf`)).status).toBe(404);
    const dock = await call(s.url, "POST", "/api/v1/docking/verify", {
      token: s.tokens.court,
      json: { items: [{ sha256: "ab".repeat(32) }, { evidenceId: dep.json.evidenceId }] },
    });
    expect(dock.status).toBe(200);
    expect(dock.json.results.map((r: { valid: boolean }) => r.valid)).toEqual([true, true]);
    expect(dock.json.signature).toMatch(/^[0-9a-f]{128}$/);
    // The body as sent is the RFC 8785 JSON of the whole answer, and its signature is over the
    // same JSON without the signature: a court can keep the bytes and re-check them.
    expect(dock.text).toBe(canonicalJson(dock.json));
    const { signature, ...unsigned } = dock.json;
    const pub = createPublicKey({
      key: Buffer.concat([
        Buffer.from("302a300506032b6570032100", "hex"),
        Buffer.from(parseVerifierKey(s.key.verifierKey).publicKey),
      ]),
      format: "der",
      type: "spki",
    });
    expect(verify(null, Buffer.from(canonicalJson(unsigned)), pub, Buffer.from(signature, "hex"))).toBe(true);
    expect(
      (
        await call(s.url, "POST", "/api/v1/docking/verify", {
          token: s.tokens.mediator,
          json: { items: [{ sha256: "ab".repeat(32) }] },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(s.url, "POST", "/api/v1/docking/verify", { token: s.tokens.court, json: { items: [] } }))
        .status,
    ).toBe(400);
  }, 60_000);

  it("refuses an encrypted agreement upload with ENCRYPTED", async () => {
    const c = await openCase(s, [{ id: "a", role: "applicant" }], { agreement: null });
    const enc = new Uint8Array(
      readFileSync(new URL("../../fixtures/pdf/encrypted-owner.pdf", import.meta.url)),
    );
    const r = await call(s.url, "PUT", `/api/v1/cases/${c.id}/agreement`, {
      token: s.tokens.mediator,
      body: enc as Uint8Array<ArrayBuffer>,
      headers: { "content-type": "application/pdf" },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("ENCRYPTED");
  });
});

describe("notarium audit --server", () => {
  it("mirrors a served log with a court token and rebuilds the verified checkpoint", async () => {
    const s = await startTestService();
    try {
      for (let i = 0; i < 5; i++)
        await call(s.url, "POST", "/api/v1/evidence/batch", {
          token: s.tokens.mediator,
          json: {
            items: Array.from({ length: 300 }, (_, j) => ({
              sha256: (i * 1000 + j).toString(16).padStart(64, "0"),
            })),
          },
        });
      const dir = mkdtempSync(join(tmpdir(), "notarium-mirror-"));
      const ok = await runCliAsync(
        ["audit", "--server", s.url, "--token", s.tokens.court, "--key", s.key.verifierKey, "--json"],
        { cwd: dir },
      );
      expect(ok.status, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, entries: 1500, size: 1500 });
      const other = "evidence.example/log1+d8c1739f+AR+ytxeXyGwz6oa29Sc81qX43KWtyIeObWtDCvyfXKrU";
      expect(
        (
          await runCliAsync(["audit", "--server", s.url, "--token", s.tokens.court, "--key", other], {
            cwd: dir,
          })
        ).status,
      ).toBe(1);
      expect(
        (await runCliAsync(["audit", "--server", s.url, "--key", s.key.verifierKey], { cwd: dir })).status,
      ).toBe(2);
    } finally {
      await s.close();
    }
  }, 60_000);
});
