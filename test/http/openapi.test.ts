import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEAL_LIMITS } from "../../src/pdf/seal-spec.js";
import { call, startTestService, type TestService } from "./helpers.js";

describe("OpenAPI document and reference page", () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it("serves OpenAPI 3.1 with every route, named schemas and bearer auth", async () => {
    const r = await call(s.url, "GET", "/api/v1/openapi.json");
    expect(r.status).toBe(200);
    const doc = r.json;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/docs",
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/agreement",
        "/api/v1/cases/{id}/identities",
        "/api/v1/cases/{id}/invitations",
        "/api/v1/cases/{id}/invitations/{signer}",
        "/api/v1/cases/{id}/package",
        "/api/v1/cases/{id}/parties/{signer}/identity",
        "/api/v1/cases/{id}/parties/{signer}/key",
        "/api/v1/cases/{id}/signatures",
        "/api/v1/evidence",
        "/api/v1/evidence/batch",
        "/api/v1/evidence/{id}",
        "/api/v1/evidence/{id}/proof",
        "/api/v1/invitations/{token}",
        "/api/v1/invitations/{token}/agreement.pdf",
        "/api/v1/invitations/{token}/key",
        "/api/v1/log/checkpoint",
        "/api/v1/log/entries",
        "/api/v1/log/entries/{index}",
        "/api/v1/log/keys",
        "/api/v1/log/proof/consistency",
        "/api/v1/log/proof/inclusion",
        "/api/v1/openapi.json",
        "/api/v1/verify",
        "/healthz",
        "/metrics",
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Receipt", "Error"]));
    const deposit = doc.paths["/api/v1/evidence"].post;
    expect(deposit.security).toEqual([{ bearerAuth: [] }]);
    expect(deposit["x-roles"]).toEqual(["admin", "mediator"]);
    expect(deposit.requestBody.content["application/json"].schema.properties.sha256.pattern).toBe(
      "^[0-9a-f]{64}$",
    );
    expect(deposit.requestBody.content["multipart/form-data"].schema.required).toEqual(["file"]);
    expect(deposit.responses["201"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/Receipt",
    );
    expect(Object.keys(deposit.responses)).toEqual(
      expect.arrayContaining(["400", "401", "403", "413", "415", "503"]),
    );
    const inclusion = doc.paths["/api/v1/log/proof/inclusion"].get;
    expect(
      inclusion.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required]),
    ).toEqual([
      ["index", true],
      ["size", false],
    ]);
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[ref.split("/").pop() as string], ref).toBeDefined();
  });

  it("documents file bodies, binary answers, extra error statuses and invitation tokens", async () => {
    const doc = (await call(s.url, "GET", "/api/v1/openapi.json")).json;
    const agreement = doc.paths["/api/v1/cases/{id}/agreement"].put;
    expect(Object.keys(agreement.requestBody.content)).toEqual(["application/pdf", "multipart/form-data"]);
    expect(agreement.requestBody.content["multipart/form-data"].schema.required).toEqual(["file"]);
    expect(Object.keys(agreement.responses)).toEqual(expect.arrayContaining(["201", "409", "413", "415"]));
    const pdf = doc.paths["/api/v1/invitations/{token}/agreement.pdf"].get;
    expect(pdf.responses["200"].content["application/pdf"].schema.contentMediaType).toBe("application/pdf");
    expect(pdf.security).toEqual([]);
    const sign = doc.paths["/api/v1/cases/{id}/signatures"].post;
    expect(sign.security).toEqual([{ bearerAuth: [] }, { invitationToken: [] }]);
    expect(doc.components.securitySchemes.invitationToken.scheme).toBe("bearer");
    expect(Object.keys(sign.responses)).toEqual(expect.arrayContaining(["403", "409", "410", "422"]));
    expect(sign.requestBody.content["application/json"].schema.properties.signature.pattern).toBe(
      "^[0-9a-f]{128}$",
    );
    expect(doc.paths["/api/v1/cases/{id}/parties/{signer}/identity"].delete["x-roles"]).toEqual([
      "admin",
      "mediator",
    ]);
    // The limits stated are the ones enforced (the seal's): 20 parties, names of 32, roles of 16.
    const parties =
      doc.paths["/api/v1/cases"].post.requestBody.content["application/json"].schema.properties.parties;
    expect(parties.maxItems).toBe(SEAL_LIMITS.signers);
    expect(parties.items.properties.name.maxLength).toBe(SEAL_LIMITS.name);
    expect(parties.items.properties.role.pattern).toContain(`{1,${SEAL_LIMITS.role}}`);
  });

  it("documents only routes that exist, and every route is documented", async () => {
    const doc = (await call(s.url, "GET", "/api/v1/openapi.json")).json;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      const concrete = path
        .replace("{id}", path.startsWith("/api/v1/cases") ? "case_0000000000000000" : "NTR-0000000000000000")
        .replace("{index}", "0")
        .replace("{signer}", "alice")
        .replace("{token}", `inv_${"A".repeat(43)}`);
      for (const method of Object.keys(methods)) {
        const r = await call(s.url, method.toUpperCase(), concrete, {
          token: s.tokens.admin,
          json: method === "post" || method === "put" ? {} : undefined,
        });
        expect(r.json?.error?.code, `${method} ${path}`).not.toBe("ROUTE_NOT_FOUND");
      }
    }
  });

  it("renders a script-free HTML reference from the same document", async () => {
    const r = await call(s.url, "GET", "/api/docs");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(r.text).toContain("/api/v1/evidence/{id}/proof");
    expect(r.text).toContain('id="schema-Receipt"');
    expect(r.text).not.toMatch(/<script/i);
    expect(r.text).not.toMatch(/https?:\/\/(?!json-schema)/);
  });
});
